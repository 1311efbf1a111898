//! The snapshot's byte format, before compression and encryption: a magic line, then
//! framed parts (each table's entries, each stored file's bytes), then the contents
//! list with every part's count and SHA-256. Versioned by [`FORMAT_VERSION`].
//!
//! Frame: one tag byte, the body's length as u32 little-endian, the body.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::export::TableSink;

pub const MAGIC: &[u8; 16] = b"SARKAR-CRM-SNAP\n";
/// Bumped whenever the framing or the contents list changes incompatibly.
pub const FORMAT_VERSION: u16 = 1;

const TABLE_BEGIN: u8 = 1;
const ENTRY: u8 = 2;
const FILE_BEGIN: u8 = 3;
const FILE_CHUNK: u8 = 4;
const PART_END: u8 = 5;
const CONTENTS: u8 = 9;
/// No frame is larger: entries are records (kilobytes), file chunks are cut to it.
const MAX_FRAME: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Table,
    File,
}

/// One part of a snapshot: a table (count = entries) or a file (count = bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartInfo {
    pub name: String,
    pub kind: PartKind,
    pub count: u64,
    /// SHA-256 (hex) of the part: for a table, of each entry's key and value with their
    /// lengths; for a file, of its bytes (what `sha256sum` prints).
    pub sha256: String,
}

/// The list at the end of every snapshot; it travels inside the encryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    pub format: u16,
    pub id: String,
    pub parts: Vec<PartInfo>,
}

struct OpenPart {
    name: String,
    kind: PartKind,
    count: u64,
    hasher: Sha256,
}

impl OpenPart {
    fn close(self) -> PartInfo {
        PartInfo {
            name: self.name,
            kind: self.kind,
            count: self.count,
            sha256: hex(&self.hasher.finalize()),
        }
    }
}

/// Writes parts into `out` and lists them at the end.
pub struct ArchiveWriter<W: Write> {
    out: W,
    part: Option<OpenPart>,
    parts: Vec<PartInfo>,
}

impl<W: Write> std::fmt::Debug for ArchiveWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveWriter")
            .field("parts", &self.parts.len())
            .finish_non_exhaustive()
    }
}

impl<W: Write> ArchiveWriter<W> {
    pub fn new(mut out: W) -> std::io::Result<Self> {
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT_VERSION.to_le_bytes())?;
        Ok(Self {
            out,
            part: None,
            parts: Vec::new(),
        })
    }

    fn frame(&mut self, tag: u8, body: &[&[u8]]) -> std::io::Result<()> {
        let len: usize = body.iter().map(|b| b.len()).sum();
        let len = u32::try_from(len).map_err(|_| std::io::Error::other("frame too large"))?;
        self.out.write_all(&[tag])?;
        self.out.write_all(&len.to_le_bytes())?;
        for piece in body {
            self.out.write_all(piece)?;
        }
        Ok(())
    }

    fn open(&mut self, tag: u8, name: &str, kind: PartKind) -> std::io::Result<()> {
        self.frame(tag, &[name.as_bytes()])?;
        self.part = Some(OpenPart {
            name: name.to_owned(),
            kind,
            count: 0,
            hasher: Sha256::new(),
        });
        Ok(())
    }

    fn close(&mut self) -> std::io::Result<u64> {
        let part = self
            .part
            .take()
            .ok_or_else(|| std::io::Error::other("no part is open"))?;
        self.frame(PART_END, &[])?;
        let count = part.count;
        self.parts.push(part.close());
        Ok(count)
    }

    /// Copies a stored file into the snapshot under `name` (a path relative to the data
    /// directory, with `/`).
    pub fn add_file(&mut self, name: &str, mut file: impl Read) -> std::io::Result<u64> {
        self.open(FILE_BEGIN, name, PartKind::File)?;
        let mut buffer = vec![0; 256 * 1024];
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            self.frame(FILE_CHUNK, &[&buffer[..read]])?;
            let part = self.part.as_mut().expect("opened above");
            part.hasher.update(&buffer[..read]);
            part.count += read as u64;
        }
        self.close()
    }

    /// Ends the snapshot with its contents list and hands back the output.
    pub fn finish(mut self, id: &str) -> std::io::Result<(W, Contents)> {
        let contents = Contents {
            format: FORMAT_VERSION,
            id: id.to_owned(),
            parts: std::mem::take(&mut self.parts),
        };
        let json = serde_json::to_vec(&contents).map_err(std::io::Error::other)?;
        self.frame(CONTENTS, &[&json])?;
        Ok((self.out, contents))
    }
}

