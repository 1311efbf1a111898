//! Opening, rebuilding and updating the index from the database's change log.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::tokenizer::{LowerCaser, TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError};
use tokio::sync::watch;

use super::schema::{Fields, SCHEMA_VERSION, WORDS};
use crate::domain::{Category, CategoryId, CustomerId, Product, ProductId, StoreId};
use crate::store::customer_merges::{self, Aliases};
use crate::store::{Change, Db, EntityKind, Scope, StoreError, catalogue, customers};

/// Indexing memory shared by the writer's threads. Tantivy flushes a segment when a
/// thread's share fills, so more memory means fewer, larger segments on a rebuild.
const WRITER_MEMORY: usize = 96 * 1024 * 1024;
const WRITER_THREADS: usize = 2;
/// The follower commits at most this often, so search shows a change within about
/// this long of its commit while writes keep coming.
const COMMIT_GAP: std::time::Duration = std::time::Duration::from_millis(200);
/// Changes read from the log per step while catching up.
const BATCH: usize = 20_000;
const VERSION_FILE: &str = "sarkar-schema-version";
/// How long opening waits for another holder of the index's lock to let go.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Store(#[from] StoreError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The open index, its reader, and the single writer.
pub struct SearchIndex {
    pub(super) fields: Fields,
    pub(super) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    applied: watch::Sender<u64>,
    dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("applied", &*self.applied.borrow())
            .finish()
    }
}

