//! `trangtin new` (a new article with its front matter filled in) and `trangtin init`
//! (a new site folder).

use crate::config::{Config, CONFIG_FILE, DEFAULT_THEME};
use crate::content::CONTENT_DIR;
use crate::error::{Error, Problem, Result};
use crate::text::slug::slugify;
use crate::yaml::quote;
use chrono::{DateTime, FixedOffset, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `trangtin new` is asked for.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The site folder.
    pub root: PathBuf,
    /// The title.
    pub title: String,
    /// The category, as the user typed it.
    pub category: String,
    /// The author (default: the config's `default_author`).
    pub author: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The moment written as the date (default: now, in the site's time zone).
    pub now: Option<DateTime<FixedOffset>>,
}

fn input_error(file: impl Into<PathBuf>, message: String) -> Error {
    Error::Input(vec![Problem::error(file, message)])
}

/// The category as config.yaml spells it, found without regard to case; an unknown one is
/// an error with the closest declared name (or the list of them). A site that declares no
/// categories takes any non-empty name.
pub(crate) fn resolve_category(config: &Config, category: &str) -> Result<String> {
    let wanted = crate::text::nfc(category.trim()).into_owned();
    let Some(declared) = &config.categories else {
        if wanted.is_empty() {
            return Err(input_error("--category", "the category is empty".into()));
        }
        return Ok(wanted);
    };
    let names: Vec<&str> = declared.iter().map(|c| c.name.trim()).collect();
    if let Some(name) = names
        .iter()
        .find(|n| n.to_lowercase() == wanted.to_lowercase())
    {
        return Ok(crate::text::nfc(name).into_owned());
    }
    let mut message = format!("`{wanted}` is not a category in config.yaml");
    match crate::text::closest(&wanted, names.iter().copied()) {
        Some(near) => message.push_str(&format!("; did you mean `{near}`?")),
        None => message.push_str(&format!(
            "; the categories are: {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    Err(Error::Input(vec![
        Problem::error(CONFIG_FILE, message).in_field("categories")
    ]))
}

/// Creates `content/{yyyy}/{mm}/{slug}.md` and returns its path. Never overwrites a file.
pub fn new_article(request: &NewArticle) -> Result<PathBuf> {
    let config = Config::load(&request.root)?;
    let title = crate::text::nfc(request.title.trim()).into_owned();
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err(input_error(
            "title",
            format!("`{title}` has no letters or digits to make a file name from"),
        ));
    }
    let category = resolve_category(&config, &request.category)?;
    let now = request
        .now
        .unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
    let folder = request
        .root
        .join(CONTENT_DIR)
        .join(now.format("%Y").to_string())
        .join(now.format("%m").to_string());
    let path = folder.join(format!("{slug}.md"));
    let author = request
        .author
        .clone()
        .or_else(|| config.default_author.clone())
        .unwrap_or_default();
    let tags: Vec<String> = request
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| quote(&crate::text::nfc(t)))
        .collect();
    let text = format!(
        "---\ntitle: {}\ndate: {}\ncategory: {}\nauthor: {}\ntags: [{}]\nsummary: \"\"\n---\n\n",
        quote(&title),
        now.format("%Y-%m-%d %H:%M:%S"),
        quote(&category),
        quote(&author),
        tags.join(", "),
    );
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                input_error(
                    &path,
                    "already exists; it was not overwritten (choose another title or edit \
                     that file)"
                        .to_string(),
                )
            } else {
                Error::io(&path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// `config.yaml` of a new site: every key, with comments in Vietnamese and English.
pub const INIT_CONFIG: &str = r##"# Cấu hình trang tin (trangtin). Site configuration for trangtin.
# Mọi khóa đều có giá trị mặc định; xóa dòng nào thì dùng mặc định.
# Every key has a default; remove a line to use it.

# Tên trang / site title
title: "Sở Khoa học và Công nghệ tỉnh ..."
# Mô tả (thẻ meta, RSS) / description (meta description, feeds)
description: "Cổng thông tin điện tử của Sở Khoa học và Công nghệ tỉnh ..."
# Địa chỉ đầy đủ của trang, có thể kèm thư mục con / absolute URL, may contain a path
base_url: "http://localhost:1111/"
# Ngôn ngữ / language of every page
language: vi
# Múi giờ cho ngày không ghi múi giờ / offset for dates written without one
timezone: "+07:00"
# Giao diện (themes/<tên>/); mặc định có sẵn / theme name; the default is built in
theme: tin-hoat-dong
# Số bài mỗi trang danh sách / items per listing page
per_page: 20
# Tác giả mặc định khi bài không ghi / author of articles that name none
default_author: "Văn phòng Sở"

# Cơ quan chủ quản (đầu và chân trang) / the publishing unit (header and footer)
organization:
  name: "Sở Khoa học và Công nghệ tỉnh ..."     # tên đầy đủ / full name
  short_name: "Sở KH&CN"                         # tên viết tắt / short name
  parent: "Ủy ban nhân dân tỉnh ..."             # cơ quan cấp trên / parent body
  responsible: ""                                # người chịu trách nhiệm / person responsible
  address: ""                                    # địa chỉ / postal address
  phone: ""                                      # điện thoại / telephone
  email: ""                                      # thư điện tử / e-mail
  copyright: "© Sở Khoa học và Công nghệ tỉnh ..." # bản quyền / copyright line
  license: ""                                    # giấy phép / licence of the site
  logo: ~                                        # ví dụ /images/logo.svg / e.g. /images/logo.svg

# Menu chính, theo thứ tự / main menu, in order
menu:
  - { name: "Trang chủ", url: "/" }
  - { name: "Tin Hoạt động", url: "/chung/" }

# Chuyên mục, theo thứ tự; bài viết phải dùng một trong các tên này.
# Categories in display order; every article must use one of these names.
# "section" là mục cha trên breadcrumb / the parent shown in the breadcrumb.
categories:
  - name: "Chung"
    slug: chung
    section: "Tin Hoạt động"
    description: "Tin tức chung về hoạt động của Sở."
  - name: "Hoạt động khoa học và công nghệ"
    section: "Tin Hoạt động"

# Khối bên phải / sidebar blocks: {title, text?, links: [{name, url}]}
sidebar_blocks: []

# Tin liên quan / related articles
related:
  count: 5              # số bài / how many
  text_weight: 1.0      # trọng số nội dung / weight of text similarity
  tags_weight: 0.15     # trọng số thẻ / weight of shared tags
  category_weight: 0.05 # cùng chuyên mục / same-category bonus
  recency_weight: 0.03  # bài gần đây / recency bonus
  recency_days: 365.0   # chu kỳ bán rã (ngày) / half-life in days
  min_score: 0.15       # điểm tối thiểu / minimum score

# Trang tìm kiếm / search page and index (tắt nếu bỏ dòng này; ở 10.000 bài chỉ mục
# thêm khoảng 0,3 s / off when this line is left out; about 0.3 s at 10,000 articles)
search: true
# Số bài trong mỗi RSS / items per RSS feed
feed_limit: 20

# Trường riêng của trang trong front matter, dùng trong giao diện (article.extra.<tên>),
# ví dụ [nguon, so_van_ban]; trường nào khác mà trangtin không dùng là lỗi.
# The site's own front-matter fields, for templates (article.extra.<name>), e.g.
# [nguon, so_van_ban]; any other field trangtin does not use is an error.
extra_fields: []

# Màu, ảnh băng rôn đầu trang, phông chữ của giao diện (biểu trưng: organization.logo).
# Màu phải đủ tương phản với chữ trắng (WCAG AA, 4,5:1), nếu không thì lỗi khi build.
# Theme colours, header banner and font (the logo is organization.logo). White text must
# have a contrast of 4.5:1 on the colours (WCAG AA), or the build stops with an error.
# theme_settings:
#   primary: "#0b3a82"              # đầu trang, menu, chân trang / header band, menu, footer
#   accent: "#a11d21"               # nút, mục menu đang xem / buttons, current menu item
#   banner: /images/bang-ten.jpg    # tệp content/images/bang-ten.jpg
#   font: '"Noto Sans", Arial, sans-serif'
"##;

/// Creates a new site in `dir` (which must be empty or not exist): `config.yaml`, one example
/// article, `.gitignore`; with `with_theme`, a copy of the default theme to customize.
/// Returns the files created.
pub fn init_site(dir: &Path, with_theme: bool) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(input_error(
                dir,
                "is not empty; trangtin init only creates a site in an empty or new folder".into(),
            ));
        }
    }
    let config = Config::parse(INIT_CONFIG)?;
    let now = Utc::now().with_timezone(&config.timezone);
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (dir.join(CONFIG_FILE), INIT_CONFIG.as_bytes().to_vec()),
        // `public` is a link to a generation folder `.public.gen-*` beside its lock file
        // `.public.lock` (see `output::swap`); `public/` would not match a link.
        (
            dir.join(".gitignore"),
            b"public\n.public.*\n.trangtin-cache\n.trangtin/\n".to_vec(),
        ),
        (
            dir.join(CONTENT_DIR)
                .join(now.format("%Y").to_string())
                .join(now.format("%m").to_string())
                .join("chao-mung.md"),
            format!(
                "---\ntitle: \"Chào mừng đến với trang tin\"\ndate: {}\ncategory: \"Chung\"\n\
                 tags: [\"giới thiệu\"]\nsummary: \"Bài viết mẫu: sửa hoặc xóa bài này.\"\n---\n\n\
                 Đây là bài viết mẫu. Mỗi tệp `.md` trong thư mục `content/` là một bài viết.\n\n\
                 - Tạo bài mới: `trangtin new \"Tiêu đề\" --category Chung`\n\
                 - Xem trước: `trangtin serve`, rồi mở địa chỉ được in ra\n\
                 - Kiểm tra: `trangtin check`\n\
                 - Xuất bản: `trangtin build` (kết quả trong `public/`)\n",
                now.format("%Y-%m-%d %H:%M:%S")
            )
            .into_bytes(),
        ),
    ];
    if with_theme {
        let theme = dir.join("themes").join(DEFAULT_THEME);
        for (path, bytes) in crate::render::templates::embedded_files() {
            files.push((theme.join(path), bytes.to_vec()));
        }
    }
    let mut created = Vec::new();
    for (path, bytes) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        created.push(path);
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_init_config_parses_with_every_key() {
        let config = Config::parse(INIT_CONFIG).unwrap();
        assert_eq!(config.per_page, 20);
        assert_eq!(config.categories.as_ref().unwrap().len(), 2);
        assert!(config.extra_fields.is_empty());
    }

    #[test]
    fn the_init_config_s_commented_theme_settings_are_valid_once_uncommented() {
        let uncommented: String = INIT_CONFIG
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.starts_with("theme_settings:") || rest.starts_with("  ") => {
                    rest.to_string()
                }
                _ => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(uncommented.contains("\ntheme_settings:\n  primary:"));
        let config = Config::parse(&uncommented).unwrap();
        let settings = &config.theme_settings;
        assert!(settings.primary.is_some() && settings.accent.is_some());
        assert_eq!(
            settings.banner.as_ref().unwrap().source,
            "images/bang-ten.jpg"
        );
        assert_eq!(
            settings.font.as_deref(),
            Some("\"Noto Sans\", Arial, sans-serif")
        );
    }

    #[test]
    fn a_new_site_keeps_its_accounts_and_caches_out_of_git() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        init_site(&site, false).unwrap();
        let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
        for line in ["public", ".trangtin-cache", ".trangtin/"] {
            assert!(ignored.lines().any(|l| l == line), "{line}: {ignored}");
        }
    }
}
