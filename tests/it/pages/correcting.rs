//! Correcting a pending bill from its page: the counter's rules shown on the bill drawn
//! up and when the correction is worked out, the form filled from the bill, mistakes
//! answered on the form with nothing stored, the correction saved and listed on the
//! sale's page, and a completed bill no longer open to correction.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{PageClient, location};
use crate::helpers::{TestApp, expect_json};
use crate::sales::{fixed, shop};

#[tokio::test]
async fn a_bill_over_the_cash_limit_is_shown_its_rule_then_corrected_and_completed() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000401", json!({})).await;
    let first = shop.product(fixed("TS-P1", 1_45_000, 5)).await;
    shop.product(fixed("TS-P2", 77_000, 5)).await;
    // ₹1,49,350 kept in cash from the customer earlier today.
    let morning = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": first}],
                     "payments": [{"method": "CASH", "amount_paise": 1_49_350_00}]}),
        )
        .await;
    expect_json(shop.complete(&morning).await, StatusCode::OK).await;
    let pages = PageClient::sign_in(&app, "owner").await;

    // Drawn up with ₹79,310 in cash: it is drawn up, and its page says what to change.
    let bill = [
        ("customer_phone", "98310 00401"),
        ("floor_id", shop.floor.as_str()),
        ("line-0-sku", "ts-p2"),
        ("pay-0-method", "CASH"),
        ("pay-0-amount", "79,310"),
        ("action", "create"),
    ];
    let response = pages.post_form("/sales/new", &bill).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let base = location(&response)
        .trim_end_matches("?done=created")
        .to_owned();
    let id = base.trim_start_matches("/sales/").to_owned();
    let (_, html) = pages.get(&base).await;
    assert!(
        html.contains(r#"id="counter-rules""#) && html.contains(r#"data-rule="CASH_LIMIT""#),
        "the rule is shown on the bill drawn up"
    );
    assert!(html.contains("take at most ₹50,649.99 in cash"), "{html}");
    let edit = format!("{base}/edit");
    assert!(html.contains(&format!(r#"href="{edit}""#)) && html.contains("Correct the bill"));

    // The form comes filled from the bill.
    let (status, form) = pages.get(&edit).await;
    assert_eq!(status, StatusCode::OK);
    for filled in [
        r#"value="TS-P2""#,
        r#"value="79310""#,
        r#"value="+91 98310 00401""#,
        "Save the corrected bill",
    ] {
        assert!(form.contains(filled), "{filled} in the form");
    }
    assert!(form.contains(&format!(r#"action="{edit}""#)));

    // Worked out as it stands: the rule shows beside the bill; nothing is stored.
    let before = app.changes().len();
    let mut as_is: Vec<(&str, &str)> = bill.to_vec();
    as_is.pop();
    as_is.push(("action", "quote"));
    let response = pages.post_form(&edit, &as_is).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains(r#"id="quote""#) && html.contains(r#"data-rule="CASH_LIMIT""#));

    // A tag that is not on sale is answered on its row, and nothing changes.
    let mut wrong = bill.to_vec();
    wrong[2] = ("line-0-sku", "NOPE-1");
    let response = pages.post_form(&edit, &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("No such piece on sale"), "{html}");
    assert_eq!(app.changes().len(), before, "nothing stored");

    // ₹310 off, 1 g of old 22K gold (₹6,800), ₹50,000 in cash and the rest by UPI:
    // ₹76,690 + GST ₹2,300.70 = ₹78,990.70, payable ₹78,991.
    let corrected = [
        ("customer_phone", "98310 00401"),
        ("floor_id", shop.floor.as_str()),
        ("line-0-sku", "TS-P2"),
        ("line-0-qty", "1"),
        ("bill_discount", "310"),
        ("pay-0-method", "CASH"),
        ("pay-0-amount", "50,000"),
        ("pay-1-method", "UPI"),
        ("pay-1-amount", "22,191"),
        ("pay-1-reference", "upi 77"),
        ("gold-0-weight", "1"),
        ("gold-0-purity", "22K"),
        ("gold-0-deduction", "0"),
        ("action", "quote"),
    ];
    let response = pages.post_form(&edit, &corrected).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains(r#"id="payable">₹78,991.00<"#) && html.contains("Paid in full."));
    assert!(!html.contains(r#"id="counter-rules""#), "every rule kept");
    let mut save = corrected.to_vec();
    save.pop();
    save.push(("action", "create"));
    let response = pages.post_form(&edit, &save).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{base}?done=corrected"));
    let (_, html) = pages.get(&location(&response)).await;
    assert!(html.contains("Bill corrected"));
    assert!(
        html.contains("Corrected by ") && html.contains("was ₹79,310.00, now"),
        "the corrections are listed"
    );
    assert!(!html.contains(r#"id="counter-rules""#));
    let sale: Value = shop.api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(sale["payable_paise"], 78_991_00);
    assert_eq!(sale["payments"].as_array().expect("payments").len(), 3);
    assert_eq!(sale["corrections"][0]["payable_before_paise"], 79_310_00);
    assert_eq!(sale["corrections"][0]["payable_after_paise"], 78_991_00);

    // Completed, the bill is no longer open to correction.
    let response = pages.post_form(&format!("{base}/complete"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = pages.get(&base).await;
    assert!(!html.contains(&format!(r#"href="{edit}""#)));
    let (status, html) = pages.get(&edit).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        html.contains("only a pending bill can be corrected"),
        "{html}"
    );
    let before = app.changes().len();
    let response = pages.post_form(&edit, &save).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(app.changes().len(), before, "nothing stored");
    // Pressed on a form drawn in place, the answer takes the form's place: the reason
    // and the way back, not a page inside the page.
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in [
        ("sec-fetch-site", "same-origin"),
        ("hx-request", "true"),
        ("x-csrf-token", pages.csrf.as_str()),
    ] {
        headers.insert(name, value.parse().expect("header"));
    }
    let mut fields = vec![("_csrf", pages.csrf.as_str())];
    fields.extend_from_slice(&save);
    let response = pages.post_raw(&edit, &fields, headers).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let fragment = response.text().await.expect("body");
    assert!(
        fragment.starts_with(r#"<div id="sale-form">"#)
            && fragment.contains("only a pending bill can be corrected")
            && !fragment.contains("<html"),
        "{fragment}"
    );
    assert_eq!(app.changes().len(), before, "nothing stored");
    assert_eq!(
        shop.api.get_json(&format!("/api/sales/{id}")).await["status"],
        "COMPLETED"
    );
}
