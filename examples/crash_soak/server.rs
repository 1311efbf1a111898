//! The crash soak's side of the server: starting `sarkar-crm serve` and timing it to
//! its first healthy answer, adding the owner with the command line, and a signed-in
//! client that notes only acknowledged (2xx) writes.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use super::soak::Options;

/// The password of the soak's one user.
const PASSWORD: &str = "crash soak password";
/// How long the server may take to answer `/healthz`, or the index to catch up.
const PATIENCE: Duration = Duration::from_secs(60);

/// A signed-in client of one run of the server.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// GETs `path`; the JSON of a 200, or what came instead.
    pub async fn get_json(&self, path: &str) -> Result<Value, String> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| format!("no answer ({e})"))?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(response.status().to_string());
        }
        response.json().await.map_err(|e| format!("not JSON ({e})"))
    }

    /// POSTs `body`; the JSON of a 2xx (an acknowledgement), or `None`.
    pub async fn post(&self, path: &str, body: &Value) -> Option<Value> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.json().await.ok()
    }

    /// Waits until `/metrics` says the search index reflects every committed change.
    pub async fn index_caught_up(&self) -> Result<(), String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = self
                .http
                .get(format!("{}/metrics", self.base))
                .send()
                .await
                .map_err(|e| format!("/metrics: {e}"))?
                .text()
                .await
                .map_err(|e| format!("/metrics: {e}"))?;
            let lag = text
                .lines()
                .find_map(|line| line.strip_prefix("sarkar_search_index_lag "))
                .and_then(|value| value.trim().parse::<f64>().ok());
            if lag == Some(0.0) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the search index did not catch up (lag {lag:?})"));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// One run of `sarkar-crm serve`.
pub struct Server {
    pub child: Child,
    base: String,
}

impl Server {
    /// Starts the server and answers it with the time until `/healthz` first said 200.
    pub async fn start(options: &Options) -> Result<(Self, Duration), String> {
        let spawned = Instant::now();
        let mut child = Command::new(&options.binary)
            .arg("--data-dir")
            .arg(&options.data_dir)
            .args(["serve", "--http", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            // Four writers and the checks on one address far outrun the API's rate
            // limits, which are not what the soak tests: they are off here.
            .env("SARKAR__RATE_LIMITS__SESSION_PER_MINUTE", "0")
            .env("SARKAR__RATE_LIMITS__KEY_PER_MINUTE", "0")
            .env("SARKAR__RATE_LIMITS__ADDRESS_PER_MINUTE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("{} does not start: {e}", options.binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = lines
            .next_line()
            .await
            .ok()
            .flatten()
            .ok_or("the server printed no address")?;
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let base = first
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .ok_or_else(|| format!("no address in {first:?}"))?
            .trim_end_matches('/')
            .to_owned();
        let http = reqwest::Client::new();
        loop {
            let healthy = http.get(format!("{base}/healthz")).send().await;
            if healthy.is_ok_and(|answer| answer.status().is_success()) {
                break;
            }
            if spawned.elapsed() > PATIENCE {
                return Err("/healthz never answered 200".to_owned());
            }
            tokio::task::yield_now().await;
        }
        Ok((Self { child, base }, spawned.elapsed()))
    }

    pub async fn sign_in(&self) -> Result<Api, String> {
        let http = reqwest::Client::new();
        let session: Value = http
            .post(format!("{}/api/auth/login", self.base))
            .json(&json!({"username": "owner", "password": PASSWORD}))
            .send()
            .await
            .map_err(|e| format!("sign-in: {e}"))?
            .json()
            .await
            .map_err(|e| format!("sign-in: {e}"))?;
        let token = session["token"]
            .as_str()
            .ok_or_else(|| format!("sign-in: {session}"))?;
        Ok(Api {
            http,
            base: self.base.clone(),
            token: token.to_owned(),
        })
    }
}

/// Adds the owner with the command line, as an install does.
pub async fn add_owner(options: &Options) -> Result<(), String> {
    let mut child = Command::new(&options.binary)
        .arg("--data-dir")
        .arg(&options.data_dir)
        .args([
            "user",
            "add",
            "--username",
            "owner",
            "--role",
            "business-admin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("user add: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    stdin
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    drop(stdin);
    let out = child.wait_with_output().await.map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "user add failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}
