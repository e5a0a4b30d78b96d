//! One Markdown source file checked and turned into an [`Article`].

use super::front_matter::{self, FrontMatter};
use crate::config::Config;
use crate::error::Problem;
use crate::routes::OldAddress;
use crate::text::date::parse_date;
use crate::text::slug::slugify;
use chrono::{DateTime, FixedOffset};
use std::collections::HashMap;

/// What a source file renders as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    /// A dated news article in a category.
    Article,
    /// A standalone page (`layout: page`) at `/{slug}/`.
    Page,
}

/// A loaded article or standalone page: front matter checked, body not yet rendered.
///
/// Serialized (by the build cache, `crate::cache`) without its body, its site-specific
/// fields and its warnings: the cache keeps only articles that have none of the last two.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Path under `content/`, with `/` separators and in NFC: `2020/10/x.md`.
    pub source: String,
    /// Article or standalone page.
    pub layout: Layout,
    /// Title.
    pub title: String,
    /// Publication date-time (pages without a date: the Unix epoch, see `has_date`).
    pub date: DateTime<FixedOffset>,
    /// Whether the front matter gave a date.
    pub has_date: bool,
    /// Last update, if given.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Category name as written (NFC, trimmed); empty for pages.
    pub category: String,
    /// Author (the site's default author when the article names none).
    pub author: Option<String>,
    /// The author's position, shown after the name.
    pub author_title: Option<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Summary from front matter.
    pub summary: Option<String>,
    /// Featured image URL as written.
    pub image: Option<String>,
    /// Caption of the featured image.
    pub image_caption: Option<String>,
    /// Alt text of the featured image.
    pub image_alt: Option<String>,
    /// Held back from the site unless building with drafts.
    pub draft: bool,
    /// URL slug before collisions are resolved.
    pub slug: String,
    /// Old addresses that redirect here (`aliases`).
    pub aliases: Vec<OldAddress>,
    /// Shown first on the home page.
    pub featured: bool,
    /// Pinned related articles (paths as written).
    pub related: Vec<String>,
    /// Files to list under "Tệp đính kèm" (paths as written, resolved like links).
    pub attachments: Vec<String>,
    /// Numbers of the official documents listed under "Văn bản liên quan", as written.
    pub documents: Vec<String>,
    /// The site's own front-matter fields (`extra_fields` in config.yaml), as written.
    #[serde(skip)]
    pub extra: Vec<(String, tera::Value)>,
    /// Its language (`lang`): the site's own (`vi`) unless it names another of
    /// `languages:` in config.yaml.
    pub lang: String,
    /// Shared by this page and its translations (`translation_key`).
    pub translation_key: Option<String>,
    /// Markdown body. Emptied when the site is assembled, once its HTML and text are made
    /// (they are in `Site::bodies`); kept for articles left out of the build.
    #[serde(skip)]
    pub body: String,
    /// Set when `body` was not read, an earlier build's rendering of it being at hand (the
    /// build cache, `crate::cache`): the file to read it from ([`super::read_body`]) should it
    /// have to be rendered after all.
    #[serde(skip)]
    pub unread_body: Option<std::path::PathBuf>,
    /// File line where the body starts.
    pub body_line: usize,
    /// A hash of `body`, computed once on load, so that `serve` can tell unchanged bodies.
    pub body_hash: u64,
    /// A hash of the file's bytes as read (0 for an article parsed from text, not read
    /// from a file): the build cache keeps the parsed article under it.
    pub file_hash: u64,
    /// The file's stamp, taken before it was read (`None` for a file that changed just
    /// before, or not read from a file): while the file keeps it, the build cache's article
    /// is taken without reading the file.
    pub file_stamp: Option<super::stamp::FileStamp>,
    /// File line of each front-matter field.
    pub lines: HashMap<String, usize>,
    /// What loading changed in the file, to report: control characters removed, fields cut
    /// to their limit, an unsafe `image` address dropped.
    #[serde(skip)]
    pub warnings: Vec<Problem>,
}

impl Article {
    /// The file path to show in messages: `content/2020/10/x.md`.
    pub fn display_path(&self) -> String {
        display_path(&self.source)
    }

    /// The file line of a front-matter field.
    pub fn line_of(&self, field: &str) -> Option<usize> {
        self.lines.get(field).copied()
    }
}

/// `2020/10/x.md` → `content/2020/10/x.md`.
pub fn display_path(source: &str) -> String {
    format!("{}/{source}", super::CONTENT_DIR)
}

