// Page weight with phone photos (issue #14), in Chromium. The photo site: 20 articles, each with
// a 4000×3000 phone photo of ~4.2 MB (EXIF with GPS; detail at every scale, so that resized
// copies weigh what a real photo's do) beside it as its featured image (`image:`), three of
// them `featured`, three with the photo in the body too. tests/browser.rs writes it (Node
// cannot encode JPEGs) into target/tmp/browser-photo-site and passes its path in
// TRANGTIN_PHOTO_SITE; to run this file alone after one `cargo test --test browser`:
//
//   TRANGTIN_PHOTO_SITE=target/tmp/browser-photo-site node --test tests/browser/media.test.mjs
//
// Bytes transferred are counted by the Chrome DevTools Protocol (Network.loadingFinished's
// encodedDataLength: headers and body as received) in a fresh browser context each time (an
// empty cache), after scrolling to the bottom so that lazy images load, and waiting until the
// network has been quiet for half a second. The totals and the largest responses are printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  useSuite,
  assertClean,
  listFiles,
  fileToUrlPath,
  show,
  REPO,
} from "./harness.mjs";

const PHOTO_SITE = path.resolve(
  process.env.TRANGTIN_PHOTO_SITE || path.join(REPO, "target", "tmp", "browser-photo-site"),
);
if (!fs.existsSync(path.join(PHOTO_SITE, "config.yaml"))) {
  throw new Error(
    `no photo site in ${PHOTO_SITE}: \`cargo test --test browser\` writes it ` +
      "(target/tmp/browser-photo-site); or set TRANGTIN_PHOTO_SITE",
  );
}

/** The budgets of issue #14, bytes transferred by the home page (1 MB = 1,000,000 bytes). */
const BUDGETS = [
  { width: 1280, height: 900, limit: 1_500_000 },
  { width: 390, height: 844, limit: 800_000 },
];
/** No single response of the home page over this. */
const LARGEST = 600_000;
/** The widest image the site makes (440, 840, 1680): a wider one is a photo not resized. */
const WIDEST = 1680;

const suite = useSuite({ root: PHOTO_SITE });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n) => n.toLocaleString("en-US");

/**
 * Width and height of a PNG, WebP, JPEG or GIF from its bytes; { width: null } for SVG; null
 * when the format is not known.
 */
