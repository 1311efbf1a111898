//! Pages that stay current, in three real browsers on one store: the owner's laptop,
//! the tablet of the Ground Floor's manager, who completes bills on it, and the phone of
//! the First Floor's manager. Each bill completed on the tablet shows, without a reload,
//! on the owner's dashboard, sales register and the customer's timeline in turn, while
//! the First Floor's phone is sent nothing of it; a bill's own page follows its
//! completion, title and buttons too. A region with a form being typed in is held
//! back, and an edit form whose customer changes
//! elsewhere says so instead of losing what is typed. The updated pages are
//! photographed on a phone, upright and on its side.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::flows::{photograph, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::{Client, TestApp, paid_bill};
use sarkar_crm::domain::UserRole;

/// Installed on a page once it is drawn: a mark a reload would wipe, and counts of the
/// sale events that reached it and of the regions htmx swapped.
const WATCH: &str = "window.__kept = 'not reloaded';
    window.__sales = 0;
    window.__swaps = 0;
    window.sarkarEvents.addEventListener('sale', function () { window.__sales += 1; });
    document.body.addEventListener('htmx:afterSwap', function () { window.__swaps += 1; });";

struct Store {
    api: Client,
    floor: String,
    customer: String,
    product: String,
}

async fn seed(app: &TestApp) -> Store {
    let api = app.admin().await;
    let floor = crate::helpers::floor(&api, "Ground Floor — Gold", 0).await;
    crate::helpers::floor(&api, "First Floor — Silver", 1).await;
    let rate = api
        .post(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_800_00}),
        )
        .await;
    assert_eq!(rate.status(), StatusCode::CREATED);
    let mut piece = crate::helpers::product("NK-2201", &floor);
    piece["stock_qty"] = json!(5);
    // Small enough that four bills paid in cash stay under the day's ₹2,00,000 limit.
    piece["gross_weight_mg"] = json!(5_000);
    let product = api.create("/api/products", &piece).await["id"]
        .as_str()
        .expect("product id")
        .to_owned();
    let customer = api
        .create(
            "/api/customers",
            &json!({"name": "Rina Sinha", "phone": "9831000001", "home_floor_id": floor}),
        )
        .await["id"]
        .as_str()
        .expect("customer id")
        .to_owned();
    for (user, floor) in [
        ("ananya", "Ground Floor — Gold"),
        ("bikram", "First Floor — Silver"),
    ] {
        app.add_user(user, UserRole::FloorManager, Some(floor), None)
            .await;
    }
    Store {
        api,
        floor,
        customer,
        product,
    }
}

/// Draws up a bill for the store's customer on the Ground Floor, pending.
async fn draw_up(store: &Store) -> String {
    paid_bill(
        &store.api,
        &store.customer,
        &store.floor,
        &store.product,
        false,
    )
    .await
}

/// Completes `sale` on the Ground Floor's tablet by its page's button, and answers its
/// invoice number.
async fn complete_on(tablet: &Browser, store: &Store, sale: &str) -> String {
    tablet.goto(&format!("/sales/{sale}")).await;
    tablet.click("#complete-sale").await;
    tablet.wait_for("#done-notice").await;
    let done: Value = store.api.get_json(&format!("/api/sales/{sale}")).await;
    done["invoice_no"]
        .as_str()
        .expect("an invoice number")
        .to_owned()
}

/// A bill drawn up and completed on the tablet; answers its invoice number.
async fn complete_on_tablet(store: &Store, tablet: &Browser) -> String {
    let sale = draw_up(store).await;
    complete_on(tablet, store, &sale).await
}

/// Opens `path` and starts watching it (see [`WATCH`]) once its stream is open.
async fn open_watched(browser: &Browser, path: &str) {
    browser.goto(path).await;
    browser.wait_for("main h1").await;
    browser
        .poll("the page's live events to connect", async || {
            let open = browser
                .execute("return window.sarkarEvents.readyState;", vec![])
                .await;
            (open == json!(1)).then_some(())
        })
        .await;
    browser.execute(WATCH, vec![]).await;
}

/// Checks that the page was not reloaded, and answers how many sale events reached it.
async fn kept(browser: &Browser) -> u64 {
    let seen = browser
        .execute("return [window.__kept, window.__sales];", vec![])
        .await;
    assert_eq!(
        seen[0],
        json!("not reloaded"),
        "{} was reloaded",
        browser.current_url().await
    );
    seen[1].as_u64().expect("a count")
}

/// Photographs the page as it is now (no reload) at each size, checking that it does
/// not scroll sideways and logged no error.
async fn photograph_at_every_size(browser: &Browser, name: &str) {
    for (viewport, size) in [
        (PHONE, "360x740"),
        (TABLET_PORTRAIT, "800x1280"),
        (LANDSCAPE, "1280x800"),
    ] {
        browser.resize(viewport).await;
        photograph(browser, &format!("{name}-{size}"), viewport).await;
        assert!(
            !browser.has_horizontal_scroll().await,
            "{name} scrolls sideways at {size}"
        );
    }
    browser.assert_no_console_errors().await;
}

/// Waits long enough for a change to have reached a page if it were going to.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(1_500)).await;
}