/// Reads one source file's text (already NFC, BOM and CR removed) into an article.
/// Every problem in the file is returned, not just the first.
pub fn parse_article(source: &str, text: &str, config: &Config) -> Result<Article, Vec<Problem>> {
    parse_article_text(source, text.to_string(), config)
}

/// Like [`parse_article`], keeping the file's own text as the body (no copy of the body).
pub fn parse_article_text(
    source: &str,
    text: String,
    config: &Config,
) -> Result<Article, Vec<Problem>> {
    let file = display_path(source);
    let mut text = text;
    let mut warnings = control_warnings(&file, &mut text);
    let split = front_matter::split(&text)
        .map_err(|(line, message)| vec![Problem::error(&file, message).at_line(Some(line))])?;
    let to_problems = |errors: Vec<front_matter::FieldError>, error: bool| {
        errors
            .into_iter()
            .map(|(line, field, message)| {
                let p = if error {
                    Problem::error(&file, message)
                } else {
                    Problem::warning(&file, message)
                };
                let p = p.at_line(line);
                match field {
                    Some(f) => p.in_field(f),
                    None => p,
                }
            })
            .collect::<Vec<_>>()
    };
    front_matter::check_size(&split, &config.limits).map_err(|e| to_problems(vec![e], true))?;
    let mut fm = front_matter::parse(&split, &config.extra_fields)
        .map_err(|errors| to_problems(errors, true))?;
    warnings.extend(to_problems(std::mem::take(&mut fm.warnings), false));
    warnings.extend(to_problems(
        front_matter::fit_fields(&mut fm, &config.limits),
        false,
    ));
    if let Some(reason) = fm.image.as_deref().and_then(crate::sanitize::unsafe_url) {
        warnings.push(
            Problem::warning(
                &file,
                format!("{reason}; the article is shown without its image"),
            )
            .in_field("image")
            .at_line(fm.line_of("image")),
        );
        fm.image = None;
    }
    let mut problems = Vec::new();
    let layout = match fm.layout.as_deref() {
        None | Some("article") | Some("post") => Layout::Article,
        Some("page") => Layout::Page,
        Some(other) => {
            problems.push(field_problem(
                &file,
                &fm,
                "layout",
                format!(
                    "`{other}` is not a layout; use `page` for a standalone page or leave it out"
                ),
            ));
            Layout::Article
        }
    };
    let title = required(&file, &fm, "title", fm.title.clone(), &mut problems);
    let (date, has_date) = match (&fm.date, layout) {
        (Some(text), _) => match parse_date(text, config.timezone) {
            Ok(d) => (Some(d), true),
            Err(message) => {
                problems.push(field_problem(&file, &fm, "date", message));
                (None, false)
            }
        },
        (None, Layout::Page) => (
            Some(DateTime::UNIX_EPOCH.with_timezone(&config.timezone)),
            false,
        ),
        (None, Layout::Article) => {
            problems.push(missing(&file, &fm, "date"));
            (None, false)
        }
    };
    let updated = match &fm.updated {
        Some(text) => match parse_date(text, config.timezone) {
            Ok(d) => Some(d),
            Err(message) => {
                problems.push(field_problem(&file, &fm, "updated", message));
                None
            }
        },
        None => None,
    };
    let lang = match fm.lang.as_deref().map(str::trim) {
        None => config.language.clone(),
        Some(code) if config.language_codes().any(|c| c == code) => code.to_string(),
        Some(code) => {
            let enabled: Vec<&str> = config.language_codes().collect();
            let hint = match crate::config::languages::SUPPORTED
                .iter()
                .any(|(c, _)| *c == code)
            {
                true => {
                    format!("; add `languages: {{{code}: {{}}}}` to config.yaml to publish in it")
                }
                false => String::new(),
            };
            problems.push(field_problem(
                &file,
                &fm,
                "lang",
                format!(
                    "`{code}` is not a language of this site (languages: {}){hint}",
                    enabled.join(", ")
                ),
            ));
            config.language.clone()
        }
    };
    // An article in another language is listed on that language's home page, not in a
    // category (categories are the site's own language's).
    let category = match layout {
        Layout::Article if lang == config.language => {
            required(&file, &fm, "category", fm.category.clone(), &mut problems)
        }
        Layout::Article => Some(fm.category.clone().unwrap_or_default()),
        Layout::Page => Some(String::new()),
    };
    let slug = match &fm.slug {
        Some(s) => {
            let slug = slugify(s);
            if slug.is_empty() {
                problems.push(field_problem(
                    &file,
                    &fm,
                    "slug",
                    format!("`{s}` has no letters or digits to make a URL from"),
                ));
            }
            slug
        }
        None => slug_from_path(source),
    };
    let mut aliases: Vec<OldAddress> = Vec::with_capacity(fm.aliases.len());
    let origin = config.permalink("");
    for alias in &fm.aliases {
        match OldAddress::parse(alias, &origin) {
            // The same address twice in one file redirects to the same place: kept once.
            Ok(a) if aliases.contains(&a) => {}
            Ok(a) => aliases.push(a),
            Err(message) => problems.push(field_problem(&file, &fm, "aliases", message)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(title), Some(date), Some(category)) = (title, date, category) else {
        unreachable!("missing required fields were reported as problems");
    };
    Ok(Article {
        source: source.to_string(),
        layout,
        title,
        date,
        has_date,
        updated,
        category,
        // The default author is written in the site's own language.
        author: fm.author.or_else(|| {
            (lang == config.language)
                .then(|| config.default_author.clone())
                .flatten()
        }),
        author_title: fm.author_title,
        tags: fm.tags,
        summary: fm.summary,
        image: fm.image,
        image_caption: fm.image_caption,
        image_alt: fm.image_alt,
        draft: fm.draft,
        slug,
        aliases,
        featured: fm.featured,
        related: fm.related,
        attachments: fm.attachments,
        documents: fm.documents,
        extra: fm.extra,
        lang,
        translation_key: fm.translation_key.map(|k| k.trim().to_string()),
        body_hash: xxhash_rust::xxh3::xxh3_64(split.body.as_bytes()),
        file_hash: 0,
        file_stamp: None,
        unread_body: None,
        body_line: split.body_line,
        body: {
            // The body is the end of the file's text: drop the front matter in place.
            let start = text.len() - split.body.len();
            let mut body = text;
            body.drain(..start);
            body
        },
        lines: fm.lines,
        warnings,
    })
}

/// Removes control characters from a file's text: one warning per line that had some.
fn control_warnings(file: &str, text: &mut String) -> Vec<Problem> {
    crate::text::control::strip_controls(text)
        .into_iter()
        .map(|line| {
            Problem::warning(
                file,
                "control characters (such as NUL, BEL or ESC) removed; they cannot be shown",
            )
            .at_line(Some(line))
        })
        .collect()
}

/// The slug of a file's name: `2020/10/Đổi mới.md` → `doi-moi`; `x/index.md` → `x`.
pub fn slug_from_path(source: &str) -> String {
    let mut parts = source.rsplit('/');
    let name = parts.next().unwrap_or(source);
    let stem = super::markdown_stem(name).unwrap_or(name);
    let name = if stem == "index" || stem == "_index" {
        parts.next().unwrap_or(stem)
    } else {
        stem
    };
    let slug = slugify(name);
    if slug.is_empty() {
        "bai-viet".to_string()
    } else {
        slug
    }
}

fn required(
    file: &str,
    fm: &FrontMatter,
    field: &str,
    value: Option<String>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    if value.is_none() {
        problems.push(missing(file, fm, field));
    }
    value
}

fn missing(file: &str, fm: &FrontMatter, field: &str) -> Problem {
    let line = fm.line_of(field).or(Some(1));
    Problem::error(file, "is required but missing or empty")
        .in_field(field)
        .at_line(line)
}

fn field_problem(file: &str, fm: &FrontMatter, field: &str, message: String) -> Problem {
    Problem::error(file, message)
        .in_field(field)
        .at_line(fm.line_of(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Problem>> {
        parse_article("2020/10/bai-viet.md", text, &Config::default())
    }

    #[test]
    fn reads_a_complete_article() {
        let text = "---\ntitle: Hội nghị\ndate: 2020-10-13 07:57:32\ncategory: Chung\ntags: [a]\n\
                    nguon: X\n---\nBody\n";
        let config = Config::parse("extra_fields: [nguon]\n").unwrap();
        let a = parse_article("2020/10/bai-viet.md", text, &config).unwrap();
        assert_eq!(a.title, "Hội nghị");
        assert_eq!(a.date.to_rfc3339(), "2020-10-13T07:57:32+07:00");
        assert_eq!(a.slug, "bai-viet");
        assert_eq!(a.body_line, 8);
        assert_eq!(a.extra.len(), 1);
    }

    #[test]
    fn an_undeclared_field_is_an_error_at_its_line() {
        let problems =
            parse("---\ntitle: A\ndate: 2020-01-01\ncategory: C\nsumary: X\nnguon: Y\n---\n")
                .unwrap_err();
        let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(
            texts[0],
            "content/2020/10/bai-viet.md:5: field `sumary`: unknown field; did you mean `summary`?"
        );
        assert!(
            texts[1].starts_with("content/2020/10/bai-viet.md:6: field `nguon`: unknown field:"),
            "{}",
            texts[1]
        );
        assert!(
            texts[1].contains("`extra_fields` in config.yaml"),
            "{}",
            texts[1]
        );
    }

    #[test]
    fn a_title_cut_by_a_hash_is_published_with_a_warning() {
        let a =
            parse("---\ntitle: Kết quả #1 của Sở\ndate: 2020-01-01\ncategory: C\n---\n").unwrap();
        assert_eq!(a.title, "Kết quả");
        let w = &a.warnings[0];
        assert_eq!((w.field.as_deref(), w.line), (Some("title"), Some(2)));
        assert!(!w.is_error());
        let problems =
            parse("---\ntitle: #1 Thông báo\ndate: 2020-01-01\ncategory: C\n---\n").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.starts_with("is empty, because"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn reports_all_missing_required_fields() {
        let problems = parse("---\nauthor: X\n---\n").unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.clone().unwrap()).collect();
        assert_eq!(fields, ["title", "date", "category"]);
        assert!(problems[0]
            .to_string()
            .starts_with("content/2020/10/bai-viet.md:1: field `title`"));
    }

    #[test]
    fn an_invalid_date_names_the_line_and_formats() {
        let problems =
            parse("---\ntitle: A\ncategory: Chung\ndate: 13/10/2020\n---\n").unwrap_err();
        let text = problems[0].to_string();
        assert!(
            text.starts_with("content/2020/10/bai-viet.md:4: field `date`:"),
            "{text}"
        );
        assert!(text.contains("2020-10-13 07:57:32"), "{text}");
    }

    #[test]
    fn pages_need_no_date_or_category() {
        let a = parse("---\ntitle: Giới thiệu\nlayout: page\nslug: gioi-thieu\n---\nX\n").unwrap();
        assert_eq!(a.layout, Layout::Page);
        assert!(!a.has_date);
        assert_eq!(a.slug, "gioi-thieu");
    }

    #[test]
    fn slugs_come_from_the_file_name() {
        assert_eq!(
            slug_from_path("2020/10/Đổi mới sáng tạo.md"),
            "doi-moi-sang-tao"
        );
        assert_eq!(slug_from_path("chuyên-đề/hội-nghị/index.md"), "hoi-nghi");
    }

    #[test]
    fn aliases_become_site_paths() {
        let a = parse("---\ntitle: A\ndate: 2020-01-01\ncategory: C\naliases: [tin/1.html]\n---\n")
            .unwrap();
        let paths: Vec<String> = a.aliases.iter().map(ToString::to_string).collect();
        assert_eq!(paths, ["/tin/1.html"]);
        assert!(
            parse("---\ntitle: A\ndate: 2020-01-01\ncategory: C\naliases: [../x]\n---\n").is_err()
        );
    }

    #[test]
    fn control_characters_are_removed_with_a_warning_per_line() {
        let a = parse(
            "---\ntitle: \"Tin\u{1b}[31m đỏ\u{0}\"\ndate: 2020-01-01\ncategory: C\n---\nA\u{7}B\n",
        )
        .unwrap();
        assert_eq!(a.title, "Tin[31m đỏ");
        assert_eq!(a.body, "AB\n");
        let lines: Vec<_> = a.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(2), Some(6)]);
        assert!(!a.warnings[0].is_error());
    }

    #[test]
    fn escaped_control_characters_in_yaml_are_removed_too() {
        let a = parse("---\ntitle: \"A\\aB\"\ndate: 2020-01-01\ncategory: C\n---\n").unwrap();
        assert_eq!(a.title, "AB");
        assert_eq!(a.warnings[0].field.as_deref(), Some("title"));
        assert_eq!(a.warnings[0].line, Some(2));
    }

    #[test]
    fn an_unsafe_image_address_is_dropped_with_a_warning() {
        let a = parse(
            "---\ntitle: A\ndate: 2020-01-01\ncategory: C\nimage: \"javascript:alert(1)\"\n---\n",
        )
        .unwrap();
        assert_eq!(a.image, None);
        let w = &a.warnings[0];
        assert_eq!((w.field.as_deref(), w.line), (Some("image"), Some(5)));
    }

    #[test]
    fn nesting_past_the_limit_is_an_error_naming_the_line() {
        let text = format!(
            "---\ntitle: A\ndate: 2020-01-01\ncategory: C\nx: {}\n---\n",
            "[".repeat(50_000)
        );
        let start = std::time::Instant::now();
        let problems = parse(&text).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .to_string()
            .starts_with("content/2020/10/bai-viet.md:5: the front matter nests"));
    }
}
