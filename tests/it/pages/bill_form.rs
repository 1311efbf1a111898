//! The bill form as htmx drives it: each press answered with the form alone to swap in
//! place (or a whole page for a plain post), "Draw up" sent on with `HX-Redirect`, the
//! customer named as the phone is typed, tag numbers suggested with today's price, and
//! today's price in the product list and the search box's suggestions.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};
use serde_json::json;

use super::PageClient;
use crate::helpers::TestApp;
use crate::sales::shop;

/// A ring (22K, ₹39,222.40 today with GST), a second ring, one sold out, a silver piece
/// whose metal has no rate today, and Rina Sinha on 98310 00001.
async fn counter(app: &TestApp) -> PageClient {
    let shop = shop(app).await;
    // 5.000 g of 22K at ₹6,800 = ₹34,000; making 12% = ₹4,080; GST 3% on ₹38,080 is
    // ₹1,142.40; ₹39,222.40 in all.
    for (sku, name, stock, huid) in [
        ("RG-2201", "Lotus ring", 1, "HU22R1"),
        ("RG-2202", "Leaf ring", 2, "HU22R2"),
        ("RG-2209", "Sold ring", 0, "HU22R9"),
    ] {
        shop.product(json!({
            "sku": sku, "name": name, "metal": "GOLD", "purity": "22K",
            "gross_weight_mg": 5_000, "stone_weight_mg": 0, "making_charge": {"percent_bp": 1200},
            "huid": huid, "stock_qty": stock,
        }))
        .await;
    }
    shop.product(json!({
        "sku": "SV-1", "name": "Silver anklet", "metal": "SILVER", "purity": "925",
        "gross_weight_mg": 40_000, "stone_weight_mg": 0, "making_charge": {"flat_paise": 0},
        "stock_qty": 1,
    }))
    .await;
    shop.customer("9831000001", json!({"name": "Rina Sinha"}))
        .await;
    PageClient::sign_in(app, "owner").await
}

/// A press of one of the form's buttons as htmx sends it.
async fn press(pages: &PageClient, fields: &[(&str, &str)]) -> Response {
    let mut all = vec![("_csrf", pages.csrf.as_str())];
    all.extend_from_slice(fields);
    let mut headers = HeaderMap::new();
    headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    headers.insert("hx-request", HeaderValue::from_static("true"));
    pages.post_raw("/sales/new", &all, headers).await
}