#[tokio::test]
async fn a_sale_on_one_tablet_redraws_the_owner_s_pages_and_not_the_other_floor_s() {
    let app = TestApp::spawn().await;
    let store = seed(&app).await;
    let owner = Browser::open(&app, LANDSCAPE).await;
    let tablet = Browser::open(&app, TABLET_PORTRAIT).await;
    let phone = Browser::open(&app, PHONE).await;
    sign_in(&owner, "owner", "/").await;
    sign_in(&tablet, "ananya", "/").await;
    sign_in(&phone, "bikram", "/").await;

    // The dashboards: the owner's counts the bill; the First Floor's does not.
    open_watched(&owner, "/").await;
    open_watched(&phone, "/").await;
    assert_eq!(owner.text("#figure-bills-today").await, "0");
    let first = complete_on_tablet(&store, &tablet).await;
    owner.wait_for_text("#figure-bills-today", "1").await;
    assert!(kept(&owner).await > 0);
    settle().await;
    assert_eq!(kept(&phone).await, 0, "the First Floor was sent no sale");
    assert_eq!(phone.text("#figure-bills-today").await, "0");
    assert_eq!(phone.text("#figure-sold-today").await, "₹0.00");
    photograph_at_every_size(&owner, "live-dashboard").await;
    photograph(&phone, "live-dashboard-other-floor-360x740", PHONE).await;
    phone.assert_no_console_errors().await;

    // The sales registers.
    open_watched(&owner, "/sales").await;
    open_watched(&phone, "/sales").await;
    owner.wait_for_text("#sales", &first).await;
    let second = complete_on_tablet(&store, &tablet).await;
    owner.wait_for_text("#sales", &second).await;
    owner.wait_for_text("#total-bills", "2").await;
    assert!(kept(&owner).await > 0);
    settle().await;
    assert_eq!(kept(&phone).await, 0, "the First Floor was sent no sale");
    let swaps = phone.execute("return window.__swaps;", vec![]).await;
    assert_eq!(
        swaps,
        json!(0),
        "the First Floor's register was not redrawn"
    );
    assert!(
        !phone.exists("#sales").await,
        "the First Floor has no sales"
    );
    photograph_at_every_size(&owner, "live-sales-register").await;

    // The customer's page: the timeline and the purchases.
    let page = format!("/customers/{}", store.customer);
    open_watched(&owner, &page).await;
    let third = complete_on_tablet(&store, &tablet).await;
    owner
        .wait_for_text("#timeline", &format!("Sale {third}"))
        .await;
    owner.wait_for_text("#purchases", "3").await;
    assert!(kept(&owner).await > 0);
    // A form being typed in holds its region back: an outcome typed into an open
    // follow-up's Done form stays while another follow-up is added elsewhere, which the
    // timeline shows at once.
    let follow_up = |notes: &str| {
        json!({"customer_id": store.customer, "type": "PHONE_CALL",
            "due_at": "2030-01-15T05:30:00Z", "floor_id": store.floor, "notes": notes})
    };
    let call = store
        .api
        .create("/api/follow-ups", &follow_up("Call about the necklace"))
        .await["id"]
        .as_str()
        .expect("follow-up id")
        .to_owned();
    owner
        .wait_for_text("#follow-ups", "Call about the necklace")
        .await;
    let outcome = format!("#fu-{call}-outcome");
    owner.fill(&outcome, "Will come on Sunday").await;
    store
        .api
        .create("/api/follow-ups", &follow_up("Call about the earrings"))
        .await;
    owner
        .wait_for_text("#timeline", "Call about the earrings")
        .await;
    assert!(owner.exists("#follow-ups-live[data-live-held]").await);
    assert!(!owner.text("#follow-ups").await.contains("earrings"));
    let typed = owner
        .execute(
            "return document.querySelector(arguments[0]).value;",
            vec![json!(outcome)],
        )
        .await;
    assert_eq!(typed, json!("Will come on Sunday"));
    assert!(kept(&owner).await > 0);
    photograph_at_every_size(&owner, "live-customer").await;

    // A bill's own page, open on the laptop while the tablet completes it: its title
    // gains the invoice number and the buttons of a pending bill go.
    let sale = draw_up(&store).await;
    open_watched(&owner, &format!("/sales/{sale}")).await;
    assert!(owner.exists("#correct-sale").await);
    let fourth = complete_on(&tablet, &store, &sale).await;
    owner
        .wait_for_text("main h1", &format!("Invoice {fourth}"))
        .await;
    owner.wait_for_text("#sale-status", "Completed").await;
    assert!(
        !owner.exists("#correct-sale").await,
        "no correcting a completed bill"
    );
    assert!(kept(&owner).await > 0);
    photograph_at_every_size(&owner, "live-sale").await;

    // An edit form is never redrawn under the person typing: it says the customer
    // changed, and offers to reload.
    let edit = format!("/customers/{}/edit", store.customer);
    owner.goto(&edit).await;
    owner.fill("#field-notes", "Prefers temple designs").await;
    let changed = store
        .api
        .put(
            &format!("/api/customers/{}", store.customer),
            &json!({"name": "Rina Sinha", "phone": "9831000001", "home_floor_id": store.floor, "tags": ["wedding"]}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    owner
        .wait_for_text(
            "#customer-form .live-changed",
            "This customer was changed on another tablet",
        )
        .await;
    let typed = owner
        .execute(
            "return document.querySelector('#field-notes').value;",
            vec![],
        )
        .await;
    assert_eq!(typed, json!("Prefers temple designs"));
    photograph_at_every_size(&owner, "live-edit-notice").await;
    owner.click("#customer-form [data-live-reload]").await;
    owner.wait_for_path(&edit).await;
    owner
        .wait_for("#customer-form:not(:has(.live-changed))")
        .await;

    for browser in [owner, tablet, phone] {
        browser.close().await;
    }
}
