//! The two checks the editor's handlers make, in the right order: a login (limiter, then
//! password, then a session) and a write (session cookie, then CSRF token).

use super::SESSION_COOKIE;
use super::{cookie_value, tokens_match, Accounts, LoginLimiter, Session, Sessions};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// What became of a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// Logged in: set the cookie with [`session_cookie`](super::session_cookie)`(&id, ..)`.
    LoggedIn {
        /// The session id, for the cookie.
        id: String,
        /// The session, with the CSRF token for the editor's forms.
        session: Session,
    },
    /// A wrong password or an unknown name (the page must not say which).
    Refused,
    /// Too many failures for this name or address: try again after this long. No password
    /// was verified.
    Locked {
        /// How long until a login may be tried again.
        retry_after: Duration,
    },
}

/// Logs `name` in from `ip`: refused at once while the name or address is locked, else the
/// password verified, the failure counted or the name's count cleared, and a session made.
pub fn log_in(
    accounts: &Accounts,
    limiter: &LoginLimiter,
    sessions: &Sessions,
    name: &str,
    password: &str,
    ip: IpAddr,
    now: Instant,
) -> Login {
    if let Err(retry_after) = limiter.check(name, ip, now) {
        return Login::Locked { retry_after };
    }
    match accounts.verify(name, password) {
        Some(user) => {
            limiter.succeeded(name, ip);
            let (id, session) = sessions.create(user, now);
            Login::LoggedIn { id, session }
        }
        None => {
            limiter.failed(name, ip, now);
            Login::Refused
        }
    }
}

/// Why a write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No session cookie, or its session is unknown or expired: log in again (401 or a
    /// redirect to the login page).
    NoSession,
    /// The CSRF token is missing or is not this session's (403).
    BadCsrf,
}

