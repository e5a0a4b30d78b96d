//! Scanning text into lowercase Vietnamese syllables (diacritics kept), and the stop words
//! that are not terms: the words related articles compare. (The search index folds its words
//! instead: [`super::tokens`].)

/// Vietnamese function words: they are not terms and break syllable bigrams.
/// Sorted (byte order), for binary search.
const STOP_WORDS: &[&str] = &[
    "ai", "bà", "bị", "bởi", "chiếc", "cho", "chúng", "chỉ", "các", "cái", "có", "cùng", "cũng",
    "cả", "của", "do", "gì", "hay", "hoặc", "hơn", "hết", "họ", "khi", "không", "kia", "là", "lên",
    "lại", "mà", "mình", "mọi", "mỗi", "một", "nhau", "nhiều", "như", "nhưng", "nhất", "nhằm",
    "những", "nào", "này", "nên", "nó", "nếu", "qua", "ra", "rất", "rằng", "sau", "sẽ", "sự", "ta",
    "thì", "thế", "trong", "trên", "trước", "tôi", "tại", "tất", "từ", "việc", "và", "vào", "vì",
    "vẫn", "vậy", "về", "với", "ông", "đang", "đây", "đã", "đó", "được", "đến", "đều", "để", "ấy",
    "ở",
];

/// One step of a text scan: a lowercase syllable, or a break that no bigram may cross.
#[derive(Debug, PartialEq)]
pub(crate) enum Token<'a> {
    Syllable(&'a str),
    Break,
}

/// Splits `text` into lowercase syllables. Letters and digits form syllables; spaces and
/// hyphens separate them; other punctuation and line ends are breaks. Numbers are not terms,
/// and stand as breaks. Diacritics are kept: "ca", "cá", "cà" are different syllables.
/// `text` must be NFC (all loaded text is). Returns after `limit` syllables.
pub(crate) fn scan(text: &str, limit: usize, buf: &mut String, mut f: impl FnMut(Token<'_>)) {
    let bytes = text.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            if !matches!(b, b' ' | b'\t' | b'-' | b'\'' | b'*' | b'_') {
                f(Token::Break);
            }
            i += 1;
            continue;
        }
        if b >= 0x80 {
            let c = text[i..].chars().next().expect("inside the text");
            if !is_letter(c) {
                // Non-breaking and thin spaces, hyphens inside names separate like spaces.
                if !matches!(
                    c,
                    '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2010}' | '\u{2011}'
                ) {
                    f(Token::Break);
                }
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        let (end, has_letter, copied) = syllable_at(text, start, buf);
        i = end;
        if !has_letter {
            f(Token::Break);
            continue;
        }
        f(Token::Syllable(if copied {
            buf
        } else {
            &text[start..end]
        }));
        seen += 1;
        if seen >= limit {
            return;
        }
    }
}

/// Reads the syllable that starts at byte `start` of `text`, lowercasing it into `buf` from
/// its first uppercase letter on (an all-lowercase syllable is not copied). Returns where it
/// ends, whether it has a letter (not only digits), and whether it was copied into `buf`.
#[inline]
fn syllable_at(text: &str, start: usize, buf: &mut String) -> (usize, bool, bool) {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut has_letter = false;
    let mut copied = false;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len) = if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().expect("inside the text");
            if !is_letter(c) {
                break;
            }
            (c, c.len_utf8())
        };
        has_letter |= !c.is_ascii_digit();
        let l = lowercase(c);
        if l != c && !copied {
            buf.clear();
            buf.push_str(&text[start..i]);
            copied = true;
        }
        if copied {
            buf.push(l);
        }
        i += len;
    }
    (i, has_letter, copied)
}

/// Whether a non-ASCII character is part of a syllable; Vietnamese letters without a table look-up.
#[inline]
fn is_letter(c: char) -> bool {
    match c as u32 {
        0xd7 | 0xf7 => false,
        0xc0..=0x24f | 0x1e00..=0x1eff | 0x300..=0x36f => true,
        _ => c.is_alphanumeric(),
    }
}

