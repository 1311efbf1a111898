//! Benchmark of imports: `sarkar-crm import customers` of a 1,000,000-row CSV at the
//! console (release), search index included, with the process's peak memory; and the
//! preview of a 100,000-row file (the upload page's wait). Run with
//! `cargo bench --bench import`; `SARKAR_BENCH_ROWS=200000` for a quicker run.
//!
//! Prints figures rather than asserting them: the README's Performance section
//! records what this machine measured.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context;
use sarkar_crm::app::Crm;
use sarkar_crm::app::imports::ImportSettings;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::domain::ImportKind;

const PASSWORD: &str = "correct horse battery";

const FIRST: &[&str] = &[
    "Subhajit",
    "Ananya",
    "Rina",
    "Moumita",
    "Arindam",
    "Payel",
    "Sourav",
    "Tanushree",
    "Debjani",
    "Rahul",
    "Priya",
    "Amit",
    "Sneha",
    "Kaushik",
    "Mitali",
    "Tapan",
    "Soma",
    "Indrani",
];
const LAST: &[&str] = &[
    "Chowdhury",
    "Das",
    "Ghosh",
    "Sen",
    "Banerjee",
    "Mukherjee",
    "Saha",
    "Roy",
    "Dey",
    "Pal",
    "Bose",
    "Dutta",
    "Sarkar",
    "Sinha",
    "Jain",
    "Agarwal",
];
const PLACES: &[&str] = &[
    "Salt Lake",
    "Behala",
    "Gariahat",
    "Tollygunge",
    "Dum Dum",
    "New Town",
    "Howrah",
    "Jadavpur",
];

/// A customer file as a billing program exports one: `rows` customers with unique
/// mobile numbers, birthdays day first, localities and PIN codes.
fn write_csv(path: &Path, rows: u32) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "Sl No,Cust Name,Mobile,D.O.B.,Address,Locality,City,PIN"
    )?;
    for i in 0..rows {
        let (f, l, p) = (
            FIRST[i as usize % FIRST.len()],
            LAST[(i as usize / FIRST.len()) % LAST.len()],
            PLACES[i as usize % PLACES.len()],
        );
        writeln!(
            out,
            "{},{f} {l},9{:09},{:02}/{:02}/19{:02},\"{}/{} Lake Road\",{p},Kolkata,7000{:02}",
            i + 1,
            100_000_000 + i,
            i % 28 + 1,
            i % 12 + 1,
            40 + i % 60,
            i % 90 + 1,
            i % 7 + 1,
            i % 99 + 1,
        )?;
    }
    out.flush()?;
    Ok(())
}

fn binary() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_sarkar-crm"))
}

fn add_owner(dir: &Path) -> anyhow::Result<()> {
    let mut add = binary()
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
        .write_all(format!("{PASSWORD}\n").as_bytes())?;
    anyhow::ensure!(add.wait()?.success(), "user add failed");
    Ok(())
}

/// The resident memory of `pid` in KiB, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs the console import of `file`, answering its wall time and peak resident memory.
fn console_import(dir: &Path, file: &Path) -> anyhow::Result<(Duration, u64)> {
    let started = Instant::now();
    let mut child = binary()
        .arg("--data-dir")
        .arg(dir)
        .args(["import", "customers"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    // The command's own account of its steps, read as it goes so its pipe never fills.
    let stderr = child.stderr.take().context("stderr")?;
    let steps = std::thread::spawn(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .filter(|l| l.ends_with(" s.") || l.contains("later"))
            .collect::<Vec<_>>()
    });
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        peak = peak.max(rss_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = started.elapsed();
    let mut said = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().context("stdout")?, &mut said)?;
    anyhow::ensure!(status.success(), "the import failed: {said}");
    for step in steps.join().unwrap_or_default() {
        println!("  {step}");
    }
    println!("  {}", said.trim());
    Ok((took, peak))
}

fn main() -> anyhow::Result<()> {
    let rows: u32 = std::env::var("SARKAR_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let work = tempfile::tempdir()?;
    let (data, file) = (work.path().join("data"), work.path().join("customers.csv"));
    let t = Instant::now();
    write_csv(&file, rows)?;
    println!(
        "wrote a {rows}-row customer CSV ({:.0} MiB) in {:.1} s",
        std::fs::metadata(&file)?.len() as f64 / 1048576.0,
        t.elapsed().as_secs_f64()
    );
    add_owner(&data)?;
    let (took, peak) = console_import(&data, &file)?;
    println!(
        "import customers (console, release, search index included): {rows} rows in {:.1} s, {:.0} rows/s, peak RSS {:.0} MiB",
        took.as_secs_f64(),
        f64::from(rows) / took.as_secs_f64(),
        peak as f64 / 1024.0
    );

    // The preview the upload page waits for: a 100,000-row file read, checked row by
    // row and matched against a store that already holds the million customers.
    let preview_rows = 100_000.min(rows);
    let small = work.path().join("preview.csv");
    write_csv(&small, preview_rows)?;
    let config = Config::load(None, std::iter::empty())?;
    let crm = Crm::new(open_database(&data, &config)?, config).with_uploads(data.join("uploads"));
    let actor = crm.console_actor()?;
    let mut times = Vec::new();
    for _ in 0..5 {
        let staged = crm.staging_path()?;
        std::fs::copy(&small, &staged)?;
        let t = Instant::now();
        let view = crm.draft_import(
            &actor,
            ImportKind::Customers,
            "preview.csv",
            &staged,
            ImportSettings::default(),
        )?;
        times.push(t.elapsed());
        let counts = view.preview.context("a preview")?.counts;
        anyhow::ensure!(
            counts.rows == preview_rows,
            "previewed {} rows",
            counts.rows
        );
        crm.discard_import(&actor, sarkar_crm::domain::ImportId::from_uuid(view.id))?;
    }
    times.sort();
    println!(
        "preview of a {preview_rows}-row file (every row checked and matched): median {:.2} s, worst {:.2} s of 5",
        times[2].as_secs_f64(),
        times[4].as_secs_f64()
    );
    Ok(())
}
