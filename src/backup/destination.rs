//! Destinations through object_store: S3-compatible buckets and local folders. An
//! upload writes the encrypted payload (multipart, part by part, with retries and an
//! optional speed cap) and only then the manifest, so an interrupted upload never
//! looks like a backup. Deleting goes the other way: manifest first.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{
    BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::BackupError;
use super::archive::hex;
use super::manifest::{MANIFEST_OBJECT, Manifest, PAYLOAD_OBJECT, is_backup_id};
use crate::config::{Destination, SealedKey, Target};

/// The folder beside the backups that holds the sealed recovery keys.
const SEALED_KEYS: &str = "recovery-keys";

/// One configured destination, ready to use.
#[derive(Debug, Clone)]
pub struct Remote {
    pub name: String,
    store: Arc<dyn ObjectStore>,
    /// `<prefix>/backups` inside the bucket or folder.
    root: ObjectPath,
    /// Where it is, for messages (never credentials).
    pub place: String,
}

/// What a destination holds: whole backups by id, and ids of uploads that never
/// finished (a payload without a manifest).
#[derive(Debug, Default)]
pub struct Listing {
    pub backups: Vec<Manifest>,
    pub unfinished: Vec<String>,
    /// Manifests that could not be read, by id, with why.
    pub unreadable: Vec<(String, String)>,
}

/// Reported while uploading.
#[derive(Debug, Clone, Copy)]
pub struct Uploaded {
    pub part: usize,
    pub bytes: u64,
    pub total: u64,
}

impl Remote {
    pub fn open(destination: &Destination) -> Result<Self, BackupError> {
        let (store, prefix, place): (Arc<dyn ObjectStore>, &str, String) = match &destination.target
        {
            Target::Dir { path } => {
                // A missing folder is usually an unplugged disk: never create it,
                // or backups would quietly fill the box's own disk instead.
                if !path.is_dir() {
                    return Err(BackupError::Destination {
                        name: destination.name.clone(),
                        message: format!(
                            "the folder {} does not exist: is the disk plugged in and mounted? Create the folder once it is",
                            path.display()
                        ),
                    });
                }
                let local = LocalFileSystem::new_with_prefix(path)
                    .map_err(|e| BackupError::remote(&destination.name, e))?;
                (Arc::new(local), "", path.display().to_string())
            }
            Target::S3(s3) => {
                // The HTTPS client uses the process's rustls provider: aws-lc-rs,
                // the one the whole build links. Installing it twice is harmless.
                let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_virtual_hosted_style_request(!s3.path_style)
                    .with_retry(retry())
                    // Client options first: they carry allow_http, which would
                    // otherwise be reset to false.
                    .with_client_options(
                        ClientOptions::new()
                            .with_connect_timeout(Duration::from_secs(10))
                            .with_timeout(Duration::from_secs(120)),
                    )
                    .with_allow_http(s3.allow_http);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                let credentials = match (&s3.access_key_id, &s3.secret_access_key) {
                    (Some(id), Some(secret)) => Some((id.clone(), secret.clone())),
                    _ => std::env::var("AWS_ACCESS_KEY_ID")
                        .ok()
                        .zip(std::env::var("AWS_SECRET_ACCESS_KEY").ok()),
                };
                let Some((id, secret)) = credentials else {
                    return Err(BackupError::Destination {
                            name: destination.name.clone(),
                            message: "no credentials: set access_key_id and secret_access_key in its [[backup.destination]], or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the service's environment".into(),
                        });
                };
                builder = builder
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
                if let Ok(token) = std::env::var("AWS_SESSION_TOKEN") {
                    builder = builder.with_token(token);
                }
                let store = builder
                    .build()
                    .map_err(|e| BackupError::remote(&destination.name, e))?;
                let place = format!(
                    "bucket {} at {}",
                    s3.bucket,
                    s3.endpoint.as_deref().unwrap_or("AWS S3")
                );
                (Arc::new(store), s3.prefix.as_str(), place)
            }
        };
        let root = if prefix.is_empty() {
            ObjectPath::from("backups")
        } else {
            ObjectPath::from(prefix).clone().join("backups")
        };
        Ok(Self {
            name: destination.name.clone(),
            store,
            root,
            place,
        })
    }

