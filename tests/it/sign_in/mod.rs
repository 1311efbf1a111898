//! Signing in under attack: where a sign-in may send the browser afterwards, how wrong
//! passwords are slowed down and reported, and the memory that checking them takes.

mod alerts;
mod memory;
mod redirect;
mod throttle;

use crate::helpers::TestApp;
use crate::pages::csrf_in;

/// A browser of its own: cookies kept and redirects not followed, so each answer is seen.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Opens the sign-in page in `http` and posts its form as a person would.
async fn post_sign_in_form(
    app: &TestApp,
    http: &reqwest::Client,
    username: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    let page = http
        .get(app.url("/login"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    http.post(app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("_csrf", csrf_in(&page).as_str()),
            ("username", username),
            ("password", password),
            ("next", next),
        ])
        .send()
        .await
        .expect("sign in")
}
