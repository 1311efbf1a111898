//! The command line: names that scripts rely on, and plain-language errors.

use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use serde_json::Value;

use crate::helpers::{ServerProcess, binary, cli_add_user};

#[tokio::test]
async fn print_default_config_prints_the_commented_defaults() {
    let output = binary().arg("print-default-config").output().await.unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text, sarkar_crm::config::DEFAULT_CONFIG);
    assert!(text.contains("cache_mb") && text.contains("# "), "{text}");
}

#[tokio::test]
async fn user_add_creates_the_store_and_floor_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let ok = cli_add_user(
        dir.path(),
        &[
            "--username",
            "ananya.gf",
            "--role",
            "floor-manager",
            "--floor",
            "Ground Floor",
            "--name",
            "Ananya Bose",
        ],
    )
    .await;
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Ananya Bose"));

    let again = cli_add_user(
        dir.path(),
        &[
            "--username",
            "ananya.gf",
            "--role",
            "floor-manager",
            "--floor",
            "Ground Floor",
        ],
    )
    .await;
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("taken"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let no_floor = cli_add_user(
        dir.path(),
        &["--username", "rohit", "--role", "floor-manager"],
    )
    .await;
    assert!(
        String::from_utf8_lossy(&no_floor.stderr).contains("--floor"),
        "{}",
        String::from_utf8_lossy(&no_floor.stderr)
    );

    let bad_role = cli_add_user(dir.path(), &["--username", "rohit", "--role", "owner"]).await;
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("business-admin"));
}

#[tokio::test]
async fn a_command_run_while_the_server_holds_the_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let _server = ServerProcess::start(dir.path()).await;
    let output = cli_add_user(
        dir.path(),
        &["--username", "late", "--role", "business-admin"],
    )
    .await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("in use by another Sarkar CRM process") && stderr.contains("Stop it first"),
        "{stderr}"
    );
}

