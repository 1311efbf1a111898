//! Benchmarks of the core: durable single writes, and authenticated API lists and pages
//! (the sales register among them) over loopback on the 100,000-customer demo store.
//! Run with `cargo bench --bench core`.
//!
//! Prints figures rather than asserting them: the README's Performance section
//! records what this machine measured.

use std::time::{Duration, Instant};

use sarkar_crm::Server;
use sarkar_crm::app::Crm;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label:<44} n={:<6} p50 {:>8.3} ms   p99 {:>8.3} ms",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config::defaults();
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(config.time_zone())
        .date();
    let month_ago = today.checked_sub(jiff::Span::new().days(30))?;
    let one_month = format!("from={month_ago}&to={today}");

    // A demo store the size the issue names, built the way `demo-data` builds it.
    let crm = Crm::new(open_database(dir.path(), &config)?, config.clone());
    let started = Instant::now();
    let options = DemoOptions {
        customers: 100_000,
        products: 5_000,
        sales: 200_000,
        seed: 1,
    };
    generate(&crm, &options, false)?;
    println!(
        "demo store 100k customers / 5k products / 200k sales: {:.1} s",
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

    let server = Server::build(config, dir.path(), "127.0.0.1:0".parse()?).await?;
    let base = format!("http://{}", server.local_addr());
    let crm = server.crm().clone();
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
    let actor = crm.authenticate(&token)?;

    // Durable single writes: one customer per commit, as the API makes them.
    let mut samples = Vec::new();
    let started = Instant::now();
    for i in 0..1_000u32 {
        let input = sarkar_crm::app::CustomerInput {
            name: format!("Bench Customer {i}"),
            phone: format!("6{:09}", 100_000_000 + i),
            ..Default::default()
        };
        let t = Instant::now();
        crm.create_customer(&actor, input)?;
        samples.push(t.elapsed());
    }
    println!(
        "durable single commits: {:.0} per second",
        1_000.0 / started.elapsed().as_secs_f64()
    );
    report("create_customer (one durable commit)", samples);

    // Authenticated API reads over loopback: session check + scoped reads + JSON.
    for (label, path) in [
        ("GET /api/customers (first page of 25)", "/api/customers"),
        (
            "GET /api/customers?sort=name&page=2000",
            "/api/customers?sort=name&page=2000",
        ),
        (
            "GET /api/customers?status=INACTIVE",
            "/api/customers?status=INACTIVE",
        ),
        ("GET /api/products?metal=GOLD", "/api/products?metal=GOLD"),
        (
            "GET /api/sales (register, newest 50, totals of all)",
            "/api/sales?limit=50",
        ),
        (
            "GET /api/sales?from&to (register, one month)",
            &format!("/api/sales?limit=50&{one_month}"),
        ),
        ("GET /api/sales/totals (every sale)", "/api/sales/totals"),
        (
            "GET /api/sales/totals?from&to (one month)",
            &format!("/api/sales/totals?{one_month}"),
        ),
        (
            "GET /api/sales?payment=UPI&from&to (scans the month)",
            &format!("/api/sales?limit=50&payment=UPI&{one_month}"),
        ),
    ] {
        let mut samples = Vec::new();
        for _ in 0..500 {
            let t = Instant::now();
            let response = http
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
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
    }

    // Pages as a tablet asks for them: session cookie, scoped reads, HTML rendering.
    let listed: serde_json::Value = http
        .get(format!("{base}/api/customers?per_page=100&sort=name"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let ids: Vec<String> = listed["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|c| c["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    anyhow::ensure!(ids.len() == 100, "expected 100 customers to page through");
    let cookie = format!("sarkar_session={token}");
    let customer_pages: Vec<String> = ids.iter().map(|id| format!("/customers/{id}")).collect();
    for (label, paths) in [
        (
            "page /customers/{id} (100 customers in turn)",
            customer_pages,
        ),
        (
            "page /customers (first page of 25)",
            vec!["/customers".to_owned()],
        ),
        ("page / (dashboard)", vec!["/".to_owned()]),
        (
            "page /sales (register, newest 50, totals of all)",
            vec!["/sales".to_owned()],
        ),
        (
            "page /sales?from&to (register, one month)",
            vec![format!("/sales?{one_month}")],
        ),
        (
            "page /my-day (admin: the whole store's week of occasions)",
            vec!["/my-day".to_owned()],
        ),
        ("page /pipeline (every floor)", vec!["/pipeline".to_owned()]),
    ] {
        let mut samples = Vec::new();
        for i in 0..1_000 {
            let path = &paths[i % paths.len()];
            let t = Instant::now();
            let response = http
                .get(format!("{base}{path}"))
                .header("cookie", &cookie)
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
    }
    Ok(())
}
