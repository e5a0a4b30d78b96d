//! Login limiting: failed logins are counted per login name and per address; too many within
//! a window lock that name or address out for a while. In memory (a restart forgets), one
//! lock inside, the time passed in by the caller so that tests need no clock.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Failures of one login name within [`LoginLimiter::WINDOW`] that lock the name.
const NAME_LIMIT: usize = 5;
/// Failures from one address within the window that lock the address: higher than for a
/// name, as an office behind one router shares an address.
const IP_LIMIT: usize = 20;
/// Past this many remembered names and addresses, those with nothing recent are forgotten,
/// so that a flood of made-up names cannot fill the memory.
const SWEEP_ABOVE: usize = 10_000;
/// Login names longer than this are counted by their first bytes (no name is that long).
const NAME_KEY_BYTES: usize = 64;

/// Counts failed logins and says when a login must wait. `Send + Sync`: share one in an
/// `Arc` between request handlers.
#[derive(Debug)]
pub struct LoginLimiter {
    counters: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    names: HashMap<String, Record>,
    addresses: HashMap<IpAddr, Record>,
}

/// The recent failures of one name or address, and the end of its lockout.
#[derive(Debug, Default)]
struct Record {
    failures: Vec<Instant>,
    locked_until: Option<Instant>,
}

impl Record {
    fn retry_after(&self, now: Instant) -> Option<Duration> {
        self.locked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// Counts a failure; the `limit`-th within the window starts a lockout.
    fn fail(&mut self, now: Instant, limit: usize) {
        if self.retry_after(now).is_some() {
            return;
        }
        self.failures
            .retain(|t| now.saturating_duration_since(*t) < LoginLimiter::WINDOW);
        self.failures.push(now);
        if self.failures.len() >= limit {
            self.failures.clear();
            self.locked_until = now.checked_add(LoginLimiter::LOCKOUT);
        }
    }

    /// Nothing left to remember: no lockout running, no failure within the window.
    fn is_stale(&self, now: Instant) -> bool {
        self.retry_after(now).is_none()
            && self
                .failures
                .iter()
                .all(|t| now.saturating_duration_since(*t) >= LoginLimiter::WINDOW)
    }
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl LoginLimiter {
    /// Failures are counted within this window (15 minutes).
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);
    /// How long a name or address stays locked (15 minutes).
    pub const LOCKOUT: Duration = Duration::from_secs(15 * 60);

    /// A limiter that locks a name after 5 failures, an address after 20, each within 15
    /// minutes, for 15 minutes.
    pub fn new() -> Self {
        LoginLimiter {
            counters: Mutex::new(Counters::default()),
        }
    }

    /// `Ok` when a login for `name` from `ip` may be tried now; `Err(wait)` when the name or
    /// the address is locked, with how long until it is not. Call it before verifying the
    /// password, so that a locked name costs no hashing.
    pub fn check(&self, name: &str, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let counters = self.lock();
        let by_name = counters
            .names
            .get(&name_key(name))
            .and_then(|r| r.retry_after(now));
        let by_address = counters
            .addresses
            .get(&address_key(ip))
            .and_then(|r| r.retry_after(now));
        match by_name.max(by_address) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Counts a failed login (a wrong password or an unknown name) for `name` and `ip`.
    pub fn failed(&self, name: &str, ip: IpAddr, now: Instant) {
        let mut counters = self.lock();
        counters
            .names
            .entry(name_key(name))
            .or_default()
            .fail(now, NAME_LIMIT);
        counters
            .addresses
            .entry(address_key(ip))
            .or_default()
            .fail(now, IP_LIMIT);
        if counters.names.len() > SWEEP_ABOVE {
            counters.names.retain(|_, r| !r.is_stale(now));
        }
        if counters.addresses.len() > SWEEP_ABOVE {
            counters.addresses.retain(|_, r| !r.is_stale(now));
        }
    }

    /// Forgets the failures of `name` after a successful login. The address keeps its
    /// count: otherwise a guesser who owns one account could reset it between guesses at
    /// the others.
    pub fn succeeded(&self, name: &str, ip: IpAddr) {
        let _ = ip;
        self.lock().names.remove(&name_key(name));
    }

    /// The counters; a handler that panicked while holding them left them usable.
    fn lock(&self) -> MutexGuard<'_, Counters> {
        self.counters.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Names are counted without regard to case and by their first bytes only.
fn name_key(name: &str) -> String {
    let mut end = name.len().min(NAME_KEY_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_lowercase()
}

/// An IPv4 address (also when written as IPv6 `::ffff:a.b.c.d`), or the /64 network of an
/// IPv6 address: one subscriber holds a whole /64, so counting single IPv6 addresses would
/// give a guesser 2^64 fresh tries.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(network.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn five_failures_lock_the_name_for_fifteen_minutes() {
        let limiter = LoginLimiter::new();
        let t0 = Instant::now();
        let from = ip("192.0.2.1");
        for i in 0..4 {
            limiter.failed("lan", from, t0 + i * MINUTE);
            assert_eq!(limiter.check("lan", from, t0 + i * MINUTE), Ok(()));
        }
        let fifth = t0 + 4 * MINUTE;
        limiter.failed("lan", from, fifth);
        assert_eq!(limiter.check("lan", from, fifth), Err(15 * MINUTE));
        assert_eq!(
            limiter.check("LAN", ip("198.51.100.7"), fifth + 5 * MINUTE),
            Err(10 * MINUTE),
            "the name is locked from any address and in any case"
        );
        assert_eq!(limiter.check("minh", from, fifth), Ok(()));
        assert_eq!(limiter.check("lan", from, fifth + 15 * MINUTE), Ok(()));
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let limiter = LoginLimiter::new();
        let t0 = Instant::now();
        let from = ip("192.0.2.1");
        for i in 0..4 {
            limiter.failed("lan", from, t0 + i * MINUTE);
        }
        // The first four are more than 15 minutes old by now.
        let later = t0 + 20 * MINUTE;
        limiter.failed("lan", from, later);
        assert_eq!(limiter.check("lan", from, later), Ok(()));
        // The first failure leaves the window: four within it, then a fifth locks.
        let limiter = LoginLimiter::new();
        for i in [0, 5, 6, 7] {
            limiter.failed("lan", from, t0 + i * MINUTE);
        }
        limiter.failed("lan", from, t0 + 16 * MINUTE);
        assert_eq!(limiter.check("lan", from, t0 + 16 * MINUTE), Ok(()));
        limiter.failed("lan", from, t0 + 17 * MINUTE);
        assert!(limiter.check("lan", from, t0 + 17 * MINUTE).is_err());
    }

    #[test]
    fn failures_while_locked_do_not_extend_the_lockout() {
        let limiter = LoginLimiter::new();
        let t0 = Instant::now();
        let from = ip("192.0.2.1");
        for _ in 0..5 {
            limiter.failed("lan", from, t0);
        }
        limiter.failed("lan", from, t0 + 10 * MINUTE);
        assert_eq!(limiter.check("lan", from, t0 + 15 * MINUTE), Ok(()));
    }

    #[test]
    fn a_success_forgets_the_names_failures() {
        let limiter = LoginLimiter::new();
        let t0 = Instant::now();
        let from = ip("192.0.2.1");
        for _ in 0..4 {
            limiter.failed("lan", from, t0);
        }
        limiter.succeeded("lan", from);
        limiter.failed("lan", from, t0);
        assert_eq!(limiter.check("lan", from, t0), Ok(()));
    }

    #[test]
    fn twenty_failures_from_one_address_lock_it_for_every_name() {
        let limiter = LoginLimiter::new();
        let t0 = Instant::now();
        let from = ip("192.0.2.1");
        for i in 0..19 {
            limiter.failed(&format!("user{i}"), from, t0);
        }
        assert_eq!(limiter.check("someone", from, t0), Ok(()));
        // A success on one account does not reset the address.
        limiter.succeeded("user0", from);
        limiter.failed("user19", from, t0);
        assert_eq!(limiter.check("someone", from, t0), Err(15 * MINUTE));
        assert_eq!(limiter.check("someone", ip("192.0.2.2"), t0), Ok(()));
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_bit_network() {
        assert_eq!(
            address_key(ip("2001:db8:1:2:aaaa::1")),
            address_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn long_and_non_ascii_names_are_keyed_safely() {
        let long = "ư".repeat(100);
        assert!(name_key(&long).len() <= NAME_KEY_BYTES);
        let limiter = LoginLimiter::new();
        limiter.failed(&long, ip("192.0.2.1"), Instant::now());
    }

    #[test]
    fn stale_records_are_swept_when_the_maps_grow() {
        let limiter = LoginLimiter::new();
        let t0 = Instant::now();
        for i in 0..=SWEEP_ABOVE {
            limiter.failed(&format!("n{i}"), ip("192.0.2.1"), t0);
        }
        limiter.failed("late", ip("192.0.2.9"), t0 + 16 * MINUTE);
        let counters = limiter.lock();
        assert_eq!(counters.names.len(), 1);
        assert!(counters.addresses.len() <= 2);
    }

    #[test]
    fn the_limiter_is_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<LoginLimiter>();
    }
}
