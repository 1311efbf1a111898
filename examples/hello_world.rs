//! A bare axum hello-world, the yardstick `scripts/load` measures the app against:
//! `cargo run --release --example hello_world -- 127.0.0.1:3999`.

use axum::{Router, routing::get};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3999".into());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("hello world at http://{}/", listener.local_addr()?);
    let app = Router::new().route("/", get(|| async { "Hello, world!" }));
    axum::serve(listener, app).await
}
