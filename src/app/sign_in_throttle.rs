//! Slowing down password guessing: wrong passwords are counted per account and per
//! client address, in bounded memory. After a few free tries each further try waits
//! twice as long as the one before, up to a longest wait, so an hour allows far fewer
//! than the 100 failures per account that OWASP ASVS sets as the limit; a slowed
//! account is never locked for good, and an admin can let it try again at once.
//!
//! The counts live in memory, not in the database: a restart forgets them. The console
//! clears one through the server's control socket (`net::control`).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use crate::config::AuthConfig;

/// Failures older than this no longer slow anyone down.
const FORGET_AFTER: SignedDuration = SignedDuration::from_hours(1);
/// Accounts (or typed usernames) and addresses remembered at most, each.
const CAPACITY: usize = 4096;

/// How many free tries there are and how long the wait can grow.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub free_tries: u32,
    pub free_tries_per_address: u32,
    pub longest_wait: SignedDuration,
}

impl ThrottlePolicy {
    pub fn from_config(auth: &AuthConfig) -> Self {
        Self {
            free_tries: auth.sign_in_free_tries,
            free_tries_per_address: auth.sign_in_free_tries_per_address,
            longest_wait: SignedDuration::from_secs(i64::from(auth.sign_in_longest_wait_secs)),
        }
    }
}

/// The wrong passwords given for one account or from one address.
#[derive(Debug, Clone, Copy)]
pub struct Failures {
    /// Failures since the count was last forgotten or cleared; these set the wait.
    pub count: u32,
    pub last_at: Timestamp,
    /// Failures the account's owner has not been told about at a sign-in.
    pub unreported: u32,
}

impl Failures {
    fn is_stale(&self, now: Timestamp) -> bool {
        now.duration_since(self.last_at) > FORGET_AFTER
    }

    /// When the next try may be made: after `free` failures, 1 s, then 2 s, 4 s… up to
    /// `longest` after the last failure.
    pub fn next_try_at(&self, free: u32, longest: SignedDuration) -> Option<Timestamp> {
        let over = self.count.checked_sub(free)?;
        let wait = 1_i64
            .checked_shl(over.min(40))
            .map_or(longest, SignedDuration::from_secs)
            .min(longest);
        self.last_at.checked_add(wait).ok()
    }
}

#[derive(Debug)]
struct Ledger<K> {
    entries: HashMap<K, Failures>,
}

impl<K: Hash + Eq + Clone> Ledger<K> {
    fn new() -> Self {
        Self {
            entries: HashMap::new(),
        }
    }

    /// Seconds until `key` may try again, if it must wait.
    fn wait_secs(
        &self,
        key: &K,
        now: Timestamp,
        free: u32,
        longest: SignedDuration,
    ) -> Option<u64> {
        let failures = self.entries.get(key)?;
        if failures.is_stale(now) {
            return None;
        }
        let at = failures.next_try_at(free, longest)?;
        let wait = now.duration_until(at);
        (wait > SignedDuration::ZERO).then(|| {
            let secs = wait.as_secs() + i64::from(wait.subsec_nanos() > 0);
            u64::try_from(secs.max(1)).unwrap_or(1)
        })
    }

    fn fail(&mut self, key: K, now: Timestamp) -> Failures {
        if !self.entries.contains_key(&key) && self.entries.len() >= CAPACITY {
            self.entries.retain(|_, f| !f.is_stale(now));
            if self.entries.len() >= CAPACITY
                && let Some(oldest) = self
                    .entries
                    .iter()
                    .min_by_key(|(_, f)| f.last_at)
                    .map(|(k, _)| k.clone())
            {
                self.entries.remove(&oldest);
            }
        }
        let failures = self.entries.entry(key).or_insert(Failures {
            count: 0,
            last_at: now,
            unreported: 0,
        });
        if failures.is_stale(now) {
            failures.count = 0;
        }
        failures.count = failures.count.saturating_add(1);
        failures.unreported = failures.unreported.saturating_add(1);
        failures.last_at = now;
        *failures
    }
}

/// Wrong passwords per account and per client address.
#[derive(Debug)]
pub(super) struct SignInThrottle {
    policy: ThrottlePolicy,
    accounts: Mutex<Ledger<String>>,
    addresses: Mutex<Ledger<IpAddr>>,
}

impl SignInThrottle {
    pub(super) fn new(policy: ThrottlePolicy) -> Self {
        Self {
            policy,
            accounts: Mutex::new(Ledger::new()),
            addresses: Mutex::new(Ledger::new()),
        }
    }

