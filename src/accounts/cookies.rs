//! The session cookie: the `Set-Cookie` values that set and clear it, and reading a value
//! from a `Cookie` header.

/// The name of the editor's session cookie.
pub const SESSION_COOKIE: &str = "trangtin_session";

/// The `Set-Cookie` value for a session: `trangtin_session=ID; Path=PATH; HttpOnly;
/// SameSite=Strict`, and `; Secure` when the site is served over TLS. No `Max-Age`: the
/// browser forgets it when closed, the server when the session expires.
pub fn session_cookie(id: &str, path: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={id}; Path={path}; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that removes the session cookie (at logout): same name, path and
/// attributes, empty, `Max-Age=0`.
pub fn clear_session_cookie(path: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path={path}; Max-Age=0; HttpOnly; SameSite=Strict{secure}")
}

/// The value of the cookie `name` in a `Cookie` request header (`a=1; b=2`), without the
/// double quotes a value may have; the first one when the name appears twice.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        if key.trim() != name {
            return None;
        }
        let value = value.trim();
        Some(
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_and_strict() {
        assert_eq!(
            session_cookie("abc", "/_soan-tin/", false),
            "trangtin_session=abc; Path=/_soan-tin/; HttpOnly; SameSite=Strict"
        );
        assert_eq!(
            session_cookie("abc", "/tin/_soan-tin/", true),
            "trangtin_session=abc; Path=/tin/_soan-tin/; HttpOnly; SameSite=Strict; Secure"
        );
    }

    #[test]
    fn the_clearing_cookie_expires_at_once() {
        assert_eq!(
            clear_session_cookie("/_soan-tin/", true),
            "trangtin_session=; Path=/_soan-tin/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(!clear_session_cookie("/", false).contains("Secure"));
    }

    #[test]
    fn reads_a_cookie_among_others() {
        let header = "theme=dark; trangtin_session=abc-_1; x=\"q\"";
        assert_eq!(cookie_value(header, "trangtin_session"), Some("abc-_1"));
        assert_eq!(cookie_value(header, "theme"), Some("dark"));
        assert_eq!(cookie_value(header, "x"), Some("q"));
        assert_eq!(cookie_value(header, "missing"), None);
        assert_eq!(cookie_value("", "theme"), None);
        assert_eq!(cookie_value("garbage;;=;", "theme"), None);
    }

    #[test]
    fn a_name_is_matched_whole() {
        let header = "old_trangtin_session=evil; trangtin_session=good";
        assert_eq!(cookie_value(header, "trangtin_session"), Some("good"));
        assert_eq!(
            cookie_value("trangtin_sessionx=1", "trangtin_session"),
            None
        );
    }

    #[test]
    fn a_value_round_trips_through_the_cookie() {
        let set = session_cookie("tok_en-1", "/", true);
        let sent = set.split(';').next().unwrap();
        assert_eq!(cookie_value(sent, SESSION_COOKIE), Some("tok_en-1"));
    }
}
