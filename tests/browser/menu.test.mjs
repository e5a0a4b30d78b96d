// The dropdown menu ("Giới thiệu" of the sample site) by keyboard, by touch and without
// JavaScript; the blocks of a fixture site (banner, links, HTML, weather) with axe and the Nu
// Html Checker; the weather block filled in from a fake provider on loopback, and left as it is
// (no uncaught error) when the provider answers 500 or never answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import {
  useSuite, assertClean, startSite, runAxe, validateHtml, foreignRequests, freePort, show, REPO,
} from "./harness.mjs";

const suite = useSuite();

const toggle = ".main-nav .sub-toggle";
const submenu = ".main-nav .submenu";
const active = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}.${el.className}|${el.textContent.trim()}` : "";
  });

test("the dropdown by keyboard: Tab to its button, Enter opens, Tab and ↓ reach a child, Escape closes and focus returns", async () => {
  const { page, log } = await suite.open(suite.pages.home);
  assert.equal(await page.locator(toggle).count(), 1);
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "false");
  assert.ok(!(await page.locator(submenu).isVisible()), "the children are shown before the button is used");
  // The parent link stays reachable, then its button comes.
  let reached = false, sawParent = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    const now = await active(page);
    if (now === "a.|Giới thiệu") sawParent = true;
    reached = now.startsWith("button.sub-toggle");
  }
  assert.ok(sawParent, "Tab never reached the parent link");
  assert.ok(reached, "Tab never reached the dropdown's button");
  const name = await page.locator(toggle).evaluate((b) => b.innerText || b.textContent);
  assert.match(name.trim(), /Mục con của Giới thiệu/);

  await page.keyboard.press("Enter");
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "true");
  assert.ok(await page.locator(submenu).isVisible(), "Enter did not open the children");
  await page.keyboard.press("Tab");
  assert.equal(await active(page), "a.|Chức năng, nhiệm vụ");
  assert.ok(await page.locator(submenu).isVisible(), "the children closed when focus entered them");

  await page.keyboard.press("Escape");
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "false");
  assert.ok(!(await page.locator(submenu).isVisible()), "Escape did not close the children");
  assert.ok((await active(page)).startsWith("button.sub-toggle"), "focus did not return to the button");

  // Space opens too; ↓ goes to the first child; leaving the entry by Tab closes it.
  await page.keyboard.press("Space");
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "true");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowDown");
  assert.equal(await active(page), "a.|Chức năng, nhiệm vụ");
  const children = await page.locator(`${submenu} a`).count();
  for (let i = 0; i < children; i++) await page.keyboard.press("Tab");
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "false", "Tab out of the entry left it open");
  assertClean(log, suite.site.origin);
});

test("the dropdown by touch on a phone: a tap opens it, a tap outside closes it", async () => {
  const context = await suite.browser.newContext({
    viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: "vi-VN",
  });
  const { page, log } = await suite.open(suite.pages.home, { context });
  assert.ok(!(await page.locator(submenu).isVisible()));
  await page.locator(toggle).tap();
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "true");
  assert.ok(await page.locator(submenu).isVisible(), "a tap did not open the children");
  const box = await page.locator(`${submenu} a`).first().boundingBox();
  assert.ok(box.height >= 24 && box.x >= 0 && box.x + box.width <= 375, `child link ${show(box)}`);
  await page.locator("main h2").first().tap();
  assert.equal(await page.locator(toggle).getAttribute("aria-expanded"), "false", "a tap outside did not close it");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  assertClean(log, suite.site.origin);
  await context.close();
});

test("without JavaScript the button is hidden and the children are still reachable", async () => {
  const { page } = await suite.open(suite.pages.home, { javaScriptEnabled: false });
  assert.ok(!(await page.locator(toggle).isVisible()), "a button that does nothing is shown");
  await page.locator(".main-nav .has-sub > a").focus();
  assert.ok(await page.locator(submenu).isVisible(), "focus on the parent does not show the children");
  const phone = await suite.open(suite.pages.home, { javaScriptEnabled: false, width: 375 });
  assert.ok(await phone.page.locator(submenu).isVisible(), "on a phone the children are not listed");
});

test("print and high contrast: no menu on paper, the dropdown readable in high contrast", async () => {
  const printed = await suite.open(suite.pages.home, { media: "print" });
  assert.ok(!(await printed.page.locator(".main-nav").isVisible()));
  const { page } = await suite.open(suite.pages.home);
  await page.evaluate(() => document.documentElement.classList.add("hc"));
  await page.locator(toggle).click();
  const colours = await page.locator(`${submenu} a`).first().evaluate((a) => {
    const s = getComputedStyle(a), list = getComputedStyle(a.closest("ul"));
    return { color: s.color, background: list.backgroundColor };
  });
  assert.deepEqual(colours, { color: "rgb(255, 235, 59)", background: "rgb(0, 0, 0)" });
});

// ---------------------------------------------------------------------------------------------
// A fixture site with every block kind, its weather block pointed at a fake provider.

let provider, providerMode = "ok", blocks;
const hanging = [];

before(async () => {
  const port = await freePort();
  provider = http.createServer((req, res) => {
    if (providerMode === "hang") { hanging.push(res); return; }
    const headers = { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" };
    if (providerMode === "500") { res.writeHead(500, headers); res.end("{}"); return; }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ current: { time: "2026-11-29T12:00", temperature_2m: 24.6, weather_code: 61 } }));
  });
  await new Promise((resolve) => provider.listen(port, "127.0.0.1", resolve));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "trangtin-blocks-"));
  fs.mkdirSync(path.join(root, "content", "2026", "11"), { recursive: true });
  fs.mkdirSync(path.join(root, "content", "images"), { recursive: true });
  fs.copyFileSync(
    path.join(REPO, "content", "images", "banner-dich-vu-cong.svg"),
    path.join(root, "content", "images", "banner.svg"),
  );
  fs.writeFileSync(path.join(root, "content", "2026", "11", "tin.md"),
    '---\ntitle: "Lịch tiếp công dân của Sở Khoa học và Công nghệ tháng 12 năm 2026"\ndate: 2026-11-20 08:00\ncategory: "Tin tức"\n---\nNội dung.\n');
  fs.writeFileSync(path.join(root, "config.yaml"), `title: "Sở KH&CN"
