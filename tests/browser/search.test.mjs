// Site search (/tim-kiem/) in Chromium on the sample site served by nginx from /tin-tuc/:
// Vietnamese with and without diacritics (đ → d too), NFD queries, phrases, filters, the
// header box, the page without JavaScript, and no request to another host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, assertClean, show } from "./harness.mjs";

const suite = useSuite();

const lower = (s) => s.normalize("NFC").toLocaleLowerCase("vi");

/** Opens the search page (with `?query`, if given) and returns the page and its log. */
async function openSearch(query = "") {
  return suite.open(suite.site.url("tim-kiem/") + query);
}

/** Waits until the results for `q` are shown; returns them as {title, href, category, excerpt, marks}. */
async function resultsFor(page, q) {
  await page.waitForFunction(
    (q) => {
      const root = document.querySelector("[data-search]");
      const status = document.querySelector(".search-status").textContent;
      return !root.hasAttribute("aria-busy") && status.includes(`“${q}”`);
    },
    q,
    { timeout: 15000 },
  );
  return page.$$eval(".search-result", (items) =>
    items.map((li) => ({
      title: li.querySelector(".news-title a").textContent,
      href: li.querySelector(".news-title a").href,
      category: li.querySelector(".news-cat")?.textContent ?? null,
      excerpt: li.querySelector(".search-excerpt").textContent,
      marks: [...li.querySelectorAll(".search-excerpt mark")].map((m) => m.textContent),
    })),
  );
}

/** Types `q` in the search box and submits it (Enter). */
async function search(page, q) {
  const box = page.getByLabel("Từ khóa");
  await box.fill(q);
  await box.press("Enter");
  return resultsFor(page, q);
}

async function status(page) {
  return (await page.locator(".search-status").textContent()).trim();
}

test("do luong (no diacritics) finds the articles about đo lường, highlighted, with nothing fetched elsewhere", async () => {
  const { page, log } = await openSearch();
  const results = await search(page, "do luong");
  assert.ok(results.length > 0, "no result");
  const hit = results.find((r) => lower(r.title).includes("đo lường"));
  assert.ok(hit, `no title with "đo lường": ${show(results.map((r) => r.title))}`);
  assert.ok(hit.href.startsWith(suite.site.baseUrl), hit.href);
  assert.ok(
    results.some((r) => r.marks.some((m) => /^(đo|Đo|lường|Lường)/.test(m))),
    `no highlighted đo/lường: ${show(results.slice(0, 3))}`,
  );
  assert.equal(new URL(page.url()).searchParams.get("q"), "do luong", "the query is in the URL");
  assertClean(log, suite.site.origin, "search page");
  // The search fetched only files of the index (search/ of this site), and few of them. (The
  // sidebar's "Tin mới" list, tin-moi.html, is fetched by every page, not by the search.)
  const fetched = log.requests
    .filter((r) => r.type === "fetch")
    .map((r) => r.url)
    .filter((u) => u !== suite.site.url("tin-moi.html"));
  const index = suite.site.url("search/");
  assert.deepEqual(fetched.filter((u) => !u.startsWith(index)), [], "fetches outside search/");
  for (const part of ["meta.json", "t/", "f/"]) {
    assert.ok(fetched.some((u) => u.startsWith(index + part)), `${part}: ${show(fetched)}`);
  }
  let bytes = 0;
  for (const u of fetched) bytes += (await (await fetch(u)).arrayBuffer()).byteLength;
  console.log(`first search for "do luong": ${fetched.length} files of search/, ${bytes} bytes`);
});

test("khoa hoc finds khoa học; typed with diacritics, NFC or NFD, exact matches come first", async () => {
  const { page, log } = await openSearch();
  const plain = await search(page, "khoa hoc");
  assert.ok(plain.some((r) => lower(r.title).includes("khoa học")), show(plain.map((r) => r.title)));
  // search.js finds "hoc" in the shard src/search/fold.rs computes: FNV-1a("hoc") = 0xedc38d11.
  const { shards } = await (await fetch(suite.site.url("search/meta.json"))).json();
  const hoc = suite.site.url(`search/t/${(0xedc38d11 & (shards - 1)).toString(16)}.json`);
  assert.ok(log.requests.some((r) => r.url === hoc), `${hoc} not in ${show(log.requests.map((r) => r.url))}`);

  const nfc = await search(page, "đo lường");
  assert.ok(nfc.length > 0);
  assert.ok(lower(nfc[0].title + " " + nfc[0].excerpt).includes("đo lường"), show(nfc[0]));
  const nfd = await search(page, "đo lường".normalize("NFD"));
  assert.deepEqual(
    nfd.map((r) => r.href),
    nfc.map((r) => r.href),
    "an NFD query finds what the NFC one finds, in the same order",
  );
});

