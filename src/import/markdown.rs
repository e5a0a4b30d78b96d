//! The converter's model → Markdown: headings one level below the article's title, tight
//! lists indented under their parent item, pipe tables, `![alt](file)` images, and bold and
//! italic markers that open and close around words (never `****`, never a space inside).

use super::model::{Block, Format, Inline, Kind, Para};
use std::rc::Rc;

/// Where inline text goes: each writes line breaks and bold its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Paragraph,
    Heading,
    Cell,
}

/// The Markdown of `blocks`; image `i` is written as `images[i]`.
pub(crate) fn render(blocks: &[Block], images: &[String]) -> String {
    let mut out = blocks_markdown(blocks, images);
    if !out.is_empty() {
        out.push('\n');
    }
    crate::text::nfc(&out).into_owned()
}

/// The Markdown of `blocks` without the final newline.
fn blocks_markdown(blocks: &[Block], images: &[String]) -> String {
    let mut out = String::new();
    // The content column of each open list level (where its text starts).
    let mut list: Vec<usize> = Vec::new();
    let mut previous_item = false;
    // Whether the outermost list so far is numbered: a list of the other kind after it
    // starts apart, after a blank line.
    let mut outer_ordered = None;
    let mut apart = false;
    for block in blocks {
        let (text, item) = match block {
            Block::Para(para) => match para.kind {
                Kind::Item {
                    ordered,
                    level,
                    number,
                } => {
                    let body = inline(&para.inlines, images, Place::Paragraph);
                    if body.is_empty() {
                        continue;
                    }
                    if !previous_item {
                        list.clear();
                        outer_ordered = None;
                    }
                    if level == 0 {
                        apart = outer_ordered.is_some_and(|o| o != ordered);
                        outer_ordered = Some(ordered);
                    }
                    list.truncate(level.min(list.len()));
                    let indent = list.last().copied().unwrap_or(0);
                    let marker = if ordered {
                        format!("{number}. ")
                    } else {
                        "- ".to_string()
                    };
                    let column = indent + marker.len();
                    list.push(column);
                    let body = escape_line_starts(&body)
                        .replace('\n', &format!("\n{}", " ".repeat(column)));
                    (format!("{}{marker}{body}", " ".repeat(indent)), true)
                }
                _ => match paragraph(para, images) {
                    Some(text) => (text, false),
                    None => continue,
                },
            },
            Block::Table(rows) => match table(rows, images) {
                Some(text) => (text, false),
                None => continue,
            },
            Block::Quote(inner) => {
                let text = blocks_markdown(inner, images);
                if text.is_empty() {
                    continue;
                }
                let quoted: Vec<String> = text
                    .lines()
                    .map(|line| {
                        if line.is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {line}")
                        }
                    })
                    .collect();
                (quoted.join("\n"), false)
            }
        };
        if !out.is_empty() {
            out.push_str(if item && previous_item && !apart {
                "\n"
            } else {
                "\n\n"
            });
        }
        out.push_str(&text);
        previous_item = item;
        apart = false;
    }
    out
}

/// A heading or a paragraph of body text; `None` when it has nothing to show.
fn paragraph(para: &Para, images: &[String]) -> Option<String> {
    let level = match para.kind {
        // The article's title is the page's h1: Word's Title and Heading 1 become h2.
        Kind::Title => 2,
        Kind::Heading(n) => (n + 1).min(6),
        _ => 0,
    };
    if level > 0 {
        let text = inline(&para.inlines, images, Place::Heading);
        return (!text.is_empty()).then(|| format!("{} {text}", "#".repeat(usize::from(level))));
    }
    let text = inline(&para.inlines, images, Place::Paragraph);
    (!text.is_empty()).then(|| escape_line_starts(&text))
}

