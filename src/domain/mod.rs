//! The jewellery store's vocabulary: value types that cannot hold invalid values, the
//! entities built from them, and Indian money/weight/date formatting.
//!
//! Nothing here does I/O, knows about HTTP, redb or tantivy, or is async. Values are
//! parsed once at the edge (`Phone::parse`, `Huid::parse`, …); code that holds one
//! can rely on it being valid.

mod bill_limits;
pub mod billing;
mod bytes;
mod enums;
mod error;
pub mod forecast;
pub mod gst_states;
mod gstin;
mod hidden_chars;
mod ids;
mod jewellery;
pub mod jewellery_calendar;
mod money;
pub mod name_match;
mod phone;
pub mod pricing;
mod rates;
pub mod refund;
mod round_off;
mod text;
pub(crate) mod time;
mod typed_amount;
mod weight;
pub mod words;

mod activity;
mod api_key;
mod catalogue;
mod customer;
mod customer_merge;
mod customer_value;
mod files;
mod import;
mod notification;
mod org;
mod people;
pub mod rfm;
mod sale;
pub mod sale_facts;
mod sale_versions;
mod sales_tally;

pub use activity::{FollowUp, Interaction};
pub use api_key::{Access, ApiKey, Area, KeyScope};
pub use bytes::format_size;
pub use catalogue::{Category, Product};
pub use customer::{Address, Customer, CustomerPreferences, CustomerProductPreference};
pub use customer_merge::{CustomerMerge, MergeChoices, Side, merged_customer};
pub use customer_value::{CustomerValue, SaleContribution, status_after_purchase};
pub use enums::{
    CustomerStatus, FollowUpStatus, FollowUpType, Gender, InteractionType, PaymentMethod,
    SaleStatus, UserRole,
};
pub use error::{FieldErrors, InvalidValue};
pub use files::{ContentHash, FileCopy, FileKind, FileOwner, FileType, FileView, StoredFile};
pub use gstin::{EXAMPLE_GSTIN, Gstin};
pub use ids::{
    ApiKeyId, CategoryId, CustomerId, FileId, FloorId, FollowUpId, ImportId, InteractionId,
    MergeId, NotificationId, PreferenceId, ProductId, RateId, SaleId, StoreId, UserId,
    customer_code, first_key_at, parse_customer_code,
};
pub use import::{
    DuplicateAction, ImportBatch, ImportCounts, ImportItem, ImportKind, ImportState, MappedColumn,
    SavedMapping,
};
pub use jewellery::{Huid, MakingCharge, Metal, Purity};
pub use money::{BasisPoints, Paise, group_indian};
pub use notification::{Notification, NotificationAudience, NotificationContent, NotificationKind};
pub use org::{Floor, Store, StoreV1};
pub use people::{Account, Session, User};
pub use phone::Phone;
pub use rates::{MetalRate, PriceToday, board_purities, price_today};
pub use round_off::{Payable, RoundOff, format_round_off};
pub use sale::{Correction, InvoiceNo, OldGold, Payment, Refund, Sale, SaleLine, SellerGst};
pub use sale_versions::{SaleV1, SaleV2, SaleV3, SaleV4, SaleV5};
pub use sales_tally::{SalesTally, register_day, register_time};
pub use text::{Email, Pan, PersonName, Pincode, Sku, Tag, Text, Username};
pub use time::{FinancialYear, format_date, format_date_time, format_elapsed, now};
pub use time::{micros as time_micros, micros_opt as time_micros_opt};
pub use typed_amount::{AmountKind, ParseAmountError};
pub use weight::Milligrams;
