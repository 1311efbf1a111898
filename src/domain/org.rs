//! The shop itself: a store (one business, one GSTIN) and its floors.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{FloorId, Gstin, PersonName, RoundOff, StoreId, Text};

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
    /// How bills drawn up from now on round their amount payable (format version 2).
    pub round_off: RoundOff,
}

/// A store as format version 1 stored it, before the round-off setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreV1 {
    pub id: StoreId,
    pub name: PersonName,
    pub gstin: Option<Gstin>,
    pub state_code: Text<2>,
    pub address: Text<300>,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
}

impl From<StoreV1> for Store {
    /// Stores set up before the setting round to the rupee, as Indian invoices do.
    fn from(v1: StoreV1) -> Self {
        Self {
            id: v1.id,
            name: v1.name,
            gstin: v1.gstin,
            state_code: v1.state_code,
            address: v1.address,
            created_at: v1.created_at,
            round_off: RoundOff::NearestRupee,
        }
    }
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
