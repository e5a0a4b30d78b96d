//! What templates see: template values built once per article and shared (Tera 2 values are
//! reference-counted, so putting an article's summary in a hundred lists costs a hundred
//! pointer copies, not a hundred serializations).

use crate::routes::SiteUrls;
use crate::site::pictures::Picture;
use crate::site::{ArticleId, Site};
use crate::widgets::{Block, BlockBody, Link};
use chrono::SecondsFormat;
use rayon::prelude::*;
use tera::Value;

/// A small builder for template maps.
#[derive(Default)]
pub struct Obj(tera::Map);

impl Obj {
    /// An empty map.
    pub fn new() -> Self {
        Obj::default()
    }

    /// Adds a key.
    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// The finished value.
    pub fn build(self) -> Value {
        Value::from(self.0)
    }
}

/// An optional text: the text, or none.
pub fn opt(value: Option<&str>) -> Value {
    value.map_or_else(Value::none, Value::from)
}

/// A list of shared values.
pub fn list(values: impl IntoIterator<Item = Value>) -> Value {
    Value::from(values.into_iter().collect::<Vec<_>>())
}

/// Values shared by every page of one build.
pub struct SharedValues {
    /// `site`
    pub site: Value,
    /// One value per category, in display order.
    pub categories: Vec<Value>,
    /// The summary value of each published article (none for others).
    pub summaries: Vec<Value>,
}

impl SharedValues {
    /// Builds the site value, the category values and every published article's summary.
    pub fn new(site: &Site, extra_urls: &SiteUrls) -> SharedValues {
        let categories: Vec<Value> = (0..site.categories.len())
            .map(|c| category_value(site, c))
            .collect();
        let mut summaries = vec![Value::none(); site.articles.len()];
        let made: Vec<(ArticleId, Value)> = site
            .published
            .par_iter()
            .chain(site.pages.par_iter())
            .chain(site.translated.par_iter())
            .map(|&id| (id, summary_value(site, id, &categories)))
            .collect();
        for (id, value) in made {
            summaries[id] = value;
        }
        SharedValues {
            site: site_value(site, &categories, extra_urls),
            categories,
            summaries,
        }
    }

    /// Summaries of `ids`, in order.
    pub fn summaries_of(&self, ids: &[ArticleId]) -> Value {
        list(ids.iter().map(|&id| self.summaries[id].clone()))
    }
}

/// `value` (a map) with `key` set to `new`.
pub fn with_key(value: Value, key: &str, new: Value) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.to_string().into(), new);
    Value::from(map)
}

