// The Nu Html Checker (vnu.jar): no error in the HTML as nginx serves it: the home, article and
// category pages, then every other HTML page of the site (one JVM run for all).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, validateHtml, listFiles, fileToUrlPath, show } from "./harness.mjs";

let results;
let main;
const suite = useSuite({
  browser: false,
  setup: async ({ site, pages }) => {
    main = [pages.home, pages.article, pages.category];
    const urls = listFiles(site.outDir)
      .filter((f) => f.endsWith(".html"))
      .map((f) => site.url(fileToUrlPath(f)));
    const docs = [];
    for (const url of new Set([...main, ...urls])) {
      const r = await fetch(url);
      assert.equal(r.status, 200, url);
      assert.match(r.headers.get("content-type"), /^text\/html; charset=utf-8$/i, url);
      const html = await r.text();
      // tin-moi.html is a fragment (the sidebar's "Tin mới", loaded by site.js): checked
      // inside a minimal document.
      const fragment = url.endsWith("/tin-moi.html");
      docs.push({
        name: url,
        html: fragment ? `<!DOCTYPE html><html lang="vi"><title>Tin mới</title>${html}</html>` : html,
      });
    }
    const started = Date.now();
    results = validateHtml(docs, site.tmpDir);
    console.log(`vnu checked ${docs.length} pages in ${Date.now() - started} ms`);
  },
});

function errorsOf(names) {
  const errors = {};
  for (const name of names) {
    const messages = results[name];
    assert.ok(messages, `${name} was not validated`);
    const bad = messages.filter((m) => m.type !== "info");
    const warnings = messages.filter((m) => m.type === "info" && m.subType === "warning");
    if (warnings.length) console.log(`vnu warnings for ${name}: ${show(warnings)}`);
    if (bad.length) errors[name] = bad;
  }
  return errors;
}

test("vnu: the home, article and category pages have no HTML error", () => {
  assert.deepEqual(errorsOf(main), {});
});

test("vnu: every other HTML page of the site has no HTML error", () => {
  const others = Object.keys(results).filter((n) => !main.includes(n) && n !== "(vnu)");
  assert.ok(others.length > 50, `only ${others.length} other pages`);
  assert.deepEqual(errorsOf(others), {});
  assert.deepEqual(results["(vnu)"] ?? [], [], "vnu messages about no page");
});
