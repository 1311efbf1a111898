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

use crate::helpers::TestApp;

/// A fixed seed and a fixed number of examples per operation, so that every run sends
/// the same requests and the whole check stays within a few minutes on two cores.
const SEED: &str = "15";
const MAX_EXAMPLES: &str = "12";

/// Signing out and swapping the token end the session schemathesis signs in with, so
/// the main run leaves them out and a second run, with a token of its own, covers them.
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

/// Runs schemathesis against the app with `token`, limited by `filters`, and fails
/// with its whole output unless it reports no failure.
async fn run_schemathesis(app: &TestApp, token: &str, filters: &[&str]) {
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

#[tokio::test]
async fn the_api_answers_as_its_openapi_document_says_every_time() {
    let dir = demo_store();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let main = app.admin().await;
    let main_token = main.token.clone().expect("a token");
    let mut leave_out = Vec::new();
    for path in SESSION_ENDING {
        leave_out.extend(["--exclude-path", path]);
    }
    run_schemathesis(&app, &main_token, &leave_out).await;

    let ending = app.admin().await;
    let ending_token = ending.token.clone().expect("a token");
    let mut only = Vec::new();
    for path in SESSION_ENDING {
        only.extend(["--include-path", path]);
    }
    run_schemathesis(&app, &ending_token, &only).await;
}
