// trangtin: the editing area's script (no framework, no CDN). Without it the forms still work
// (they post and the server answers with a page); with it: toolbar, shortcuts, live preview,
// paste from Word or a web page, drag-and-drop uploads, saving with errors at their fields.
(() => {
  "use strict";
  const prefix = document.body.dataset.prefix;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const form = document.getElementById("bai-viet");
  if (!form) return;
  const body = document.getElementById("f-body");
  const status = document.getElementById("trang-thai-luu");
  const general = document.getElementById("loi-chung");
  const previewBox = document.getElementById("xem-truoc");
  const picker = document.getElementById("chon-tep");
  const featuredPicker = document.getElementById("tai-anh-dai-dien");
  const viewLink = document.getElementById("xem-bai");

  const say = (text, bad) => {
    status.textContent = text;
    status.classList.toggle("bad", !!bad);
  };

  const post = (route, data, extra) =>
    fetch(prefix + route, Object.assign({
      method: "POST",
      headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
      body: data,
      credentials: "same-origin",
    }, extra || {}));

  // ---- Inserting text at the cursor -------------------------------------------------------
  const insert = (text, selectFrom, selectTo) => {
    body.focus();
    const start = body.selectionStart, end = body.selectionEnd;
    body.setRangeText(text, start, end, "end");
    if (selectFrom !== undefined) {
      body.setSelectionRange(start + selectFrom, start + (selectTo === undefined ? selectFrom : selectTo));
    }
    body.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const wrap = (before, after, placeholder) => {
    const start = body.selectionStart, end = body.selectionEnd;
    const chosen = body.value.slice(start, end) || placeholder;
    insert(before + chosen + after, before.length, before.length + chosen.length);
  };
  const lineStart = () => body.value.lastIndexOf("\n", body.selectionStart - 1) + 1;
  const prefixLines = (make) => {
    const from = lineStart();
    const to = body.selectionEnd;
    const lines = body.value.slice(from, to).split("\n");
    body.setSelectionRange(from, to);
    insert(lines.map((l, i) => make(i) + l).join("\n"));
  };
  const blankLineBefore = () => {
    const before = body.value.slice(0, body.selectionStart);
    return before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  };

  const commands = {
    heading: () => prefixLines(() => "## "),
    bold: () => wrap("**", "**", "chữ đậm"),
    italic: () => wrap("*", "*", "chữ nghiêng"),
    list: () => prefixLines(() => "- "),
    numbered: () => prefixLines((i) => (i + 1) + ". "),
    link: () => {
      const url = prompt("Địa chỉ liên kết (https://...):", "https://");
      if (url) wrap("[", "](" + url + ")", "chữ liên kết");
    },
    table: () => {
      const t = blankLineBefore() + "| Cột 1 | Cột 2 |\n| --- | --- |\n| | |\n";
      insert(t, t.indexOf("Cột 1"), t.indexOf("Cột 1") + 5);
    },
    image: () => { picker.accept = "image/jpeg,image/png,image/webp,image/gif"; picker.click(); },
    attachment: () => { picker.accept = ".pdf,.docx,.xlsx"; picker.click(); },
    video: () => {
      const url = prompt("Địa chỉ video YouTube:", "https://www.youtube.com/watch?v=");
      if (!url) return;
      const m = url.match(/(?:v=|youtu\.be\/|embed\/)([\w-]{6,})/);
      if (!m) { say("Không nhận ra địa chỉ video YouTube.", true); return; }
      insert(blankLineBefore() + '<iframe src="https://www.youtube-nocookie.com/embed/' + m[1] +
        '" title="Video" allowfullscreen></iframe>\n');
    },
  };
  document.querySelectorAll(".toolbar [data-cmd]").forEach((b) =>
    b.addEventListener("click", () => commands[b.dataset.cmd]()));

  body.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    const k = e.key.toLowerCase();
    let cmd = null;
    if (k === "b" && !e.shiftKey) cmd = "bold";
    else if (k === "i" && !e.shiftKey) cmd = "italic";
    else if (k === "k") cmd = "link";
    else if (e.altKey && k === "2") cmd = "heading";
    else if (e.shiftKey && (k === "8" || k === "*")) cmd = "list";
    else if (e.shiftKey && (k === "7" || k === "&")) cmd = "numbered";
    else if (k === "s") { e.preventDefault(); form.requestSubmit(); return; }
    if (cmd) { e.preventDefault(); commands[cmd](); }
  });

  // ---- Live preview -----------------------------------------------------------------------
  let previewTimer = null, previewSeq = 0;
  const refreshPreview = () => {
    const seq = ++previewSeq;
    const data = new URLSearchParams({ body: body.value, path: form.elements.path.value, ngay: form.elements.date.value });
    post("/xem-truoc", data).then((r) => r.text()).then((html) => {
      if (seq === previewSeq) previewBox.innerHTML = html;
    }).catch(() => {});
  };
  body.addEventListener("input", () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 300);
  });
  refreshPreview();

  // ---- Uploads ----------------------------------------------------------------------------
  const upload = (file) => {
    say("Đang tải lên " + file.name + "…");
    const q = new URLSearchParams({ ten: file.name, tep: form.elements.path.value, ngay: form.elements.date.value });
    return post("/tai-len?" + q, file, { headers: { "X-CSRF-Token": csrf, Accept: "application/json" } })
      .then((r) => r.json().then((j) => ({ r, j })))
      .then(({ r, j }) => {
        if (!r.ok) { say(j.message || "Không tải lên được.", true); return null; }
        say("Đã tải lên " + j.name + ".");
        return j;
      })
      .catch(() => { say("Không kết nối được máy chủ.", true); return null; });
  };
  const uploadInto = (files) => {
    let chain = Promise.resolve();
    Array.from(files).forEach((file) => {
      chain = chain.then(() => upload(file)).then((j) => {
        if (j) insert(blankLineBefore() + j.markdown + "\n");
      });
    });
    return chain;
  };
  picker.addEventListener("change", () => { uploadInto(picker.files).then(() => { picker.value = ""; }); });
  featuredPicker.addEventListener("change", () => {
    const file = featuredPicker.files[0];
    if (!file) return;
    upload(file).then((j) => {
      if (j) form.elements.image.value = j.name;
      featuredPicker.value = "";
    });
  });
  body.addEventListener("dragover", (e) => { e.preventDefault(); body.classList.add("drop"); });
  body.addEventListener("dragleave", () => body.classList.remove("drop"));
  body.addEventListener("drop", (e) => {
    body.classList.remove("drop");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      e.preventDefault();
      uploadInto(e.dataTransfer.files);
    }
  });

  // ---- Paste from Word or a web page ------------------------------------------------------
  body.addEventListener("paste", (e) => {
    const data = e.clipboardData;
    if (!data) return;
    const files = Array.from(data.files || []);
    const html = data.getData("text/html");
    if (!html && files.length) {
      e.preventDefault();
      uploadInto(files);
      return;
    }
    if (!html) return; // plain text: the browser pastes it
    e.preventDefault();
    const start = body.selectionStart, end = body.selectionEnd;
    say("Đang chuyển nội dung dán…");
    post("/dan", new URLSearchParams({ html, tep: form.elements.path.value, ngay: form.elements.date.value }))
      .then((r) => r.json())
      .then((j) => {
        body.setSelectionRange(start, end);
        insert(j.markdown);
        say((j.notes && j.notes.length) ? "Đã dán. " + j.notes.join(" ") : "Đã dán.");
      })
      .catch(() => say("Không chuyển được nội dung dán.", true));
  });

  // ---- Saving -----------------------------------------------------------------------------
  const clearErrors = () => {
    general.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    form.querySelectorAll("p.error").forEach((p) => { p.textContent = ""; p.hidden = true; });
  };
  const showErrors = (errors) => {
    let first = null;
    errors.forEach((e) => {
      const slot = document.getElementById("loi-" + e.field);
      const input = form.elements[e.field];
      const target = input && input.length && !input.tagName ? input[0] : input;
      if (slot && target) {
        slot.textContent = (slot.textContent ? slot.textContent + " " : "") + e.message;
        slot.hidden = false;
        const holder = e.field === "publish" ? target.closest("fieldset") : target;
        holder.setAttribute("aria-invalid", "true");
        holder.setAttribute("aria-describedby", slot.id);
        if (!first) first = target;
      } else {
        const p = document.createElement("p");
        p.textContent = e.message;
        general.appendChild(p);
      }
    });
    if (first) first.focus();
  };
  // A rebuild that outlasts the save's wait (new photos are being resized): ask until the
  // preview has the page.
  const waitForPage = (path, generation, tries) => {
    if (tries <= 0) return;
    setTimeout(() => {
      fetch(prefix + "/dia-chi?tep=" + encodeURIComponent(path), { headers: { Accept: "application/json" } })
        .then((r) => r.json())
        .then((j) => {
          if (j.generation === generation || !j.preview) { waitForPage(path, j.generation, tries - 1); return; }
          viewLink.href = j.preview;
          viewLink.hidden = false;
          if (j.errors.length) showErrors(j.errors);
          say(status.textContent + " Trang xem trước đã sẵn sàng.", j.errors.length > 0);
        })
        .catch(() => waitForPage(path, generation, tries - 1));
    }, 500);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors();
    say("Đang lưu…");
    const data = new URLSearchParams(new FormData(form));
    post("/luu", data)
      .then((r) => r.json().then((j) => ({ r, j })))
      .then(({ r, j }) => {
        say(j.message, !r.ok || (j.errors && j.errors.length));
        if (j.errors) showErrors(j.errors);
        if (r.ok) {
          form.elements.path.value = j.path;
          form.elements.hash.value = j.hash;
          if (j.preview) {
            viewLink.href = j.preview;
            viewLink.hidden = false;
          } else if (j.rebuilding) {
            waitForPage(j.path, j.generation, 120);
          }
          const editUrl = prefix + "/sua?tep=" + encodeURIComponent(j.path);
          if (location.pathname + location.search !== editUrl) history.replaceState(null, "", editUrl);
        } else if (!j.errors || !j.errors.length) {
          status.focus && status.setAttribute("tabindex", "-1");
          status.focus();
        }
      })
      .catch(() => say("Không kết nối được máy chủ; bài chưa được lưu.", true));
  });
})();

