//! Site search ("Tìm kiếm"): a static, chunked index of the published articles and pages,
//! written under `search/` in the output and searched in the browser by the theme's
//! `js/search.js` on the page `/tim-kiem/`. No server code: the browser fetches only the
//! files a query needs.
//!
//! ## Why not Pagefind
//!
//! The index used to be built by [Pagefind](https://pagefind.app). At 10,000 articles that
//! cost 67–88 s and 3.7 GB of memory on a 2-core machine (still 5 s with titles and summaries
//! alone), against a target of about 1 s for the whole index. This one is built from what the
//! site already holds (title, summary, plain text of the body, date, category), never by
//! re-parsing our HTML, in a fraction of a second (figures in the README).
//!
//! ## Format (`search/`)
//!
//! Documents are numbered 0..N: published articles newest first, then standalone pages,
//! then the official documents ("Văn bản", newest first; no year or category, the number as
//! their summary so that `456/QĐ` and `456/qd-skhcn` find them). So "Mới nhất" is ascending
//! id and a year is a contiguous range of ids.
//!
//! - `meta.json`: `{"version":1,"docs":N,"shards":S,"years":{"2026":[first,last],...},
//!   "categories":["name",...]}`, fetched first.
//! - `category.json`: `[c0,c1,...]`, the index in `categories` of each document's category
//!   (-1 for pages); fetched only when the reader filters by category.
//! - `t/{shard:x}.json`: `{"term":[docDelta,weight,docDelta,weight,...],...}`. A term lives in
//!   shard `fnv1a(term) mod S` ([`shard_of`]); S is a power of two (at least 16) picked
//!   so that an average shard holds 16–32 KB. Doc ids are delta-encoded, ascending; the weight
//!   adds up the occurrences of the term in the document: 3 each in the title, 2 in the
//!   summary, 1 in the body up to 5 (see [`index`]).
//! - `f/{id}.json`: `{"url","title","date","category","text"}` of document `id`, shown with
//!   each result: `url` relative to the base path (`/chung/x/`), so the index works wherever
//!   the site is hosted; `date` as the site shows it (`14/03/2024`); `text` the summary and
//!   the body, cut to [`FRAGMENT_TEXT_BYTES`], for the excerpt and the phrase ranking.
//!
//! ## Vietnamese
//!
//! Terms are folded ([`search_key`](crate::text::search_key)): NFC, lowercase, combining marks dropped, `đ` → `d` (it
//! has no decomposition), so `do luong` finds "đo lường" and an NFD query works like an NFC
//! one. `search.js` folds the query the same way, scores documents with every term by
//! Σ weight × ln(1 + N/df), then reranks the best 20 by their fragments: the exact phrase,
//! then the folded phrase, then (for a query typed with diacritics) the exact syllables
//! anywhere. So exact spellings come first and `sở hữu trí tuệ` ranks the phrase above the
//! scattered syllables.

pub mod index;
mod json;

pub use crate::text::tokens::{fnv1a, fold, shard_of, terms};

use crate::error::{Error, Result};
use crate::site::{ArticleId, Site};
use rayon::prelude::*;

/// Folder of the output that holds the index.
pub const DIR: &str = crate::routes::SEARCH_DIR;

/// Version of the format, in `meta.json`.
pub const VERSION: u32 = 1;

/// Most bytes of text in a fragment (cut at a character boundary, at a space when one is
/// near): enough for an excerpt, as the first results' fragments are all fetched.
pub const FRAGMENT_TEXT_BYTES: usize = 3000;

/// One document of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// URL path relative to the site's base path (`/chung/x/`).
    pub url: String,
    /// The title.
    pub title: &'a str,
    /// Date as shown on the site (`14/03/2024`); empty for a page without a date.
    pub date: String,
    /// Year of publication (articles only): the year filter.
    pub year: Option<i32>,
    /// Index into [`Site::categories`] and name of the category (articles only).
    pub category: Option<(usize, &'a str)>,
    /// The summary written in the front matter, or empty.
    pub summary: &'a str,
    /// Plain text of the body.
    pub body: &'a str,
}

/// The record of article or page `id`.
pub fn record(site: &Site, id: ArticleId) -> Record<'_> {
    use chrono::Datelike;
    let a = &site.articles[id];
    let base = site.config.base_path.trim_end_matches('/');
    let url = site.urls[id].strip_prefix(base).unwrap_or(&site.urls[id]);
    let body = site.bodies[id].as_ref().map_or("", |b| b.plain.as_str());
    let is_article = site.category_of[id].is_some();
    let date = a.date.with_timezone(&site.config.timezone);
    Record {
        url: url.to_string(),
        title: &a.title,
        date: if is_article || a.has_date {
            date.format("%d/%m/%Y").to_string()
        } else {
            String::new()
        },
        year: is_article.then(|| date.year()),
        category: site.category_of[id].map(|c| (c, site.categories[c].name.as_str())),
        summary: a.summary.as_deref().unwrap_or(""),
        body,
    }
}