impl<W: Write> TableSink for ArchiveWriter<W> {
    fn begin_table(&mut self, name: &str) -> std::io::Result<()> {
        self.open(TABLE_BEGIN, name, PartKind::Table)
    }

    fn entry(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        let key_len = u32::try_from(key.len())
            .map_err(|_| std::io::Error::other("key too large"))?
            .to_le_bytes();
        self.frame(ENTRY, &[&key_len, key, value])?;
        let part = self
            .part
            .as_mut()
            .ok_or_else(|| std::io::Error::other("an entry outside a table"))?;
        hash_entry(&mut part.hasher, key, value);
        part.count += 1;
        Ok(())
    }

    fn end_table(&mut self, _name: &str, _count: u64) -> std::io::Result<()> {
        self.close().map(|_| ())
    }
}

fn hash_entry(hasher: &mut Sha256, key: &[u8], value: &[u8]) {
    hasher.update((key.len() as u64).to_le_bytes());
    hasher.update(key);
    hasher.update((value.len() as u64).to_le_bytes());
    hasher.update(value);
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a snapshot's bytes could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the data is not a Sarkar CRM snapshot (wrong magic line)")]
    NotASnapshot,
    #[error(
        "the snapshot has format {0}, which this version cannot read; restore it with a newer Sarkar CRM"
    )]
    NewerFormat(u16),
    #[error("the snapshot is damaged: {0}")]
    Damaged(String),
}

