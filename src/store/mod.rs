//! redb storage: the source of truth. Tables, the record codec, migrations, the change
//! log, and repositories whose reads take a [`Scope`].
//!
//! Nothing here knows about HTTP, sessions-as-cookies or roles; permission checks live
//! in `app`. Every mutation goes through a [`Writer`], which appends its change-log
//! entry in the same write transaction.

mod changelog;
mod codec;
mod field_diff;
mod group_commit;
mod migrations;
mod repo;
mod scope;
mod tables;

pub mod activity;
pub mod api_keys;
pub mod catalogue;
pub mod customer_cash;
pub mod customer_merges;
pub mod customer_values;
pub mod customers;
pub mod export;
pub mod figures;
pub mod files;
pub mod gst_days;
pub mod imports;
pub mod match_keys;
pub mod notifications;
pub mod org;
pub mod people;
pub mod rates;
pub mod sale_days;
pub mod sales;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use redb::{Database, ReadableDatabase};
use tokio::sync::watch;

pub use changelog::{Author, Change, ChangeDetails, ChangeOp, EntityKind, FieldChange, Origin};
pub use codec::Record;

/// A record encoded as it is stored (format version and postcard bytes), for keeping a
/// copy of it elsewhere: an import keeps what it changed, to put it back on undo.
pub fn encode_record<R: Record>(record: &R) -> Result<Vec<u8>, StoreError> {
    codec::encode(record)
}

/// Reads back what [`encode_record`] wrote.
pub fn decode_record<R: Record>(bytes: &[u8]) -> Result<R, StoreError> {
    codec::decode(bytes)
}
pub use field_diff::{MAX_FIELDS, MAX_VALUE_CHARS, REDACTED, is_secret};
pub use group_commit::WriteCounts;
pub use migrations::{LATEST_SCHEMA_VERSION, schema_version};
pub use repo::{IndexPosition, Tables, Walked};
pub use scope::Scope;

use crate::domain::{FloorId, StoreId, UserId};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the database at {path} is in use by another Sarkar CRM process (probably the running server). \
         Stop it first (for example `systemctl stop sarkar-crm`), or run this command against a copy of the data directory"
    )]
    Locked { path: String },
    #[error("{0}")]
    Database(#[from] redb::Error),
    #[error("stored data could not be read: {0}")]
    Codec(String),
    #[error(
        "the database was written by a newer Sarkar CRM (schema {found}, this build knows up to {known}); upgrade this program"
    )]
    TooNew { found: u64, known: u64 },
    /// A unique key is taken; carries the id of the record that holds it.
    #[error("{what} is already used")]
    Duplicate { what: &'static str, existing: u128 },
}

macro_rules! from_redb {
    ($($ty:ty),+) => {
        $(impl From<$ty> for StoreError {
            fn from(err: $ty) -> Self {
                StoreError::Database(err.into())
            }
        })+
    };
}
from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::DatabaseError
);

/// The open database. Cheap to clone; all clones share one redb handle.
#[derive(Clone, Debug)]
pub struct Db {
    inner: Arc<Database>,
    committed: Arc<watch::Sender<u64>>,
    /// The file it was opened from, so monitoring can report its size.
    path: Arc<Path>,
    /// The store's zone, which dates each sale in the per-day summary.
    zone: TimeZone,
    /// Lets concurrent writers share one fsync.
    group: Arc<group_commit::GroupCommit>,
    /// Moves on with every commit that changed a session, a person or an account, so
    /// that what was read of them before can be known to be stale.
    sign_in_epoch: Arc<AtomicU64>,
}

impl Db {
    /// Opens (or creates) the database file and runs pending migrations.
    ///
    /// `cache_bytes` bounds redb's page cache; its 1 GiB default is too big for a mini-PC.
    /// `zone` is the store's time zone: the per-day sales summary is dated in it (and
    /// worked out again when a database last opened under another zone).
    pub fn open(path: &Path, cache_bytes: usize, zone: &TimeZone) -> Result<Self, StoreError> {
        let database = Database::builder()
            .set_cache_size(cache_bytes)
            .create(path)
            .map_err(|err| match err {
                redb::DatabaseError::DatabaseAlreadyOpen => StoreError::Locked {
                    path: path.display().to_string(),
                },
                other => other.into(),
            })?;
        migrations::run(&database, zone)?;
        let last = {
            let tx = database.begin_read()?;
            Reader { tx }.last_change_seq()?
        };
        Ok(Self {
            inner: Arc::new(database),
            committed: Arc::new(watch::channel(last).0),
            path: Arc::from(path),
            zone: zone.clone(),
            group: Arc::default(),
            sign_in_epoch: Arc::default(),
        })
    }

