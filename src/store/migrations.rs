//! Numbered schema migrations, run at start-up in one write transaction.
//!
//! Each migration takes the database from version `n - 1` to `n`. A database written
//! by any earlier version opens under this one (the test suite keeps fixtures written
//! by versions 1 and 2); a database from a newer build is refused rather than misread.

use jiff::tz::TimeZone;
use redb::{Database, ReadableDatabase, ReadableTable, WriteTransaction};

use super::codec::decode;
use super::customers::occasion_keys;
use super::{StoreError, sale_days, tables};
use crate::domain::{Customer, Sale, SaleStatus};

type Migration = fn(&WriteTransaction) -> Result<(), StoreError>;

/// In order: index `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[(&str, Migration)] = &[
    ("create the version 1 tables", create_v1_tables),
    (
        "add the metal-rate, interaction and follow-up tables",
        create_v2_tables,
    ),
    ("index the bills awaiting payment", create_v3_pending_sales),
    (
        "index customers' birthdays and anniversaries by day",
        create_v4_occasions,
    ),
    (
        "keep each customer's lifetime value, last purchase and visits",
        super::customer_values::backfill,
    ),
    (
        "keep what each day's sales add up to",
        super::sale_days::create_tables,
    ),
    (
        "keep each customer's cash per day for the counter's rules",
        super::customer_cash::create_table,
    ),
    (
        "keep where each change came from and the fields it changed, for the audit trail",
        create_v8_change_details,
    ),
    (
        "add the tables of integrations' API keys",
        super::api_keys::create_tables,
    ),
    (
        "keep the owner's figures, and each sale's categories and place of supply",
        super::figures::migrate,
    ),
    (
        "index invoiced bills and returns by day for the GST sales register",
        super::gst_days::migrate,
    ),
    (
        "add the notification tables",
        super::notifications::create_tables,
    ),
    ("add the import tables", super::imports::create_tables),
    (
        "add the customer-merge tables and index customers by e-mail and surname sound",
        super::customer_merges::create_tables,
    ),
    (
        "add the tables of stored files (photos, documents, the logo)",
        super::files::create_tables,
    ),
];

pub const LATEST_SCHEMA_VERSION: u64 = MIGRATIONS.len() as u64;

const SCHEMA_KEY: &str = "schema_version";