    fn object(&self, id: &str, name: &str) -> ObjectPath {
        self.root.clone().join(id).join(name)
    }

    fn err(&self, error: object_store::Error) -> BackupError {
        BackupError::remote(&self.name, error)
    }

    /// Uploads a queued snapshot: the payload in parts of `part_size` bytes (waiting
    /// between parts to stay under `bytes_per_sec` when set), then the manifest.
    pub async fn upload(
        &self,
        manifest: &Manifest,
        payload: &Path,
        part_size: usize,
        bytes_per_sec: u64,
        progress: &(dyn Fn(Uploaded) + Sync),
    ) -> Result<(), BackupError> {
        let io = |e| BackupError::io(payload, e);
        let mut file = tokio::fs::File::open(payload).await.map_err(io)?;
        let total = file.metadata().await.map_err(io)?.len();
        let location = self.object(&manifest.id, PAYLOAD_OBJECT);
        let mut upload = self
            .store
            .put_multipart(&location)
            .await
            .map_err(|e| self.err(e))?;
        let started = Instant::now();
        let (mut sent, mut part) = (0u64, 0usize);
        let result: Result<(), BackupError> = async {
            loop {
                let mut buffer = Vec::with_capacity(part_size);
                (&mut file)
                    .take(part_size as u64)
                    .read_to_end(&mut buffer)
                    .await
                    .map_err(io)?;
                if buffer.is_empty() && part > 0 {
                    break;
                }
                let len = buffer.len() as u64;
                upload
                    .put_part(PutPayload::from(buffer))
                    .await
                    .map_err(|e| self.err(e))?;
                sent += len;
                part += 1;
                progress(Uploaded {
                    part,
                    bytes: sent,
                    total,
                });
                if bytes_per_sec > 0 {
                    let due = Duration::from_secs_f64(sent as f64 / bytes_per_sec as f64);
                    tokio::time::sleep(due.saturating_sub(started.elapsed())).await;
                }
                if len < part_size as u64 {
                    break;
                }
            }
            if sent != total {
                return Err(BackupError::io(
                    payload,
                    std::io::Error::other("the queued file changed while it was uploaded"),
                ));
            }
            upload.complete().await.map_err(|e| self.err(e))?;
            Ok(())
        }
        .await;
        if let Err(err) = result {
            let _ = upload.abort().await;
            return Err(err);
        }
        let json = serde_json::to_vec_pretty(manifest).expect("a manifest serialises");
        self.store
            .put(&self.object(&manifest.id, MANIFEST_OBJECT), json.into())
            .await
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Uploads the sealed recovery keys beside the backups (each under its hash, so
    /// uploading again changes nothing).
    pub async fn put_sealed_keys(&self, sealed: &[SealedKey]) -> Result<(), BackupError> {
        for key in sealed {
            let name = format!("{}.age", &hex(&Sha256::digest(key.as_bytes()))[..16]);
            self.store
                .put(
                    &self.root.clone().join(SEALED_KEYS).join(name.as_str()),
                    key.as_bytes().to_vec().into(),
                )
                .await
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// The sealed recovery keys kept beside the backups.
    pub async fn sealed_keys(&self) -> Result<Vec<Vec<u8>>, BackupError> {
        use futures_util::TryStreamExt;
        let folder = self.root.clone().join(SEALED_KEYS);
        let objects: Vec<_> = self
            .store
            .list(Some(&folder))
            .try_collect()
            .await
            .map_err(|e| self.err(e))?;
        let mut keys = Vec::new();
        for object in objects {
            let bytes = self
                .store
                .get(&object.location)
                .await
                .map_err(|e| self.err(e))?
                .bytes()
                .await
                .map_err(|e| self.err(e))?;
            keys.push(bytes.to_vec());
        }
        Ok(keys)
    }

    /// Every backup in the destination, oldest first.
    pub async fn list(&self) -> Result<Listing, BackupError> {
        use futures_util::TryStreamExt;
        let objects: Vec<_> = self
            .store
            .list(Some(&self.root))
            .try_collect()
            .await
            .map_err(|e| self.err(e))?;
        let mut ids: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for object in objects {
            let parts: Vec<_> = object.location.parts().collect();
            let [.., id, name] = parts.as_slice() else {
                continue;
            };
            if !is_backup_id(id.as_ref()) {
                continue;
            }
            let seen = ids.entry(id.as_ref().to_owned()).or_default();
            match name.as_ref() {
                MANIFEST_OBJECT => seen.0 = true,
                PAYLOAD_OBJECT => seen.1 = true,
                _ => {}
            }
        }
        let mut listing = Listing::default();
        for (id, (has_manifest, _)) in ids {
            if !has_manifest {
                listing.unfinished.push(id);
                continue;
            }
            match self.manifest(&id).await {
                Ok(manifest) => listing.backups.push(manifest),
                Err(err) => listing.unreadable.push((id, err.to_string())),
            }
        }
        Ok(listing)
    }

    pub async fn manifest(&self, id: &str) -> Result<Manifest, BackupError> {
        let bytes = self
            .store
            .get(&self.object(id, MANIFEST_OBJECT))
            .await
            .map_err(|e| self.not_found(id, e))?
            .bytes()
            .await
            .map_err(|e| self.err(e))?;
        serde_json::from_slice(&bytes).map_err(|e| BackupError::Invalid {
            id: id.to_owned(),
            message: format!("its manifest cannot be read: {e}"),
        })
    }

    fn not_found(&self, id: &str, error: object_store::Error) -> BackupError {
        match error {
            object_store::Error::NotFound { .. } => BackupError::NoSuchBackup {
                destination: self.name.clone(),
                id: id.to_owned(),
            },
            other => self.err(other),
        }
    }

    /// Downloads the payload of `manifest` to `to`, checking its size and SHA-256
    /// against the manifest.
    pub async fn download(&self, manifest: &Manifest, to: &Path) -> Result<(), BackupError> {
        use futures_util::StreamExt;
        let io = |e| BackupError::io(to, e);
        let mut stream = self
            .store
            .get(&self.object(&manifest.id, PAYLOAD_OBJECT))
            .await
            .map_err(|e| self.not_found(&manifest.id, e))?
            .into_stream();
        let mut file = tokio::fs::File::create(to).await.map_err(io)?;
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.err(e))?;
            hasher.update(&chunk);
            bytes += chunk.len() as u64;
            file.write_all(&chunk).await.map_err(io)?;
        }
        file.sync_all().await.map_err(io)?;
        if bytes != manifest.payload_bytes || hex(&hasher.finalize()) != manifest.payload_sha256 {
            return Err(BackupError::Invalid {
                id: manifest.id.clone(),
                message: format!(
                    "its encrypted data ({bytes} bytes) does not match its manifest ({} bytes and a different SHA-256): it was changed or damaged after it was uploaded",
                    manifest.payload_bytes
                ),
            });
        }
        Ok(())
    }

    /// Removes a backup: the manifest first, so a half-removed one is not listed.
    pub async fn delete(&self, id: &str) -> Result<(), BackupError> {
        for name in [MANIFEST_OBJECT, PAYLOAD_OBJECT] {
            match self.store.delete(&self.object(id, name)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(err) => return Err(self.err(err)),
            }
        }
        Ok(())
    }
}

fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            base: 2.0,
        },
        max_retries: 5,
        retry_timeout: Duration::from_secs(180),
    }
}
