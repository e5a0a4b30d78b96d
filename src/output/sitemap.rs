//! `sitemap.xml`, split into a sitemap index with parts beyond 50,000 URLs as the
//! sitemaps protocol requires.

use super::xml;

/// The most URLs one sitemap file may hold.
pub const MAX_URLS: usize = 50_000;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page: absolute URL and last modification (W3C date-time).
pub type Entry = (String, String);

/// The sitemap files: `[("sitemap.xml", bytes)]`, or an index plus `sitemap-1.xml`, ...
/// `base_url` is the site's absolute base URL (ending with `/`).
pub fn sitemaps(entries: &[Entry], base_url: &str) -> Vec<(String, Vec<u8>)> {
    if entries.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = Vec::new();
    for (n, chunk) in entries.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let lastmod = chunk
            .iter()
            .map(|e| e.1.as_str())
            .max()
            .unwrap_or_default()
            .to_string();
        index.push((format!("{base_url}{name}"), lastmod));
        files.push((name, urlset(chunk)));
    }
    files.insert(
        0,
        (
            "sitemap.xml".into(),
            document("sitemapindex", "sitemap", &index),
        ),
    );
    files
}

fn urlset(entries: &[Entry]) -> Vec<u8> {
    document("urlset", "url", entries)
}

fn document(root: &str, item: &str, entries: &[Entry]) -> Vec<u8> {
    xml::document(|writer| {
        writer
            .create_element(root)
            .with_attribute(("xmlns", NAMESPACE))
            .write_inner_content(|w| {
                for (loc, lastmod) in entries {
                    w.create_element(item).write_inner_content(|w| {
                        xml::text_element(w, "loc", loc)?;
                        if !lastmod.is_empty() {
                            xml::text_element(w, "lastmod", lastmod)?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })
            .map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sites_get_one_sitemap() {
        let files = sitemaps(
            &[("https://x.vn/a/?q=1&b=2".into(), "2020-01-01".into())],
            "https://x.vn/",
        );
        assert_eq!(files.len(), 1);
        let xml = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(
            xml.contains("<loc>https://x.vn/a/?q=1&amp;b=2</loc>"),
            "{xml}"
        );
    }

    #[test]
    fn large_sites_get_an_index_with_parts() {
        let entries: Vec<Entry> = (0..MAX_URLS + 1)
            .map(|i| (format!("https://x.vn/{i}/"), "2020-01-01".into()))
            .collect();
        let files = sitemaps(&entries, "https://x.vn/");
        let names: Vec<_> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://x.vn/sitemap-2.xml</loc>"));
    }
}
