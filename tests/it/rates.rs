//! The day's metal rates: the admin sets them (API and page), everyone sees the board
//! on every page, history is kept, and pieces are priced from the rate in force.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::pages::{PageClient, location};
use sarkar_crm::domain::UserRole;

fn board_rate(board: &Value, purity: &str) -> Option<i64> {
    board["items"]
        .as_array()
        .expect("board")
        .iter()
        .find(|line| line["purity"] == purity)
        .and_then(|line| line["rate"]["per_gram_paise"].as_i64())
}

#[tokio::test]
async fn the_admin_sets_rates_and_the_newest_is_in_force() {
    let app = TestApp::spawn().await;
    let api = app.admin().await;
    let board: Value = api.get("/api/rates").await.json().await.expect("json");
    assert_eq!(board["items"].as_array().expect("board").len(), 7);
    assert_eq!(board_rate(&board, "22K"), None, "nothing set yet");

    for paise in [6_650_00, 6_700_00] {
        let set = api
            .post(
                "/api/rates",
                &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": paise}),
            )
            .await;
        assert_eq!(set.status(), StatusCode::CREATED);
    }
    let board: Value = api.get("/api/rates").await.json().await.expect("json");
    assert_eq!(board_rate(&board, "22K"), Some(6_700_00));

    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/rates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("₹6,700.00") && html.contains("₹6,650.00"),
        "board and history"
    );
}

#[tokio::test]
async fn bad_rates_and_floor_managers_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    app.add_user("ananya", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    let api = app.admin().await;
    let before = app.crm().last_change().expect("seq");
    for (body, field) in [
        (
            json!({"metal": "GOLD", "purity": "20K", "per_gram_paise": 6_000_00}),
            "purity",
        ),
        (
            json!({"metal": "SILVER", "purity": "22K", "per_gram_paise": 90_00}),
            "purity",
        ),
        (
            json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 0}),
            "per_gram_paise",
        ),
    ] {
        let response = api.post("/api/rates", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let problem: Value = response.json().await.expect("problem");
        assert!(problem["errors"][field].is_string(), "{problem}");
    }
    let manager = app.login("ananya").await;
    let refused = manager
        .post(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_000_00}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Signing in writes a session; nothing else may have been written.
    let sessions = app
        .changes()
        .into_iter()
        .filter(|c| c.seq > before)
        .all(|c| c.kind == sarkar_crm::store::EntityKind::Session);
    assert!(sessions, "only the sign-in was written");

    // The morning form: one bad line refuses the lot, and says which.
    let pages = PageClient::sign_in(&app, "owner").await;
    let bad = pages
        .post_form(
            "/rates",
            &[("rate-GOLD-916", "6,800"), ("rate-SILVER-925", "ninety")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(html.contains(r#"id="error-rate-SILVER-925""#) && html.contains(r#"value="6,800""#));
    let board: Value = api.get("/api/rates").await.json().await.expect("json");
    assert_eq!(board_rate(&board, "22K"), None);
    let saved = pages
        .post_form(
            "/rates",
            &[("rate-GOLD-916", "6,800"), ("rate-SILVER-925", "92.50")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/rates?done=saved");
    let board: Value = api.get("/api/rates").await.json().await.expect("json");
    assert_eq!(board_rate(&board, "22K"), Some(6_800_00));
    assert_eq!(board_rate(&board, "925"), Some(92_50));

    // Every page shows the board, for every role.
    let floor_pages = PageClient::sign_in(&app, "ananya").await;
    for path in ["/", "/customers", "/products", "/rates"] {
        let (_, html) = floor_pages.get(path).await;
        assert!(
            html.contains(r#"id="rate-strip""#) && html.contains("₹6,800.00"),
            "{path}"
        );
    }
    let (_, rates_page) = floor_pages.get("/rates").await;
    assert!(
        !rates_page.contains(r#"id="rates-form""#),
        "only the admin sets rates"
    );
}

#[tokio::test]
async fn a_piece_is_priced_from_the_rate_in_force() {
    let app = TestApp::spawn().await;
    let api = app.admin().await;
    let floor: Value = api
        .post("/api/floors", &json!({"name": "Ground Floor", "level": 0}))
        .await
        .json()
        .await
        .expect("floor");
    let product: Value = api
        .post(
            "/api/products",
            &json!({
                "sku": "GB-7", "name": "Plain bangle", "metal": "GOLD", "purity": "22K",
                "gross_weight_mg": 20_500, "stone_weight_mg": 500,
                "making_charge": {"per_gram_paise": 450_00}, "stone_value_paise": 2_000_00,
                "huid": "AB12C3", "stock_qty": 1, "floor_id": floor["id"],
            }),
        )
        .await
        .json()
        .await
        .expect("product");
    let path = format!("/products/{}", product["id"].as_str().expect("id"));
    let pages = PageClient::sign_in(&app, "owner").await;
    let (_, before) = pages.get(&path).await;
    assert!(before.contains("has no price yet"), "no rate, no price");

    let set = api
        .post(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_800_00}),
        )
        .await;
    assert_eq!(set.status(), StatusCode::CREATED);
    // 20 g net × ₹6,800 = ₹1,36,000 + making ₹9,000 + stones ₹2,000 = ₹1,47,000; GST 3% ₹4,410.
    let (_, after) = pages.get(&path).await;
    assert!(
        after.contains(r#"<strong class="product-price" id="price-total">₹1,51,410.00</strong>"#),
        "{after}"
    );
    assert!(after.contains("₹1,36,000.00") && after.contains("₹4,410.00"));
}

/// A bill that needs a rate nobody has set tells the owner to set it, and a Floor
/// Manager (who may not) to ask the owner; for a piece and for old gold alike.
#[tokio::test]
async fn a_missing_rate_is_explained_to_each_role() {
    let app = TestApp::spawn().await;
    let shop = crate::sales::shop(&app).await;
    shop.customer("9831000021", json!({})).await;
    let mut piece = crate::helpers::product("FT-14", &shop.floor);
    piece["purity"] = json!("14K");
    shop.product(piece).await;
    app.add_user("ananya", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    let manager = app.login("ananya").await;
    let body = json!({"customer_phone": "9831000021", "floor_id": shop.floor,
        "lines": [{"sku": "FT-14"}],
        "payments": [{"method": "OLD_GOLD", "old_gold": {"weight_mg": 4_000, "purity": "14K", "deduction_bp": 200}}]});
    let mut for_manager = body.clone();
    if let Some(b) = for_manager.as_object_mut() {
        b.remove("floor_id");
    }
    let before = app.changes().len();
    for (who, client, body, advice) in [
        ("owner", &shop.api, &body, "set it on the rates page first"),
        (
            "manager",
            &manager,
            &for_manager,
            "ask the owner to set today's rates",
        ),
    ] {
        let refused = client.post("/api/sales/quote", body).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{who}");
        let problem: Value = refused.json().await.expect("json");
        let line = problem["errors"]["lines[0]"].as_str().unwrap_or_default();
        let old_gold = problem["errors"]["payments[0]"]
            .as_str()
            .unwrap_or_default();
        for message in [line, old_gold] {
            assert!(
                message.contains("14K") && message.contains(advice),
                "{who}: {problem}"
            );
        }
        if who == "manager" {
            assert!(!problem.to_string().contains("rates page"), "{problem}");
        }
    }
    assert_eq!(app.changes().len(), before, "nothing is stored");
}
