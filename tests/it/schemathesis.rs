//! The OpenAPI document against the running server: schemathesis (PyPI, installed by
//! `./test`) generates requests for every operation from the document, valid and
//! invalid, and checks every answer with all of its checks: no 5xx, only documented
//! statuses, content types and headers, bodies matching their schemas, invalid input
//! refused and valid input accepted. The server holds a small demo store (floors,
//! customers, products, sales of several floors) so that ids and lists are real.

use std::path::{Path, PathBuf};

use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;

use crate::helpers::{Client, TestApp};

/// A fixed seed and a fixed number of examples per operation, so that every run sends
/// the same requests and the whole check stays within a few minutes on two cores.
const SEED: &str = "15";
const MAX_EXAMPLES: &str = "20";

/// Signing out and swapping the token end the session schemathesis signs in with, so
/// the main run leaves them out and a run for each, with a token of its own, covers it.
const SESSION_ENDING: [&str; 2] = ["/api/auth/logout", "/api/auth/refresh"];

/// Where `./test` installs schemathesis (`target/test-tools/schemathesis`), or PATH.
fn schemathesis() -> PathBuf {
    let installed = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("test-tools/schemathesis/bin/schemathesis");
    if installed.exists() {
        return installed;
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("schemathesis"))
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| {
            panic!(
                "schemathesis is not installed: run ./test, which installs it into {}",
                installed.display()
            )
        })
}

/// A data directory holding a small demo store.
fn demo_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let options = DemoOptions {
        customers: 30,
        products: 20,
        sales: 40,
        seed: 15,
    };
    generate(&crm, &options, false).unwrap();
    dir
}

/// The environment `tests/schemathesis.toml` reads the demo store's records from: one
/// of each kind, for the operations that read one record.
async fn fixture_ids(api: &Client) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (variable, list) in [
        ("SARKAR_CUSTOMER_ID", "/api/customers"),
        ("SARKAR_PRODUCT_ID", "/api/products"),
        ("SARKAR_CATEGORY_ID", "/api/categories"),
        ("SARKAR_FLOOR_ID", "/api/floors"),
        ("SARKAR_USER_ID", "/api/users"),
        ("SARKAR_FOLLOW_UP_ID", "/api/follow-ups"),
        ("SARKAR_SALE_ID", "/api/sales?status=COMPLETED"),
    ] {
        let page = api.get_json(list).await;
        let id = page["items"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("the demo store has a record in {list}: {page}"));
        out.push((variable, id.to_owned()));
    }
    out
}

/// Runs schemathesis against the app with `token`, limited by `filters`, and fails
/// with its whole output unless it reports no failure.
async fn run_schemathesis(
    app: &TestApp,
    token: &str,
    fixtures: &[(&str, String)],
    filters: &[&str],
) {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis.toml");
    let reports = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(schemathesis())
        .arg("--no-color")
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(app.url("/api/openapi.json"))
        .args(["--checks", "all"])
        .args(["--seed", SEED, "--generation-deterministic"])
        .args(["--max-examples", MAX_EXAMPLES, "--workers", "1"])
        .args(["--request-timeout", "30"])
        .arg("--header")
        .arg(format!("Authorization: Bearer {token}"))
        .args(filters)
        .envs(
            fixtures
                .iter()
                .map(|(variable, id)| (*variable, id.as_str())),
        )
        .current_dir(reports.path())
        .output()
        .await
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis found the API disagreeing with its document ({}):\n{stdout}\n{stderr}",
        output.status
    );
}

// Two threads serve while schemathesis runs, as the box's two cores would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_as_its_openapi_document_says_every_time() {
    let dir = demo_store();
    // Schemathesis sends a thousand requests from one address in a minute or two.
    let app = TestApp::start_with(crate::helpers::config_without_rate_limits(), dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let main = app.admin().await;
    let main_token = main.token.clone().expect("a token");
    let fixtures = fixture_ids(&main).await;
    let sales = main.get_json("/api/sales?limit=200").await;
    let floors: std::collections::BTreeSet<&str> = sales["items"]
        .as_array()
        .expect("sales")
        .iter()
        .filter_map(|sale| sale["floor_id"].as_str())
        .collect();
    assert!(floors.len() >= 2, "sales of two floors or more: {floors:?}");
    let mut leave_out = Vec::new();
    for path in SESSION_ENDING {
        leave_out.extend(["--exclude-path", path]);
    }
    // An endless stream, which schemathesis would wait on until its timeout for every
    // example; `live_events` tests what it sends and refuses.
    leave_out.extend(["--exclude-path", "/api/events"]);
    run_schemathesis(&app, &main_token, &fixtures, &leave_out).await;

    // Each with a session of its own: a refreshed token replaces the one it was given,
    // so only the first request of each run finds its session alive.
    for path in SESSION_ENDING {
        let ending = app.admin().await;
        let ending_token = ending.token.clone().expect("a token");
        run_schemathesis(&app, &ending_token, &fixtures, &["--include-path", path]).await;
    }
}
