// theme_settings in config.yaml, in Chromium: the sample site with its own colours, a banner
// and a font. The values apply (header band, menu, buttons, font, banner behind the band);
// the high-contrast switch still wins over them; axe and the validator find nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useSuite, assertClean, runAxe, validateHtml, REPO, show } from "./harness.mjs";

// The sample site (its content/ linked, the built-in theme) with theme settings added.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "trangtin-theme-settings-"));
fs.symlinkSync(path.join(REPO, "content"), path.join(root, "content"), "dir");
const BANNER = "/images/2023/03/can-dong-ho.svg";
fs.writeFileSync(
  path.join(root, "config.yaml"),
  fs.readFileSync(path.join(REPO, "config.yaml"), "utf8") +
    `\ntheme_settings:\n  primary: "#1a5c2e"\n  accent: "#b3261e"\n  banner: ${BANNER}\n` +
    `  font: 'Georgia, "Times New Roman", serif'\n`,
);
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));

const suite = useSuite({ root });
const BLOCKING = new Set(["serious", "critical"]);

/** The computed colours and font the settings touch. */
function looks(page) {
  return page.evaluate(() => {
    const style = (sel) => {
      const element = document.querySelector(sel);
      return element ? getComputedStyle(element) : { backgroundColor: null };
    };
    return {
      band: style(".header-band").backgroundColor,
      bandImage: style(".header-band").backgroundImage,
      menu: style(".main-nav").backgroundColor,
      current: style('.menu a[aria-current="page"]').backgroundColor,
      button: style(".search-form button").backgroundColor,
      footer: style(".site-footer").backgroundColor,
      font: style("body").fontFamily,
    };
  });
}

test("the settings colour the header, menu, buttons and footer, with the banner and the font", async () => {
  const { site } = suite;
  const { page, log } = await suite.open(site.baseUrl);
  const seen = await looks(page);
  assert.equal(seen.band, "rgb(26, 92, 46)", show(seen));
  assert.equal(seen.menu, "rgb(20, 69, 35)", show(seen)); // #144523, made darker in Rust
  assert.equal(seen.current, "rgb(179, 38, 30)", show(seen));
  assert.equal(seen.button, "rgb(179, 38, 30)", show(seen));
  assert.equal(seen.footer, "rgb(26, 92, 46)", show(seen));
  assert.match(seen.font, /^Georgia, "Times New Roman", serif$/, show(seen));
  assert.match(seen.bandImage, /^linear-gradient\(rgba\(26, 92, 46, 0\.8\), rgba\(26, 92, 46, 0\.8\)\), url\(".*\/tin-tuc\/images\/2023\/03\/can-dong-ho\.svg"\)(, none)?$/, show(seen));
  // The banner really loads (through nginx, under the base path).
  const banner = await fetch(site.url(BANNER));
  assert.equal(banner.status, 200);
  assertClean(log, site.origin, "home with theme settings");
});

test("high contrast still wins over the settings, and they come back when it is off", async () => {
  const { page } = await suite.open(suite.pages.article);
  await page.click("[data-contrast]");
  const on = await looks(page);
  assert.deepEqual(
    { ...on, font: undefined },
    {
      band: "rgb(0, 0, 0)",
      bandImage: "none",
      menu: "rgb(0, 0, 0)",
      current: null, // no menu item is the article
      button: "rgb(0, 0, 0)",
      footer: "rgb(0, 0, 0)",
      font: undefined,
    },
  );
  await page.click("[data-contrast]");
  assert.equal((await looks(page)).band, "rgb(26, 92, 46)");
});

test("axe finds no serious violation with the settings, in both modes, and vnu no error", async () => {
  for (const [url, contrast] of [[suite.site.baseUrl, false], [suite.pages.article, false], [suite.pages.article, true]]) {
    const { page } = await suite.open(url);
    if (contrast) await page.click("[data-contrast]");
    const blocking = (await runAxe(page)).filter((v) => BLOCKING.has(v.impact));
    assert.deepEqual(blocking, [], `${url}, high contrast: ${contrast}`);
  }
  const url = suite.site.baseUrl;
  const html = await (await fetch(url)).text();
  assert.match(html, /<style>:root:not\(\.hc\)\{--blue:#1a5c2e;/);
  const results = validateHtml([{ name: url, html }], suite.site.tmpDir);
  const bad = (results[url] ?? []).filter((m) => m.type !== "info");
  assert.deepEqual(bad, []);
  assert.deepEqual(results["(vnu)"] ?? [], []);
});
