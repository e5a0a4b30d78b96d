//! Who may use the editing area, and proof that a write comes from its own pages: the CSRF
//! token (one random token per process in loopback mode), the `Origin` of every POST, and the
//! headers of a reverse proxy, which mean that a loopback request really comes from the
//! network.

use axum::http::HeaderMap;

/// The one using the editor, for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The name written in the audit log.
    pub name: String,
    /// What the header shows.
    pub display: String,
    /// May publish, schedule, delete and restore.
    pub may_publish: bool,
    /// The CSRF token this one's forms carry.
    pub csrf: String,
}

/// The access rules of one editor.
pub struct Guard {
    /// The token every POST must carry in loopback mode.
    csrf: String,
    /// The OS user name (loopback mode).
    os_user: String,
}

/// Headers a reverse proxy adds: a request that has one came from the network.
const PROXY_HEADERS: &[&str] = &[
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-real-ip",
    "forwarded",
];

/// A random token: 32 bytes from the OS, in base64url without padding.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random number generator");
    base64url(&bytes)
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Compares two tokens in time that depends only on their lengths.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Guard {
    /// Loopback mode: no accounts; a random CSRF token for this process.
    pub fn loopback() -> Guard {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "may-nay".into());
        Guard {
            csrf: random_token(),
            os_user,
        }
    }

    /// Who sends this request, or why it is refused (status and Vietnamese message).
    pub fn who(&self, headers: &HeaderMap) -> Result<Who, (u16, String)> {
        if PROXY_HEADERS.iter().any(|h| headers.contains_key(*h)) {
            return Err((
                403,
                "Khu soạn tin đang chạy không có tài khoản nên chỉ dùng được ngay trên máy chủ. \
                 Yêu cầu này đi qua một máy chủ trung gian (proxy) nên bị từ chối. Người quản trị \
                 hãy tạo tài khoản bằng lệnh `trangtin user add TÊN --role nguoi-duyet` rồi khởi \
                 động lại `trangtin serve --edit`."
                    .into(),
            ));
        }
        Ok(Who {
            name: self.os_user.clone(),
            display: format!("{} (trên máy này)", self.os_user),
            may_publish: true,
            csrf: self.csrf.clone(),
        })
    }

    /// Checks that a POST comes from the editor's own pages: its `Origin` (when the browser
    /// sends one) is this server's, and it carries `who`'s CSRF token (form field `csrf` or
    /// header `X-CSRF-Token`).
    pub fn check_post(
        &self,
        headers: &HeaderMap,
        who: &Who,
        form_token: Option<&str>,
    ) -> Result<(), (u16, String)> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(origin) = header("origin") {
            let host = header("host").unwrap_or_default();
            let same = origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host));
            if !same {
                return Err((
                    403,
                    "Yêu cầu đến từ một trang web khác nên bị từ chối.".into(),
                ));
            }
        }
        if header("sec-fetch-site").is_some_and(|s| s == "cross-site") {
            return Err((
                403,
                "Yêu cầu đến từ một trang web khác nên bị từ chối.".into(),
            ));
        }
        let given = form_token
            .or_else(|| header("x-csrf-token"))
            .unwrap_or_default();
        if !tokens_match(&who.csrf, given) {
            return Err((
                403,
                "Phiên làm việc đã hết hạn hoặc trang đã cũ (thiếu mã bảo vệ). \
                 Hãy tải lại trang rồi thử lại."
                    .into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn tokens_are_random_base64url_of_32_bytes() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn a_post_needs_the_token_and_its_own_origin() {
        let guard = Guard::loopback();
        let who = guard.who(&headers(&[])).unwrap();
        let token = who.csrf.clone();
        let ok = headers(&[
            ("host", "127.0.0.1:1111"),
            ("origin", "http://127.0.0.1:1111"),
        ]);
        assert!(guard.check_post(&ok, &who, Some(&token)).is_ok());
        assert_eq!(guard.check_post(&ok, &who, None).unwrap_err().0, 403);
        assert_eq!(guard.check_post(&ok, &who, Some("x")).unwrap_err().0, 403);
        let other = headers(&[
            ("host", "127.0.0.1:1111"),
            ("origin", "https://evil.example"),
        ]);
        assert_eq!(
            guard.check_post(&other, &who, Some(&token)).unwrap_err().0,
            403
        );
    }

    #[test]
    fn a_proxied_request_is_refused_without_accounts() {
        let guard = Guard::loopback();
        let err = guard
            .who(&headers(&[("x-forwarded-for", "203.0.113.9")]))
            .unwrap_err();
        assert_eq!(err.0, 403);
        assert!(err.1.contains("trangtin user add"));
    }
}
