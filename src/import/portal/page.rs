//! One saved page of the old portal read with the rules: its title, date, category,
//! author line, featured image and body (as Markdown). A pure function of the page's text.

use super::rules::{CategoryFrom, Rules};
use crate::import::html::{self, ImageSource};
use crate::import::model::collapse_spaces;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use scraper::{ElementRef, Html, Selector};

/// What a page holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Page {
    pub(super) title: String,
    pub(super) date: DateTime<FixedOffset>,
    /// The old category's name as the page shows it.
    pub(super) category: String,
    pub(super) author: Option<String>,
    pub(super) author_title: Option<String>,
    pub(super) summary: Option<String>,
    /// The featured image's address as written in the page.
    pub(super) image: Option<String>,
    pub(super) markdown: String,
    /// What was left out of the body.
    pub(super) notes: Vec<String>,
}

/// Reads a page; `Err` says why it is no article this tool can import (no body, no
/// title, a date it cannot read, no category). `images` is asked about each body image
/// with the page's date (see [`html::html_to_markdown`]).
pub(super) fn read(
    text: &str,
    rules: &Rules,
    images: &mut dyn FnMut(DateTime<FixedOffset>, &ImageSource) -> Option<String>,
) -> Result<Page, String> {
    let mut document = Html::parse_document(text);
    let Some(body) = document.select(&rules.body).next().map(|b| b.id()) else {
        return Err("no body (nothing matches `body:`): not an article page".into());
    };
    let title = first_text(&document, &rules.title)
        .ok_or("no title (nothing with text matches `title:`)")?;
    let date_text =
        first_text(&document, &rules.date).ok_or("no date (nothing with text matches `date:`)")?;
    let date = parse_date(&date_text, &rules.date_format, rules.timezone).ok_or_else(|| {
        format!(
            "the date `{date_text}` does not match `date_format: {}`",
            rules.date_format
        )
    })?;
    let category = match &rules.category {
        CategoryFrom::Element(selector) => first_text(&document, selector),
        CategoryFrom::Breadcrumb(selector) => document
            .select(selector)
            .filter_map(|e| last_crumb(&element_text(e)))
            .next_back(),
    }
    .ok_or("no category (nothing with text matches `category:` or `breadcrumb:`)")?;
    let summary = rules
        .summary
        .as_ref()
        .and_then(|s| first_text(&document, s));
    let image = rules.image.as_ref().and_then(|selector| {
        let element = document.select(selector).next()?;
        let img = if element.value().name() == "img" {
            Some(element)
        } else {
            element
                .descendent_elements()
                .find(|e| e.value().name() == "img")
        }?;
        img.value()
            .attr("src")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    });
    // The author line is the last element that matches, inside the body.
    let body_ref = ElementRef::wrap(document.tree.get(body).expect("selected node exists"))
        .expect("an element");
    let author_line = rules.author.as_ref().and_then(|selector| {
        body_ref
            .select(selector)
            .filter(|e| !element_text(*e).is_empty())
            .last()
            .map(|e| (e.id(), element_text(e)))
    });
    let mut removed: Vec<_> = rules
        .remove
        .iter()
        .flat_map(|selector| body_ref.select(selector).map(|e| e.id()))
        .collect();
    let (author, author_title) = match author_line {
        Some((id, line)) => {
            removed.push(id);
            let (name, role) = split_author(&line);
            (Some(name), role)
        }
        None => (None, None),
    };
    for id in removed {
        if id != body {
            if let Some(mut node) = document.tree.get_mut(id) {
                node.detach();
            }
        }
    }
    let body_ref = ElementRef::wrap(document.tree.get(body).expect("selected node exists"))
        .expect("an element");
    let converted = html::convert_element(body_ref, &mut |image| images(date, image));
    Ok(Page {
        title,
        date,
        category,
        author,
        author_title,
        summary,
        image,
        markdown: converted.markdown,
        notes: converted.notes,
    })
}

/// The text of the first element with text that `selector` matches.
fn first_text(document: &Html, selector: &Selector) -> Option<String> {
    document
        .select(selector)
        .map(element_text)
        .find(|t| !t.is_empty())
}

/// An element's text, spaces collapsed, NFC.
fn element_text(element: ElementRef<'_>) -> String {
    let text: String = element.text().collect();
    crate::text::nfc(&collapse_spaces(&text)).into_owned()
}

/// The last item of a breadcrumb's text: `Trang chủ » Tin Hoạt động » Chung` → `Chung`.
fn last_crumb(text: &str) -> Option<String> {
    text.rsplit(['»', '›', '>', '/', '|'])
        .map(str::trim)
        .find(|part| !part.is_empty())
        .map(str::to_string)
}