// "Nhập từ tệp Word (.docx)": the file sent as it is (the server answers with JSON), a
// refusal shown in the form's status line rather than on a page of its own. Without this the
// form posts as multipart and the server answers with the draft's page.
(() => {
  "use strict";
  const form = document.getElementById("nhap-word");
  if (!form || !window.fetch) return;
  const prefix = document.body.dataset.prefix;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const status = document.getElementById("nhap-word-trang-thai");
  const button = form.querySelector("button[type=submit]");
  const say = (text, bad) => {
    status.textContent = text;
    status.classList.toggle("bad", !!bad);
  };
  form.addEventListener("submit", (e) => {
    const file = form.elements.tep.files[0];
    if (!file) return;
    e.preventDefault();
    button.disabled = true;
    say("Đang nhập " + file.name + "…");
    const q = new URLSearchParams({ ten: file.name, "chuyen-muc": form.elements["chuyen-muc"].value });
    const failed = (text) => {
      say(text, true);
      button.disabled = false;
    };
    fetch(prefix + "/nhap-word?" + q, {
      method: "POST",
      headers: { "X-CSRF-Token": csrf, Accept: "application/json", "Content-Type": "application/octet-stream" },
      body: file,
      credentials: "same-origin",
    })
      .then((r) => r.json())
      .then((j) => (j.ok ? location.assign(j.url) : failed(j.message)))
      .catch(() => failed("Không kết nối được máy chủ; tệp chưa được nhập."));
  });
})();
