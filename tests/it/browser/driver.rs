//! The chromedriver process: found on PATH, started on a port it picks and reports itself,
//! ready once `/status` says so, and shut down with any browser it still runs on drop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const INSTALL: &str = "apt-get update && apt-get install -y chromium chromium-driver";
/// How long chromedriver may take to say which port it listens on, and then to be ready.
const STARTUP: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

/// The path of `name` on PATH; panics, naming the install command, when it is missing.
pub fn find_binary(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
        .unwrap_or_else(|| {
            panic!("browser tests need `{name}` on PATH, and it is missing: run `{INSTALL}`")
        })
}

/// A running chromedriver, listening on 127.0.0.1.
pub struct Driver {
    child: Child,
    port: Option<u16>,
    log: PathBuf,
}

impl Driver {
    /// Starts chromedriver with `--port=0`, so it picks a free port itself (no race with
    /// other tests), reads that port from its first lines, and waits until `/status` is ready.
    /// Its stderr goes to `chromedriver.log` in `dir`.
    pub async fn start(dir: &Path) -> Driver {
        let binary = find_binary("chromedriver");
        let log = dir.join("chromedriver.log");
        let stderr = std::fs::File::create(&log).expect("chromedriver log file");
        let mut child = Command::new(&binary)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("chromedriver stdout");
        let mut driver = Driver {
            child,
            port: None,
            log,
        };

        // "ChromeDriver was started successfully on port 43351." A thread reads stdout to
        // the end, so chromedriver never blocks on a full pipe.
        let (port_tx, port_rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut port_tx = Some(port_tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(port) = reported_port(&line)
                    && let Some(tx) = port_tx.take()
                {
                    let _ = tx.send(port);
                }
            }
        });
        match tokio::time::timeout(STARTUP, port_rx).await {
            Ok(Ok(port)) => driver.port = Some(port),
            Ok(Err(_)) => panic!("chromedriver exited before it listened; {}", driver.log()),
            Err(_) => panic!(
                "chromedriver did not report its port within {STARTUP:?}; {}",
                driver.log()
            ),
        }
        driver.wait_ready().await;
        driver
    }

    /// The WebDriver URL, e.g. `http://127.0.0.1:43351`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port.expect("chromedriver port"))
    }

    /// chromedriver's stderr so far, for failure messages.
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        format!("chromedriver's stderr:\n{}", text.trim_end())
    }

    /// Polls `GET /status` until it answers `"ready": true`.
    async fn wait_ready(&self) {
        let status = format!("{}/status", self.url());
        let http = reqwest::Client::new();
        let deadline = Instant::now() + STARTUP;
        loop {
            let last = match http.get(&status).timeout(STARTUP).send().await {
                Ok(response) => match response.json::<Value>().await {
                    Ok(body) if body["value"]["ready"] == true => return,
                    Ok(body) => body.to_string(),
                    Err(e) => e.to_string(),
                },
                Err(e) => e.to_string(),
            };
            assert!(
                Instant::now() < deadline,
                "chromedriver at {status} not ready within {STARTUP:?}: {last}; {}",
                self.log()
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for Driver {
    /// Asks chromedriver to quit every session it has (closing the browser) and exit; kills
    /// it if it has not gone within a few seconds. Runs on panics too, so no browser outlives
    /// its test. Blocking here is fine: it happens once, at the end of a test.
    fn drop(&mut self) {
        if let Some(port) = self.port {
            request_shutdown(port);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn reported_port(line: &str) -> Option<u16> {
    line.strip_prefix("ChromeDriver was started successfully on port ")?
        .trim_end()
        .trim_end_matches('.')
        .parse()
        .ok()
}

/// `GET /shutdown` over a plain blocking socket (no async runtime is needed in `drop`).
fn request_shutdown(port: u16) {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let timeout = Duration::from_secs(5);
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, timeout) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let request =
        format!("GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_ok() {
        let _ = stream.read_to_end(&mut Vec::new());
    }
}

#[test]
fn reads_the_port_chromedriver_reports() {
    assert_eq!(
        reported_port("ChromeDriver was started successfully on port 43351."),
        Some(43351)
    );
    assert_eq!(reported_port("Only local connections are allowed."), None);
}
