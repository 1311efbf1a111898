//! The blob folder: every stored file's bytes once, named by their SHA-256, under
//! `files/` in the data directory (`files/ab/abcd…`). Nothing here knows which record
//! uses a blob; the clean-up is told which ones are still wanted.
//!
//! A blob is written to `files/incoming/`, synced, then renamed into place and its
//! folder synced, so a record that names it (committed afterwards) never points at a
//! half-written file. A stop part-way leaves at most a file in `incoming/` or an
//! unwanted blob, both removed by the next clean-up.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::domain::ContentHash;

/// The folder in the data directory that holds the blobs.
pub const FILES_DIR: &str = "files";
const INCOMING: &str = "incoming";

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the stored file {0} is missing from the files folder")]
    Missing(ContentHash),
}

impl BlobError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// What the blob folder holds: for `doctor` and the clean-up's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub files: u64,
    pub bytes: u64,
}

/// A blob on disk.
#[derive(Debug, Clone)]
pub struct BlobInfo {
    pub content: ContentHash,
    pub bytes: u64,
    pub modified: SystemTime,
}

/// The blob folder of one data directory.
#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
    /// Held to read while a backup copies blobs, and to write by the clean-up.
    in_use: Arc<RwLock<()>>,
}

impl Blobs {
    /// Opens (making it if needed) the blob folder under `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, BlobError> {
        let root = data_dir.join(FILES_DIR);
        let incoming = root.join(INCOMING);
        std::fs::create_dir_all(&incoming).map_err(|e| BlobError::io(&incoming, e))?;
        Ok(Self {
            root,
            in_use: Arc::default(),
        })
    }

    /// The blob folder under `data_dir` if there is one, without making it (for
    /// `doctor`, which looks and changes nothing).
    pub fn existing(data_dir: &Path) -> Option<Self> {
        let root = data_dir.join(FILES_DIR);
        root.is_dir().then(|| Self {
            root,
            in_use: Arc::default(),
        })
    }

    /// Keeps the clean-up from removing anything while the guard lives (a backup
    /// copying the blobs its records name).
    pub fn hold(&self) -> RwLockReadGuard<'_, ()> {
        self.in_use.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where a blob lives, whether or not it exists. Relative to the data directory
    /// it is `files/ab/abcd…`, the name backups give it.
    pub fn path(&self, content: ContentHash) -> PathBuf {
        let hex = content.to_string();
        self.root.join(&hex[..2]).join(hex)
    }

    /// The blob's name relative to the data directory, with `/`.
    pub fn relative_name(content: ContentHash) -> String {
        let hex = content.to_string();
        format!("{FILES_DIR}/{}/{hex}", &hex[..2])
    }

    pub fn open_blob(&self, content: ContentHash) -> Result<File, BlobError> {
        let path = self.path(content);
        File::open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BlobError::Missing(content),
            _ => BlobError::io(&path, e),
        })
    }

    pub fn read(&self, content: ContentHash) -> Result<Vec<u8>, BlobError> {
        let mut bytes = Vec::new();
        let path = self.path(content);
        self.open_blob(content)?
            .read_to_end(&mut bytes)
            .map_err(|e| BlobError::io(&path, e))?;
        Ok(bytes)
    }

    /// A fresh file in `incoming/` to receive an upload; it is either adopted by
    /// [`Blobs::adopt`] or removed by the next clean-up.
    pub fn incoming(&self) -> Result<(PathBuf, File), BlobError> {
        let path = self
            .root
            .join(INCOMING)
            .join(format!("{}.part", uuid::Uuid::now_v7()));
        let file = File::create_new(&path).map_err(|e| BlobError::io(&path, e))?;
        Ok((path, file))
    }

    /// Stores `bytes` (a copy made on the box) and answers their hash.
    pub fn put_bytes(&self, bytes: &[u8]) -> Result<ContentHash, BlobError> {
        let content = ContentHash::from_bytes(Sha256::digest(bytes).into());
        if self.refresh(content)? {
            return Ok(content);
        }
        let (path, mut file) = self.incoming()?;
        let written = file
            .write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| BlobError::io(&path, e));
        if let Err(err) = written {
            let _ = std::fs::remove_file(&path);
            return Err(err);
        }
        self.place(&path, content)?;
        Ok(content)
    }

    /// Moves a file from `incoming/` into place under its hash (reading it once to
    /// hash it), or drops it when the same bytes are already stored.
    pub fn adopt(&self, incoming: &Path) -> Result<(ContentHash, u64), BlobError> {
        let (content, bytes) = hash_file(incoming)?;
        if self.refresh(content)? {
            let _ = std::fs::remove_file(incoming);
            return Ok((content, bytes));
        }
        File::open(incoming)
            .and_then(|f| f.sync_all())
            .map_err(|e| BlobError::io(incoming, e))?;
        self.place(incoming, content)?;
        Ok((content, bytes))
    }

    /// Whether the blob is already stored; if so its time is brought to now, so a
    /// clean-up running while a record is being made to use it again leaves it alone.
    fn refresh(&self, content: ContentHash) -> Result<bool, BlobError> {
        let path = self.path(content);
        match File::options().append(true).open(&path) {
            Ok(file) => {
                file.set_modified(SystemTime::now())
                    .map_err(|e| BlobError::io(&path, e))?;
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(BlobError::io(&path, e)),
        }
    }

    fn place(&self, from: &Path, content: ContentHash) -> Result<(), BlobError> {
        let to = self.path(content);
        let folder = to.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&folder).map_err(|e| BlobError::io(&folder, e))?;
        std::fs::rename(from, &to).map_err(|e| BlobError::io(&to, e))?;
        sync_dir(&folder)?;
        sync_dir(&self.root)
    }

    /// Every blob stored, in no particular order.
    pub fn list(&self) -> Result<Vec<BlobInfo>, BlobError> {
        let mut found = Vec::new();
        let folders = std::fs::read_dir(&self.root).map_err(|e| BlobError::io(&self.root, e))?;
        for folder in folders {
            let folder = folder.map_err(|e| BlobError::io(&self.root, e))?;
            let name = folder.file_name();
            if name.len() != 2 || !folder.path().is_dir() {
                continue;
            }
            let entries =
                std::fs::read_dir(folder.path()).map_err(|e| BlobError::io(&folder.path(), e))?;
            for entry in entries {
                let entry = entry.map_err(|e| BlobError::io(&folder.path(), e))?;
                let Some(content) = entry
                    .file_name()
                    .to_str()
                    .and_then(|n| ContentHash::parse(n).ok())
                else {
                    continue;
                };
                let meta = entry
                    .metadata()
                    .map_err(|e| BlobError::io(&entry.path(), e))?;
                found.push(BlobInfo {
                    content,
                    bytes: meta.len(),
                    modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                });
            }
        }
        Ok(found)
    }

    pub fn usage(&self) -> Result<Usage, BlobError> {
        Ok(self.list()?.iter().fold(Usage::default(), |u, b| Usage {
            files: u.files + 1,
            bytes: u.bytes.saturating_add(b.bytes),
        }))
    }

    /// Removes the blobs nobody wants and leftovers in `incoming/`, each only once it
    /// is older than `grace` (an upload in progress writes a blob before the record
    /// that names it commits). At start-up, with no upload running, `grace` is zero.
    pub fn clean_up(
        &self,
        wanted: &HashSet<ContentHash>,
        grace: Duration,
    ) -> Result<Usage, BlobError> {
        let _alone = self.in_use.write().unwrap_or_else(PoisonError::into_inner);
        let now = SystemTime::now();
        let old = |modified: SystemTime| now.duration_since(modified).unwrap_or_default() >= grace;
        let mut removed = Usage::default();
        for blob in self.list()? {
            if !wanted.contains(&blob.content) && old(blob.modified) {
                let path = self.path(blob.content);
                std::fs::remove_file(&path).map_err(|e| BlobError::io(&path, e))?;
                removed.files += 1;
                removed.bytes = removed.bytes.saturating_add(blob.bytes);
            }
        }
        let incoming = self.root.join(INCOMING);
        let leftovers = std::fs::read_dir(&incoming).map_err(|e| BlobError::io(&incoming, e))?;
        for entry in leftovers.flatten() {
            let modified = entry.metadata().and_then(|m| m.modified());
            if modified.map(old).unwrap_or(true) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(removed)
    }
}

