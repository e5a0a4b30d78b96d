// The official documents ("Văn bản") in Chromium, on the sample site served by nginx from
// /tin-tuc/: the listing's filters (type, year, issuing body) followed by click and by
// keyboard, each filter's table holding exactly the documents of content/van-ban/ that match;
// a document's page and its download; the site search finding a document by its number.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { useSuite, assertClean, listFiles, REPO, show } from "./harness.mjs";

const suite = useSuite();

/** The sample documents as their files say (number, type, issuer, year, title). */
function sourceDocuments() {
  const config = fs.readFileSync(path.join(REPO, "config.yaml"), "utf8");
  const organization = config.match(/^organization:\n\s+name:\s*"([^"]+)"/m)[1];
  const dir = path.join(REPO, "content", "van-ban");
  return listFiles(dir)
    .filter((f) => f.endsWith(".md"))
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), "utf8").normalize("NFC");
      const field = (name) => text.match(new RegExp(`^${name}:\\s*(.+)$`, "m"))?.[1].trim().replace(/^"|"$/g, "");
      return {
        number: field("number"),
        type: field("type"),
        issuer: field("issuer") ?? organization,
        year: field("issued").slice(0, 4),
        title: field("title"),
      };
    });
}

/** The numbers in the listing's table, in order. */
function tableNumbers(page) {
  return page.$$eval("main table tbody tr", (rows) =>
    rows.map((r) => r.querySelector("td").textContent.trim().normalize("NFC")),
  );
}

/** The numbers of the source documents `keep` accepts, newest first is not assumed: sorted. */
function expected(keep) {
  return sourceDocuments().filter(keep).map((d) => d.number).sort();
}

/** Follows the filter link named `name` with the mouse. */
async function clickFilter(page, name) {
  const link = page.locator('nav[aria-label="Lọc văn bản"] a', { hasText: name }).first();
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
}

/** Tabs from the top of the page to the filter link named `name` and presses Enter. */
async function keyboardFilter(page, name) {
  await page.locator("body").focus();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      return a && a.closest('nav[aria-label="Lọc văn bản"]') ? a.textContent.trim() : null;
    });
    if (focused === name) {
      const before = page.url();
      await Promise.all([page.waitForURL((u) => u.href !== before), page.keyboard.press("Enter")]);
      return;
    }
  }
  assert.fail(`the filter "${name}" is not reachable with Tab`);
}

/** The listing's state: URL path, the current filter, the table's numbers (sorted). */
async function listing(page) {
  return {
    path: new URL(page.url()).pathname,
    current: (await page.locator('nav[aria-label="Lọc văn bản"] a[aria-current="page"]').allTextContents()).map((t) => t.trim()),
    numbers: (await tableNumbers(page)).sort(),
  };
}

test("the listing shows every document, newest first, with a download for each", async () => {
  const { site } = suite;
  const { page, log, response } = await suite.open(site.url("van-ban/"));
  assert.equal(response.status(), 200);
  const all = sourceDocuments();
  assert.ok(all.length >= 3, show(all));
  const seen = await listing(page);
  assert.deepEqual(seen, { path: "/tin-tuc/van-ban/", current: ["Tất cả"], numbers: expected(() => true) });
  const dates = await page.$$eval("main table tbody time", (ts) => ts.map((t) => t.getAttribute("datetime")));
  assert.deepEqual(dates, [...dates].sort().reverse(), "not newest first");
  const downloads = await page.$$eval("main table tbody tr", (rows) =>
    rows.map((r) => r.querySelectorAll("a[download]").length),
  );
  assert.ok(downloads.every((n) => n >= 1), show(downloads));
  assertClean(log, site.origin, "/van-ban/");
});

test("the type, year and issuing-body filters show exactly their documents (by click)", async () => {
  const { site } = suite;
  const { page, log } = await suite.open(site.url("van-ban/"));
  const docs = sourceDocuments();
  const checks = [
    ...new Set(docs.map((d) => d.type)),
  ].map((type) => [type, (d) => d.type === type, "/tin-tuc/van-ban/loai/"])
    .concat([...new Set(docs.map((d) => d.year))].map((y) => [y, (d) => d.year === y, "/tin-tuc/van-ban/nam/"]))
    .concat([...new Set(docs.map((d) => d.issuer))].map((i) => [i, (d) => d.issuer === i, "/tin-tuc/van-ban/co-quan/"]));
  assert.ok(checks.length >= 6, show(checks));
  for (const [name, keep, prefix] of checks) {
    await clickFilter(page, name);
    const seen = await listing(page);
    assert.ok(seen.path.startsWith(prefix), `${name}: ${seen.path}`);
    assert.deepEqual(seen.current, [name], name);
    assert.deepEqual(seen.numbers, expected(keep), name);
    const title = await page.locator("h1").textContent();
    assert.ok(title.normalize("NFC").includes(name), `${name}: the title is ${title}`);
  }
  // "Tất cả" leads back to every document.
  await clickFilter(page, "Tất cả");
  assert.deepEqual((await listing(page)).numbers, expected(() => true));
  assertClean(log, site.origin, "the filters");
});