/// The first floor the admin's floor choice offers (after "Choose a floor").
fn floor_of(html: &str) -> String {
    let select = &html[html.find(r#"name="floor_id""#).expect("a floor choice")..];
    let option = select
        .split(r#"<option value=""#)
        .nth(2)
        .expect("a floor to choose");
    option[..option.find('"').expect("quote")].to_owned()
}

#[tokio::test]
async fn each_press_redraws_the_form_in_place_and_drawing_up_goes_on_to_the_sale() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (_, page) = pages.get("/sales/new").await;
    let floor = floor_of(&page);
    assert!(page.contains(r#"hx-post="/sales/new""#) && page.contains(r#"hx-sync="this:drop""#));
    let before = app.changes().len();

    // Another payment: the form alone, with what was typed, the focus on the new row.
    let response = press(
        &pages,
        &[
            ("customer_phone", "98310 00001"),
            ("line-0-sku", "RG-2201"),
            ("pay-0-amount", "20000"),
            ("action", "add-payment"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let form = response.text().await.expect("html");
    assert!(form.starts_with("<form"), "the form alone: {}", &form[..80]);
    assert!(!form.contains("<html") && !form.contains("main-nav"));
    assert!(form.contains(r#"name="pay-1-amount""#));
    assert!(form.contains(r#"data-focus="field-pay-1-method""#));
    assert!(form.contains(r#"name="line-0-sku" value="RG-2201""#));
    assert!(form.contains(r#"value="20000""#));
    assert!(
        form.contains("Rina Sinha") && form.contains(r#"id="customer-name""#),
        "the customer stays named"
    );

    // A piece taken out: the rows after it move up, the focus goes to "Add another piece".
    let response = press(
        &pages,
        &[
            ("customer_phone", "98310 00001"),
            ("line-0-sku", "RG-2201"),
            ("line-1-sku", "RG-2202"),
            ("line-1-qty", "2"),
            ("action", "remove-line-0"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let form = response.text().await.expect("html");
    assert!(form.contains(r#"name="line-0-sku" value="RG-2202""#));
    assert!(form.contains(r#"name="line-0-qty" value="2""#));
    assert!(!form.contains(r#"name="line-1-sku""#) && !form.contains("RG-2201"));
    assert!(form.contains(r#"data-focus="add-line""#));

    // Worked out: the bill in the form, the amount payable beside the buttons.
    let bill = [
        ("customer_phone", "98310 00001"),
        ("floor_id", floor.as_str()),
        ("line-0-sku", "RG-2201"),
        ("pay-0-method", "CASH"),
        ("pay-0-amount", "39,222"),
    ];
    let mut quote = bill.to_vec();
    quote.push(("action", "quote"));
    let response = press(&pages, &quote).await;
    assert_eq!(response.status(), StatusCode::OK);
    let form = response.text().await.expect("html");
    assert!(form.starts_with("<form"));
    assert!(form.contains(r#"id="quote""#) && form.contains(r#"data-focus="quote-view""#));
    assert!(
        form.contains(r#"id="bar-payable">₹39,222.00<"#),
        "payable beside the buttons"
    );
    assert_eq!(app.changes().len(), before, "nothing stored so far");

    // A mistake comes back in place (422), with what was typed and the focus on it.
    let mut wrong = bill.to_vec();
    wrong[2] = ("line-0-sku", "NOPE-1");
    wrong.push(("action", "create"));
    let response = press(&pages, &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = response.text().await.expect("html");
    assert!(form.starts_with("<form") && form.contains(r#"id="error-line-0-sku""#));
    assert!(
        form.contains(r#"value="NOPE-1""#) && form.contains(r#"data-focus="field-line-0-sku""#)
    );
    assert_eq!(app.changes().len(), before, "nothing stored");

    // Drawn up: no page in the answer, only where to go.
    let mut create = bill.to_vec();
    create.push(("action", "create"));
    let response = press(&pages, &create).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let to = response.headers()["hx-redirect"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        to.starts_with("/sales/") && to.ends_with("?done=created"),
        "{to}"
    );
    let (status, sale) = pages.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(sale.contains("Pending") && sale.contains("₹39,222.40"));

    // Without script the same buttons post the whole page.
    let response = pages
        .post_form(
            "/sales/new",
            &[
                ("line-0-sku", "RG-2202"),
                ("gold-0-weight", "2"),
                ("action", "add-gold"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("html");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("main-nav"));
    assert!(page.contains(r#"name="gold-1-weight""#));
}

#[tokio::test]
async fn the_phone_typed_names_the_customer_or_offers_to_add_one() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (status, line) = pages
        .get("/sales/lookup/customer?customer_phone=98310+00001")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(line.contains(r#"id="customer-name""#), "{line}");
    assert!(
        line.contains("Rina Sinha") && line.contains("+91 98310 00001"),
        "{line}"
    );
    assert!(line.contains("C-"), "the customer's code: {line}");

    let (status, line) = pages
        .get("/sales/lookup/customer?customer_phone=9831099999")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(line.contains("No customer with this number"), "{line}");
    assert!(
        line.contains(r#"href="/customers/new?phone=9831099999""#),
        "{line}"
    );
    let (status, form) = pages.get("/customers/new?phone=9831099999").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(r#"name="phone" value="9831099999""#),
        "prefilled"
    );

    // A removed customer is nobody's number at the counter.
    let api = app.admin().await;
    let gone = api
        .create(
            "/api/customers",
            &json!({"name": "Tapas Roy", "phone": "9831000077"}),
        )
        .await;
    let removed = api
        .delete(&format!(
            "/api/customers/{}",
            gone["id"].as_str().expect("id")
        ))
        .await;
    assert!(removed.status().is_success());
    let (_, line) = pages
        .get("/sales/lookup/customer?customer_phone=9831000077")
        .await;
    assert!(
        line.contains("No customer with this number") && !line.contains("Tapas Roy"),
        "{line}"
    );

    // Still typing: nothing to say yet. Not a number at all: why, with a 422.
    for partial in ["", "98310", "+91%2098"] {
        let (status, line) = pages
            .get(&format!("/sales/lookup/customer?customer_phone={partial}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{partial}");
        assert!(line.trim().is_empty(), "{partial}: {line}");
    }
    let (status, line) = pages
        .get("/sales/lookup/customer?customer_phone=9831x00001")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(line.contains("contains 'x'"), "{line}");
}

#[tokio::test]
async fn tag_numbers_suggest_pieces_in_stock_with_todays_price() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (status, options) = pages.get("/sales/lookup/tags?q=rg-22").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        options.contains(
            r#"<option value="RG-2201">RG-2201 · Lotus ring · 5.000 g · ₹39,222.40</option>"#
        ),
        "{options}"
    );
    assert!(options.contains(r#"value="RG-2202""#), "{options}");
    assert!(
        !options.contains("RG-2209"),
        "a sold-out piece is not offered"
    );
    // htmx sends the row's own field; the metal without a rate says so.
    let (_, options) = pages.get("/sales/lookup/tags?line-3-sku=sv").await;
    assert!(
        options.contains("Silver anklet") && options.contains("rate not set"),
        "{options}"
    );
    let (status, options) = pages.get("/sales/lookup/tags?q=").await;
    assert_eq!(status, StatusCode::OK);
    assert!(options.trim().is_empty());
    let (status, options) = pages.get("/sales/lookup/tags?q=RG%20%E2%82%B9").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(options.trim().is_empty());
}

#[tokio::test]
async fn products_and_search_suggestions_show_todays_price_or_that_no_rate_is_set() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (status, table) = pages.get("/products?view=list&sort=sku").await;
    assert_eq!(status, StatusCode::OK);
    assert!(table.contains("Price today"));
    assert!(
        table.contains(r#"<td class="num nowrap price-today">₹39,222.40</td>"#),
        "{table}"
    );
    assert!(table.contains(r#"<td class="num nowrap price-today">rate not set</td>"#));
    let (_, grid) = pages.get("/products").await;
    assert!(grid.contains("₹39,222.40") && grid.contains("rate not set"));

    // The search box's product hits, once the index has the pieces.
    let target = *app.crm().db().subscribe().borrow();
    let mut applied = app.crm().search_index().expect("index").subscribe();
    tokio::time::timeout(
        Duration::from_secs(10),
        applied.wait_for(|seq| *seq >= target),
    )
    .await
    .expect("index catches up")
    .expect("index running");
    let (_, found) = pages.get("/search/suggest?q=lotus").await;
    assert!(
        found.contains("Lotus ring") && found.contains("₹39,222.40"),
        "{found}"
    );
    let (_, found) = pages.get("/search/suggest?q=anklet").await;
    assert!(
        found.contains("Silver anklet") && found.contains("rate not set"),
        "{found}"
    );
}
