//! The `[rate_limits]` keys: how many JSON API requests a session, an API key and a
//! client address may make, as a rate per minute and a burst, checked at load.

use serde::Deserialize;

/// Highest rate any key accepts: far beyond what the box can serve anyway.
const MAX_PER_MINUTE: u32 = 1_000_000;
/// Largest burst any key accepts.
const MAX_BURST: u32 = 100_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitsConfig {
    pub session_per_minute: u32,
    pub session_burst: u32,
    pub key_per_minute: u32,
    pub key_burst: u32,
    pub address_per_minute: u32,
    pub address_burst: u32,
    pub max_tracked: usize,
}

/// One limit: requests per minute once the burst is spent, and the burst. `None` when
/// the limit is switched off (a rate of 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub per_minute: u32,
    pub burst: u32,
}

impl RateLimitsConfig {
    pub fn session(&self) -> Option<Limit> {
        limit(self.session_per_minute, self.session_burst)
    }

    pub fn key(&self) -> Option<Limit> {
        limit(self.key_per_minute, self.key_burst)
    }

    pub fn address(&self) -> Option<Limit> {
        limit(self.address_per_minute, self.address_burst)
    }

    /// The key at fault and why, when a value cannot be used.
    pub(super) fn validate(&self) -> Result<(), (&'static str, String)> {
        for (rate_key, rate, burst_key, burst) in [
            (
                "rate_limits.session_per_minute",
                self.session_per_minute,
                "rate_limits.session_burst",
                self.session_burst,
            ),
            (
                "rate_limits.key_per_minute",
                self.key_per_minute,
                "rate_limits.key_burst",
                self.key_burst,
            ),
            (
                "rate_limits.address_per_minute",
                self.address_per_minute,
                "rate_limits.address_burst",
                self.address_burst,
            ),
        ] {
            if rate > MAX_PER_MINUTE {
                return Err((
                    rate_key,
                    format!("must be between 0 (no limit) and {MAX_PER_MINUTE} requests a minute"),
                ));
            }
            if rate > 0 && !(1..=MAX_BURST).contains(&burst) {
                return Err((
                    burst_key,
                    format!("must be between 1 and {MAX_BURST} requests"),
                ));
            }
        }
        if !(100..=1_000_000).contains(&self.max_tracked) {
            return Err((
                "rate_limits.max_tracked",
                "must be between 100 and 1000000".to_owned(),
            ));
        }
        Ok(())
    }
}

fn limit(per_minute: u32, burst: u32) -> Option<Limit> {
    (per_minute > 0).then_some(Limit { per_minute, burst })
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    use crate::config::refusal as refused;

    #[test]
    fn the_defaults_limit_each_kind_and_zero_switches_one_off() {
        let limits = Config::defaults().rate_limits;
        assert!(limits.session().is_some());
        assert!(limits.key().is_some());
        assert!(limits.address().is_some());
        let env = [(
            "SARKAR__RATE_LIMITS__SESSION_PER_MINUTE".to_owned(),
            "0".to_owned(),
        )];
        let off = Config::load(None, env).expect("0 is allowed");
        assert_eq!(off.rate_limits.session(), None);
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = refused(&[("SARKAR__RATE_LIMITS__KEY_BURST", "0")]);
        assert!(err.contains("rate_limits.key_burst"), "{err}");
        let err = refused(&[("SARKAR__RATE_LIMITS__ADDRESS_PER_MINUTE", "2000000")]);
        assert!(err.contains("rate_limits.address_per_minute"), "{err}");
        let err = refused(&[("SARKAR__RATE_LIMITS__MAX_TRACKED", "5")]);
        assert!(err.contains("rate_limits.max_tracked"), "{err}");
        let err = refused(&[("SARKAR__RATE_LIMITS__SESSION_PER_MINUTE", "-1")]);
        assert!(err.contains("rate_limits.session_per_minute"), "{err}");
    }
}
