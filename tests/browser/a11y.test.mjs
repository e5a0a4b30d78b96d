// axe-core in Chromium: no violation of impact "serious" or "critical" on the home page, an
// article page, a category page, the documents' listing and a document's page, at 1280 px and
// 375 px (and the article in high contrast).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, runAxe, show, listFiles, fileToUrlPath } from "./harness.mjs";

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

/** The documents' listing (/van-ban/) and one document's page. */
function documentPages() {
  const { site } = suite;
  const page = listFiles(site.outDir).find((f) =>
    /^van-ban\/(?!loai\/|nam\/|co-quan\/|trang\/)[^/]+\/index\.html$/.test(f),
  );
  assert.ok(page, "no document page in the sample site");
  return { documents: site.url("van-ban/"), document: site.url(fileToUrlPath(page)) };
}

for (const width of [1280, 375]) {
  for (const name of ["documents", "document"]) {
    test(`axe: ${name} page at ${width} px has no serious or critical violation`, async () => {
      const url = documentPages()[name];
      const { page, response } = await suite.open(url, { width });
      assert.equal(response.status(), 200, url);
      const violations = await runAxe(page);
      const blocking = violations.filter((v) => BLOCKING.has(v.impact));
      const minor = violations.filter((v) => !BLOCKING.has(v.impact));
      if (minor.length) console.log(`${name} ${width}px, minor axe findings: ${show(minor)}`);
      assert.deepEqual(blocking, [], url);
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
