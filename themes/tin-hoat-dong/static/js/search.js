/* trangtin – trang Tìm kiếm: tìm trong chỉ mục Pagefind (thư mục pagefind/ của chính trang web).
   Chỉ mục chỉ được tải khi bạn đọc bắt đầu tìm. Xem src/search.rs về cách xử lý tiếng Việt. */
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root) { return; }
  var base = root.getAttribute("data-base") || "/";
  var form = root.querySelector("form");
  var input = form.querySelector("[name=q]");
  var category = form.querySelector("[name=chuyen-muc]");
  var year = form.querySelector("[name=nam]");
  var order = form.querySelector("[name=sap-xep]");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var PER_PAGE = 10;
  var loader = null, results = [], shown = 0, run = 0, timer = 0;

  function load() {
    if (!loader) {
      loader = import(base + "pagefind/pagefind.js").then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: base, excerptLength: 32 })).then(function () { return pf; });
      });
      loader.catch(function () { loader = null; });
    }
    return loader;
  }

  // Chỉ mục viết đ/Đ là d/D + U+0335 để Pagefind bỏ dấu thành d (src/search.rs): câu tìm cũng vậy.
  function toIndex(text) { return text.normalize("NFC").replace(/đ/g, "d\u0335").replace(/Đ/g, "D\u0335"); }
  function fromIndex(text) { return String(text).replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ"); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  // Đoạn trích của Pagefind: văn bản với < > đã thoát và các từ khớp trong <mark>.
  function excerpt(p, html) {
    var parts = fromIndex(html).split(/<\/?mark>/);
    for (var i = 0; i < parts.length; i++) {
      var text = parts[i].replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (i % 2) { p.appendChild(el("mark", "", text)); } else if (text) { p.appendChild(document.createTextNode(text)); }
    }
  }

  function categoryUrl(name) {
    for (var i = 0; i < category.options.length; i++) {
      if (category.options[i].value === name) { return category.options[i].getAttribute("data-url"); }
    }
    return null;
  }

  function item(d) {
    var li = el("li", "search-result");
    var h = el("h2", "news-title");
    var a = el("a", "", fromIndex(d.meta.title || d.url));
    a.href = d.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "news-meta");
    if (d.meta.date) {
      var t = el("time", "", d.meta.date.split("-").reverse().join("/"));
      t.setAttribute("datetime", d.meta.date);
      meta.appendChild(t);
    }
    var cat = d.filters && d.filters.category && d.filters.category[0];
    if (cat) {
      if (meta.firstChild) { meta.appendChild(document.createTextNode(" · ")); }
      var url = categoryUrl(cat);
      var c = el(url ? "a" : "span", "news-cat", cat);
      if (url) { c.href = url; }
      meta.appendChild(c);
    }
    if (meta.firstChild) { li.appendChild(meta); }
    var p = el("p", "search-excerpt");
    excerpt(p, d.excerpt || "");
    li.appendChild(p);
    var link = d.url;
    try { link = decodeURI(new URL(d.url, location.href).href); } catch (e) { /* giữ nguyên */ }
    li.appendChild(el("p", "search-link", link));
    return li;
  }

  function showMore(token, focusFirst) {
    var batch = results.slice(shown, shown + PER_PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (token !== run) { return; }
      var first = null;
      for (var i = 0; i < items.length; i++) {
        var li = item(items[i]);
        first = first || li;
        list.appendChild(li);
      }
      more.hidden = shown >= results.length;
      if (focusFirst && first) { first.querySelector("a").focus(); }
    });
  }

  // Cụm từ (nhiều từ, không có ngoặc kép): bài chứa nguyên cụm được xếp trước bài có các từ rời rạc.
  function find(pf, q, options) {
    var plain = pf.search(q, options);
    if (q.split(" ").length < 2 || q.indexOf("\"") >= 0 || options.sort) {
      return plain.then(function (r) { return r.results; });
    }
    return Promise.all([pf.search("\"" + q + "\"", options), plain]).then(function (both) {
      var seen = {}, out = [];
      both[0].results.concat(both[1].results).forEach(function (r) {
        if (!seen[r.id]) { seen[r.id] = true; out.push(r); }
      });
      return out;
    });
  }

  function syncUrl(q) {
    var params = new URLSearchParams();
    if (q) { params.set("q", q); }
    [category, year, order].forEach(function (s) { if (s.value) { params.set(s.name, s.value); } });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function go() {
    clearTimeout(timer);
    var token = ++run;
    var q = input.value.replace(/\s+/g, " ").trim();
    syncUrl(q);
    if (!q) {
      results = [];
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    var filters = {};
    if (category.value) { filters.category = category.value; }
    if (year.value) { filters.year = year.value; }
    var options = { filters: filters };
    if (order.value === "moi") { options.sort = { date: "desc" }; }
    root.setAttribute("aria-busy", "true");
    load().then(function (pf) {
      return find(pf, toIndex(q), options);
    }).then(function (found) {
      if (token !== run) { return; }
      results = found;
      shown = 0;
      list.textContent = "";
      status.textContent = found.length ?
        "Tìm thấy " + found.length + " kết quả cho “" + q + "”." :
        "Không tìm thấy kết quả nào cho “" + q + "”. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.";
      return showMore(token, false);
    }).catch(function () {
      if (token !== run) { return; }
      status.textContent = "Không tải được chức năng tìm kiếm. Xin thử lại sau, hoặc xem lưu trữ tin bài.";
      more.hidden = true;
    }).then(function () {
      if (token === run) { root.removeAttribute("aria-busy"); }
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  [category, year, order].forEach(function (s) {
    var v = params.get(s.name);
    if (v) { s.value = v; }
    s.addEventListener("change", go);
  });
  var header = document.getElementById("o-tim-kiem");
  if (header && input.value) { header.value = input.value; }
  form.hidden = false;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(go, 200);
  });
  input.addEventListener("focus", function () { load().catch(function () {}); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    go();
  });
  more.addEventListener("click", function () { showMore(run, true); });
  if (input.value) { go(); } else { input.focus(); }
})();
