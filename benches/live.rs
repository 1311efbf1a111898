//! The live store under a crowd: 500 event streams of one store while a tablet writes
//! every 10 ms for 60 s. Reports the time from a change's commit to the 500th stream
//! receiving it, the server's memory per idle stream, and the write latency with 500
//! listeners against none. Run with `cargo bench --bench live`.
//!
//! The server is the release `sarkar-crm serve` in its own process, so its memory is
//! its own; the 500 clients run in this process on the same two cores, which is the
//! honest worst case for this box (tablets would bring their own CPUs).

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

#[path = "support/process.rs"]
mod process;
use process::{rss_kb, start_printing_address};

const STREAMS: usize = 500;
const WRITE_EVERY: Duration = Duration::from_millis(10);
const WRITING: Duration = Duration::from_secs(60);
const PASSWORD: &str = "bench passphrase";

fn percentile<T: Copy + Ord>(sorted: &[T], p: f64) -> T {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The server's CPU time so far (user and system), from /proc/<pid>/stat.
fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .context("a stat line")?
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    // USER_HZ is 100 on Linux.
    Ok(Duration::from_millis(ticks * 10))
}

/// Starts `sarkar-crm serve --http` on a fresh data directory with one Business Admin.
async fn start_server(dir: &std::path::Path) -> anyhow::Result<(tokio::process::Child, String)> {
    let binary = env!("CARGO_BIN_EXE_sarkar-crm");
    let mut add = tokio::process::Command::new(binary)
        .arg("--data-dir")
        .arg(dir)
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
        .spawn()?;
    add.stdin
        .take()
        .context("stdin")?
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await?;
    anyhow::ensure!(add.wait().await?.success(), "user add failed");
    start_printing_address(
        tokio::process::Command::new(binary)
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--http", "--listen", "127.0.0.1:0"])
            // One address opens all 500 streams, and one session writes 100 times a second.
            .env("SARKAR__SERVER__MAX_CONNECTIONS_PER_ADDRESS", "2000")
            .env("SARKAR__RATE_LIMITS__SESSION_PER_MINUTE", "0")
            .env("SARKAR__RATE_LIMITS__KEY_PER_MINUTE", "0")
            .env("SARKAR__RATE_LIMITS__ADDRESS_PER_MINUTE", "0")
            .env("SARKAR__LOG__LEVEL", "warn"),
    )
    .await
}

/// One stream: when each event arrived (and, for the first stream, when each change
/// was made, from its payload's `at`).
struct Received {
    arrivals: Vec<(u64, SystemTime)>,
    made_at: HashMap<u64, SystemTime>,
}

