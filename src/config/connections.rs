//! The `[server]` keys that bound connections: the header-read, idle and TLS handshake
//! timeouts and the caps on open connections, checked together at load.

use std::time::Duration;

use super::ServerConfig;

/// Longest timeout any of these keys accepts: a day is already far past any use.
const MAX_TIMEOUT_SECS: u64 = 24 * 3600;

impl ServerConfig {
    /// The key at fault and why, when the connection keys do not fit together.
    pub(super) fn validate_connections(&self) -> Result<(), (&'static str, String)> {
        for (key, secs) in [
            (
                "server.header_read_timeout_secs",
                self.header_read_timeout_secs,
            ),
            ("server.idle_timeout_secs", self.idle_timeout_secs),
            (
                "server.tls_handshake_timeout_secs",
                self.tls_handshake_timeout_secs,
            ),
        ] {
            if !(1..=MAX_TIMEOUT_SECS).contains(&secs) {
                return Err((
                    key,
                    format!("must be between 1 and {MAX_TIMEOUT_SECS} seconds"),
                ));
            }
        }
        // A handler may be silent on the wire for up to the request timeout; closing
        // an idle connection sooner would cut its answer off.
        if self.idle_timeout_secs < self.request_timeout_secs {
            return Err((
                "server.idle_timeout_secs",
                format!(
                    "must be at least server.request_timeout_secs ({}), so a slow answer is not cut off",
                    self.request_timeout_secs
                ),
            ));
        }
        if !(1..=1_000_000).contains(&self.max_connections) {
            return Err((
                "server.max_connections",
                "must be between 1 and 1000000".to_owned(),
            ));
        }
        if self.max_connections_per_address == 0
            || self.max_connections_per_address > self.max_connections
        {
            return Err((
                "server.max_connections_per_address",
                format!(
                    "must be between 1 and server.max_connections ({})",
                    self.max_connections
                ),
            ));
        }
        Ok(())
    }

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_secs)
    }

    pub fn tls_handshake_timeout(&self) -> Duration {
        Duration::from_secs(self.tls_handshake_timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    use crate::config::refusal as refused;

    #[test]
    fn connection_keys_are_checked_and_name_the_key() {
        let defaults = Config::defaults().server;
        assert!(defaults.max_connections_per_address < defaults.max_connections);
        assert!(defaults.idle_timeout_secs >= defaults.request_timeout_secs);

        let err = refused(&[("SARKAR__SERVER__HEADER_READ_TIMEOUT_SECS", "0")]);
        assert!(err.contains("server.header_read_timeout_secs"), "{err}");
        let err = refused(&[("SARKAR__SERVER__TLS_HANDSHAKE_TIMEOUT_SECS", "0")]);
        assert!(err.contains("server.tls_handshake_timeout_secs"), "{err}");
        let err = refused(&[("SARKAR__SERVER__IDLE_TIMEOUT_SECS", "5")]);
        assert!(
            err.contains("server.idle_timeout_secs") && err.contains("request_timeout_secs"),
            "{err}"
        );
        let err = refused(&[("SARKAR__SERVER__MAX_CONNECTIONS", "0")]);
        assert!(err.contains("server.max_connections"), "{err}");
        let err = refused(&[
            ("SARKAR__SERVER__MAX_CONNECTIONS", "10"),
            ("SARKAR__SERVER__MAX_CONNECTIONS_PER_ADDRESS", "11"),
        ]);
        assert!(err.contains("server.max_connections_per_address"), "{err}");
        let err = refused(&[("SARKAR__SERVER__MAX_CONNECTIONS", "-1")]);
        assert!(err.contains("server.max_connections"), "{err}");
    }
}
