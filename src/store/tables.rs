//! Every redb table, in one place, so the whole storage layout reads at a glance.
//!
//! Record tables map a UUIDv7 (as `u128`) to a versioned postcard record. Index tables
//! are kept in the same write transaction as the record they point at.

use redb::TableDefinition;

pub type RecordTable = TableDefinition<'static, u128, &'static [u8]>;
/// `(store, id) → ()`: a store's records in id (= creation) order.
pub type StoreIndex = TableDefinition<'static, (u128, u128), ()>;
/// `(store, key) → id`: a unique key within a store.
pub type UniqueIndex = TableDefinition<'static, (u128, &'static str), u128>;
/// `(store, sort key, id) → ()`: a store's records in the order of some field.
pub type OrderIndex = TableDefinition<'static, (u128, &'static str, u128), ()>;

/// Schema version and other single values.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// The change log: sequence number → encoded [`super::Change`].
pub const CHANGES: TableDefinition<u64, &[u8]> = TableDefinition::new("changes");
/// Sequence number → encoded [`super::ChangeDetails`], for changes that have any.
pub const CHANGE_DETAILS: TableDefinition<u64, &[u8]> = TableDefinition::new("change_details");
/// Per-store counters: `(store, name) → value` (next customer number, live counts).
pub const COUNTERS: TableDefinition<(u128, &str), u64> = TableDefinition::new("counters");

pub const STORES: RecordTable = TableDefinition::new("stores");
/// Lower-cased store name → store id.
pub const STORES_BY_NAME: TableDefinition<&str, u128> = TableDefinition::new("stores_by_name");

pub const FLOORS: RecordTable = TableDefinition::new("floors");
pub const FLOORS_BY_STORE: StoreIndex = TableDefinition::new("floors_by_store");
pub const FLOORS_BY_NAME: UniqueIndex = TableDefinition::new("floors_by_name");

pub const USERS: RecordTable = TableDefinition::new("users");
pub const USERS_BY_STORE: StoreIndex = TableDefinition::new("users_by_store");
/// Usernames are unique across the whole installation, because sign-in names no store.
pub const USERS_BY_USERNAME: TableDefinition<&str, u128> =
    TableDefinition::new("users_by_username");
pub const ACCOUNTS: RecordTable = TableDefinition::new("accounts");
/// SHA-256 of the session token → session.
pub const SESSIONS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("sessions");

/// Integrations' API keys, revoked ones too (the list shows them).
pub const API_KEYS: RecordTable = TableDefinition::new("api_keys");
pub const API_KEYS_BY_STORE: StoreIndex = TableDefinition::new("api_keys_by_store");
/// SHA-256 of a key's secret → key id: how a request's key is found.
pub const API_KEYS_BY_HASH: TableDefinition<&[u8], u128> = TableDefinition::new("api_keys_by_hash");

pub const CATEGORIES: RecordTable = TableDefinition::new("categories");
pub const CATEGORIES_BY_STORE: StoreIndex = TableDefinition::new("categories_by_store");

pub const PRODUCTS: RecordTable = TableDefinition::new("products");
/// Live products only; removed ones move to `PRODUCTS_REMOVED`, so a list of live
/// products can skip pages by key without reading records.
pub const PRODUCTS_BY_STORE: StoreIndex = TableDefinition::new("products_by_store");
pub const PRODUCTS_REMOVED: StoreIndex = TableDefinition::new("products_removed");
pub const PRODUCTS_BY_SKU: UniqueIndex = TableDefinition::new("products_by_sku");
/// Live products by lower-cased name.
pub const PRODUCTS_BY_NAME: OrderIndex = TableDefinition::new("products_by_name");

