//! Browser tests: a headless Chromium, driven through chromedriver with fantoccini, opening
//! pages of a running [`TestApp`]. Each [`Browser`] has its own chromedriver, browser and
//! profile directory, all gone when it is dropped (on a panic too).
//!
//! Needs `chromium` and `chromedriver` on PATH (`apt-get install -y chromium chromium-driver`);
//! without them the tests fail, saying so. Screenshots go to `target/screenshots/`.

mod console;
mod driver;
mod view;

mod activity;
mod analytics;
mod backups;
mod flows;
mod gst_report;
mod imports;
mod live;
mod merging;
mod opening;
mod people_reports;
mod phones;
mod photos;
mod print;
mod selling;
mod smoke;

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::helpers::TestApp;
use driver::Driver;
pub use view::{LANDSCAPE, PHONE, TABLET_PORTRAIT, Viewport};

/// How long `wait_for` and the helpers built on it wait before failing the test.
pub const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// One headless Chromium session. Fields drop in order: the session, then chromedriver
/// (which quits the browser), then the profile directory.
pub struct Browser {
    client: Client,
    base: String,
    driver: Driver,
    _dir: TempDir,
}

impl Browser {
    /// A browser on `app`, with the page's viewport exactly `viewport`.
    pub async fn open(app: &TestApp, viewport: Viewport) -> Browser {
        Browser::start(&app.url(""), viewport).await
    }

    /// A browser whose relative paths resolve against `base` (e.g. `http://127.0.0.1:1234`).
    pub async fn start(base: &str, viewport: Viewport) -> Browser {
        let chromium = driver::find_binary("chromium");
        let dir = tempfile::tempdir().expect("browser temp dir");
        let driver = Driver::start(dir.path()).await;
        let profile = dir.path().join("profile");
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={},{}", viewport.width, viewport.height),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
            "timeouts": { "pageLoad": 30_000, "script": 10_000, "implicit": 0 },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("capabilities are an object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| panic!("no browser session: {e}; {}", driver.log()));
        let browser = Browser {
            client,
            base: base.trim_end_matches('/').to_owned(),
            driver,
            _dir: dir,
        };
        browser.resize(viewport).await;
        browser
    }

    /// Ends the session (closing the browser) and stops chromedriver.
    pub async fn close(self) {
        let Browser { client, driver, .. } = self;
        client
            .close()
            .await
            .unwrap_or_else(|e| panic!("closing the session: {e}; {}", driver.log()));
    }

    /// The fantoccini client, for anything the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The absolute URL of `path` on the app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens `path` (e.g. `/login`) on the app and waits for the page to load.
    pub async fn goto(&self, path: &str) {
        let url = self.url(path);
        must(self.client.goto(&url).await, format_args!("open {url}"));
    }

    pub async fn current_url(&self) -> String {
        must(self.client.current_url().await, "read the current URL").to_string()
    }

    /// The current URL's path, without query or fragment.
    pub async fn current_path(&self) -> String {
        let url = must(self.client.current_url().await, "read the current URL");
        url.path().to_owned()
    }

    /// Waits until the current path is `path`, e.g. after a form posts and redirects.
    pub async fn wait_for_path(&self, path: &str) {
        self.poll(&format!("the path to be `{path}`"), async || {
            (self.current_path().await == path).then_some(())
        })
        .await;
    }

    /// The first element matching `css` right now, if any. A look-up cut short because
    /// the page was being replaced (a form's redirect landing) found nothing yet.
    pub async fn find(&self, css: &str) -> Option<Element> {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => Some(element),
            Err(e) if e.is_no_such_element() => None,
            Err(e) if e.to_string().contains("aborted by navigation") => None,
            Err(e) => panic!("looking for `{css}`: {e}"),
        }
    }

    /// Whether anything matches `css` right now (no waiting).
    pub async fn exists(&self, css: &str) -> bool {
        self.find(css).await.is_some()
    }

    /// Waits for an element matching `css` to be in the page.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.poll(&format!("`{css}`"), async || self.find(css).await)
            .await
    }

    /// Waits for an element matching `css` to be shown and enabled.
    pub async fn wait_for_usable(&self, css: &str) -> Element {
        self.poll(&format!("`{css}` to be visible and enabled"), async || {
            let element = self.find(css).await?;
            let shown = element.is_displayed().await.unwrap_or(false);
            let enabled = element.is_enabled().await.unwrap_or(false);
            (shown && enabled).then_some(element)
        })
        .await
    }

    /// Replaces the value of the field matching `css` with `text`, typed as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for_usable(css).await;
        must(field.clear().await, format_args!("clear `{css}`"));
        must(
            field.send_keys(text).await,
            format_args!("type into `{css}`"),
        );
    }

    pub async fn click(&self, css: &str) {
        let element = self.wait_for_usable(css).await;
        must(element.click().await, format_args!("click `{css}`"));
    }

    /// The rendered text of the first element matching `css`, once there is one.
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        must(
            element.text().await,
            format_args!("read the text of `{css}`"),
        )
    }

    /// Waits until the first element matching `css` holds `needle` in its text, and
    /// gives that text. It is read afresh by script each time, so a page replaced
    /// between two reads (after a form is sent) leaves no stale element to trip on.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let script =
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        self.poll(&format!("`{css}` to hold {needle:?}"), async || {
            let text = self.client.execute(script, vec![json!(css)]).await.ok()?;
            text.as_str()
                .filter(|t| t.contains(needle))
                .map(str::to_owned)
        })
        .await
    }

    /// Runs `script` as a function body (`return …` gives the result) with `arguments`.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        must(
            self.client.execute(script, args).await,
            format_args!("run script {script:?}"),
        )
    }

    /// Calls `check` every 50 ms until it gives a value, failing the test after [`WAIT`].
    pub async fn poll<T>(&self, what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {WAIT:?} waiting for {what} on {}",
                    self.current_url().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

fn must<T>(result: Result<T, CmdError>, what: impl std::fmt::Display) -> T {
    result.unwrap_or_else(|e| panic!("browser could not {what}: {e}"))
}