/// A pipe table; the first row is its header (Markdown tables have one). A cell's
/// paragraphs are joined with `<br>`; merged cells leave the cells they cover empty.
fn table(rows: &[Vec<Vec<Para>>], images: &[String]) -> Option<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return None;
    }
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row
            .iter()
            .map(|paras| {
                paras
                    .iter()
                    .map(|p| inline(&p.inlines, images, Place::Cell))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("<br>")
            })
            .collect();
        cells.resize(columns, String::new());
        lines.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            lines.push(format!("|{}", " --- |".repeat(columns)));
        }
    }
    Some(lines.join("\n"))
}

/// A piece of a paragraph ready for the emphasis markers: its Markdown, whether it has
/// whitespace before and after, its bold and italic.
enum Unit {
    Text {
        core: String,
        lead: bool,
        trail: bool,
        bold: bool,
        italic: bool,
    },
    Break,
}

/// The Markdown of a paragraph's inlines, without leading or trailing whitespace.
fn inline(inlines: &[Inline], images: &[String], place: Place) -> String {
    let mut units = Vec::new();
    let mut i = 0;
    while i < inlines.len() {
        match &inlines[i] {
            Inline::Text(
                _,
                Format {
                    link: Some(link), ..
                },
            ) => {
                // A link: the pieces that share it, rendered inside `[...](...)`.
                let start = i;
                while i < inlines.len()
                    && matches!(&inlines[i], Inline::Text(_, f) if f.link.as_ref() == Some(link))
                {
                    i += 1;
                }
                units.extend(link_unit(&inlines[start..i], link, place));
                continue;
            }
            Inline::Text(text, format) => units.push(text_unit(text, format, place)),
            Inline::Break => units.push(Unit::Break),
            Inline::Image(index, alt) => {
                if let Some(name) = images.get(*index) {
                    units.push(Unit::Text {
                        core: format!("![{}]({})", escape(&squash(alt), place), link_target(name)),
                        lead: false,
                        trail: false,
                        bold: false,
                        italic: false,
                    });
                }
            }
        }
        i += 1;
    }
    emphasize(&units, place)
}

fn text_unit(text: &str, format: &Format, place: Place) -> Unit {
    let squashed = squash(text);
    Unit::Text {
        core: escape(squashed.trim(), place),
        lead: squashed.starts_with(' '),
        trail: squashed.ends_with(' '),
        bold: format.bold && place != Place::Heading,
        italic: format.italic,
    }
}

/// `[text](address)`: the emphasis all its pieces share goes outside the brackets, the
/// rest inside.
fn link_unit(pieces: &[Inline], link: &Rc<str>, place: Place) -> Option<Unit> {
    let formats = pieces.iter().filter_map(|p| match p {
        Inline::Text(_, f) => Some(f),
        _ => None,
    });
    let (mut bold, mut italic) = (place != Place::Heading, true);
    for f in formats {
        bold &= f.bold;
        italic &= f.italic;
    }
    let inner: Vec<Unit> = pieces
        .iter()
        .filter_map(|p| match p {
            Inline::Text(text, f) => Some(text_unit(
                text,
                &Format {
                    bold: f.bold && !bold,
                    italic: f.italic && !italic,
                    link: None,
                },
                place,
            )),
            _ => None,
        })
        .collect();
    let text = emphasize(&inner, place);
    if text.is_empty() {
        return None;
    }
    let whole: String = pieces
        .iter()
        .map(|p| match p {
            Inline::Text(t, _) => squash(t),
            _ => String::new(),
        })
        .collect();
    Some(Unit::Text {
        core: format!("[{text}]({})", link_target(link)),
        lead: whole.starts_with(' '),
        trail: whole.ends_with(' '),
        bold,
        italic,
    })
}

