// The pages in Chromium: no console error, no failed request, no request to another host;
// the links of the breadcrumb, of "Các bài khác" and of the pagination lead to pages that exist.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSuite, assertClean, foreignRequests, loadAllImages, show } from "./harness.mjs";

const suite = useSuite();

/** The pages looked at here: the sample pages plus one of each other kind. */
function pagesToCheck() {
  const { pages, site } = suite;
  return {
    home: pages.home,
    article: pages.article,
    otherArticle: pages.otherArticle,
    category: pages.category,
    paginated: pages.paginated,
    paginatedPage2: pages.paginated && new URL("trang/2/", pages.paginated).href,
    tags: site.url("the/"),
    archive: site.url("luu-tru/"),
    siteMap: site.url("so-do-trang/"),
    standalone: site.url("gioi-thieu/"),
  };
}

for (const width of [1280, 375]) {
  test(`no console error, failed request or request to another host (${width} px)`, async () => {
    const { site } = suite;
    const seen = [];
    for (const [name, url] of Object.entries(pagesToCheck())) {
      assert.ok(url, `no ${name} page in the sample site`);
      const { page, log, response, close } = await suite.open(url, { width });
      assert.equal(response.status(), 200, `${name}: ${url}`);
      await loadAllImages(page);
      assertClean(log, site.origin, `${name} (${url})`);
      seen.push(...log.requests.map((r) => r.url));
      await close();
    }
    // The browser really fetched the stylesheet, the script and images.
    // Linked with the content hash (cache busting): /tin-tuc/css/style.css?v=0123456789.
    assert.ok(seen.some((u) => /\/tin-tuc\/css\/style\.css\?v=[0-9a-f]{10}$/.test(u)), "style.css not requested");
    assert.ok(seen.some((u) => /\/tin-tuc\/js\/site\.js\?v=[0-9a-f]{10}$/.test(u)), "site.js not requested");
    assert.ok(seen.some((u) => /\.(svg|png|jpe?g|webp)$/.test(u)), "no image requested");
  });
}

test("the 404 page works from any depth (stylesheet, script, links)", async () => {
  const { site } = suite;
  const { page, log, response } = await suite.open(site.url("a/b/khong-co/"));
  assert.equal(response.status(), 404);
  log.badResponses = log.badResponses.filter((r) => r.url !== site.url("a/b/khong-co/"));
  log.consoleErrors = log.consoleErrors.filter((e) => !/status of 404/.test(e)); // the page itself
  assertClean(log, site.origin, "404 page");
  const color = await page.evaluate(() => getComputedStyle(document.querySelector(".header-band")).backgroundColor);
  assert.notEqual(color, "rgba(0, 0, 0, 0)", "404 page is unstyled");
  const home = page.locator(".breadcrumb a, .brand").first();
  await Promise.all([page.waitForURL(site.baseUrl), home.click()]);
});

/** The hrefs of the links matched by `selector` on the page. */
async function hrefs(page, selector) {
  return page.$$eval(selector, (as) => as.map((a) => a.href));
}

/** Fetches every URL (redirects followed) and returns those not answering 200. */
async function notOk(urls) {
  const bad = [];
  for (const url of new Set(urls)) {
    const r = await fetch(url);
    await r.arrayBuffer();
    if (r.status !== 200) bad.push({ url, status: r.status });
  }
  return bad;
}

