//! Random tokens (session ids, CSRF tokens) and their comparison in constant time.

/// 32 random bytes from the operating system's generator, in base64url without padding
/// (43 characters): a session id or a CSRF token.
///
/// # Panics
///
/// When the operating system has no random numbers to give (no `getrandom` system call and
/// no `/dev/urandom`): without them no token is safe, so the editor must not run.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    base64url(&bytes)
}

/// True when `given` equals `expected`, in time that depends only on their lengths (all of
/// our tokens have the same length), so that a forged CSRF token cannot be guessed byte by
/// byte from response times.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    let (expected, given) = (expected.as_bytes(), given.as_bytes());
    if expected.len() != given.len() || expected.is_empty() {
        return false;
    }
    let difference = expected
        .iter()
        .zip(given)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    // Keeps the compiler from turning the fold into an early-exit comparison.
    std::hint::black_box(difference) == 0
}

/// Base64url (RFC 4648 §5) without padding.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // A chunk of k bytes gives k + 1 characters.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_follows_the_rfc_test_vectors() {
        // RFC 4648 §10, without padding.
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64url(input.as_bytes()), expected, "{input:?}");
        }
        // The URL-safe alphabet: 0xfb 0xff → "-_8" (standard base64 would give "+/8").
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn tokens_are_43_url_safe_characters_and_differ() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
    }

    #[test]
    fn tokens_match_only_when_equal() {
        let token = random_token();
        assert!(tokens_match(&token, &token.clone()));
        let mut changed = token.clone().into_bytes();
        changed[42] = if changed[42] == b'A' { b'B' } else { b'A' };
        assert!(!tokens_match(
            &token,
            std::str::from_utf8(&changed).unwrap()
        ));
        assert!(!tokens_match(&token, &token[..42]));
        assert!(!tokens_match(&token, ""));
        // An empty expected token (a session without one) never matches.
        assert!(!tokens_match("", ""));
    }
}
