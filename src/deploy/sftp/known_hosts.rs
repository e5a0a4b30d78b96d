//! The server's host key checked against a `known_hosts` file, as OpenSSH's `ssh` does with
//! `StrictHostKeyChecking yes`: plain and hashed (`|1|salt|hash`) host names, the
//! `[host]:port` form of a port other than 22, `*`/`?` patterns and `!` negations,
//! `@revoked` keys. A host that is not there, or whose key differs, is refused: never
//! learned silently.

use russh::keys::ssh_key::known_hosts::{Entry, HostPatterns, Marker};
use russh::keys::ssh_key::{Algorithm, HashAlg, PublicKey};

/// What a `known_hosts` file says of the key a server showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The file has this key for this host.
    Known,
    /// The file has no key for this host.
    Unknown,
    /// The file has other keys for this host: the first one's line and type.
    Changed {
        /// The line of the first key recorded for the host.
        line: usize,
        /// That key's type (`ssh-ed25519`, ...).
        recorded: String,
    },
    /// The file marks this key `@revoked` (at this line).
    Revoked {
        /// The line of the `@revoked` entry.
        line: usize,
    },
}

/// The name a `known_hosts` file records for `host` at `port`: `host`, or `[host]:port`
/// for another port than 22 (lower case, as `ssh` writes it).
pub(crate) fn lookup_name(host: &str, port: u16) -> String {
    let host = host.to_ascii_lowercase();
    if port == 22 {
        host
    } else {
        format!("[{host}]:{port}")
    }
}

/// Checks `key`, shown by `host` at `port`, against the text of a `known_hosts` file.
pub(crate) fn check(text: &str, host: &str, port: u16, key: &PublicKey) -> Verdict {
    let name = lookup_name(host, port);
    let mut other: Option<(usize, String)> = None;
    let mut known = false;
    for (line, entry) in entries(text) {
        if !matches(entry.host_patterns(), &name) {
            continue;
        }
        let same = entry.public_key().key_data() == key.key_data();
        match entry.marker() {
            Some(Marker::Revoked) if same => return Verdict::Revoked { line },
            Some(_) => {}
            None if same => known = true,
            None => {
                other.get_or_insert_with(|| (line, entry.public_key().algorithm().to_string()));
            }
        }
    }
    match (known, other) {
        (true, _) => Verdict::Known,
        (false, Some((line, recorded))) => Verdict::Changed { line, recorded },
        (false, None) => Verdict::Unknown,
    }
}

/// The key types the file records for `host` at `port`, to ask the server for one of them
/// first (as `ssh` does: a server with several keys then shows the one that is known).
pub(crate) fn known_algorithms(text: &str, host: &str, port: u16) -> Vec<Algorithm> {
    let name = lookup_name(host, port);
    let mut algorithms = Vec::new();
    for (_, entry) in entries(text) {
        let algorithm = entry.public_key().algorithm();
        if entry.marker().is_none()
            && matches(entry.host_patterns(), &name)
            && !algorithms.contains(&algorithm)
        {
            algorithms.push(algorithm);
        }
    }
    algorithms
}

/// `SHA256:...`, the fingerprint `ssh` and `ssh-keygen -l` show.
pub(crate) fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The entries of the file with their line numbers. Lines that are no entry (a key type
/// this program does not know, a damaged line) are skipped, as `ssh` skips them.
fn entries(text: &str) -> impl Iterator<Item = (usize, Entry)> + '_ {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        // Fields may be separated by tabs or several spaces; the parser wants one space.
        let normalized = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let entry: Entry = normalized.parse().ok()?;
        Some((i + 1, entry))
    })
}

/// Whether a host field (`a,b,*.c,!d`, or a hashed name) names `name`.
fn matches(patterns: &HostPatterns, name: &str) -> bool {
    match patterns {
        HostPatterns::HashedName { salt, hash } => {
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, salt);
            ring::hmac::verify(&key, name.as_bytes(), hash).is_ok()
        }
        HostPatterns::Patterns(patterns) => {
            let mut found = false;
            for pattern in patterns {
                let pattern = pattern.to_ascii_lowercase();
                if let Some(negated) = pattern.strip_prefix('!') {
                    if glob(negated.as_bytes(), name.as_bytes()) {
                        return false;
                    }
                } else if glob(pattern.as_bytes(), name.as_bytes()) {
                    found = true;
                }
            }
            found
        }
    }
}

