//! Who may use the editing area, and proof that a write comes from its own pages.
//!
//! Two modes:
//! - **loopback** (no users file, the server listens on loopback): no login; the one at this
//!   computer is the OS user and may publish. Every POST still carries a random per-process
//!   CSRF token, so a web page on another site cannot post to the editor. A request with a
//!   reverse proxy's headers came from the network: refused, with what the IT person must do.
//! - **accounts** (`.trangtin/users.yaml` has users; required off loopback): login through
//!   [`crate::accounts`] (lockout after repeated failures), a session cookie (HttpOnly,
//!   SameSite=Strict, Secure behind TLS), the session's CSRF token on every POST, roles.
//!
//! In both modes a POST whose `Origin` is not this server's is refused.

use crate::accounts::{
    clear_session_cookie, cookie_value, log_in, random_token, session_cookie, tokens_match,
    Accounts, Login, LoginLimiter, Sessions, SESSION_COOKIE,
};
use axum::http::HeaderMap;
use std::net::IpAddr;
use std::sync::{Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// How long a login lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);

/// The one using the editor, for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The name written in the audit log (`lan (Người duyệt)`).
    pub name: String,
    /// The key that remembers this one's last author (the login or OS user name).
    pub key: String,
    /// What the header shows.
    pub display: String,
    /// May publish, schedule, delete and restore.
    pub may_publish: bool,
    /// The CSRF token this one's forms carry.
    pub csrf: String,
    /// Logged in with an account (there is a session to log out of).
    pub logged_in: bool,
}

/// Why a request is not answered, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not logged in: the login page (or 401 for the script).
    LogIn,
    /// Refused with this status and Vietnamese message.
    Status(u16, String),
}

/// The request facts the guard looks at.
pub struct Facts<'a> {
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The peer's address (the TCP connection's), when known.
    pub peer: Option<IpAddr>,
}

impl Facts<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn peer_is_loopback(&self) -> bool {
        self.peer.is_none_or(|p| p.is_loopback())
    }

    /// The client's address: the peer's, or behind a loopback proxy the last address of
    /// `X-Forwarded-For` (the one the proxy itself saw).
    pub fn client_ip(&self) -> IpAddr {
        let peer = self.peer.unwrap_or(IpAddr::from([127, 0, 0, 1]));
        if !peer.is_loopback() {
            return peer;
        }
        self.header("x-forwarded-for")
            .and_then(|list| list.rsplit(',').next())
            .and_then(|ip| ip.trim().parse().ok())
            .unwrap_or(peer)
    }

    /// Whether the browser reached us over TLS: a loopback proxy says so with
    /// `X-Forwarded-Proto: https` (from anyone else the header means nothing).
    pub fn over_tls(&self) -> bool {
        self.peer_is_loopback()
            && self
                .header("x-forwarded-proto")
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
    }
}

/// Headers a reverse proxy adds: a request that has one came from the network.
const PROXY_HEADERS: &[&str] = &[
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-real-ip",
    "forwarded",
];

enum Mode {
    Loopback { os_user: String },
    Accounts(Box<Logins>),
}

/// The accounts mode's state.
struct Logins {
    /// The users as last read from the users file.
    accounts: RwLock<Accounts>,
    /// What the users file held when last read, so that an edit made while the server runs
    /// (`trangtin user remove`, `passwd`, or by hand) is seen at the next request.
    file: Mutex<FileState>,
    limiter: LoginLimiter,
    sessions: Sessions,
}

/// The users file as last read: the hash of its bytes (`None`: not read yet) and whether
/// they had errors.
#[derive(Default)]
struct FileState {
    hash: Option<u64>,
    broken: bool,
}

impl Logins {
    /// Reads the users file again when it changed: the users removed, given another role or
    /// another password lose their sessions. While the file has errors every request is
    /// refused (a hand edit gone wrong must not leave a removed user in).
    fn refresh(&self) -> Result<(), Refusal> {
        let broken = || {
            Refusal::Status(
                503,
                "Tệp tài khoản (.trangtin/users.yaml) vừa bị sửa và đang có lỗi, nên khu soạn \
                 tin tạm ngừng. Người quản trị hãy sửa tệp (hoặc dùng lệnh `trangtin user`) \
                 rồi tải lại trang."
                    .into(),
            )
        };
        let path = self.read_accounts().path().to_path_buf();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(_) => return Err(broken()),
        };
        let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if file.hash != Some(hash) {
            file.hash = Some(hash);
            match Accounts::from_text(&path, &text) {
                Ok(newer) => {
                    let mut accounts = self.accounts.write().unwrap_or_else(|e| e.into_inner());
                    for name in accounts.ended_by(&newer) {
                        self.sessions.remove_user(&name);
                    }
                    *accounts = newer;
                    file.broken = false;
                }
                Err(_) => file.broken = true,
            }
        }
        if file.broken {
            Err(broken())
        } else {
            Ok(())
        }
    }

    fn read_accounts(&self) -> RwLockReadGuard<'_, Accounts> {
        self.accounts.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// The access rules of one editor.
