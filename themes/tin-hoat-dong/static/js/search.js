/* trangtin – trang Tìm kiếm: tìm trong chỉ mục tĩnh search/ của trang (src/search/mod.rs),
   chỉ tải những tệp mà câu tìm cần. */
(function () {
  "use strict";
  const root = document.querySelector("[data-search]");
  if (!root) { return; }
  const $ = (s) => root.querySelector(s), base = root.getAttribute("data-base") || "/";
  const form = $("form"), input = $("[name=q]"), category = $("[name=chuyen-muc]");
  const year = $("[name=nam]"), order = $("[name=sap-xep]");
  const status = $(".search-status"), list = $(".search-results"), more = $(".search-more");
  const PER_PAGE = 10, RERANK = 20, WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu, files = {};
  let results = [], shown = 0, run = 0, timer = 0, marked = [];

  function get(path) {
    if (!files[path]) {
      files[path] = fetch(base + "search/" + path).then((r) => {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      });
      files[path].catch(() => { delete files[path]; });
    }
    return files[path];
  }

  const lower = (s) => s.normalize("NFC").toLowerCase();
  // Như src/search/fold.rs: NFC, chữ thường, bỏ dấu (NFD rồi bỏ dấu kết hợp), đ → d.
  const fold = (s) => lower(s).normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d");
  const words = (s) => s.normalize("NFC").match(WORD) || [];
  const utf8 = (s) => new TextEncoder().encode(s);
  // Các từ cách nhau một dấu cách, thêm dấu cách hai đầu: để tìm nguyên cụm từ.
  const seq = (s, f) => " " + words(s).map(f).filter(Boolean).join(" ") + " ";
  const terms = (q) => words(q).map(fold).filter((t, i, all) => t && all.indexOf(t) === i && utf8(t).length <= 64);

  // Tệp chứa một từ: FNV-1a 32 bit của UTF-8, lấy dư cho số tệp (một lũy thừa của 2).
  function shard(term, n) {
    let h = 0x811c9dc5;
    for (const b of utf8(term)) { h = Math.imul(h ^ b, 0x01000193); }
    return (h & (n - 1)).toString(16);
  }

  // Các bài có đủ mọi từ; điểm = Σ trọng số × ln(1 + N/df). Mỗi năm là một khoảng số thứ tự bài.
  function candidates(meta, cats, lists) {
    let scores = null;
    for (const l of lists.sort((a, b) => a.length - b.length)) {
      const next = new Map(), idf = Math.log(1 + meta.docs / (l.length / 2));
      for (let i = 0, id = 0; i < l.length; i += 2) {
        id += l[i];
        if (!scores || scores.has(id)) { next.set(id, (scores ? scores.get(id) : 0) + l[i + 1] * idf); }
      }
      scores = next;
    }
    const range = year.value && (Object.hasOwn(meta.years, year.value) ? meta.years[year.value] : [1, 0]);
    const c = meta.categories.indexOf(category.value), out = [];
    scores.forEach((score, id) => {
      if ((!range || (id >= range[0] && id <= range[1])) && (!cats || cats[id] === c)) { out.push({ id, score }); }
    });
    return out.sort((a, b) => (order.value ? 0 : b.score - a.score) || a.id - b.id);
  }

  // Xếp lại các kết quả đầu (sort giữ thứ tự khi bằng nhau): có nguyên cụm đúng chính tả, rồi
  // nguyên cụm khi bỏ dấu, rồi (câu tìm có dấu) đủ các tiếng đúng chính tả.
  function rerank(q, top) {
    const qe = seq(q, lower), qf = seq(q, fold);
    top.forEach((r) => {
      const d = r.doc.title + " " + r.doc.text, de = seq(d, lower);
      r.rank = de.includes(qe) ? 0 : seq(d, fold).includes(qf) ? 1 :
        qe !== qf && qe.trim().split(" ").every((w) => de.includes(" " + w + " ")) ? 2 : 3;
    });
    return top.sort((a, b) => a.rank - b.rank);
  }

  const load = (r) => get("f/" + r.id + ".json").then((d) => { r.doc = d; });
  const hit = (w) => marked.includes(fold(w));

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  // Đoạn trích: khoảng 30 từ quanh từ khớp đầu tiên; các từ khớp (so khi đã bỏ dấu) trong <mark>.
  function excerpt(p, text) {
    text = text.replace(/\s+/g, " ");
    const found = [...text.matchAll(WORD)];
    if (!found.length) { return; }
    const start = Math.max(0, found.findIndex((m) => hit(m[0])) - 8), end = Math.min(found.length, start + 30);
    let s = start ? "… " : "", pos = found[start].index;
    for (const m of found.slice(start, end)) {
      s += text.slice(pos, m.index);
      if (hit(m[0])) { p.append(s, el("mark", "", m[0])); s = ""; } else { s += m[0]; }
      pos = m.index + m[0].length;
    }
    p.append(s + (end < found.length ? " …" : text.slice(pos)));
  }

  function item(d) {
    const li = el("li", "search-result"), h = el("h2", "news-title"), meta = el("p", "news-meta");
    let url = base + d.url.replace(/^\//, "");
    const a = el("a", "", d.title || url);
    a.href = url;
    h.append(a);
    li.append(h, meta);
    if (d.date) {
      const t = el("time", "", d.date);
      t.setAttribute("datetime", d.date.split("/").reverse().join("-"));
      meta.append(t);
    }
    if (d.category) {
      if (d.date) { meta.append(" · "); }
      const o = [...category.options].find((o) => o.value === d.category);
      const c = el(o ? "a" : "span", "news-cat", d.category);
      if (o) { c.href = o.getAttribute("data-url"); }
      meta.append(c);
    }
    if (!meta.firstChild) { meta.remove(); }
    const p = el("p", "search-excerpt");
    excerpt(p, d.text || "");
    try { url = decodeURI(new URL(url, location.href).href); } catch (e) { /* giữ nguyên */ }
    li.append(p, el("p", "search-link", url));
    return li;
  }

  function showMore(token, focusFirst) {
    const batch = results.slice(shown, shown + PER_PAGE);
    shown += batch.length;
    return Promise.all(batch.map(load)).then(() => {
      if (token !== run) { return; }
      const items = batch.map((r) => item(r.doc));
      list.append(...items);
      more.hidden = shown >= results.length;
      if (focusFirst && items.length) { items[0].querySelector("a").focus(); }
    });
  }

  function fail(token) {
    if (token !== run) { return; }
    status.textContent = "Không tải được chức năng tìm kiếm. Xin thử lại sau, hoặc xem lưu trữ tin bài.";
    more.hidden = true;
  }

  function syncUrl(q) {
    const params = new URLSearchParams();
    if (q) { params.set("q", q); }
    [category, year, order].forEach((s) => { if (s.value) { params.set(s.name, s.value); } });
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function go(typing) {
    clearTimeout(timer);
    const token = ++run, q = input.value.replace(/\s+/g, " ").trim(), ts = terms(q);
    syncUrl(q);
    if (!q) {
      results = [];
      list.textContent = status.textContent = "";
      more.hidden = true;
      root.removeAttribute("aria-busy");
      return;
    }
    root.setAttribute("aria-busy", "true");
    get("meta.json").then((meta) => Promise.all([meta, category.value && get("category.json")].concat(
      ts.map((t) => get("t/" + shard(t, meta.shards) + ".json").then((s) => (Object.hasOwn(s, t) ? s[t] : []))),
    ))).then((got) => {
      const lists = got.slice(2);
      // Đang gõ dở từ cuối (chưa có trong chỉ mục): tạm bỏ qua từ đó.
      if (typing && lists.length > 1 && !lists[lists.length - 1].length) { lists.pop(); ts.pop(); }
      const found = ts.length ? candidates(got[0], got[1], lists) : [];
      const top = order.value ? [] : found.slice(0, RERANK);
      return Promise.all(top.map(load)).then(() => {
        if (token !== run) { return; }
        results = rerank(q, top).concat(found.slice(top.length));
        shown = 0;
        marked = ts;
        list.textContent = "";
        status.textContent = found.length ?
          "Tìm thấy " + found.length + " kết quả cho “" + q + "”." :
          "Không tìm thấy kết quả nào cho “" + q + "”. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.";
        return showMore(token, false);
      });
    }).catch(() => fail(token)).then(() => {
      if (token === run) { root.removeAttribute("aria-busy"); }
    });
  }

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  [category, year, order].forEach((s) => {
    s.value = params.get(s.name) || s.value;
    s.addEventListener("change", () => go());
  });
  const header = document.getElementById("o-tim-kiem");
  if (header && input.value) { header.value = input.value; }
  form.hidden = false;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => go(!/\s$/.test(input.value)), 150);
  });
  input.addEventListener("focus", () => get("meta.json").catch(() => {}));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go();
  });
  more.addEventListener("click", () => showMore(run, true).catch(() => fail(run)));
  if (input.value) { go(); } else { input.focus(); }
})();
