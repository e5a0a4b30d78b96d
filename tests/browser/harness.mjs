// Harness of the browser tests: builds the sample site (config.yaml + content/ of the repository)
// for the subfolder /tin-tuc/, serves it with Debian's nginx and the README's own configuration
// (tests/hosting/nginx-subfolder.conf, ROOT and PORT filled in) and drives Debian's Chromium with
// playwright-core. Every *.test.mjs file of this folder uses it:
//
//   import { test } from "node:test";
//   import { useSuite, assertClean } from "./harness.mjs";
//   const suite = useSuite();                 // before(): build + nginx + chromium; after(): stop
//   test("…", async () => {
//     const { page, log } = await suite.open(suite.pages.article, { width: 375 });
//     …
//     assertClean(log, suite.site.origin);    // no console error, no failed or foreign request
//   });
//
// Environment: TRANGTIN_BIN (the trangtin binary; default target/debug/trangtin), CHROMIUM
// (default /usr/bin/chromium), NGINX (default: nginx on PATH, else /usr/sbin/nginx),
// KEEP_TMP=1 (keep the temporary folder), SCREENSHOTS (default target/browser-screenshots).

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "..", "..");
/** The subfolder the site is served from (as in nginx-subfolder.conf). */
export const BASE_PATH = "/tin-tuc/";
export const NGINX_CONF = path.join(REPO, "tests", "hosting", "nginx-subfolder.conf");
export const THEME_DIR = path.join(REPO, "themes", "tin-hoat-dong");
export const SCREENSHOT_DIR = process.env.SCREENSHOTS || path.join(REPO, "target", "browser-screenshots");

/** Chromium flags that work on this machine's closed network (see the README of the tests). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function trangtinBin() {
  const bin = process.env.TRANGTIN_BIN || path.join(REPO, "target", "debug", "trangtin");
  if (!fs.existsSync(bin)) {
    throw new Error(`trangtin binary not found at ${bin}: run cargo build, or set TRANGTIN_BIN`);
  }
  return bin;
}

export function chromiumPath() {
  return process.env.CHROMIUM || "/usr/bin/chromium";
}

export function nginxPath() {
  if (process.env.NGINX) return process.env.NGINX;
  const found = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  return "/usr/sbin/nginx";
}

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Build

/**
 * Builds the sample site into `${tmp}/public` with base_url http://127.0.0.1:PORT/tin-tuc/.
 * The site folder `${tmp}/site` holds a copy of config.yaml with base_url replaced and symlinks
 * to the repository's content/, themes/ (and templates/, if any). `root` (default: the
 * repository) is the site to build instead: its config.yaml, content/ and templates/, and its
 * themes/ or else the repository's.
 */
