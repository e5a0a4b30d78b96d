//! RSS 2.0 feeds: the whole site's and one per category.

use super::xml::{self, text_element, xml_safe, XmlWriter};
use crate::html::escape_html;
use crate::render::values::{list, opt, Obj};
use crate::site::{ArticleId, Site};
use quick_xml::events::BytesText;
use tera::Value;

/// One feed to write.
pub struct Feed<'a> {
    /// Channel title.
    pub title: String,
    /// Channel description.
    pub description: String,
    /// URL path (with base path) of the page the feed belongs to.
    pub page_url: String,
    /// URL path (with base path) of the feed itself.
    pub feed_url: String,
    /// Articles, newest first (only the first `feed_limit` are written).
    pub items: &'a [ArticleId],
}

/// The values an `rss.xml` template gets as `feed`: `title`, `description`, `link` (the
/// page's absolute URL), `feed_url` (absolute), `last_build_date` (RFC 2822, or none) and
/// `items`, each with `title`, `link`, `pub_date` (RFC 2822), `description` (the summary, as
/// text), `category` and `author` (or none).
pub fn value(site: &Site, feed: &Feed<'_>) -> Value {
    let config = &site.config;
    let items = &feed.items[..feed.items.len().min(config.feed_limit)];
    let rfc2822 = |id: ArticleId| {
        site.articles[id]
            .date
            .with_timezone(&config.timezone)
            .to_rfc2822()
    };
    Obj::new()
        .set("title", feed.title.as_str())
        .set("description", feed.description.as_str())
        .set("link", config.permalink(&feed.page_url))
        .set("feed_url", config.permalink(&feed.feed_url))
        .set(
            "last_build_date",
            items
                .first()
                .map_or_else(Value::none, |&id| rfc2822(id).into()),
        )
        .set(
            "items",
            list(items.iter().map(|&id| {
                let a = &site.articles[id];
                Obj::new()
                    .set("title", a.title.as_str())
                    .set("link", config.permalink(&site.urls[id]))
                    .set("pub_date", rfc2822(id))
                    .set("description", site.summary(id))
                    .set("category", opt(site.category(id).map(|c| c.name.as_str())))
                    .set("author", opt(a.author.as_deref()))
                    .build()
            })),
        )
        .build()
}

/// Writes a feed as RSS 2.0 XML.
pub fn rss(site: &Site, feed: &Feed<'_>) -> Vec<u8> {
    let config = &site.config;
    let items = &feed.items[..feed.items.len().min(config.feed_limit)];
    xml::document(|writer| {
        writer
            .create_element("rss")
            .with_attribute(("version", "2.0"))
            .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
            .with_attribute(("xmlns:dc", "http://purl.org/dc/elements/1.1/"))
            .write_inner_content(|w| {
                w.create_element("channel").write_inner_content(|w| {
                    text_element(w, "title", &feed.title)?;
                    text_element(w, "link", &config.permalink(&feed.page_url))?;
                    text_element(w, "description", &feed.description)?;
                    text_element(w, "language", &config.language)?;
                    w.create_element("atom:link")
                        .with_attribute(("href", config.permalink(&feed.feed_url).as_str()))
                        .with_attribute(("rel", "self"))
                        .with_attribute(("type", "application/rss+xml"))
                        .write_empty()?;
                    if let Some(&newest) = items.first() {
                        let date = site.articles[newest].date.with_timezone(&config.timezone);
                        text_element(w, "lastBuildDate", &date.to_rfc2822())?;
                    }
                    for &id in items {
                        item(w, site, id)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })
            .map(|_| ())
    })
}

fn item(w: &mut XmlWriter, site: &Site, id: ArticleId) -> std::io::Result<()> {
    let config = &site.config;
    let a = &site.articles[id];
    let link = config.permalink(&site.urls[id]);
    w.create_element("item").write_inner_content(|w| {
        text_element(w, "title", &a.title)?;
        text_element(w, "link", &link)?;
        w.create_element("guid")
            .with_attribute(("isPermaLink", "true"))
            .write_text_content(BytesText::new(&xml_safe(&link)))?;
        let date = a.date.with_timezone(&config.timezone);
        text_element(w, "pubDate", &date.to_rfc2822())?;
        // Feed readers read `description` as HTML: the summary (text) is escaped as HTML
        // first, then as XML by `text_element`, so `<img onerror=...>` in a summary is shown
        // as written instead of run.
        text_element(w, "description", &escape_html(site.summary(id)))?;
        if let Some(c) = site.category(id) {
            text_element(w, "category", &c.name)?;
        }
        if let Some(author) = &a.author {
            text_element(w, "dc:creator", author)?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_escaped_as_html_before_xml() {
        let html = escape_html("A & B <img src=x onerror=alert(1)> \"c\"");
        assert_eq!(
            html,
            "A &amp; B &lt;img src=x onerror=alert(1)&gt; &quot;c&quot;"
        );
        let xml = crate::output::xml::document(|w| text_element(w, "description", &html));
        let xml = String::from_utf8(xml).unwrap();
        assert!(xml.contains("&amp;lt;img src=x"), "{xml}");
        assert!(!xml.contains("&lt;img"), "{xml}");
    }
}
