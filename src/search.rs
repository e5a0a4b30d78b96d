//! Site search ("Tìm kiếm"): a [Pagefind](https://pagefind.app) index of the published
//! articles and pages, written under `pagefind/` in the output, and searched in the browser by
//! the theme's `js/search.js` on the page `/tim-kiem/`. No server code: the browser fetches
//! only the index chunks of the words it looks up.
//!
//! Records are fed from what the site already holds (title, plain text of the body, summary,
//! date, category), never by re-parsing our HTML.
//!
//! ## Vietnamese
//!
//! Pagefind folds diacritics itself (NFD, then drops combining marks: `học` → `hoc`), and keeps
//! the original spelling of every word beside the folded one, so a query typed with diacritics
//! ranks exact spellings first. `đ`/`Đ` have no Unicode decomposition, so Pagefind leaves
//! `đo` as `đo` and `do luong` would not find "đo lường". We therefore hand Pagefind `đ` as
//! `d` + U+0335 COMBINING SHORT STROKE OVERLAY ([`index_form`]) and add U+0335 to its
//! `include_characters`: the word `d̵o` is then indexed under `do` with the original `d̵o`
//! kept as its exact variant, exactly like `lường` is indexed under `luong` with the variant
//! `lường`. `search.js` writes the query the same way (after NFC normalisation, so NFD input
//! works like NFC) and turns `d̵` back into `đ` in everything it shows ([`display_form`]).
//! Nothing is indexed twice, so the fragments a reader downloads stay as small as the text.

use crate::content::text::nfc;
use crate::error::{Error, Result};
use crate::site::{ArticleId, Site};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Folder of the output that holds the index and Pagefind's scripts.
pub const BUNDLE_DIR: &str = "pagefind";

/// Written after `d`/`D` in indexed text (and queries) in place of the stroke of `đ`/`Đ`.
pub const STROKE: char = '\u{335}';

/// Weight of the title words in the content (body words weigh 1; Pagefind's own weight for an
/// `<h1>` is 7).
const TITLE_WEIGHT: u8 = 7;

/// Filter names (also used by `search.js`).
pub const CATEGORY_FILTER: &str = "category";
/// Filter name of the year of publication.
pub const YEAR_FILTER: &str = "year";

/// Text as handed to Pagefind: NFC, with `đ`/`Đ` written as `d`/`D` + [`STROKE`], so that
/// Pagefind's own folding (NFD, drop combining marks) maps them to `d`.
pub fn index_form(text: &str) -> String {
    let text = nfc(text);
    if !text.contains(['đ', 'Đ']) {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            'đ' => {
                out.push('d');
                out.push(STROKE);
            }
            'Đ' => {
                out.push('D');
                out.push(STROKE);
            }
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`index_form`] (what `search.js` does to titles and excerpts it shows).
pub fn display_form(text: &str) -> String {
    text.replace("d\u{335}", "đ").replace("D\u{335}", "Đ")
}

/// What Pagefind folds a word of indexed text (or of a query, once `search.js` has passed it
/// through [`index_form`]) to: lowercase, NFD without combining marks. This mirrors
/// Pagefind's `normalize_diacritics` so the tests can check the folding we rely on.
pub fn pagefind_key(word: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    index_form(word)
        .to_lowercase()
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .collect()
}

/// One record of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// URL path relative to the site's base path (`/chung/x/`); `search.js` gives Pagefind
    /// the base path, so the index works wherever the site is hosted.
    pub url: String,
    /// Searchable text: the title (weighted), the summary when written apart, the body.
    pub content: String,
    /// `title` and `date` (`yyyy-mm-dd`), shown with each result.
    pub meta: BTreeMap<String, String>,
    /// `category` and `year`.
    pub filters: BTreeMap<String, Vec<String>>,
    /// `date` (RFC 3339), for sorting by date.
    pub sort: BTreeMap<String, String>,
}

