//! The article form: its fields as the browser sends them, checked on the server (messages in
//! Vietnamese, each naming its field), and filled from an article file that is opened.

use crate::config::Config;
use crate::content::Article;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};

/// What the clerk chose to do with the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// A draft (`draft: true`): only the editor's preview shows it.
    Draft,
    /// Published at its date, which is not in the future.
    Now,
    /// Published automatically at a future date (the build after that moment shows it).
    Scheduled,
}

impl Publish {
    /// The form's value for this choice.
    pub fn value(self) -> &'static str {
        match self {
            Publish::Draft => "nhap",
            Publish::Now => "dang",
            Publish::Scheduled => "hen-gio",
        }
    }

    /// The choice a form value names.
    pub fn from_value(value: &str) -> Option<Publish> {
        match value {
            "nhap" => Some(Publish::Draft),
            "dang" => Some(Publish::Now),
            "hen-gio" => Some(Publish::Scheduled),
            _ => None,
        }
    }
}

/// One thing wrong with the form, for the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name (`title`, `category`, `date`, ...), or `body`.
    pub field: String,
    /// What is wrong, in Vietnamese.
    pub message: String,
}

impl FieldError {
    /// An error about `field`.
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// The article form's fields (text as typed, trimmed and NFC).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleForm {
    /// The article's path under `content/` (`2026/12/x.md`); empty for a new article.
    pub path: String,
    /// The content hash of the file when it was opened (empty for a new article).
    pub hash: String,
    /// Title.
    pub title: String,
    /// Category, as config.yaml names it.
    pub category: String,
    /// Date, `yyyy-mm-dd`.
    pub date: String,
    /// Time, `hh:mm`.
    pub time: String,
    /// Author.
    pub author: String,
    /// The author's title (`Phóng viên`).
    pub author_title: String,
    /// Tags, separated by commas.
    pub tags: String,
    /// Summary.
    pub summary: String,
    /// Featured image (a file beside the article, or an address).
    pub image: String,
    /// The featured image's caption.
    pub image_caption: String,
    /// Shown among the featured articles.
    pub featured: bool,
    /// Draft, publish now or scheduled (`nhap`, `dang`, `hen-gio`).
    pub publish: String,
    /// The Markdown body.
    pub body: String,
}

/// The form, checked: the values a file is written from.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Title.
    pub title: String,
    /// Category, spelled as config.yaml spells it.
    pub category: String,
    /// The article's date and time in the site's time zone.
    pub date: DateTime<FixedOffset>,
    /// Author (may be empty).
    pub author: String,
    /// The author's title (may be empty).
    pub author_title: String,
    /// Tags, without empty ones or repeats.
    pub tags: Vec<String>,
    /// Summary (may be empty).
    pub summary: String,
    /// Featured image (may be empty).
    pub image: String,
    /// Its caption (may be empty).
    pub image_caption: String,
    /// Featured.
    pub featured: bool,
    /// What to do with it.
    pub publish: Publish,
    /// The Markdown body.
    pub body: String,
}

fn clean(text: &str) -> String {
    crate::text::nfc(text.trim()).into_owned()
}

