//! A press is one action: a request sent twice with one idempotency key records once
//! and answers the repeat with the first answer, over the API (`Idempotency-Key`) and
//! from the pages (the one-time key in every form); and pages are never kept by the
//! browser, so Back after a sale shows it as it is now.

mod api;
mod pages;

use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::helpers::Client;

/// What an answer said: its status and its body, byte for byte.
pub async fn answer(response: Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// POSTs `body` to `path` with `key` as the `Idempotency-Key`.
pub async fn keyed(api: &Client, path: &str, key: &str, body: &Value) -> (StatusCode, String) {
    let response = api
        .request(Method::POST, path)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("request");
    answer(response).await
}

/// How many records a list route holds (its items; the small lists have no paging).
pub async fn count(api: &Client, list: &str) -> usize {
    let separator = if list.contains('?') { '&' } else { '?' };
    api.get_json(&format!("{list}{separator}limit=200")).await["items"]
        .as_array()
        .expect("items")
        .len()
}
