//! Words of the index: how text is cut into tokens, how a token is folded into a term
//! (`Đo` → `do`, `học` → `hoc`), and which shard file holds a term. `search.js` does exactly
//! the same to the reader's query; the tests here pin what both sides must agree on.

use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;

/// Terms longer than this (in UTF-8 bytes, once folded) are not indexed: URLs, hashes and the
/// like only bloat the shards. `search.js` leaves them out of queries too.
pub const MAX_TERM_BYTES: usize = 64;

/// Whether `c` belongs to a token: letters and digits (`char::is_alphanumeric`, which is
/// JavaScript's `[\p{Alphabetic}\p{N}]`) and combining marks (`\p{M}`), so that text typed in
/// NFD keeps its words whole.
pub fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Calls `f` with every token of `text`: maximal runs of [`is_token_char`]. (The index reads
/// tokens and folds them in one pass, [`scan`]; this is the definition it is tested against.)
pub fn for_each_token<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_token_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// The folded form of a word: `Học` → `hoc`, `ĐO` → `do` — the site's one folding,
/// [`search_key`](crate::text::search_key), which `search.js` repeats for queries.
/// The index does the same in one pass with a table ([`scan`]).
pub use crate::text::search_key as fold;

/// What [`table`] says of a character: not part of a token.
const SEPARATOR: u32 = u32::MAX - 1;
/// A token character that folds to more than one character, or that is not in the table:
/// fold its token with [`fold`].
const SLOW: u32 = u32::MAX;
/// A token character that folds to nothing (a combining mark).
const DROP: u32 = 0;

const LOW: std::ops::Range<u32> = 0..0x370;
const EXTENDED: std::ops::Range<u32> = 0x1E00..0x1F00;

/// [`fold`] of single characters, precomputed for ASCII and the Latin letters Vietnamese
/// is written with: U+0000–U+036F (Latin-1, Extended-A and -B, combining marks) and
/// U+1E00–U+1EFF (the precomposed letters with tone marks). Each entry is [`SEPARATOR`],
/// [`DROP`], [`SLOW`] or the folded character.
struct Table {
    low: Vec<u32>,
    extended: Vec<u32>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let entry = |code: u32| {
            let Some(c) = char::from_u32(code) else {
                return SEPARATOR;
            };
            if !is_token_char(c) {
                return SEPARATOR;
            }
            let folded = fold(c.encode_utf8(&mut [0; 4]));
            let mut chars = folded.chars();
            match (chars.next(), chars.next()) {
                (None, _) => DROP,
                (Some(f), None) if f != '\0' => f as u32,
                _ => SLOW,
            }
        };
        Table {
            low: LOW.map(entry).collect(),
            extended: EXTENDED.map(entry).collect(),
        }
    })
}

impl Table {
    fn entry(&self, code: u32) -> u32 {
        if code < LOW.end {
            self.low[code as usize]
        } else if EXTENDED.contains(&code) {
            self.extended[(code - EXTENDED.start) as usize]
        } else if char::from_u32(code).is_some_and(is_token_char) {
            SLOW
        } else {
            SEPARATOR
        }
    }
}

/// Each ASCII byte lowercased when it is a letter or digit, 0 when it separates tokens.
const ASCII: [u8; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// The hot loop of the index: calls `f(term, fnv1a(term))` for every term of `text` (what
/// [`terms`] returns), reading the text once, byte by byte, and allocating nothing except
/// for the rare tokens the table cannot fold.
pub fn scan(text: &str, mut f: impl FnMut(&[u8], u32)) {
    let table = table();
    let bytes = text.as_bytes();
    // One character folds to at most 4 bytes: the term fits until it is too long to keep.
    let mut term = [0u8; MAX_TERM_BYTES + 4];
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let (mut len, mut hash, mut slow) = (0, FNV_OFFSET, false);
        while i < bytes.len() {
            let b = bytes[i];
            let folded = if b < 0x80 {
                match ASCII[b as usize] {
                    0 => break,
                    lower => {
                        i += 1;
                        u32::from(lower)
                    }
                }
            } else {
                let (code, width) = decode(bytes, i);
                match table.entry(code) {
                    SEPARATOR => break,
                    DROP => {
                        i += width;
                        continue;
                    }
                    SLOW => {
                        slow = true;
                        i += width;
                        continue;
                    }
                    folded => {
                        i += width;
                        folded
                    }
                }
            };
            if len > MAX_TERM_BYTES {
                continue;
            }
            if folded < 0x80 {
                term[len] = folded as u8;
                hash = (hash ^ folded).wrapping_mul(FNV_PRIME);
                len += 1;
            } else {
                let c = char::from_u32(folded).expect("the table holds chars");
                for &b in c.encode_utf8(&mut [0; 4]).as_bytes() {
                    term[len] = b;
                    hash = (hash ^ u32::from(b)).wrapping_mul(FNV_PRIME);
                    len += 1;
                }
            }
        }
        if i == start {
            // A separator: skip it (its length, when it is not ASCII).
            i += if bytes[i] < 0x80 {
                1
            } else {
                decode(bytes, i).1
            };
        } else if slow {
            let term = fold(&text[start..i]);
            if !term.is_empty() && term.len() <= MAX_TERM_BYTES {
                f(term.as_bytes(), fnv1a(term.as_bytes()));
            }
        } else if len > 0 && len <= MAX_TERM_BYTES {
            f(&term[..len], hash);
        }
    }
}

