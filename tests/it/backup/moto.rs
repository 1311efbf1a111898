//! A real S3 server for the backup tests: moto's `moto_server`, started per test on a
//! free port and killed when the test ends. `./test` installs it; a machine without
//! it fails these tests rather than skipping them.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload};
use reqwest::StatusCode;

/// The bucket every test uploads to, and the folder inside it.
pub const BUCKET: &str = "sarkar-backups";
pub const PREFIX: &str = "shop";

/// How long moto may take to answer after it starts (it is a Python program; on a busy
/// 2-core box that is seconds). Readiness only, never an assertion on speed.
const READY_WITHIN: Duration = Duration::from_secs(20);

pub struct Moto {
    child: Child,
    pub port: u16,
    http: reqwest::Client,
    /// The bucket as anyone holding its keys reaches it (moto refuses unsigned reads).
    bucket: AmazonS3,
}

impl Moto {
    /// Starts moto on a free port with an empty [`BUCKET`].
    pub async fn start() -> Self {
        // moto cannot be asked for port 0, so a port is picked by binding it and letting it
        // go; another program may take it in between, and then moto exits and is started
        // again on another.
        for _ in 0..3 {
            let port = free_port();
            let mut child = match Command::new("moto_server")
                .args(["-p", &port.to_string(), "-H", "127.0.0.1"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            {
                Ok(child) => child,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => panic!(
                    "moto_server is not on PATH: the backup tests upload to it. Run ./test, or \
                     `python3 -m pip install \"moto[server]\"`, and try again"
                ),
                Err(err) => panic!("cannot start moto_server: {err}"),
            };
            let http = reqwest::Client::new();
            if ready(&mut child, &http, port).await {
                let bucket = AmazonS3Builder::new()
                    .with_endpoint(format!("http://127.0.0.1:{port}"))
                    .with_allow_http(true)
                    .with_virtual_hosted_style_request(false)
                    .with_bucket_name(BUCKET)
                    .with_region("us-east-1")
                    .with_access_key_id("test")
                    .with_secret_access_key("test")
                    .build()
                    .expect("an S3 client for moto");
                let moto = Self {
                    child,
                    port,
                    http,
                    bucket,
                };
                moto.create_bucket().await;
                return moto;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("moto_server did not answer on 127.0.0.1 within {READY_WITHIN:?} in three tries");
    }

    /// The endpoint for the configuration.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn create_bucket(&self) {
        let response = self
            .http
            .put(format!("{}/{BUCKET}", self.endpoint()))
            .send()
            .await
            .expect("moto answers");
        assert_eq!(response.status(), StatusCode::OK, "the bucket is created");
    }

    /// An object of the bucket, read as anyone holding the bucket's keys could.
    pub async fn get(&self, key: &str) -> Vec<u8> {
        let object = self
            .bucket
            .get(&ObjectPath::from(key))
            .await
            .unwrap_or_else(|e| panic!("GET {key}: {e}"));
        object.bytes().await.expect("body").to_vec()
    }

    /// Replaces an object of the bucket, as someone tampering with it would.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) {
        self.bucket
            .put(&ObjectPath::from(key), PutPayload::from(bytes))
            .await
            .unwrap_or_else(|e| panic!("PUT {key}: {e}"));
    }

    /// The key of an object of backup `id`, such as `payload.age`.
    pub fn backup_key(id: &str, object: &str) -> String {
        format!("{PREFIX}/backups/{id}/{object}")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Polls `GET /` until moto answers; false when it exited or never answered.
async fn ready(child: &mut Child, http: &reqwest::Client, port: u16) -> bool {
    let started = Instant::now();
    while started.elapsed() < READY_WITHIN {
        if !matches!(child.try_wait(), Ok(None)) {
            return false;
        }
        let answered = http
            .get(format!("http://127.0.0.1:{port}/"))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if answered {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}