pub const CUSTOMERS: RecordTable = TableDefinition::new("customers");
/// Live customers only (in id, that is arrival, order); removed ones move to
/// `CUSTOMERS_REMOVED`.
pub const CUSTOMERS_BY_STORE: StoreIndex = TableDefinition::new("customers_by_store");
pub const CUSTOMERS_REMOVED: StoreIndex = TableDefinition::new("customers_removed");
/// `(store, E.164 phone) → customer`: one customer per phone number in a store.
pub const CUSTOMERS_BY_PHONE: UniqueIndex = TableDefinition::new("customers_by_phone");
/// `(store, customer number) → customer`, for `C-000123` look-ups; removed customers too.
pub const CUSTOMERS_BY_NUMBER: TableDefinition<(u128, u64), u128> =
    TableDefinition::new("customers_by_number");
/// Live customers by lower-cased name.
pub const CUSTOMERS_BY_NAME: OrderIndex = TableDefinition::new("customers_by_name");

pub const SALES: RecordTable = TableDefinition::new("sales");
pub const SALES_BY_STORE: StoreIndex = TableDefinition::new("sales_by_store");
/// `(store, invoice number) → sale`: invoice numbers are unique in a store.
pub const SALES_BY_INVOICE: UniqueIndex = TableDefinition::new("sales_by_invoice");
/// `(store, customer, sale) → ()`: a customer's purchases, for their timeline.
pub const SALES_BY_CUSTOMER: TableDefinition<(u128, u128, u128), ()> =
    TableDefinition::new("sales_by_customer");
/// `(store, sale) → ()`: the bills drawn up and awaiting payment (PENDING) only, for the
/// pipeline; a sale leaves it when it is completed or cancelled.
pub const SALES_PENDING: StoreIndex = TableDefinition::new("sales_pending");
/// Bills, invoiced bills, amount payable, refunds and cash kept (paise) of some sales.
pub type DayTotals = (u64, u64, i64, i64, i64);
/// `(store, day as yyyymmdd in the store's zone, floor, salesperson, status) → totals`:
/// what each day's sales add up to, dated as the register dates them, kept with every
/// sale write so the register's totals never read the sales themselves.
pub const SALE_DAYS: TableDefinition<'static, (u128, u32, u128, u128, u8), DayTotals> =
    TableDefinition::new("sale_days");
/// `(store, day as yyyymmdd in the store's zone, kind, sale, return) → ()`: invoiced bills
/// on the day they were completed (kind 0) and returns on the day they were made (kind
/// 1, with the return's place in the sale's list), for the GST sales register.
pub const GST_DAYS: TableDefinition<'static, (u128, u32, u8, u128, u32), ()> =
    TableDefinition::new("gst_days");
/// `"zone" → IANA name`: the time zone `SALE_DAYS` is dated in; when the configured zone
/// differs at start, the summary is worked out again.
pub const SALE_DAYS_ZONE: TableDefinition<'static, &'static str, &'static str> =
    TableDefinition::new("sale_days_zone");
/// `(store, grain, facet, period, floor, staff, member)`: the key of [`FIGURES`].
pub type FigureKey = (u128, u8, u8, u32, u128, u128, u128);
/// `(store, grain, facet, period, floor, staff, member) → sums`: the owner's figures
/// (`store::figures`). The grain is 0 for a day (period `yyyymmdd`) or 1 for a month
/// (`yyyymm`); a facet's rows of one grain lie together in period order, so a range of
/// days or months is one key range. Kept with every sale, interaction and customer write.
pub const FIGURES: TableDefinition<'static, FigureKey, crate::domain::sale_facts::Measures> =
    TableDefinition::new("figures");
/// Cash still counted on the day (COMPLETED sales) and cash counted in the financial
/// year (COMPLETED or REFUNDED), in paise.
pub type CashTotals = (i64, i64);
/// `(store, customer, day as yyyymmdd in the store's zone) → cash totals`: the cash kept
/// from each customer in the sales completed on each day, for the counter's s.269ST
/// limit and KYC flag; kept with every sale write.
pub const CUSTOMER_CASH_DAYS: TableDefinition<'static, (u128, u128, u32), CashTotals> =
    TableDefinition::new("customer_cash_days");
