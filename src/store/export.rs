//! Every table as raw key/value bytes, for backups: [`Db::export`] reads them all in
//! one read transaction (writers carry on meanwhile), and [`Import`] writes them into a
//! new database file, which then opens through the usual migrations.
//!
//! Keys and values are redb's own encodings of the table's types (records are the
//! versioned postcard bytes already), so a dump says exactly what the database held.
//! The list of tables below is checked against the database at every export: a table
//! added without being listed here stops the backup instead of being left out.

use std::collections::BTreeSet;
use std::path::Path;

use redb::{
    Database, Key, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, TableHandle,
    Value, WriteTransaction,
};

use super::{Db, StoreError, migrations, tables};

/// Receives a dump, table by table.
pub trait TableSink {
    /// A table starts; its entries follow in key order.
    fn begin_table(&mut self, name: &str) -> std::io::Result<()>;
    fn entry(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()>;
    /// The table ended after `count` entries.
    fn end_table(&mut self, name: &str, count: u64) -> std::io::Result<()>;
}

/// What an export read: the database's schema version and newest change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    pub schema_version: u64,
    pub last_change: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the dump: {0}")]
    Sink(#[from] std::io::Error),
    #[error(
        "the database has a table `{0}` that backups do not know; this build cannot back it up (a bug: list it in store/export.rs)"
    )]
    UnknownTable(String),
    #[error("the backup holds a table `{0}` this version does not know")]
    UnexpectedTable(String),
    #[error("the backup's entry for table `{table}` cannot be stored: {message}")]
    BadEntry { table: String, message: String },
}

impl From<redb::TableError> for ExportError {
    fn from(err: redb::TableError) -> Self {
        Self::Store(err.into())
    }
}

impl From<redb::StorageError> for ExportError {
    fn from(err: redb::StorageError) -> Self {
        Self::Store(err.into())
    }
}

/// Lists every table once; `$each!(DEFINITION)` is expanded for each of them.
macro_rules! every_table {
    ($each:ident) => {
        $each!(
            META,
            CHANGES,
            CHANGE_DETAILS,
            COUNTERS,
            STORES,
            STORES_BY_NAME,
            FLOORS,
            FLOORS_BY_STORE,
            FLOORS_BY_NAME,
            USERS,
            USERS_BY_STORE,
            USERS_BY_USERNAME,
            ACCOUNTS,
            SESSIONS,
            API_KEYS,
            API_KEYS_BY_STORE,
            API_KEYS_BY_HASH,
            CATEGORIES,
            CATEGORIES_BY_STORE,
            PRODUCTS,
            PRODUCTS_BY_STORE,
            PRODUCTS_REMOVED,
            PRODUCTS_BY_SKU,
            PRODUCTS_BY_NAME,
            CUSTOMERS,
            CUSTOMERS_BY_STORE,
            CUSTOMERS_REMOVED,
            CUSTOMERS_BY_PHONE,
            CUSTOMERS_BY_NUMBER,
            CUSTOMERS_BY_NAME,
            SALES,
            SALES_BY_STORE,
            SALES_BY_INVOICE,
            SALES_BY_CUSTOMER,
            SALES_PENDING,
            SALE_DAYS,
            SALE_DAYS_ZONE,
            FIGURES,
            GST_DAYS,
            CUSTOMERS_BY_OCCASION,
            CUSTOMER_VALUES,
            CUSTOMER_CASH_DAYS,
            CUSTOMERS_BY_VALUE,
            CUSTOMERS_BY_LAST_PURCHASE,
            CUSTOMERS_BY_VISITS,
            RATES,
            RATES_BY_PURITY,
            INTERACTIONS,
            INTERACTIONS_BY_CUSTOMER,
            INTERACTIONS_BY_FLOOR,
            FOLLOW_UPS,
            FOLLOW_UPS_BY_CUSTOMER,
            OPEN_FOLLOW_UPS_BY_OWNER,
            OPEN_FOLLOW_UPS_BY_FLOOR,
            NOTIFICATIONS,
            NOTIFICATIONS_BY_STORE,
            NOTIFICATION_KEYS,
            NOTIFICATION_KEYS_BY_TIME,
            NOTIFICATIONS_READ_UP_TO,
            NOTIFICATIONS_READ,
            IMPORTS,
            IMPORTS_BY_STORE,
            IMPORT_ITEMS,
            IMPORT_MAPPINGS,
            CUSTOMER_MERGES,
            CUSTOMER_MERGES_BY_SURVIVOR,
            CUSTOMERS_MERGED_INTO,
            CUSTOMERS_BY_MATCH_KEY,
            FILES,
            FILES_BY_OWNER,
            FILES_BY_CONTENT,
            FILE_VIEWS
        )
    };
}

