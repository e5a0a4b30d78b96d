/* trangtin – tin-hoat-dong: cỡ chữ, tương phản cao, in bài, tin mới, menu con, thời tiết. */
(function () {
  "use strict";
  const root = document.documentElement, all = (s) => document.querySelectorAll(s);
  const STEPS = [0.875, 1, 1.125, 1.25, 1.375, 1.5], KEY_SIZE = "trangtin-co-chu", KEY_HC = "trangtin-tuong-phan";

  function load(key) {
    try { return localStorage.getItem(key); } catch { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
    } catch { /* bị chặn: chỉ trang này */ }
  }

  let step = STEPS.indexOf(parseFloat(load(KEY_SIZE)));
  if (step < 0) { step = 1; }
  const applySize = () => root.style.setProperty("--font-scale", STEPS[step]);
  function setContrast(on) {
    root.classList.toggle("hc", on);
    all("[data-contrast]").forEach((b) => b.setAttribute("aria-pressed", String(on)));
  }
  applySize();
  if (load(KEY_HC) === "1") { root.classList.add("hc"); }

  // Bảng rộng cuộn ngang: cuộn được bằng bàn phím.
  function markScrollableTables() {
    all(".article-body table").forEach((t) => {
      if (t.scrollWidth > t.clientWidth) { t.setAttribute("tabindex", "0"); }
      else if (t.getAttribute("tabindex") === "0") { t.removeAttribute("tabindex"); }
    });
  }

  // Tin mới: tệp nhỏ riêng, để đăng bài không đổi mọi trang (không JS: liên kết).
  function loadLatest() {
    const a = document.querySelector("[data-latest]");
    if (a) {
      fetch(a.getAttribute("data-latest")).then((r) => (r.ok ? r.text() : ""))
        .then((html) => { if (html) { a.parentNode.insertAdjacentHTML("beforebegin", html); } }, () => {});
    }
  }

  // Menu con: nút mở/đóng (Enter, Space, chạm), ↓ vào mục con, Esc đóng và trả focus về nút.
  let open = null;
  function setOpen(b) {
    if (open) { open.setAttribute("aria-expanded", "false"); }
    open = b;
    if (b) { b.setAttribute("aria-expanded", "true"); }
  }
  function initMenus() {
    all(".sub-toggle").forEach((b) => {
      b.hidden = false;
      b.onclick = () => setOpen(open === b ? null : b);
      b.parentNode.addEventListener("focusout", (e) => {
        if (open === b && !b.parentNode.contains(e.relatedTarget)) { setOpen(null); }
      });
    });
    document.addEventListener("keydown", (e) => {
      const b = e.target;
      if (e.key === "ArrowDown" && b.className === "sub-toggle") {
        e.preventDefault();
        setOpen(b);
        b.nextElementSibling.querySelector("a").focus();
      } else if (e.key === "Escape" && open) {
        open.focus();
        setOpen(null);
      }
    });
    document.addEventListener("click", (e) => {
      if (open && !open.parentNode.contains(e.target)) { setOpen(null); }
    });
  }

  // Thời tiết (bật trong cấu hình): JSON kiểu Open-Meteo (`current` hay `current_weather`).
  // Lỗi mạng, CSP, mã lỗi, JSON lạ, quá 5 giây: giữ nguyên phần có sẵn.
  const SKY = { 0: "Trời quang", 3: "Có mây", 48: "Sương mù", 57: "Mưa phùn", 67: "Mưa", 82: "Mưa rào", 99: "Dông" };
  function loadWeather(box) {
    fetch(box.getAttribute("data-weather"), { signal: AbortSignal.timeout(5000) })
      .then((r) => r.ok && r.json())
      .then((j) => {
        const c = j.current || j.current_weather, now = "temperature_2m" in c;
        const t = now ? c.temperature_2m : c.temperature, w = now ? c.weather_code : c.weathercode;
        const k = Object.keys(SKY).find((n) => w <= n);
        if (typeof t === "number") { box.querySelector(".weather-now").textContent = Math.round(t) + " °C" + (k ? ", " + SKY[k] : ""); }
      })
      .catch(() => {});
  }

  function init() {
    loadLatest();
    initMenus();
    if (window.AbortSignal && AbortSignal.timeout) { all("[data-weather]").forEach(loadWeather); }
    markScrollableTables();
    window.addEventListener("resize", markScrollableTables);
    setContrast(root.classList.contains("hc"));
    all("[data-font]").forEach((b) => b.addEventListener("click", () => {
      const action = b.getAttribute("data-font");
      step = action === "up" ? Math.min(step + 1, STEPS.length - 1) : action === "down" ? Math.max(step - 1, 0) : 1;
      applySize();
      save(KEY_SIZE, step === 1 ? null : String(STEPS[step]));
    }));
    all("[data-contrast]").forEach((b) => b.addEventListener("click", () => {
      const on = !root.classList.contains("hc");
      setContrast(on);
      save(KEY_HC, on ? "1" : null);
    }));
    all("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
    all("[data-toolbar]").forEach((t) => { t.hidden = false; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