/// Writes units with `**` and `*` opened and closed only where bold or italic changes,
/// whitespace kept outside the markers (CommonMark does not take `** a**`).
fn emphasize(units: &[Unit], place: Place) -> String {
    let mut out = String::new();
    let mut open: Vec<&'static str> = Vec::new();
    let mut space = false;
    let close_all = |out: &mut String, open: &mut Vec<&'static str>| {
        while let Some(marker) = open.pop() {
            out.push_str(marker);
        }
    };
    for unit in units {
        match unit {
            Unit::Break => {
                close_all(&mut out, &mut open);
                space = false;
                if !out.is_empty() {
                    out.push_str(match place {
                        Place::Paragraph => "\\\n",
                        Place::Heading => " ",
                        Place::Cell => "<br>",
                    });
                }
            }
            Unit::Text {
                core,
                lead,
                trail,
                bold,
                italic,
            } => {
                if core.is_empty() {
                    space |= *lead || *trail;
                    continue;
                }
                space |= *lead;
                let wanted = |m: &str| if m == "**" { *bold } else { *italic };
                if let Some(first) = open.iter().position(|m| !wanted(m)) {
                    while open.len() > first {
                        out.extend(open.pop());
                    }
                }
                if space && !out.is_empty() && !out.ends_with(['\n', '>', ' ']) {
                    out.push(' ');
                }
                for (marker, on) in [("**", *bold), ("*", *italic)] {
                    if on && !open.contains(&marker) {
                        out.push_str(marker);
                        open.push(marker);
                    }
                }
                out.push_str(core);
                space = *trail;
            }
        }
    }
    close_all(&mut out, &mut open);
    while out.ends_with("\\\n") || out.ends_with("<br>") {
        out.truncate(out.len() - if out.ends_with("<br>") { 4 } else { 2 });
    }
    out.trim().to_string()
}

/// Word's spacing on one line: every run of whitespace (tabs, non-breaking spaces, line
/// feeds) one space, zero-width characters and controls dropped. The ends keep one space.
fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !(matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}') || c.is_control()) {
            out.push(c);
        }
    }
    out
}