/// One stream over a bare socket: a browser's EventSource costs the tablet, not the
/// box, so the clients here do as little as they can (no HTTP client library), to
/// leave the two cores to the server. Ids are found by scanning for `id: `.
async fn listen(
    addr: String,
    token: String,
    keep_made_at: bool,
    connected: tokio::sync::mpsc::Sender<()>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<Received> {
    use tokio::io::AsyncReadExt;
    let mut socket = tokio::net::TcpStream::connect(&addr).await?;
    socket
        .write_all(
            format!(
                "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
            )
            .as_bytes(),
        )
        .await?;
    let mut received = Received {
        arrivals: Vec::with_capacity(8_000),
        made_at: HashMap::new(),
    };
    let mut buffer = vec![0u8; 16 * 1024];
    let mut carried = String::new();
    let mut answered = false;
    loop {
        let read = tokio::select! {
            read = socket.read(&mut buffer) => read?,
            _ = stop.changed() => break,
        };
        if read == 0 {
            break;
        }
        let now = SystemTime::now();
        carried.push_str(std::str::from_utf8(&buffer[..read])?);
        if !answered {
            let Some(end) = carried.find("\r\n\r\n") else {
                continue;
            };
            anyhow::ensure!(
                carried.starts_with("HTTP/1.1 200"),
                "stream refused: {}",
                &carried[..end]
            );
            carried.drain(..end + 4);
            answered = true;
            connected.send(()).await.ok();
        }
        // Complete events end in a blank line; keep the rest for the next read.
        let Some(end) = carried.rfind("\n\n") else {
            continue;
        };
        let complete: String = carried.drain(..end + 2).collect();
        for block in complete.split("\n\n") {
            let Some(id) = block
                .lines()
                .find_map(|l| l.strip_prefix("id: "))
                .and_then(|v| v.trim().parse::<u64>().ok())
            else {
                continue;
            };
            received.arrivals.push((id, now));
            if keep_made_at
                && let Some(at) = block
                    .split("\"at\":\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                && let Ok(at) = at.parse::<jiff::Timestamp>()
            {
                let micros = u64::try_from(at.as_microsecond()).unwrap_or(0);
                received
                    .made_at
                    .insert(id, SystemTime::UNIX_EPOCH + Duration::from_micros(micros));
            }
        }
    }
    Ok(received)
}

/// Writes a customer every 10 ms for 60 s; answers each write's latency.
async fn write_for_a_minute(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    run: u32,
) -> Vec<Duration> {
    let mut latencies = Vec::new();
    let mut tick = tokio::time::interval(WRITE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < WRITING {
        tick.tick().await;
        n += 1;
        let body = serde_json::json!({
            "name": "Rina Sinha",
            "phone": format!("9{run}{n:08}"),
        });
        let sent = Instant::now();
        let response = http
            .post(format!("{base}/api/customers"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await;
        match response {
            Ok(r) if r.status().is_success() => latencies.push(sent.elapsed()),
            Ok(r) => eprintln!("write answered {}", r.status()),
            Err(e) => eprintln!("write failed: {e}"),
        }
    }
    latencies.sort();
    latencies
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE)?;
    if soft < hard {
        rlimit::setrlimit(rlimit::Resource::NOFILE, hard, hard)?;
    }
    let dir = tempfile::tempdir()?;
    let (child, base) = start_server(dir.path()).await?;
    let pid = child.id().context("the server's pid")?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(4)
        .build()?;
    let login: serde_json::Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("a token")?.to_owned();

    // Writes with nobody listening.
    let cpu_before = cpu_time(pid)?;
    let alone = write_for_a_minute(&http, &base, &token, 6).await;
    let cpu_alone = cpu_time(pid)? - cpu_before;

    // 500 streams, each on its own connection, as 500 tablets would be, read on a
    // runtime of their own so that the writer's requests do not queue behind them.
    // Opened in two halves: the memory each stream costs is the growth from the first
    // half to the second, after the server's blocking threads that served the sign-in
    // checks have gone idle and exited (tokio keeps them 10 s), so the figure holds
    // only what stays per stream.
    let listening = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let (stop, stopping) = watch::channel(false);
    let (connected, mut connections) = tokio::sync::mpsc::channel(STREAMS);
    let mut listeners = Vec::new();
    let addr = base.trim_start_matches("http://").to_owned();
    let mut rss = Vec::new();
    for half in [0..STREAMS / 2, STREAMS / 2..STREAMS] {
        for n in half.clone() {
            listeners.push(listening.spawn(listen(
                addr.clone(),
                token.clone(),
                n == 0,
                connected.clone(),
                stopping.clone(),
            )));
            if n % 50 == 49 {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        for _ in half {
            connections
                .recv()
                .await
                .context("a stream failed to open")?;
        }
        tokio::time::sleep(Duration::from_secs(15)).await;
        rss.push(rss_kb(pid)?);
    }
    let (settled, with_streams) = (rss[0], rss[1]);
    let per_stream_kb = with_streams.saturating_sub(settled) as f64 / (STREAMS / 2) as f64;

    let cpu_before = cpu_time(pid)?;
    let crowded = write_for_a_minute(&http, &base, &token, 7).await;
    let cpu_crowded = cpu_time(pid)? - cpu_before;
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.send_replace(true);
    let mut received = Vec::new();
    for listener in listeners {
        received.push(listener.await??);
    }
    listening.shutdown_background();
    let made_at = std::mem::take(&mut received[0].made_at);
    let mut last_arrival: HashMap<u64, (SystemTime, usize)> = HashMap::new();
    for stream in &received {
        for (id, at) in &stream.arrivals {
            let entry = last_arrival.entry(*id).or_insert((*at, 0));
            entry.0 = entry.0.max(*at);
            entry.1 += 1;
        }
    }
    let mut to_last: Vec<Duration> = Vec::new();
    let mut incomplete = 0;
    for (id, (last, count)) in &last_arrival {
        if *count < STREAMS {
            incomplete += 1;
            continue;
        }
        if let Some(made) = made_at.get(id) {
            to_last.push(last.duration_since(*made).unwrap_or_default());
        }
    }
    to_last.sort();

    println!("live events, {STREAMS} streams of one store, a write every 10 ms for 60 s");
    println!(
        "  commit -> {STREAMS}th stream   n={:<6} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   (changes not seen by every stream: {incomplete})",
        to_last.len(),
        ms(percentile(&to_last, 0.50)),
        ms(percentile(&to_last, 0.99)),
        ms(*to_last.last().context("no events")?),
    );
    println!(
        "  server RSS: {settled} kB with {} idle streams, {with_streams} kB with {STREAMS}: {per_stream_kb:.1} kB per stream",
        STREAMS / 2
    );
    let p99 = |v: &[Duration]| ms(percentile(v, 0.99));
    println!(
        "  write (POST /api/customers)   alone n={} p50 {:.2} ms p99 {:.2} ms;   with {STREAMS} streams n={} p50 {:.2} ms p99 {:.2} ms ({:+.0} %)",
        alone.len(),
        ms(percentile(&alone, 0.5)),
        p99(&alone),
        crowded.len(),
        ms(percentile(&crowded, 0.5)),
        p99(&crowded),
        (p99(&crowded) / p99(&alone) - 1.0) * 100.0
    );
    let delivered = (crowded.len() * STREAMS) as f64;
    println!(
        "  server CPU over the minute: {:.1} s alone, {:.1} s with {STREAMS} streams ({:.1} µs per event delivered to a stream)",
        cpu_alone.as_secs_f64(),
        cpu_crowded.as_secs_f64(),
        (cpu_crowded.saturating_sub(cpu_alone)).as_secs_f64() * 1e6 / delivered
    );
    drop(child);
    Ok(())
}