/// `*` (any run of characters) and `?` (one character), as in `ssh`'s host patterns.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| glob(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && glob(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && glob(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ";
    const OTHER_ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILIG2T/B0l0gaqj3puu510tu9N1OkQ4znY3LYuEm5zCF";

    fn key(text: &str) -> PublicKey {
        text.parse().unwrap()
    }

    #[test]
    fn a_host_is_known_by_name_pattern_or_port() {
        let text = format!(
            "# comment\n\nweb.so.vn,10.0.0.5 {ED25519}\n[*.tinh.vn]:2222\t{ED25519} laptop\n"
        );
        let k = key(ED25519);
        assert_eq!(check(&text, "web.so.vn", 22, &k), Verdict::Known);
        assert_eq!(check(&text, "10.0.0.5", 22, &k), Verdict::Known);
        assert_eq!(check(&text, "WEB.SO.VN", 22, &k), Verdict::Known);
        assert_eq!(check(&text, "a.tinh.vn", 2222, &k), Verdict::Known);
        // The same host on another port is another entry.
        assert_eq!(check(&text, "web.so.vn", 2222, &k), Verdict::Unknown);
        assert_eq!(check(&text, "a.tinh.vn", 22, &k), Verdict::Unknown);
    }

    #[test]
    fn a_hashed_name_matches_its_host_only() {
        // An entry as `ssh-keygen -H` writes it: HMAC-SHA1 of the name, keyed by a salt.
        let salt = b"0123456789abcdefghij";
        let key_ring = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, salt);
        let hash = ring::hmac::sign(&key_ring, b"[127.0.0.1]:2222");
        use russh::keys::ssh_encoding::base64::{Base64, Encoding};
        let line = format!(
            "|1|{}|{} {ED25519}\n",
            Base64::encode_string(salt),
            Base64::encode_string(hash.as_ref())
        );
        let k = key(ED25519);
        assert_eq!(check(&line, "127.0.0.1", 2222, &k), Verdict::Known);
        assert_eq!(check(&line, "127.0.0.1", 22, &k), Verdict::Unknown);
        assert_eq!(check(&line, "127.0.0.2", 2222, &k), Verdict::Unknown);
    }

    #[test]
    fn another_key_for_the_host_is_a_changed_key_with_its_line() {
        let text = format!("other.vn {ED25519}\nweb.so.vn {OTHER_ED25519}\n");
        assert_eq!(
            check(&text, "web.so.vn", 22, &key(ED25519)),
            Verdict::Changed {
                line: 2,
                recorded: "ssh-ed25519".into()
            }
        );
    }

    #[test]
    fn a_negated_pattern_or_a_revoked_key_refuses() {
        let k = key(ED25519);
        let text = format!("*.so.vn,!test.so.vn {ED25519}\n");
        assert_eq!(check(&text, "web.so.vn", 22, &k), Verdict::Known);
        assert_eq!(check(&text, "test.so.vn", 22, &k), Verdict::Unknown);
        let text = format!("web.so.vn {ED25519}\n@revoked * {ED25519}\n");
        assert_eq!(
            check(&text, "web.so.vn", 22, &k),
            Verdict::Revoked { line: 2 }
        );
    }

    #[test]
    fn damaged_lines_are_skipped_and_known_types_listed() {
        let text = format!("garbage\nweb.so.vn ssh-foo AAAA\nweb.so.vn {ED25519}\n");
        assert_eq!(check(&text, "web.so.vn", 22, &key(ED25519)), Verdict::Known);
        assert_eq!(
            known_algorithms(&text, "web.so.vn", 22),
            [Algorithm::Ed25519]
        );
        assert!(fingerprint(&key(ED25519)).starts_with("SHA256:"));
    }

    #[test]
    fn globs_match_like_ssh() {
        assert!(glob(b"*", b""));
        assert!(glob(b"10.0.0.?", b"10.0.0.5"));
        assert!(!glob(b"10.0.0.?", b"10.0.0.50"));
        assert!(glob(b"*.vn", b"a.b.vn"));
        assert!(!glob(b"*.vn", b"a.b.com"));
    }
}
