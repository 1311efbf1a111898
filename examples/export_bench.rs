//! The sales register as an Excel file from a big demo store, against the real server:
//! how long the download takes and how much the server's resident memory grows while
//! it streams (issue 16's target: 200,000 sales in at most 10 s, growing by at most
//! 64 MB).
//!
//! `cargo build --release && cargo run --release --example export_bench -- [SALES]`
//!
//! `SALES` defaults to 200,000. `SARKAR_BIN` names another build of the binary (the
//! debug one, for a quick check at a smaller size). Exits with 1 when a target is missed.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
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
    let path = std::env::var_os("SARKAR_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/sarkar-crm"),
        PathBuf::from,
    );
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
    let sales: u32 = std::env::args().nth(1).map_or(Ok(200_000), |s| s.parse())?;
    let binary = binary()?;
    let dir = tempfile::tempdir()?;

    let started = Instant::now();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config)?, config);
    let options = DemoOptions {
        customers: (sales / 4).max(100),
        products: (sales / 20).clamp(100, 20_000),
        sales,
        seed: 16,
    };
    generate(&crm, &options, false)?;
    crm.into_db().compact()?;
    println!(
        "demo store of {sales} sales made in {:.1} s",
        started.elapsed().as_secs_f64()
    );

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

    let client = reqwest::Client::new();
    let signed_in: serde_json::Value = client
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = signed_in["token"]
        .as_str()
        .context("a session token")?
        .to_owned();
    let idle = resident_kib(pid)?;

    // The highest resident memory seen while the file streams, read every 20 ms.
    let peak = Arc::new(AtomicU64::new(idle));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                if let Ok(kib) = resident_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let mut response = client
        .get(format!("{base}/api/sales/export?format=xlsx"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?;
    let rows = response
        .headers()
        .get("x-export-rows")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("?")
        .to_owned();
    let mut bytes = 0_usize;
    while let Some(chunk) = response.chunk().await? {
        bytes += chunk.len();
    }
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.await?;
    let grown_mib = peak.load(Ordering::Relaxed).saturating_sub(idle) as f64 / 1024.0;
    println!(
        "Excel export of {rows} sales: {:.2} MB in {:.2} s; server memory {:.1} MiB idle, grew by {grown_mib:.1} MiB at most",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        idle as f64 / 1024.0,
    );
    server.kill().await?;
    if sales >= 200_000 && (took > Duration::from_secs(10) || grown_mib > 64.0) {
        bail!("missed the target: at most 10 s and 64 MiB of growth");
    }
    Ok(())
}