/// The record of official document `i` (of `site.documents.list`): its abstract as the
/// title, its number as the summary (weighted above the body), its date, no year filter.
pub fn document_record(site: &Site, i: usize) -> Record<'_> {
    let d = &site.documents.list[i];
    let base = site.config.base_path.trim_end_matches('/');
    let url = &site.documents.urls[i];
    Record {
        url: url.strip_prefix(base).unwrap_or(url).to_string(),
        title: &d.title,
        date: d
            .issued
            .with_timezone(&site.config.timezone)
            .format("%d/%m/%Y")
            .to_string(),
        year: None,
        category: None,
        summary: &d.number,
        body: &d.kind,
    }
}

/// Every document in id order: published articles, newest first, then standalone pages,
/// then official documents. Pages in another language than the site's own are left out:
/// the index, its folding and its page speak the site's language.
pub fn records(site: &Site) -> Vec<Record<'_>> {
    let own = |id: &&ArticleId| site.articles[**id].lang == site.config.language;
    let ids: Vec<ArticleId> = site
        .published
        .iter()
        .chain(site.pages.iter().filter(own))
        .copied()
        .collect();
    let mut records: Vec<Record<'_>> = ids.par_iter().map(|&id| record(site, id)).collect();
    records.extend((0..site.documents.list.len()).map(|i| document_record(site, i)));
    records
}

/// Each year with the first and last id of its documents, newest year first. Ids are newest
/// first, so every year is one contiguous range.
pub fn year_ranges(records: &[Record]) -> Vec<(i32, u32, u32)> {
    let mut years: Vec<(i32, u32, u32)> = Vec::new();
    for (id, year) in records.iter().enumerate() {
        let (Some(year), id) = (year.year, id as u32) else {
            continue;
        };
        match years.last_mut() {
            Some(last) if last.0 == year => last.2 = id,
            _ => years.push((year, id, id)),
        }
    }
    debug_assert!(
        years.windows(2).all(|w| w[0].0 > w[1].0),
        "years are contiguous"
    );
    years
}

/// `text` cut to at most `max` bytes: at a character boundary, and at the last space when
/// one is within the last 32 bytes, so words stay whole.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    match cut.rfind(char::is_whitespace) {
        Some(space) if space + 32 >= end => cut[..space].trim_end(),
        _ => cut,
    }
}

/// The text of a fragment: the summary (unless the body repeats it in the part kept), then
/// the body, cut to [`FRAGMENT_TEXT_BYTES`].
pub fn fragment_text(record: &Record) -> String {
    let summary = record.summary.trim();
    let body = record.body.trim();
    let mut text = String::with_capacity(FRAGMENT_TEXT_BYTES);
    if !summary.is_empty() && !truncate(body, FRAGMENT_TEXT_BYTES).contains(summary) {
        text.push_str(truncate(summary, FRAGMENT_TEXT_BYTES));
        text.push(' ');
    }
    let room = FRAGMENT_TEXT_BYTES.saturating_sub(text.len());
    text.push_str(truncate(body, room));
    text.truncate(text.trim_end().len());
    text
}

/// `f/{id}.json`: what a result shows.
pub fn fragment(record: &Record) -> Vec<u8> {
    let text = fragment_text(record);
    let mut out = Vec::with_capacity(text.len() + record.title.len() + 128);
    for (i, (key, value)) in [
        ("url", record.url.as_str()),
        ("title", record.title),
        ("date", record.date.as_str()),
        ("category", record.category.map_or("", |c| c.1)),
        ("text", text.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        out.push(if i == 0 { b'{' } else { b',' });
        json::push_str(&mut out, key);
        out.push(b':');
        json::push_str(&mut out, value);
    }
    out.push(b'}');
    out
}

fn meta(site: &Site, records: &[Record], shards: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(format!("{{\"version\":{VERSION},\"docs\":").as_bytes());
    json::push_u32(&mut out, records.len() as u32);
    out.extend_from_slice(b",\"shards\":");
    json::push_u32(&mut out, shards);
    out.extend_from_slice(b",\"years\":{");
    for (i, (year, first, last)) in year_ranges(records).into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(format!("\"{year}\":[{first},{last}]").as_bytes());
    }
    out.extend_from_slice(b"},\"categories\":[");
    for (i, c) in site.categories.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json::push_str(&mut out, &c.name);
    }
    out.extend_from_slice(b"]}");
    out
}

fn categories(records: &[Record]) -> Vec<u8> {
    let list: Vec<String> = records
        .iter()
        .map(|r| r.category.map_or("-1".to_string(), |c| c.0.to_string()))
        .collect();
    format!("[{}]", list.join(",")).into_bytes()
}

