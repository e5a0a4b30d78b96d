/* trangtin – tin-hoat-dong: cỡ chữ, tương phản cao, in bài, tin mới. */
(function () {
  "use strict";
  var root = document.documentElement;
  var STEPS = [0.875, 1, 1.125, 1.25, 1.375, 1.5];
  var KEY_SIZE = "trangtin-co-chu";
  var KEY_HC = "trangtin-tuong-phan";

  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
    } catch (e) { /* bị chặn: chỉ trang này */ }
  }

  var step = STEPS.indexOf(parseFloat(load(KEY_SIZE)));
  if (step < 0) { step = 1; }
  function applySize() {
    root.style.setProperty("--font-scale", String(STEPS[step]));
  }
  function setContrast(on, buttons) {
    root.classList.toggle("hc", on);
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  applySize();
  if (load(KEY_HC) === "1") { root.classList.add("hc"); }

  // Bảng rộng cuộn ngang: cuộn được bằng bàn phím.
  function markScrollableTables() {
    var tables = document.querySelectorAll(".article-body table");
    for (var n = 0; n < tables.length; n++) {
      if (tables[n].scrollWidth > tables[n].clientWidth) { tables[n].setAttribute("tabindex", "0"); }
      else if (tables[n].getAttribute("tabindex") === "0") { tables[n].removeAttribute("tabindex"); }
    }
  }

  // Tin mới: tệp nhỏ riêng, để đăng bài không đổi mọi trang (không JS: liên kết).
  function loadLatest() {
    var a = document.querySelector("[data-latest]");
    if (a && window.fetch) {
      fetch(a.getAttribute("data-latest")).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html) { a.parentNode.insertAdjacentHTML("beforebegin", html); } }, function () {});
    }
  }

  function init() {
    loadLatest();
    markScrollableTables();
    window.addEventListener("resize", markScrollableTables);
    var contrastButtons = document.querySelectorAll("[data-contrast]");
    setContrast(root.classList.contains("hc"), contrastButtons);

    var fontButtons = document.querySelectorAll("[data-font]");
    for (var i = 0; i < fontButtons.length; i++) {
      fontButtons[i].addEventListener("click", function () {
        var action = this.getAttribute("data-font");
        if (action === "up") { step = Math.min(step + 1, STEPS.length - 1); }
        else if (action === "down") { step = Math.max(step - 1, 0); }
        else { step = 1; }
        applySize();
        save(KEY_SIZE, step === 1 ? null : String(STEPS[step]));
      });
    }
    for (var j = 0; j < contrastButtons.length; j++) {
      contrastButtons[j].addEventListener("click", function () {
        var on = !root.classList.contains("hc");
        setContrast(on, contrastButtons);
        save(KEY_HC, on ? "1" : null);
      });
    }
    var printButtons = document.querySelectorAll("[data-print]");
    for (var k = 0; k < printButtons.length; k++) {
      printButtons[k].addEventListener("click", function () { window.print(); });
    }
    var toolbars = document.querySelectorAll("[data-toolbar]");
    for (var t = 0; t < toolbars.length; t++) { toolbars[t].hidden = false; }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
