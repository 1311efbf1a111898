//! The crash soak: start the real binary, run concurrent writers (customers, bills
//! drawn up, bills completed) that note every write the server acknowledged, `kill -9`
//! it at a moment a seeded generator picks, start it again timing how long until
//! `/healthz` answers, and check with `ledger.rs` that every acknowledged write is
//! there. Shared by `cargo run --release --example crash_soak` and the in-suite test.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use super::ledger::{self, AckedCustomer, AckedSale, Ledger, Reach};
use super::server::{Api, Server, add_owner};

#[derive(Debug, Clone)]
pub struct Options {
    /// The `sarkar-crm` binary to run.
    pub binary: PathBuf,
    /// An empty directory for the server's data.
    pub data_dir: PathBuf,
    pub cycles: u32,
    pub seed: u64,
    /// Concurrent writers.
    pub writers: usize,
    /// The kill comes this many milliseconds after the writers start, at random within.
    pub kill_window_ms: (u64, u64),
    /// The whole invoice series is read back every this many cycles and after the last
    /// (each cycle still checks its own bills' numbers): reading every completed bill
    /// grows with the soak, and made cycle 500 of a long run take twelve seconds.
    pub series_every: u32,
}

/// What one cycle did.
#[derive(Debug)]
pub struct Cycle {
    pub number: u32,
    pub killed_after: Duration,
    pub acknowledged: usize,
    pub time_to_serve: Duration,
    pub lost: Vec<String>,
}

impl Cycle {
    /// The line the soak prints for this cycle.
    pub fn line(&self) -> String {
        let outcome = if self.lost.is_empty() {
            "nothing lost".to_owned()
        } else {
            format!("LOST: {}", self.lost.join("; "))
        };
        format!(
            "cycle {}: killed after {} ms, {} writes acknowledged, serving again after {:.1} ms, {outcome}",
            self.number,
            self.killed_after.as_millis(),
            self.acknowledged,
            self.time_to_serve.as_secs_f64() * 1e3,
        )
    }
}

/// What the whole soak did.
#[derive(Debug, Default)]
pub struct Report {
    pub cycles: u32,
    pub acknowledged: usize,
    pub lost: Vec<String>,
    pub times_to_serve: Vec<Duration>,
    pub completed_bills: usize,
}

impl Report {
    /// The `q`-quantile (0 to 1) of the times to serve, nearest rank.
    pub fn time_to_serve(&self, q: f64) -> Duration {
        let mut times = self.times_to_serve.clone();
        times.sort_unstable();
        let rank = ((times.len() as f64) * q).ceil() as usize;
        times
            .get(rank.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }

    pub fn summary(&self) -> String {
        format!(
            "cycles: {}, acknowledged writes: {}, lost: {}, completed bills in an unbroken series: {}, time to serve after kill -9: p50 {:.1} ms, p99 {:.1} ms",
            self.cycles,
            self.acknowledged,
            self.lost.len(),
            self.completed_bills,
            self.time_to_serve(0.5).as_secs_f64() * 1e3,
            self.time_to_serve(0.99).as_secs_f64() * 1e3,
        )
    }
}

/// A small seeded generator (SplitMix64), so a seed replays the same kill moments.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high.saturating_sub(low) + 1)
    }
}

/// The records every writer's bills use, made once.
#[derive(Debug, Clone)]
struct Shelf {
    floor: String,
    product: String,
    payable: Value,
}

async fn stock_the_shelf(api: &Api) -> Result<Shelf, String> {
    let made = |what: &str| format!("could not make the soak's {what}");
    let floor = api
        .post("/api/floors", &json!({"name": "Ground Floor", "level": 0}))
        .await
        .ok_or_else(|| made("floor"))?;
    let floor = floor["id"]
        .as_str()
        .ok_or_else(|| made("floor"))?
        .to_owned();
    let product = json!({
        "sku": "SOAK-1", "name": "Silver coin", "floor_id": floor, "metal": "SILVER",
        "purity": "999", "gross_weight_mg": 10_000, "making_charge": {"flat_paise": 0},
        "fixed_price_paise": 1_500_00, "stock_qty": 1_000_000,
    });
    let product = api
        .post("/api/products", &product)
        .await
        .ok_or_else(|| made("product"))?;
    let product = product["id"]
        .as_str()
        .ok_or_else(|| made("product"))?
        .to_owned();
    let probe = api
        .post(
            "/api/customers",
            &json!({"name": "Quote Probe", "phone": "6000000000"}),
        )
        .await
        .ok_or_else(|| made("probe customer"))?;
    let quote =
        json!({"customer_id": probe["id"], "floor_id": floor, "lines": [{"product_id": product}]});
    let quote = api
        .post("/api/sales/quote", &quote)
        .await
        .ok_or_else(|| made("quote"))?;
    Ok(Shelf {
        floor,
        product,
        payable: quote["payable_paise"].clone(),
    })
}