/// Reads a file once for its SHA-256 and length.
pub fn hash_file(path: &Path) -> Result<(ContentHash, u64), BlobError> {
    let mut file = File::open(path).map_err(|e| BlobError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(|e| BlobError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((ContentHash::from_bytes(hasher.finalize().into()), total))
}

fn sync_dir(dir: &Path) -> Result<(), BlobError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| BlobError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_stored_once_and_read_back() -> Result<(), BlobError> {
        let dir = tempfile::tempdir().map_err(|e| BlobError::io(Path::new("tmp"), e))?;
        let blobs = Blobs::open(dir.path())?;
        let a = blobs.put_bytes(b"a photo")?;
        let (path, mut file) = blobs.incoming()?;
        file.write_all(b"a photo")
            .map_err(|e| BlobError::io(&path, e))?;
        let (b, len) = blobs.adopt(&path)?;
        assert_eq!((a, len), (b, 7));
        assert!(!path.exists(), "the second copy is dropped");
        assert_eq!(blobs.usage()?, Usage { files: 1, bytes: 7 });
        assert_eq!(blobs.read(a)?, b"a photo");
        // What `sha256sum` prints for the same bytes, and where the blob is kept.
        let hex = "d4e24d749a4fe2f161af2de913c0402b04e3ae287dafd0f9dbfa4a5c56c69285";
        assert_eq!(a.to_string(), hex);
        assert_eq!(Blobs::relative_name(a), format!("files/d4/{hex}"));
        assert!(dir.path().join(Blobs::relative_name(a)).is_file());
        Ok(())
    }

    #[test]
    fn the_clean_up_keeps_wanted_and_young_blobs() -> Result<(), BlobError> {
        let dir = tempfile::tempdir().map_err(|e| BlobError::io(Path::new("tmp"), e))?;
        let blobs = Blobs::open(dir.path())?;
        let kept = blobs.put_bytes(b"kept")?;
        let young = blobs.put_bytes(b"young")?;
        let (stray, _) = blobs.incoming()?;
        let wanted = HashSet::from([kept]);
        let removed = blobs.clean_up(&wanted, Duration::from_secs(3600))?;
        assert_eq!(removed, Usage::default());
        assert!(blobs.path(young).exists() && stray.exists());
        let removed = blobs.clean_up(&wanted, Duration::ZERO)?;
        assert_eq!(removed, Usage { files: 1, bytes: 5 });
        assert!(blobs.path(kept).exists());
        assert!(!blobs.path(young).exists() && !stray.exists());
        Ok(())
    }
}
