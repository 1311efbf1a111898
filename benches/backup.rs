//! Benchmark of backups on the demo store: a snapshot (zstd + age) uploaded to a folder
//! destination while durable writes carry on, then a restore into an empty directory
//! and the search index rebuilt from it. Run with `cargo bench --bench backup`;
//! `SARKAR_BENCH_CUSTOMERS=1000000` for the million-customer budget.
//!
//! Prints figures rather than asserting them: the README's Performance section
//! records what this machine measured.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use sarkar_crm::app::setup::CliUser;
use sarkar_crm::app::{Actor, Crm};
use sarkar_crm::backup::{Backups, Identities, Remote, RunEvent, fetch_and_unpack};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::{DATABASE_FILE, open_database, rebuild_search_index};
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One customer, one durable commit, as the API makes them; `next` numbers their phones.
fn write(crm: &Crm, actor: &Actor, next: &mut u32) -> anyhow::Result<Duration> {
    loop {
        let i = *next;
        *next += 1;
        let input = sarkar_crm::app::CustomerInput {
            name: format!("Bench Customer {i}"),
            phone: format!("6{:09}", 100_000_000 + i),
            ..Default::default()
        };
        let t = Instant::now();
        match crm.create_customer(actor, input) {
            Ok(_) => return Ok(t.elapsed()),
            // A big demo store may already hold this made-up number: take the next.
            Err(sarkar_crm::app::Error::Conflict { .. }) => continue,
            Err(err) => return Err(err.into()),
        }
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let customers: u32 = std::env::var("SARKAR_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let work = tempfile::tempdir()?;
    let (data, bucket, restored) = (
        work.path().join("data"),
        work.path().join("bucket"),
        work.path().join("restored"),
    );
    std::fs::create_dir_all(&bucket)?;
    let key = sarkar_crm::backup::generate_key();
    let identity = work.path().join("key.txt");
    std::fs::write(
        &identity,
        sarkar_crm::backup::identity_file(&key, jiff::Timestamp::now()),
    )?;
    let settings = work.path().join("config.toml");
    std::fs::write(
        &settings,
        format!(
            "[backup]\nrecipients = [\"{}\"]\n[[backup.destination]]\nname = \"disk\"\nkind = \"dir\"\npath = \"{}\"\n",
            key.public,
            bucket.display()
        ),
    )?;
    let config = Config::load(Some(&settings), std::iter::empty())?;

    let crm = Crm::new(open_database(&data, &config)?, config.clone());
    // Two sales a customer, but at most 200,000, as this benchmark has always measured
    // (the demo's sales fall in the last two years; a financial year's invoice numbers,
    // `SJ/26-27/` and six digits or more, no longer stop at 99,999).
    let sales = (customers * 2).min(200_000);
    let started = Instant::now();
    let options = DemoOptions {
        customers,
        products: 5_000,
        sales,
        seed: 1,
    };
    generate(&crm, &options, false)?;
    println!(
        "demo store {customers} customers / 5k products / {sales} sales: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let admin = CliUser {
        username: "owner".into(),
        password: "bench passphrase".into(),
        name: None,
        role: UserRole::BusinessAdmin,
        store: None,
        floor: None,
    };
    crm.add_user_from_cli(admin).await?;
    let mut db = crm.into_db();
    db.compact()?;
    let db_bytes = std::fs::metadata(data.join(DATABASE_FILE))?.len();
    println!("database file: {:.1} MiB", mib(db_bytes));
    let crm = Crm::new(db, config.clone());
    let login = sarkar_crm::app::LoginInput {
        username: "owner".into(),
        password: "bench passphrase".into(),
    };
    let token = crm.login(login, "bench").await?.token;
    let actor = crm.authenticate(&token)?;

    // Durable single writes, alone and then while a backup runs beside them.
    let mut alone = Vec::new();
    let mut next = 0;
    for _ in 0..500 {
        alone.push(write(&crm, &actor, &mut next)?);
    }
    let backups = Backups::open(
        Arc::new(config.clone()),
        &data,
        crm.db().clone(),
        Vec::new(),
    )?;
    // The writer tags each write with the phase it started in: 0 while the snapshot is
    // taken, 1 while it is uploaded, 2 once the backup is over (and then stops).
    let phase = Arc::new(AtomicU8::new(0));
    let writer = {
        let (crm, phase, actor) = (crm.clone(), phase.clone(), actor.clone());
        std::thread::spawn(move || -> anyhow::Result<[Vec<Duration>; 2]> {
            let mut during: [Vec<Duration>; 2] = Default::default();
            loop {
                let now = phase.load(Ordering::SeqCst);
                if now > 1 {
                    return Ok(during);
                }
                during[now as usize].push(write(&crm, &actor, &mut next)?);
            }
        })
    };
    let started = Instant::now();
    let marker = phase.clone();
    let report = backups
        .run_now(
            None,
            Arc::new(move |event| {
                if let RunEvent::SnapshotTaken { .. } = event {
                    marker.store(1, Ordering::SeqCst);
                }
            }),
        )
        .await?;
    let backup_time = started.elapsed();
    phase.store(2, Ordering::SeqCst);
    let [snapshot, upload] = writer.join().expect("the writer thread")?;
    anyhow::ensure!(
        report.failed.is_empty(),
        "upload failed: {:?}",
        report.failed
    );
    let manifest = report.snapshot.expect("a snapshot was taken");
    println!(
        "backup (snapshot + zstd + age + upload to a folder): {:.1} s; payload {:.1} MiB ({:.1}% of the database file)",
        backup_time.as_secs_f64(),
        mib(manifest.payload_bytes),
        100.0 * manifest.payload_bytes as f64 / db_bytes as f64
    );
    for (label, mut samples) in [
        ("alone", alone),
        ("during the snapshot", snapshot),
        ("during the upload", upload),
    ] {
        samples.sort();
        let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "durable create_customer {label:<20} n={:<5} p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            samples.len(),
            ms(at(0.5)),
            ms(at(0.99)),
            ms(at(1.0))
        );
    }
    drop(crm);
    drop(backups);

    let remote = Remote::open(&config.backup.destination[0])?;
    let identities = Arc::new(Identities::from_file(&identity)?);
    std::fs::create_dir_all(&restored)?;
    let started = Instant::now();
    fetch_and_unpack(
        &remote,
        Some(&manifest.id),
        identities,
        &restored,
        Some(restored.clone()),
    )
    .await?;
    let unpacked = started.elapsed();
    let db = open_database(&restored, &config)?;
    let opened = started.elapsed();
    rebuild_search_index(&restored, &db, &|_, _| {})?;
    let total = started.elapsed();
    println!(
        "restore: download + decrypt + check + write the database {:.1} s; open {:.2} s; reindex {:.1} s; total {:.1} s",
        unpacked.as_secs_f64(),
        (opened - unpacked).as_secs_f64(),
        (total - opened).as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "backup + restore + reindex: {:.1} s",
        (backup_time + total).as_secs_f64()
    );
    Ok(())
}
