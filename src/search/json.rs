//! The little JSON the index needs, appended straight to byte buffers: strings (escaped by
//! serde_json) and unsigned integers.

use std::io::Write;

/// Appends `s` as a JSON string.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to memory cannot fail");
}

/// Appends `n` in decimal.
pub(crate) fn push_u32(out: &mut Vec<u8>, n: u32) {
    write!(out, "{n}").expect("writing to memory cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(s: &str) -> String {
        let mut out = Vec::new();
        push_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_and_read_back() {
        assert_eq!(string("Đo lường"), "\"Đo lường\"");
        let tricky = "a\"b\\c\nd\te\u{1}f</script>";
        assert_eq!(
            serde_json::from_str::<String>(&string(tricky)).unwrap(),
            tricky
        );
    }

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 4096, u32::MAX] {
            let mut out = Vec::new();
            push_u32(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