pub struct Guard {
    mode: Mode,
    /// The loopback mode's CSRF token; in accounts mode, the login form's.
    process_token: String,
}

impl Guard {
    /// Loopback mode: no accounts.
    pub fn loopback() -> Guard {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "may-nay".into());
        Guard {
            mode: Mode::Loopback { os_user },
            process_token: random_token(),
        }
    }

    /// Accounts mode, when `accounts` has users; loopback mode otherwise.
    pub fn new(accounts: Accounts) -> Guard {
        if accounts.is_empty() {
            return Guard::loopback();
        }
        Guard {
            mode: Mode::Accounts(Box::new(Logins {
                accounts: RwLock::new(accounts),
                file: Mutex::new(FileState::default()),
                limiter: LoginLimiter::new(),
                sessions: Sessions::new(SESSION_TTL),
            })),
            process_token: random_token(),
        }
    }

    /// Whether clerks log in.
    pub fn has_accounts(&self) -> bool {
        matches!(self.mode, Mode::Accounts(_))
    }

    /// The login form's token.
    pub fn login_token(&self) -> &str {
        &self.process_token
    }

    /// Who sends this request.
    pub fn who(&self, facts: &Facts<'_>) -> Result<Who, Refusal> {
        match &self.mode {
            Mode::Loopback { os_user } => {
                if PROXY_HEADERS.iter().any(|h| facts.headers.contains_key(*h)) {
                    return Err(Refusal::Status(
                        403,
                        "Khu soạn tin đang chạy không có tài khoản nên chỉ dùng được ngay trên \
                         máy chủ. Yêu cầu này đi qua một máy chủ trung gian (proxy) nên bị từ \
                         chối. Người quản trị hãy tạo tài khoản bằng lệnh `trangtin user add TÊN \
                         --role nguoi-duyet` rồi khởi động lại `trangtin serve --edit`."
                            .into(),
                    ));
                }
                Ok(Who {
                    name: os_user.clone(),
                    key: os_user.clone(),
                    display: format!("{os_user} (trên máy này)"),
                    may_publish: true,
                    csrf: self.process_token.clone(),
                    logged_in: false,
                })
            }
            Mode::Accounts(logins) => {
                logins.refresh()?;
                let session = facts
                    .header("cookie")
                    .and_then(|c| cookie_value(c, SESSION_COOKIE))
                    .and_then(|id| logins.sessions.get(id, Instant::now()))
                    .ok_or(Refusal::LogIn)?;
                // The user as the users file says now (a new display name shows at once).
                let accounts = logins.read_accounts();
                let user = accounts.find(&session.user.name).ok_or(Refusal::LogIn)?;
                Ok(Who {
                    name: user.audit_name(),
                    key: user.name.clone(),
                    display: format!("{} ({})", user.display_name, user.role.label()),
                    may_publish: user.role.may_publish(),
                    csrf: session.csrf.clone(),
                    logged_in: true,
                })
            }
        }
    }

    /// Checks that a POST comes from the editor's own pages: its `Origin` (when the browser
    /// sends one) is this server's, and it carries `csrf` (form field `csrf` or header
    /// `X-CSRF-Token`).
    pub fn check_post(
        &self,
        facts: &Facts<'_>,
        csrf: &str,
        form_token: Option<&str>,
    ) -> Result<(), Refusal> {
        let other_site = || {
            Refusal::Status(
                403,
                "Yêu cầu đến từ một trang web khác nên bị từ chối.".into(),
            )
        };
        if let Some(origin) = facts.header("origin") {
            // Behind a proxy the Host is the proxy's upstream unless it passes it on; the
            // forwarded host, when a loopback proxy gives one, is what the browser used.
            let forwarded = facts
                .peer_is_loopback()
                .then(|| facts.header("x-forwarded-host"))
                .flatten();
            let host = forwarded.or(facts.header("host")).unwrap_or_default();
            let same = origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host));
            if !same {
                return Err(other_site());
            }
        }
        if facts
            .header("sec-fetch-site")
            .is_some_and(|s| s == "cross-site")
        {
            return Err(other_site());
        }
        let given = form_token
            .or_else(|| facts.header("x-csrf-token"))
            .unwrap_or_default();
        if !tokens_match(csrf, given) {
            return Err(Refusal::Status(
                403,
                "Phiên làm việc đã hết hạn hoặc trang đã cũ (thiếu mã bảo vệ). \
                 Hãy tải lại trang rồi thử lại."
                    .into(),
            ));
        }
        Ok(())
    }

    /// A login attempt: the `Set-Cookie` value on success, else the status and message.
    pub fn log_in(
        &self,
        facts: &Facts<'_>,
        name: &str,
        password: &str,
        cookie_path: &str,
    ) -> Result<String, (u16, String)> {
        let Mode::Accounts(logins) = &self.mode else {
            return Err((404, "Khu soạn tin này không dùng tài khoản.".into()));
        };
        if let Err(Refusal::Status(status, message)) = logins.refresh() {
            return Err((status, message));
        }
        let name = name.trim().to_lowercase();
        match log_in(
            &logins.read_accounts(),
            &logins.limiter,
            &logins.sessions,
            &name,
            password,
            facts.client_ip(),
            Instant::now(),
        ) {
            Login::LoggedIn { id, .. } => Ok(session_cookie(&id, cookie_path, facts.over_tls())),
            Login::Refused => Err((401, "Sai tên đăng nhập hoặc mật khẩu.".into())),
            Login::Locked { retry_after } => Err((
                429,
                format!(
                    "Đăng nhập sai quá nhiều lần. Hãy thử lại sau {} phút.",
                    retry_after.as_secs().div_ceil(60).max(1)
                ),
            )),
        }
    }

    /// Ends the request's session; the `Set-Cookie` value that clears the cookie.
    pub fn log_out(&self, facts: &Facts<'_>, cookie_path: &str) -> String {
        if let Mode::Accounts(logins) = &self.mode {
            if let Some(id) = facts
                .header("cookie")
                .and_then(|c| cookie_value(c, SESSION_COOKIE))
            {
                logins.sessions.remove(id);
            }
        }
        clear_session_cookie(cookie_path, facts.over_tls())
    }
}

