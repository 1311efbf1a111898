//! Crash soak on demand: `cargo run --release --example crash_soak -- --cycles 1000`.
//! Builds the release binary (or runs `--binary PATH`), then `kill -9`s it under
//! concurrent writers at seeded random moments and checks every acknowledged write
//! after each restart; see `crash_soak/soak.rs`. Prints a line per cycle and a summary,
//! and exits 1 if anything acknowledged was lost.
//!
//! Options: `--cycles N` (20), `--seed S` (the clock), `--writers W` (4),
//! `--kill-after-ms LOW-HIGH` (50-1500), `--series-every N` (25: how often the whole
//! invoice series is read back, and after the last cycle), `--binary PATH`,
//! `--data-dir DIR` (a new temporary one, removed afterwards).

#[path = "crash_soak/ledger.rs"]
mod ledger;
#[path = "crash_soak/server.rs"]
mod server;
#[path = "crash_soak/soak.rs"]
mod soak;

use std::path::PathBuf;
use std::process::ExitCode;

fn value<T: std::str::FromStr>(flag: &str, text: Option<String>) -> Result<T, String> {
    let text = text.ok_or_else(|| format!("{flag} needs a value"))?;
    text.parse()
        .map_err(|_| format!("{flag}: {text:?} is not a valid value"))
}

fn parse(args: impl Iterator<Item = String>) -> Result<(soak::Options, Option<PathBuf>), String> {
    let mut args = args.peekable();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    let mut options = soak::Options {
        binary: PathBuf::new(),
        data_dir: PathBuf::new(),
        cycles: 20,
        seed,
        writers: 4,
        kill_window_ms: (50, 1500),
        series_every: 25,
    };
    let mut binary = None;
    let mut data_dir = None;
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--cycles" => options.cycles = value(&flag, args.next())?,
            "--seed" => options.seed = value(&flag, args.next())?,
            "--writers" => options.writers = value(&flag, args.next())?,
            "--series-every" => options.series_every = value(&flag, args.next())?,
            "--kill-after-ms" => {
                let window: String = value(&flag, args.next())?;
                let (low, high) = window
                    .split_once('-')
                    .ok_or("--kill-after-ms takes LOW-HIGH, such as 50-1500")?;
                options.kill_window_ms = (
                    value(&flag, Some(low.into()))?,
                    value(&flag, Some(high.into()))?,
                );
            }
            "--binary" => binary = Some(value(&flag, args.next())?),
            "--data-dir" => data_dir = Some(value(&flag, args.next())?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    options.binary = binary.unwrap_or_default();
    Ok((options, data_dir))
}

/// Builds `target/release/sarkar-crm`, the binary the soak kills.
fn build_release() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["build", "--release", "--bin", "sarkar-crm"])
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    Ok(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/sarkar-crm"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (mut options, data_dir) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(problem) => {
            eprintln!("crash_soak: {problem}");
            return ExitCode::from(2);
        }
    };
    if options.binary.as_os_str().is_empty() {
        match build_release() {
            Ok(binary) => options.binary = binary,
            Err(problem) => {
                eprintln!("crash_soak: {problem}");
                return ExitCode::from(2);
            }
        }
    }
    let temp = tempfile::tempdir().expect("a temporary directory");
    options.data_dir = data_dir.unwrap_or_else(|| temp.path().to_owned());
    println!(
        "crash soak: {} cycles, {} writers, kill after {}-{} ms, seed {} (replay with --seed {}), binary {}",
        options.cycles,
        options.writers,
        options.kill_window_ms.0,
        options.kill_window_ms.1,
        options.seed,
        options.seed,
        options.binary.display()
    );
    let report = soak::run(&options, |cycle| println!("{}", cycle.line())).await;
    match report {
        Ok(report) => {
            println!("{}", report.summary());
            if report.lost.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(problem) => {
            eprintln!("crash_soak: {problem}");
            ExitCode::FAILURE
        }
    }
}