test("breadcrumb, 'Các bài khác' and pagination links lead to pages that exist", async () => {
  const { pages, site } = suite;
  const checked = {};

  // Article: breadcrumb (home, section, category) and "Các bài khác".
  const article = await suite.open(pages.article);
  const crumbs = await hrefs(article.page, "nav.breadcrumb a");
  assert.ok(crumbs.length >= 2, `article breadcrumb has ${crumbs.length} links`);
  assert.equal(crumbs[0], site.baseUrl, "the breadcrumb starts at the home page");
  const other = await hrefs(article.page, '[data-list="other"] a');
  assert.ok(other.length > 0, "the article has no 'Các bài khác' links");
  checked.breadcrumb = crumbs;
  checked.other = other;

  // Category and paginated section: breadcrumb and pagination.
  const category = await suite.open(pages.category);
  checked.categoryBreadcrumb = await hrefs(category.page, "nav.breadcrumb a");
  const listing = await suite.open(pages.paginated);
  const pager = await hrefs(listing.page, "nav.pagination a");
  assert.ok(pager.length >= 2, `pagination has ${pager.length} links`);
  checked.pagination = pager;
  // Every page of the pagination, and the pagination links on each of them.
  for (const url of new Set(pager)) {
    const p = await suite.open(url);
    assert.equal(p.response.status(), 200, url);
    checked.pagination.push(...(await hrefs(p.page, "nav.pagination a")));
    assertClean(p.log, site.origin, url);
    await p.close();
  }
  for (const [name, urls] of Object.entries(checked)) {
    assert.deepEqual(
      urls.filter((u) => new URL(u).origin !== site.origin),
      [],
      `${name}: links to another host`,
    );
    assert.deepEqual(await notOk(urls), [], `${name}: links that do not answer 200`);
  }

  // Clicking through in the browser: a breadcrumb link, an "other" article, "next" page.
  const clickTo = async (p, selector) => {
    const link = p.page.locator(selector).first();
    const href = await link.evaluate((a) => a.href);
    const [response] = await Promise.all([p.page.waitForNavigation(), link.click()]);
    assert.equal(p.page.url(), href);
    assert.equal(response.status(), 200, href);
  };
  await clickTo(article, '[data-list="other"] a');
  await clickTo(article, "nav.breadcrumb li:last-child a");
  await clickTo(listing, 'nav.pagination a[rel="next"]');
  assertClean(article.log, site.origin, "article, clicked through");
  assertClean(listing.log, site.origin, "listing, clicked through");
});

test("menu links lead to pages that exist and mark the current page", async () => {
  const { site } = suite;
  const home = await suite.open(site.baseUrl);
  const menu = await home.page.$$eval(".main-nav a", (as) => as.map((a) => a.href));
  assert.ok(menu.length >= 3, "the menu has fewer than 3 links");
  assert.deepEqual(await notOk(menu), [], "menu links that do not answer 200");
  const current = await home.page.$$eval('.main-nav a[aria-current="page"]', (as) => as.map((a) => a.href));
  assert.deepEqual(current, [site.baseUrl]);
});

test("an alias page (old URL) takes the browser to its article", async () => {
  const { site } = suite;
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { listFiles, fileToUrlPath } = await import("./harness.mjs");
  const alias = listFiles(site.outDir).find(
    (f) => f.endsWith(".html") && /http-equiv="refresh"/.test(fs.readFileSync(path.join(site.outDir, f), "utf8")),
  );
  assert.ok(alias, "the sample site has no alias page");
  const p = await suite.open(site.url(fileToUrlPath(alias)), { waitUntil: "commit" });
  await p.page.waitForURL((u) => !u.href.endsWith(".html"), { timeout: 10000 });
  await p.page.waitForLoadState("load");
  assert.equal(await p.page.locator("body.kind-article").count(), 1, `${alias} did not lead to an article`);
  assert.deepEqual(foreignRequests(p.log, site.origin), []);
  assert.deepEqual(p.log.consoleErrors, [], show(p.log.consoleErrors));
});

test("the sidebar's 'Tin mới' lists the newest articles with JS, and links to them without", async () => {
  const { site, pages } = suite;
  const { page, log, close } = await suite.open(pages.article);
  const items = page.locator(".widget-latest li a");
  await items.first().waitFor();
  const listed = await hrefs(page, ".widget-latest li a");
  assert.ok(listed.length >= 5, `'Tin mới' lists ${listed.length} articles`);
  assert.deepEqual(await notOk(listed), []);
  assertClean(log, site.origin, "article with 'Tin mới'");
  await close();
  // Without JS: the page itself lists no article in the sidebar, only a link to the home
  // page's latest news, which lists the same newest article.
  const html = await (await fetch(pages.article)).text();
  const aside = html.slice(html.indexOf("<aside"), html.indexOf("</aside>"));
  const link = aside.match(/<a href="([^"]+)" data-latest="([^"]+)"/);
  assert.ok(link, aside);
  assert.equal(new URL(link[1], pages.article).href, site.url("#tin-moi-nhat"));
  const home = await (await fetch(site.baseUrl)).text();
  assert.ok(home.includes('id="tin-moi-nhat"'), "the link's target");
  assert.ok(home.includes(`href="${new URL(listed[0]).pathname}"`), `home lists ${listed[0]}`);
});
