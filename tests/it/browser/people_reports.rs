//! The customer and product analytics on a phone, an upright tablet and a laptop: the
//! segment's call list with its phone and WhatsApp buttons, and the ageing stock, each
//! fitting the screen's width with no tap target under 44 px on the phone. Photographed
//! as `reports-customers-…` and `reports-products-…` for people to look at.

use super::flows::{look_at, sign_in};
use super::phones::check_fit;
use super::print::completed_sale;
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::TestApp;

#[tokio::test]
async fn the_customer_and_product_reports_fit_a_phone_a_tablet_and_a_laptop() {
    let app = TestApp::spawn().await;
    let sale = completed_sale(&app.admin().await).await;
    let customer = sale["customer_id"].as_str().expect("customer id");
    let browser = Browser::open(&app, LANDSCAPE).await;
    sign_in(&browser, "owner", "/reports/customers?segment=new").await;
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let size = format!("{}x{}", viewport.width, viewport.height);
        let path = "/reports/customers?segment=new";
        look_at(
            &browser,
            path,
            &format!("reports-customers-{size}"),
            viewport,
        )
        .await;
        check_fit(&browser, path, viewport).await;
        let listed = browser.text("#segment-members").await;
        assert!(listed.contains("WhatsApp"), "{listed}");
        assert!(
            browser
                .exists(&format!("#segment-members a[href='/customers/{customer}']"))
                .await
        );
        look_at(
            &browser,
            "/reports/products",
            &format!("reports-products-{size}"),
            viewport,
        )
        .await;
        check_fit(&browser, "/reports/products", viewport).await;
        assert!(browser.text("#ageing").await.contains("0–30 days"));
    }
    browser.close().await;
}
