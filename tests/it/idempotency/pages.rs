//! The pages' one-time keys: every form that creates something carries one, and the
//! same form posted twice (a double tap) records once and sends both presses to the
//! record made first. Pages are sent `no-store`, and the script reloads a page the
//! browser brings back from its back-forward cache, so Back after a sale shows it now.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use super::count;
use crate::helpers::{Client, PASSWORD, TestApp};
use crate::pages::{PageClient, location};
use crate::sales::{fixed, shop};

/// The one-time key of the form that posts to `action` on `html`.
fn key_of_form(html: &str, action: &str) -> String {
    let form = html
        .find(&format!(r#"action="{action}""#))
        .unwrap_or_else(|| panic!("a form posting to {action}"));
    let field = r#"name="_idempotency_key" value=""#;
    let rest = &html[form..];
    let at = rest.find(field).expect("the form carries a one-time key") + field.len();
    rest[at..at + rest[at..].find('"').expect("closing quote")].to_owned()
}

/// Opens `page`, then posts its form to `action` twice with the key it was given, and
/// returns where each press was sent on to.
async fn press_twice(
    pages: &PageClient,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (String, String) {
    let (status, html) = pages.get(page).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let key = key_of_form(&html, action);
    let mut sent = fields.to_vec();
    sent.push(("_idempotency_key", &key));
    let first = pages.post_form(action, &sent).await;
    if first.status() != StatusCode::SEE_OTHER {
        let status = first.status();
        panic!("{action}: {status}: {}", first.text().await.expect("body"));
    }
    let second = pages.post_form(action, &sent).await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER, "{action}, again");
    (location(&first), location(&second))
}

/// A form: the page that shows it, where it posts, what is typed, and the API list
/// that counts what it records.
type PageForm<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, &'a str);

/// A shop with a floor, a customer, a piece at a fixed price, and the owner signed in
/// at the pages and at the API.
async fn counter(app: &TestApp) -> (PageClient, Client, String, String) {
    let shop = shop(app).await;
    let customer = shop.customer("9831000001", json!({})).await;
    shop.product(fixed("TS-1", 1_000, 20)).await;
    let pages = PageClient::sign_in(app, "owner").await;
    (pages, shop.api, shop.floor, customer)
}

#[tokio::test]
async fn each_add_and_log_form_pressed_twice_records_once_and_goes_to_the_first_record() {
    let app = TestApp::spawn().await;
    let (pages, api, floor, customer) = counter(&app).await;
    let on_customer = format!("/customers/{customer}");
    let interactions = format!("{on_customer}/interactions");
    let follow_ups = format!("{on_customer}/follow-ups");
    let floor = floor.as_str();
    let forms: [PageForm; 10] = [
        (
            "/customers/new",
            "/customers",
            vec![("name", "Payel Dey"), ("phone", "9831000002")],
            "/api/customers",
        ),
        (
            "/products/new",
            "/products",
            vec![
                ("sku", "BG-1"),
                ("name", "Kangan pair"),
                ("floor_id", floor),
                ("metal", "SILVER"),
                ("purity", "925"),
                ("gross_weight", "32.5"),
                ("making_kind", "flat"),
                ("making_amount", "0"),
                ("fixed_price", "5,000"),
                ("stock_qty", "2"),
                ("active", "true"),
            ],
            "/api/products",
        ),
        (
            "/categories",
            "/categories",
            vec![("name", "Bangles")],
            "/api/categories",
        ),
        (
            "/floors",
            "/floors",
            vec![("name", "Attic"), ("level", "4")],
            "/api/floors",
        ),
        (
            "/team",
            "/team",
            vec![
                ("username", "arup"),
                ("name", "Arup Ghosh"),
                ("role", "FLOOR_MANAGER"),
                ("floor_id", floor),
                ("password", PASSWORD),
            ],
            "/api/users",
        ),
        (
            "/walk-ins/new",
            "/walk-ins",
            vec![
                ("phone", "9831000001"),
                ("notes", "Came for earrings"),
                ("floor_id", floor),
            ],
            "/api/interactions",
        ),
        (
            &on_customer,
            &interactions,
            vec![
                ("type", "WALK_IN"),
                ("notes", "Saw bangles"),
                ("floor_id", floor),
            ],
            "/api/interactions",
        ),
        (
            &on_customer,
            &follow_ups,
            vec![
                ("type", "PHONE_CALL"),
                ("due_at", "2030-01-15T11:00"),
                ("floor_id", floor),
            ],
            "/api/follow-ups",
        ),
        (
            "/sales/new",
            "/sales/new",
            vec![
                ("customer_phone", "9831000001"),
                ("floor_id", floor),
                ("line-0-sku", "TS-1"),
                ("action", "create"),
            ],
            "/api/sales",
        ),
        (
            "/sales/new",
            "/sales/new",
            vec![
                ("customer_phone", "9831000001"),
                ("floor_id", floor),
                ("line-0-sku", "TS-1"),
                ("line-0-qty", "2"),
                ("action", "create"),
            ],
            "/api/sales",
        ),
    ];
    for (page, action, fields, list) in &forms {
        let before = count(&api, list).await;
        let (first, second) = press_twice(&pages, page, action, fields).await;
        assert_eq!(second, first, "{action}: both presses go to the same page");
        assert_eq!(count(&api, list).await, before + 1, "{action}: one record");
    }
}

#[tokio::test]
async fn complete_pressed_twice_goes_to_the_completed_sale_both_times() {
    let app = TestApp::spawn().await;
    let (pages, api, floor, customer) = counter(&app).await;
    let cash = json!([{"method": "CASH", "amount_paise": 1_030_00}]);
    let sale = api
        .create(
            "/api/sales",
            &json!({"customer_id": customer, "floor_id": floor, "lines": [{"sku": "TS-1"}], "payments": cash}),
        )
        .await;
    let id = sale["id"].as_str().expect("id");
    let page = format!("/sales/{id}");
    let (first, second) = press_twice(&pages, &page, &format!("{page}/complete"), &[]).await;
    assert_eq!(first, format!("{page}?done=completed"));
    assert_eq!(second, first);
    let sale = api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(sale["status"], "COMPLETED");
    let piece = api.get_json("/api/products").await["items"][0].clone();
    assert_eq!(piece["stock_qty"], 19, "the piece left the stock once");
}

#[tokio::test]
async fn a_sent_form_sent_again_with_other_values_is_refused_with_nothing_stored() {
    let app = TestApp::spawn().await;
    let (pages, api, _, _) = counter(&app).await;
    let (_, html) = pages.get("/categories").await;
    let key = key_of_form(&html, "/categories");
    let sent = pages
        .post_form(
            "/categories",
            &[("name", "Bangles"), ("_idempotency_key", &key)],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let changed = pages
        .post_form(
            "/categories",
            &[("name", "Chokers"), ("_idempotency_key", &key)],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = changed.text().await.expect("body");
    assert!(html.contains("already sent"), "{html}");
    assert_eq!(count(&api, "/api/categories").await, 1);
}

#[tokio::test]
async fn a_refused_form_corrected_goes_through_under_its_key() {
    let app = TestApp::spawn().await;
    let (pages, api, _, _) = counter(&app).await;
    let (_, html) = pages.get("/floors").await;
    let key = key_of_form(&html, "/floors");
    let refused = pages
        .post_form(
            "/floors",
            &[("name", ""), ("level", "1"), ("_idempotency_key", &key)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before = count(&api, "/api/floors").await;
    let corrected = pages
        .post_form(
            "/floors",
            &[
                ("name", "Attic"),
                ("level", "1"),
                ("_idempotency_key", &key),
            ],
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&api, "/api/floors").await, before + 1);
}

#[tokio::test]
async fn the_walk_in_dialog_tapped_twice_sends_both_taps_to_the_customer() {
    let app = TestApp::spawn().await;
    let (pages, api, floor, _) = counter(&app).await;
    let (_, home) = pages.get("/").await;
    let key = key_of_form(&home, "/walk-ins");
    let mut htmx = HeaderMap::new();
    htmx.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    htmx.insert("hx-request", HeaderValue::from_static("true"));
    let fields = [
        ("_csrf", pages.csrf.as_str()),
        ("_idempotency_key", key.as_str()),
        ("phone", "9831000005"),
        ("name", "Payel Dey"),
        ("floor_id", floor.as_str()),
    ];
    let first = pages.post_raw("/walk-ins", &fields, htmx.clone()).await;
    let second = pages.post_raw("/walk-ins", &fields, htmx).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(second.status(), StatusCode::NO_CONTENT);
    let to = |r: &reqwest::Response| {
        r.headers()["hx-redirect"]
            .to_str()
            .expect("text")
            .to_owned()
    };
    assert_eq!(to(&second), to(&first));
    assert_eq!(count(&api, "/api/customers").await, 2, "one new prospect");
    assert_eq!(count(&api, "/api/interactions").await, 1, "one walk-in");
}

#[tokio::test]
async fn a_sale_page_is_never_kept_and_back_reloads_it() {
    let app = TestApp::spawn().await;
    let (pages, api, floor, customer) = counter(&app).await;
    let sale = api
        .create(
            "/api/sales",
            &json!({"customer_id": customer, "floor_id": floor, "lines": [{"sku": "TS-1"}]}),
        )
        .await;
    let id = sale["id"].as_str().expect("id");
    let response = pages
        .http
        .get(format!("{}/sales/{id}", pages.base))
        .send()
        .await
        .expect("sale page");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.expect("body");
    let script = html
        .split(r#"<script src=""#)
        .map(|s| &s[..s.find('"').unwrap_or(0)])
        .find(|src| src.contains("/app."))
        .expect("the page loads app.js")
        .to_owned();
    let asset = pages
        .http
        .get(format!("{}{script}", pages.base))
        .send()
        .await
        .expect("app.js");
    let caching = asset.headers()["cache-control"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        caching.contains("max-age"),
        "hashed assets are kept: {caching}"
    );
    let js = asset.text().await.expect("script");
    assert!(
        js.contains(r#"addEventListener("pageshow""#) && js.contains("event.persisted"),
        "a page restored by Back is fetched anew"
    );
}
