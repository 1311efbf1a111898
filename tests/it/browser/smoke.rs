//! The harness itself: a browser opens the app's JSON endpoints, sizes its viewport, takes
//! screenshots, reads the console, and types and clicks in a page the test writes itself
//! (these tests depend on no HTML page of the app).

use serde_json::{Value, json};

use super::{Browser, LANDSCAPE, TABLET_PORTRAIT, Viewport};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_browser_opens_the_app_and_reads_its_console() {
    let app = TestApp::spawn().await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    assert_eq!(browser.viewport().await, TABLET_PORTRAIT);

    browser.goto("/healthz").await;
    assert_eq!(browser.current_path().await, "/healthz");
    let health: Value = serde_json::from_str(&browser.text("pre").await).expect("JSON");
    assert_eq!(health["status"], "ok");
    let shot = browser.screenshot("browser-smoke-healthz").await;
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is a PNG",
        shot.display()
    );

    browser.goto("/api/openapi.json").await;
    let doc: Value = serde_json::from_str(&browser.text("pre").await).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    browser.assert_no_console_errors().await;

    // What the page logs as an error is read once, and only once.
    browser
        .execute("console.error('smoke: ' + arguments[0]);", vec![json!("x")])
        .await;
    let errors = browser.console_errors().await;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("smoke: x"), "{errors:#?}");
    assert_eq!(errors[0].source, "console-api");
    assert!(browser.console_errors().await.is_empty());

    // An uncaught exception is an error too; a page loaded afresh has none. (The app's
    // Content-Security-Policy blocks inline scripts, itself a SEVERE entry; scripts run
    // through WebDriver are not inline scripts.) The second timer runs after the first.
    browser
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             setTimeout(() => { throw new Error('boom'); });
             setTimeout(done);",
            vec![],
        )
        .await
        .expect("the timers ran");
    let errors = browser.console_errors().await;
    assert!(
        errors.iter().any(|e| e.message.contains("boom")),
        "{errors:#?}"
    );
    browser.goto("/healthz").await;
    browser.assert_no_console_errors().await;

    browser.resize(LANDSCAPE).await;
    assert_eq!(browser.viewport().await, LANDSCAPE);
    browser.screenshot("browser-smoke-landscape").await;
    browser.close().await;
}

#[tokio::test]
async fn the_helpers_type_click_wait_and_measure() {
    let app = TestApp::spawn().await;
    let phone = Viewport {
        width: 400,
        height: 700,
    };
    let browser = Browser::open(&app, phone).await;
    assert_eq!(browser.viewport().await, phone);
    browser.goto("/healthz").await;
    browser
        .execute(
            r#"document.body.innerHTML = `
                <input id="name" value="old">
                <button id="go">Go</button>
                <p id="out"></p>
                <a id="docs" href="/api/openapi.json">API</a>`;
            document.getElementById('go').addEventListener('click', () => {
                document.getElementById('out').textContent =
                    'Hello, ' + document.getElementById('name').value;
            });
            document.title = 'Made here';
            setTimeout(() => {
                const late = document.createElement('p');
                late.id = 'late';
                late.textContent = 'here now';
                document.body.append(late);
            }, 300);"#,
            vec![],
        )
        .await;

    assert!(!browser.exists("#nothing-like-this").await);
    assert_eq!(browser.text("#late").await, "here now");
    browser.fill("#name", "Meera Sarkar").await;
    browser.click("#go").await;
    assert_eq!(browser.text("#out").await, "Hello, Meera Sarkar");
    assert_eq!(browser.current_path().await, "/healthz");

    assert!(!browser.has_horizontal_scroll().await);
    browser
        .execute("document.body.style.width = '2000px';", vec![])
        .await;
    assert!(browser.has_horizontal_scroll().await);
    browser.assert_no_console_errors().await;

    let title = browser.client().title().await.expect("title");
    assert_eq!(title, "Made here");
    browser.click("#docs").await;
    browser.wait_for_path("/api/openapi.json").await;
    browser.close().await;
}
