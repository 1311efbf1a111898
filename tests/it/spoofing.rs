//! Names that pass for other names: customer and staff names with a right-to-left
//! override, a zero-width space or a byte-order mark are refused with nothing stored,
//! while Bengali names that need a zero-width non-joiner still save. API answers are
//! never kept in a cache.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, customer, expect_field_problem, expect_json};
use crate::pages::PageClient;

const SPOOFS: [&str; 5] = [
    "Rina \u{202E}ahniS",
    "Rina\u{200B} Sinha",
    "\u{FEFF}Rina Sinha",
    "Rina\u{2060}Sinha",
    "\u{2066}Rina Sinha\u{2069}",
];

#[tokio::test]
async fn customer_names_with_hidden_characters_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (i, name) in SPOOFS.iter().enumerate() {
        let phone = format!("98300000{i:02}");
        let refused = admin.post("/api/customers", &customer(name, &phone)).await;
        let body = expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "name").await;
        assert!(
            body["errors"]["name"]
                .to_string()
                .contains("invisible character"),
            "{name:?}: {body}"
        );
    }
    let list = admin.get_json("/api/customers").await;
    assert_eq!(list["items"].as_array().expect("items").len(), 0, "{list}");

    for (i, name) in ["সুব্রত দাস", "ক্\u{200C}ষমা সরকার"].iter().enumerate()
    {
        let saved = admin
            .create(
                "/api/customers",
                &customer(name, &format!("98310000{i:02}")),
            )
            .await;
        assert_eq!(saved["name"], *name);
    }
}

#[tokio::test]
async fn the_customer_form_refuses_a_name_with_a_right_to_left_override() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let before = app.changes().len();
    let refused = pages
        .post_form(
            "/customers",
            &[
                ("name", "Rina \u{202E}ahniS"),
                ("phone", "98300 12345"),
                ("status", "ACTIVE"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("invisible character (U+202E)"), "{html}");
    assert_eq!(app.changes().len(), before, "nothing stored");
}

#[tokio::test]
async fn staff_names_with_hidden_characters_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (i, name) in SPOOFS.iter().enumerate() {
        let body = json!({"username": format!("staff.{i}"), "password": PASSWORD, "name": name, "role": "BUSINESS_ADMIN"});
        let refused = admin.post("/api/users", &body).await;
        expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "name").await;
    }
    let team = admin.get_json("/api/users").await;
    assert_eq!(team["items"].as_array().expect("items").len(), 1, "{team}");
}

#[tokio::test]
async fn api_answers_are_not_cached() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let list = admin.get("/api/customers").await;
    assert_eq!(list.headers()["cache-control"], "no-store");
    expect_json(list, StatusCode::OK).await;
    let problem = admin.post("/api/customers", &json!({"name": ""})).await;
    assert_eq!(problem.headers()["cache-control"], "no-store");
    let anonymous = app.anonymous().get("/api/customers").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers()["cache-control"], "no-store");
}