#[tokio::test]
async fn bad_configuration_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sarkar.toml");
    std::fs::write(&config, "[database]\ncache_size = 64\n").unwrap();
    let output = binary()
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("database.cache_size"), "{stderr}");

    let output = binary()
        .env("SARKAR__SERVER__MAX_BODY_BYTES", "-1")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("server.max_body_bytes"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Customers of a demo store as (code, name, phone, status) rows, for comparing runs.
fn demo_customers(seed: u64) -> Vec<(String, String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let report = generate(
        &crm,
        &DemoOptions {
            customers: 300,
            products: 60,
            sales: 500,
            seed,
        },
        false,
    )
    .unwrap();
    assert_eq!(
        (report.customers, report.products, report.floors),
        (300, 60, 4)
    );
    let store = crm.ensure_store("Sarkar Jewellers").unwrap();
    let scope = sarkar_crm::store::Scope::store(store.id);
    let page = crm
        .db()
        .read(|rx| {
            sarkar_crm::store::customers::list_customers(
                rx,
                &scope,
                &Default::default(),
                Default::default(),
                sarkar_crm::store::PageRequest::first(200),
            )
        })
        .unwrap();
    assert_eq!(page.total, Some(300));
    page.items
        .into_iter()
        .map(|c| {
            (
                c.code(),
                c.name.to_string(),
                c.phone.to_string(),
                c.status.to_string(),
            )
        })
        .collect()
}

#[test]
fn demo_data_is_the_same_for_the_same_seed() {
    let first = demo_customers(42);
    assert_eq!(first, demo_customers(42));
    assert_ne!(first, demo_customers(43));
}

#[tokio::test]
async fn demo_data_fills_the_store_that_user_add_joins() {
    let dir = tempfile::tempdir().unwrap();
    let output = binary()
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "demo-data",
            "--customers",
            "200",
            "--products",
            "50",
            "--sales",
            "300",
            "--seed",
            "3",
        ])
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let added = cli_add_user(
        dir.path(),
        &["--username", "owner", "--role", "business-admin"],
    )
    .await;
    assert!(added.status.success());
    let server = ServerProcess::start(dir.path()).await;
    let admin = server.login("owner").await;
    let customers: Value = admin.get_json("/api/customers?per_page=1").await;
    assert_eq!(customers["total"], 200);
    assert_eq!(
        admin.get_json("/api/floors").await["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let manager = server
        .login_with("ananya.gf", sarkar_crm::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(
        manager.get_json("/api/users/profile").await["role"],
        "FLOOR_MANAGER"
    );
    // A second run would collide with the first; it refuses instead.
    drop(server);
}

/// Every dated field of every record the demo wrote, named for the failure message.
fn demo_timestamps(crm: &Crm) -> Vec<(String, jiff::Timestamp)> {
    use sarkar_crm::store::activity::{
        InteractionFilter, follow_ups_of_customer, list_interactions,
    };
    use sarkar_crm::store::{Deleted, PageRequest, Scope, StoreError};
    use sarkar_crm::store::{catalogue, customers, org, people, rates, sales};

    let store = crm.default_store().unwrap();
    let scope = Scope::store(store.id);
    let mut out = vec![("the store".to_owned(), store.created_at)];
    let mut add = |what: String, at: jiff::Timestamp| out.push((what, at));
    crm.db()
        .read(|rx| -> Result<(), StoreError> {
            for f in org::floors(rx, &scope, Deleted::Hide)? {
                add(format!("floor {}", f.name), f.created_at);
                add(format!("floor {} (changed)", f.name), f.updated_at);
            }
            for u in people::users(rx, &scope, Deleted::Hide)? {
                add(format!("user {}", u.username), u.created_at);
                add(format!("user {} (changed)", u.username), u.updated_at);
            }
            for c in catalogue::categories(rx, &scope, Deleted::Hide)? {
                add(format!("category {}", c.name), c.created_at);
            }
            for p in catalogue::live_products(rx, &scope)? {
                add(format!("product {}", p.sku), p.created_at);
                add(format!("product {} (changed)", p.sku), p.updated_at);
            }
            let mut page = 1;
            loop {
                let listed = customers::list_customers(
                    rx,
                    &scope,
                    &Default::default(),
                    Default::default(),
                    PageRequest::numbered(page, 200),
                )?;
                for c in &listed.items {
                    add(format!("customer {}", c.code()), c.created_at);
                    add(format!("customer {} (changed)", c.code()), c.updated_at);
                    for f in follow_ups_of_customer(rx, &scope, c.id, 1_000)? {
                        add(
                            format!("follow-up {} created", f.id.as_uuid()),
                            f.created_at,
                        );
                        add(
                            format!("follow-up {} changed", f.id.as_uuid()),
                            f.updated_at,
                        );
                        if let Some(done) = f.completed_at {
                            add(format!("follow-up {} done", f.id.as_uuid()), done);
                        }
                    }
                }
                if !listed.has_more {
                    break;
                }
                page += 1;
            }
            for s in sales::recent_sales(rx, &scope, None, 100_000)? {
                add(format!("sale {} created", s.id.as_uuid()), s.created_at);
                add(format!("sale {} changed", s.id.as_uuid()), s.updated_at);
                if let Some(done) = s.completed_at {
                    add(format!("sale {} completed", s.id.as_uuid()), done);
                }
                for r in &s.refunds {
                    add(format!("refund of sale {}", s.id.as_uuid()), r.at);
                }
            }
            let interactions = list_interactions(
                rx,
                &scope,
                InteractionFilter::default(),
                PageRequest::first(1_000_000),
            )?;
            for i in interactions.items {
                add(format!("interaction {}", i.id.as_uuid()), i.occurred_at);
                add(
                    format!("interaction {} logged", i.id.as_uuid()),
                    i.created_at,
                );
            }
            for purity in sarkar_crm::domain::board_purities() {
                for r in rates::rate_history(rx, &scope, purity, 100_000)? {
                    add(format!("{} rate", purity.label()), r.set_at);
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

#[test]
fn demo_data_looks_like_yesterday() {
    use sarkar_crm::app::Actor;
    use sarkar_crm::domain::{FollowUpStatus, InteractionType, SaleStatus, UserRole};
    use sarkar_crm::store::activity::{InteractionFilter, list_interactions};
    use sarkar_crm::store::{Deleted, PageRequest, Scope, StoreError, people, rates, sales};

    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let tz = config.time_zone();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let before =
        jiff::Timestamp::from_microsecond(jiff::Timestamp::now().as_microsecond()).unwrap();
    let options = DemoOptions {
        customers: 400,
        products: 80,
        sales: 700,
        seed: 11,
    };
    let report = generate(&crm, &options, false).unwrap();
    let started = report.started_at;
    assert!(before <= started && started <= jiff::Timestamp::now());

    // Nothing of any kind is dated after the run started.
    let stamps = demo_timestamps(&crm);
    assert!(
        stamps.len() > 2_000,
        "the demo wrote records: {}",
        stamps.len()
    );
    let future: Vec<_> = stamps.iter().filter(|(_, at)| *at > started).collect();
    assert!(
        future.is_empty(),
        "dated after the run ({started}): {future:?}"
    );

    // A board a day for each purity, for each of the last 365 days, today included.
    let today = started.to_zoned_datetime(tz.clone()).date();
    let store = crm.default_store().unwrap();
    let scope = Scope::store(store.id);
    for purity in sarkar_crm::domain::board_purities() {
        let history = crm
            .db()
            .read(|rx| rates::rate_history(rx, &scope, purity, 1_000))
            .unwrap();
        let days: std::collections::BTreeSet<_> = history
            .iter()
            .map(|r| r.set_at.to_zoned_datetime(tz.clone()).date())
            .collect();
        assert_eq!(history.len(), 365, "one {} rate a day", purity.label());
        for back in 0..365 {
            let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
            assert!(days.contains(&day), "no {} rate on {day}", purity.label());
        }
        // Newest first: each day's rate is within 2% of the day before's.
        for pair in history.windows(2) {
            let (newer, older) = (pair[0].per_gram.get(), pair[1].per_gram.get());
            assert!(
                older > 0 && (newer - older).abs() * 50 < older,
                "{} moved from {older} to {newer} paise in a day",
                purity.label()
            );
        }
    }

    // Walk-ins and other interactions, follow-ups done and still open, and returns.
    let (interactions, all_sales) = crm
        .db()
        .read(|rx| -> Result<_, StoreError> {
            let listed = list_interactions(
                rx,
                &scope,
                InteractionFilter::default(),
                PageRequest::first(1_000_000),
            )?;
            Ok((
                listed.items,
                sales::recent_sales(rx, &scope, None, 100_000)?,
            ))
        })
        .unwrap();
    let walk_ins = interactions
        .iter()
        .filter(|i| i.kind == InteractionType::WalkIn)
        .count();
    assert!(
        walk_ins >= 100,
        "walk-ins: {walk_ins} of {}",
        interactions.len()
    );
    assert!(
        interactions
            .iter()
            .any(|i| i.kind != InteractionType::WalkIn)
    );
    let refunded: Vec<_> = all_sales
        .iter()
        .filter(|s| s.status == SaleStatus::Refunded)
        .collect();
    assert!(!refunded.is_empty(), "some bills came back");
    for s in &refunded {
        let refund = s
            .refunds
            .first()
            .expect("a refunded sale records its return");
        assert!(refund.at >= s.created_at && refund.amount == s.payable());
    }

    // Each floor manager has overdue work and work due today on My day.
    let managers: Vec<_> = crm
        .db()
        .read(|rx| people::users(rx, &scope, Deleted::Hide))
        .unwrap()
        .into_iter()
        .filter(|u| u.role == UserRole::FloorManager)
        .collect();
    assert_eq!(managers.len(), 4);
    for manager in managers {
        let actor = Actor {
            user_id: manager.id,
            username: manager.username.clone(),
            name: manager.name.clone(),
            role: manager.role,
            store_id: manager.store_id,
            floor_id: manager.floor_id,
        };
        let day = crm.my_day(&actor, today).unwrap();
        assert!(
            !day.overdue.is_empty(),
            "{} has overdue work",
            manager.username
        );
        assert!(
            !day.due_today.is_empty(),
            "{} has work due today",
            manager.username
        );
        for task in day.overdue.iter().chain(&day.due_today) {
            assert_eq!(task.follow_up.status, FollowUpStatus::Pending);
            assert!(task.follow_up.created_at <= started);
        }
    }
    // Most past follow-ups were done after they fell due; some were cancelled.
    let follow_ups = crm
        .db()
        .read(|rx| -> Result<Vec<_>, StoreError> {
            let mut all = Vec::new();
            let customers = sarkar_crm::store::customers::list_customers(
                rx,
                &scope,
                &Default::default(),
                Default::default(),
                PageRequest::first(1_000),
            )?;
            for c in customers.items {
                all.extend(sarkar_crm::store::activity::follow_ups_of_customer(
                    rx, &scope, c.id, 1_000,
                )?);
            }
            Ok(all)
        })
        .unwrap();
    let done: Vec<_> = follow_ups
        .iter()
        .filter(|f| f.status == FollowUpStatus::Completed)
        .collect();
    assert!(!done.is_empty(), "some follow-ups were done");
    assert!(
        done.iter()
            .all(|f| f.completed_at.is_some_and(|at| at >= f.due_at))
    );
    assert!(
        follow_ups
            .iter()
            .any(|f| f.status == FollowUpStatus::Cancelled)
    );
    assert!(report.follow_ups > 0 && report.interactions == interactions.len());
}
