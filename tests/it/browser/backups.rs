//! The Backups page in a real browser: one destination up to date and one whose disk is
//! unplugged (red), drawn without sideways scrolling at tablet size and on a laptop,
//! and "Back up now" pressed by the owner. Any console error fails.

use std::path::Path;
use std::time::{Duration, Instant};

use sarkar_crm::config::Config;
use sarkar_crm::domain::UserRole;

use super::flows::{look_at, sign_in};
use super::{Browser, LANDSCAPE, TABLET_PORTRAIT};
use crate::backup::{config_from, folder_backups};
use crate::helpers::TestApp;

/// Only a server that never backs up waits this long; reaching it fails the test.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Backups to the folder `usb` (there) and `nas` (missing, as an unplugged disk).
fn config(dir: &Path) -> Config {
    let usb = dir.join("usb");
    std::fs::create_dir(&usb).expect("mkdir");
    let nas = dir.join("nas");
    config_from(dir, &folder_backups("", &[("usb", &usb), ("nas", &nas)]))
}

#[tokio::test]
async fn the_owner_sees_which_backup_is_behind_and_backs_up_now() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::start_with(config(dir.path()), &dir.path().join("data")).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let started = Instant::now();
    while !api.get_json("/api/backups").await["destinations"]
        .as_array()
        .expect("destinations")
        .iter()
        .all(|d| !d["last_attempt"].is_null())
    {
        assert!(started.elapsed() < HANG_GUARD, "the first backup never ran");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", "/backups").await;
    for viewport in [TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let shot = format!("backups-{}x{}", viewport.width, viewport.height);
        look_at(&browser, "/backups", &shot, viewport).await;
    }
    let warning = browser.text("#backup-overdue").await;
    assert!(warning.contains("nas"), "{warning}");
    assert!(!warning.contains("usb"), "usb is up to date: {warning}");
    let usb = browser.text("#destination-usb").await;
    assert!(usb.contains("Up to date"), "{usb}");
    let nas = browser.text("#destination-nas").await;
    assert!(
        nas.contains("Overdue") && nas.contains("does not exist"),
        "{nas}"
    );

    browser.click("#backup-now").await;
    browser.wait_for("#done-notice").await;
    assert_eq!(browser.current_path().await, "/backups");
    browser.assert_no_console_errors().await;

    browser.goto("/").await;
    let notice = browser.wait_for("#backups-notice").await;
    let text = notice.text().await.expect("text");
    assert!(text.contains("Backups have fallen behind."), "{text}");
    browser.close().await;
}