test("the filters work by keyboard (Tab to the link, Enter)", async () => {
  const { site } = suite;
  const { page } = await suite.open(site.url("van-ban/"));
  const docs = sourceDocuments();
  const year = docs[0].year;
  await keyboardFilter(page, year);
  assert.deepEqual(await listing(page), {
    path: `/tin-tuc/van-ban/nam/${year}/`,
    current: [year],
    numbers: expected((d) => d.year === year),
  });
  const type = docs.find((d) => d.year !== year)?.type ?? docs[0].type;
  await keyboardFilter(page, type);
  const seen = await listing(page);
  assert.deepEqual(seen.current, [type]);
  assert.deepEqual(seen.numbers, expected((d) => d.type === type));
});

test("a document's page shows its details and its file downloads (200, PDF)", async () => {
  const { site } = suite;
  const { page, log } = await suite.open(site.url("van-ban/"));
  const doc = sourceDocuments().find((d) => d.number.includes("/QĐ-"));
  assert.ok(doc, "no decision (QĐ) among the sample documents");
  await Promise.all([
    page.waitForURL((u) => u.pathname !== "/tin-tuc/van-ban/"),
    page.locator("main table tbody a", { hasText: doc.number }).first().click(),
  ]);
  assert.equal((await page.locator("h1").textContent()).trim().normalize("NFC"), doc.title);
  const details = await page.$$eval("main table tr", (rows) =>
    Object.fromEntries(rows.map((r) => [r.querySelector("th").textContent.trim(), r.querySelector("td").textContent.trim().normalize("NFC")])),
  );
  assert.equal(details["Số ký hiệu"], doc.number, show(details));
  assert.equal(details["Loại văn bản"], doc.type, show(details));
  assert.equal(details["Cơ quan ban hành"], doc.issuer, show(details));
  // The breadcrumb leads back to the listing.
  const crumbs = await page.$$eval(".breadcrumb a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(crumbs.includes("/tin-tuc/van-ban/"), show(crumbs));
  const links = await page.$$eval(".attachments a[download]", (as) => as.map((a) => a.href));
  assert.ok(links.length >= 1, "no download link");
  for (const href of links) {
    const r = await fetch(href);
    assert.equal(r.status, 200, href);
    assert.match(r.headers.get("content-type"), /^application\/pdf/, href);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-", href);
  }
  // And the browser really downloads it when the link is clicked.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".attachments a[download]").first().click()]);
  assert.equal(await download.failure(), null);
  assertClean(log, site.origin, "a document page");
});

test("the site search finds a document by its number", async () => {
  const { site } = suite;
  const doc = sourceDocuments().find((d) => d.number.includes("/QĐ-"));
  const short = doc.number.split("-")[0]; // "456/QĐ", as people type it
  const { page, log } = await suite.open(site.url("tim-kiem/"));
  for (const q of [short, doc.number]) {
    const box = page.getByLabel("Từ khóa");
    await box.fill(q);
    await box.press("Enter");
    await page.waitForFunction(
      (q) => !document.querySelector("[data-search]").hasAttribute("aria-busy") &&
        document.querySelector(".search-status").textContent.includes(`“${q}”`),
      q,
      { timeout: 15000 },
    );
    const results = await page.$$eval(".search-result a", (as) => as.map((a) => ({ text: a.textContent.trim().normalize("NFC"), href: a.href })));
    const hit = results.find((r) => new URL(r.href).pathname.startsWith("/tin-tuc/van-ban/") && r.text.includes(doc.title.slice(0, 20)));
    assert.ok(hit, `${q}: ${show(results)}`);
    assert.equal((await fetch(hit.href)).status, 200);
  }
  assertClean(log, site.origin, "search for a document");
});
