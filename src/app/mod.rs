//! Use cases: one function per thing a person can do, taking the [`Actor`] doing it.
//!
//! This is the only way pages and the API touch data. It makes every permission
//! decision ([`Permission`], asked through [`Actor::may`] and [`Actor::require`]),
//! enforces the store/floor scope, turns raw input into domain values (collecting every field
//! error), and owns the write transaction of each mutation. It never sees HTTP.
//!
//! The database functions are synchronous (redb is); async callers go through
//! [`Crm::run`], which moves the work to the blocking pool.

mod activity;
mod actor;
mod api_keys;
mod audit;
mod audit_fields;
mod auth;
pub mod backups;
mod categories;
mod counter_lookups;
pub mod customer_analytics;
mod customer_input;
mod customer_merge;
mod customer_overview;
mod customer_segments;
mod customers;
mod dashboard;
mod error;
mod exports;
mod field_schemas;
pub mod figures;
pub mod files;
mod first_run;
mod floor_funnel;
mod follow_ups;
mod gst_summary;
mod gst_tax;
mod hand_off;
pub mod imports;
mod invoice;
mod kept;
mod key_scope;
mod live;
mod monitoring;
mod my_day;
mod notification_schedule;
mod notifications;
mod opening_report;
mod opening_work;
mod org;
mod paging;
mod password_hashing;
mod permissions;
mod pipeline;
pub mod product_analytics;
mod product_overview;
mod products;
mod query_text;
mod rates;
mod refunds;
mod revenue_forecast;
mod sale_corrections;
mod sale_views;
mod sales;
mod sales_analytics;
mod sales_analytics_query;
mod sales_analytics_rows;
mod sales_register;
mod search;
mod session_cache;
mod settings;
mod sign_in_alerts;
mod sign_in_throttle;
mod timeline;
mod users;

pub mod setup;

use std::sync::Arc;

pub use activity::{InteractionInput, InteractionQuery, WalkIn, WalkInInput};
pub use actor::Actor;
pub use api_keys::{ApiKeyInput, ApiKeyRow, MAX_LIVE_KEYS, NewApiKey, SECRET_PREFIX};
pub use audit::{
    AUDIT_PAGE, AuditEntry, AuditFilter, AuditPage, AuditPageRequest, AuditPerson, AuditQuery,
    audit_cursor,
};
pub use audit_fields::{AuditField, FieldUnit, KIND_NAMES, Notable, kind_name};
pub use auth::{LoginInput, SignedIn};
pub use categories::CategoryInput;
pub use counter_lookups::{PricedProduct, TAG_SUGGESTIONS};
pub use customer_input::{AddressInput, CustomerInput, PreferencesInput};
pub use customer_merge::{DuplicatesQuery, MergeFieldsInput, MergeInput, MergeOutcome};
pub use customer_overview::{Activity, CustomerOverview, FIRST_SHOWN, MAX_SHOWN};
pub use customers::CustomerQuery;
pub use dashboard::{Dashboard, DashboardOverview, FloorFigures, LOW_STOCK};
pub use error::{Error, InternalError};
pub use exports::{
    CustomerExportRow, EXPORT_PAGE, FollowUpExportRow, ListExport, ProductExportRow,
};
pub use first_run::SetupInput;
pub use floor_funnel::{FloorFunnel, FunnelRow, inquiry_conversion_bp};
pub use follow_ups::{FollowUpChange, FollowUpInput, FollowUpQuery};
pub use gst_summary::{GstSummary, InvoiceRow};
pub use gst_tax::{GstMonth, HsnRow, JEWELLERY_RATE, PlaceRow, ReturnRow, TaxSums};
pub use hand_off::HandOffInput;
pub use invoice::{HSN_JEWELLERY, Invoice, LogoImage, NOT_REGISTERED_NOTE};
pub use key_scope::KeyGrant;
pub use monitoring::Vitals;
pub use my_day::{ContactLinks, DayTask, MyDay, Occasion, OccasionKind};
pub use notification_schedule::{Readings, SystemReadings, run_schedule};
pub use notifications::{
    BACKUPS_LINK, LIST_LIMIT, MY_DAY_LINK, MarkReadInput, NotificationList, PAIR_LINK, RATES_LINK,
    UNREAD_CAP, customer_link, sale_link, sees,
};
pub use opening_report::{Named, OpeningReport, SpanKind, SpanReport, TOP_ITEMS, a_year_before};
pub use opening_work::{Counted, FIRST_FEW, FollowUpsDue, PendingBills, TodaysWork};
pub use org::FloorInput;
pub use paging::{Cursor, ListQuery, PAGING_PARAMETERS, Paging, next_cursor};
pub use permissions::Permission;
pub use pipeline::{FloorPipeline, Pipeline, Stage, StageItem, StageKind, Work};
pub use product_overview::ProductOverview;
pub use products::{MakingChargeInput, ProductInput, ProductQuery};
pub use rates::{BoardLine, RateInput};
pub use revenue_forecast::{HISTORY_DAYS, RevenueOutlook};
pub use sale_views::{CorrectionRow, SaleDetail};
pub use sales::{
    CompleteInput, OldGoldInput, PaymentInput, RefundInput, RefundLineInput, SaleInput,
    SaleLineInput,
};
pub use sales_analytics::SalesAnalytics;
pub use sales_analytics_query::{
    AnalyticsQuery, AnalyticsQueryText, GroupBy, MAX_SPAN_DAYS, Source,
};
pub use sales_analytics_rows::{Group, GroupFigures, GroupRow, Measure, MeasureValue, share_bp};
pub use sales_register::{RegisterTotals, SaleRow, SalesFilter, SalesFilterText, SalesRegister};
pub use search::Suggestions;
pub use settings::{StoreRegistration, StoreSettingsInput};
pub use sign_in_alerts::SlowedAccount;
pub use timeline::{Timeline, TimelineEntry, TimelineEvent, TimelineQuery};
pub use users::{NewUserInput, ProfileInput, StaffNames, UserUpdateInput};