/// A date as templates get it: RFC 3339 in the site's time zone.
pub fn date_text(site: &Site, date: chrono::DateTime<chrono::FixedOffset>) -> String {
    date.with_timezone(&site.config.timezone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn site_value(site: &Site, categories: &[Value], urls: &SiteUrls) -> Value {
    let c = &site.config;
    let o = &c.organization;
    let organization = Obj::new()
        .set("name", opt(o.name.as_deref()))
        .set("short_name", opt(o.short_name.as_deref()))
        .set("parent", opt(o.parent.as_deref()))
        .set("responsible", opt(o.responsible.as_deref()))
        .set("address", opt(o.address.as_deref()))
        .set("phone", opt(o.phone.as_deref()))
        .set("email", opt(o.email.as_deref()))
        .set("copyright", opt(o.copyright.as_deref()))
        .set("license", opt(o.license.as_deref()))
        .set("logo", opt(o.logo.as_deref()))
        .build();
    let menu = menu_value(&c.menu);
    let sections = list(site.sections.iter().map(|s| {
        Obj::new()
            .set("name", s.name.as_str())
            .set("slug", s.slug.as_str())
            .set("url", section_url(site, &s.slug))
            .set("count", s.articles.len())
            .set(
                "categories",
                list(s.categories.iter().map(|&c| categories[c].clone())),
            )
            .build()
    }));
    Obj::new()
        .set("title", c.title.as_str())
        .set("description", c.description.as_str())
        .set("image_sizes", c.images.sizes.as_str())
        .set("language", c.language.as_str())
        .set("base_url", c.base_url.as_str())
        .set("base_path", c.base_path.as_str())
        .set("home_url", c.base_path.as_str())
        .set("timezone", c.timezone.to_string())
        .set("organization", organization)
        .set("theme_css", opt(c.theme_settings.css().as_deref()))
        .set("menu", menu)
        .set("categories", list(categories.iter().cloned()))
        .set("sections", sections)
        .set("sidebar_blocks", blocks_value(&c.sidebar_blocks))
        .set("home_blocks", blocks_value(&c.home_blocks))
        .set("search", c.search)
        .set("search_url", urls.search.as_str())
        .set("feed_url", urls.feed.as_str())
        .set("sitemap_url", urls.sitemap.as_str())
        .set("archive_url", urls.archive.as_str())
        .set("tags_url", urls.tags.as_str())
        .set("site_map_url", urls.site_map.as_str())
        .set("latest_url", urls.latest.as_str())
        .set("has_articles", !site.published.is_empty())
        .build()
}

/// The blocks of `sidebar_blocks` or `home_blocks` as templates get them: each with `kind`
/// (`links`, `text`, `banner`, `html`, `weather`), `title` and the fields of its kind.
fn blocks_value(blocks: &[Block]) -> Value {
    let link = |l: &Link| {
        Obj::new()
            .set("name", l.name.as_str())
            .set("url", l.url.as_str())
            .build()
    };
    list(blocks.iter().map(|b| {
        let block = Obj::new().set("title", opt(b.title.as_deref()));
        match &b.body {
            BlockBody::Links { text, links } => block
                .set("kind", if links.is_empty() { "text" } else { "links" })
                .set("text", opt(text.as_deref()))
                .set("links", list(links.iter().map(link))),
            BlockBody::Banner(banner) => block
                .set("kind", "banner")
                .set("image", banner.image.as_str())
                .set("alt", banner.alt.as_str())
                .set("url", opt(banner.url.as_deref()))
                .set("width", banner.width.map_or_else(Value::none, Value::from))
                .set(
                    "height",
                    banner.height.map_or_else(Value::none, Value::from),
                ),
            BlockBody::Html(html) => block.set("kind", "html").set("html", html.as_str()),
            BlockBody::Weather(w) => block
                .set("kind", "weather")
                .set("provider", w.url.as_str())
                .set("place", w.place.as_str())
                .set("forecast_url", opt(w.forecast_url.as_deref())),
        }
        .build()
    }))
}

/// `site.menu`: `{name, url, children: [{name, url}]}` of each entry.
pub fn menu_value(menu: &[crate::widgets::MenuEntry]) -> Value {
    let link = |name: &str, url: &str| Obj::new().set("name", name).set("url", url).build();
    list(menu.iter().map(|m| {
        Obj::new()
            .set("name", m.name.as_str())
            .set("url", m.url.as_str())
            .set(
                "children",
                list(m.children.iter().map(|l| link(&l.name, &l.url))),
            )
            .build()
    }))
}

/// URL of a section's listing.
pub fn section_url(site: &Site, slug: &str) -> String {
    site.routes.category(slug)
}

/// URL of a category's listing.
pub fn category_url(site: &Site, c: usize) -> String {
    site.routes.category(&site.categories[c].slug)
}

fn category_value(site: &Site, c: usize) -> Value {
    let category = &site.categories[c];
    let section = category.section.map(|s| &site.sections[s]);
    let url = category_url(site, c);
    Obj::new()
        .set("name", category.name.as_str())
        .set("slug", category.slug.as_str())
        .set("feed_url", site.routes.feed_of(&url))
        .set("url", url)
        .set("section", opt(section.map(|s| s.name.as_str())))
        .set(
            "section_url",
            section.map_or_else(Value::none, |s| section_url(site, &s.slug).into()),
        )
        .set("description", opt(category.description.as_deref()))
        .set("count", category.articles.len())
        .build()
}

/// A processed featured image for templates: `src` (the fallback at the article column's
/// width), `srcset` and `webp_srcset` (every width), `width` and `height` (of the widest
/// file: its shape, for the `width`/`height` attributes), `large` (the widest fallback).
fn picture_value(picture: Option<&std::sync::Arc<Picture>>) -> Value {
    let Some(picture) = picture else {
        return Value::none();
    };
    let largest = picture.largest();
    Obj::new()
        .set("src", picture.default_width().fallback.as_str())
        .set("srcset", picture.fallback_srcset())
        .set("webp_srcset", picture.webp_srcset())
        .set("width", largest.width)
        .set("height", largest.height)
        .set("large", largest.fallback.as_str())
        .build()
}

fn summary_value(site: &Site, id: ArticleId, categories: &[Value]) -> Value {
    let a = &site.articles[id];
    let image = site.images[id].as_deref();
    let image_alt = a
        .image_alt
        .as_deref()
        .or(a.image_caption.as_deref())
        .unwrap_or(&a.title);
    Obj::new()
        .set("title", a.title.as_str())
        .set("url", site.urls[id].as_str())
        .set("permalink", site.config.permalink(&site.urls[id]))
        .set("date", date_text(site, a.date))
        .set("has_date", a.has_date)
        .set("summary", site.summary(id))
        .set("image", opt(image))
        .set("image_alt", image_alt)
        .set("picture", picture_value(site.pictures.featured(id)))
        .set(
            "category",
            site.category_of[id].map_or_else(Value::none, |c| categories[c].clone()),
        )
        .set("author", opt(a.author.as_deref()))
        .set("featured", a.featured)
        .build()
}

/// The full value of an article page: its summary's fields plus body, tags, lists.
pub fn article_value(
    site: &Site,
    shared: &SharedValues,
    id: ArticleId,
    tags: Value,
    other: &[ArticleId],
    related: &[ArticleId],
) -> Value {
    let a = &site.articles[id];
    let mut map = shared.summaries[id].as_map().cloned().unwrap_or_default();
    let content = site.body_html(id);
    // Every declared field is there (none when the article does not write it), so that a
    // template can test `article.extra.nguon` without `is defined`.
    let mut extra = tera::Map::new();
    for name in &site.config.extra_fields {
        extra.insert(name.clone().into(), Value::none());
    }
    for (k, v) in &a.extra {
        extra.insert(k.clone().into(), v.clone());
    }
    let more = Obj::new()
        .set("content", Value::safe_string(&content))
        .set("lead", opt(a.summary.as_deref()))
        .set(
            "attachments",
            list(site.attachments[id].iter().map(|f| {
                Obj::new()
                    .set("url", f.url.as_str())
                    .set("name", f.name.as_str())
                    .set("type", f.kind())
                    .set("size", f.size_text())
                    .set("bytes", f.size)
                    .build()
            })),
        )
        .set(
            "documents",
            list(site.article_documents[id].iter().map(|&i| {
                let d = &site.documents.list[i];
                Obj::new()
                    .set("number", d.number.as_str())
                    .set("title", d.title.as_str())
                    .set("url", site.documents.urls[i].as_str())
                    .build()
            })),
        )
        .set("author_title", opt(a.author_title.as_deref()))
        .set("image_caption", opt(a.image_caption.as_deref()))
        .set("tags", tags)
        .set(
            "updated",
            a.updated
                .map_or_else(Value::none, |d| date_text(site, d).into()),
        )
        .set("extra", Value::from(extra))
        .set("other", shared.summaries_of(other))
        .set("related", shared.summaries_of(related))
        .set("path", a.display_path());
    if let Some(more) = more.build().into_map() {
        map.extend(more);
    }
    Value::from(map)
}