/// Text that Pagefind would read as one of its private markers (`___PAGEFIND_WEIGHT___2`) is
/// broken up, so article text cannot change weights.
fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("___") {
        text.replace("___", "_ _ _").into()
    } else {
        text.into()
    }
}

/// The record of article or page `id`.
pub fn record(site: &Site, id: ArticleId) -> Record {
    let a = &site.articles[id];
    let base = site.config.base_path.as_str();
    let url = site.urls[id]
        .strip_prefix(base.trim_end_matches('/'))
        .unwrap_or(&site.urls[id])
        .to_string();
    let plain = site
        .bodies
        .get(id)
        .and_then(|b| b.as_ref())
        .map(|b| b.plain.as_str())
        .unwrap_or("");
    let title = index_form(&neutralize(&a.title));
    let mut content = String::with_capacity(title.len() + plain.len() + 128);
    content.push_str(&format!("___PAGEFIND_WEIGHT___{TITLE_WEIGHT} "));
    content.push_str(&title);
    content.push_str(" ___END_PAGEFIND_WEIGHT___ ");
    if let Some(summary) = a.summary.as_deref() {
        if !summary.is_empty() && !plain.contains(summary) {
            content.push_str(&index_form(&neutralize(summary)));
            content.push(' ');
        }
    }
    content.push_str(&index_form(&neutralize(plain)));

    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), title);
    let mut filters = BTreeMap::new();
    let mut sort = BTreeMap::new();
    let is_article = site.category_of[id].is_some();
    if is_article || a.has_date {
        let date = a.date.with_timezone(&site.config.timezone);
        meta.insert("date".to_string(), date.format("%Y-%m-%d").to_string());
        sort.insert(
            "date".to_string(),
            date.format("%Y-%m-%dT%H:%M:%S").to_string(),
        );
        if is_article {
            filters.insert(YEAR_FILTER.to_string(), vec![date.format("%Y").to_string()]);
        }
    }
    if let Some(category) = site.category(id) {
        filters.insert(CATEGORY_FILTER.to_string(), vec![category.name.clone()]);
    }
    Record {
        url,
        content,
        meta,
        filters,
        sort,
    }
}

/// Every record: published articles, newest first, then standalone pages.
pub fn records(site: &Site) -> Vec<Record> {
    let ids: Vec<ArticleId> = site.published.iter().chain(&site.pages).copied().collect();
    ids.par_iter().map(|&id| record(site, id)).collect()
}

fn pagefind_error(e: impl std::fmt::Display) -> Error {
    Error::io(
        BUNDLE_DIR,
        std::io::Error::other(format!("search index: {e}")),
    )
}

/// Builds the index of `site`: every file of the Pagefind bundle as (output path, bytes),
/// paths starting with `pagefind/`. Empty when `search: false`.
pub fn index_files(site: &Site) -> Result<Vec<(String, Vec<u8>)>> {
    if !site.config.search {
        return Ok(Vec::new());
    }
    let records = records(site);
    let language = site.config.language.clone();
    // Pagefind's API is async; it runs on a runtime of its own. Under `serve` (already inside
    // a runtime) the runtime lives on a scoped thread, as runtimes cannot nest.
    let run = move || -> Result<Vec<(String, Vec<u8>)>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Error::io(BUNDLE_DIR, e))?;
        runtime.block_on(build_index(records, language))
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| s.spawn(run).join().expect("search indexing panicked"))
    } else {
        run()
    }
}

async fn build_index(records: Vec<Record>, language: String) -> Result<Vec<(String, Vec<u8>)>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let options = PagefindServiceConfig::builder()
        .force_language(language.clone())
        .include_characters(STROKE.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(pagefind_error)?;
    for record in records {
        index
            .add_custom_record(
                record.url,
                record.content,
                language.clone(),
                Some(record.meta),
                Some(record.filters),
                Some(record.sort),
            )
            .await
            .map_err(pagefind_error)?;
    }
    let files = index.get_files().await.map_err(pagefind_error)?;
    Ok(files
        .into_iter()
        .filter(|f| !is_unused_ui(&f.filename))
        .map(|f| {
            let relative = f.filename.to_string_lossy().replace('\\', "/");
            (
                format!("{BUNDLE_DIR}/{}", relative.trim_start_matches('/')),
                f.contents,
            )
        })
        .collect())
}