/// The sequence number the index's last commit recorded as its payload.
fn applied_in(index: &Index) -> Result<u64, String> {
    Ok(index
        .load_metas()
        .map_err(|e| format!("index metadata unreadable: {e}"))?
        .payload
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(0))
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Why an index on disk was not opened: a broken or outdated one is rebuilt, but one
/// whose lock someone else holds must be left alone, or the rebuild would delete files
/// under the holder.
enum Unopened {
    Unusable(String),
    Busy(SearchError),
}

/// The index's single writer. Its lock is released moments after the previous holder
/// goes (a command that has just exited, or a server of the same process that is still
/// dropping its writer thread), so opening waits for it instead of failing the start.
fn open_writer(index: &Index, dir: &Path) -> Result<IndexWriter, SearchError> {
    let started = std::time::Instant::now();
    loop {
        match index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY) {
            Err(TantivyError::LockFailure(LockError::LockBusy, _))
                if started.elapsed() < LOCK_PATIENCE =>
            {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(TantivyError::LockFailure(error, _)) => {
                return Err(SearchError::Index(TantivyError::LockFailure(
                    error,
                    Some(format!(
                        "another program holds the search index ({}); stop it and start again",
                        dir.display()
                    )),
                )));
            }
            other => return other.map_err(SearchError::from),
        }
    }
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register(
        WORDS,
        TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

impl SearchIndex {
    /// Opens the index in `dir` and brings it up to date with `db`, rebuilding it when
    /// it is missing, unreadable, of another schema version, or ahead of the database.
    /// `progress(done, total)` is called during a rebuild.
    pub fn open(dir: &Path, db: &Db, progress: &dyn Fn(u64, u64)) -> Result<Self, SearchError> {
        let last_in_db = db.read(|rx| rx.last_change_seq())?;
        match Self::open_existing(dir) {
            Ok((index, applied)) if applied <= last_in_db => {
                tracing::debug!(applied, last_in_db, "search index opened");
                index.catch_up(db)?;
                Ok(index)
            }
            Ok((_, applied)) => {
                tracing::warn!(
                    applied,
                    last_in_db,
                    "search index is ahead of the database; rebuilding it"
                );
                Self::rebuild(dir, db, progress)
            }
            Err(Unopened::Busy(error)) => Err(error),
            Err(Unopened::Unusable(reason)) => {
                tracing::info!(%reason, "building the search index");
                Self::rebuild(dir, db, progress)
            }
        }
    }

    fn open_existing(dir: &Path) -> Result<(Self, u64), Unopened> {
        let unusable = |reason: String| Unopened::Unusable(reason);
        let version = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map_err(|_| unusable("no index yet".to_owned()))?;
        if version.trim() != SCHEMA_VERSION.to_string() {
            return Err(unusable(format!(
                "index schema {} is not {SCHEMA_VERSION}",
                version.trim()
            )));
        }
        let index =
            Index::open_in_dir(dir).map_err(|e| unusable(format!("index unreadable: {e}")))?;
        let fields = Fields::new();
        if index.schema() != fields.schema {
            return Err(unusable("index schema differs".into()));
        }
        let applied = applied_in(&index).map_err(unusable)?;
        let search = Self::from_index(index, fields, dir, applied).map_err(|e| match e {
            SearchError::Index(TantivyError::LockFailure(..)) => Unopened::Busy(e),
            other => unusable(other.to_string()),
        })?;
        Ok((search, applied))
    }

    /// The change-log sequence the index in `dir` reflects, read from its commit
    /// metadata without opening a writer (which would take the index's lock), for
    /// `doctor` while the server may be running.
    pub fn applied_on_disk(dir: &Path) -> Result<u64, String> {
        if !dir.exists() {
            return Err("there is none yet".into());
        }
        let index = Index::open_in_dir(dir).map_err(|e| format!("index unreadable: {e}"))?;
        applied_in(&index)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        dir: &Path,
        applied: u64,
    ) -> Result<Self, SearchError> {
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = open_writer(&index, dir)?;
        Ok(Self {
            fields,
            reader,
            writer: Mutex::new(writer),
            applied: watch::channel(applied).0,
            dir: dir.to_owned(),
        })
    }

    /// Deletes whatever is in `dir` and indexes every customer and product afresh.
    pub fn rebuild(dir: &Path, db: &Db, progress: &dyn Fn(u64, u64)) -> Result<Self, SearchError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io_error(dir))?;
        }
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let fields = Fields::new();
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Index(e.into()))?;
        let index = Index::create(directory, fields.schema.clone(), Default::default())?;
        register_tokenizers(&index);
        let mut writer = open_writer(&index, dir)?;
        // One read transaction: the documents and the sequence they reflect agree.
        let seq = db.read(|rx| -> Result<u64, SearchError> {
            let seq = rx.last_change_seq()?;
            let total =
                customers::count_all_for_indexing(rx)? + catalogue::count_all_for_indexing(rx)?;
            let mut paths: HashMap<StoreId, CategoryPaths> = HashMap::new();
            let mut done = 0u64;
            let mut tick = || {
                done += 1;
                if done.is_multiple_of(10_000) {
                    progress(done, total);
                }
            };
            // Merges are few: every alias is read once, not looked up per customer.
            let aliases = customer_merges::all_aliases_for_indexing(rx)?;
            let none = Aliases::default();
            customers::for_each_for_indexing(rx, &mut |customer| -> Result<(), SearchError> {
                if customer.deleted_at.is_none() {
                    let kept = aliases.get(&customer.id).unwrap_or(&none);
                    writer.add_document(fields.customer_doc(&customer, kept))?;
                }
                tick();
                Ok(())
            })?;
            catalogue::for_each_for_indexing(rx, &mut |product| -> Result<(), SearchError> {
                if product.deleted_at.is_none() {
                    let path = category_path(rx, &mut paths, &product)?;
                    writer.add_document(fields.product_doc(&product, &path))?;
                }
                tick();
                Ok(())
            })?;
            progress(total, total);
            Ok(seq)
        })?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        prepared.commit()?;
        // Let the merges a bulk load sets off finish now, so searches afterwards do not
        // compete with them for the mini-PC's cores.
        writer.wait_merging_threads()?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())
            .map_err(io_error(dir))?;
        Self::from_index(index, fields, dir, seq)
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-committed in tantivy,
        // so the guard is safe to take over.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn commit(&self, seq: u64) -> Result<(), SearchError> {
        let mut writer = self.lock_writer();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.applied.send_replace(seq);
        Ok(())
    }

    /// The last change-log sequence the searchable index reflects.
    pub fn applied(&self) -> u64 {
        *self.applied.borrow()
    }

    /// Watches [`Self::applied`], e.g. to wait until a write is searchable.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.applied.subscribe()
    }

    /// Applies every change after the last applied one, in one commit.
    pub fn catch_up(&self, db: &Db) -> Result<u64, SearchError> {
        let mut applied = self.applied();
        let start = applied;
        let durable = db.durable_change();
        loop {
            let mut changes = db.read(|rx| rx.changes_after(applied, BATCH))?;
            // A commit still waiting for its fsync is not indexed yet: if the power went
            // now it would be gone, and an index ahead of its database is rebuilt.
            changes.retain(|change| change.seq <= durable);
            let Some(last) = changes.last() else { break };
            let last = last.seq;
            self.apply(db, &changes)?;
            applied = last;
        }
        if applied != start {
            self.commit(applied)?;
        }
        Ok(applied)
    }

    /// Re-reads each record a batch of changes names and replaces (or removes) its document.
    fn apply(&self, db: &Db, changes: &[Change]) -> Result<(), SearchError> {
        let mut customers_seen = HashSet::new();
        let mut products_seen = HashSet::new();
        let mut category_stores = HashSet::new();
        for change in changes {
            match change.kind {
                EntityKind::Customer => drop(customers_seen.insert(change.id)),
                EntityKind::Product => drop(products_seen.insert(change.id)),
                // A renamed or moved category changes its products' category paths.
                EntityKind::Category => drop(category_stores.insert(change.store_id)),
                _ => {}
            }
        }
        let writer = self.lock_writer();
        db.read(|rx| -> Result<(), SearchError> {
            for id in &customers_seen {
                let uuid = CustomerId::from_u128(*id).as_uuid();
                writer.delete_term(self.fields.id_term(uuid));
                if let Some(customer) =
                    customers::customer_for_indexing(rx, CustomerId::from_u128(*id))?
                    && customer.deleted_at.is_none()
                {
                    let kept = customer_merges::aliases(rx, customer.store_id, customer.id)?;
                    writer.add_document(self.fields.customer_doc(&customer, &kept))?;
                }
            }
            let mut paths: HashMap<StoreId, CategoryPaths> = HashMap::new();
            let mut reindex = |product: Product, writer: &IndexWriter| -> Result<(), SearchError> {
                writer.delete_term(self.fields.id_term(product.id.as_uuid()));
                if product.deleted_at.is_none() {
                    let path = category_path(rx, &mut paths, &product)?;
                    let doc: TantivyDocument = self.fields.product_doc(&product, &path);
                    writer.add_document(doc)?;
                }
                Ok(())
            };
            for id in &products_seen {
                match catalogue::product_for_indexing(rx, ProductId::from_u128(*id))? {
                    Some(product) => reindex(product, &writer)?,
                    None => drop(
                        writer
                            .delete_term(self.fields.id_term(ProductId::from_u128(*id).as_uuid())),
                    ),
                }
            }
            for store in &category_stores {
                for product in catalogue::products_of_store_for_indexing(rx, *store)? {
                    reindex(product, &writer)?;
                }
            }
            Ok(())
        })
    }
}

