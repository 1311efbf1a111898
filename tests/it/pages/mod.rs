//! The web pages over plain HTTP: a client that signs in through the sign-in form as a
//! browser does, keeps the session cookie, and sends forms with the page's CSRF token.

mod activity;
mod admin;
mod bill_form;
mod correcting;
mod customers;
mod documents;
mod links;
mod live;
mod logo;
mod my_day;
mod photos;
mod products;
mod sales;
mod security;
mod store_settings;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};

use crate::helpers::{PASSWORD, TestApp};

/// A signed-in browser without the browser: cookies kept, redirects not followed, and
/// every form sent as from a page of the same site.
pub struct PageClient {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

/// The value of the first `name="_csrf"` hidden field in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html
        .find(r#"name="_csrf" value=""#)
        .expect("the page has a CSRF field");
    let rest = &html[at + r#"name="_csrf" value=""#.len()..];
    rest[..rest.find('"').expect("closing quote")].to_owned()
}

fn same_origin() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    headers
}

impl PageClient {
    /// Signs `username` in through `/login` and reads the CSRF token from the dashboard.
    pub async fn sign_in(app: &TestApp, username: &str) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let base = app.url("");
        let login = http
            .get(format!("{base}/login"))
            .send()
            .await
            .expect("login page");
        assert_eq!(login.status(), StatusCode::OK);
        let token = csrf_in(&login.text().await.expect("body"));
        let response = http
            .post(format!("{base}/login"))
            .headers(same_origin())
            .form(&[
                ("_csrf", token.as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign in as {username}"
        );
        let mut client = Self {
            http,
            base,
            csrf: String::new(),
        };
        let (status, home) = client.get("/").await;
        assert_eq!(status, StatusCode::OK, "dashboard after sign-in");
        client.csrf = csrf_in(&home);
        client
    }

    /// A page: its status and HTML.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// Posts a form as the page would: with the CSRF token, from this site.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, same_origin()).await
    }

    /// Sends a form with a file as the page's upload forms do (`multipart/form-data`):
    /// the CSRF token, `fields`, and `bytes` as the `file` part named `file_name`.
    pub async fn post_file(
        &self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> Response {
        let mut form = reqwest::multipart::Form::new().text("_csrf", self.csrf.clone());
        for (name, value) in fields {
            form = form.text((*name).to_owned(), (*value).to_owned());
        }
        let file = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        self.http
            .post(format!("{}{path}", self.base))
            .headers(same_origin())
            .multipart(form.part("file", file))
            .send()
            .await
            .expect("upload")
    }

    /// Posts exactly these fields with exactly these headers (for refusal tests).
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: HeaderMap,
    ) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .headers(headers)
            .form(fields)
            .send()
            .await
            .expect("request")
    }
}

/// Where a redirect points.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}
