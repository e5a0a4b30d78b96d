// Crawls the whole sample site through nginx over HTTP (no browser): every link answers 200,
// no link leaves the host but the sidebar's external links, every output file is served.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { useSuite, crawl, listFiles, fileToUrlPath, tags, show, REPO } from "./harness.mjs";

let result;
const suite = useSuite({ browser: false, setup: async ({ site }) => {
  const started = Date.now();
  result = await crawl(site.baseUrl, {
    origin: site.origin,
    extraStarts: [site.url("sitemap.xml"), site.url("robots.txt")],
  });
  console.log(
    `crawled ${result.pages.size} URLs of ${site.baseUrl} in ${Date.now() - started} ms ` +
      `(${result.external.length} external links, not requested)`,
  );
} });

/** The external links config.yaml gives the sidebar (sidebar_blocks[].links[].url). */
function sidebarLinks() {
  const config = fs.readFileSync(path.join(REPO, "config.yaml"), "utf8");
  const start = config.search(/^sidebar_blocks:/m);
  if (start < 0) return new Set();
  const rest = config.slice(config.indexOf("\n", start) + 1);
  const end = rest.search(/^\S/m);
  const block = end < 0 ? rest : rest.slice(0, end);
  // Links are `{ name: …, url: … }`; a weather block's provider and forecast URLs are not links.
  const links = block.matchAll(/\bname:[^}\n]*\burl:\s*"?(https?:\/\/[^"\s,}]+)/g);
  return new Set([...links].map((m) => new URL(m[1]).href));
}

test("every page, feed, stylesheet, script and image reached from /tin-tuc/ answers 200", () => {
  assert.ok(result.pages.size > 50, `only ${result.pages.size} URLs crawled`);
  assert.deepEqual(result.broken, [], `links that do not answer 200:\n${show(result.broken)}`);
  const kinds = { html: 0, css: 0, js: 0, image: 0, xml: 0 };
  for (const e of result.pages.values()) {
    if (e.type.startsWith("text/html")) kinds.html++;
    else if (e.type.startsWith("text/css")) kinds.css++;
    else if (/javascript/.test(e.type)) kinds.js++;
    else if (e.type.startsWith("image/")) kinds.image++;
    else if (/xml/.test(e.type)) kinds.xml++;
  }
  for (const [kind, n] of Object.entries(kinds)) assert.ok(n > 0, `no ${kind} reached: ${show(kinds)}`);
});

test("redirects stay on the host: /tin-tuc/chung → /tin-tuc/chung/ (301), / → /tin-tuc/", async () => {
  const { site } = suite;
  const r = await fetch(site.url("chung"), { redirect: "manual" });
  assert.equal(r.status, 301);
  assert.equal(new URL(r.headers.get("location"), site.origin).href, site.url("chung/"));
  const root = await fetch(`${site.origin}/`, { redirect: "manual" });
  assert.equal(root.status, 302);
  assert.equal(new URL(root.headers.get("location"), site.origin).href, site.baseUrl);
  for (const e of result.pages.values()) {
    if (e.finalUrl) assert.equal(new URL(e.finalUrl).origin, site.origin, `redirect off the host: ${e.finalUrl}`);
  }
});

test("no link points to another host, except the sidebar's external links", () => {
  const allowed = sidebarLinks();
  assert.ok(allowed.size > 0, "config.yaml lists no sidebar links (the test needs them)");
  const bad = result.external.filter((l) => {
    if (l.invalid) return true;
    if (l.tag !== "a") return true; // a stylesheet, script or image from elsewhere
    if (/\bexternal\b/.test(l.attrs.rel || "")) return false;
    return !allowed.has(new URL(l.href).href);
  });
  assert.deepEqual(bad, [], `links to another host:\n${show(bad)}`);
  // The sidebar's links are really shown (on the home page at least).
  const home = result.pages.get(suite.site.baseUrl);
  for (const href of allowed) assert.ok(home.html.includes(`href="${href}"`), `home page lacks ${href}`);
});

