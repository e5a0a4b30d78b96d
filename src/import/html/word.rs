//! What Word and Google Docs say in `style` attributes: bold and italic given as styles,
//! hidden text, and Word's fake lists (a `<p>` with `mso-list: l0 level2 lfo1` whose
//! bullet or number is typed into a `<span style="mso-list:Ignore">`).

use scraper::node::Element;
use scraper::ElementRef;

/// One declaration of a `style` attribute, by its lowercase name.
pub(super) fn style<'a>(element: &'a Element, name: &str) -> Option<&'a str> {
    element.attr("style")?.split(';').find_map(|declaration| {
        let (key, value) = declaration.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_end_matches("!important").trim())
    })
}

/// What `font-weight` says: `Some(true)` for bold (`bold`, `bolder`, 600 and more),
/// `Some(false)` for normal (Google Docs wraps a whole paste in
/// `<b style="font-weight:normal">`), `None` when it says nothing.
pub(super) fn weight(element: &Element) -> Option<bool> {
    let value = style(element, "font-weight")?.to_ascii_lowercase();
    match value.as_str() {
        "bold" | "bolder" => Some(true),
        "normal" | "lighter" => Some(false),
        number => number.parse::<u16>().ok().map(|n| n >= 600),
    }
}

/// What `font-style` says: `Some(true)` for italic or oblique, `Some(false)` for normal.
pub(super) fn italic(element: &Element) -> Option<bool> {
    let value = style(element, "font-style")?.to_ascii_lowercase();
    match value.as_str() {
        "italic" | "oblique" => Some(true),
        "normal" => Some(false),
        _ => None,
    }
}

/// True for what a reader never sees: `display:none`, Word's `mso-hide:all`, and the
/// `mso-list:Ignore` span that holds a fake list's typed bullet.
pub(super) fn hidden(element: &Element) -> bool {
    let is = |name: &str, value: &str| {
        style(element, name).is_some_and(|v| v.eq_ignore_ascii_case(value))
    };
    is("display", "none") || is("mso-hide", "all") || is("mso-list", "ignore")
}

/// A Word list paragraph as a list item: ordered or not, its level (0 = outermost) and
/// its number. `None` for any other paragraph (Word also gives indented paragraphs the
/// class `MsoListParagraph`: only a typed bullet or number makes an item).
pub(super) fn list_item(paragraph: ElementRef<'_>) -> Option<(bool, usize, u32)> {
    let list = style(paragraph.value(), "mso-list")?;
    let level = list
        .split_whitespace()
        .find_map(|word| word.strip_prefix("level")?.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 9)
        - 1;
    let marker = paragraph
        .descendent_elements()
        .find(|e| style(e.value(), "mso-list").is_some_and(|v| v.eq_ignore_ascii_case("ignore")))?;
    let text: String = marker.text().collect();
    let (ordered, number) = marker_kind(&text)?;
    Some((ordered, level, number))
}

/// What a typed list marker is: `·`, `o`, `§`, `-`, `•` are bullets; `1.`, `2)`, `a.`,
/// `iv.` numbers (letters count from a = 1; Roman numerals as such).
fn marker_kind(text: &str) -> Option<(bool, u32)> {
    let marker: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['.', ')'])
        .trim_start_matches('(')
        .to_string();
    if marker.is_empty() {
        return None;
    }
    if let Ok(n) = marker.parse::<u32>() {
        return Some((true, n));
    }
    if let Some(n) = roman(&marker) {
        return Some((true, n));
    }
    let mut chars = marker.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_ascii_alphabetic() && c != 'o' && text.trim_end().ends_with(['.', ')']) {
            return Some((true, u32::from(c.to_ascii_lowercase() as u8 - b'a' + 1)));
        }
    }
    // Anything else Word typed (·, o, §, ü, -, •, a symbol-font character) is a bullet.
    Some((false, 1))
}

/// A Roman numeral of up to 39 (`i`, `iv`, `XII`), as Word numbers lists.
fn roman(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let table = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    table.iter().position(|r| *r == lower).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_bullets_numbers_letters_or_roman_numerals() {
        assert_eq!(marker_kind("·\u{a0}\u{a0}\u{a0} "), Some((false, 1)));
        assert_eq!(marker_kind("o\u{a0}\u{a0}"), Some((false, 1)));
        assert_eq!(marker_kind("§"), Some((false, 1)));
        assert_eq!(marker_kind("3.\u{a0}"), Some((true, 3)));
        assert_eq!(marker_kind("12)"), Some((true, 12)));
        assert_eq!(marker_kind("c."), Some((true, 3)));
        assert_eq!(marker_kind("iv."), Some((true, 4)));
        assert_eq!(marker_kind("\u{a0} "), None);
    }
}