/// Lifetime value in paise, last purchase in µs since 1970, purchases, walk-ins.
pub type CustomerTotals = (i64, Option<i64>, u64, u64);
/// `(store, customer) → (lifetime value in paise, last purchase in µs since 1970,
/// purchases, walk-ins)`: each customer's running totals, kept with every sale, refund
/// and interaction.
pub const CUSTOMER_VALUES: TableDefinition<'static, (u128, u128), CustomerTotals> =
    TableDefinition::new("customer_values");
/// Live customers by lifetime value, last purchase and visits (fixed-width digit keys).
pub const CUSTOMERS_BY_VALUE: OrderIndex = TableDefinition::new("customers_by_value");
pub const CUSTOMERS_BY_LAST_PURCHASE: OrderIndex =
    TableDefinition::new("customers_by_last_purchase");
pub const CUSTOMERS_BY_VISITS: OrderIndex = TableDefinition::new("customers_by_visits");
/// `(store, month × 100 + day, kind, customer) → ()`: live customers' birthdays (kind 0)
/// and anniversaries (kind 1) by day of the year, for My day.
pub const CUSTOMERS_BY_OCCASION: TableDefinition<'static, (u128, u16, u8, u128), ()> =
    TableDefinition::new("customers_by_occasion");

pub const RATES: RecordTable = TableDefinition::new("rates");
/// `(store, metal, fineness, rate) → ()`: each purity's rates in the order they were
/// set; the last is the one in force.
pub const RATES_BY_PURITY: TableDefinition<'static, (u128, u8, u16, u128), ()> =
    TableDefinition::new("rates_by_purity");

pub const INTERACTIONS: RecordTable = TableDefinition::new("interactions");
/// `(store, customer, interaction) → ()`: a customer's interactions in time order.
pub const INTERACTIONS_BY_CUSTOMER: TableDefinition<'static, (u128, u128, u128), ()> =
    TableDefinition::new("interactions_by_customer");
/// `(store, floor, interaction) → ()`: a floor's interactions in time order.
pub const INTERACTIONS_BY_FLOOR: TableDefinition<'static, (u128, u128, u128), ()> =
    TableDefinition::new("interactions_by_floor");

pub const FOLLOW_UPS: RecordTable = TableDefinition::new("follow_ups");
/// `(store, customer, follow-up) → ()`: a customer's follow-ups.
pub const FOLLOW_UPS_BY_CUSTOMER: TableDefinition<'static, (u128, u128, u128), ()> =
    TableDefinition::new("follow_ups_by_customer");
/// `(store, owner, due time in µs, follow-up) → ()`: open follow-ups (pending or
/// rescheduled) by who owns them and when they are due, for "My day".
pub const OPEN_FOLLOW_UPS_BY_OWNER: TableDefinition<'static, (u128, u128, i64, u128), ()> =
    TableDefinition::new("open_follow_ups_by_owner");
/// `(store, floor, due time in µs, follow-up) → ()`: open follow-ups of a floor.
pub const OPEN_FOLLOW_UPS_BY_FLOOR: TableDefinition<'static, (u128, u128, i64, u128), ()> =
    TableDefinition::new("open_follow_ups_by_floor");

/// Notifications (`store::notifications`): each store keeps its newest
/// [`super::notifications::MAX_KEPT`], older ones are removed as new ones come.
pub const NOTIFICATIONS: RecordTable = TableDefinition::new("notifications");
/// `(store, notification) → (audience kind, audience id)`: a store's notifications in
/// time order with whom each is for, so the bell counts without reading records.
pub const NOTIFICATIONS_BY_STORE: TableDefinition<'static, (u128, u128), (u8, u128)> =
    TableDefinition::new("notifications_by_store");