use crate::config::Config;
use crate::search::SearchIndex;
use crate::store::Db;

/// The application: the database plus what the use cases need to share. Cheap to clone:
/// one reference count, however much it holds (every request clones it a few times, and
/// a clone of each part was most of what a `/healthz` request cost).
#[derive(Clone, Debug)]
pub struct Crm(Arc<Shared>);

impl std::ops::Deref for Crm {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What one [`Crm`] and its clones share.
#[derive(Clone, Debug)]
pub struct Shared {
    db: Db,
    search: Option<Arc<SearchIndex>>,
    config: Arc<Config>,
    hashing: Arc<password_hashing::PasswordHashing>,
    sign_in_throttle: Arc<sign_in_throttle::SignInThrottle>,
    demo_password_check: Arc<sign_in_alerts::DemoPasswordCheck>,
    activity: Arc<auth::SessionActivity>,
    /// Sessions and their people as last read, for requests that need no database read.
    sessions: Arc<session_cache::SessionCache>,
    /// The last time the database answered a health check.
    health_reads: Arc<monitoring::HealthReads>,
    dashboard_cache: Arc<dashboard::DashboardCache>,
    occasions_cache: Arc<opening_work::OccasionsCache>,
    setup_link: Arc<first_run::SetupLink>,
    backups: Option<crate::backup::Backups>,
    /// The live-events hub the streams join and the change-log publisher feeds.
    live: Arc<crate::live::Hub>,
    /// Where uploaded files wait to be imported, and the import being written now.
    imports: Arc<imports::ImportJobs>,
    /// The stored files' folder; command-line tools that touch no files run without.
    blobs: Option<crate::blobs::Blobs>,
    /// Pictures decoded at once are bounded: each can take most of a gigabyte.
    image_slots: Arc<files::ImageSlots>,
    /// The store's logo, which every page's header draws.
    logo_cache: Arc<files::LogoCache>,
}

impl Crm {
    pub fn new(db: Db, config: Config) -> Self {
        let permits = config.auth.max_concurrent_password_hashes;
        // Live events start after what is already committed: a stream asking for older
        // ones is given them from the change log.
        let published = db.read(|rx| rx.last_change_seq()).unwrap_or_else(|err| {
            tracing::warn!(%err, "could not read the change log's end; live events start from its beginning");
            0
        });
        let live = crate::live::Hub::new(published, config.live.replay_limit);
        let throttle = sign_in_throttle::ThrottlePolicy::from_config(&config.auth);
        Self(Arc::new(Shared {
            db,
            search: None,
            config: Arc::new(config),
            hashing: Arc::new(password_hashing::PasswordHashing::new(permits)),
            sign_in_throttle: Arc::new(sign_in_throttle::SignInThrottle::new(throttle)),
            demo_password_check: Arc::new(sign_in_alerts::DemoPasswordCheck::default()),
            activity: Arc::new(auth::SessionActivity::default()),
            sessions: Arc::default(),
            health_reads: Arc::default(),
            // One dashboard per store; a box serves one store, and a few are plenty.
            dashboard_cache: Arc::new(dashboard::DashboardCache::new(8)),
            occasions_cache: Arc::new(opening_work::OccasionsCache::new(
                opening_work::OCCASIONS_KEPT,
            )),
            setup_link: Arc::new(first_run::SetupLink::default()),
            backups: None,
            live,
            imports: Arc::new(imports::ImportJobs::new(None)),
            blobs: None,
            image_slots: Arc::default(),
            logo_cache: Arc::new(files::LogoCache::default()),
        }))
    }