test("#fragment links point to an element that exists", () => {
  const missing = [];
  for (const f of result.fragments) {
    const u = new URL(f.target);
    const id = decodeURIComponent(u.hash.slice(1));
    u.hash = "";
    const target = result.pages.get(u.href);
    if (!target?.ids) continue; // not HTML, or already reported as broken
    if (id && !target.ids.has(id)) missing.push(f);
  }
  assert.deepEqual(missing, [], `fragments without a target:\n${show(missing)}`);
});

test("every file of the build output is served with 200 (alias pages too)", async () => {
  const { site } = suite;
  const files = listFiles(site.outDir).filter((f) => !f.startsWith(".trangtin"));
  const bad = [];
  for (let i = 0; i < files.length; i += 8) {
    await Promise.all(
      files.slice(i, i + 8).map(async (f) => {
        const url = site.url(fileToUrlPath(f));
        const r = await fetch(url, { redirect: "manual" });
        await r.arrayBuffer();
        if (r.status !== 200) bad.push({ file: f, url, status: r.status });
      }),
    );
  }
  assert.deepEqual(bad, [], show(bad));
  const notCrawled = files
    .filter((f) => f.endsWith(".html") && f !== "404.html")
    .map((f) => site.url(fileToUrlPath(f)))
    .filter((u) => !result.pages.has(u));
  if (notCrawled.length) console.log(`pages no link leads to: ${notCrawled.join(", ")}`);
});

test("alias pages send to an article that exists, on the same host", async () => {
  const { site } = suite;
  const aliases = listFiles(site.outDir)
    .filter((f) => f.endsWith(".html"))
    .map((f) => ({ f, html: fs.readFileSync(path.join(site.outDir, f), "utf8") }))
    .filter((p) => /http-equiv="refresh"/i.test(p.html));
  assert.ok(aliases.length > 0, "the sample site has no alias page");
  for (const { f, html } of aliases) {
    const meta = tags(html, ["meta"]).find((t) => (t.attrs["http-equiv"] || "").toLowerCase() === "refresh");
    const target = new URL(meta.attrs.content.replace(/^\s*\d+\s*;\s*url=/i, ""), site.url(fileToUrlPath(f)));
    assert.equal(target.origin, site.origin, `${f}: refresh to another host`);
    const r = await fetch(target, { redirect: "manual" });
    assert.equal(r.status, 200, `${f}: refresh target ${target.href} answers ${r.status}`);
    const canonical = tags(html, ["link"]).find((t) => t.attrs.rel === "canonical");
    assert.equal(new URL(canonical.attrs.href).href, target.href, `${f}: canonical is not the target`);
  }
});

test("a missing page answers 404 with the site's 404 page", async () => {
  const { site } = suite;
  const r = await fetch(site.url("khong-co-trang-nay/"));
  assert.equal(r.status, 404);
  const html = await r.text();
  const own = fs.readFileSync(path.join(site.outDir, "404.html"), "utf8");
  assert.equal(html, own, "nginx did not serve the site's 404.html");
});

test("text is served as UTF-8; pages are revalidated, assets cached", () => {
  const problems = [];
  for (const [url, e] of result.pages) {
    if (e.status !== 200) continue;
    if (/^(text\/|application\/(javascript|json|xml|rss\+xml)|image\/svg\+xml)/.test(e.type) && !/charset=utf-8/i.test(e.type)) {
      problems.push(`${url}: Content-Type ${e.type}`);
    }
    const asset = /\.(css|js|svg|png|jpe?g|gif|webp|ico|pdf)$/i.test(new URL(url).pathname);
    const want = asset ? /max-age=\d+/ : /no-cache/;
    if (!want.test(e.cacheControl || "")) problems.push(`${url}: Cache-Control ${e.cacheControl}`);
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});