/// `(store, dedupe key) → µs since 1970 it was made`: each event notifies once.
pub const NOTIFICATION_KEYS: TableDefinition<'static, (u128, &'static str), i64> =
    TableDefinition::new("notification_keys");
/// `(store, µs since 1970, dedupe key) → ()`: the same keys oldest first, so those
/// older than [`super::notifications::KEYS_KEPT_DAYS`] are forgotten a few at a time.
pub const NOTIFICATION_KEYS_BY_TIME: TableDefinition<'static, (u128, i64, &'static str), ()> =
    TableDefinition::new("notification_keys_by_time");
/// `(store, user) → notification id`: the person has read everything up to it.
pub const NOTIFICATIONS_READ_UP_TO: TableDefinition<'static, (u128, u128), u128> =
    TableDefinition::new("notifications_read_up_to");
/// `(store, user, notification) → ()`: read one at a time, above the person's mark.
pub const NOTIFICATIONS_READ: TableDefinition<'static, (u128, u128, u128), ()> =
    TableDefinition::new("notifications_read");

/// Import batches (`store::imports`): the uploaded file's mapping, choices and outcome.
pub const IMPORTS: RecordTable = TableDefinition::new("imports");
pub const IMPORTS_BY_STORE: StoreIndex = TableDefinition::new("imports_by_store");
/// `(batch, n) → encoded item`: each record a committed batch created or changed, in
/// the order it wrote them, with what undo needs to take it back.
pub const IMPORT_ITEMS: TableDefinition<'static, (u128, u32), &'static [u8]> =
    TableDefinition::new("import_items");
/// `(store, kind, lower-cased name) → encoded mapping`: column mappings kept by name.
pub const IMPORT_MAPPINGS: TableDefinition<'static, (u128, u8, &'static str), &'static [u8]> =
    TableDefinition::new("import_mappings");
/// `(store, customer, record) → ()`: a customer's sales, interactions or follow-ups.
pub type CustomerIndex = TableDefinition<'static, (u128, u128, u128), ()>;
/// Merges of duplicate customers (`store::customer_merges`), undone ones too.
pub const CUSTOMER_MERGES: RecordTable = TableDefinition::new("customer_merges");
/// `(store, survivor, merge) → ()`: the merges into each customer still in force, whose
/// numbers and e-mails are its aliases.
pub const CUSTOMER_MERGES_BY_SURVIVOR: CustomerIndex =
    TableDefinition::new("customer_merges_by_survivor");
/// `(store, customer) → merge`: customers merged into another, while the merge stands.
pub const CUSTOMERS_MERGED_INTO: TableDefinition<'static, (u128, u128), u128> =
    TableDefinition::new("customers_merged_into");
/// `(store, key, customer) → ()`: live customers by what two records of one person
/// share: `e:` and the e-mail (aliases too), `n:` and the sound key of the surname. The
/// possible-duplicates page compares customers within one key only.
pub const CUSTOMERS_BY_MATCH_KEY: OrderIndex = TableDefinition::new("customers_by_match_key");

/// Stored files (`store::files`): product photos, customer documents, the logo.
pub const FILES: RecordTable = TableDefinition::new("files");
/// `(store, owner, file) → ()`: a product's, a customer's or the store's files, in the
/// order they were added.
pub const FILES_BY_OWNER: TableDefinition<'static, (u128, u128, u128), ()> =
    TableDefinition::new("files_by_owner");
/// `(SHA-256, file) → ()`: the records using each blob; the clean-up keeps exactly these.
pub const FILES_BY_CONTENT: TableDefinition<'static, (&'static [u8], u128), ()> =
    TableDefinition::new("files_by_content");
/// `(store, customer, view) → encoded view`: each opening or download of a customer's
/// document, for the timeline.
pub const FILE_VIEWS: TableDefinition<'static, (u128, u128, u128), &'static [u8]> =
    TableDefinition::new("file_views");
