//! A test client for `/api/events`: reads the stream as it arrives and splits it
//! into events, as a browser's EventSource does.

use std::time::Duration;

use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::helpers::Client;

/// How long a test waits for something that should arrive at once: a guard against
/// hanging, not a measure of speed.
pub const PATIENCE: Duration = Duration::from_secs(20);

#[derive(Debug, Clone)]
pub struct Event {
    pub id: Option<u64>,
    pub name: String,
    pub data: Value,
}

pub struct EventReader {
    response: Response,
    buffer: String,
    /// Comment lines seen (heartbeats).
    pub comments: usize,
}

impl EventReader {
    /// Opens the stream, after `last_event_id` when given.
    pub async fn open(client: &Client, last_event_id: Option<u64>) -> Self {
        let mut request = client.request(reqwest::Method::GET, "/api/events");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("the stream opens");
        assert_eq!(response.status(), StatusCode::OK, "the stream is served");
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "served as Server-Sent Events"
        );
        Self {
            response,
            buffer: String::new(),
            comments: 0,
        }
    }

    /// The next event, or `None` when the stream ends or nothing comes within
    /// `PATIENCE`.
    pub async fn next(&mut self) -> Option<Event> {
        self.next_within(PATIENCE).await
    }

    pub async fn next_within(&mut self, wait: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(event) = self.take_event() {
                return Some(event);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer
                .push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        }
    }

    /// Whether the server ends the stream within `PATIENCE` (events before the end
    /// are read and dropped).
    pub async fn ends(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return false,
                Ok(Ok(Some(_))) => {}
                Ok(Ok(None) | Err(_)) => return true,
            }
        }
    }

    /// Events until (and including) the first for which `last` holds.
    pub async fn until(&mut self, last: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut seen = Vec::new();
        loop {
            let event = self
                .next()
                .await
                .unwrap_or_else(|| panic!("the stream stopped early; so far: {seen:#?}"));
            let done = last(&event);
            seen.push(event);
            if done {
                return seen;
            }
        }
    }

    fn take_event(&mut self) -> Option<Event> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer.drain(..end + 2).collect();
            let (mut id, mut name, mut data) = (None, None, None);
            for line in block.lines() {
                if line.starts_with(':') {
                    self.comments += 1;
                } else if let Some(value) = line.strip_prefix("id: ") {
                    id = Some(value.parse().expect("numeric id"));
                } else if let Some(value) = line.strip_prefix("event: ") {
                    name = Some(value.to_owned());
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data = Some(serde_json::from_str(value).expect("JSON data"));
                }
            }
            if let (Some(name), Some(data)) = (name, data) {
                return Some(Event { id, name, data });
            }
        }
    }
}

/// Whether `event` is about the record `id`.
pub fn about(event: &Event, id: &str) -> bool {
    event.data["id"] == id
}