/// The session that may write, given the request's `Cookie` header and the CSRF token it
/// sent (a form field or an `X-CSRF-Token` header). Call it for every request that changes
/// anything.
pub fn session_for_write(
    sessions: &Sessions,
    cookie_header: Option<&str>,
    csrf: Option<&str>,
    now: Instant,
) -> Result<Session, Denied> {
    let id = cookie_header
        .and_then(|header| cookie_value(header, SESSION_COOKIE))
        .ok_or(Denied::NoSession)?;
    let session = sessions.get(id, now).ok_or(Denied::NoSession)?;
    match csrf {
        Some(given) if tokens_match(&session.csrf, given) => Ok(session),
        _ => Err(Denied::BadCsrf),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Role;
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const PASSWORD: &str = "mật khẩu của Lan";

    struct Editor {
        _dir: tempfile::TempDir,
        accounts: Accounts,
        limiter: LoginLimiter,
        sessions: Sessions,
    }

    fn editor() -> Editor {
        let dir = tempfile::tempdir().unwrap();
        let mut accounts = Accounts::load(&Accounts::default_path(dir.path())).unwrap();
        accounts
            .add("lan", Some("Nguyễn Thị Lan"), Role::Approver, PASSWORD)
            .unwrap();
        Editor {
            _dir: dir,
            accounts,
            limiter: LoginLimiter::new(),
            sessions: Sessions::new(480 * MINUTE),
        }
    }

    impl Editor {
        fn log_in(&self, name: &str, password: &str, ip: &str, now: Instant) -> Login {
            let ip = ip.parse().unwrap();
            log_in(
                &self.accounts,
                &self.limiter,
                &self.sessions,
                name,
                password,
                ip,
                now,
            )
        }
    }

    #[test]
    fn the_right_password_logs_in() {
        let editor = editor();
        let now = Instant::now();
        let Login::LoggedIn { id, session } = editor.log_in("lan", PASSWORD, "192.0.2.1", now)
        else {
            panic!("not logged in");
        };
        assert_eq!(session.user.name, "lan");
        assert_eq!(editor.sessions.get(&id, now), Some(session));
    }

    #[test]
    fn five_wrong_passwords_lock_out_even_the_right_one() {
        let editor = editor();
        let t0 = Instant::now();
        for i in 0..5 {
            let login = editor.log_in("lan", "sai mật khẩu", "192.0.2.1", t0 + i * MINUTE);
            assert_eq!(login, Login::Refused, "attempt {i}");
        }
        // Locked from any address, with the right password too.
        let at = t0 + 5 * MINUTE;
        assert_eq!(
            editor.log_in("lan", PASSWORD, "198.51.100.2", at),
            Login::Locked {
                retry_after: 14 * MINUTE
            }
        );
        // Released once the lockout is over.
        let later = t0 + 19 * MINUTE;
        assert!(matches!(
            editor.log_in("lan", PASSWORD, "192.0.2.1", later),
            Login::LoggedIn { .. }
        ));
    }

    #[test]
    fn a_success_clears_the_count_of_wrong_passwords() {
        let editor = editor();
        let t0 = Instant::now();
        for _ in 0..4 {
            editor.log_in("lan", "sai mật khẩu", "192.0.2.1", t0);
        }
        assert!(matches!(
            editor.log_in("lan", PASSWORD, "192.0.2.1", t0),
            Login::LoggedIn { .. }
        ));
        for _ in 0..4 {
            assert_eq!(
                editor.log_in("lan", "sai mật khẩu", "192.0.2.1", t0),
                Login::Refused
            );
        }
    }

    #[test]
    fn unknown_names_count_as_failures_too() {
        let editor = editor();
        let t0 = Instant::now();
        for _ in 0..5 {
            assert_eq!(
                editor.log_in("ai-do", PASSWORD, "192.0.2.1", t0),
                Login::Refused
            );
        }
        assert!(matches!(
            editor.log_in("ai-do", PASSWORD, "192.0.2.1", t0),
            Login::Locked { .. }
        ));
    }

    #[test]
    fn a_write_needs_the_session_cookie_and_its_csrf_token() {
        let editor = editor();
        let now = Instant::now();
        let Login::LoggedIn { id, session } = editor.log_in("lan", PASSWORD, "192.0.2.1", now)
        else {
            panic!("not logged in");
        };
        let Login::LoggedIn { session: other, .. } =
            editor.log_in("lan", PASSWORD, "192.0.2.1", now)
        else {
            panic!("not logged in");
        };
        let cookie = format!("theme=dark; {SESSION_COOKIE}={id}");
        let write = |cookie: Option<&str>, csrf: Option<&str>| {
            session_for_write(&editor.sessions, cookie, csrf, now)
        };

        assert_eq!(
            write(Some(&cookie), Some(&session.csrf)),
            Ok(session.clone())
        );
        assert_eq!(write(Some(&cookie), None), Err(Denied::BadCsrf));
        assert_eq!(write(Some(&cookie), Some("")), Err(Denied::BadCsrf));
        assert_eq!(
            write(Some(&cookie), Some(&other.csrf)),
            Err(Denied::BadCsrf),
            "another session's token"
        );
        assert_eq!(write(Some(&cookie), Some(&id)), Err(Denied::BadCsrf));
        assert_eq!(write(None, Some(&session.csrf)), Err(Denied::NoSession));
        assert_eq!(
            write(Some("trangtin_session=forged"), Some(&session.csrf)),
            Err(Denied::NoSession)
        );
        // After expiry or logout the cookie is worth nothing.
        assert_eq!(
            session_for_write(
                &editor.sessions,
                Some(&cookie),
                Some(&session.csrf),
                now + 480 * MINUTE
            ),
            Err(Denied::NoSession)
        );
    }

    #[test]
    fn a_logged_out_session_cannot_write() {
        let editor = editor();
        let now = Instant::now();
        let Login::LoggedIn { id, session } = editor.log_in("lan", PASSWORD, "192.0.2.1", now)
        else {
            panic!("not logged in");
        };
        editor.sessions.remove(&id);
        let cookie = format!("{SESSION_COOKIE}={id}");
        assert_eq!(
            session_for_write(&editor.sessions, Some(&cookie), Some(&session.csrf), now),
            Err(Denied::NoSession)
        );
    }
}