categories: [{ name: "Tin tức" }]
menu:
  - { name: "Trang chủ", url: "/" }
  - name: "Tin tức"
    url: "/tin-tuc/"
    children: [{ name: "Thông báo", url: "/tin-tuc/" }]
sidebar_blocks:
  - title: "Thời tiết"
    weather: { enabled: true, url: "http://127.0.0.1:${port}/v1/forecast?current=temperature_2m,weather_code", place: "Quảng Trị" }
  - title: "Thông báo"
    html: "<p>Lịch <strong>tiếp công dân</strong> thứ Năm</p><script>alert(1)</script>"
home_blocks:
  - { image: /images/banner.svg, alt: "Dịch vụ công trực tuyến", url: "/tin-tuc/", width: 600, height: 200 }
  - { title: "Dịch vụ công", links: [{ name: "Thủ tục", url: "/tin-tuc/" }] }
  - { title: "Liên hệ", text: "Số 25 Trần Hưng Đạo" }
`);
  blocks = await startSite({ root });
  blocks.fixtureRoot = root;
});

after(async () => {
  for (const res of hanging) res.destroy();
  if (provider) await new Promise((resolve) => provider.close(resolve));
  if (blocks) {
    await blocks.stop();
    fs.rmSync(blocks.fixtureRoot, { recursive: true, force: true });
  }
});

const weatherNow = (page) => page.locator(".weather-now");

test("the weather block fills in the temperature and sky from the provider", async () => {
  providerMode = "ok";
  const { page, log } = await suite.open(blocks.url(""));
  await page.waitForFunction(() => document.querySelector(".weather-now")?.textContent !== "", null, { timeout: 5000 });
  assert.equal(await weatherNow(page).innerText(), "25 °C, Mưa");
  assert.equal(await page.locator(".weather-place").innerText(), "Quảng Trị");
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.consoleErrors, []);
  const foreign = foreignRequests(log, blocks.origin);
  assert.equal(foreign.length, 1, show(foreign));
  assert.match(foreign[0], /^http:\/\/127\.0\.0\.1:\d+\/v1\/forecast\?/);
});

for (const mode of ["500", "hang"]) {
  test(`when the provider ${mode === "500" ? "answers 500" : "never answers"}, the block keeps its fallback and the page has no error`, async () => {
    providerMode = mode;
    const { page, log } = await suite.open(blocks.url(""));
    // Past the script's 5-second limit for a provider that hangs.
    await page.waitForTimeout(mode === "hang" ? 6000 : 1000);
    assert.equal(await weatherNow(page).innerText(), "");
    assert.ok(!(await weatherNow(page).isVisible()), "an empty line is shown");
    assert.ok(await page.locator(".weather-place").isVisible());
    assert.deepEqual(log.pageErrors, [], "uncaught errors");
    assert.ok(await page.locator(".toolbar, .main-nav").first().isVisible(), "the page broke");
  });
}

test("axe and the Nu Html Checker find nothing on pages with the dropdown and every block kind", async () => {
  providerMode = "ok";
  const pages = [blocks.url(""), blocks.url("tin-tuc/tin/"), suite.pages.home];
  const docs = [];
  for (const url of pages) {
    const { page } = await suite.open(url, { bypassCSP: true });
    await page.locator(toggle).click();
    const violations = (await runAxe(page)).filter((v) => ["serious", "critical"].includes(v.impact));
    assert.deepEqual(violations, [], `${url}: ${show(violations)}`);
    docs.push({ name: url, html: await (await fetch(url)).text() });
  }
  const html = docs.map((d) => d.html).join("");
  assert.ok(html.includes('class="widget widget-html"') && html.includes('class="banner"'));
  assert.ok(!html.includes("alert(1)"), "the HTML block was not sanitized");
  const results = validateHtml(docs);
  const errors = Object.entries(results).flatMap(([name, ms]) =>
    ms.filter((m) => m.type === "error").map((m) => `${name}:${m.line}: ${m.message}`));
  assert.deepEqual(errors, []);
});