/// The categories of a store by id, read once per store per batch.
type CategoryPaths = HashMap<CategoryId, Category>;

/// A product's category and its ancestors' names, nearest first.
fn category_path(
    rx: &crate::store::Reader,
    cache: &mut HashMap<StoreId, CategoryPaths>,
    product: &Product,
) -> Result<Vec<String>, StoreError> {
    let Some(mut cursor) = product.category_id else {
        return Ok(Vec::new());
    };
    let categories = match cache.entry(product.store_id) {
        std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
        std::collections::hash_map::Entry::Vacant(entry) => {
            let scope = Scope::store(product.store_id);
            let all = catalogue::categories(rx, &scope, crate::store::Deleted::Hide)?;
            entry.insert(all.into_iter().map(|c| (c.id, c)).collect())
        }
    };
    let mut path = Vec::new();
    while let Some(category) = categories.get(&cursor) {
        path.push(category.name.to_string());
        match category.parent_id {
            Some(parent) if path.len() < 16 => cursor = parent,
            _ => break,
        }
    }
    Ok(path)
}

/// Follows the change log: after each commit to the database, applies what is new.
/// Commits at most once per `COMMIT_GAP` (a change after a quiet spell is applied at
/// once).
///
/// Stops when `stop` changes (after applying what was committed until then, so a stopped
/// server leaves its index up to date and no work running in the background) or when the
/// database's sender is gone.
pub fn spawn_follower(
    index: std::sync::Arc<SearchIndex>,
    db: Db,
    mut stop: watch::Receiver<()>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut committed = db.subscribe();
        let mut stopping = false;
        let mut last_commit: Option<tokio::time::Instant> = None;
        while !stopping {
            tokio::select! {
                changed = committed.changed() => if changed.is_err() { break },
                _ = stop.changed() => stopping = true,
            }
            // Under a stream of writes, wait out the rest of the gap since the last
            // commit and take everything committed meanwhile in one go: each tantivy
            // commit makes a segment to merge later, and committing after every
            // customer created took more CPU than creating it.
            if let Some(at) = last_commit
                && !stopping
            {
                tokio::select! {
                    () = tokio::time::sleep_until(at + COMMIT_GAP) => {}
                    _ = stop.changed() => stopping = true,
                }
            }
            last_commit = Some(tokio::time::Instant::now());
            let (index, db) = (index.clone(), db.clone());
            match tokio::task::spawn_blocking(move || index.catch_up(&db)).await {
                Ok(Ok(_)) => {}
                Ok(Err(err)) => {
                    tracing::error!(%err, "search index could not apply changes; will retry on the next change")
                }
                Err(err) => tracing::error!(%err, "search index task failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_waits_for_the_previous_holder_instead_of_rebuilding_under_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(
            &dir.path().join("db.redb"),
            1 << 20,
            &jiff::tz::TimeZone::UTC,
        )
        .expect("open the database");
        let index_dir = dir.path().join("index");
        let first = SearchIndex::open(&index_dir, &db, &|_, _| {}).expect("first open");
        let marker = index_dir.join(VERSION_FILE);
        let before = std::fs::metadata(&marker)
            .expect("version file")
            .modified()
            .ok();
        std::thread::scope(|threads| {
            let second = threads.spawn(|| SearchIndex::open(&index_dir, &db, &|_, _| {}));
            // The second open is meant to find the lock held; how long it is held does not
            // decide the outcome, only whether the wait is exercised.
            std::thread::sleep(std::time::Duration::from_millis(200));
            drop(first);
            second
                .join()
                .expect("the second open does not panic")
                .expect("the second open waits for the lock and succeeds");
        });
        let after = std::fs::metadata(&marker)
            .expect("version file")
            .modified()
            .ok();
        assert_eq!(before, after, "the index was opened, not rebuilt");
    }
}