    /// Fails with [`StoreError::Locked`] while another process (a running server) has the
    /// database file at `path` open; otherwise leaves it as it is, without migrating it.
    pub fn check_not_in_use(path: &Path) -> Result<(), StoreError> {
        match Database::builder().set_cache_size(1 << 20).open(path) {
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => Err(StoreError::Locked {
                path: path.display().to_string(),
            }),
            // Anything else (even a damaged file) is for the restore to replace.
            _ => Ok(()),
        }
    }

    /// The size of the database file in bytes, as the file system reports it.
    pub fn file_size(&self) -> std::io::Result<u64> {
        Ok(std::fs::metadata(&self.path)?.len())
    }

    /// Runs `f` in a read transaction. Keep it short: it holds a snapshot.
    pub fn read<T, E>(&self, f: impl FnOnce(&Reader) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let reader = Reader {
            tx: self.inner.begin_read().map_err(StoreError::from)?,
        };
        f(&reader)
    }

    /// Runs `f` in a write transaction on behalf of `author`, committing only if it
    /// returns `Ok`, and returns once the commit is durable. Concurrent calls share one
    /// fsync (see [`group_commit`]); each still commits or is refused on its own.
    /// Followers are told the new last sequence once it is durable.
    pub fn write<T, E>(
        &self,
        author: impl Into<Author>,
        f: impl FnOnce(&mut Writer) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let ticket = self.group.join();
        let (value, mut tx, written) = self.run_writer(author.into(), f)?;
        let durability = ticket.durability();
        tx.set_durability(durability)
            .map_err(|e| StoreError::Database(e.into()))?;
        tx.commit().map_err(StoreError::from)?;
        self.note_sign_in_change(&written);
        let number = ticket.committed(durability);
        self.group.wait_durable(number, || self.flush())?;
        self.announce(written.last_seq);
        Ok(value)
    }

    /// [`Db::write`] for a transaction of thousands of records (a chunk of an import): it
    /// syncs on its own, so request-sized writers never wait behind it for their fsync.
    pub fn write_bulk<T, E>(
        &self,
        author: impl Into<Author>,
        f: impl FnOnce(&mut Writer) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let (value, tx, written) = self.run_writer(author.into(), f)?;
        // Every commit counted now was made before this transaction began, so this
        // durable commit carries it to disk too.
        let covered = self.group.commits();
        tx.commit().map_err(StoreError::from)?;
        self.note_sign_in_change(&written);
        self.group.bulk_committed(covered);
        self.announce(written.last_seq);
        Ok(value)
    }

    /// Begins a write transaction and runs `f` in it, uncommitted.
    fn run_writer<T, E>(
        &self,
        Author { user, origin }: Author,
        f: impl FnOnce(&mut Writer) -> Result<T, E>,
    ) -> Result<(T, redb::WriteTransaction, Written), E>
    where
        E: From<StoreError>,
    {
        let tx = self.inner.begin_write().map_err(StoreError::from)?;
        let mut writer = Writer {
            tx,
            actor: user,
            origin,
            now: crate::domain::now(),
            last_seq: None,
            zone: self.zone.clone(),
            diffs: Vec::new(),
            sign_in_changed: false,
        };
        let value = f(&mut writer)?;
        let written = Written {
            last_seq: writer.last_seq,
            sign_in_changed: writer.sign_in_changed,
        };
        Ok((value, writer.tx, written))
    }

    fn note_sign_in_change(&self, written: &Written) {
        if written.sign_in_changed {
            self.sign_in_epoch.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Read this before reading a session or a person to keep: while it stays the same,
    /// nothing read of them since has changed.
    pub fn sign_in_epoch(&self) -> u64 {
        self.sign_in_epoch.load(Ordering::SeqCst)
    }

    /// An empty durable commit: carries the commits made without syncing to disk.
    fn flush(&self) -> Result<(), StoreError> {
        self.inner.begin_write()?.commit()?;
        Ok(())
    }

    /// Tells the change-log followers that changes up to `last_seq` are durable. Writers
    /// of one group may finish in any order, so the figure only ever rises.
    fn announce(&self, last_seq: Option<u64>) {
        if let Some(seq) = last_seq {
            self.committed.send_if_modified(|durable| {
                let newer = seq > *durable;
                if newer {
                    *durable = seq;
                }
                newer
            });
        }
    }

    /// Rewrites the file to release space left by a bulk load. Needs the only handle
    /// to the database (nothing else may be using it); returns whether it could run.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        let Some(database) = Arc::get_mut(&mut self.inner) else {
            return Ok(false);
        };
        while database
            .compact()
            .map_err(|e| StoreError::Database(e.into()))?
        {}
        Ok(true)
    }

