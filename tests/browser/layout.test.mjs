// Layout in Chromium: no horizontal scrolling from 360 px to 1440 px, the pages without
// JavaScript, the print stylesheet, and screenshots for a person to look at.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { useSuite, horizontalOverflow, loadAllImages, assertClean, show, SCREENSHOT_DIR } from "./harness.mjs";

const suite = useSuite();
const NAMES = ["home", "article", "category"];

for (const width of [360, 1440]) {
  test(`no horizontal scrolling at ${width} px (home, article, category)`, async () => {
    for (const name of NAMES) {
      const { page } = await suite.open(suite.pages[name], { width, height: 800 });
      await loadAllImages(page);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= o.clientWidth, `${name} at ${width}px: ${show(o)}`);
    }
  });
}

test("no horizontal scrolling at 360 px with the largest font size", async () => {
  for (const name of NAMES) {
    const { page, context } = await suite.open(suite.pages.article, { width: 360 });
    for (let i = 0; i < 6; i++) await page.click('[data-font="up"]');
    const other = await context.newPage();
    await other.goto(suite.pages[name]);
    await loadAllImages(other);
    const o = await horizontalOverflow(other);
    assert.ok(o.scrollWidth <= o.clientWidth, `${name} at 360px, largest font: ${show(o)}`);
    await other.close();
  }
});

test("without JavaScript the article shows its body, the toolbar stays hidden, links work", async () => {
  const { pages, site } = suite;
  const { page, log } = await suite.open(pages.article, { javaScriptEnabled: false });
  const body = page.locator(".article-body");
  assert.ok(await body.isVisible(), "the article body is hidden");
  assert.ok((await body.innerText()).trim().length > 200, "the article body is (nearly) empty");
  assert.ok(await page.locator(".article-title").isVisible());
  assert.equal(await page.locator("[data-toolbar]").isVisible(), false, "the toolbar shows without JS");
  assert.ok(await page.locator(".main-nav").isVisible(), "the menu is hidden");
  // Navigation: breadcrumb → category, "Các bài khác" → article, menu → home.
  const go = async (selector) => {
    const link = page.locator(selector).first();
    const href = await link.evaluate((a) => a.getAttribute("href"));
    const [response] = await Promise.all([page.waitForNavigation(), link.click()]);
    assert.equal(response.status(), 200, `${selector} → ${href}`);
    assert.equal(page.url(), new URL(href, site.origin).href);
  };
  await go("nav.breadcrumb li:last-child a");
  assert.ok(await page.locator(".news-item").first().isVisible(), "the category lists no article");
  await go(".news-title a");
  assert.ok(await page.locator(".article-body").isVisible());
  await go('[data-list="other"] a');
  await go(".main-nav a");
  assert.equal(page.url(), site.baseUrl);
  // The skip link (first Tab stop, shown on focus) moves to the main content.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.className), "skip-link");
  assert.ok(await page.locator(".skip-link").isVisible());
  await page.keyboard.press("Enter");
  assert.equal(new URL(page.url()).hash, "#noi-dung");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "noi-dung");
  assertClean(log, site.origin, "no-JS navigation");
});

test("print: the menu, sidebar, toolbar and search are hidden; the article and its address are printed", async () => {
  const { page } = await suite.open(suite.pages.article, { media: "print" });
  const shown = (sel) => page.locator(sel).first().isVisible();
  for (const sel of [".main-nav", ".sidebar", "[data-toolbar]", ".search-form", ".breadcrumb", ".more-news", ".skip-link"]) {
    const display = await page.$eval(sel, (el) => getComputedStyle(el).display);
    assert.equal(display, "none", `${sel} is printed`);
  }
  assert.ok(await shown(".article-title"));
  assert.ok(await shown(".article-body"));
  assert.ok(await shown(".print-url"), "the article's address is not printed");
  // The printed article takes the whole width (no sidebar column left).
  const { body, vw } = await page.evaluate(() => ({
    body: document.querySelector(".content").getBoundingClientRect().width,
    vw: document.documentElement.clientWidth,
  }));
  assert.ok(body > vw * 0.9, `article width ${body} of ${vw}`);
  // The screen stylesheet shows both again.
  await page.emulateMedia({ media: "screen" });
  assert.ok(await shown(".main-nav"));
  assert.ok(await shown(".sidebar"));
  // And a PDF can be made.
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 1000);
});

