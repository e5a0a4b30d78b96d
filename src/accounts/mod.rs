//! Editor accounts for `trangtin serve --edit`: users and their roles, password hashes
//! (Argon2id), login limiting, sessions, CSRF tokens, the session cookie and the log of
//! every save. Free of HTTP types so that each piece is tested on its own; the editor's
//! handlers call these functions.
//!
//! - [`Accounts`]: the users file (`.trangtin/users.yaml`, outside `content/`), read, checked
//!   and written atomically with mode 0600 (`users`), password hashing and verification
//!   (`password`);
//! - [`LoginLimiter`]: failed logins counted per name and per address (`limiter`);
//! - [`Sessions`], [`random_token`], [`tokens_match`]: sessions with a CSRF token each
//!   (`sessions`, `tokens`);
//! - [`session_cookie`], [`cookie_value`]: the `Set-Cookie` and `Cookie` headers (`cookies`);
//! - [`AuditLog`]: who saved or published which file, when, one line each (`audit`);
//! - [`log_in`] and [`session_for_write`]: the checks above in the order a handler makes
//!   them (`login`).
//!
//! A handler's sketch (the editor shares one `Accounts`, `LoginLimiter` and `Sessions`):
//!
//! ```text
//! POST login:  match log_in(&accounts, &limiter, &sessions, name, password, ip, now) {
//!                  LoggedIn { id, session } => Set-Cookie: session_cookie(&id, path, tls)
//!                  Refused => 401 "Sai tên hoặc mật khẩu"
//!                  Locked { retry_after } => 429 with Retry-After
//!              }
//! any write:   let session = session_for_write(&sessions, cookie, csrf_field, now)?;
//!              if publishing && !session.user.role.may_publish() { 403 }
//!              audit.record(&session.user.audit_name(), "lưu nháp", "content/…/x.md")?;
//! logout:      sessions.remove(id); Set-Cookie: clear_session_cookie(path, tls)
//! ```

mod audit;
mod cookies;
mod limiter;
mod login;
mod password;
mod sessions;
mod tokens;
mod users;
mod users_file;

pub use audit::AuditLog;
pub use cookies::{clear_session_cookie, cookie_value, session_cookie, SESSION_COOKIE};
pub use limiter::LoginLimiter;
pub use login::{log_in, session_for_write, Denied, Login};
pub use password::{check_password, MIN_PASSWORD_CHARS};
pub use sessions::{Session, Sessions};
pub use tokens::{random_token, tokens_match};
pub use users::{check_name, Accounts};

use serde::Deserialize;

/// What a user may do in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Role {
    /// "Biên tập viên": writes and saves drafts.
    #[serde(rename = "bien-tap-vien")]
    Editor,
    /// "Người duyệt": also publishes.
    #[serde(rename = "nguoi-duyet")]
    Approver,
}

impl Role {
    /// Both roles, in the order the CLI lists them.
    pub const ALL: [Role; 2] = [Role::Editor, Role::Approver];

    /// The role as a person reads it: "Biên tập viên" or "Người duyệt".
    pub fn label(self) -> &'static str {
        match self {
            Role::Editor => "Biên tập viên",
            Role::Approver => "Người duyệt",
        }
    }

    /// The role as the users file and the CLI spell it: `bien-tap-vien` or `nguoi-duyet`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Editor => "bien-tap-vien",
            Role::Approver => "nguoi-duyet",
        }
    }

    /// The role spelled as in the users file, or `None`.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    /// True for the approver, who publishes; an editor only saves drafts.
    pub fn may_publish(self) -> bool {
        matches!(self, Role::Approver)
    }
}

/// A user of the editor, without the password hash (which never leaves [`Accounts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The login name: `[a-z0-9._-]{1,32}`.
    pub name: String,
    /// The name shown in the editor (NFC), e.g. "Nguyễn Thị Lan"; the login name when the
    /// file gives none.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
}

impl User {
    /// The user as the audit log names them: `lan (Người duyệt)`.
    pub fn audit_name(&self) -> String {
        format!("{} ({})", self.name, self.role.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_approver_publishes() {
        assert!(Role::Approver.may_publish());
        assert!(!Role::Editor.may_publish());
    }

    #[test]
    fn roles_have_a_file_spelling_and_a_label() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("approver"), None);
        assert_eq!(Role::Approver.label(), "Người duyệt");
        assert_eq!(Role::Editor.label(), "Biên tập viên");
    }

    #[test]
    fn the_audit_log_names_a_user_with_the_role() {
        let user = User {
            name: "lan".into(),
            display_name: "Nguyễn Thị Lan".into(),
            role: Role::Approver,
        };
        assert_eq!(user.audit_name(), "lan (Người duyệt)");
    }
}