    /// Seconds to wait before `username` (lower-cased) may try from `address`, if any.
    pub(super) fn wait_secs(
        &self,
        username: &str,
        address: Option<IpAddr>,
        now: Timestamp,
    ) -> Option<u64> {
        let p = self.policy;
        let account = self.accounts.lock().ok().and_then(|ledger| {
            ledger.wait_secs(&username.to_owned(), now, p.free_tries, p.longest_wait)
        });
        let from_address = address.and_then(|address| {
            self.addresses.lock().ok().and_then(|ledger| {
                ledger.wait_secs(&address, now, p.free_tries_per_address, p.longest_wait)
            })
        });
        account.max(from_address)
    }

    /// Notes a wrong password for `username` from `address`.
    pub(super) fn fail(&self, username: &str, address: Option<IpAddr>, now: Timestamp) {
        if let Ok(mut ledger) = self.accounts.lock() {
            let failures = ledger.fail(username.to_owned(), now);
            if failures.count == self.policy.free_tries {
                tracing::warn!(
                    username,
                    failures = failures.count,
                    "repeated wrong passwords; further tries are slowed down"
                );
            }
        }
        if let Some(address) = address
            && let Ok(mut ledger) = self.addresses.lock()
        {
            let failures = ledger.fail(address, now);
            if failures.count == self.policy.free_tries_per_address {
                tracing::warn!(%address, failures = failures.count, "repeated wrong passwords from one address; further tries are slowed down");
            }
        }
    }

    /// Forgets `username`'s failures (a correct password, or an admin letting them try
    /// again) and answers them, for telling the account's owner.
    pub(super) fn clear(&self, username: &str) -> Option<Failures> {
        self.accounts.lock().ok()?.entries.remove(username)
    }

    /// Accounts whose free tries are used up within the last hour, for the admins.
    pub(super) fn slowed_accounts(&self, now: Timestamp) -> Vec<(String, Failures)> {
        let Ok(ledger) = self.accounts.lock() else {
            return Vec::new();
        };
        ledger
            .entries
            .iter()
            .filter(|(_, f)| !f.is_stale(now) && f.count >= self.policy.free_tries)
            .map(|(k, f)| (k.clone(), *f))
            .collect()
    }

    pub(super) fn policy(&self) -> ThrottlePolicy {
        self.policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            free_tries: 5,
            free_tries_per_address: 30,
            longest_wait: SignedDuration::from_mins(15),
        }
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn free_tries_then_waits_that_double() {
        let throttle = SignInThrottle::new(policy());
        for n in 0..5 {
            assert_eq!(throttle.wait_secs("owner", None, at(n)), None, "try {n}");
            throttle.fail("owner", None, at(n));
        }
        assert_eq!(throttle.wait_secs("owner", None, at(4)), Some(1));
        throttle.fail("owner", None, at(5));
        assert_eq!(throttle.wait_secs("owner", None, at(5)), Some(2));
        assert_eq!(throttle.wait_secs("owner", None, at(7)), None);
        assert_eq!(throttle.wait_secs("someone.else", None, at(5)), None);
    }

    #[test]
    fn an_hour_allows_far_fewer_than_a_hundred_failures() {
        let throttle = SignInThrottle::new(policy());
        let (mut now, mut failures) = (0, 0);
        while now < 3600 {
            match throttle.wait_secs("owner", None, at(now)) {
                Some(wait) => now += i64::try_from(wait).unwrap(),
                None => {
                    throttle.fail("owner", None, at(now));
                    failures += 1;
                }
            }
        }
        assert!(failures <= 25, "{failures} failures in an hour");
    }

    #[test]
    fn the_address_is_slowed_across_usernames_and_an_hour_forgets() {
        let throttle = SignInThrottle::new(policy());
        let address: IpAddr = "192.168.1.50".parse().unwrap();
        for n in 0..30 {
            throttle.fail(&format!("guess{n}"), Some(address), at(0));
        }
        assert_eq!(throttle.wait_secs("owner", Some(address), at(0)), Some(1));
        assert_eq!(throttle.wait_secs("owner", None, at(0)), None);
        assert_eq!(throttle.wait_secs("guess1", Some(address), at(3601)), None);
    }

    #[test]
    fn clearing_lets_the_account_try_again_and_reports_what_happened() {
        let throttle = SignInThrottle::new(policy());
        for n in 0..8 {
            throttle.fail("owner", None, at(n));
        }
        assert_eq!(throttle.slowed_accounts(at(8)).len(), 1);
        assert!(throttle.wait_secs("owner", None, at(8)).is_some());
        assert_eq!(throttle.clear("owner").map(|f| f.unreported), Some(8));
        assert_eq!(throttle.wait_secs("owner", None, at(8)), None);
        assert!(throttle.slowed_accounts(at(8)).is_empty());
    }

    #[test]
    fn memory_stays_bounded_whatever_is_typed() {
        let throttle = SignInThrottle::new(policy());
        for n in 0..(CAPACITY + 500) {
            throttle.fail(&format!("name{n}"), None, at(0));
        }
        assert_eq!(throttle.accounts.lock().unwrap().entries.len(), CAPACITY);
    }
}
