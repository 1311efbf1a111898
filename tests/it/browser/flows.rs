//! The web app in a real browser at tablet size: signing in, adding a customer after a
//! validation error, finding them from the search box, editing and removing them, the
//! lock screen, and a Floor Manager kept out of admin pages. Any console error fails.
//! Every page is photographed on a phone, upright and on its side for people to look at.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT, Viewport};
use crate::helpers::{PASSWORD, TestApp};
use sarkar_crm::domain::UserRole;

/// Signs in through the form the way staff do, arriving at `next`.
pub(super) async fn sign_in(browser: &Browser, username: &str, next: &str) {
    browser.goto(next).await;
    browser.wait_for("#login-form").await;
    assert_eq!(browser.current_path().await, "/login");
    browser.fill("#username", username).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("#login-form button[type=submit]").await;
    browser.wait_for("#main-nav").await;
    let path = next.split('?').next().unwrap_or(next);
    assert_eq!(browser.current_path().await, path);
}

/// The whole page, not just what fits on screen: the window is made as tall as the page
/// for the picture (the width, which decides the layout, stays).
pub(super) async fn photograph(browser: &Browser, name: &str, viewport: Viewport) {
    let height = browser
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .expect("page height");
    browser
        .resize(Viewport {
            width: viewport.width,
            height: height.clamp(viewport.height, 4000),
        })
        .await;
    browser.screenshot(name).await;
    browser.resize(viewport).await;
}

/// Opens `path`, checks that it drew without errors or sideways scrolling, and
/// photographs it.
pub(super) async fn look_at(browser: &Browser, path: &str, name: &str, viewport: Viewport) {
    browser.goto(path).await;
    browser.wait_for("main h1").await;
    // Photographed first, so that a page failing the checks below leaves its picture.
    photograph(browser, name, viewport).await;
    assert!(
        !browser.has_horizontal_scroll().await,
        "{path} scrolls sideways at {}×{}",
        viewport.width,
        viewport.height
    );
    browser.assert_no_console_errors().await;
}

/// Reads the console and allows only what the step was meant to log: the browser
/// reports a page answered with a 4xx status (a form sent back with its errors, a
/// refusal) as a failed load. Anything else fails the test.
pub(super) async fn expect_only_failed_loads(browser: &Browser, status: &str) {
    let errors = browser.console_errors().await;
    assert!(!errors.is_empty(), "the {status} answer was logged");
    assert!(
        errors
            .iter()
            .all(|e| e.source == "network" && e.message.contains(&format!("status of {status}"))),
        "{errors:#?}"
    );
}

