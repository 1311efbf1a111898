//! Customer pages over HTTP: every page renders real data, forms keep what was typed
//! after an error and store nothing, and the actions work.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{PageClient, location};
use crate::helpers::TestApp;

async fn customer_count(app: &TestApp) -> u64 {
    let body: Value = app
        .admin()
        .await
        .get("/api/customers")
        .await
        .json()
        .await
        .expect("json");
    body["total"].as_u64().expect("total")
}

#[tokio::test]
async fn a_page_without_a_session_sends_you_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = http
        .get(app.url("/customers/new?x=1"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        "/login?next=%2Fcustomers%2Fnew%3Fx%3D1"
    );
    for path in [
        "/",
        "/customers",
        "/products",
        "/team",
        "/profile",
        "/settings",
    ] {
        let response = http.get(app.url(path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&response).starts_with("/login"), "{path}");
    }
}

#[tokio::test]
async fn a_customer_is_added_after_fixing_a_mistake_and_nothing_half_saved() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, form) = pages.get("/customers/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"id="customer-form""#));

    let bad = pages
        .post_form(
            "/customers",
            &[
                ("name", "Subhajit Banerjee"),
                ("phone", "12345"),
                ("address.city", "Kolkata"),
                ("preferences.budget_max", "lots"),
                ("tags", "wedding, vip"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(
        html.contains(r#"id="error-phone""#),
        "phone error shown next to the field"
    );
    assert!(
        html.contains(r#"id="error-preferences-budget-max""#),
        "budget error shown"
    );
    assert!(
        html.contains(r#"value="Subhajit Banerjee""#),
        "typed name kept"
    );
    assert!(html.contains(r#"value="Kolkata""#), "typed city kept");
    assert!(html.contains(r#"value="wedding, vip""#), "typed tags kept");
    assert_eq!(customer_count(&app).await, 0, "nothing stored");

    let good = pages
        .post_form(
            "/customers",
            &[
                ("name", "Subhajit Banerjee"),
                ("phone", "98300 12345"),
                ("address.city", "Kolkata"),
                ("preferences.metals", "GOLD"),
                ("preferences.budget_max", "1,50,000"),
                ("tags", "wedding, vip"),
                ("status", "ACTIVE"),
            ],
        )
        .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let to = location(&good);
    assert!(
        to.starts_with("/customers/") && to.ends_with("?done=created"),
        "{to}"
    );
    let (status, detail) = pages.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "Subhajit Banerjee",
        "+91 98300 12345",
        "Kolkata",
        "₹1,50,000.00",
        "wedding",
        "Gold",
    ] {
        assert!(detail.contains(shown), "detail shows {shown}");
    }

    // The same phone again is refused, naming who has it.
    let again = pages
        .post_form(
            "/customers",
            &[("name", "Someone Else"), ("phone", "+91 9830012345")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let html = again.text().await.expect("body");
    assert!(html.contains("Subhajit Banerjee") && html.contains(r#"id="error-phone""#));
    // ...and links to them, so the counter can open that customer instead.
    let existing = to.trim_end_matches("?done=created");
    assert!(
        html.contains(r#"id="existing-customer""#)
            && html.contains(&format!(r#"href="{existing}""#)),
        "the clash links to {existing}"
    );
    assert_eq!(customer_count(&app).await, 1);
}

#[tokio::test]
async fn list_edit_remove_and_restore() {
    let app = TestApp::spawn().await;
    let api = app.admin().await;
    for (name, phone) in [("Rina Sinha", "9831000001"), ("Amit Paul", "9831000002")] {
        let response = api
            .post("/api/customers", &json!({"name": name, "phone": phone}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, list) = pages.get("/customers?sort=name").await;
    assert_eq!(status, StatusCode::OK);
    let (amit, rina) = (
        list.find("Amit Paul").expect("Amit"),
        list.find("Rina Sinha").expect("Rina"),
    );
    assert!(amit < rina, "sorted by name");

    // The list answers an htmx request with just the results. The search index follows
    // writes a moment later, so the request is repeated until it has caught up.
    let mut fragment = String::new();
    for _ in 0..200 {
        fragment = pages
            .http
            .get(format!("{}/customers?q=sinha", pages.base))
            .header("hx-request", "true")
            .header("hx-target", "results")
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body");
        if fragment.contains("Rina Sinha") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(fragment.starts_with(r#"<div id="results""#), "{fragment}");
    assert!(fragment.contains("Rina Sinha") && !fragment.contains("Amit Paul"));

    let listed: Value = api
        .get("/api/customers?sort=-name")
        .await
        .json()
        .await
        .expect("json");
    let id = listed["items"][0]["id"].as_str().expect("id").to_owned();
    let (status, edit) = pages.get(&format!("/customers/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(edit.contains(r#"value="Rina Sinha""#));
    let saved = pages
        .post_form(
            &format!("/customers/{id}"),
            &[
                ("name", "Rina Sinha Roy"),
                ("phone", "9831000001"),
                ("status", "PROSPECT"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, detail) = pages.get(&location(&saved)).await;
    assert!(
        detail.contains("Rina Sinha Roy")
            && detail.contains("Prospect")
            && detail.contains("Changes saved")
    );

    let removed = pages
        .post_form(&format!("/customers/{id}/delete"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), "/customers?done=deleted");
    let (_, list) = pages.get("/customers").await;
    assert!(!list.contains("Rina Sinha Roy"));
    let (_, removed_list) = pages.get("/customers?deleted=true").await;
    assert!(removed_list.contains("Rina Sinha Roy"));

    let restored = pages
        .post_form(&format!("/customers/{id}/restore"), &[])
        .await;
    assert_eq!(restored.status(), StatusCode::SEE_OTHER);
    let (_, list) = pages.get("/customers").await;
    assert!(list.contains("Rina Sinha Roy"));
}

#[tokio::test]
async fn dashboard_and_search_suggestions_show_real_data() {
    let app = TestApp::spawn().await;
    let api = app.admin().await;
    let response = api
        .post(
            "/api/customers",
            &json!({"name": "Moumita Ghosh", "phone": "9831000003"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, home) = pages.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Moumita Ghosh"), "recently added");
    assert!(
        home.contains(r#"<span class="tile-figure" id="figure-added-today">1</span>"#),
        "{home}"
    );

    let mut found = String::new();
    for _ in 0..100 {
        found = pages.get("/search/suggest?q=moumita").await.1;
        if found.contains("Moumita Ghosh") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        found.contains("Moumita Ghosh") && found.contains("/customers/"),
        "{found}"
    );
}

#[tokio::test]
async fn missing_and_malformed_addresses_show_a_page_not_json() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    for path in [
        "/customers/not-an-id",
        "/customers/0190a1b2-0000-7000-8000-000000000000",
        "/no-such-page",
    ] {
        let (status, html) = pages.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}: {html}");
    }
}
