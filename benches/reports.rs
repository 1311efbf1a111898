//! Benchmarks of the owner's reports on the store: 1,000,000 customers and two
//! years of sales (≥ 400,000 bills), built the way `demo-data` builds it. Measures, over
//! loopback with a signed-in owner: the opening report (API and page), a financial
//! year's sales analytics by month, category and salesperson, the GST summary of a
//! month, and the Excel export of 200,000 sales with the server's memory growth (the
//! server runs in this process; its resident memory is sampled while the file streams).
//! Run with `cargo bench --bench reports` (about ten minutes on a 2-core box, most of it
//! making the store). `SARKAR_BENCH_CUSTOMERS` and `SARKAR_BENCH_SALES` make a smaller
//! store for a quick look. `SARKAR_BENCH_DATA=DIR` keeps the store in `DIR` and uses it
//! again on the next run (its owner and sales as they were), so a change can be measured
//! without making the store again.
//!
//! Prints figures rather than asserting them: the README's Performance section records
//! what this machine measured.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sarkar_crm::Server;
use sarkar_crm::app::Crm;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::{FinancialYear, UserRole};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label:<58} n={:<5} p50 {:>8.3} ms   p99 {:>8.3} ms",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3
    );
}

/// This process's resident memory in bytes (Linux), or 0 where it cannot be read.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn from_env(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn timed_gets(
    http: &reqwest::Client,
    base: &str,
    auth: (&str, &str),
    label: &str,
    paths: &[String],
    rounds: usize,
) -> anyhow::Result<()> {
    let mut samples = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let path = &paths[i % paths.len()];
        let t = Instant::now();
        let response = http
            .get(format!("{base}{path}"))
            .header(auth.0, auth.1)
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.bytes().await?;
        samples.push(t.elapsed());
    }
    report(label, samples);
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut config = Config::defaults();
    // The bench asks thousands of times a minute, as no person would.
    config.rate_limits.session_per_minute = 0;
    config.rate_limits.address_per_minute = 0;
    let zone = config.time_zone();
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(zone.clone())
        .date();
    let yesterday = today.yesterday()?;

    let kept = std::env::var_os("SARKAR_BENCH_DATA").map(std::path::PathBuf::from);
    let scratch = tempfile::tempdir()?;
    let data = kept.clone().unwrap_or_else(|| scratch.path().to_owned());
    let made_before = kept.is_some() && data.join(sarkar_crm::data_dir::DATABASE_FILE).exists();
    if made_before {
        println!("demo store kept in {}", data.display());
    } else {
        let options = DemoOptions {
            customers: from_env("SARKAR_BENCH_CUSTOMERS", 1_000_000),
            products: 20_000,
            sales: from_env("SARKAR_BENCH_SALES", 420_000),
            seed: 16,
        };
        let crm = Crm::new(open_database(&data, &config)?, config.clone());
        let started = Instant::now();
        let made = generate(&crm, &options, false)?;
        println!(
            "demo store {} customers / {} products / {} sales over two years: {:.1} s",
            made.customers,
            made.products,
            made.sales,
            started.elapsed().as_secs_f64()
        );
        let owner = CliUser {
            username: "owner".into(),
            password: "bench passphrase".into(),
            name: None,
            role: UserRole::BusinessAdmin,
            store: None,
            floor: None,
        };
        crm.add_user_from_cli(owner).await?;
        drop(crm);
    }

    let server = Server::build(config, &data, "127.0.0.1:0".parse()?).await?;
    let base = format!("http://{}", server.local_addr());
    tokio::spawn(server.run_until_stopped(std::future::pending()));
    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": "owner", "password": "bench passphrase"}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().unwrap_or_default().to_owned();
    let bearer = format!("Bearer {token}");
    let cookie = format!("sarkar_session={token}");
    let api = ("authorization", bearer.as_str());
    let page = ("cookie", cookie.as_str());

    // The opening report of each of the last 60 days, in turn, so no one day's pages
    // stay warm in the cache.
    let days: Vec<jiff::civil::Date> = (0..60)
        .map(|n| yesterday.checked_sub(jiff::Span::new().days(n)))
        .collect::<Result<_, _>>()?;
    let opening_api: Vec<String> = days
        .iter()
        .map(|d| format!("/api/reports/opening?date={d}"))
        .collect();
    let opening_page: Vec<String> = days
        .iter()
        .map(|d| format!("/reports/opening?date={d}"))
        .collect();
    timed_gets(
        &http,
        &base,
        api,
        "GET /api/reports/opening (60 days in turn)",
        &opening_api,
        600,
    )
    .await?;
    timed_gets(
        &http,
        &base,
        page,
        "page /reports/opening (60 days in turn)",
        &opening_page,
        600,
    )
    .await?;

    // The same just after a change: a walk-in logged before each look (not timed), so
    // today's work, kept between changes, is read afresh each time, as in a busy store.
    let floors: serde_json::Value = http
        .get(format!("{base}/api/floors"))
        .header(api.0, api.1)
        .send()
        .await?
        .json()
        .await?;
    let floor = floors["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut after_change = Vec::with_capacity(100);
    for i in 0..100_u32 {
        let walk_in = serde_json::json!({
            "name": "Bench walk-in",
            "phone": format!("97{:08}", 10_000_000 + i),
            "floor_id": floor,
        });
        let logged = http
            .post(format!("{base}/api/interactions/walk-in"))
            .header(api.0, api.1)
            .json(&walk_in)
            .send()
            .await?;
        anyhow::ensure!(logged.status().is_success(), "walk-in: {}", logged.status());
        let t = Instant::now();
        let response = http
            .get(format!("{base}/api/reports/opening?date={yesterday}"))
            .header(api.0, api.1)
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "opening: {}",
            response.status()
        );
        response.bytes().await?;
        after_change.push(t.elapsed());
    }
    report(
        "GET /api/reports/opening (just after a change)",
        after_change,
    );

    // A financial year's sales analytics, this year's and last year's in turn.
    let this_year = FinancialYear::containing(today);
    let year_start = jiff::civil::date(this_year.start_year(), 4, 1);
    let last_year_start = year_start.checked_sub(jiff::Span::new().years(1))?;
    let last_year_end = year_start.yesterday()?;
    for group in ["month", "category", "staff", "day", "payment", "metal"] {
        let paths = vec![
            format!("/api/sales/analytics?from={year_start}&to={today}&group_by={group}"),
            format!(
                "/api/sales/analytics?from={last_year_start}&to={last_year_end}&group_by={group}"
            ),
        ];
        let label = format!("GET /api/sales/analytics (a financial year by {group})");
        timed_gets(&http, &base, api, &label, &paths, 200).await?;
    }
    let pages = vec![format!(
        "/reports/sales?from={last_year_start}&to={last_year_end}&group_by=month"
    )];
    timed_gets(
        &http,
        &base,
        page,
        "page /reports/sales (last financial year by month)",
        &pages,
        100,
    )
    .await?;

    // The GST summary of last month.
    let month = today.first_of_month().yesterday()?;
    let gst = vec![format!(
        "/api/reports/gst?month={}",
        month.strftime("%Y-%m")
    )];
    timed_gets(
        &http,
        &base,
        api,
        "GET /api/reports/gst (last month)",
        &gst,
        50,
    )
    .await?;

    // The Excel export of the newest 200,000 sales: the days back from today that hold
    // them, read off the register's totals.
    let mut from = today;
    loop {
        let totals: serde_json::Value = http
            .get(format!("{base}/api/sales/totals?from={from}&to={today}"))
            .header(api.0, api.1)
            .send()
            .await?
            .json()
            .await?;
        let bills = totals["bills"].as_u64().unwrap_or(0);
        if bills >= 200_000 || from < last_year_start.checked_sub(jiff::Span::new().years(1))? {
            println!("export range {from} to {today}: {bills} sales");
            break;
        }
        from = from.checked_sub(jiff::Span::new().days(7))?;
    }
    let before = resident_bytes();
    let peak = Arc::new(AtomicU64::new(before));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max(resident_bytes(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let t = Instant::now();
    let mut response = http
        .get(format!(
            "{base}/api/sales/export?format=xlsx&from={from}&to={today}"
        ))
        .header(api.0, api.1)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "export: {}",
        response.status()
    );
    let mut size = 0usize;
    while let Some(chunk) = response.chunk().await? {
        size += chunk.len();
    }
    let took = t.elapsed();
    sampling.store(false, Ordering::Relaxed);
    sampler.join().ok();
    let grew = peak.load(Ordering::Relaxed).saturating_sub(before);
    println!(
        "Excel export of the sales from {from}: {:.1} MB in {:.2} s; resident memory grew by {:.1} MB at most",
        size as f64 / 1e6,
        took.as_secs_f64(),
        grew as f64 / 1_048_576.0
    );
    Ok(())
}