/// The users of the site at `root` (none when it has no users file).
pub fn load_accounts(root: &std::path::Path) -> crate::error::Result<Accounts> {
    Accounts::load(&Accounts::default_path(root))
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

    fn facts(headers: &HeaderMap, peer: &str) -> Facts<'static> {
        let headers: &'static HeaderMap = Box::leak(Box::new(headers.clone()));
        Facts {
            headers,
            peer: Some(peer.parse().unwrap()),
        }
    }

    #[test]
    fn a_post_needs_the_token_and_its_own_origin() {
        let guard = Guard::loopback();
        let who = guard.who(&facts(&headers(&[]), "127.0.0.1")).unwrap();
        let token = who.csrf.clone();
        let ok = headers(&[
            ("host", "127.0.0.1:1111"),
            ("origin", "http://127.0.0.1:1111"),
        ]);
        let ok = facts(&ok, "127.0.0.1");
        assert!(guard.check_post(&ok, &who.csrf, Some(&token)).is_ok());
        assert!(guard.check_post(&ok, &who.csrf, None).is_err());
        assert!(guard.check_post(&ok, &who.csrf, Some("x")).is_err());
        let other = headers(&[
            ("host", "127.0.0.1:1111"),
            ("origin", "https://evil.example"),
        ]);
        assert!(guard
            .check_post(&facts(&other, "127.0.0.1"), &who.csrf, Some(&token))
            .is_err());
    }

    #[test]
    fn a_proxied_request_is_refused_without_accounts() {
        let guard = Guard::loopback();
        let Err(Refusal::Status(403, message)) = guard.who(&facts(
            &headers(&[("x-forwarded-for", "203.0.113.9")]),
            "127.0.0.1",
        )) else {
            panic!("not refused");
        };
        assert!(message.contains("trangtin user add"));
    }

    #[test]
    fn proxy_headers_are_believed_only_from_a_loopback_peer() {
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1, 203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let local = facts(&h, "127.0.0.1");
        assert_eq!(local.client_ip(), "203.0.113.9".parse::<IpAddr>().unwrap());
        assert!(local.over_tls());
        let remote = facts(&h, "192.0.2.7");
        assert_eq!(remote.client_ip(), "192.0.2.7".parse::<IpAddr>().unwrap());
        assert!(!remote.over_tls());
    }

    #[test]
    fn behind_a_loopback_proxy_the_origin_is_checked_against_the_forwarded_host() {
        let guard = Guard::loopback();
        let h = headers(&[
            ("host", "127.0.0.1:1111"),
            ("x-forwarded-host", "tin.example.gov.vn"),
            ("origin", "https://tin.example.gov.vn"),
        ]);
        assert!(guard
            .check_post(&facts(&h, "127.0.0.1"), "t", Some("t"))
            .is_ok());
        // From anyone but a loopback proxy, X-Forwarded-Host means nothing.
        assert!(guard
            .check_post(&facts(&h, "192.0.2.7"), "t", Some("t"))
            .is_err());
    }
}
