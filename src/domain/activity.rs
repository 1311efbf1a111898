//! The customer's timeline: interactions that happened and follow-ups that are due.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{
    CustomerId, FloorId, FollowUpId, FollowUpStatus, FollowUpType, InteractionId, InteractionType,
    SaleId, StoreId, Text, UserId,
};

/// Something that happened with a customer: a walk-in, a call, a complaint, a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub store_id: StoreId,
    pub floor_id: FloorId,
    pub customer_id: CustomerId,
    pub kind: InteractionType,
    pub notes: Text<2000>,
    pub outcome: Text<500>,
    pub sale_id: Option<SaleId>,
    pub staff_id: UserId,
    #[serde(with = "micros")]
    pub occurred_at: Timestamp,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
}

/// Something to do for a customer by a due time, owned by one member of staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub store_id: StoreId,
    pub floor_id: FloorId,
    pub customer_id: CustomerId,
    pub kind: FollowUpType,
    pub status: FollowUpStatus,
    #[serde(with = "micros")]
    pub due_at: Timestamp,
    pub owner_id: UserId,
    pub notes: Text<2000>,
    pub outcome: Text<500>,
    #[serde(with = "micros_opt")]
    pub completed_at: Option<Timestamp>,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
}
