//! The catalogue: a tree of categories and the pieces on the floors.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{
    CategoryId, FloorId, Huid, MakingCharge, Metal, Milligrams, Paise, PersonName, ProductId,
    Purity, Sku, StoreId, Text,
};

/// A category such as "Necklaces" under "Gold"; `parent` makes the tree. The tree has
/// no cycles: the app refuses a parent that lies below the category itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub store_id: StoreId,
    pub name: PersonName,
    pub parent_id: Option<CategoryId>,
    pub description: Text<500>,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub deleted_at: Option<Timestamp>,
}

/// One catalogue line: a tagged piece, or a line of identical pieces with a stock count.
///
/// Invariants the app keeps when it builds one: `stone_weight ≤ gross_weight`;
/// `purity` belongs to `metal`; hallmarkable gold of 2 g or more carries a HUID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub store_id: StoreId,
    pub floor_id: FloorId,
    pub sku: Sku,
    pub name: PersonName,
    pub description: Text<2000>,
    pub category_id: Option<CategoryId>,
    pub metal: Metal,
    pub purity: Purity,
    pub gross_weight: Milligrams,
    pub stone_weight: Milligrams,
    pub making_charge: MakingCharge,
    pub stone_value: Paise,
    pub huid: Option<Huid>,
    /// A price that ignores the day's metal rate (silver gifts, watches).
    pub fixed_price: Option<Paise>,
    pub stock_qty: u32,
    pub active: bool,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub deleted_at: Option<Timestamp>,
}

impl Product {
    /// Gross minus stones: the metal that the rate applies to.
    pub fn net_weight(&self) -> Milligrams {
        self.gross_weight
            .checked_sub(self.stone_weight)
            .unwrap_or(Milligrams::ZERO)
    }

    /// BIS rule as applied here: gold jewellery of 2 g or more is sold hallmarked.
    pub fn needs_huid(metal: Metal, gross_weight: Milligrams) -> bool {
        metal == Metal::Gold && gross_weight.get() >= 2_000
    }
}
