//! Ten minutes of wrong passwords against the release binary, reading its resident
//! memory as it goes: the figure the README's Performance section gives for issue 15
//! (target: at most twice the idle server's).
//!
//! `cargo build --release && cargo run --release --example wrong_passwords -- [MINUTES] [CLIENTS]`
//!
//! Every try names a different username, and each client sends from its own loopback
//! address (127.0.1.N) with the address budget at its highest, so none is turned away
//! by the sign-in throttle: each one is hashed with argon2, the worst case for memory.
//! Exits with 1 when the final memory is over twice the idle.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

const PASSWORD: &str = "a long enough password";

/// Resident memory of process `pid` in KiB, from `/proc/<pid>/status`.
fn resident_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .context("no VmRSS line in /proc/<pid>/status")
}

fn binary() -> anyhow::Result<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/sarkar-crm");
    if !path.exists() {
        bail!(
            "{} is missing: run `cargo build --release` first",
            path.display()
        );
    }
    Ok(path)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let minutes: u64 = args.next().map_or(Ok(10), |m| m.parse())?;
    let clients: usize = args.next().map_or(Ok(48), |c| c.parse())?;
    let binary = binary()?;
    let dir = tempfile::tempdir()?;

    let mut add = Command::new(&binary)
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "user",
            "add",
            "--username",
            "owner",
            "--role",
            "business-admin",
        ])
        .stdin(Stdio::piped())
        .spawn()?;
    add.stdin
        .take()
        .context("stdin")?
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await?;
    if !add.wait().await?.success() {
        bail!("`user add` failed");
    }

    let mut server = Command::new(&binary)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--http", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .env("SARKAR__AUTH__SIGN_IN_FREE_TRIES_PER_ADDRESS", "1000")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let pid = server.id().context("the server is running")?;
    let mut lines = BufReader::new(server.stdout.take().context("stdout")?).lines();
    let first = lines
        .next_line()
        .await?
        .context("the server printed nothing")?;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .context("no address in the server's first line")?
        .trim_end_matches('/')
        .to_owned();

    let cold = resident_kib(pid)?;
    // The server's idle memory in use: after the owner's one right sign-in, which sets
    // up what every later sign-in shares (the hashing slots, the blocking threads).
    let signed_in = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await?;
    if !signed_in.status().is_success() {
        bail!("the owner could not sign in: {}", signed_in.status());
    }
    let idle = resident_kib(pid)?;
    println!(
        "server pid {pid} at {base}; resident memory {cold} KiB when started, {idle} KiB idle after one sign-in"
    );
    println!("{clients} clients sending wrong passwords for {minutes} min");

    let sent = Arc::new(AtomicU64::new(0));
    let unexpected = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(minutes * 60);
    if !(1..=250).contains(&clients) {
        bail!("CLIENTS must be between 1 and 250 (one loopback address each)");
    }
    let mut tasks = tokio::task::JoinSet::new();
    for client in 0..clients {
        let address = std::net::Ipv4Addr::new(127, 0, 1, client as u8 + 1);
        let http = reqwest::Client::builder()
            .local_address(std::net::IpAddr::V4(address))
            .build()?;
        let url = format!("{base}/api/auth/login");
        let (sent, unexpected) = (sent.clone(), unexpected.clone());
        tasks.spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let body = serde_json::json!({
                    "username": format!("guess{client}x{n}"),
                    "password": format!("wrong {n}"),
                });
                let answer = http.post(&url).json(&body).send().await;
                sent.fetch_add(1, Ordering::Relaxed);
                if !matches!(answer, Ok(ref r) if r.status() == reqwest::StatusCode::UNAUTHORIZED) {
                    unexpected.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }

    let started = Instant::now();
    let mut peak = idle;
    let mut every = tokio::time::interval(Duration::from_secs(30));
    every.tick().await;
    while Instant::now() < deadline {
        every.tick().await;
        let now = resident_kib(pid)?;
        peak = peak.max(now);
        println!(
            "{:>5.0} s  {:>8} tries  {now:>8} KiB",
            started.elapsed().as_secs_f64(),
            sent.load(Ordering::Relaxed)
        );
    }
    while tasks.join_next().await.is_some() {}
    let last = resident_kib(pid)?;
    let tries = sent.load(Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{tries} wrong passwords in {seconds:.0} s ({:.1}/s), {} answered other than 401",
        tries as f64 / seconds,
        unexpected.load(Ordering::Relaxed)
    );
    println!(
        "resident memory: idle {idle} KiB, peak {peak} KiB, at the end {last} KiB ({:.2}× idle)",
        last as f64 / idle as f64
    );
    server.kill().await?;
    if last > 2 * idle {
        bail!("the server ended at more than twice its idle memory");
    }
    Ok(())
}