/// What the reader found, handed to the consumer in order.
#[derive(Debug)]
pub enum Event<'a> {
    TableBegin(&'a str),
    Entry { key: &'a [u8], value: &'a [u8] },
    FileBegin(&'a str),
    FileChunk(&'a [u8]),
    PartEnd,
}

/// Reads a snapshot from `input`, calling `on_event` for everything in it, and checks
/// every part's count and SHA-256 against the contents list at the end. Returns the
/// list; the consumer must not trust what it saw unless this returns `Ok`.
pub fn read_archive<E>(
    mut input: impl Read,
    mut on_event: impl FnMut(Event<'_>) -> Result<(), E>,
) -> Result<Contents, E>
where
    E: From<ArchiveError>,
{
    let mut magic = [0u8; 16];
    input
        .read_exact(&mut magic)
        .map_err(|_| ArchiveError::NotASnapshot)?;
    if &magic != MAGIC {
        return Err(ArchiveError::NotASnapshot.into());
    }
    let mut version = [0u8; 2];
    input.read_exact(&mut version).map_err(ArchiveError::Io)?;
    let version = u16::from_le_bytes(version);
    if version > FORMAT_VERSION {
        return Err(ArchiveError::NewerFormat(version).into());
    }
    let damaged = |what: &str| ArchiveError::Damaged(what.to_owned());
    let mut seen: Vec<PartInfo> = Vec::new();
    let mut part: Option<OpenPart> = None;
    let mut body = Vec::new();
    loop {
        let mut head = [0u8; 5];
        input
            .read_exact(&mut head)
            .map_err(|e| ended(e, "it ends before its contents list"))?;
        let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > MAX_FRAME {
            return Err(damaged("a frame is impossibly large").into());
        }
        body.resize(len, 0);
        input
            .read_exact(&mut body)
            .map_err(|e| ended(e, "it ends in the middle of a frame"))?;
        match head[0] {
            TABLE_BEGIN | FILE_BEGIN => {
                if part.is_some() {
                    return Err(damaged("a part starts inside another").into());
                }
                let name = std::str::from_utf8(&body)
                    .map_err(|_| damaged("a part's name is not text"))?
                    .to_owned();
                let kind = if head[0] == TABLE_BEGIN {
                    on_event(Event::TableBegin(&name))?;
                    PartKind::Table
                } else {
                    on_event(Event::FileBegin(&name))?;
                    PartKind::File
                };
                part = Some(OpenPart {
                    name,
                    kind,
                    count: 0,
                    hasher: Sha256::new(),
                });
            }
            ENTRY => {
                let open = part
                    .as_mut()
                    .filter(|p| p.kind == PartKind::Table)
                    .ok_or_else(|| damaged("an entry outside a table"))?;
                if body.len() < 4 {
                    return Err(damaged("an entry is too short").into());
                }
                let key_len = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
                if 4 + key_len > body.len() {
                    return Err(damaged("an entry's key runs past its end").into());
                }
                let (key, value) = body[4..].split_at(key_len);
                hash_entry(&mut open.hasher, key, value);
                open.count += 1;
                on_event(Event::Entry { key, value })?;
            }
            FILE_CHUNK => {
                let open = part
                    .as_mut()
                    .filter(|p| p.kind == PartKind::File)
                    .ok_or_else(|| damaged("file bytes outside a file"))?;
                open.hasher.update(&body);
                open.count += body.len() as u64;
                on_event(Event::FileChunk(&body))?;
            }
            PART_END => {
                let open = part.take().ok_or_else(|| damaged("a part ends twice"))?;
                seen.push(open.close());
                on_event(Event::PartEnd)?;
            }
            CONTENTS => {
                if part.is_some() {
                    return Err(damaged("the contents list comes inside a part").into());
                }
                let contents: Contents = serde_json::from_slice(&body)
                    .map_err(|_| damaged("the contents list cannot be read"))?;
                check_parts(&contents.parts, &seen)?;
                return Ok(contents);
            }
            _ => return Err(damaged("an unknown frame").into()),
        }
    }
}

/// A read that stopped: the end of the data is damage; anything else (the decryption's
/// integrity check, the decompressor) is passed on as it is.
fn ended(err: std::io::Error, what: &str) -> ArchiveError {
    if err.kind() == std::io::ErrorKind::UnexpectedEof {
        ArchiveError::Damaged(what.to_owned())
    } else {
        ArchiveError::Io(err)
    }
}

/// Compares what was read with what the snapshot says it holds.
fn check_parts(listed: &[PartInfo], seen: &[PartInfo]) -> Result<(), ArchiveError> {
    if listed.len() != seen.len() {
        return Err(ArchiveError::Damaged(format!(
            "it lists {} parts but holds {}",
            listed.len(),
            seen.len()
        )));
    }
    for (want, got) in listed.iter().zip(seen) {
        if want.name != got.name || want.kind != got.kind {
            return Err(ArchiveError::Damaged(format!(
                "part `{}` is where `{}` should be",
                got.name, want.name
            )));
        }
        if want.count != got.count {
            return Err(ArchiveError::Damaged(format!(
                "`{}` should hold {} but holds {}",
                want.name, want.count, got.count
            )));
        }
        if want.sha256 != got.sha256 {
            return Err(ArchiveError::Damaged(format!(
                "the SHA-256 of `{}` does not match its contents list",
                want.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut writer = ArchiveWriter::new(Vec::new()).unwrap();
        writer.begin_table("customers").unwrap();
        writer.entry(b"k1", b"Ananya Ghosh").unwrap();
        writer.entry(b"k2", b"Rohit Sen").unwrap();
        writer.end_table("customers", 2).unwrap();
        writer
            .add_file("tls/ca.pem", &b"-----BEGIN CERTIFICATE-----"[..])
            .unwrap();
        writer.finish("20261125T043000Z-1a2b").unwrap().0
    }

    fn read(bytes: &[u8]) -> Result<(Contents, Vec<String>), ArchiveError> {
        let mut seen = Vec::new();
        let contents = read_archive(bytes, |event| {
            seen.push(match event {
                Event::TableBegin(name) | Event::FileBegin(name) => name.to_owned(),
                Event::Entry { key, .. } => String::from_utf8_lossy(key).into_owned(),
                Event::FileChunk(bytes) => format!("{} bytes", bytes.len()),
                Event::PartEnd => "end".into(),
            });
            Ok::<_, ArchiveError>(())
        })?;
        Ok((contents, seen))
    }

    #[test]
    fn what_is_written_reads_back_with_counts_and_hashes() {
        let (contents, seen) = read(&sample()).unwrap();
        assert_eq!(contents.id, "20261125T043000Z-1a2b");
        assert_eq!(
            seen,
            [
                "customers",
                "k1",
                "k2",
                "end",
                "tls/ca.pem",
                "27 bytes",
                "end"
            ]
        );
        assert_eq!(contents.parts[0].count, 2);
        assert_eq!(contents.parts[1].count, 27);
        // A file's hash is the SHA-256 of its bytes, as sha256sum prints it.
        assert_eq!(
            contents.parts[1].sha256,
            hex(&Sha256::digest(b"-----BEGIN CERTIFICATE-----"))
        );
    }

    #[test]
    fn a_changed_byte_or_a_cut_is_caught() {
        let good = sample();
        let at = good
            .windows(5)
            .position(|w| w == b"Rohit")
            .expect("the record is in the frame");
        let mut changed = good.clone();
        changed[at] = b'M';
        let err = read(&changed).unwrap_err().to_string();
        assert!(err.contains("SHA-256 of `customers`"), "{err}");

        let err = read(&good[..good.len() - 10]).unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");

        let err = read(b"not a snapshot at all").unwrap_err().to_string();
        assert!(err.contains("not a Sarkar CRM snapshot"), "{err}");
    }
}