    /// The time zone the per-day sales summary is dated in.
    /// Works the owner's figures out again from the sales, interactions and customers
    /// stored, in one write transaction (they are kept with every write; this is the
    /// way to check or repair them).
    pub fn rebuild_figures(&self) -> Result<(), StoreError> {
        let tx = self.inner.begin_write()?;
        figures::rebuild(&tx, &self.zone)?;
        gst_days::rebuild(&tx, &self.zone)?;
        tx.commit()?;
        Ok(())
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.zone
    }

    /// Commits and fsyncs since the database opened.
    pub fn write_counts(&self) -> WriteCounts {
        self.group.counts()
    }

    /// The sequence number of the newest durable change. A reader can see a few newer
    /// ones, committed and about to be synced; followers go no further than this.
    pub fn durable_change(&self) -> u64 {
        *self.committed.borrow()
    }

    /// Watches the sequence number of the newest durable change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.committed.subscribe()
    }
}

/// A read transaction. Repository read functions are methods on it.
#[derive(Debug)]
pub struct Reader {
    tx: redb::ReadTransaction,
}

/// What a committed transaction tells those who follow the database.
struct Written {
    last_seq: Option<u64>,
    sign_in_changed: bool,
}

/// A write transaction that knows who is writing and when, and logs every change.
pub struct Writer {
    tx: redb::WriteTransaction,
    actor: Option<UserId>,
    origin: Option<Origin>,
    now: Timestamp,
    last_seq: Option<u64>,
    zone: TimeZone,
    /// What the saves of this transaction changed, by record id, until the change-log
    /// entry of that record takes it. A transaction saves a handful of records, so a
    /// list is quicker than a map.
    diffs: Vec<(u128, field_diff::RecordDiff)>,
    /// Whether this transaction changed a session, a person or an account. Every write
    /// of those tables (all in `people.rs`) sets it; a new one elsewhere must too, or a
    /// session kept in memory (`app::session_cache`) would outlive the change.
    sign_in_changed: bool,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("actor", &self.actor)
            .field("now", &self.now)
            .finish()
    }
}

impl Writer {
    /// The time of this transaction; records written in it share it.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The sequence number of the newest change-log entry this transaction wrote.
    pub fn last_logged(&self) -> Option<u64> {
        self.last_seq
    }

    /// The sequence number the next change-log entry will get.
    pub fn next_change_seq(&self) -> Result<u64, StoreError> {
        use redb::ReadableTable;
        let table = self.tx.open_table(tables::CHANGES)?;
        Ok(table.last()?.map_or(1, |(key, _)| key.value() + 1))
    }

    /// Appends the change-log entry for a mutation made in this transaction, with the
    /// fields its saves of record `id` changed and where the change came from.
    fn log(
        &mut self,
        store_id: StoreId,
        kind: EntityKind,
        id: u128,
        op: ChangeOp,
    ) -> Result<(), StoreError> {
        let change = Change {
            seq: 0,
            at: self.now,
            store_id,
            actor: self.actor,
            kind,
            id,
            op,
        };
        let seq = changelog::append(&self.tx, change)?;
        let diff = self.take_diff(id);
        let details = ChangeDetails {
            origin: self.origin.clone(),
            floor: diff.floor,
            fields: diff.fields,
            more_fields: diff.more_fields,
        };
        changelog::append_details(&self.tx, seq, &details)?;
        self.last_seq = Some(seq);
        Ok(())
    }