impl ArticleForm {
    /// The form from `name=value` pairs (a decoded `application/x-www-form-urlencoded` body).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ArticleForm {
        let mut form = ArticleForm::default();
        for (name, value) in pairs {
            let slot = match name {
                "path" => &mut form.path,
                "hash" => &mut form.hash,
                "title" => &mut form.title,
                "category" => &mut form.category,
                "date" => &mut form.date,
                "time" => &mut form.time,
                "author" => &mut form.author,
                "author_title" => &mut form.author_title,
                "tags" => &mut form.tags,
                "summary" => &mut form.summary,
                "image" => &mut form.image,
                "image_caption" => &mut form.image_caption,
                "publish" => &mut form.publish,
                "body" => {
                    // The body keeps its spaces; browsers send CR LF line ends.
                    form.body = crate::text::nfc(&value.replace("\r\n", "\n")).into_owned();
                    continue;
                }
                "featured" => {
                    form.featured = matches!(value, "1" | "on" | "true");
                    continue;
                }
                _ => continue,
            };
            *slot = clean(value);
        }
        form
    }

    /// A new article's form: now (in the site's time zone), the config's (or the clerk's
    /// last) author, a draft.
    pub fn new_article(
        config: &Config,
        now: DateTime<FixedOffset>,
        author: Option<(String, String)>,
    ) -> ArticleForm {
        let now = now.with_timezone(&config.timezone);
        let (author, author_title) = author.unwrap_or_else(|| {
            (
                config.default_author.clone().unwrap_or_default(),
                String::new(),
            )
        });
        ArticleForm {
            category: config
                .categories
                .as_ref()
                .and_then(|c| c.first())
                .map(|c| c.name.trim().to_string())
                .unwrap_or_default(),
            date: now.format("%Y-%m-%d").to_string(),
            time: now.format("%H:%M").to_string(),
            author,
            author_title,
            publish: Publish::Draft.value().into(),
            ..ArticleForm::default()
        }
    }

    /// The form of an existing article file (`path` under `content/`, `hash` of its bytes).
    pub fn from_article(
        article: &Article,
        path: &str,
        hash: &str,
        config: &Config,
        now: DateTime<FixedOffset>,
    ) -> ArticleForm {
        let date = article.date.with_timezone(&config.timezone);
        let publish = if article.draft {
            Publish::Draft
        } else if article.date > now {
            Publish::Scheduled
        } else {
            Publish::Now
        };
        ArticleForm {
            path: path.to_string(),
            hash: hash.to_string(),
            title: article.title.clone(),
            category: article.category.clone(),
            date: date.format("%Y-%m-%d").to_string(),
            time: date.format("%H:%M").to_string(),
            author: article.author.clone().unwrap_or_default(),
            author_title: article.author_title.clone().unwrap_or_default(),
            tags: article.tags.join(", "),
            summary: article.summary.clone().unwrap_or_default(),
            image: article.image.clone().unwrap_or_default(),
            image_caption: article.image_caption.clone().unwrap_or_default(),
            featured: article.featured,
            publish: publish.value().into(),
            body: article.body.clone(),
        }
    }

    /// Checks the form against the site's config at `now`; every problem is returned, each
    /// naming its field.
    pub fn check(
        &self,
        config: &Config,
        now: DateTime<FixedOffset>,
    ) -> Result<Checked, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.title.is_empty() {
            errors.push(FieldError::new(
                "title",
                "Chưa có tiêu đề: hãy nhập tiêu đề bài.",
            ));
        } else if crate::text::slug::slugify(&self.title).is_empty() {
            errors.push(FieldError::new(
                "title",
                "Tiêu đề cần có ít nhất một chữ cái hoặc chữ số.",
            ));
        }
        let category = match &config.categories {
            Some(declared) => declared
                .iter()
                .map(|c| c.name.trim())
                .find(|n| n.to_lowercase() == self.category.to_lowercase())
                .map(|n| crate::text::nfc(n).into_owned()),
            None => Some(self.category.clone()).filter(|c| !c.is_empty()),
        };
        if category.is_none() {
            errors.push(FieldError::new(
                "category",
                if self.category.is_empty() {
                    "Chưa chọn chuyên mục.".to_string()
                } else {
                    format!(
                        "Chuyên mục “{}” không có trong cấu hình trang; hãy chọn trong danh sách.",
                        self.category
                    )
                },
            ));
        }
        let publish = Publish::from_value(&self.publish);
        if publish.is_none() {
            errors.push(FieldError::new(
                "publish",
                "Hãy chọn: lưu nháp, đăng ngay hoặc hẹn giờ.",
            ));
        }
        let time = if self.time.is_empty() {
            "00:00"
        } else {
            &self.time
        };
        let date =
            NaiveDateTime::parse_from_str(&format!("{} {time}", self.date), "%Y-%m-%d %H:%M")
                .ok()
                .and_then(|naive| config.timezone.from_local_datetime(&naive).single())
                .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)));
        match (date, publish) {
            (None, _) => errors.push(FieldError::new(
                "date",
                "Ngày giờ không hợp lệ: hãy chọn ngày (ngày/tháng/năm) và giờ (giờ:phút).",
            )),
            (Some(d), Some(Publish::Scheduled)) if d <= now => errors.push(FieldError::new(
                "date",
                "Hẹn giờ cần một thời điểm trong tương lai: hãy chọn ngày giờ sau lúc này.",
            )),
            (Some(d), Some(Publish::Now)) if d > now + chrono::Duration::minutes(1) => {
                errors.push(FieldError::new(
                    "date",
                    "Ngày giờ ở tương lai: chọn “Hẹn giờ” để đăng vào lúc đó, hoặc sửa ngày giờ.",
                ))
            }
            _ => {}
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tags.split([',', ';']).map(clean) {
            if !tag.is_empty() && !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                tags.push(tag);
            }
        }
        Ok(Checked {
            title: self.title.clone(),
            category: category.unwrap_or_default(),
            date: date.expect("checked above"),
            author: self.author.clone(),
            author_title: self.author_title.clone(),
            tags,
            summary: self.summary.clone(),
            image: self.image.clone(),
            image_caption: self.image_caption.clone(),
            featured: self.featured,
            publish: publish.expect("checked above"),
            body: self.body.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: T\nbase_url: https://x.example/\ncategories:\n  - name: Tin tức\n  - name: Thông báo\n",
        )
        .unwrap()
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-01T10:00:00+07:00").unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> ArticleForm {
        ArticleForm::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn a_complete_form_checks_and_spells_the_category_as_config_does() {
        let checked = form(&[
            ("title", "  Hội nghị  "),
            ("category", "tin tức"),
            ("date", "2026-11-30"),
            ("time", "08:30"),
            ("tags", "khoa học, , Khoa học; công nghệ"),
            ("publish", "dang"),
            ("body", "Dòng 1\r\nDòng 2"),
        ])
        .check(&config(), now())
        .unwrap();
        assert_eq!(checked.title, "Hội nghị");
        assert_eq!(checked.category, "Tin tức");
        assert_eq!(checked.tags, ["khoa học", "công nghệ"]);
        assert_eq!(checked.body, "Dòng 1\nDòng 2");
        assert_eq!(checked.date.to_rfc3339(), "2026-11-30T08:30:00+07:00");
    }

    #[test]
    fn every_mistake_is_reported_at_its_field() {
        let errors = form(&[("category", "Thể thao"), ("date", "30/11/2026")])
            .check(&config(), now())
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "category", "publish", "date"]);
        assert!(errors[1].message.contains("Thể thao"));
    }

    #[test]
    fn a_schedule_must_be_in_the_future_and_publishing_now_must_not() {
        let past = [
            ("title", "A"),
            ("category", "Tin tức"),
            ("date", "2026-11-30"),
        ];
        let mut pairs = past.to_vec();
        pairs.push(("publish", "hen-gio"));
        let errors = form(&pairs).check(&config(), now()).unwrap_err();
        assert_eq!(errors[0].field, "date");
        let future = [
            ("title", "A"),
            ("category", "Tin tức"),
            ("date", "2026-12-05"),
            ("publish", "dang"),
        ];
        let errors = form(&future).check(&config(), now()).unwrap_err();
        assert!(errors[0].message.contains("Hẹn giờ"), "{errors:?}");
        let mut scheduled = future.to_vec();
        scheduled[3] = ("publish", "hen-gio");
        assert_eq!(
            form(&scheduled).check(&config(), now()).unwrap().publish,
            Publish::Scheduled
        );
    }
}
