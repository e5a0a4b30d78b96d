//! Vietnamese text, the first stage every other one uses: NFC normalization, diacritic
//! folding, slugs, dates, and the words of the search index.

pub mod control;
pub mod date;
pub mod slug;
pub(crate) mod syllables;
pub mod tokens;

use std::borrow::Cow;
use unicode_normalization::{
    char::is_combining_mark, is_nfc_quick, IsNormalized, UnicodeNormalization,
};

/// Returns `text` in Unicode NFC, borrowing it when it already is (the common case).
/// Vietnamese keyboards and some editors emit NFD; everything we load goes through here.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if only_nfc_starters(text) {
        return Cow::Borrowed(text);
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Characters that are certainly NFC on their own and never combine with what precedes
/// them: everything below U+0300 (ASCII, Latin-1, Latin Extended-A/B, where `ă â ê ô ơ ư đ`
/// live), Latin Extended Additional (U+1E00–U+1EFF: the precomposed Vietnamese letters with
/// tone marks) and general punctuation. Text made only of these, which is nearly all
/// Vietnamese text, needs no table lookups; anything else takes the full check.
fn only_nfc_starters(text: &str) -> bool {
    // The same test as `text.chars().all(is_nfc_starter)`, on the UTF-8 bytes. A byte below
    // 0xCC is ASCII, a continuation byte or the lead of a code point below U+0300, so only
    // lead bytes from 0xCC up need a look: E1 B8..BB lead U+1E00–U+1EFF; E2 80 and
    // E2 81 80..AF lead U+2000–U+206F. Those bytes are found 32 at a time with a bit mask
    // (which the compiler turns into vector instructions): about 2.5 times faster than
    // looking at every byte in turn, on text where one byte in six is such a lead.
    let bytes = text.as_bytes();
    let mut chunk_start = 0;
    for chunk in bytes.chunks(32) {
        let mut leads: u32 = 0;
        for (i, &b) in chunk.iter().enumerate() {
            leads |= u32::from(b >= 0xCC) << i;
        }
        while leads != 0 {
            let at = chunk_start + leads.trailing_zeros() as usize;
            leads &= leads - 1;
            if !starter_lead_at(bytes, at) {
                return false;
            }
        }
        chunk_start += chunk.len();
    }
    true
}

/// Whether the code point whose lead byte (0xCC or above) is at `bytes[at]` is one of
/// [`only_nfc_starters`]'s ranges.
fn starter_lead_at(bytes: &[u8], at: usize) -> bool {
    let next = bytes.get(at + 1).copied().unwrap_or(0);
    match bytes[at] {
        0xE1 => (0xB8..=0xBB).contains(&next),
        0xE2 => next == 0x80 || (next == 0x81 && bytes.get(at + 2).copied().unwrap_or(0) <= 0xAF),
        _ => false,
    }
}

/// The known name closest to `name`, when it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = search_key(name);
    known
        .map(|k| (strsim::normalized_levenshtein(&wanted, &search_key(k)), k))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
fn is_nfc_starter(c: char) -> bool {
    let c = c as u32;
    c < 0x300 || (0x1E00..=0x1EFF).contains(&c) || (0x2000..=0x206F).contains(&c)
}

/// Removes diacritics and maps `đ`/`Đ` to `d`/`D` (which have no Unicode decomposition),
/// keeping case and every other character: `Đo lường` → `Do luong`.
pub fn fold_diacritics(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            c if is_combining_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Folded and lowercased, for comparisons and search: `Khoa HỌC` → `khoa hoc`, `ĐO` → `do`.
/// By definition NFC, lowercase, NFD without combining marks, `đ` → `d` (it has no
/// decomposition), so NFD input folds like NFC. The search index folds its terms with this
/// ([`crate::search::fold`]) and `search.js` folds queries the same way:
/// `w.normalize("NFC").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d")`.
pub fn search_key(text: &str) -> String {
    nfc(text)
        .to_lowercase()
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Khoa học".nfd().collect();
        assert_ne!(nfd, "Khoa học");
        assert_eq!(nfc(&nfd), "Khoa học");
        assert!(matches!(nfc("Khoa học"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_fast_path_agrees_with_the_full_check() {
        let samples = [
            "Đổi mới sáng tạo – “khoa học” … 2024",
            "ắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵ",
            "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư",
        ];
        for text in samples {
            let nfd: String = text.nfd().collect();
            assert!(text.chars().all(is_nfc_starter), "{text}");
            assert!(matches!(nfc(text), Cow::Borrowed(_)));
            assert_eq!(nfc(&nfd), text);
        }
        // A combining mark after a precomposed letter must not slip through.
        assert_eq!(nfc("a\u{0301}"), "á");
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_test_for_every_code_point() {
        for c in (0..0x11000).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(
                only_nfc_starters(&text),
                is_nfc_starter(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn the_byte_scan_finds_lead_bytes_at_every_offset_and_across_chunks() {
        // Starters and non-starters whose lead byte lands anywhere in a 32-byte chunk,
        // including the last byte of one chunk with the rest in the next.
        let cases = ['ệ', '…', '\u{0301}', '\u{2070}', '\u{1DC0}', '\u{3000}'];
        for c in cases {
            for offset in 0..70 {
                let text = format!(
                    "{}{c}{}",
                    "ă".repeat(offset / 2) + &"x".repeat(offset % 2),
                    "y".repeat(40)
                );
                assert_eq!(
                    only_nfc_starters(&text),
                    is_nfc_starter(c),
                    "U+{:04X} at byte {}",
                    c as u32,
                    text.find(c).unwrap_or(0)
                );
            }
        }
    }

    /// Every Vietnamese vowel with every tone (and the breve, circumflex and horn), with the
    /// letter it folds to.
    const VIETNAMESE_VOWELS: [(&str, char); 6] = [
        ("aàáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("eèéẻẽẹêềếểễệ", 'e'),
        ("iìíỉĩị", 'i'),
        ("oòóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("uùúủũụưừứửữự", 'u'),
        ("yỳýỷỹỵ", 'y'),
    ];

    #[test]
    fn folds_every_vowel_with_every_tone() {
        for (all, base) in VIETNAMESE_VOWELS {
            for c in all.chars() {
                for form in [c.to_string(), c.to_uppercase().collect::<String>()] {
                    assert_eq!(search_key(&form), base.to_string(), "{form}");
                    let nfd: String = form.nfd().collect();
                    assert_eq!(search_key(&nfd), base.to_string(), "NFD {form}");
                }
            }
        }
    }

    #[test]
    fn folds_d_with_stroke() {
        assert_eq!(fold_diacritics("Đo lường đổi mới"), "Do luong doi moi");
        assert_eq!(search_key("ĐĐ"), "dd");
        assert_eq!(search_key("đo"), "do");
        assert_eq!(search_key("Đo"), "do");
        assert_eq!(search_key("ĐƯỜNG"), "duong");
        assert_eq!(search_key("đổi"), "doi");
    }

    #[test]
    fn folds_nfd_input_like_nfc() {
        let nfd: String = "sở hữu trí tuệ".nfd().collect();
        assert_eq!(search_key(&nfd), "so huu tri tue");
    }
}