/// The names of every table a backup holds, in dump order.
pub fn table_names() -> Vec<&'static str> {
    macro_rules! names {
        ($($table:ident),*) => { vec![$(tables::$table.name()),*] };
    }
    every_table!(names)
}

impl Db {
    /// Streams every table into `sink` from one read transaction: a consistent picture
    /// of one moment, taken while writers carry on.
    pub fn export(&self, sink: &mut dyn TableSink) -> Result<ExportSummary, ExportError> {
        let tx = self.inner.begin_read().map_err(StoreError::from)?;
        let known: BTreeSet<&str> = table_names().into_iter().collect();
        for handle in tx.list_tables().map_err(StoreError::from)? {
            if !known.contains(handle.name()) {
                return Err(ExportError::UnknownTable(handle.name().to_owned()));
            }
        }
        macro_rules! dump_all {
            ($($table:ident),*) => { $(dump(&tx, tables::$table, sink)?;)* };
        }
        every_table!(dump_all);
        let reader = super::Reader { tx };
        Ok(ExportSummary {
            schema_version: migrations::schema_version(&reader)?,
            last_change: reader.last_change_seq()?,
        })
    }
}

fn dump<K: Key + 'static, V: Value + 'static>(
    tx: &ReadTransaction,
    definition: TableDefinition<K, V>,
    sink: &mut dyn TableSink,
) -> Result<(), ExportError> {
    sink.begin_table(definition.name())?;
    let mut count = 0;
    match tx.open_table(definition) {
        Ok(table) => {
            for entry in table.iter()? {
                let (key, value) = entry?;
                sink.entry(
                    K::as_bytes(&key.value()).as_ref(),
                    V::as_bytes(&value.value()).as_ref(),
                )?;
                count += 1;
            }
        }
        // A table the schema has not needed yet (none written) dumps as empty.
        Err(redb::TableError::TableDoesNotExist(_)) => {}
        Err(err) => return Err(err.into()),
    }
    sink.end_table(definition.name(), count)?;
    Ok(())
}

/// Entries buffered before they are written, so each table is opened once per batch.
const IMPORT_BATCH: usize = 20_000;

/// Writes a dump into a new database file. Tables arrive one after another; entries
/// are committed in batches without waiting for the disk, and [`Import::finish`] makes
/// the whole file durable once.
pub struct Import {
    db: Database,
    table: Option<String>,
    batch: Vec<(Vec<u8>, Vec<u8>)>,
}