    /// The same application with `change` made to what it holds.
    fn changed(self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        change(&mut shared);
        Self(Arc::new(shared))
    }

    /// The live-events hub, for the task that publishes to it and for `/metrics`.
    pub fn live_hub(&self) -> Arc<crate::live::Hub> {
        self.live.clone()
    }

    /// The same application, answering searches from `index`.
    pub fn with_search(self, index: Arc<SearchIndex>) -> Self {
        self.changed(|shared| shared.search = Some(index))
    }

    /// The same application, with the backup service whose status it reports.
    /// Keeps uploaded import files in `dir` (under the data directory).
    pub fn with_uploads(self, dir: std::path::PathBuf) -> Self {
        self.changed(|shared| shared.imports = Arc::new(imports::ImportJobs::new(Some(dir))))
    }

    pub fn with_backups(self, backups: crate::backup::Backups) -> Self {
        self.changed(|shared| shared.backups = Some(backups))
    }

    /// The backup service, for the task that runs its schedule.
    pub fn backups(&self) -> Option<&crate::backup::Backups> {
        self.backups.as_ref()
    }

    /// The search index; command-line tools that do not search run without one.
    pub fn search_index(&self) -> Result<&SearchIndex, Error> {
        self.search
            .as_deref()
            .ok_or_else(|| Error::internal_message("the search index is not open in this process"))
    }

    /// A shared handle to the search index, for the task that keeps it up to date.
    pub fn search_handle(&self) -> Option<Arc<SearchIndex>> {
        self.search.clone()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Gives the database back, for maintenance that needs the only handle to it.
    pub fn into_db(self) -> Db {
        Arc::unwrap_or_clone(self.0).db
    }

    /// The sequence number of the newest committed change; proves the database answers.
    pub fn last_change(&self) -> Result<u64, Error> {
        Ok(self.db.read(|rx| rx.last_change_seq())?)
    }

    /// Today's date in the store's time zone.
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::now()
            .to_zoned_datetime(self.config.time_zone())
            .date()
    }

    /// Runs synchronous use-case code on the blocking pool, off the async threads.
    pub async fn run<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&Crm) -> Result<T, Error> + Send + 'static,
    {
        let crm = self.clone();
        tokio::task::spawn_blocking(move || f(&crm))
            .await
            .map_err(|e| Error::internal("a background task failed", e))?
    }
}