    /// Keeps what a save of record `id` changed for the change-log entry that follows;
    /// a second save of the same id (a user and their account) adds to it.
    fn keep_diff(&mut self, id: u128, diff: field_diff::RecordDiff) {
        match self.diffs.iter_mut().find(|(kept, _)| *kept == id) {
            Some((_, kept)) => {
                let room = MAX_FIELDS.saturating_sub(kept.fields.len());
                let overflow = diff.fields.len().saturating_sub(room);
                kept.fields.extend(diff.fields.into_iter().take(room));
                kept.more_fields = kept
                    .more_fields
                    .saturating_add(diff.more_fields)
                    .saturating_add(u32::try_from(overflow).unwrap_or(u32::MAX));
                kept.floor = kept.floor.or(diff.floor);
            }
            None => self.diffs.push((id, diff)),
        }
    }

    /// Notes the floor a change of record `id` belongs to, for a change that saves no
    /// record of its own (a sign-in belongs to the floor of the person signing in).
    fn note_floor(&mut self, id: u128, floor: Option<FloorId>) {
        self.keep_diff(
            id,
            field_diff::RecordDiff {
                floor,
                ..Default::default()
            },
        );
    }

    fn take_diff(&mut self, id: u128) -> field_diff::RecordDiff {
        match self.diffs.iter().position(|(kept, _)| *kept == id) {
            Some(at) => self.diffs.swap_remove(at).1,
            None => field_diff::RecordDiff::default(),
        }
    }
}

/// One page of a list, in the requested order.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based, as a page-numbered list shows it; a page started from a cursor that
    /// falls between page boundaries counts as the page it starts in.
    pub page: u32,
    pub per_page: u32,
    /// How many matching items come before this page.
    pub offset: usize,
    /// Exact when the list is unfiltered; `None` when counting would mean reading every
    /// record of the store.
    pub total: Option<u64>,
    pub has_more: bool,
}

/// Which page to read: how many matching items to pass over, and how many to return.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub skip: usize,
    pub per_page: u32,
}

impl PageRequest {
    /// The first `per_page` items.
    pub fn first(per_page: u32) -> Self {
        Self { skip: 0, per_page }
    }

    /// Page `page` (1-based) of `per_page` items each.
    pub fn numbered(page: u32, per_page: u32) -> Self {
        Self {
            skip: (page.saturating_sub(1) as usize).saturating_mul(per_page as usize),
            per_page,
        }
    }

    pub fn offset(&self) -> usize {
        self.skip
    }

    /// The 1-based page number this request starts in.
    pub fn page_number(&self) -> u32 {
        let page = self.skip / (self.per_page.max(1) as usize);
        u32::try_from(page).unwrap_or(u32::MAX - 1) + 1
    }

    /// The page of `all` (already in order and filtered) this request asks for.
    pub fn slice<T>(&self, mut all: Vec<T>, total: Option<u64>) -> Page<T> {
        let end = self.skip.saturating_add(self.per_page as usize);
        let has_more = all.len() > end;
        all.truncate(end);
        let items = all.split_off(self.skip.min(all.len()));
        Page {
            items,
            page: self.page_number(),
            per_page: self.per_page,
            offset: self.skip,
            total,
            has_more,
        }
    }
}

/// Whether a list shows live records or the soft-deleted ones (for restoring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deleted {
    #[default]
    Hide,
    Only,
}

impl Deleted {
    pub fn admits(self, deleted_at: Option<Timestamp>) -> bool {
        match self {
            Deleted::Hide => deleted_at.is_none(),
            Deleted::Only => deleted_at.is_some(),
        }
    }
}

/// Collects one page from an ordered stream of candidates, `keep` deciding which
/// count. `pre_skipped` says how many matching items the caller already skipped
/// without loading them (possible when nothing is filtered out). Reads only as far as
/// the page plus one look-ahead item.
pub(crate) fn collect_page<T>(
    candidates: impl Iterator<Item = Result<T, StoreError>>,
    keep: impl Fn(&T) -> bool,
    request: PageRequest,
    total: Option<u64>,
    pre_skipped: usize,
) -> Result<Page<T>, StoreError> {
    let mut items = Vec::with_capacity(request.per_page as usize);
    let mut to_skip = request.offset().saturating_sub(pre_skipped);
    let mut has_more = false;
    for candidate in candidates {
        let item = candidate?;
        if !keep(&item) {
            continue;
        }
        if to_skip > 0 {
            to_skip -= 1;
            continue;
        }
        if items.len() == request.per_page as usize {
            has_more = true;
            break;
        }
        items.push(item);
    }
    Ok(Page {
        items,
        page: request.page_number(),
        per_page: request.per_page,
        offset: request.offset(),
        total,
        has_more,
    })
}
