//! Imports of customers and products: files made the way real programs make them, the
//! mapping guessed, the preview's problems by row and column, commit, re-import, undo,
//! a commit stopped by `kill -9`, and the console command.

mod cli;
mod crash;
mod customers;
mod fixtures;
mod products;
mod round_trip;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Client, expect_json};

/// The committed test fixtures, made by the programs named in their names.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Uploads `bytes` as `file_name` to `/api/{kind}/import`, answering the response.
pub async fn upload_raw(
    client: &Client,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
    );
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    client
        .request(reqwest::Method::POST, &format!("/api/{kind}/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

/// Uploads and expects the draft (201).
pub async fn upload(client: &Client, kind: &str, file_name: &str, bytes: Vec<u8>) -> Value {
    expect_json(
        upload_raw(client, kind, file_name, bytes, &[]).await,
        StatusCode::CREATED,
    )
    .await
}

/// The mapping of a draft as `(header, field)` pairs.
pub fn mapping(draft: &Value) -> Vec<(String, String)> {
    draft["mapping"]
        .as_array()
        .expect("a mapping")
        .iter()
        .map(|m| {
            (
                m["header"].as_str().unwrap().to_owned(),
                m["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The preview's problems as `(line, column, message)`.
pub fn problems(draft: &Value) -> Vec<(u64, String, String)> {
    draft["preview"]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Waits until the import is no longer being written, and answers it.
pub async fn settled(client: &Client, id: &str) -> Value {
    for _ in 0..6000 {
        let view = client.get_json(&format!("/api/imports/{id}")).await;
        match view["state"].as_str() {
            Some("COMMITTING" | "UNDOING") => tokio::time::sleep(Duration::from_millis(20)).await,
            _ => return view,
        }
    }
    panic!("import {id} did not finish within two minutes");
}

/// Commits a draft and waits for it: the import as it ends.
pub async fn commit(client: &Client, id: &str) -> Value {
    let started = expect_json(
        client
            .post(&format!("/api/imports/{id}/commit"), &serde_json::json!({}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["state"], "COMMITTING", "{started}");
    settled(client, id).await
}

/// Undoes an import and waits for it.
pub async fn undo(client: &Client, id: &str) -> Value {
    let started = expect_json(
        client
            .post(&format!("/api/imports/{id}/undo"), &serde_json::json!({}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["state"], "UNDOING", "{started}");
    settled(client, id).await
}

/// Every customer of the store as the API answers them, by code.
pub async fn all_customers(client: &Client) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/customers?limit=200&sort=oldest&cursor={c}"),
            None => "/api/customers?limit=200&sort=oldest".to_owned(),
        };
        let page = client.get_json(&path).await;
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return out,
        }
    }
}

/// A customer CSV as a phone's contacts export or an old program writes one: `rows`
/// good rows, then `dupes` rows repeating earlier numbers in another form, then `bad`
/// rows with a short phone number.
pub fn customer_csv(rows: usize, dupes: usize, bad: usize) -> Vec<u8> {
    let mut out = String::from("Sl No,Cust Name,Mobile,D.O.B.,Locality\n");
    for i in 0..rows {
        out.push_str(&format!(
            "{},Customer {i:04},98{:08},{:02}/{:02}/19{:02},Salt Lake\n",
            i + 1,
            i,
            i % 28 + 1,
            i % 12 + 1,
            50 + i % 40
        ));
    }
    for i in 0..dupes {
        out.push_str(&format!(
            "{},Customer {i:04},+91 98{:08},,\n",
            rows + i + 1,
            i
        ));
    }
    for i in 0..bad {
        out.push_str(&format!(
            "{},Broken {i},98300 1{i:03},,\n",
            rows + dupes + i + 1
        ));
    }
    out.into_bytes()
}
