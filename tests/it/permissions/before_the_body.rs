//! The caller is judged before the body: on every admin-only write route of the API, a
//! Floor Manager gets 403 and an anonymous caller 401 whatever they send (an empty
//! object, broken JSON), and nothing is stored; the admin's empty object is a 422 that
//! names a field, so the body is read only once the caller may use the route.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use crate::helpers::{Client, TestApp, floor};

/// Every admin-only write route; `{id}` is an id that exists nowhere, `{floor}` a live
/// floor and `{me}` the admin. `true`: the route reads a JSON body.
const ADMIN_ONLY: &[(&str, &str, bool)] = &[
    ("POST", "/api/users", true),
    ("PUT", "/api/users/{me}", true),
    ("DELETE", "/api/users/{id}", false),
    ("POST", "/api/auth/register", true),
    ("POST", "/api/categories", true),
    ("PUT", "/api/categories/{id}", true),
    ("DELETE", "/api/categories/{id}", false),
    ("POST", "/api/floors", true),
    ("PUT", "/api/floors/{floor}", true),
    ("DELETE", "/api/floors/{id}", false),
    ("POST", "/api/floors/{id}/restore", false),
    ("POST", "/api/customers/{id}/restore", false),
    ("PUT", "/api/store", true),
    ("POST", "/api/rates", true),
    ("POST", "/api/backups/run", false),
    ("POST", "/api/store/logo", false),
    ("DELETE", "/api/store/logo", false),
    ("POST", "/api/api-keys", true),
    ("DELETE", "/api/api-keys/{id}", false),
];

/// The write routes every signed-in role may use (the app then checks the record's
/// floor), and those that need no session at all.
const OPEN: &[(&str, &str)] = &[
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/customers"),
    ("PUT", "/api/customers/{id}"),
    ("DELETE", "/api/customers/{id}"),
    ("POST", "/api/customers/merge"),
    ("POST", "/api/customers/import"),
    ("POST", "/api/products/import"),
    ("POST", "/api/products/{id}/images"),
    ("POST", "/api/products/{id}/images/{image_id}/cover"),
    ("DELETE", "/api/products/{id}/images/{image_id}"),
    ("POST", "/api/customers/{id}/documents"),
    ("DELETE", "/api/customers/{id}/documents/{document_id}"),
    ("PUT", "/api/imports/{id}"),
    ("DELETE", "/api/imports/{id}"),
    ("POST", "/api/imports/{id}/commit"),
    ("POST", "/api/imports/{id}/undo"),
    ("POST", "/api/customer-merges/{id}/undo"),
    ("POST", "/api/products"),
    ("PUT", "/api/products/{id}"),
    ("DELETE", "/api/products/{id}"),
    ("PUT", "/api/users/profile"),
    ("POST", "/api/sales"),
    ("POST", "/api/sales/quote"),
    ("PUT", "/api/sales/{id}"),
    ("POST", "/api/sales/{id}/complete"),
    ("POST", "/api/sales/{id}/refund"),
    ("POST", "/api/sales/{id}/cancel"),
    ("POST", "/api/interactions"),
    ("POST", "/api/interactions/walk-in"),
    ("POST", "/api/customers/{id}/hand-off"),
    ("POST", "/api/notifications/read"),
    ("POST", "/api/follow-ups"),
    ("PATCH", "/api/follow-ups/{id}"),
    ("POST", "/api/products/{id}/images"),
    ("POST", "/api/products/{id}/images/{image_id}/cover"),
    ("DELETE", "/api/products/{id}/images/{image_id}"),
    ("POST", "/api/customers/{id}/documents"),
    ("DELETE", "/api/customers/{id}/documents/{document_id}"),
];

async fn send(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client.request(method, path);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_admin_only_write_judges_the_caller_before_the_body() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    app.add_user(
        "manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let manager = app.login("manager").await;
    let me = admin.get_json("/api/users/profile").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let nowhere = uuid::Uuid::now_v7().to_string();
    let before = app.changes().len();

    for (method, template, has_body) in ADMIN_ONLY {
        let path = template
            .replace("{me}", &me)
            .replace("{id}", &nowhere)
            .replace("{floor}", &ground);
        let bodies: &[Option<&str>] = if *has_body {
            &[Some("{}"), Some("{\"name\": "), None]
        } else {
            &[None]
        };
        for body in bodies {
            let (status, problem) = send(&manager, method, &path, *body).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{method} {path} {body:?} by a Floor Manager: {problem}"
            );
            let detail = problem["detail"].as_str().unwrap_or("");
            assert!(
                detail.contains("only a Business Admin"),
                "{method} {path}: {problem}"
            );
            let (status, problem) = send(&app.anonymous(), method, &path, *body).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} {body:?} anonymously: {problem}"
            );
        }
        let (status, problem) = send(&admin, method, &path, has_body.then_some("{}")).await;
        if *has_body {
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path} {{}} by the admin: {problem}"
            );
            assert!(
                problem["errors"].is_object(),
                "the admin is told which field: {problem}"
            );
        } else {
            assert!(
                ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&status),
                "{method} {path} by the admin: {status} {problem}"
            );
        }
    }
    assert_eq!(
        app.changes().len(),
        before,
        "no refused request stored anything"
    );
}

/// A new write route must be sorted into one of the lists above, so that it is tested.
#[tokio::test]
async fn every_write_route_is_sorted_into_admin_only_or_open() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let known: BTreeSet<(String, String)> = ADMIN_ONLY
        .iter()
        .map(|(m, p, _)| (*m, *p))
        .chain(OPEN.iter().copied())
        .map(|(m, p)| {
            let p = p.replace("{me}", "{id}").replace("{floor}", "{id}");
            (m.to_owned(), p)
        })
        .collect();
    assert_eq!(
        found, known,
        "write routes in the OpenAPI document vs the lists here"
    );
}