test("a phrase ranks articles containing it first", async () => {
  const { page } = await openSearch();
  const results = await search(page, "sở hữu trí tuệ");
  assert.ok(results.length > 0);
  assert.ok(
    lower(results[0].title + " " + results[0].excerpt).includes("sở hữu trí tuệ"),
    show(results[0]),
  );
});

test("while a last word is still being typed, results for the words before it show", async () => {
  const { page, log } = await openSearch();
  const box = page.getByLabel("Từ khóa");
  await box.pressSequentially("khoa h", { delay: 20 });
  const typing = await resultsFor(page, "khoa h");
  assert.ok(typing.length > 0, "results for khoa while h is unfinished");
  assert.ok(typing.every((r) => /khoa/i.test(r.title + " " + r.excerpt)), show(typing[0]));
  assertClean(log, suite.site.origin, "search page");
});

test("a nonsense query says Không tìm thấy kết quả", async () => {
  const { page, log } = await openSearch();
  const results = await search(page, "xqzvwk");
  assert.equal(results.length, 0);
  assert.match(await status(page), /Không tìm thấy kết quả/);
  assertClean(log, suite.site.origin, "search page");
});

test("the category and year filters narrow the results", async () => {
  const { page } = await openSearch();
  const all = await search(page, "khoa hoc");
  const categories = [...new Set(all.map((r) => r.category).filter(Boolean))];
  assert.ok(categories.length > 1, `results of one category only: ${show(categories)}`);
  const chosen = categories[categories.length - 1];
  await page.locator("#loc-chuyen-muc").selectOption(chosen);
  const narrowed = await resultsFor(page, "khoa hoc");
  assert.ok(narrowed.length > 0 && narrowed.length < all.length, `${narrowed.length} of ${all.length}`);
  assert.ok(narrowed.every((r) => r.category === chosen), show(narrowed));
  assert.equal(new URL(page.url()).searchParams.get("chuyen-muc"), chosen);

  await page.locator("#loc-chuyen-muc").selectOption("");
  const years = await page.$$eval("#loc-nam option", (o) => o.map((x) => x.value).filter(Boolean));
  let narrowedByYear = false;
  for (const year of years) {
    await page.locator("#loc-nam").selectOption(year);
    const some = await resultsFor(page, "khoa hoc");
    if (some.length > 0 && some.length < all.length) narrowedByYear = true;
  }
  assert.ok(narrowedByYear, "no year narrowed the results");
});

test("/tim-kiem/?q= opens with the query, and the header box of any page leads there", async () => {
  const { page } = await openSearch("?q=" + encodeURIComponent("khoa học"));
  assert.equal(await page.getByLabel("Từ khóa").inputValue(), "khoa học");
  const linked = await resultsFor(page, "khoa học");
  assert.ok(linked.length > 0);

  const home = await suite.open(suite.pages.home);
  const box = home.page.locator("#o-tim-kiem");
  await box.fill("do luong");
  await Promise.all([home.page.waitForURL(/\/tin-tuc\/tim-kiem\/\?q=do\+luong$/), box.press("Enter")]);
  const fromHeader = await resultsFor(home.page, "do luong");
  assert.ok(fromHeader.length > 0);
  assertClean(home.log, suite.site.origin, "search from the header box");
});

test("keyboard: Tab reaches the box, the filters and the results", async () => {
  const { page } = await openSearch();
  await search(page, "khoa hoc");
  await page.getByLabel("Từ khóa").focus();
  const order = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className || document.activeElement.tagName));
  }
  for (const id of ["loc-chuyen-muc", "loc-nam"]) assert.ok(order.includes(id), show(order));
  const active = await page.evaluate(() => document.activeElement.closest(".search-result") !== null);
  assert.ok(active || order.some((o) => o === "A"), `Tab never reached a result: ${show(order)}`);
});

test("without JavaScript the page says search needs it and links to the archives", async () => {
  const { page, log } = await suite.open(suite.site.url("tim-kiem/"), { javaScriptEnabled: false });
  const text = await page.locator("main").innerText();
  assert.match(text, /cần JavaScript/);
  const archive = page.locator("main a", { hasText: "lưu trữ tin bài" });
  assert.equal(await archive.getAttribute("href"), "/tin-tuc/luu-tru/");
  assert.equal(await page.locator("form.search-box").isVisible(), false, "a form that cannot work is hidden");
  assert.ok(!log.requests.some((r) => r.url.includes("/search/")), "nothing of the index is fetched");
});