/// The code point starting at `bytes[i]` (valid UTF-8, not ASCII) and its length.
fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let b = bytes[i];
    let more = |k: usize| u32::from(bytes[i + k] & 0x3f);
    if b < 0xe0 {
        (u32::from(b & 0x1f) << 6 | more(1), 2)
    } else if b < 0xf0 {
        (u32::from(b & 0x0f) << 12 | more(1) << 6 | more(2), 3)
    } else {
        (
            u32::from(b & 0x07) << 18 | more(1) << 12 | more(2) << 6 | more(3),
            4,
        )
    }
}

/// Calls `f` with every term of `text` (see [`scan`]).
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    scan(text, |term, _| {
        f(std::str::from_utf8(term).expect("terms are made of whole characters"))
    });
}

/// The terms of `text`, in order, as the index and `search.js` see them: each token folded,
/// empty and overlong ones left out.
pub fn terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_term(text, |term| terms.push(term.to_string()));
    terms
}

/// FNV-1a, 32 bits, of `bytes`. `search.js` computes it over
/// `new TextEncoder().encode(term)` with `Math.imul`.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash = FNV_OFFSET;
    for &b in bytes {
        hash = (hash ^ u32::from(b)).wrapping_mul(FNV_PRIME);
    }
    hash
}

/// The shard holding `term`, for a power-of-two number of `shards`.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    debug_assert!(shards.is_power_of_two());
    fnv1a(term.as_bytes()) & (shards - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn the_table_agrees_with_the_definition() {
        let expected = |text: &str| -> Vec<String> {
            let folded = fold(text);
            let is_token = text.chars().all(is_token_char);
            if is_token && !folded.is_empty() {
                vec![folded]
            } else {
                Vec::new()
            }
        };
        for code in LOW.chain(EXTENDED) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let s = c.to_string();
            assert_eq!(terms(&s), expected(&s), "U+{code:04X}");
        }
        for word in [
            "Đo",
            "lường",
            "İstanbul",
            "ΣΟΦΊΑΣ",
            "Straße",
            "ǅemal",
            "ﬁle",
            "日本",
        ] {
            assert_eq!(terms(word), expected(word), "{word}");
            let nfd: String = word.nfd().collect();
            assert_eq!(terms(&nfd), expected(word), "NFD {word}");
        }
    }

    #[test]
    fn queries_fold_like_the_text() {
        assert_eq!(terms("khoa hoc"), terms("Khoa học"));
        assert_eq!(terms("do luong"), terms("Đo lường"));
        assert_eq!(terms("so huu tri tue"), terms("SỞ HỮU TRÍ TUỆ"));
        let nfd: String = "đo lường".nfd().collect();
        assert_eq!(terms(&nfd), terms("đo lường"));
        assert_eq!(
            terms("Tiêu chuẩn - Đo lường"),
            ["tieu", "chuan", "do", "luong"]
        );
    }

    #[test]
    fn tokens_are_runs_of_letters_digits_and_marks() {
        let mut tokens = Vec::new();
        for_each_token("Năm 2024, “COVID-19” (ISO/IEC 17025)… a_b", |t| {
            tokens.push(t)
        });
        assert_eq!(
            tokens,
            ["Năm", "2024", "COVID", "19", "ISO", "IEC", "17025", "a", "b"]
        );
        let nfd: String = "học tập".nfd().collect();
        let mut tokens = Vec::new();
        for_each_token(&nfd, |t| tokens.push(t.to_string()));
        assert_eq!(tokens.len(), 2, "marks stay inside their word: {tokens:?}");
        assert_eq!(terms(""), Vec::<String>::new());
        assert_eq!(terms(&"x".repeat(MAX_TERM_BYTES + 1)), Vec::<String>::new());
        assert_eq!(
            terms(&"x".repeat(MAX_TERM_BYTES)),
            ["x".repeat(MAX_TERM_BYTES)]
        );
        assert_eq!(
            terms(&"Đ".repeat(MAX_TERM_BYTES)),
            ["d".repeat(MAX_TERM_BYTES)]
        );
        let long = format!("a {} b", "ư".repeat(MAX_TERM_BYTES + 1));
        assert_eq!(terms(&long), ["a", "b"]);
    }

    #[test]
    fn one_pass_agrees_with_tokens_then_fold() {
        let samples = [
            "Năm 2024, “COVID-19” (ISO/IEC 17025)… a_b",
            "ĐO LƯỜNG – Đổi mới sáng tạo; 日本語 ΣΟΦΊΑΣ İstanbul Straße",
            "x\u{301}y  \u{301} tail",
        ];
        for text in samples {
            let nfd: String = text.nfd().collect();
            for text in [text, nfd.as_str()] {
                let mut expected = Vec::new();
                for_each_token(text, |t| {
                    let t = fold(t);
                    if !t.is_empty() && t.len() <= MAX_TERM_BYTES {
                        expected.push(t);
                    }
                });
                assert_eq!(terms(text), expected, "{text}");
                scan(text, |term, hash| assert_eq!(hash, fnv1a(term), "{text}"));
            }
        }
    }

    #[test]
    fn fnv1a_matches_the_published_vectors_and_search_js() {
        // Test vectors of the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/).
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
        // What tests/browser/search.test.mjs checks search.js against.
        assert_eq!(fnv1a("hoc".as_bytes()), 0xedc3_8d11);
        assert_eq!(fnv1a("đo".as_bytes()), 0xbda8_93eb);
        assert_eq!(shard_of("hoc", 16), 0x1);
        assert_eq!(shard_of("hoc", 1024), 0x111);
    }
}
