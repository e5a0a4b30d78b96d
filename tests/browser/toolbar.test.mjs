// The article toolbar: "Xem cỡ chữ" (A−, A, A+) and "Tương phản cao". Each choice changes the
// page, survives a reload and carries to another article page (localStorage).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, assertClean } from "./harness.mjs";

const suite = useSuite();

const bodySize = (page) =>
  page.$eval(".article-body", (el) => parseFloat(getComputedStyle(el).fontSize));
const leadSize = (page) =>
  page.evaluate(() => {
    const el = document.querySelector(".article-lead");
    return el ? parseFloat(getComputedStyle(el).fontSize) : null;
  });

test("the toolbar is shown with JavaScript, with its labelled buttons", async () => {
  const { page, log } = await suite.open(suite.pages.article);
  const toolbar = page.locator("[data-toolbar]");
  assert.ok(await toolbar.isVisible(), "the toolbar is hidden");
  assert.equal(await page.locator(".toolbar-label").innerText(), "Xem cỡ chữ");
  // A−, A, A+: the visible text (with the CSS marks) and the names read out.
  const buttons = page.locator("[data-font]");
  assert.equal(await buttons.count(), 3);
  const names = await buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
  assert.deepEqual(names, ["Giảm cỡ chữ", "Cỡ chữ mặc định", "Tăng cỡ chữ"]);
  const marks = await buttons.evaluateAll((bs) =>
    bs.map((b) => b.textContent.trim() + getComputedStyle(b, "::after").content.replace(/^"|"$|^none$|^normal$/g, "").split('"')[0]),
  );
  assert.deepEqual(marks, ["A−", "A", "A+"]);
  assert.equal(await page.locator("[data-contrast]").getAttribute("aria-pressed"), "false");
  assertClean(log, suite.site.origin);
});

test("font size: A+ and A− change the article body, A resets; the choice survives a reload and carries to another article", async () => {
  const { pages, site } = suite;
  const { page, context, log } = await suite.open(pages.article);
  const base = await bodySize(page);
  assert.ok(base >= 16, `default body size ${base}px`);

  await page.click('[data-font="up"]');
  const up1 = await bodySize(page);
  assert.ok(up1 > base, `A+ did not enlarge: ${base} → ${up1}`);
  await page.click('[data-font="up"]');
  const up2 = await bodySize(page);
  assert.ok(up2 > up1, `A+ twice: ${up1} → ${up2}`);
  const lead = await leadSize(page);
  if (lead !== null) assert.equal(lead, up2, "the lead paragraph follows the body size");

  await page.reload();
  assert.equal(await bodySize(page), up2, "the size did not survive a reload");

  // Another article page, in the same browser (same localStorage).
  const other = await context.newPage();
  await other.goto(pages.otherArticle);
  assert.equal(await bodySize(other), up2, "the size did not carry to another article");

  // A resets, everywhere.
  await other.click('[data-font="reset"]');
  assert.equal(await bodySize(other), base, "A did not reset the size");
  // (A background tab reloaded gets throttled animation frames: clicks there take seconds.)
  await page.bringToFront();
  await page.reload();
  assert.equal(await bodySize(page), base, "the reset did not carry over");

  // A− makes it smaller than the default, and stops at the smallest step.
  await page.click('[data-font="down"]');
  const down = await bodySize(page);
  assert.ok(down < base, `A− did not shrink: ${base} → ${down}`);
  for (let i = 0; i < 5; i++) await page.click('[data-font="down"]');
  assert.equal(await bodySize(page), down, "A− goes below the smallest step");
  await page.reload();
  assert.equal(await bodySize(page), down, "the smaller size did not survive a reload");
  // and A+ has a largest step.
  for (let i = 0; i < 10; i++) await page.click('[data-font="up"]');
  const max = await bodySize(page);
  assert.ok(max <= base * 1.6, `largest size ${max}px for ${base}px`);
  assertClean(log, site.origin);
  await other.close();
});

test("high contrast: the switch changes the colours and is remembered across pages", async () => {
  const { pages, site } = suite;
  const { page, context, log } = await suite.open(pages.article);
  const colors = () =>
    page.evaluate(() => ({
      hc: document.documentElement.classList.contains("hc"),
      bg: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.querySelector(".article-body")).color,
      pressed: document.querySelector("[data-contrast]").getAttribute("aria-pressed"),
    }));
  const normal = await colors();
  assert.deepEqual(normal, { hc: false, bg: "rgb(255, 255, 255)", text: normal.text, pressed: "false" });

  await page.click("[data-contrast]");
  const on = await colors();
  assert.deepEqual(on, { hc: true, bg: "rgb(0, 0, 0)", text: "rgb(255, 255, 255)", pressed: "true" });

  await page.reload();
  assert.deepEqual(await colors(), on, "high contrast did not survive a reload");

  const other = await context.newPage();
  await other.goto(pages.otherArticle);
  assert.equal(await other.evaluate(() => document.documentElement.classList.contains("hc")), true,
    "high contrast did not carry to another article");
  assert.equal(await other.locator("[data-contrast]").getAttribute("aria-pressed"), "true");
  // Also on a page without the toolbar (the home page).
  await other.goto(pages.home);
  assert.equal(await other.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(0, 0, 0)");

  // Off again, and it stays off.
  await page.bringToFront();
  await page.click("[data-contrast]");
  assert.deepEqual(await colors(), normal);
  await page.reload();
  assert.deepEqual(await colors(), normal, "switching off did not survive a reload");
  assertClean(log, site.origin);
  await other.close();
});

test("the toolbar works by keyboard", async () => {
  const { page } = await suite.open(suite.pages.article);
  const base = await bodySize(page);
  await page.focus('[data-font="up"]');
  await page.keyboard.press("Enter");
  assert.ok((await bodySize(page)) > base, "Enter on A+ did nothing");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Space");
  assert.equal(await bodySize(page), base, "Space on A did not reset");
});
