//! A backup taken while the counter keeps writing: 1,000 customers are added from four
//! threads while the snapshot's read transaction is open, every one of them finishes
//! without waiting for the snapshot, none is lost, and the snapshot holds the store as it
//! was when it began. How long the writes take beside a backup is measured by
//! `cargo bench --bench backup`, not asserted here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sarkar_crm::app::setup::CliUser;
use sarkar_crm::app::{Actor, Crm, CustomerInput, LoginInput};
use sarkar_crm::backup::{Backups, RunEvent};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::{CustomerId, UserRole};

use super::{Dump, config_from, folder_backups};
use crate::helpers::PASSWORD;

const WRITERS: u32 = 4;
const WRITES_EACH: u32 = 250;
/// Only a deadlock lasts this long: the writers, not blocked, finish in about a second.
/// Reaching it fails the test; it is a guard against hanging, never a speed target.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// A demo store of 300 customers with a folder destination, and its admin.
async fn store(dir: &std::path::Path) -> (Crm, Actor, Config) {
    let (data, folder) = (dir.join("data"), dir.join("usb"));
    std::fs::create_dir_all(&folder).expect("mkdir");
    let config = config_from(dir, &folder_backups("", &[("usb", &folder)]));
    let crm = Crm::new(open_database(&data, &config).expect("db"), config.clone());
    let demo = DemoOptions {
        customers: 300,
        products: 30,
        sales: 300,
        seed: 11,
    };
    generate(&crm, &demo, false).expect("demo data");
    let owner = CliUser {
        username: "owner".into(),
        password: PASSWORD.into(),
        name: None,
        role: UserRole::BusinessAdmin,
        store: None,
        floor: None,
    };
    crm.add_user_from_cli(owner).await.expect("owner");
    let login = LoginInput {
        username: "owner".into(),
        password: PASSWORD.into(),
    };
    let token = crm.login(login, "test").await.expect("login").token;
    let actor = crm.authenticate(&token).expect("session");
    (crm, actor, config)
}

fn phone(writer: u32, i: u32) -> String {
    format!("7{:09}", 100_000_000 + writer * 10_000 + i)
}

/// One customer added beside the backup: who, with what phone, and how long it took.
struct Written {
    id: CustomerId,
    phone: String,
    took: Duration,
}

/// Adds `WRITES_EACH` customers, each its own durable commit.
fn write_customers(crm: &Crm, actor: &Actor, writer: u32) -> Vec<Written> {
    (0..WRITES_EACH)
        .map(|i| {
            let phone = phone(writer, i);
            let input = CustomerInput {
                name: format!("Counter Customer {writer}-{i}"),
                phone: phone.clone(),
                ..Default::default()
            };
            let started = Instant::now();
            let customer = crm
                .create_customer(actor, input)
                .expect("a write beside the backup");
            Written {
                id: customer.id,
                phone,
                took: started.elapsed(),
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_writes_finish_while_the_snapshot_is_open_and_none_is_lost() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (crm, actor, config) = store(temp.path()).await;
    let before = Dump::of_db(crm.db());
    let customers_before = before.len("customers");
    let backups = Backups::open(
        Arc::new(config.clone()),
        &temp.path().join("data"),
        crm.db().clone(),
        Vec::new(),
    )
    .expect("backups open");

    // The snapshot, once its read transaction is open and its first table read, lets the
    // writers go and then waits for all of them before it reads on. Were a write to wait
    // for the snapshot, the writers could never finish and the guard would fire.
    let (open_tx, open_rx) = channel::<()>();
    let (done_tx, done_rx) = channel::<()>();
    let done_rx: Mutex<Option<Receiver<()>>> = Mutex::new(Some(done_rx));
    let open_tx = Mutex::new(Some(open_tx));
    let blocked = Arc::new(AtomicBool::new(false));
    let gate = {
        let blocked = blocked.clone();
        Arc::new(move |event: RunEvent| {
            if !matches!(event, RunEvent::Snapshot { .. }) {
                return;
            }
            let Some(done) = done_rx.lock().expect("gate").take() else {
                return;
            };
            if let Some(open) = open_tx.lock().expect("gate").take() {
                open.send(()).expect("the writers wait for the snapshot");
            }
            if let Err(RecvTimeoutError::Timeout) = done.recv_timeout(HANG_GUARD) {
                blocked.store(true, Ordering::SeqCst);
            }
        })
    };
    let writers = {
        let (crm, actor) = (crm.clone(), actor.clone());
        std::thread::spawn(move || {
            open_rx.recv().expect("the snapshot starts");
            let threads: Vec<_> = (0..WRITERS)
                .map(|writer| {
                    let (crm, actor) = (crm.clone(), actor.clone());
                    std::thread::spawn(move || write_customers(&crm, &actor, writer))
                })
                .collect();
            let written: Vec<Written> = threads
                .into_iter()
                .flat_map(|t| t.join().expect("a writer thread"))
                .collect();
            let _ = done_tx.send(());
            written
        })
    };

    let report = backups.run_now(None, gate).await.expect("the backup runs");
    let written = tokio::task::spawn_blocking(move || writers.join().expect("writers"))
        .await
        .expect("join");
    assert!(
        !blocked.load(Ordering::SeqCst),
        "the writers did not finish while the snapshot was open: a write waited for the backup"
    );
    assert!(
        report.failed.is_empty(),
        "uploads failed: {:?}",
        report.failed
    );
    let count = (WRITERS * WRITES_EACH) as usize;
    assert_eq!(written.len(), count);
    let mut took: Vec<Duration> = written.iter().map(|w| w.took).collect();
    took.sort();
    println!(
        "{count} writes beside the snapshot: p50 {:?}, max {:?}",
        took[count / 2],
        took[count - 1]
    );

    // The snapshot is the store as it was when its read transaction began.
    let snapshot = report.snapshot.expect("a snapshot was taken");
    assert_eq!(
        snapshot.counts.get("customers"),
        Some(&(customers_before as u64)),
        "the snapshot holds none of the writes made after it began"
    );
    assert_eq!(report.uploaded, [("usb".to_owned(), snapshot.id.clone())]);

    // Every write is stored, with the phone it was given.
    let after = Dump::of_db(crm.db());
    assert_eq!(after.len("customers"), customers_before + count);
    for w in &written {
        let customer = crm
            .get_customer(&actor, w.id)
            .unwrap_or_else(|e| panic!("customer {} is missing after the backup: {e}", w.phone));
        assert_eq!(customer.phone.e164(), format!("+91{}", w.phone));
    }

    // The next backup has them all.
    let next = backups
        .run_now(None, Arc::new(|_| {}))
        .await
        .expect("the second backup");
    let counts = next.snapshot.expect("a snapshot").counts;
    assert_eq!(
        counts.get("customers"),
        Some(&((customers_before + count) as u64))
    );
}
