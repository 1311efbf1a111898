//! Taking a snapshot: every table from one read transaction (writers carry on), plus
//! the stored files, framed, compressed with zstd and encrypted with age into a file
//! in the local queue. The payload is written under a temporary name and renamed;
//! the manifest is written after it, so a half-written snapshot is never queued.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::archive::{ArchiveWriter, hex};
use super::manifest::{Manifest, new_id};
use super::{BackupError, keys};
use crate::config::BackupRecipient;
use crate::domain::{ContentHash, StoredFile};
use crate::store::Db;
use crate::store::export::TableSink;

/// What goes into a snapshot.
#[derive(Debug)]
pub struct SnapshotSource<'a> {
    pub db: &'a Db,
    /// Files to include, relative to `data_dir`, written with `/`; missing ones are skipped.
    pub data_dir: &'a Path,
    pub files: &'a [&'a str],
    /// The stored files' folder: every blob a file record of the snapshot names goes in
    /// too, under its name in the data directory (`files/ab/abcd…`).
    pub blobs: Option<&'a crate::blobs::Blobs>,
    /// The store's name, for the manifest.
    pub store: String,
}

/// A finished snapshot in the queue.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub manifest: Manifest,
    pub payload: PathBuf,
}

/// Reported while a snapshot is taken: a table or file was written.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Table { name: &'a str, entries: u64 },
    File { name: &'a str, bytes: u64 },
}

/// The table of stored files' records, whose blobs a snapshot carries.
const FILES_TABLE: &str = "files";

/// zstd level: fast enough to keep a 2-core box responsive, and records compress well.
const ZSTD_LEVEL: i32 = 3;

/// Takes a snapshot into `queue_dir` as `<id>.age` with its manifest `<id>.json`.
pub fn take(
    source: &SnapshotSource<'_>,
    recipients: &[BackupRecipient],
    queue_dir: &Path,
    progress: &dyn Fn(Step<'_>),
) -> Result<Snapshot, BackupError> {
    let encryptor = keys::encryptor(recipients)?;
    std::fs::create_dir_all(queue_dir).map_err(|e| BackupError::io(queue_dir, e))?;
    let created_at = jiff::Timestamp::now();
    let id = new_id(created_at);
    let partial = queue_dir.join(format!("{id}.partial"));
    let result = write_payload(source, encryptor, &partial, &id, progress);
    let (contents, summary, bytes, sha256) = match result {
        Ok(done) => done,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
    };
    let payload = queue_dir.join(format!("{id}.age"));
    std::fs::rename(&partial, &payload).map_err(|e| BackupError::io(&payload, e))?;
    let manifest = Manifest::new(
        &contents,
        created_at,
        source.store.clone(),
        summary.schema_version,
        summary.last_change,
        bytes,
        sha256,
    );
    write_atomically(
        &queue_dir.join(format!("{id}.json")),
        &serde_json::to_vec_pretty(&manifest).expect("a manifest serialises"),
    )?;
    Ok(Snapshot { manifest, payload })
}

type Written = (
    super::archive::Contents,
    crate::store::export::ExportSummary,
    u64,
    String,
);

fn write_payload(
    source: &SnapshotSource<'_>,
    encryptor: age::Encryptor,
    path: &Path,
    id: &str,
    progress: &dyn Fn(Step<'_>),
) -> Result<Written, BackupError> {
    let io = |e| BackupError::io(path, e);
    let file = SyncEvery::new(File::create(path).map_err(io)?);
    let hashing = HashingWriter::new(BufWriter::with_capacity(1 << 20, file));
    let encrypted = encryptor.wrap_output(hashing).map_err(io)?;
    let compressed = zstd::Encoder::new(encrypted, ZSTD_LEVEL).map_err(io)?;
    let mut archive = ArchiveWriter::new(compressed).map_err(io)?;
    // The clean-up waits while blobs are copied, so none a record of the snapshot names
    // goes from under it.
    let _held = source.blobs.map(crate::blobs::Blobs::hold);
    let mut sink = Progress {
        inner: &mut archive,
        progress,
        table: String::new(),
        blobs: BTreeSet::new(),
    };
    let summary = source.db.export(&mut sink)?;
    let wanted = std::mem::take(&mut sink.blobs);
    if let Some(blobs) = source.blobs {
        for content in wanted {
            let name = crate::blobs::Blobs::relative_name(content);
            match blobs.open_blob(content) {
                Ok(file) => {
                    let bytes = archive.add_file(&name, file).map_err(io)?;
                    progress(Step::File { name: &name, bytes });
                }
                Err(err) => {
                    tracing::warn!(error = %err, "a stored file is missing; the backup goes on without it");
                }
            }
        }
    }
    for name in source.files {
        let full = source.data_dir.join(name);
        match File::open(&full) {
            Ok(file) => {
                let bytes = archive.add_file(name, file).map_err(io)?;
                progress(Step::File { name, bytes });
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(BackupError::io(&full, err)),
        }
    }
    let (compressed, contents) = archive.finish(id).map_err(io)?;
    let encrypted = compressed.finish().map_err(io)?;
    let hashing = encrypted.finish().map_err(io)?;
    let (buffered, bytes, sha256) = hashing.finish();
    let file = buffered.into_inner().map_err(|e| io(e.into_error()))?.file;
    file.sync_all().map_err(io)?;
    Ok((contents, summary, bytes, sha256))
}

/// Passes a dump on to the archive, reporting each finished table.
/// Also notes the blobs the file records name, read in the same transaction as the
/// tables.
struct Progress<'a, W: Write> {
    inner: &'a mut ArchiveWriter<W>,
    progress: &'a dyn Fn(Step<'_>),
    table: String,
    blobs: BTreeSet<ContentHash>,
}

impl<W: Write> TableSink for Progress<'_, W> {
    fn begin_table(&mut self, name: &str) -> std::io::Result<()> {
        name.clone_into(&mut self.table);
        self.inner.begin_table(name)
    }

    fn entry(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        if self.table == FILES_TABLE {
            let file: StoredFile =
                crate::store::decode_record(value).map_err(std::io::Error::other)?;
            self.blobs.extend(file.contents());
        }
        self.inner.entry(key, value)
    }

    fn end_table(&mut self, name: &str, count: u64) -> std::io::Result<()> {
        self.inner.end_table(name, count)?;
        (self.progress)(Step::Table {
            name,
            entries: count,
        });
        Ok(())
    }
}

/// Bytes written between two flushes to the disk.
const SYNC_EVERY: u64 = 4 * 1024 * 1024;

/// Flushes the file to the disk every few MiB. Left to the kernel, a snapshot's tens of
/// MiB would reach the disk in one burst at the end, and a sale's commit, which waits
/// for the disk, would wait behind all of it.
struct SyncEvery {
    file: File,
    unsynced: u64,
}

impl SyncEvery {
    fn new(file: File) -> Self {
        Self { file, unsynced: 0 }
    }
}

impl Write for SyncEvery {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(buf)?;
        self.unsynced += written as u64;
        if self.unsynced >= SYNC_EVERY {
            self.file.sync_data()?;
            self.unsynced = 0;
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Counts and hashes what passes through, so the manifest can name the payload's
/// size and SHA-256 without reading the file again.
pub(super) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(super) fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    pub(super) fn finish(self) -> (W, u64, String) {
        (self.inner, self.bytes, hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, then syncs the
/// folder, so a crash leaves either the old file or the new one.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let temporary = path.with_extension("tmp");
    let io = |e| BackupError::io(path, e);
    let mut file = File::create(&temporary).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}