/// Pagefind's ready-made interfaces: the theme has its own (`js/search.js`), so these are
/// not written.
fn is_unused_ui(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    [
        "pagefind-ui.",
        "pagefind-component-ui.",
        "pagefind-modular-ui.",
        "pagefind-highlight.",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Every Vietnamese vowel with every tone (and the breve, circumflex and horn).
    const VOWELS: [(&str, char); 6] = [
        ("aàáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("eèéẻẽẹêềếểễệ", 'e'),
        ("iìíỉĩị", 'i'),
        ("oòóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("uùúủũụưừứửữự", 'u'),
        ("yỳýỷỹỵ", 'y'),
    ];

    #[test]
    fn every_vowel_with_every_tone_folds_to_its_base_letter() {
        for (all, base) in VOWELS {
            for c in all.chars() {
                for form in [c.to_string(), c.to_uppercase().collect::<String>()] {
                    assert_eq!(pagefind_key(&form), base.to_string(), "{form}");
                    let nfd: String = form.nfd().collect();
                    assert_eq!(pagefind_key(&nfd), base.to_string(), "NFD {form}");
                }
            }
        }
    }

    #[test]
    fn d_with_stroke_folds_to_d_but_keeps_an_exact_form() {
        assert_eq!(index_form("đo"), "d\u{335}o");
        assert_eq!(index_form("ĐO LƯỜNG"), "D\u{335}O LƯỜNG");
        assert_eq!(pagefind_key("đo"), "do");
        assert_eq!(pagefind_key("Đo"), "do");
        assert_eq!(pagefind_key("đường"), "duong");
        // The exact form differs from plain `do`, so exact matches can rank first.
        assert_ne!(index_form("đo").to_lowercase(), "do");
        assert_eq!(index_form("do"), "do");
    }

    #[test]
    fn index_form_round_trips_and_normalizes_nfd() {
        for text in [
            "Đo lường đổi mới",
            "sở hữu trí tuệ",
            "ĐĂNG KÝ",
            "plain ascii",
        ] {
            assert_eq!(display_form(&index_form(text)), text);
            let nfd: String = text.nfd().collect();
            assert_eq!(index_form(&nfd), index_form(text), "NFD {text}");
        }
    }

    #[test]
    fn queries_fold_like_the_text() {
        let folded = |s: &str| s.split_whitespace().map(pagefind_key).collect::<Vec<_>>();
        assert_eq!(folded("khoa hoc"), folded("khoa học"));
        assert_eq!(folded("do luong"), folded("Đo lường"));
        assert_eq!(folded("so huu tri tue"), folded("SỞ HỮU TRÍ TUỆ"));
        let nfd: String = "đo lường".nfd().collect();
        assert_eq!(folded(&nfd), folded("đo lường"));
    }

    #[test]
    fn private_markers_in_text_are_broken_up() {
        assert_eq!(
            neutralize("a ___PAGEFIND_WEIGHT___9 b"),
            "a _ _ _PAGEFIND_WEIGHT_ _ _9 b"
        );
        assert_eq!(neutralize("snake_case"), "snake_case");
    }

    #[test]
    fn unused_interfaces_are_left_out() {
        assert!(is_unused_ui(std::path::Path::new("pagefind-ui.js")));
        assert!(is_unused_ui(std::path::Path::new(
            "pagefind-component-ui.css"
        )));
        assert!(!is_unused_ui(std::path::Path::new("pagefind.js")));
        assert!(!is_unused_ui(std::path::Path::new("pagefind-worker.js")));
    }
}
