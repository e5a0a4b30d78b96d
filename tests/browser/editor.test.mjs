// The web editor (`trangtin serve --edit`) in Chromium: a clerk's full path, from the list to a
// published article with its processed photo, at 1280 px and 390 px. The server is the real
// binary serving a small site in a temporary folder; the photo is a 4000×3000 phone photo of
// the photo site that tests/browser.rs writes (TRANGTIN_PHOTO_SITE), or TRANGTIN_EDITOR_PHOTO.
// Screenshots of the list, the form and the preview go to docs/images/soan-tin-*.png (README).
//
//   TRANGTIN_PHOTO_SITE=target/tmp/browser-photo-site node --test tests/browser/editor.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO, trangtinBin, freePort, launchBrowser, openPage, horizontalOverflow, runAxe } from "./harness.mjs";

const DOCS_IMAGES = path.join(REPO, "docs", "images");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function findPhoto() {
  if (process.env.TRANGTIN_EDITOR_PHOTO) return path.resolve(process.env.TRANGTIN_EDITOR_PHOTO);
  const site = path.resolve(
    process.env.TRANGTIN_PHOTO_SITE || path.join(REPO, "target", "tmp", "browser-photo-site"),
  );
  const stack = [path.join(site, "content")];
  while (stack.length) {
    const dir = stack.pop();
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.name === "anh-01.jpg") return full;
    }
  }
  throw new Error(
    "no phone photo: `cargo test --test browser` writes the photo site, or set TRANGTIN_EDITOR_PHOTO",
  );
}

// A Word-like clipboard: Word's classes, styles, <o:p>, a table and an embedded image.
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head>
<body><!--StartFragment--><p class=MsoNormal><b><span style='font-family:"Times New Roman";font-size:14pt'>Lịch tiếp công dân</span></b><o:p></o:p></p>
<p class=MsoNormal><span style='font-size:13pt'>Ban Giám đốc Sở tiếp công dân theo lịch sau:</span><o:p></o:p></p>
<table class=MsoTableGrid border=1><tr><td><p class=MsoNormal>Ngày</p></td><td><p class=MsoNormal>Người tiếp</p></td></tr>
<tr><td><p class=MsoNormal>05/12/2026</p></td><td><p class=MsoNormal>Giám đốc Sở</p></td></tr></table>
<p class=MsoNormal><img src="data:image/png;base64,${PNG_1X1}" alt="Sơ đồ phòng tiếp"></p><!--EndFragment--></body></html>`;

const CONFIG = (port) => `title: "Sở Khoa học và Công nghệ tỉnh Sơn Lâm"
base_url: "http://127.0.0.1:${port}/tin-tuc/"
default_author: "Phòng Thông tin"
categories:
  - name: Tin hoạt động
    slug: tin-hoat-dong
  - name: Thông báo
    slug: thong-bao
`;

const ARTICLE = `---
title: Hội nghị tổng kết công tác năm 2025
date: 2026-01-15 08:30
category: Tin hoạt động
tags: [tổng kết]
---

