//! Sessions of logged-in users, in memory: a random id (the cookie) to the user, the CSRF
//! token every write must send back, and the time the session ends.

use super::tokens::random_token;
use super::User;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A logged-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who is logged in.
    pub user: User,
    /// The CSRF token of this session: every write (POST) must carry it, compared with
    /// [`tokens_match`](super::tokens_match).
    pub csrf: String,
    /// When the session ends, whatever the user does (no sliding renewal: a stolen cookie
    /// is good for the session's time at most).
    pub expires: Instant,
}

/// The sessions of the editor: `Send + Sync`, share one in an `Arc`. A restart logs
/// everybody out.
#[derive(Debug)]
pub struct Sessions {
    ttl: Duration,
    by_id: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// No sessions yet; each one created lasts `ttl` (the editor uses 8 hours).
    pub fn new(ttl: Duration) -> Self {
        Sessions {
            ttl,
            by_id: Mutex::new(HashMap::new()),
        }
    }

    /// Starts a session for `user`: its id (for the cookie, 32 random bytes) and the session
    /// with a fresh CSRF token. Expired sessions are dropped on the way.
    pub fn create(&self, user: User, now: Instant) -> (String, Session) {
        let session = Session {
            user,
            csrf: random_token(),
            expires: now.checked_add(self.ttl).unwrap_or(now),
        };
        let id = random_token();
        let mut sessions = self.lock();
        sessions.retain(|_, s| s.expires > now);
        sessions.insert(id.clone(), session.clone());
        (id, session)
    }

    /// The session with this id, or `None` when there is none or it has expired (then it is
    /// removed).
    pub fn get(&self, id: &str, now: Instant) -> Option<Session> {
        let mut sessions = self.lock();
        let session = sessions.get(id)?;
        if session.expires > now {
            return Some(session.clone());
        }
        sessions.remove(id);
        None
    }

    /// Ends a session (logout); nothing happens when there is none.
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Ends every session of the user `name` (after a password change or the account's
    /// removal); returns how many there were.
    pub fn remove_user(&self, name: &str) -> usize {
        let mut sessions = self.lock();
        let before = sessions.len();
        sessions.retain(|_, s| s.user.name != name);
        before - sessions.len()
    }

    /// The sessions; a handler that panicked while holding them left them usable.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        self.by_id.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Role;
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn lan() -> User {
        User {
            name: "lan".into(),
            display_name: "Nguyễn Thị Lan".into(),
            role: Role::Editor,
        }
    }

    #[test]
    fn a_session_is_found_by_its_id_until_it_expires() {
        let sessions = Sessions::new(8 * HOUR);
        let t0 = Instant::now();
        let (id, session) = sessions.create(lan(), t0);
        assert_eq!(session.expires, t0 + 8 * HOUR);
        assert_eq!(sessions.get(&id, t0 + 7 * HOUR), Some(session.clone()));
        assert_eq!(sessions.get(&id, t0 + 8 * HOUR), None);
        // Once expired it is gone, even for an earlier clock.
        assert_eq!(sessions.get(&id, t0), None);
    }

    #[test]
    fn ids_and_csrf_tokens_are_fresh_and_distinct() {
        let sessions = Sessions::new(HOUR);
        let t0 = Instant::now();
        let (id1, s1) = sessions.create(lan(), t0);
        let (id2, s2) = sessions.create(lan(), t0);
        assert_ne!(id1, id2);
        assert_ne!(s1.csrf, s2.csrf);
        assert_ne!(id1, s1.csrf);
        assert_eq!(id1.len(), 43);
        assert_eq!(s1.csrf.len(), 43);
    }

    #[test]
    fn an_unknown_or_removed_id_has_no_session() {
        let sessions = Sessions::new(HOUR);
        let t0 = Instant::now();
        let (id, _) = sessions.create(lan(), t0);
        assert_eq!(sessions.get("not-an-id", t0), None);
        assert_eq!(sessions.get("", t0), None);
        sessions.remove(&id);
        assert_eq!(sessions.get(&id, t0), None);
        sessions.remove(&id);
    }

    #[test]
    fn all_sessions_of_a_user_can_be_ended() {
        let sessions = Sessions::new(HOUR);
        let t0 = Instant::now();
        let (a, _) = sessions.create(lan(), t0);
        let (b, _) = sessions.create(lan(), t0);
        let other = User {
            name: "minh".into(),
            ..lan()
        };
        let (c, _) = sessions.create(other, t0);
        assert_eq!(sessions.remove_user("lan"), 2);
        assert_eq!(sessions.get(&a, t0), None);
        assert_eq!(sessions.get(&b, t0), None);
        assert!(sessions.get(&c, t0).is_some());
    }

    #[test]
    fn expired_sessions_are_dropped_when_new_ones_start() {
        let sessions = Sessions::new(HOUR);
        let t0 = Instant::now();
        for _ in 0..3 {
            sessions.create(lan(), t0);
        }
        sessions.create(lan(), t0 + 2 * HOUR);
        assert_eq!(sessions.lock().len(), 1);
    }

    #[test]
    fn sessions_are_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Sessions>();
    }
}
