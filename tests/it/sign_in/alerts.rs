//! What people are told about password guessing: the admins see slowed accounts on the
//! team page and can let them try again at once, the account's owner hears of the wrong
//! passwords at their next sign-in, and the sign-in page warns of demo passwords. The
//! account's budget is two free tries here, so the tests stay short.

use reqwest::StatusCode;
use sarkar_crm::config::Config;
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use super::{browser, post_sign_in_form};
use crate::helpers::{PASSWORD, TestApp};
use crate::pages::{PageClient, location};

const FREE_TRIES: u32 = 2;

/// An app whose accounts get two free tries, with a second admin, `deputy`.
async fn app_with_tiny_budget() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::defaults();
    config.auth.sign_in_free_tries = FREE_TRIES;
    let app = TestApp::start_with(config, dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    app.add_user("deputy", UserRole::BusinessAdmin, None, None)
        .await;
    (app, dir)
}

async fn api_sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": username, "password": password}),
        )
        .await
}

/// The id of `username`, as the deputy admin reads it from the API.
async fn user_id(app: &TestApp, username: &str) -> String {
    let users = app.login("deputy").await.get_json("/api/users").await;
    users["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["id"].as_str())
        .expect("the user is listed")
        .to_owned()
}

#[tokio::test]
async fn an_admin_sees_the_slowed_account_and_lets_it_try_again() {
    let (app, _dir) = app_with_tiny_budget().await;
    for n in 0..=FREE_TRIES {
        api_sign_in(&app, "owner", &format!("guess {n}")).await;
    }
    let held = api_sign_in(&app, "owner", PASSWORD).await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);

    let deputy = PageClient::sign_in(&app, "deputy").await;
    let (_, dashboard) = deputy.get("/").await;
    assert!(
        dashboard.contains(r#"id="sign-in-alerts-notice""#) && dashboard.contains("1 account"),
        "the dashboard tells the admin"
    );
    let (status, team) = deputy.get("/team").await;
    assert_eq!(status, StatusCode::OK);
    let alert = team
        .split(r#"id="sign-in-alerts""#)
        .nth(1)
        .expect("the team page warns of the slowed account");
    assert!(
        alert.contains("owner") && alert.contains("2 wrong passwords"),
        "{alert}"
    );
    let owner_id = user_id(&app, "owner").await;
    let cleared = deputy
        .post_form(&format!("/team/{owner_id}/let-try-again"), &[])
        .await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&cleared), "/team?done=try-again");
    let (_, team) = deputy.get("/team").await;
    assert!(!team.contains(r#"id="sign-in-alerts""#));

    let signed_in = api_sign_in(&app, "owner", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_console_lets_a_slowed_account_try_again_on_the_running_server() {
    let (app, dir) = app_with_tiny_budget().await;
    for n in 0..=FREE_TRIES {
        api_sign_in(&app, "owner", &format!("guess {n}")).await;
    }
    let held = api_sign_in(&app, "owner", PASSWORD).await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);

    let console = |username: &'static str| {
        crate::helpers::binary()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["user", "let-try-again", "--username", username])
            .output()
    };
    let unknown = console("nobody").await.expect("the binary runs");
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("username"), "{stderr}");

    let cleared = console("owner").await.expect("the binary runs");
    let stdout = String::from_utf8_lossy(&cleared.stdout);
    assert!(
        cleared.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&cleared.stderr)
    );
    assert!(
        stdout.contains("owner may sign in again at once"),
        "{stdout}"
    );
    let signed_in = api_sign_in(&app, "owner", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_console_says_when_no_server_is_running() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = crate::helpers::binary()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["user", "unlock", "--username", "owner"])
        .output()
        .await
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no server is answering") && stderr.contains("starts with none"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_floor_manager_cannot_let_anyone_try_again() {
    let (app, _dir) = app_with_tiny_budget().await;
    app.add_user("ananya", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    for n in 0..=FREE_TRIES {
        api_sign_in(&app, "owner", &format!("guess {n}")).await;
    }
    let manager = PageClient::sign_in(&app, "ananya").await;
    let owner_id = user_id(&app, "owner").await;
    let refused = manager
        .post_form(&format!("/team/{owner_id}/let-try-again"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let still = api_sign_in(&app, "owner", PASSWORD).await;
    assert_eq!(still.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_next_sign_in_says_how_many_wrong_passwords_were_given() {
    let (app, _dir) = app_with_tiny_budget().await;
    api_sign_in(&app, "owner", "a guess").await;
    let body: Value = api_sign_in(&app, "owner", PASSWORD)
        .await
        .json()
        .await
        .expect("session");
    assert_eq!(body["failed_sign_ins"], 1);
    let again: Value = api_sign_in(&app, "owner", PASSWORD)
        .await
        .json()
        .await
        .expect("session");
    assert_eq!(again["failed_sign_ins"], 0, "told once");

    api_sign_in(&app, "owner", "another guess").await;
    let http = browser();
    let response = post_sign_in_form(&app, &http, "owner", PASSWORD, "/customers").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("body");
    assert!(
        html.contains(r#"id="failed-sign-ins""#) && html.contains("once"),
        "{html}"
    );
    assert!(html.contains(r#"href="/customers""#), "carries on to next");
    let customers = http.get(app.url("/customers")).send().await.expect("page");
    assert_eq!(customers.status(), StatusCode::OK, "signed in");
}

#[tokio::test]
async fn the_sign_in_page_warns_while_demo_managers_have_the_demo_password() {
    let app = TestApp::spawn().await;
    let page = |app: &TestApp| {
        let url = app.url("/login");
        async move {
            reqwest::get(url)
                .await
                .expect("page")
                .text()
                .await
                .expect("body")
        }
    };
    assert!(!page(&app).await.contains(r#"id="demo-passwords""#));
    let options = sarkar_crm::demo::DemoOptions {
        customers: 5,
        products: 5,
        sales: 0,
        seed: 3,
    };
    let crm = app.crm().clone();
    tokio::task::spawn_blocking(move || sarkar_crm::demo::generate(&crm, &options, false))
        .await
        .expect("demo task")
        .expect("demo data");
    let html = page(&app).await;
    let warning = html
        .split(r#"id="demo-passwords""#)
        .nth(1)
        .expect("the sign-in page warns");
    assert!(
        warning.contains("ananya.gf") && warning.contains("Team page"),
        "{warning}"
    );
}
