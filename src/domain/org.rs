//! The shop itself: a store (one business, one GSTIN) and its floors.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{FloorId, Gstin, PersonName, StoreId, Text};

/// One business. Stores never see each other's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    pub id: StoreId,
    pub name: PersonName,
    pub gstin: Option<Gstin>,
    /// Two-digit GST state code of the shop (`19` is West Bengal); decides CGST+SGST
    /// versus IGST.
    pub state_code: Text<2>,
    pub address: Text<300>,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
}

/// A sales floor ("Ground Floor — Gold", "1st Floor — Diamond").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floor {
    pub id: FloorId,
    pub store_id: StoreId,
    pub name: PersonName,
    /// 0 for the ground floor, 1 for the first, and so on; orders floors in lists.
    pub level: i16,
    pub description: Text<500>,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub deleted_at: Option<Timestamp>,
}
