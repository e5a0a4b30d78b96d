// English pages of the sample site: the language switch on "Giới thiệu" leads to "About the
// Department" and back, by mouse and by keyboard; the English home and page have
// `lang="en"` and no serious or critical axe violation. (validate.test.mjs checks every HTML
// page of the site, the English ones included, with the Nu Html Checker.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, assertClean, runAxe, show } from "./harness.mjs";

const suite = useSuite();
const BLOCKING = new Set(["serious", "critical"]);
const SWITCH = "a.lang-switch";

test("the language switch goes from Giới thiệu to its English page and back", async () => {
  const { site } = suite;
  const { page, log } = await suite.open(site.url("gioi-thieu/"), { width: 1280 });
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  const toEnglish = page.locator(SWITCH);
  assert.equal(await toEnglish.textContent(), "English");
  assert.equal(await toEnglish.getAttribute("lang"), "en");
  assert.equal(await toEnglish.getAttribute("hreflang"), "en");
  await Promise.all([page.waitForURL(site.url("en/about/")), toEnglish.click()]);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.locator("h1").textContent(), "About the Department");
  assert.equal(await page.locator(".breadcrumb li a").first().textContent(), "Home");
  const toVietnamese = page.locator(SWITCH);
  assert.equal(await toVietnamese.textContent(), "Tiếng Việt");
  assert.equal(await toVietnamese.getAttribute("lang"), "vi");
  await Promise.all([page.waitForURL(site.url("gioi-thieu/")), toVietnamese.click()]);
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  assertClean(log, site.origin);
});

test("the language switch is reached and followed by keyboard at 375 px", async () => {
  const { site } = suite;
  const { page } = await suite.open(site.url("gioi-thieu/"), { width: 375 });
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.classList.contains("lang-switch"));
  }
  assert.ok(reached, "Tab never reached the language switch");
  const box = await page.locator(SWITCH).boundingBox();
  assert.ok(box && box.width > 0 && box.x + box.width <= 375, `switch off screen: ${JSON.stringify(box)}`);
  await Promise.all([page.waitForURL(site.url("en/about/")), page.keyboard.press("Enter")]);
});

for (const [name, path] of [["English home", "en/"], ["English page", "en/about/"]]) {
  for (const width of [1280, 375]) {
    test(`axe: the ${name} at ${width} px has no serious or critical violation`, async () => {
      const { page, log } = await suite.open(suite.site.url(path), { width });
      assert.equal(await page.getAttribute("html", "lang"), "en");
      const violations = await runAxe(page);
      const blocking = violations.filter((v) => BLOCKING.has(v.impact));
      const minor = violations.filter((v) => !BLOCKING.has(v.impact));
      if (minor.length) console.log(`${name} ${width}px, minor axe findings: ${show(minor)}`);
      assert.deepEqual(blocking, [], show(blocking));
      assertClean(log, suite.site.origin);
    });
  }
}

test("the English home lists the English article with an English date", async () => {
  const { page } = await suite.open(suite.site.url("en/"), { width: 1280 });
  const item = page.locator(".news-item").first();
  assert.match(await item.locator(".news-title").textContent(), /Innovation Week/);
  assert.match(await item.locator("time").textContent(), /^\d{1,2} [A-Z][a-z]+ \d{4}$/);
});