Sáng nay, Sở tổ chức hội nghị tổng kết.
`;

const USERS = [
  ["lan", "bien-tap-vien", "Nguyễn Thị Lan", "mật khẩu của Lan"],
  ["hung", "nguoi-duyet", "Trần Văn Hùng", "mật khẩu của Hùng"],
];
const PASSWORD = Object.fromEntries(USERS.map(([name, , , password]) => [name, password]));

let tmp, server, origin, browser, editorUrl;

/** Opens the editing area logged in as `name`, on the list of articles. */
async function logIn(name, opts = {}) {
  const opened = await openPage(browser, editorUrl, opts);
  const { page } = opened;
  await page.waitForURL(/\/_soan-tin\/dang-nhap$/);
  await page.getByLabel("Tên đăng nhập").fill(name);
  await page.getByLabel("Mật khẩu").fill(PASSWORD[name]);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(/\/_soan-tin\/$/);
  return opened;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trangtin-editor-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  fs.writeFileSync(path.join(tmp, "config.yaml"), CONFIG(port));
  fs.mkdirSync(path.join(tmp, "content", "2026", "01"), { recursive: true });
  fs.writeFileSync(path.join(tmp, "content", "2026", "01", "hoi-nghi-tong-ket.md"), ARTICLE);
  fs.writeFileSync(
    path.join(tmp, "content", "2026", "01", "ke-hoach.md"),
    ARTICLE.replace("Hội nghị tổng kết công tác năm 2025", "Kế hoạch năm 2026")
      .replace("2026-01-15", "2026-01-20")
      .replace("---\n\n", "draft: true\n---\n\n"),
  );
  // Two clerks, made with the real command (the password on stdin, as a script gives it).
  for (const [name, role, display, password] of USERS) {
    const made = spawnSync(
      trangtinBin(),
      ["user", "add", name, "--role", role, "--display-name", display, "--root", tmp],
      { input: password + "\n", encoding: "utf8" },
    );
    assert.equal(made.status, 0, made.stderr);
  }
  server = spawn(trangtinBin(), ["serve", "--edit", "--root", tmp, "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  editorUrl = `${origin}/tin-tuc/_soan-tin/`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(editorUrl + "dang-nhap");
      if (r.ok) break;
    } catch {}
    if (i > 300) throw new Error(`the editor did not start:\n${output}`);
    await sleep(100);
  }
  browser = await launchBrowser();
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

test("a clerk writes, pastes from Word, uploads a phone photo, previews and publishes", async () => {
  const list = await logIn("hung", { width: 1280, height: 900 });
  const { page } = list;
  await page.getByRole("link", { name: "Hội nghị tổng kết công tác năm 2025" }).waitFor();
  await page.screenshot({ path: path.join(DOCS_IMAGES, "soan-tin-danh-sach.png") });

  await page.getByRole("link", { name: "Viết bài mới" }).first().click();
  await page.waitForURL(/\/_soan-tin\/moi$/);
  await page.getByLabel("Tiêu đề", { exact: true }).fill("Thông báo: Lịch tiếp công dân tháng 12");
  await page.getByLabel("Chuyên mục", { exact: true }).selectOption("Thông báo");
  await page.getByLabel("Tóm tắt (sapo)").fill("Lịch tiếp công dân định kỳ của Ban Giám đốc Sở.");
  await page.getByLabel("Thẻ (cách nhau bằng dấu phẩy)").fill("tiếp công dân");

  // Paste Word's HTML into the body: it becomes Markdown at the cursor, the image an upload.
  const body = page.locator("#f-body");
  await body.focus();
  await page.evaluate((html) => {
    const target = document.getElementById("f-body");
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "Lịch tiếp công dân");
    target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, WORD_HTML);
  await page.waitForFunction(() => document.getElementById("f-body").value.includes("| Ngày"));
  const pasted = await body.inputValue();
  assert.match(pasted, /\*\*Lịch tiếp công dân\*\*/);
  assert.match(pasted, /\| 05\/12\/2026 \| Giám đốc Sở \|/);
  assert.match(pasted, /!\[Sơ đồ phòng tiếp\]\(so-do-phong-tiep\.png\)/);
  assert.doesNotMatch(pasted, /Mso|font-family|o:p/);

  // The phone photo as the featured image, and into the body through the picker.
  const photo = findPhoto();
  await page.setInputFiles("#tai-anh-dai-dien", photo);
  await page.waitForFunction(() => document.querySelector('[name="image"]').value.endsWith(".jpg"), null, {
    timeout: 60_000,
  });
  const featured = await page.locator('[name="image"]').inputValue();
  await page.getByLabel("Chú thích ảnh đại diện").fill("Phòng tiếp công dân của Sở");
  await page.setInputFiles("#chon-tep", photo);
  await page.waitForFunction(() => /!\[\]\(anh-01-2\.jpg\)/.test(document.getElementById("f-body").value), null, {
    timeout: 60_000,
  });

  // The live preview shows the table and the photos.
  const preview = page.locator("#xem-truoc");
  await preview.locator("table").waitFor();
  await preview.locator('img[src*="anh-01-2.jpg"]').waitFor();
  // Screenshots for the README (kept small: the form as a clerk first sees it, the top of the
  // preview).
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(DOCS_IMAGES, "soan-tin-bai-viet.png") });
  const section = page.locator("section.preview");
  await section.evaluate((el) => { el.style.maxHeight = "560px"; el.style.overflow = "hidden"; });
  await section.screenshot({ path: path.join(DOCS_IMAGES, "soan-tin-xem-truoc.png") });
  await section.evaluate((el) => { el.style.maxHeight = ""; el.style.overflow = ""; });

  // Publish now.
  await page.getByLabel("Đăng ngay").check();
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await page.locator("#trang-thai-luu").filter({ hasText: "Đã lưu và đăng" }).waitFor({ timeout: 30_000 });
  // The link to the page appears once the preview has rebuilt (new photos are resized first).
  await page.locator("#xem-bai[href]").waitFor({ timeout: 90_000 });
  const href = await page.locator("#xem-bai").getAttribute("href");
  assert.ok(href && href.startsWith("/tin-tuc/thong-bao/"), href);
  assert.match(page.url(), /\/_soan-tin\/sua\?tep=2026%2F\d\d%2Fthong-bao-lich-tiep-cong-dan-thang-12\.md$/);

  // The file under content/ looks hand-written and holds the uploaded photo's name.
  const month = page.url().match(/tep=(\d{4})%2F(\d\d)/);
  const file = path.join(tmp, "content", month[1], month[2], "thong-bao-lich-tiep-cong-dan-thang-12.md");
  const text = fs.readFileSync(file, "utf8");
  assert.match(text, /^---\ntitle: "Thông báo: Lịch tiếp công dân tháng 12"\ndate: \d{4}-\d\d-\d\d \d\d:\d\d\ncategory: Thông báo\n/);
  assert.match(text, new RegExp(`\nimage: ${featured.replace(".", "\\.")}\nimage_caption: Phòng tiếp công dân của Sở\n`));
  assert.doesNotMatch(text, /draft:/);

  // The public page shows it, with the photo processed into <picture>.
  // (The preview shows drafts: with accounts, only to a logged-in clerk.)
  const published = await openPage(browser, origin + href, { context: list.context });
  const html = await published.page.content();
  assert.match(html, /Lịch tiếp công dân tháng 12/);
  assert.match(html, /<table>/);
  const sources = await published.page.locator("picture source[srcset]").evaluateAll((els) =>
    els.map((e) => e.getAttribute("srcset")),
  );
  assert.ok(sources.some((s) => /\.webp/.test(s) && /840w/.test(s)), JSON.stringify(sources));
  await published.close();
  // The editing area's Content-Security-Policy (no inline script) blocked nothing it needs.
  const blocked = [...list.log.consoleErrors, ...list.log.pageErrors].filter((e) =>
    /Content Security Policy/i.test(e),
  );
  assert.deepEqual(blocked, [], "nothing blocked by the editor's CSP");
  await list.close();
});

test("errors show at their field, focused and described, and the form works at 390 px", async () => {
  const form = await logIn("lan", { width: 390, height: 844 });
  const { page } = form;
  await page.goto(editorUrl + "moi");
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow.scrollWidth <= overflow.clientWidth, `no sideways scrolling at 390 px: ${JSON.stringify(overflow)}`);
  await page.getByLabel("Ngày", { exact: true }).fill("2000-01-01");
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  const title = page.getByLabel("Tiêu đề", { exact: true });
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "f-title");
  assert.equal(await title.getAttribute("aria-invalid"), "true");
  assert.equal(await title.getAttribute("aria-describedby"), "loi-title");
  assert.match(await page.locator("#loi-title").innerText(), /Chưa có tiêu đề/);
  assert.equal(await page.locator("#loi-date").isVisible(), false, "a past date is fine for a draft");
  assert.match(await page.locator("#trang-thai-luu").innerText(), /Chưa lưu/);
  await form.close();
});

test("an editor cannot publish; an approver publishes the editor's draft", async () => {
  const lan = await logIn("lan", { width: 1280, height: 900 });
  await lan.page.goto(editorUrl + "moi");
  // The publishing choices are there, switched off, with the reason.
  assert.equal(await lan.page.getByLabel("Đăng ngay").isDisabled(), true);
  assert.equal(await lan.page.getByLabel("Lưu nháp").isChecked(), true);
  assert.match(await lan.page.locator("fieldset").innerText(), /người duyệt sẽ đăng bài/);
  await lan.page.getByLabel("Tiêu đề", { exact: true }).fill("Kết quả kiểm tra đo lường quý IV");
  await lan.page.locator("#f-body").fill("Đoàn kiểm tra đã làm việc tại 12 cơ sở.");
  await lan.page.getByRole("button", { name: "Lưu", exact: true }).click();
  await lan.page.locator("#trang-thai-luu").filter({ hasText: "Đã lưu nháp" }).waitFor();
  const editUrl = lan.page.url();
  // Forcing the choice past the disabled radio is refused by the server.
  const forced = await lan.page.evaluate(async () => {
    const form = document.getElementById("bai-viet");
    const data = new URLSearchParams(new FormData(form));
    data.set("publish", "dang");
    const r = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content },
    });
    return { status: r.status, body: await r.json() };
  });
  assert.equal(forced.status, 403);
  assert.match(forced.body.message, /người duyệt/);
  await lan.close();

  const hung = await logIn("hung", { width: 1280, height: 900 });
  await hung.page.goto(editUrl);
  await hung.page.getByLabel("Đăng ngay").check();
  await hung.page.getByRole("button", { name: "Lưu", exact: true }).click();
  await hung.page.locator("#trang-thai-luu").filter({ hasText: "Đã lưu và đăng" }).waitFor();
  await hung.page.locator("#xem-bai[href]").waitFor({ timeout: 30_000 });
  const href = await hung.page.locator("#xem-bai").getAttribute("href");
  const published = await openPage(browser, origin + href, { context: hung.context });
  assert.match(await published.page.content(), /Kết quả kiểm tra đo lường quý IV/);
  await published.close();
  await hung.close();

  const log = fs.readFileSync(path.join(tmp, ".trangtin", "nhat-ky-soan-tin.log"), "utf8");
  assert.match(log, /lan \(Biên tập viên\)\tlưu nháp\tcontent\/\d{4}\/\d\d\/ket-qua-kiem-tra-do-luong-quy-iv\.md/);
  assert.match(log, /hung \(Người duyệt\)\tđăng bài\tcontent\/\d{4}\/\d\d\/ket-qua-kiem-tra-do-luong-quy-iv\.md/);
});

test("the editor's pages pass axe (login, list, form, trash)", async () => {
  // axe is injected as an inline script, which the editor's CSP refuses: bypassed here only.
  const login = await openPage(browser, editorUrl + "dang-nhap", { bypassCSP: true });
  assert.deepEqual(await runAxe(login.page), [], "login page");
  await login.close();
  const opened = await logIn("hung", { width: 1280, height: 900, bypassCSP: true });
  for (const route of ["", "moi", "thung-rac", "sua?tep=2026%2F01%2Fhoi-nghi-tong-ket.md"]) {
    await opened.page.goto(editorUrl + route);
    assert.deepEqual(await runAxe(opened.page), [], route || "list");
  }
  await opened.close();
});