/// Escapes the characters Markdown would read as markup; `|` only in table cells.
fn escape(text: &str, place: Place) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '~' => out.push('\\'),
            '|' if place == Place::Cell => out.push('\\'),
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push('\\')
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Escapes what would start a heading, a list, a quote or a setext underline at the start
/// of each line of a paragraph.
fn escape_line_starts(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if line.starts_with(['#', '-', '+', '=']) {
                format!("\\{line}")
            } else if digits > 0 && line[digits..].starts_with(['.', ')']) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An address as a link target: spaces, brackets and parentheses percent-encoded.
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, bold: bool, italic: bool) -> Inline {
        Inline::Text(
            t.into(),
            Format {
                bold,
                italic,
                link: None,
            },
        )
    }

    fn linked(t: &str, bold: bool, url: &str) -> Inline {
        Inline::Text(
            t.into(),
            Format {
                bold,
                italic: false,
                link: Some(Rc::from(url)),
            },
        )
    }

    fn para(kind: Kind, inlines: Vec<Inline>) -> Block {
        Block::Para(Para { kind, inlines })
    }

    fn body(inlines: Vec<Inline>) -> String {
        render(&[para(Kind::Body, inlines)], &[])
    }

    #[test]
    fn bold_and_italic_open_and_close_around_words() {
        assert_eq!(
            body(vec![
                text("Sở ", false, false),
                text("Khoa học ", true, false),
                text("và", true, true),
                text(" Công nghệ", true, false),
                text(" tỉnh.", false, false),
            ]),
            "Sở **Khoa học *và* Công nghệ** tỉnh.\n"
        );
    }

    #[test]
    fn whitespace_only_runs_never_make_empty_markers() {
        assert_eq!(
            body(vec![
                text("Hội", false, false),
                text(" ", true, false),
                text("nghị", false, false),
            ]),
            "Hội nghị\n"
        );
        assert_eq!(body(vec![text("  ", true, true)]), "");
    }

    #[test]
    fn links_keep_their_text_and_shared_emphasis_outside() {
        assert_eq!(
            body(vec![
                text("Xem ", false, false),
                linked("Cổng thông tin ", true, "https://a.gov.vn/x (1)"),
                text("ngay.", false, false),
            ]),
            "Xem **[Cổng thông tin](https://a.gov.vn/x%20%281%29)** ngay.\n"
        );
    }

    #[test]
    fn markdown_characters_and_line_starts_are_escaped() {
        assert_eq!(
            body(vec![text("# 1*2_3 [a] <b> &amp; & x", false, false)]),
            "\\# 1\\*2\\_3 \\[a\\] \\<b\\> \\&amp; & x\n"
        );
        assert_eq!(body(vec![text("2024. Năm", false, false)]), "2024\\. Năm\n");
        assert_eq!(
            body(vec![
                text("a", false, false),
                Inline::Break,
                text("- b", false, false)
            ]),
            "a\\\n\\- b\n"
        );
    }

    #[test]
    fn spaces_tabs_and_non_breaking_spaces_collapse() {
        assert_eq!(
            body(vec![text("\tNgày\u{00A0}\u{00A0}5  tháng ", false, false)]),
            "Ngày 5 tháng\n"
        );
    }

    #[test]
    fn headings_sit_below_the_title_and_drop_bold() {
        let blocks = [
            para(Kind::Heading(1), vec![text("Mục một", true, false)]),
            para(Kind::Heading(6), vec![text("Sâu", false, false)]),
            para(Kind::Title, vec![text("Tiêu đề phụ", false, false)]),
        ];
        assert_eq!(
            render(&blocks, &[]),
            "## Mục một\n\n###### Sâu\n\n## Tiêu đề phụ\n"
        );
    }

    #[test]
    fn lists_nest_under_their_parent_and_number_from_word() {
        let item = |ordered, level, number, t: &str| {
            para(
                Kind::Item {
                    ordered,
                    level,
                    number,
                },
                vec![text(t, false, false)],
            )
        };
        let blocks = [
            para(Kind::Body, vec![text("Gồm:", false, false)]),
            item(true, 0, 1, "Một"),
            item(false, 1, 1, "gạch"),
            item(true, 0, 2, "Hai"),
            para(Kind::Body, vec![text("Hết.", false, false)]),
            item(false, 0, 1, "- lạ"),
        ];
        assert_eq!(
            render(&blocks, &[]),
            "Gồm:\n\n1. Một\n   - gạch\n2. Hai\n\nHết.\n\n- \\- lạ\n"
        );
    }

    #[test]
    fn tables_get_a_header_row_escaped_pipes_and_flattened_cells() {
        let cell = |t: &str| {
            vec![Para {
                kind: Kind::Body,
                inlines: vec![text(t, false, false)],
            }]
        };
        let rows = vec![
            vec![cell("Tên"), cell("Số")],
            vec![vec![
                Para {
                    kind: Kind::Body,
                    inlines: vec![text("a|b", false, false)],
                },
                Para {
                    kind: Kind::Body,
                    inlines: vec![text("dòng 2", false, false)],
                },
            ]],
        ];
        assert_eq!(
            render(&[Block::Table(rows)], &[]),
            "| Tên | Số |\n| --- | --- |\n| a\\|b<br>dòng 2 |  |\n"
        );
    }

    #[test]
    fn images_are_written_with_their_alt_text() {
        let blocks = [para(
            Kind::Body,
            vec![Inline::Image(0, "Quang cảnh [hội nghị]".into())],
        )];
        assert_eq!(
            render(&blocks, &["hoi-nghi-1.jpg".into()]),
            "![Quang cảnh \\[hội nghị\\]](hoi-nghi-1.jpg)\n"
        );
    }

    #[test]
    fn quotes_prefix_every_line_of_their_blocks() {
        let blocks = [Block::Quote(vec![
            para(Kind::Body, vec![text("Một", false, false)]),
            para(Kind::Body, vec![text("Hai", false, true)]),
        ])];
        assert_eq!(render(&blocks, &[]), "> Một\n>\n> *Hai*\n");
        assert_eq!(render(&[Block::Quote(vec![])], &[]), "");
    }

    #[test]
    fn text_is_nfc() {
        assert_eq!(
            body(vec![text("Vie\u{0302}\u{0323}t", false, false)]),
            "Việt\n"
        );
    }
}