export function buildSite(tmp, port, root = REPO) {
  const site = path.join(tmp, "site");
  fs.mkdirSync(site, { recursive: true });
  const baseUrl = `http://127.0.0.1:${port}${BASE_PATH}`;
  const config = fs.readFileSync(path.join(root, "config.yaml"), "utf8");
  const replaced = config.replace(/^base_url:.*$/m, `base_url: "${baseUrl}"`);
  fs.writeFileSync(
    path.join(site, "config.yaml"),
    replaced === config && !/^base_url:/m.test(config) ? `base_url: "${baseUrl}"\n${config}` : replaced,
  );
  for (const name of ["content", "themes", "templates"]) {
    let from = path.join(root, name);
    if (name === "themes" && !fs.existsSync(from)) from = path.join(REPO, name);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(site, name), "dir");
  }
  const out = path.join(tmp, "public");
  const result = spawnSync(trangtinBin(), ["build", "--root", site, "--output", out], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(
      `trangtin build failed (status ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  // nginx's workers may run as another user: let them read the output.
  fs.chmodSync(tmp, 0o755);
  return { siteDir: site, outDir: out, baseUrl, buildLog: result.stdout + result.stderr };
}

// ---------------------------------------------------------------------------------------------
// nginx

/** The README's nginx configuration with ROOT and PORT filled in. */
export function nginxServerConf(root, port) {
  const text = fs.readFileSync(NGINX_CONF, "utf8");
  assert.match(text, /\bROOT\b/, "nginx-subfolder.conf has no ROOT placeholder");
  assert.match(text, /\bPORT\b/, "nginx-subfolder.conf has no PORT placeholder");
  return text.replace(/\bROOT\b/g, root).replace(/\bPORT\b/g, String(port));
}

/** Starts nginx in the foreground with its pid, logs and temp folders under `tmp`. */
export async function startNginx(tmp, root, port) {
  const dir = path.join(tmp, "nginx");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "site.conf"), nginxServerConf(root, port));
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const conf = `# written by tests/browser/harness.mjs
daemon off;
worker_processes 1;
${isRoot ? "user root;\n" : ""}pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    sendfile on;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/site.conf;
}
`;
  const confPath = path.join(dir, "nginx.conf");
  fs.writeFileSync(confPath, conf);
  const child = spawn(nginxPath(), ["-p", dir, "-e", path.join(dir, "error.log"), "-c", confPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  let exited = null;
  // Never leave nginx behind, even if the test process ends abruptly.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.on("exit", (code, signal) => {
    exited = { code, signal };
    process.removeListener("exit", killOnExit);
  });
  child.on("error", (e) => (exited = { error: e }));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  for (;;) {
    if (exited) {
      const log = fs.existsSync(path.join(dir, "error.log"))
        ? fs.readFileSync(path.join(dir, "error.log"), "utf8")
        : "";
      throw new Error(`nginx exited at start (${JSON.stringify(exited)}):\n${output}\n${log}`);
    }
    try {
      await fetch(`${origin}${BASE_PATH}`, { redirect: "manual" });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`nginx did not answer on ${origin} within 10 s:\n${output}`);
      }
      await sleep(50);
    }
  }
  return {
    origin,
    dir,
    process: child,
    errorLog: () => fs.readFileSync(path.join(dir, "error.log"), "utf8"),
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The site: build + nginx

/**
 * Builds the sample site (or the site in the folder `root`) and serves it through nginx on a
 * free loopback port. Returns { origin, baseUrl, url(p), outDir, tmpDir, nginx, stop() }.
 */
export async function startSite({ root = REPO } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trangtin-browser-"));
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = path.join(tmp, `try-${attempt}`);
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    try {
      const built = buildSite(dir, port, root);
      const nginx = await startNginx(dir, built.outDir, port);
      const site = {
        ...built,
        port,
        origin: nginx.origin,
        tmpDir: tmp,
        nginx,
        /** Absolute URL of a path inside the site ("chung/" → http://…/tin-tuc/chung/). */
        url: (p = "") => new URL(p.replace(/^\//, ""), built.baseUrl).href,
        async stop() {
          await nginx.stop();
          if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
        },
      };
      return site;
    } catch (e) {
      lastError = e; // most likely the port was taken in between: try another one
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  throw lastError;
}

// ---------------------------------------------------------------------------------------------
// Chromium

export async function launchBrowser() {
  const { chromium } = require("playwright-core");
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * Records what happens in a page: every request (URL, method, resource type), every failed
 * request and every response with status >= 400, console errors and uncaught exceptions.
 */
export function record(page) {
  const log = { requests: [], failed: [], badResponses: [], consoleErrors: [], pageErrors: [] };
  page.on("request", (r) =>
    log.requests.push({ url: r.url(), method: r.method(), type: r.resourceType() }),
  );
  page.on("requestfailed", (r) =>
    log.failed.push({ url: r.url(), error: r.failure()?.errorText ?? "failed" }),
  );
  page.on("response", (r) => {
    if (r.status() >= 400) log.badResponses.push({ url: r.url(), status: r.status() });
  });
  page.on("console", (m) => {
    if (m.type() === "error") log.consoleErrors.push(`${m.text()} (${m.location()?.url ?? ""})`);
  });
  page.on("pageerror", (e) => log.pageErrors.push(String(e?.stack || e)));
  return log;
}

/** Requests that went to another host than `origin` (data:, blob:, about: are fine). */
export function foreignRequests(log, origin) {
  return log.requests
    .map((r) => r.url)
    .filter((u) => /^(https?|wss?|ftp):/i.test(u) && new URL(u).origin !== origin);
}

/** Fails unless the page had no console error, no exception, no failed or foreign request. */
export function assertClean(log, origin, what = "page") {
  assert.deepEqual(log.consoleErrors, [], `${what}: console errors`);
  assert.deepEqual(log.pageErrors, [], `${what}: uncaught exceptions`);
  assert.deepEqual(log.failed, [], `${what}: failed requests`);
  assert.deepEqual(log.badResponses, [], `${what}: responses >= 400`);
  assert.deepEqual(foreignRequests(log, origin), [], `${what}: requests to another host`);
}

/**
 * Opens `url` in a new browser context (fresh localStorage unless `context` is given).
 * Options: width, height, deviceScaleFactor, javaScriptEnabled, context (reuse), media
 * ("print"), waitUntil, beforeGoto(page) (awaited before the page loads `url`), bypassCSP
 * (for axe, which is injected as an inline script).
 * Returns { page, context, log, response, close() }.
 */
export async function openPage(browser, url, opts = {}) {
  const ownContext = !opts.context;
  const context =
    opts.context ||
    (await browser.newContext({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
      deviceScaleFactor: opts.deviceScaleFactor ?? 1,
      javaScriptEnabled: opts.javaScriptEnabled ?? true,
      locale: "vi-VN",
      reducedMotion: "reduce",
      bypassCSP: opts.bypassCSP ?? false,
    }));
  const page = await context.newPage();
  const log = record(page);
  if (opts.media) await page.emulateMedia({ media: opts.media });
  if (opts.beforeGoto) await opts.beforeGoto(page);
  const response = await page.goto(url, { waitUntil: opts.waitUntil ?? "load" });
  return {
    page,
    context,
    log,
    response,
    async close() {
      await page.close();
      if (ownContext) await context.close();
    },
  };
}

/** Loads the lazy images too (loading="eager") and waits until every image has loaded. */
export function loadAllImages(page) {
  return page.evaluate(() =>
    Promise.all(
      [...document.images].map((img) => {
        img.loading = "eager";
        return img.complete
          ? null
          : new Promise((resolve) => {
              img.addEventListener("load", resolve, { once: true });
              img.addEventListener("error", resolve, { once: true });
            });
      }),
    ),
  );
}

/** `document.documentElement` scrollWidth and clientWidth (horizontal scrolling when >). */
export function horizontalOverflow(page) {
  return page.evaluate(() => {
    const el = document.documentElement;
    const wide = [];
    if (el.scrollWidth > el.clientWidth) {
      for (const node of document.body.querySelectorAll("*")) {
        const r = node.getBoundingClientRect();
        if (r.right > el.clientWidth + 0.5 && r.width > 0) {
          wide.push(`${node.tagName.toLowerCase()}${node.className ? "." + String(node.className).split(" ").join(".") : ""} right=${Math.round(r.right)}`);
          if (wide.length >= 8) break;
        }
      }
    }
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, wide };
  });
}

// ---------------------------------------------------------------------------------------------
// axe-core and the Nu Html Checker

/** Runs axe-core in the page; returns its violations (impact, id, help, nodes' targets). */
export async function runAxe(page, options = {}) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(
    (opts) => window.axe.run(document, opts),
    { resultTypes: ["violations"], ...options },
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(0, 2).join(" ")}`),
  }));
}

