//! Reading a downloaded backup back: decrypt with the owner's identity, decompress,
//! check every part's count and SHA-256 and the manifest's counts, and (for a restore)
//! write the tables into a new database file and the stored files beside it. Also the
//! download that `verify` and `restore` share.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::BackupError;
use super::archive::{ArchiveError, Contents, Event, read_archive};
use super::destination::Remote;
use super::keys::Identities;
use super::manifest::Manifest;
use crate::data_dir::DATABASE_FILE;
use crate::store::LATEST_SCHEMA_VERSION;
use crate::store::export::{ExportError, Import};

/// Downloads backup `id` (the newest when `None`) from `remote` into `work_dir`, checks
/// it, and with `into` rebuilds a data directory there. The download is removed after.
pub async fn fetch_and_unpack(
    remote: &Remote,
    id: Option<&str>,
    identities: Arc<Identities>,
    work_dir: &Path,
    into: Option<PathBuf>,
) -> Result<Manifest, BackupError> {
    let manifest = match id {
        Some(id) => remote.manifest(id).await?,
        None => remote
            .list()
            .await?
            .backups
            .pop()
            .ok_or_else(|| BackupError::NoBackups {
                destination: remote.name.clone(),
            })?,
    };
    let download = work_dir.join(format!(".{}.download", manifest.id));
    let fetched = remote.download(&manifest, &download).await;
    let unpacked = match fetched {
        Ok(()) => {
            let (path, checked) = (download.clone(), manifest.clone());
            tokio::task::spawn_blocking(move || {
                unpack(&path, &checked, &identities, into.as_deref())
            })
            .await
            .map_err(|e| BackupError::Internal(format!("the restore task failed: {e}")))
            .and_then(|r| r)
        }
        Err(err) => Err(err),
    };
    let _ = std::fs::remove_file(&download);
    unpacked.map(|_| manifest)
}

/// Checks a downloaded payload against its manifest; with `into`, rebuilds a data
/// directory there (the database file and stored files; it must be empty).
pub fn unpack(
    payload: &Path,
    manifest: &Manifest,
    identities: &Identities,
    into: Option<&Path>,
) -> Result<Contents, BackupError> {
    if manifest.schema_version > LATEST_SCHEMA_VERSION {
        return Err(BackupError::Invalid {
            id: manifest.id.clone(),
            message: format!(
                "it was taken by Sarkar CRM {} (database schema {}); this version knows up to schema {}. Restore it with that version or newer",
                manifest.app_version, manifest.schema_version, LATEST_SCHEMA_VERSION
            ),
        });
    }
    let invalid = |message: String| BackupError::Invalid {
        id: manifest.id.clone(),
        message,
    };
    let file = File::open(payload).map_err(|e| BackupError::io(payload, e))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| invalid(format!("its encrypted data cannot be read: {e}")))?;
    let decrypted = decryptor.decrypt(identities.iter()).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => BackupError::WrongIdentity {
            id: manifest.id.clone(),
        },
        other => invalid(format!("it cannot be decrypted: {other}")),
    })?;
    let decompressed = zstd::Decoder::new(decrypted).map_err(|e| BackupError::io(payload, e))?;
    let mut sink = match into {
        Some(dir) => Some(Writer::new(dir)?),
        None => None,
    };
    let contents = read_archive(decompressed, |event| match sink.as_mut() {
        Some(writer) => writer.take(event),
        None => Ok(()),
    })
    .map_err(|err| match err {
        Unpack::Archive(ArchiveError::Io(io)) => invalid(format!(
            "its data fails the encryption's integrity check (changed or damaged): {io}"
        )),
        Unpack::Archive(other) => invalid(other.to_string()),
        Unpack::Import(e) => invalid(format!("its tables cannot be written: {e}")),
        Unpack::Io(path, e) => BackupError::io(&path, e),
    })?;
    if contents.id != manifest.id {
        return Err(invalid(format!(
            "its data belongs to backup {}, not to this manifest",
            contents.id
        )));
    }
    for part in &contents.parts {
        if manifest.counts.get(&part.name) != Some(&part.count) {
            return Err(invalid(format!(
                "its manifest says `{}` holds {} but the data holds {}",
                part.name,
                manifest.count(&part.name),
                part.count
            )));
        }
    }
    if manifest.counts.len() != contents.parts.len() {
        return Err(invalid(
            "its manifest lists parts the data does not hold".into(),
        ));
    }
    if let Some(writer) = sink {
        writer.finish()?;
    }
    Ok(contents)
}

#[derive(Debug)]
enum Unpack {
    Archive(ArchiveError),
    Import(ExportError),
    Io(PathBuf, std::io::Error),
}

impl From<ArchiveError> for Unpack {
    fn from(err: ArchiveError) -> Self {
        Self::Archive(err)
    }
}

/// Writes what the archive holds into a new data directory.
struct Writer {
    dir: PathBuf,
    import: Option<Import>,
    file: Option<(PathBuf, File)>,
}

impl Writer {
    fn new(dir: &Path) -> Result<Self, BackupError> {
        let import = Import::create(&dir.join(DATABASE_FILE)).map_err(|e| {
            BackupError::Restore(format!(
                "cannot create the database in {}: {e}",
                dir.display()
            ))
        })?;
        Ok(Self {
            dir: dir.to_owned(),
            import: Some(import),
            file: None,
        })
    }

    fn take(&mut self, event: Event<'_>) -> Result<(), Unpack> {
        let import = self.import.as_mut().expect("open until finish");
        match event {
            Event::TableBegin(name) => import.begin_table(name).map_err(Unpack::Import),
            Event::Entry { key, value } => import.entry(key, value).map_err(Unpack::Import),
            Event::FileBegin(name) => {
                let path = self.file_path(name)?;
                let io = |e| Unpack::Io(path.clone(), e);
                if let Some(parent) = path.parent() {
                    create_private_dir(parent).map_err(io)?;
                }
                let file = create_private_file(&path).map_err(io)?;
                self.file = Some((path, file));
                Ok(())
            }
            Event::FileChunk(bytes) => match self.file.as_mut() {
                Some((path, file)) => file
                    .write_all(bytes)
                    .map_err(|e| Unpack::Io(path.clone(), e)),
                None => Ok(()),
            },
            Event::PartEnd => {
                if let Some((path, file)) = self.file.take() {
                    file.sync_all().map_err(|e| Unpack::Io(path, e))?;
                }
                Ok(())
            }
        }
    }

    /// A stored file's place in the data directory; names that would climb out of it
    /// are refused.
    fn file_path(&self, name: &str) -> Result<PathBuf, Unpack> {
        let relative = Path::new(name);
        let safe = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !safe || name.is_empty() {
            return Err(Unpack::Archive(ArchiveError::Damaged(format!(
                "it names a file outside the data directory: {name}"
            ))));
        }
        Ok(self.dir.join(relative))
    }

    fn finish(mut self) -> Result<(), BackupError> {
        self.import
            .take()
            .expect("open until finish")
            .finish()
            .map_err(|e| BackupError::Restore(format!("cannot finish the database: {e}")))
    }
}

fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
