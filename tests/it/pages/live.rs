//! The live wiring of the pages over HTTP: every page connects to the event stream from
//! the change it was drawn at, the pages' live regions name what redraws them and whose
//! changes concern them, an edit form names the record it watches, the rate strip has
//! its own fragment, and the dashboard's bills of today are the viewer's floor's.
//! (That a change really redraws them in a browser is `browser::live`.)

use reqwest::StatusCode;
use serde_json::json;

use super::PageClient;
use crate::helpers::{TestApp, paid_bill};
use crate::sales::shop;
use sarkar_crm::domain::UserRole;

/// The opening tag of the element with the HTML id `id`.
fn tag_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end");
    &html[start..=end]
}

#[tokio::test]
async fn pages_connect_from_where_they_were_drawn_and_name_their_live_regions() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let product = shop
        .product(crate::helpers::product("NK-1", &shop.floor))
        .await;
    let customer = shop.customer("9831000001", json!({})).await;
    let sale = paid_bill(&shop.api, &customer, &shop.floor, &product, true).await;
    let pages = PageClient::sign_in(&app, "owner").await;

    let (status, home) = pages.get("/").await;
    assert_eq!(status, StatusCode::OK);
    let body = tag_of(&home, "dashboard-live");
    assert!(
        body.contains(r#"data-live="sale customer product floor""#),
        "{body}"
    );
    assert!(body.contains("sse:sale delay:400ms"), "{body}");
    assert!(body.contains("sse:resync"), "{body}");
    assert!(
        body.contains(r##"hx-select="#dashboard-live &gt; *""##),
        "{body}"
    );
    let published = app.crm().live_hub().published();
    let connect = format!(r#"hx-ext="sse" sse-connect="/api/events?after={published}""#);
    assert!(
        home.contains(&connect),
        "the body connects after change {published}"
    );
    assert!(published >= 1, "the sale was published");
    for script in ["/assets/vendor/htmx-ext-sse-2.2.4.", "/assets/live."] {
        let at = home
            .find(script)
            .unwrap_or_else(|| panic!("{script} in the head"));
        let url = &home[at..at + home[at..].find('"').expect("end of the address")];
        let (status, _) = pages.get(url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
    }
    // The page's own bills today: the admin's is the whole store's.
    assert!(home.contains(r#"id="figure-bills-today">1<"#), "{home}");

    let (_, register) = pages.get("/sales").await;
    assert!(tag_of(&register, "sales-live").contains(r#"data-live="sale""#));
    let (_, list) = pages.get("/customers").await;
    assert!(tag_of(&list, "customers-live").contains(r#"data-live="customer""#));
    let (_, products) = pages.get("/products").await;
    assert!(tag_of(&products, "products-live").contains("sse:rate"));
    for path in ["/my-day", "/pipeline", "/reports/opening"] {
        let (status, html) = pages.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains(r#"class="live-region""#),
            "{path} has a live region"
        );
    }

    // A customer's page redraws its parts for that customer's changes only.
    let (_, page) = pages.get(&format!("/customers/{customer}")).await;
    for id in ["customer-live", "follow-ups-live", "timeline-live"] {
        let tag = tag_of(&page, id);
        assert!(
            tag.contains(&format!(r#"data-live-about="{customer}""#)),
            "{tag}"
        );
    }
    assert!(
        tag_of(&page, "timeline-live")
            .contains(&format!(r#"hx-get="/customers/{customer}/timeline?shown="#)),
        "the timeline redraws from its fragment"
    );
    // A sale's page, with its title and buttons.
    let (_, bill) = pages.get(&format!("/sales/{sale}")).await;
    let tag = tag_of(&bill, "sale-live");
    assert!(
        tag.contains(&format!(r#"data-live-about="{sale}""#)),
        "{tag}"
    );
    assert!(tag.contains(r##"hx-select-oob="#page-head""##), "{tag}");
    assert!(bill.contains(r#"id="page-head""#));
    // A product's page.
    let (_, piece) = pages.get(&format!("/products/{product}")).await;
    assert!(tag_of(&piece, "product-live").contains(&format!(r#"data-live-about="{product}""#)));

    // An edit form watches its record; a new one has none to watch.
    let (_, edit) = pages.get(&format!("/customers/{customer}/edit")).await;
    let form = tag_of(&edit, "customer-form");
    assert!(
        form.contains(&format!(r#"data-live-record="{customer}""#)),
        "{form}"
    );
    assert!(form.contains(r#"data-live-kind="customer""#), "{form}");
    assert!(
        form.contains(&format!(r#"data-live-edit="/customers/{customer}/edit""#)),
        "{form}"
    );
    let (_, edit) = pages.get(&format!("/products/{product}/edit")).await;
    assert!(tag_of(&edit, "product-form").contains(r#"data-live-kind="product""#));
    let (_, new) = pages.get("/customers/new").await;
    assert!(!tag_of(&new, "customer-form").contains("data-live-record"));

    // The rate strip fetches itself from its fragment, which draws the day's rates
    // even for htmx (whose pages leave the rates out).
    assert!(tag_of(&home, "rate-strip-live").contains(r#"hx-get="/rates/strip""#));
    let strip = pages
        .http
        .get(app.url("/rates/strip"))
        .header("hx-request", "true")
        .send()
        .await
        .expect("strip");
    assert_eq!(strip.status(), StatusCode::OK);
    let strip = strip.text().await.expect("body");
    assert!(strip.contains(r#"id="rate-strip-live""#), "{strip}");
    assert!(strip.contains("22K gold"), "{strip}");
}

#[tokio::test]
async fn a_floor_manager_s_dashboard_counts_only_their_floor_s_bills() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    app.add_user("ananya", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    app.add_user(
        "bikram",
        UserRole::FloorManager,
        Some("First Floor — Silver"),
        None,
    )
    .await;
    let product = shop
        .product(crate::helpers::product("NK-1", &shop.floor))
        .await;
    let customer = shop.customer("9831000001", json!({})).await;
    paid_bill(&shop.api, &customer, &shop.floor, &product, true).await;

    let (_, ground) = PageClient::sign_in(&app, "ananya").await.get("/").await;
    assert!(ground.contains(r#"id="figure-bills-today">1<"#), "{ground}");
    let (_, first) = PageClient::sign_in(&app, "bikram").await.get("/").await;
    assert!(first.contains(r#"id="figure-bills-today">0<"#), "{first}");
    assert!(
        first.contains(r#"id="figure-sold-today" title="₹0.00">₹0.00<"#),
        "{first}"
    );
}
