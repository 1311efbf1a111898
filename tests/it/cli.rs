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