function imageSize(b) {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) {
    return { format: "png", width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 30 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") {
    const chunk = b.toString("latin1", 12, 16);
    if (chunk === "VP8X") {
      return { format: "webp", width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
    }
    if (chunk === "VP8 ") {
      return { format: "webp", width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
    }
    if (chunk === "VP8L") {
      const bits = b.readUInt32LE(21);
      return { format: "webp", width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
    }
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Segments up to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC).
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { format: "jpeg", width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
    return null;
  }
  if (b.length >= 10 && b.toString("latin1", 0, 3) === "GIF") {
    return { format: "gif", width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (/<svg[\s>]/.test(b.toString("utf8", 0, 1000))) return { format: "svg", width: null, height: null };
  return null;
}

/**
 * Opens `url` in a fresh context at `width`×`height` and `deviceScaleFactor`, scrolls to the
 * bottom step by step, waits for a quiet network; returns the page, its log and every response
 * with the bytes it took ({ url, type, mime, status, bytes, fromCache }), and the total.
 */
async function loadAndWeigh(url, { width, height, deviceScaleFactor = 1 }) {
  const requests = new Map();
  const redirects = [];
  const inflight = new Set();
  let lastActivity = Date.now();
  const opened = await suite.open(url, {
    width,
    height,
    deviceScaleFactor,
    beforeGoto: async (page) => {
      const cdp = await page.context().newCDPSession(page);
      cdp.on("Network.requestWillBeSent", (e) => {
        lastActivity = Date.now();
        if (e.redirectResponse) {
          redirects.push({
            url: requests.get(e.requestId)?.url ?? e.redirectResponse.url,
            type: "redirect",
            mime: "",
            status: e.redirectResponse.status,
            bytes: e.redirectResponse.encodedDataLength,
          });
        }
        requests.set(e.requestId, { url: e.request.url, type: e.type, mime: "", status: null, bytes: 0 });
        inflight.add(e.requestId);
      });
      cdp.on("Network.responseReceived", (e) => {
        const r = requests.get(e.requestId);
        if (!r) return;
        r.status = e.response.status;
        r.mime = e.response.mimeType;
        r.fromCache = Boolean(
          e.response.fromDiskCache || e.response.fromServiceWorker || e.response.fromPrefetchCache,
        );
      });
      cdp.on("Network.loadingFinished", (e) => {
        lastActivity = Date.now();
        const r = requests.get(e.requestId);
        if (r) r.bytes = e.encodedDataLength;
        inflight.delete(e.requestId);
      });
      cdp.on("Network.loadingFailed", (e) => {
        lastActivity = Date.now();
        const r = requests.get(e.requestId);
        if (r) r.failed = e.errorText;
        inflight.delete(e.requestId);
      });
      await cdp.send("Network.enable");
    },
  });
  const { page } = opened;
  // Down a screen at a time, as a reader would: every lazy image comes near the viewport.
  await page.evaluate(async () => {
    for (let steps = 0; steps < 200; steps++) {
      const before = window.scrollY;
      window.scrollBy(0, Math.round(window.innerHeight * 0.8));
      await new Promise((r) => setTimeout(r, 100));
      if (window.scrollY === before) break;
    }
  });
  const deadline = Date.now() + 60_000;
  while (inflight.size > 0 || Date.now() - lastActivity < 500) {
    if (Date.now() > deadline) {
      const pending = [...inflight].map((id) => requests.get(id)?.url);
      throw new Error(`the network of ${url} was not quiet within 60 s: ${show(pending)}`);
    }
    await sleep(50);
  }
  const responses = [...redirects, ...requests.values()];
  const total = responses.reduce((sum, r) => sum + r.bytes, 0);
  return { ...opened, responses, total };
}

/** The width and height of each image response (fetched again, over loopback). */
async function imageSizes(responses) {
  const sizes = new Map();
  for (const r of responses) {
    if (!r.mime.startsWith("image/") || sizes.has(r.url)) continue;
    const res = await fetch(r.url);
    sizes.set(r.url, imageSize(Buffer.from(await res.arrayBuffer())));
  }
  return sizes;
}

/** The responses, largest first, one a line: bytes, type, dimensions, path. */
function describe(responses, sizes, origin, count = responses.length) {
  return [...responses]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count)
    .map((r) => {
      const size = sizes.get(r.url);
      const dims = size?.width ? ` ${size.width}×${size.height}` : "";
      const where = r.url.startsWith(origin) ? r.url.slice(origin.length) : r.url;
      return `  ${fmt(r.bytes).padStart(11)} B  ${(r.mime || r.type).padEnd(16)}${dims.padEnd(11)} ${where}`;
    });
}

/** Prints lines as test diagnostics (the `ℹ` lines of node's output, which cargo shows). */
function report(t, lines) {
  for (const line of lines) t.diagnostic(line);
}

/** The images of the page that are rendered (have a box) and have not loaded. */
function unloadedImages(page) {
  return page.evaluate(() =>
    [...document.images]
      .filter((img) => img.getClientRects().length > 0 && !(img.complete && img.naturalWidth > 0))
      .map((img) => img.currentSrc || img.src),
  );
}

/** Every `<img>` of `<main>` whose width or height attribute is missing or not a positive integer. */
function imagesWithoutSize(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("main img")]
      .filter((img) => !["width", "height"].every((a) => /^[1-9]\d*$/.test(img.getAttribute(a) ?? "")))
      .map((img) => img.outerHTML.slice(0, 300)),
  );
}

/** An article page of the photo site that shows a photo in its body (absolute URL). */
function articleWithBodyPhoto() {
  const { site } = suite;
  for (const f of listFiles(site.outDir).filter((f) => f.endsWith("index.html"))) {
    const html = fs.readFileSync(path.join(site.outDir, f), "utf8");
    if (!/<body class="kind-article"/.test(html)) continue;
    // From the body to the end of the article (attachments, author, tags: no images).
    const start = html.indexOf('class="article-body"');
    const body = start < 0 ? "" : html.slice(start, html.indexOf("</article>", start));
    if (/<img\s/.test(body)) return site.url(fileToUrlPath(f));
  }
  throw new Error("no article page of the photo site shows a photo in its body");
}

for (const { width, height, limit } of BUDGETS) {
  test(`the home page of the photo site transfers at most ${fmt(limit)} bytes at ${width} px`, async (t) => {
    const { site } = suite;
    const weighed = await loadAndWeigh(site.baseUrl, { width, height });
    const { page, log, responses, total } = weighed;
    assert.equal(responses[0]?.status, 200, `the home page answers: ${show(responses[0])}`);
    assert.deepEqual(await unloadedImages(page), [], "images on the page that did not load (their bytes would be missing)");
    const sizes = await imageSizes(responses);
    const images = responses.filter((r) => r.mime.startsWith("image/"));
    report(t, [
      `page weight, home page at ${width}×${height} (DPR 1): ${fmt(total)} bytes in ${responses.length} ` +
        `responses (budget ${fmt(limit)}); images ${fmt(images.reduce((s, r) => s + r.bytes, 0))} bytes in ${images.length}`,
      "largest responses:",
      ...describe(responses, sizes, site.origin, 5),
    ]);
    assertClean(log, site.origin, `home page at ${width} px`);
    assert.ok(images.length > 0, "no image was requested: the photo site's home page shows no photo?");
    assert.deepEqual(responses.filter((r) => r.fromCache).map((r) => r.url), [], "responses from a cache: bytes not counted");
    // Every problem at once.
    const problems = [];
    if (total > limit) problems.push(`${fmt(total)} bytes transferred, over the budget of ${fmt(limit)}`);
    const large = responses.filter((r) => r.bytes > LARGEST);
    if (large.length) problems.push(`responses over ${fmt(LARGEST)} bytes:`, ...describe(large, sizes, site.origin));
    const tooWide = images.filter((r) => (sizes.get(r.url)?.width ?? 0) > WIDEST);
    if (tooWide.length) {
      problems.push(
        `images wider than ${WIDEST} px (the 4000-px original photos, not resized):`,
        ...describe(tooWide, sizes, site.origin),
      );
    }
    assert.ok(problems.length === 0, `the home page at ${width} px:\n${problems.join("\n")}`);
  });
}

test("the home page at 390 px on a 2× screen (informative: printed, not checked)", async (t) => {
  const { site } = suite;
  const { responses, total } = await loadAndWeigh(site.baseUrl, { width: 390, height: 844, deviceScaleFactor: 2 });
  const sizes = await imageSizes(responses);
  report(t, [
    `page weight, home page at 390×844 (DPR 2, informative): ${fmt(total)} bytes in ${responses.length} responses`,
    "largest responses:",
    ...describe(responses, sizes, site.origin, 5),
  ]);
});

test("every <img> of the main content has width and height (home page, an article)", async () => {
  const { site } = suite;
  for (const url of [site.baseUrl, articleWithBodyPhoto()]) {
    const { page } = await suite.open(url, { width: 1280, height: 900 });
    assert.ok((await page.locator("main img").count()) > 0, `no <img> in <main> of ${url}`);
    assert.deepEqual(await imagesWithoutSize(page), [], `<img> without width and height on ${url}`);
  }
});

test("an article page requests no photo wider than 1680 px (featured image and body photo)", async () => {
  const { site } = suite;
  const url = articleWithBodyPhoto();
  const { log, responses } = await loadAndWeigh(url, { width: 1280, height: 900 });
  assertClean(log, site.origin, `article ${url}`);
  const sizes = await imageSizes(responses);
  const tooWide = responses.filter((r) => (sizes.get(r.url)?.width ?? 0) > WIDEST);
  assert.ok(
    tooWide.length === 0,
    `images wider than ${WIDEST} px on ${url} (the 4000-px original photos, not resized):\n` +
      describe(tooWide, sizes, site.origin).join("\n"),
  );
});

test("an article's og:image is an absolute http URL that answers 200 with an image", async (t) => {
  const { site } = suite;
  const url = articleWithBodyPhoto();
  const { page } = await suite.open(url);
  const og = await page.getAttribute('meta[property="og:image"]', "content");
  assert.ok(og, `no og:image on ${url}`);
  assert.match(og, /^https?:\/\//, `og:image is not an absolute http URL: ${og}`);
  const ogUrl = new URL(og);
  assert.equal(ogUrl.origin, site.origin, `og:image is not on the site's host: ${og}`);
  const res = await fetch(ogUrl);
  assert.equal(res.status, 200, `og:image ${og}`);
  assert.match(res.headers.get("content-type") ?? "", /^image\//, `og:image ${og} is not an image`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const size = imageSize(bytes);
  assert.ok(size?.width > 0, `og:image ${og} does not read as an image: ${show(size)}`);
  report(t, [`og:image of an article: ${size.format} ${size.width}×${size.height}, ${fmt(bytes.length)} bytes (${og})`]);
});