async fn seed(app: &TestApp) -> (String, String) {
    let api = app.admin().await;
    let floor: Value = api
        .post(
            "/api/floors",
            &json!({"name": "Ground Floor — Gold", "level": 0}),
        )
        .await
        .json()
        .await
        .expect("floor");
    let floor_id = floor["id"].as_str().expect("floor id").to_owned();
    let category: Value = api
        .post("/api/categories", &json!({"name": "Bangles"}))
        .await
        .json()
        .await
        .expect("category");
    let product = api
        .post(
            "/api/products",
            &json!({
                "sku": "GB-1001", "name": "Kolkata filigree bangle", "metal": "GOLD", "purity": "22K",
                "gross_weight_mg": 18_450, "stone_weight_mg": 0, "making_charge": {"per_gram_paise": 450_00},
                "huid": "AB12C3", "stock_qty": 1, "floor_id": floor_id, "category_id": category["id"],
            }),
        )
        .await;
    assert_eq!(product.status(), StatusCode::CREATED);
    let product: Value = product.json().await.expect("product");
    for (name, phone) in [("Rina Sinha", "9831000001"), ("Amit Paul", "9831000002")] {
        let response = api
            .post(
                "/api/customers",
                &json!({"name": name, "phone": phone, "home_floor_id": floor_id}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    for (metal, purity, paise) in [
        ("GOLD", "24K", 7_420_00),
        ("GOLD", "22K", 6_800_00),
        ("GOLD", "18K", 5_565_00),
        ("SILVER", "925", 92_50),
    ] {
        let rate = api
            .post(
                "/api/rates",
                &json!({"metal": metal, "purity": purity, "per_gram_paise": paise}),
            )
            .await;
        assert_eq!(rate.status(), StatusCode::CREATED);
    }
    app.add_user(
        "ananya",
        UserRole::FloorManager,
        Some("Ground Floor — Gold"),
        None,
    )
    .await;
    (
        floor_id,
        product["id"].as_str().expect("product id").to_owned(),
    )
}

#[tokio::test]
async fn staff_add_find_edit_and_remove_a_customer_on_a_tablet() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    browser.goto("/customers/new").await;
    browser.wait_for("#login-form").await;
    photograph(&browser, "login-800x1280", TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", "/customers/new").await;

    // A mistake first: the message sits by the field and what was typed stays.
    browser.fill("#field-name", "Subhajit Banerjee").await;
    browser.fill("#field-phone", "98300").await;
    browser.fill("#field-address-city", "Kolkata").await;
    browser.click("#customer-form button[type=submit]").await;
    let error = browser.text("#error-phone").await;
    assert!(!error.is_empty(), "a message for the phone");
    let kept = browser
        .execute("return [document.querySelector('#field-name').value, document.querySelector('#field-address-city').value];", vec![])
        .await;
    assert_eq!(kept, json!(["Subhajit Banerjee", "Kolkata"]));
    photograph(&browser, "customer-form-error-800x1280", TABLET_PORTRAIT).await;
    expect_only_failed_loads(&browser, "422").await;

    browser.fill("#field-phone", "98300 12345").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_for("#done-notice").await;
    assert_eq!(browser.text("main h1").await, "Subhajit Banerjee");
    let customer_path = browser.current_path().await;
    browser.assert_no_console_errors().await;

    // Found from the search box on any page, misspelt.
    browser.goto("/").await;
    browser.fill("#global-search", "Subhojit Banerji").await;
    let suggestion = "#search-suggestions a.suggestion[href='".to_owned() + &customer_path + "']";
    browser.click(&suggestion).await;
    browser.wait_for_path(&customer_path).await;

    // Edited.
    browser.click("#edit-customer").await;
    browser.wait_for("#customer-form").await;
    browser.fill("#field-name", "Subhajit Banerjee Roy").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_for("#done-notice").await;
    assert_eq!(browser.text("main h1").await, "Subhajit Banerjee Roy");

    // Removed, after confirming.
    browser.click("#delete-customer").await;
    browser.click("#delete-dialog-confirm").await;
    // The edit's notice is still on the page until the list replaces it, so wait for
    // the list's address rather than for a notice.
    browser.wait_for_path("/customers").await;
    browser.wait_for("#done-notice").await;
    let list = browser.text("#results").await;
    assert!(
        !list.contains("Subhajit Banerjee Roy") && list.contains("Rina Sinha"),
        "{list}"
    );

    // The lock screen keeps the page; the same password opens it.
    browser.goto("/customers/new").await;
    browser.fill("#field-name", "Half typed").await;
    browser.execute("window.sarkarLockNow();", vec![]).await;
    browser.wait_for("#lock-screen[open]").await;
    photograph(&browser, "lock-screen-800x1280", TABLET_PORTRAIT).await;
    let status = app.anonymous().get("/healthz").await.status();
    assert_eq!(status, StatusCode::OK);
    browser.fill("#unlock-password", "not my password").await;
    browser.click("#unlock-form button[type=submit]").await;
    browser.wait_for("#unlock-error:not([hidden])").await;
    expect_only_failed_loads(&browser, "422").await;
    browser.fill("#unlock-password", PASSWORD).await;
    browser.click("#unlock-form button[type=submit]").await;
    browser.wait_for("#lock-screen:not([open])").await;
    let kept = browser
        .execute(
            "return document.querySelector('#field-name').value;",
            vec![],
        )
        .await;
    assert_eq!(kept, json!("Half typed"));
    browser.assert_no_console_errors().await;
    browser.close().await;
}

#[tokio::test]
async fn every_page_draws_cleanly_upright_and_on_its_side() {
    let app = TestApp::spawn().await;
    let (_, product_id) = seed(&app).await;
    let api = app.admin().await;
    let listed: Value = api
        .get("/api/customers?sort=-name") // listed, not searched: the index lags writes a moment
        .await
        .json()
        .await
        .expect("json");
    let customer_id = listed["items"][0]["id"].as_str().expect("id").to_owned();
    let pages = [
        ("/", "dashboard"),
        ("/customers", "customers"),
        ("/customers/new", "customer-new"),
        (&*format!("/customers/{customer_id}"), "customer"),
        (&*format!("/customers/{customer_id}/edit"), "customer-edit"),
        ("/products", "products"),
        ("/products?view=list", "products-list"),
        ("/products/new", "product-new"),
        (&*format!("/products/{product_id}"), "product"),
        (&*format!("/products/{product_id}/edit"), "product-edit"),
        ("/categories", "categories"),
        ("/floors", "floors"),
        ("/team", "team"),
        ("/profile", "profile"),
        ("/settings", "settings"),
        ("/settings/api-keys", "api-keys"),
        ("/settings/audit", "audit"),
        ("/backups", "backups-not-set-up"),
        ("/rates", "rates"),
        ("/my-day", "my-day"),
        ("/pipeline", "pipeline"),
        ("/walk-ins/new", "walk-in"),
    ]
    .map(|(path, name)| (path.to_owned(), name));
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", "/").await;
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        for (path, name) in &pages {
            let shot = format!("{name}-{}x{}", viewport.width, viewport.height);
            look_at(&browser, path, &shot, viewport).await;
        }
    }
    browser.close().await;
}

#[tokio::test]
async fn a_floor_manager_is_not_offered_admin_pages_and_reads_floors_and_categories_only() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "ananya", "/").await;
    let nav = browser.text("#main-nav").await;
    assert!(
        nav.contains("Customers") && nav.contains("Products"),
        "{nav}"
    );
    for admin in ["Team", "Floors", "Categories", "Settings"] {
        assert!(!nav.contains(admin), "{admin} offered: {nav}");
    }
    // The floors, the category tree and the store's details are theirs to read (they pick
    // floors and categories in the product form, as the API lets them), not to change.
    for (path, change) in [
        ("/floors", "#add-floor"),
        ("/categories", "#add-category"),
        ("/settings", "#settings-form"),
    ] {
        browser.goto(path).await;
        assert_ne!(browser.text("h1").await, "Not allowed", "{path}");
        assert!(!browser.exists(change).await, "{path} offers {change}");
    }
    photograph(&browser, "floors-read-only-800x1280", TABLET_PORTRAIT).await;
    for path in ["/team", "/backups"] {
        browser.goto(path).await;
        let heading = browser.text("h1").await;
        assert_eq!(heading, "Not allowed", "{path}");
    }
    photograph(&browser, "forbidden-800x1280", TABLET_PORTRAIT).await;
    expect_only_failed_loads(&browser, "403").await;
    browser.close().await;
}

#[tokio::test]
async fn an_admin_edits_a_floor_in_its_row() {
    let app = TestApp::spawn().await;
    let (floor_id, _) = seed(&app).await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", "/floors").await;
    let row = format!("#floor-{floor_id}");
    browser.click(&format!("{row} a.button")).await;
    let name = format!("{row}-name");
    browser.fill(&name, " ").await;
    browser.click(&format!("{row} button[type=submit]")).await;
    // The row comes back with its message (a 422 the page's htmx swaps in).
    browser.wait_for(&format!("{row}-name-error")).await;
    expect_only_failed_loads(&browser, "422").await;
    browser.fill(&name, "Ground Floor — Gold & Silver").await;
    browser.click(&format!("{row} button[type=submit]")).await;
    browser.wait_for(&format!("{row}:not(.editing)")).await;
    assert!(
        browser
            .text(&row)
            .await
            .contains("Ground Floor — Gold & Silver")
    );
    browser.assert_no_console_errors().await;
    browser.close().await;
}
