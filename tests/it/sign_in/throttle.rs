//! Wrong passwords slow the next try down, per account and per client address, at the
//! sign-in API, the sign-in page and the lock screen; the default budget is used (five
//! free tries per account, thirty per address), so no test waits for anything.

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use serde_json::json;

use super::{browser, post_sign_in_form};
use crate::helpers::{PASSWORD, TestApp};
use crate::pages::PageClient;

/// Free tries per account in the default configuration.
const FREE_TRIES: usize = 5;
/// Free tries per client address in the default configuration.
const FREE_TRIES_PER_ADDRESS: usize = 30;

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get(RETRY_AFTER)
        .expect("a Retry-After header")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds")
}

async fn api_sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": username, "password": password}),
        )
        .await
}

#[tokio::test]
async fn the_api_answers_429_after_the_free_tries_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    for n in 0..FREE_TRIES {
        let response = api_sign_in(&app, "owner", &format!("guess {n}")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "try {n}");
    }
    for password in ["another guess", PASSWORD] {
        let response = api_sign_in(&app, "OWNER ", password).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(retry_after(&response) >= 1);
        let problem: serde_json::Value = response.json().await.expect("problem");
        let detail = problem["detail"].as_str().expect("detail");
        assert!(detail.contains("too many wrong passwords"), "{detail}");
    }
    // Another account from the same address is not held up by the owner's.
    app.add_user(
        "ananya",
        sarkar_crm::domain::UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let other = api_sign_in(&app, "ananya", PASSWORD).await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_address_trying_many_usernames_is_slowed_down() {
    let app = TestApp::spawn().await;
    for n in 0..FREE_TRIES_PER_ADDRESS {
        let response = api_sign_in(&app, &format!("guess{n}"), "a password").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "try {n}");
    }
    let response = api_sign_in(&app, "owner", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&response) >= 1);
}

#[tokio::test]
async fn the_sign_in_page_says_to_wait_with_429() {
    let app = TestApp::spawn().await;
    let http = browser();
    let mut statuses = Vec::new();
    let mut last_page = String::new();
    let mut last_retry_after = None;
    for n in 0..=FREE_TRIES {
        let guess = format!("guess {n}");
        let response = post_sign_in_form(&app, &http, "owner", &guess, "/").await;
        statuses.push(response.status());
        last_retry_after = response.headers().get(RETRY_AFTER).cloned();
        last_page = response.text().await.expect("body");
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(
        statuses[..FREE_TRIES]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED)
    );
    assert!(last_retry_after.is_some(), "Retry-After on the page");
    assert!(
        last_page.contains("Too many wrong passwords") && last_page.contains(r#"value="owner""#),
        "the page says why and keeps the username"
    );
}

#[tokio::test]
async fn the_lock_screen_is_slowed_down_like_the_sign_in() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    assert_eq!(
        pages.post_form("/lock", &[]).await.status(),
        StatusCode::NO_CONTENT
    );
    for n in 0..FREE_TRIES {
        let guess = format!("guess {n}");
        let response = pages
            .post_form("/unlock", &[("password", guess.as_str())])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "try {n}"
        );
    }
    let response = pages.post_form("/unlock", &[("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&response) >= 1);
    let text = response.text().await.expect("body");
    assert!(text.contains("Too many wrong passwords"), "{text}");
}
