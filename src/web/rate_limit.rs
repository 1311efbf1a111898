//! Rate limits on the JSON API: per session, per API key and per client address
//! (`[rate_limits]` in the configuration). The first limit a request meets answers 429
//! with `Retry-After` and a message naming the limit; a refused request never reaches
//! its handler. Pages are not limited here; sign-in has its own throttle in `app`.
//!
//! Each limit is a GCRA limiter (governor) keyed by the SHA-256 of the token or by the
//! address. Its table of keys is bounded: keys idle long enough to be back to a full
//! burst are dropped every so often, and while the table is full, new sessions and keys
//! are limited by their address alone.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use sha2::{Digest, Sha256};

use super::client_address::client_address;
use super::error::AppError;
use super::extract::session_token;
use crate::app::SECRET_PREFIX;
use crate::config::{Limit, RateLimitsConfig};

/// Checks between two sweeps of keys back to a full burst.
const SWEEP_EVERY: u64 = 1024;

/// What a limit is counted against, for its message.
#[derive(Debug, Clone, Copy)]
enum Counted {
    Session,
    Key,
    Address,
}

impl Counted {
    fn words(self) -> &'static str {
        match self {
            Counted::Session => "from this session",
            Counted::Key => "with this API key",
            Counted::Address => "from this address",
        }
    }
}

/// One limit, keyed by `K`.
struct Keyed<K: Hash + Eq + Clone> {
    counted: Counted,
    limit: Limit,
    limiter: RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>,
    clock: DefaultClock,
    checks: AtomicU64,
    max_tracked: usize,
}

impl<K: Hash + Eq + Clone> Keyed<K> {
    fn new(counted: Counted, limit: Option<Limit>, max_tracked: usize) -> Option<Self> {
        let limit = limit?;
        let per_minute = NonZeroU32::new(limit.per_minute)?;
        let burst = NonZeroU32::new(limit.burst)?;
        let quota =
            Quota::with_period(Duration::from_secs(60) / per_minute.get())?.allow_burst(burst);
        Some(Self {
            counted,
            limit,
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
            max_tracked,
        })
    }

    /// Counts one request against `key`; the refusal says which limit and how long to
    /// wait.
    fn check(&self, key: &K) -> Result<(), AppError> {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        if self.limiter.len() >= self.max_tracked {
            return Ok(());
        }
        self.limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let secs = secs.max(1);
            crate::app::Error::TooManyRequests {
                message: format!(
                    "too many requests {}: the limit is {} a minute, in bursts of up to {}; try again in {secs} second{}",
                    self.counted.words(),
                    self.limit.per_minute,
                    self.limit.burst,
                    if secs == 1 { "" } else { "s" },
                ),
                retry_after_secs: secs,
            }
            .into()
        })
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

/// The API's limits, shared by every request.
pub struct RateLimits {
    session: Option<Keyed<[u8; 32]>>,
    key: Option<Keyed<[u8; 32]>>,
    address: Option<Keyed<IpAddr>>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits")
            .field("session", &self.session.as_ref().map(|l| l.limit))
            .field("key", &self.key.as_ref().map(|l| l.limit))
            .field("address", &self.address.as_ref().map(|l| l.limit))
            .finish()
    }
}

impl RateLimits {
    pub fn new(config: &RateLimitsConfig) -> Arc<Self> {
        let max = config.max_tracked;
        Arc::new(Self {
            session: Keyed::new(Counted::Session, config.session(), max),
            key: Keyed::new(Counted::Key, config.key(), max),
            address: Keyed::new(Counted::Address, config.address(), max),
        })
    }

    /// Counts a request with `token` (if any) from `address` (if known). The token's own
    /// limit is checked first, so a request it refuses is not counted against the
    /// address as well.
    fn check(&self, token: Option<&str>, address: Option<IpAddr>) -> Result<(), AppError> {
        if let Some(token) = token {
            let limit = if token.starts_with(SECRET_PREFIX) {
                &self.key
            } else {
                &self.session
            };
            if let Some(limit) = limit {
                limit.check(&Sha256::digest(token.as_bytes()).into())?;
            }
        }
        if let (Some(limit), Some(address)) = (&self.address, address) {
            limit.check(&address)?;
        }
        Ok(())
    }
}

/// The middleware on `/api/…`: refuses a request over a limit before its handler runs.
/// `/healthz` and `/metrics` share the API's router but are the service manager's and
/// the monitoring's, not the API's, so they pass.
pub async fn limit(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let token = session_token(&parts).map(|(token, _)| token);
    let address = client_address(&parts);
    if let Err(refusal) = limits.check(token.as_deref(), address) {
        return refusal.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, max_tracked: usize) -> RateLimits {
        let limit = Some(Limit {
            per_minute: 1,
            burst,
        });
        RateLimits {
            session: Keyed::new(Counted::Session, limit, max_tracked),
            key: Keyed::new(Counted::Key, limit, max_tracked),
            address: Keyed::new(Counted::Address, limit, max_tracked),
        }
    }

    #[test]
    fn a_burst_passes_and_the_next_request_is_refused_with_a_wait() {
        let limits = limits(3, 100);
        for _ in 0..3 {
            assert!(limits.check(Some("a"), None).is_ok());
        }
        let refused = limits.check(Some("a"), None).expect_err("over the burst");
        assert_eq!(refused.status(), axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert!(limits.check(Some("b"), None).is_ok(), "another session");
        assert!(
            limits.check(Some("sk_a"), None).is_ok(),
            "keys count on their own"
        );
    }

    #[test]
    fn the_table_of_sessions_is_bounded() {
        let limits = limits(1, 100);
        for n in 0..1000 {
            let _ = limits.check(Some(&format!("token {n}")), None);
        }
        let session = limits.session.as_ref().expect("limited");
        assert!(session.tracked() <= 100, "{}", session.tracked());
    }
}