/// Writes the index of `site` through `write(output path, bytes)`, fragments in parallel and
/// as they are made (so the index is never held whole in memory), and returns the paths
/// written, all under `search/`. Writes nothing when `search: false`.
pub fn write_index(
    site: &Site,
    write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<Vec<String>> {
    if !site.config.search {
        return Ok(Vec::new());
    }
    let records = records(site);
    if records.len() >= index::MAX_DOCS {
        let message = format!("search index: more than {} documents", index::MAX_DOCS);
        return Err(Error::io(DIR, std::io::Error::other(message)));
    }
    let texts: Vec<index::Text> = records
        .iter()
        .map(|r| index::Text {
            title: r.title,
            summary: r.summary,
            body: r.body,
        })
        .collect();
    let (shards, shard_files) = index::shards(&texts);
    drop(texts);
    let mut paths = Vec::with_capacity(records.len() + shard_files.len() + 2);
    let mut put = |path: String, bytes: &[u8]| -> Result<()> {
        write(&path, bytes)?;
        paths.push(path);
        Ok(())
    };
    put(format!("{DIR}/meta.json"), &meta(site, &records, shards))?;
    put(format!("{DIR}/category.json"), &categories(&records))?;
    for (s, bytes) in shard_files.into_iter().enumerate() {
        put(format!("{DIR}/t/{s:x}.json"), &bytes)?;
    }
    let fragment_path = |id: usize| format!("{DIR}/f/{id}.json");
    records
        .par_iter()
        .enumerate()
        .try_for_each(|(id, r)| write(&fragment_path(id), &fragment(r)))?;
    paths.extend((0..records.len()).map(fragment_path));
    Ok(paths)
}

/// Every file of the index as (output path, bytes), for `serve`, which holds the site in
/// memory. Empty when `search: false`.
pub fn index_files(site: &Site) -> Result<Vec<(String, Vec<u8>)>> {
    let files = std::sync::Mutex::new(Vec::new());
    write_index(site, &|path: &str, bytes: &[u8]| {
        files
            .lock()
            .expect("index files")
            .push((path.to_string(), bytes.to_vec()));
        Ok(())
    })?;
    Ok(files.into_inner().expect("index files"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(year: Option<i32>) -> Record<'static> {
        Record {
            url: "/chung/x/".into(),
            title: "Tiêu đề",
            date: String::new(),
            year,
            category: None,
            summary: "",
            body: "",
        }
    }

    #[test]
    fn years_are_ranges_of_ids_newest_first() {
        let records: Vec<Record> = [2026, 2026, 2025, 2023, 2023, 2023]
            .into_iter()
            .map(|y| record(Some(y)))
            .chain([record(None)])
            .collect();
        assert_eq!(
            year_ranges(&records),
            [(2026, 0, 1), (2025, 2, 2), (2023, 3, 5)]
        );
        assert_eq!(year_ranges(&[]), []);
    }

    #[test]
    fn fragments_are_cut_at_character_boundaries() {
        let text = "đường ".repeat(1000);
        for max in 0..40 {
            let cut = truncate(&text, max);
            assert!(cut.len() <= max, "{max}");
            assert!(text.starts_with(cut));
        }
        assert_eq!(truncate("đo lường", 3), "đo", "at the space");
        assert_eq!(truncate("đo lường", 2), "đ", "never inside a letter");
        assert_eq!(truncate("abc", 3), "abc");
        let long = "chữ".repeat(2000);
        assert_eq!(truncate(&long, 9), "chữch");

        let mut r = record(None);
        r.summary = "Tóm tắt.";
        r.body = &text;
        let fragment = fragment_text(&r);
        assert!(fragment.len() <= FRAGMENT_TEXT_BYTES, "{}", fragment.len());
        assert!(fragment.starts_with("Tóm tắt. đường"), "{fragment}");
        assert!(fragment.ends_with("đường"), "words stay whole");
        r.body = "Tóm tắt. Thân bài.";
        assert_eq!(
            fragment_text(&r),
            "Tóm tắt. Thân bài.",
            "no repeated summary"
        );
    }

    #[test]
    fn a_fragment_is_json_with_what_a_result_shows() {
        let mut r = record(Some(2024));
        r.date = "14/03/2024".into();
        r.category = Some((1, "Tiêu chuẩn - Đo lường - Chất lượng"));
        r.body = "Kiểm tra \"đo lường\".";
        assert_eq!(
            String::from_utf8(fragment(&r)).unwrap(),
            "{\"url\":\"/chung/x/\",\"title\":\"Tiêu đề\",\"date\":\"14/03/2024\",\
             \"category\":\"Tiêu chuẩn - Đo lường - Chất lượng\",\
             \"text\":\"Kiểm tra \\\"đo lường\\\".\"}"
        );
    }
}