impl std::fmt::Debug for Import {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Import")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl Import {
    /// Creates the database file at `path`, which must not exist yet.
    pub fn create(path: &Path) -> Result<Self, ExportError> {
        if path.exists() {
            return Err(ExportError::Sink(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} already exists", path.display()),
            )));
        }
        let db = Database::builder()
            .create(path)
            .map_err(|e| StoreError::from(redb::Error::from(e)))?;
        Ok(Self {
            db,
            table: None,
            batch: Vec::new(),
        })
    }

    pub fn begin_table(&mut self, name: &str) -> Result<(), ExportError> {
        self.flush()?;
        if !table_names().contains(&name) {
            return Err(ExportError::UnexpectedTable(name.to_owned()));
        }
        self.table = Some(name.to_owned());
        Ok(())
    }

    pub fn entry(&mut self, key: &[u8], value: &[u8]) -> Result<(), ExportError> {
        self.batch.push((key.to_vec(), value.to_vec()));
        if self.batch.len() >= IMPORT_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is buffered and makes the file durable.
    pub fn finish(mut self) -> Result<(), ExportError> {
        self.flush()?;
        let tx = self.db.begin_write().map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ExportError> {
        let Some(name) = self.table.as_deref() else {
            return Ok(());
        };
        let mut tx = self.db.begin_write().map_err(StoreError::from)?;
        tx.set_durability(redb::Durability::None)
            .map_err(|e| StoreError::from(redb::Error::from(e)))?;
        let batch = std::mem::take(&mut self.batch);
        macro_rules! insert_into {
            ($($table:ident),*) => {
                $(if name == tables::$table.name() {
                    insert_all(&tx, tables::$table, &batch)?;
                })*
            };
        }
        every_table!(insert_into);
        tx.commit().map_err(StoreError::from)?;
        Ok(())
    }
}

fn insert_all<K: Key + 'static, V: Value + 'static>(
    tx: &WriteTransaction,
    definition: TableDefinition<K, V>,
    batch: &[(Vec<u8>, Vec<u8>)],
) -> Result<(), ExportError> {
    // Opening the table creates it, so an empty table in the dump exists afterwards.
    let mut table = tx.open_table(definition)?;
    for (key, value) in batch {
        let fixed = |want: Option<usize>, got: usize| want.is_none_or(|w| w == got);
        if !fixed(K::fixed_width(), key.len()) || !fixed(V::fixed_width(), value.len()) {
            return Err(ExportError::BadEntry {
                table: definition.name().to_owned(),
                message: "a key or value has the wrong length".into(),
            });
        }
        table.insert(K::from_bytes(key), V::from_bytes(value))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use redb::{ReadableDatabase, TableHandle};

    use super::{Import, TableSink, table_names};
    use crate::app::Crm;
    use crate::config::Config;
    use crate::demo::{DemoOptions, generate};
    use crate::store::Db;

    const CACHE: usize = 16 * 1024 * 1024;

    /// Every entry of a dump, as `(table, key, value)`, in dump order.
    #[derive(Debug, Default)]
    struct Collected {
        entries: Vec<(String, Vec<u8>, Vec<u8>)>,
        tables: Vec<(String, u64)>,
        current: String,
    }

    impl TableSink for Collected {
        fn begin_table(&mut self, name: &str) -> std::io::Result<()> {
            self.current = name.to_owned();
            Ok(())
        }

        fn entry(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()> {
            self.entries
                .push((self.current.clone(), key.to_vec(), value.to_vec()));
            Ok(())
        }

        fn end_table(&mut self, name: &str, count: u64) -> std::io::Result<()> {
            self.tables.push((name.to_owned(), count));
            Ok(())
        }
    }

    fn export(db: &Db) -> Collected {
        let mut collected = Collected::default();
        db.export(&mut collected).expect("export");
        collected
    }

    #[test]
    fn a_migrated_database_has_exactly_the_tables_backups_know() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(
            &dir.path().join("db.redb"),
            CACHE,
            &Config::defaults().time_zone(),
        )
        .expect("open");
        let tx = db.inner.begin_read().expect("read");
        let present: BTreeSet<String> = tx
            .list_tables()
            .expect("list")
            .map(|t| t.name().to_owned())
            .collect();
        let known: BTreeSet<String> = table_names().into_iter().map(str::to_owned).collect();
        assert_eq!(known.len(), table_names().len(), "a table is listed twice");
        assert_eq!(
            present, known,
            "the migrations create these tables; store/export.rs must list exactly them"
        );
    }

    #[test]
    fn export_import_export_gives_the_same_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let crm = Crm::new(
            Db::open(
                &dir.path().join("original.redb"),
                CACHE,
                &Config::defaults().time_zone(),
            )
            .expect("open"),
            Config::defaults(),
        );
        let options = DemoOptions {
            customers: 40,
            products: 12,
            sales: 60,
            seed: 7,
        };
        generate(&crm, &options, false).expect("demo data");
        let original = export(crm.db());
        assert!(
            original.entries.len() > 200,
            "the demo store fills the tables"
        );
        let copy_path = dir.path().join("copy.redb");
        let mut import = Import::create(&copy_path).expect("create");
        let mut at = 0;
        for (name, count) in &original.tables {
            import.begin_table(name).expect("begin");
            for (_, key, value) in &original.entries[at..at + *count as usize] {
                import.entry(key, value).expect("entry");
            }
            at += *count as usize;
        }
        import.finish().expect("finish");
        let copy = Db::open(&copy_path, CACHE, &Config::defaults().time_zone())
            .expect("the copy opens through the migrations");
        let again = export(&copy);
        assert_eq!(again.tables, original.tables);
        assert!(
            again.entries == original.entries,
            "the copy holds other bytes than the original"
        );
        let [first, second] = [crm.db(), &copy].map(|db| db.export(&mut Collected::default()));
        assert_eq!(
            first.expect("export").last_change,
            second.expect("export").last_change
        );
    }
}