/// The lowercase of a letter; Vietnamese letters without a table look-up.
#[inline]
fn lowercase(c: char) -> char {
    let u = c as u32;
    let lower = match u {
        0x41..=0x5a => u + 0x20,
        0..=0x7f => u,
        0xc0..=0xde if u != 0xd7 => u + 0x20,
        0xdf..=0xff => u,
        0x100..=0x137 | 0x14a..=0x177 | 0x1e00..=0x1e95 | 0x1ea0..=0x1eff => u | 1,
        0x1a0 => 0x1a1,
        0x1af => 0x1b0,
        0x1a1 | 0x1b0 => u,
        _ => return c.to_lowercase().next().unwrap_or(c),
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Whether a (lowercase) syllable is a function word: not a term, and a bigram break.
pub(crate) fn is_stop_word(syllable: &str) -> bool {
    STOP_WORDS.binary_search(&syllable).is_ok()
}

/// The terms of `text` as strings: syllables and bigrams (`"khoa học"`), stop words left out.
/// For tests and for explaining lists; the related index counts terms itself.
#[cfg(test)]
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev: Option<String> = None;
    let mut buf = String::new();
    scan(&crate::text::nfc(text), usize::MAX, &mut buf, |t| match t {
        Token::Syllable(s) if !is_stop_word(s) => {
            if let Some(p) = &prev {
                out.push(format!("{p} {s}"));
            }
            out.push(s.to_string());
            prev = Some(s.to_string());
        }
        _ => prev = None,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_syllables_and_bigrams_without_stop_words() {
        assert_eq!(
            terms("Khoa học và công nghệ"),
            ["khoa", "khoa học", "học", "công", "công nghệ", "nghệ"]
        );
        let t = terms("sở hữu trí tuệ");
        assert!(
            t.contains(&"sở hữu".to_string()) && t.contains(&"trí tuệ".to_string()),
            "{t:?}"
        );
        assert!(t.contains(&"hữu trí".to_string()), "{t:?}");
    }

    #[test]
    fn punctuation_and_numbers_break_bigrams_and_are_not_terms() {
        assert_eq!(terms("chè, cá"), ["chè", "cá"]);
        assert_eq!(terms("Năm 2024 tỉnh"), ["năm", "tỉnh"]);
        assert_eq!(terms("tăng 12,5% (so với) kỳ trước."), ["tăng", "so", "kỳ"]);
        assert_eq!(terms("X-quang"), ["x", "x quang", "quang"]);
        assert_eq!(terms("ISO 9001"), ["iso"]);
        assert_eq!(terms("virus H5N1"), ["virus", "virus h5n1", "h5n1"]);
        assert_eq!(
            terms("dòng một\ndòng hai"),
            ["dòng", "dòng", "dòng hai", "hai"]
        );
    }

    #[test]
    fn keeps_diacritics_and_lowercases() {
        assert_eq!(terms("Ca CÁ cà"), ["ca", "ca cá", "cá", "cá cà", "cà"]);
        assert_eq!(terms("ĐO LƯỜNG"), ["đo", "đo lường", "lường"]);
    }

    #[test]
    fn fast_lowercase_agrees_with_unicode() {
        for u in (0..0x250).chain(0x1e00..0x1f00) {
            let Some(c) = char::from_u32(u) else { continue };
            let mut l = c.to_lowercase();
            if l.len() == 1 && (c.is_alphanumeric() || u < 0x80) {
                assert_eq!(lowercase(c), l.next().unwrap(), "U+{u:04X}");
            }
            if u >= 0x80 {
                assert_eq!(
                    is_letter(c),
                    c.is_alphanumeric() || (0x300..0x370).contains(&u),
                    "U+{u:04X}"
                );
            }
        }
    }

    #[test]
    fn nfd_text_gives_the_same_terms_as_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Chỉ dẫn địa lý cam sành".nfd().collect();
        assert_eq!(terms(&nfd), terms("Chỉ dẫn địa lý cam sành"));
        assert!(terms(&nfd).contains(&"địa lý".to_string()));
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
        assert!(is_stop_word("của") && is_stop_word("được") && !is_stop_word("khoa"));
    }
}
