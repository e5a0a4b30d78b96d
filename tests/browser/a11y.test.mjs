// axe-core in Chromium: no violation of impact "serious" or "critical" on the home page, an
// article page and a category page, at 1280 px and 375 px (and the article in high contrast).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, runAxe, show } from "./harness.mjs";

const suite = useSuite();
const BLOCKING = new Set(["serious", "critical"]);

for (const width of [1280, 375]) {
  for (const name of ["home", "article", "category"]) {
    test(`axe: ${name} page at ${width} px has no serious or critical violation`, async () => {
      const { page } = await suite.open(suite.pages[name], { width });
      const violations = await runAxe(page);
      const blocking = violations.filter((v) => BLOCKING.has(v.impact));
      const minor = violations.filter((v) => !BLOCKING.has(v.impact));
      if (minor.length) console.log(`${name} ${width}px, minor axe findings: ${show(minor)}`);
      assert.deepEqual(blocking, [], `${suite.pages[name]}`);
    });
  }
}

test("axe: the article page in high contrast, with the largest font, at 375 px", async () => {
  const { page } = await suite.open(suite.pages.article, { width: 375 });
  await page.click("[data-contrast]");
  for (let i = 0; i < 6; i++) await page.click('[data-font="up"]');
  const blocking = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
  assert.deepEqual(blocking, []);
});