/// Brings the schema up to date, then dates the per-day sales summary in `zone` (worked
/// out afresh after migration 6 or when the configured zone changed), all in one write
/// transaction. A database that needs neither is not written to.
pub(super) fn run(db: &Database, zone: &TimeZone) -> Result<(), StoreError> {
    let current = read_version(db)?;
    if current > LATEST_SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: current,
            known: LATEST_SCHEMA_VERSION,
        });
    }
    if current == LATEST_SCHEMA_VERSION && sale_days::dated_in(db, zone)? {
        return Ok(());
    }
    let tx = db.begin_write()?;
    for (index, (name, migrate)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tracing::info!(to = index + 1, "migrating the database: {name}");
        migrate(&tx)?;
    }
    sale_days::follow_zone(&tx, zone)?;
    tx.open_table(tables::META)?
        .insert(SCHEMA_KEY, LATEST_SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// The schema version recorded in the database (0 for a new, empty one).
pub fn schema_version(db_reader: &super::Reader) -> Result<u64, StoreError> {
    let table = db_reader.tx.open_table(tables::META)?;
    Ok(table.get(SCHEMA_KEY)?.map(|v| v.value()).unwrap_or(0))
}

fn read_version(db: &Database) -> Result<u64, StoreError> {
    let tx = db.begin_read()?;
    match tx.open_table(tables::META) {
        Ok(table) => Ok(table.get(SCHEMA_KEY)?.map(|v| v.value()).unwrap_or(0)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(0),
        Err(err) => Err(err.into()),
    }
}

/// Creates every table, so read transactions never meet a missing one.
fn create_v1_tables(tx: &WriteTransaction) -> Result<(), StoreError> {
    use tables::*;
    tx.open_table(META)?;
    tx.open_table(CHANGES)?;
    tx.open_table(COUNTERS)?;
    tx.open_table(STORES_BY_NAME)?;
    tx.open_table(USERS_BY_USERNAME)?;
    tx.open_table(SESSIONS)?;
    tx.open_table(CUSTOMERS_BY_NUMBER)?;
    tx.open_table(SALES_BY_CUSTOMER)?;
    for def in [
        STORES, FLOORS, USERS, ACCOUNTS, CATEGORIES, PRODUCTS, CUSTOMERS, SALES,
    ] {
        tx.open_table(def)?;
    }
    for def in [
        FLOORS_BY_STORE,
        USERS_BY_STORE,
        CATEGORIES_BY_STORE,
        PRODUCTS_BY_STORE,
        CUSTOMERS_BY_STORE,
        SALES_BY_STORE,
        PRODUCTS_REMOVED,
        CUSTOMERS_REMOVED,
    ] {
        tx.open_table(def)?;
    }
    for def in [
        FLOORS_BY_NAME,
        PRODUCTS_BY_SKU,
        CUSTOMERS_BY_PHONE,
        SALES_BY_INVOICE,
    ] {
        tx.open_table(def)?;
    }
    for def in [PRODUCTS_BY_NAME, CUSTOMERS_BY_NAME] {
        tx.open_table(def)?;
    }
    Ok(())
}

/// Version 8: the audit trail's details of each change, beside the change log. Changes
/// from before have none, and read as such.
fn create_v8_change_details(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::CHANGE_DETAILS)?;
    Ok(())
}

/// Version 2: the daily metal rates and their history; interactions and follow-ups.
fn create_v2_tables(tx: &WriteTransaction) -> Result<(), StoreError> {
    use tables::*;
    for def in [RATES, INTERACTIONS, FOLLOW_UPS] {
        tx.open_table(def)?;
    }
    tx.open_table(RATES_BY_PURITY)?;
    for def in [
        INTERACTIONS_BY_CUSTOMER,
        INTERACTIONS_BY_FLOOR,
        FOLLOW_UPS_BY_CUSTOMER,
    ] {
        tx.open_table(def)?;
    }
    for def in [OPEN_FOLLOW_UPS_BY_OWNER, OPEN_FOLLOW_UPS_BY_FLOOR] {
        tx.open_table(def)?;
    }
    Ok(())
}

/// Version 3: the index of bills awaiting payment, filled from the sales already stored
/// (every sale is read once; afterwards `insert_sale` and `update_sale` keep it).
fn create_v3_pending_sales(tx: &WriteTransaction) -> Result<(), StoreError> {
    let sales = tx.open_table(tables::SALES)?;
    let mut pending = tx.open_table(tables::SALES_PENDING)?;
    for entry in sales.iter()? {
        let (id, bytes) = entry?;
        let sale: Sale = decode(bytes.value())?;
        if sale.status == SaleStatus::Pending {
            pending.insert((sale.store_id.as_u128(), id.value()), ())?;
        }
    }
    Ok(())
}

/// Version 4: customers' birthdays and anniversaries by day of the year, filled from the
/// customers already stored; afterwards `insert_customer` and `update_customer` keep it.
fn create_v4_occasions(tx: &WriteTransaction) -> Result<(), StoreError> {
    let customers = tx.open_table(tables::CUSTOMERS)?;
    let mut index = tx.open_table(tables::CUSTOMERS_BY_OCCASION)?;
    for entry in customers.iter()? {
        let (id, bytes) = entry?;
        let customer: Customer = decode(bytes.value())?;
        for (day, kind) in occasion_keys(&customer) {
            index.insert((customer.store_id.as_u128(), day, kind, id.value()), ())?;
        }
    }
    Ok(())
}
