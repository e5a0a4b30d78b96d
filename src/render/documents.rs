//! The pages of the official documents ("Văn bản"): one page per document, and the listing
//! at `/van-ban/` with a static page per type, per year and (when there are several) per
//! issuing body, so the filters work without a server.

use super::values::{list, opt, Obj};
use super::{page_value, paginator_value, Prepared};
use crate::labels::Labels;
use crate::plan::{older_pages, page_items, Plan};
use crate::routes::page_url;
use crate::site::Site;
use crate::text::slug::slugify;
use chrono::Datelike;
use tera::Value;

/// The template of the documents' listings (`/van-ban/` and its filters); a theme without
/// it publishes no document pages.
pub(super) const LISTING_TEMPLATE: &str = "documents.html";
/// The template of one document's page.
const DOCUMENT_TEMPLATE: &str = "document.html";

/// One group of documents a filter shows: its name, URL and documents (indexes into
/// `site.documents.list`, newest first).
struct Group {
    name: String,
    url: String,
    items: Vec<usize>,
}

/// Groups `site.documents.list` by `key` (name, slug), in order of first appearance.
fn groups(
    site: &Site,
    key: impl Fn(&crate::content::Document) -> Option<(String, String)>,
    url: impl Fn(&str) -> String,
) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, d) in site.documents.list.iter().enumerate() {
        let Some((name, slug)) = key(d) else { continue };
        match out.iter_mut().find(|g| g.name == name) {
            Some(g) => g.items.push(i),
            None => out.push(Group {
                name,
                url: url(&slug),
                items: vec![i],
            }),
        }
    }
    out
}

/// Adds every document page and listing page to `plan`.
pub(super) fn add_pages(site: &Site, labels: &Labels, plan: &mut Plan) {
    let docs = &site.documents;
    if docs.list.is_empty() {
        return;
    }
    let routes = &site.routes;
    let values: Vec<Value> = docs
        .list
        .iter()
        .zip(&docs.urls)
        .zip(&docs.bodies)
        .map(|((d, url), body)| document_value(site, labels, d, url, body))
        .collect();
    let mut types = groups(
        site,
        |d| (!d.kind.is_empty()).then(|| (d.kind.clone(), slugify(&d.kind))),
        |slug| routes.documents_of_type(slug),
    );
    types.sort_by_key(|g| crate::text::search_key(&g.name));
    let years = groups(
        site,
        |d| {
            let y = d.issued.year().to_string();
            Some((y.clone(), y))
        },
        |y| routes.documents_of_year(y.parse().unwrap_or_default()),
    );
    let mut issuers = groups(
        site,
        |d| Some((d.issuer.clone(), slugify(&d.issuer))),
        |slug| routes.documents_of_issuer(slug),
    );
    if issuers.len() < 2 {
        issuers.clear();
    }
    let all = Group {
        name: labels.documents.clone(),
        url: routes.documents(),
        items: (0..docs.list.len()).collect(),
    };
    let filter_list = |groups: &[Group], current: &str| {
        list(groups.iter().map(|g| {
            Obj::new()
                .set("name", g.name.as_str())
                .set("url", g.url.as_str())
                .set("count", g.items.len())
                .set("current", g.url == current)
                .build()
        }))
    };
    let listings = std::iter::once((&all, None))
        .chain(types.iter().map(|g| (g, Some("type"))))
        .chain(years.iter().map(|g| (g, Some("year"))))
        .chain(issuers.iter().map(|g| (g, Some("issuer"))));
    let per_page = site.config.per_page;
    for (group, filter) in listings {
        let title = match filter {
            None => group.name.clone(),
            Some(_) => format!("{}: {}", labels.documents, group.name),
        };
        let filters = Obj::new()
            .set("all_title", all.name.as_str())
            .set("all_url", all.url.as_str())
            .set("types", filter_list(&types, &group.url))
            .set("years", filter_list(&years, &group.url))
            .set("issuers", filter_list(&issuers, &group.url))
            .build();
        let listing = Obj::new()
            .set("title", title.as_str())
            .set("url", group.url.as_str())
            .set("filter", opt(filter))
            .set("filter_name", opt(filter.map(|_| group.name.as_str())))
            .set("count", group.items.len())
            .build();
        let total = group.items.len();
        for page in 0..=older_pages(total, per_page) {
            let items = list(
                group.items[page_items(total, per_page, page)]
                    .iter()
                    .map(|&i| values[i].clone()),
            );
            let url = page_url(&group.url, page);
            let page_title = if page > 0 {
                Labels::fill(&labels.page_n, &[("title", &title), ("page", &page)])
            } else {
                title.clone()
            };
            let prepared = Prepared {
                page: page_value(site, "documents", &page_title, "", &url, None),
                output_path: routes.output_path(&url),
                url,
            };
            prepared.push(
                plan,
                LISTING_TEMPLATE,
                vec![
                    ("documents", listing.clone()),
                    ("filters", filters.clone()),
                    (
                        "paginator",
                        paginator_value(&group.url, total, per_page, page, items),
                    ),
                ],
            );
        }
    }
    for ((d, url), value) in docs.list.iter().zip(&docs.urls).zip(values) {
        let page = Prepared::new(site, "document", &d.title, url.clone());
        page.push(plan, DOCUMENT_TEMPLATE, vec![("document", value)]);
    }
}

/// What templates see of one document.
fn document_value(
    site: &Site,
    labels: &Labels,
    d: &crate::content::Document,
    url: &str,
    body: &str,
) -> Value {
    let files = list(d.files.iter().map(|f| {
        let attachment = crate::site::Attachment {
            url: site.links.url_of_asset(&f.source),
            name: f.name().to_string(),
            size: f.size,
        };
        Obj::new()
            .set("url", attachment.url.as_str())
            .set("name", attachment.name.as_str())
            .set("kind", attachment.kind())
            .set("size", attachment.size_text())
            .build()
    }));
    let date = |d: chrono::DateTime<chrono::FixedOffset>| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    Obj::new()
        .set("number", d.number.as_str())
        .set("type", d.kind.as_str())
        .set("issuer", d.issuer.as_str())
        .set("issued", date(d.issued))
        .set(
            "effective",
            d.effective.map_or_else(Value::none, |e| date(e).into()),
        )
        .set("signer", opt(d.signer.as_deref()))
        .set("title", d.title.as_str())
        .set("url", url)
        .set("files", files)
        .set("content", Value::safe_string(body))
        .set("listing_title", labels.documents.as_str())
        .set("listing_url", site.routes.documents())
        .build()
}
