//! The owner's analytics pages in a browser at a phone's, an upright tablet's and a
//! laptop's size: the sales page (filters, totals, chart, table, forecast) and the
//! floors' funnel fit the width without scrolling sideways, and are photographed for a
//! person to look at (`target/screenshots/reports-sales-…`, `reports-floors-…`).

use sarkar_crm::domain::UserRole;

use super::flows::{photograph, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::TestApp;
use crate::sales_analytics::demo_dir;

#[tokio::test]
async fn the_analytics_pages_fit_a_phone_a_tablet_and_a_laptop() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", "/reports/sales").await;
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let size = format!("{}x{}", viewport.width, viewport.height);
        browser
            .goto("/reports/sales?from=2025-12-01&to=2026-11-30&group_by=month")
            .await;
        browser.wait_for("#analytics-table").await;
        browser.wait_for("#forecast").await;
        photograph(&browser, &format!("reports-sales-{size}"), viewport).await;
        assert!(
            !browser.has_horizontal_scroll().await,
            "/reports/sales at {size}"
        );
        browser
            .goto("/reports/sales?from=2024-12-01&to=2026-11-30&group_by=floor")
            .await;
        browser.wait_for("#analytics-figure").await;
        photograph(
            &browser,
            &format!("reports-sales-by-floor-{size}"),
            viewport,
        )
        .await;
        browser
            .goto("/reports/floors?from=2024-12-01&to=2026-11-30")
            .await;
        browser.wait_for("#funnel-all").await;
        photograph(&browser, &format!("reports-floors-{size}"), viewport).await;
        assert!(
            !browser.has_horizontal_scroll().await,
            "/reports/floors at {size}"
        );
    }
    browser.assert_no_console_errors().await;
    browser.close().await;
}