export function vnuJar() {
  return require.resolve("vnu-jar/build/dist/vnu.jar");
}

/**
 * Validates HTML documents with the Nu Html Checker (one JVM for all).
 * `docs`: [{ name, html }]. Returns { [name]: [{ type, subType, message, line, extract }] }.
 */
export function validateHtml(docs, tmpDir = os.tmpdir()) {
  const dir = fs.mkdtempSync(path.join(tmpDir, "vnu-"));
  const byFile = {};
  docs.forEach((d, i) => {
    const file = path.join(dir, `${String(i).padStart(3, "0")}.html`);
    fs.writeFileSync(file, d.html);
    byFile[file] = d.name;
  });
  const result = spawnSync(
    "java",
    ["-Xss4m", "-jar", vnuJar(), "--format", "json", "--exit-zero-always", ...Object.keys(byFile)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  if (result.error) throw result.error;
  let parsed;
  try {
    parsed = JSON.parse(result.stderr || result.stdout);
  } catch {
    throw new Error(`vnu printed no JSON (status ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const out = Object.fromEntries(docs.map((d) => [d.name, []]));
  for (const m of parsed.messages) {
    const file = m.url ? fileURLToPath(m.url) : null;
    const name = byFile[file] ?? "(vnu)";
    (out[name] ??= []).push({
      type: m.type,
      subType: m.subType,
      message: m.message,
      line: m.lastLine,
      extract: m.extract,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTML without a browser: links, crawl

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", nbsp: "\u00a0" };
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The attributes of every `<tag …>` of `html` (tags: lower-case names). */
export function tags(html, names) {
  const re = new RegExp(`<(${names.join("|")})(\\s[^>]*)?>`, "gi");
  const found = [];
  for (const m of html.matchAll(re)) {
    const attrs = {};
    for (const a of (m[2] || "").matchAll(/([^\s"'=<>\/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      attrs[a[1].toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
    }
    found.push({ tag: m[1].toLowerCase(), attrs, index: m.index });
  }
  return found;
}

/** Every link of an HTML page: <a href>, <link href>, <img src>, <script src> (plus srcset). */
export function htmlLinks(html, pageUrl) {
  const links = [];
  const body = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const t of tags(body, ["a", "link", "img", "script", "source", "iframe"])) {
    const values = [];
    if (t.attrs.href !== undefined && (t.tag === "a" || t.tag === "link")) values.push(t.attrs.href);
    if (t.attrs.src !== undefined) values.push(t.attrs.src);
    if (t.attrs.srcset) values.push(...t.attrs.srcset.split(",").map((s) => s.trim().split(/\s+/)[0]));
    for (const v of values) {
      const raw = v.trim();
      if (!raw) continue;
      let url;
      try {
        url = new URL(raw, pageUrl);
      } catch {
        links.push({ raw, tag: t.tag, attrs: t.attrs, url: null, index: t.index });
        continue;
      }
      links.push({ raw, tag: t.tag, attrs: t.attrs, url, index: t.index });
    }
  }
  return links;
}

/** The `id`s of an HTML page (for #fragment links). */
export function htmlIds(html) {
  const ids = new Set();
  for (const m of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
  }
  return ids;
}

/** Links of feeds and sitemaps: <loc>, <link>…</link>, <atom:link href>, <guid>. */
export function xmlLinks(xml, pageUrl) {
  const out = [];
  for (const m of xml.matchAll(/<(loc|link)>\s*([^<\s]+)\s*<\/\1>/g)) out.push(decodeEntities(m[2]));
  for (const m of xml.matchAll(/<(?:atom:)?link\s[^>]*href="([^"]+)"/g)) out.push(decodeEntities(m[1]));
  for (const m of xml.matchAll(/<guid[^>]*isPermaLink="true"[^>]*>([^<]+)<\/guid>/g)) out.push(decodeEntities(m[1]));
  for (const m of xml.matchAll(/<enclosure\s[^>]*url="([^"]+)"/g)) out.push(decodeEntities(m[1]));
  return out.map((raw) => ({ raw, tag: "xml", attrs: {}, url: new URL(raw, pageUrl) }));
}

/**
 * Crawls the site over HTTP (no browser) from `start`, following every same-origin link of
 * every HTML page and feed (redirects are followed). Other origins are recorded, never
 * requested. Returns { pages: Map(url → {status, finalUrl, type, html?, ids?, from}), external:
 * [{href, from, attrs}], broken: [...] , fragments: [...] }.
 */
export async function crawl(start, { origin, concurrency = 8, limit = 5000, extraStarts = [] } = {}) {
  const pages = new Map();
  const external = [];
  const fragments = [];
  const queue = [];
  const enqueue = (url, from, raw) => {
    const u = new URL(url);
    u.hash = "";
    const key = u.href;
    if (!pages.has(key)) {
      pages.set(key, { status: null, from: from ? [{ page: from, raw }] : [] });
      queue.push(key);
    } else if (from && pages.get(key).from.length < 5) {
      pages.get(key).from.push({ page: from, raw });
    }
  };
  enqueue(start, null);
  for (const s of extraStarts) enqueue(s, null);

  async function visit(key) {
    const entry = pages.get(key);
    let res;
    try {
      res = await fetch(key, { redirect: "follow" });
    } catch (e) {
      entry.status = `error: ${e.cause?.code || e.message}`;
      return;
    }
    entry.status = res.status;
    entry.finalUrl = res.url;
    entry.redirected = res.redirected;
    entry.type = res.headers.get("content-type") || "";
    entry.cacheControl = res.headers.get("cache-control");
    const isHtml = entry.type.startsWith("text/html");
    const isXml = /xml/.test(entry.type) && !/svg/.test(entry.type);
    if (res.status !== 200 || !(isHtml || isXml)) {
      await res.arrayBuffer();
      return;
    }
    const text = await res.text();
    const links = isHtml ? htmlLinks(text, res.url) : xmlLinks(text, res.url);
    if (isHtml) {
      entry.html = text;
      entry.ids = htmlIds(text);
    }
    for (const link of links) {
      if (!link.url) {
        external.push({ href: link.raw, from: key, attrs: link.attrs, invalid: true });
        continue;
      }
      const proto = link.url.protocol;
      if (proto !== "http:" && proto !== "https:") continue; // mailto:, tel:, data:, javascript:
      if (link.url.origin !== origin) {
        external.push({ href: link.url.href, from: key, tag: link.tag, attrs: link.attrs });
        continue;
      }
      if (link.url.hash && link.tag === "a") {
        fragments.push({ target: link.url.href, from: key, raw: link.raw });
      }
      if (pages.size < limit) enqueue(link.url.href, key, link.raw);
    }
  }

  const running = new Set();
  while (queue.length || running.size) {
    while (queue.length && running.size < concurrency) {
      const key = queue.shift();
      const p = visit(key).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size) await Promise.race(running);
  }
  const broken = [...pages.entries()]
    .filter(([, e]) => e.status !== 200)
    .map(([url, e]) => ({ url, status: e.status, from: e.from }));
  return { pages, external, fragments, broken };
}

/** Every file of a folder, relative paths with "/" (sorted). */
export function listFiles(dir, prefix = "") {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel + "/"));
    else out.push(rel);
  }
  return out;
}

/** The URL path (inside the site) under which an output file is served. */
export function fileToUrlPath(rel) {
  const encoded = rel.split("/").map(encodeURIComponent).join("/");
  return encoded.endsWith("index.html") ? encoded.slice(0, -"index.html".length) : encoded;
}

// ---------------------------------------------------------------------------------------------
// The pages the tests look at

/**
 * Picks the sample pages from the build output: home, category (the first category of
 * config.yaml that has articles), article (the article page with the most to show: figure,
 * table, "Các bài khác", tags), another article (from its "Các bài khác"), a paginated listing.
 * Values are absolute URLs.
 */
export function samplePages(site) {
  const files = listFiles(site.outDir).filter((f) => f.endsWith(".html"));
  const read = (f) => fs.readFileSync(path.join(site.outDir, f), "utf8");
  const articles = [];
  let paginated = null;
  const categories = [];
  for (const f of files) {
    const html = read(f);
    if (/<body class="kind-article"/.test(html)) {
      const score =
        (/class="article-figure"/.test(html) ? 4 : 0) +
        (/<table/.test(html) ? 2 : 0) +
        (/data-list="other"/.test(html) ? 8 : 0) +
        (/data-list="related"/.test(html) ? 1 : 0) +
        (/class="article-tags"/.test(html) ? 1 : 0);
      articles.push({ f, score, html });
    }
    if (!paginated && /class="pagination"/.test(html) && /rel="next"/.test(html)) paginated = f;
    if (/<body class="kind-category"/.test(html) && /class="news-item/.test(html)) {
      categories.push(f);
    }
  }
  assert.ok(articles.length > 1, "the sample site has fewer than two article pages");
  articles.sort((a, b) => b.score - a.score || (a.f < b.f ? -1 : 1));
  const article = articles[0];
  const other = htmlLinks(
    article.html.slice(article.html.indexOf('data-list="other"')),
    site.url(fileToUrlPath(article.f)),
  ).find((l) => l.tag === "a");
  const url = (f) => site.url(fileToUrlPath(f));
  // The first category of config.yaml that has articles, else any.
  const slugs = [...fs.readFileSync(path.join(site.siteDir, "config.yaml"), "utf8").matchAll(/^\s+slug:\s*"?([^"\s#]+)/gm)].map((m) => m[1]);
  const category = slugs.map((s) => `${s}/index.html`).find((f) => categories.includes(f)) ?? categories[0];
  return {
    home: site.baseUrl,
    article: url(article.f),
    otherArticle: other ? other.url.href : url(articles[1].f),
    category: category ? url(category) : null,
    paginated: paginated ? url(paginated) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// One call for a test file

/**
 * Registers before()/after() hooks: builds and serves the site (the sample site, or the one in
 * the folder `root`), launches Chromium (unless { browser: false }), then awaits `setup(suite)`
 * if given (use it rather than a second top-level before(): Node 20 does not wait for one root
 * hook before starting the next).
 * Returns an object whose fields are filled in before the tests run: site, browser, pages,
 * open(url, opts) (a page recorded and closed by after()).
 */
export function useSuite({ browser: wantBrowser = true, setup, root = REPO } = {}) {
  const suite = { site: null, browser: null, pages: null, opened: [] };
  suite.open = async (url, opts = {}) => {
    const p = await openPage(suite.browser, url, opts);
    suite.opened.push(p);
    return p;
  };
  before(async () => {
    suite.site = await startSite({ root });
    suite.pages = samplePages(suite.site);
    if (wantBrowser) suite.browser = await launchBrowser();
    if (setup) await setup(suite);
  });
  after(async () => {
    for (const p of suite.opened) await p.close().catch(() => {});
    if (suite.browser) await suite.browser.close().catch(() => {});
    if (suite.site) await suite.site.stop();
  });
  return suite;
}

/** Pretty-prints a value for an assertion message. */
export function show(value) {
  return JSON.stringify(value, null, 2);
}

