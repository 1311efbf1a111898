//! The browser's console, as chromedriver collects it when the session asks for
//! `goog:loggingPrefs: {"browser": "ALL"}`.
//!
//! chromedriver (156) answers both `POST /session/{id}/se/log` and the legacy
//! `POST /session/{id}/log` with `{"type": "browser"}`; `se/log` is the one it keeps for W3C
//! sessions. Each entry is handed out once: a read returns what was logged since the last.

use serde::Deserialize;

use super::{Browser, must};

/// One line of the browser's log. `level` is `SEVERE` for `console.error`, uncaught
/// exceptions and failed loads (a 404 for a script or image is one too); `source` is
/// `console-api`, `javascript`, `network`, ….
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub timestamp: f64,
}

impl LogEntry {
    pub fn is_severe(&self) -> bool {
        self.level == "SEVERE"
    }
}

/// `POST /session/{id}/se/log {"type": "browser"}`, which fantoccini has no method for.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

impl Browser {
    /// Everything the browser logged since the last call (chromedriver hands each entry out
    /// once), at every level.
    pub async fn console_log(&self) -> Vec<LogEntry> {
        let log = must(
            self.client.issue_cmd(BrowserLog).await,
            "read the browser's log",
        );
        serde_json::from_value(log.clone())
            .unwrap_or_else(|e| panic!("unexpected browser log ({e}): {log}"))
    }

    /// The `SEVERE` entries logged since the last read: `console.error`, uncaught
    /// exceptions, failed loads.
    pub async fn console_errors(&self) -> Vec<LogEntry> {
        let mut log = self.console_log().await;
        log.retain(LogEntry::is_severe);
        log
    }

    pub async fn assert_no_console_errors(&self) {
        let errors = self.console_errors().await;
        assert!(
            errors.is_empty(),
            "console errors on {}: {errors:#?}",
            self.current_url().await
        );
    }
}