test("screenshots at 375 px and 1280 px of the home, an article and a category page", async (t) => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const written = [];
  for (const width of [375, 1280]) {
    for (const name of NAMES) {
      const { page } = await suite.open(suite.pages[name], { width, height: 900 });
      await loadAllImages(page);
      const file = path.join(SCREENSHOT_DIR, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 5000, `${file} is (nearly) empty`);
      written.push(file);
    }
  }
  // High contrast, for a look.
  const { page } = await suite.open(suite.pages.article, { width: 1280, height: 900 });
  await page.click("[data-contrast]");
  const file = path.join(SCREENSHOT_DIR, "article-1280-contrast.png");
  await page.screenshot({ path: file, fullPage: true });
  written.push(file);
  const message = `screenshots written to ${SCREENSHOT_DIR}: ${written.map((f) => path.basename(f)).join(", ")}`;
  t.diagnostic(message);
  console.log(message);
});

test("an embedded player in an article keeps 16:9 at 390 and 1280 px (not the 150 px default)", async () => {
  for (const width of [390, 1280]) {
    const { page } = await suite.open(suite.pages.article, { width, height: 800 });
    const box = await page.evaluate(() => {
      const frame = document.createElement("iframe");
      frame.setAttribute("width", "560");
      frame.setAttribute("height", "315");
      frame.setAttribute("title", "Video");
      frame.src = "about:blank";
      document.querySelector(".article-body").appendChild(frame);
      const r = frame.getBoundingClientRect();
      return { w: r.width, h: r.height, body: document.querySelector(".article-body").clientWidth };
    });
    assert.ok(Math.abs(box.w - box.body) <= 1, `full width at ${width}px: ${show(box)}`);
    assert.ok(Math.abs(box.h - (box.w * 9) / 16) <= 2, `16:9 at ${width}px: ${show(box)}`);
  }
});

test("a gallery is a grid of photo links that the keyboard reaches and that open the photo", async () => {
  const url = suite.site.url("chung/trien-lam-san-pham-khoa-hoc-va-cong-nghe/");
  for (const [width, minColumns] of [[390, 1], [1280, 3]]) {
    const { page } = await suite.open(url, { width, height: 900 });
    const grid = await page.evaluate(() => {
      const g = document.querySelector(".article-body .gallery");
      const figures = [...g.querySelectorAll("figure")];
      const tops = new Set(figures.map((f) => Math.round(f.getBoundingClientRect().top)));
      return {
        figures: figures.length,
        rows: tops.size,
        captions: figures.map((f) => f.querySelector("figcaption")?.textContent ?? ""),
        links: figures.map((f) => f.querySelector("a")?.getAttribute("href")),
      };
    });
    assert.equal(grid.figures, 3, show(grid));
    assert.ok(grid.captions.every((c) => c.length > 0), `every photo has a caption: ${show(grid)}`);
    assert.ok(grid.rows <= Math.ceil(3 / minColumns), `at least ${minColumns} per row at ${width}px: ${show(grid)}`);
    // Tab reaches each photo link in order.
    const focused = [];
    for (let i = 0; i < 80 && focused.length < 3; i++) {
      await page.keyboard.press("Tab");
      const href = await page.evaluate(() =>
        document.activeElement?.closest(".gallery") ? document.activeElement.getAttribute("href") : null,
      );
      if (href) focused.push(href);
    }
    assert.deepEqual(focused, grid.links, "the keyboard reaches the photos");
    const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.equal(response.status(), 200, "Enter opens the last photo");
  }
});