fn note(ledger: &Mutex<Ledger>, write: impl FnOnce(&mut Ledger)) {
    write(&mut ledger.lock().unwrap_or_else(PoisonError::into_inner));
}

/// One writer: a customer, a bill for them paid by UPI, its completion; again until
/// the server stops answering. Every acknowledgement goes in the ledger.
async fn write_until_killed(
    api: Api,
    shelf: Shelf,
    cycle: u32,
    phones: Arc<AtomicU64>,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        let phone = format!("9{:09}", phones.fetch_add(1, Ordering::Relaxed));
        let name = "Soak Customer".to_owned();
        let Some(customer) = api
            .post("/api/customers", &json!({"name": name, "phone": phone}))
            .await
        else {
            return;
        };
        let id = customer["id"].as_str().unwrap_or_default().to_owned();
        let code = customer["code"].as_str().unwrap_or_default().to_owned();
        note(&ledger, |l| {
            l.customer(
                cycle,
                AckedCustomer {
                    id: id.clone(),
                    code,
                    name,
                    phone,
                },
            )
        });
        let bill = json!({
            "customer_id": id, "floor_id": shelf.floor, "lines": [{"product_id": shelf.product}],
            "payments": [{"method": "UPI", "amount_paise": shelf.payable}],
        });
        let Some(sale) = api.post("/api/sales", &bill).await else {
            return;
        };
        let sale_id = sale["id"].as_str().unwrap_or_default().to_owned();
        note(&ledger, |l| {
            l.sale(
                cycle,
                AckedSale {
                    id: sale_id.clone(),
                    customer_id: id,
                    invoice_no: None,
                },
            )
        });
        let Some(done) = api
            .post(&format!("/api/sales/{sale_id}/complete"), &json!({}))
            .await
        else {
            return;
        };
        let invoice = done["invoice_no"].as_str().unwrap_or_default().to_owned();
        note(&ledger, |l| l.completed(&sale_id, invoice));
    }
}

/// Runs the soak, calling `on_cycle` after each cycle; the last check reads back every
/// acknowledged record.
pub async fn run(options: &Options, mut on_cycle: impl FnMut(&Cycle)) -> Result<Report, String> {
    add_owner(options).await?;
    let (mut server, _) = Server::start(options).await?;
    let shelf = stock_the_shelf(&server.sign_in().await?).await?;
    let mut rng = Rng::new(options.seed);
    let phones = Arc::new(AtomicU64::new(700_000_000));
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut report = Report::default();
    for number in 1..=options.cycles {
        let api = server.sign_in().await?;
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..options.writers)
            .map(|_| {
                tokio::spawn(write_until_killed(
                    api.clone(),
                    shelf.clone(),
                    number,
                    phones.clone(),
                    ledger.clone(),
                    stop.clone(),
                ))
            })
            .collect();
        let killed_after =
            Duration::from_millis(rng.between(options.kill_window_ms.0, options.kill_window_ms.1));
        tokio::time::sleep(killed_after).await;
        server
            .child
            .kill()
            .await
            .map_err(|e| format!("kill -9: {e}"))?;
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer
                .await
                .map_err(|e| format!("a writer panicked: {e}"))?;
        }
        let time_to_serve;
        (server, time_to_serve) = Server::start(options).await?;
        let api = server.sign_in().await?;
        // A copy, so no lock is held across the checks' requests.
        let acked = ledger
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let last = number == options.cycles;
        let stride = (acked.customers.len() / 20).max(1);
        let reach = if last {
            Reach::All
        } else {
            Reach::Cycle {
                cycle: number,
                stride,
                offset: rng.between(0, stride as u64) as usize,
            }
        };
        let mut lost = ledger::check_records(&api, &acked, reach).await;
        if last || number % options.series_every.max(1) == 0 {
            match ledger::check_invoice_series(&api).await {
                Ok(count) => report.completed_bills = count,
                Err(problems) => lost.extend(problems),
            }
        }
        lost.extend(ledger::check_search(&api, &acked, reach).await);
        let cycle = Cycle {
            number,
            killed_after,
            acknowledged: acked.writes - report.acknowledged,
            time_to_serve,
            lost,
        };
        on_cycle(&cycle);
        report.cycles = number;
        report.acknowledged = acked.writes;
        report.times_to_serve.push(time_to_serve);
        report.lost.extend(cycle.lost);
    }
    server
        .child
        .kill()
        .await
        .map_err(|e| format!("stopping the server: {e}"))?;
    Ok(report)
}
