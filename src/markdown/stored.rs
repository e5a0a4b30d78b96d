//! How the build cache (`crate::cache`) stores a rendered body's long texts: as bytes, checked
//! as UTF-8 with SIMD when read back. Serde's own strings are checked by the standard
//! library, several times slower on Vietnamese text (see `content::decode`), which made
//! reading the cache of a 10,000-article site take longer than rendering its Markdown.

use serde::{Deserialize, Deserializer, Serializer};

/// Writes `text` as bytes.
pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(text.as_bytes())
}

/// Reads bytes back as a `String`, failing on bytes that are not UTF-8.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let bytes: &[u8] = Deserialize::deserialize(deserializer)?;
    simdutf8::basic::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| serde::de::Error::custom("a stored text is not UTF-8"))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Text(#[serde(with = "super")] String);

    #[test]
    fn a_text_comes_back_as_it_was_written() {
        let text = Text("Đổi mới sáng tạo <b>&amp;</b>".to_string());
        let bytes = postcard::to_stdvec(&text).unwrap();
        assert_eq!(postcard::from_bytes::<Text>(&bytes).unwrap(), text);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        let bytes = postcard::to_stdvec(&serde_bytes_of(&[0x61, 0xff])).unwrap();
        assert!(postcard::from_bytes::<Text>(&bytes).is_err());
    }

    /// Bytes serialized as `serialize` writes a text's.
    fn serde_bytes_of(bytes: &[u8]) -> impl serde::Serialize + '_ {
        struct Bytes<'a>(&'a [u8]);
        impl serde::Serialize for Bytes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        Bytes(bytes)
    }
}