/// `Nguyễn Văn A - Phòng Quản lý khoa học` → the name and the title; without a dash, a
/// name alone. Parentheses around the whole line are dropped.
pub(super) fn split_author(line: &str) -> (String, Option<String>) {
    let line = line
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    for dash in [" - ", " – ", " — "] {
        if let Some((name, title)) = line.split_once(dash) {
            let title = title.trim();
            return (
                name.trim().to_string(),
                (!title.is_empty()).then(|| title.to_string()),
            );
        }
    }
    (line.to_string(), None)
}

/// A date in `format` found in `text` (which may say more: `Cập nhật: 13/10/2020
/// 07:57:32`), in `zone`; a format without a time gives midnight.
fn parse_date(text: &str, format: &str, zone: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let starts = text
        .char_indices()
        .filter(|(i, c)| {
            c.is_ascii_digit() && (*i == 0 || !text[..*i].ends_with(|p: char| p.is_ascii_digit()))
        })
        .map(|(i, _)| i);
    for start in std::iter::once(0).chain(starts) {
        let piece = &text[start..];
        let naive = NaiveDateTime::parse_and_remainder(piece, format)
            .map(|(d, _)| d)
            .or_else(|_| {
                NaiveDate::parse_and_remainder(piece, format)
                    .map(|(d, _)| d.and_hms_opt(0, 0, 0).unwrap_or_default())
            });
        if let Ok(naive) = naive {
            return zone.from_local_datetime(&naive).single();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_found_inside_longer_text() {
        let zone = FixedOffset::east_opt(7 * 3600).unwrap();
        let date = parse_date(
            "Cập nhật: 13/10/2020 07:57:32 (GMT+7)",
            "%d/%m/%Y %H:%M:%S",
            zone,
        )
        .unwrap();
        assert_eq!(date.to_rfc3339(), "2020-10-13T07:57:32+07:00");
        let day = parse_date("Ngày 5/3/2021", "%d/%m/%Y", zone).unwrap();
        assert_eq!(day.to_rfc3339(), "2021-03-05T00:00:00+07:00");
        assert_eq!(parse_date("hôm qua", "%d/%m/%Y", zone), None);
    }

    #[test]
    fn author_lines_split_into_name_and_title() {
        assert_eq!(
            split_author("Trần Thị Bình - Phòng Quản lý khoa học"),
            (
                "Trần Thị Bình".to_string(),
                Some("Phòng Quản lý khoa học".to_string())
            )
        );
        assert_eq!(
            split_author("(Văn phòng Sở)"),
            ("Văn phòng Sở".to_string(), None)
        );
    }

    fn rules() -> Rules {
        Rules::parse(
            "old_base: https://a.gov.vn\ntitle: h1\ndate: .ngay\nbreadcrumb: .bc a\n\
             body: .noi-dung\nimage: .anh img\nauthor: p.tac-gia\nsummary: .sapo\n\
             remove: [.chia-se, .noi-dung]\n",
            std::path::Path::new("rules.yaml"),
        )
        .unwrap()
    }

    #[test]
    fn a_page_gives_its_parts_and_loses_its_author_line() {
        let html = "<div class=bc><a>Tin Hoạt động</a> » <a>Chung</a></div><h1> Tiêu  đề </h1>\
                    <span class=ngay>13/10/2020 07:57:32</span><div class=anh><img src=a.jpg></div>\
                    <div class=noi-dung><p>Thân <b>bài</b>.</p><img src=b.jpg>\
                    <p class=chia-se>In bài</p><p class=tac-gia>Lê Nam - Phóng viên</p>\
                    <p class=tac-gia></p></div>";
        let mut seen = Vec::new();
        let page = read(html, &rules(), &mut |date, image| {
            seen.push((date.to_rfc3339(), image.src.clone()));
            Some(image.src.clone())
        })
        .unwrap();
        assert_eq!(page.title, "Tiêu đề");
        assert_eq!(page.category, "Chung");
        assert_eq!(page.image.as_deref(), Some("a.jpg"));
        assert_eq!(page.author.as_deref(), Some("Lê Nam"));
        assert_eq!(page.author_title.as_deref(), Some("Phóng viên"));
        assert_eq!(page.markdown, "Thân **bài**.\n\n![](b.jpg)\n");
        assert_eq!(
            seen,
            [("2020-10-13T07:57:32+07:00".to_string(), "b.jpg".to_string())]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_page_is_read_or_refused_without_panicking(text in proptest::prelude::any::<String>()) {
            let _ = read(&text, &rules(), &mut |_, _| None);
            let page = format!("<h1>{text}</h1><p class=ngay>{text}</p><div class=noi-dung>{text}</div>");
            let _ = read(&page, &rules(), &mut |_, i| Some(i.src.clone()));
        }
    }

    #[test]
    fn the_last_crumb_is_the_category() {
        assert_eq!(
            last_crumb("Tin Hoạt động » Chung ").as_deref(),
            Some("Chung")
        );
        assert_eq!(last_crumb("Chung").as_deref(), Some("Chung"));
        assert_eq!(last_crumb(" » "), None);
    }
}
