//! Customers, their address and preferences, and products they have shown interest in.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{
    CategoryId, CustomerId, CustomerStatus, Email, FloorId, Gender, Metal, Paise, Pan, PersonName,
    Phone, PreferenceId, ProductId, Purity, StoreId, Tag, Text, UserId, customer_code,
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub line1: Text<200>,
    pub line2: Text<200>,
    /// The neighbourhood people say ("Salt Lake", "Behala"); searched on.
    pub locality: Text<100>,
    pub city: Text<100>,
    pub state: Text<100>,
    pub pincode: Option<super::Pincode>,
}

impl Address {
    /// The lines written on a page or an envelope, empty ones left out (the PIN code is
    /// apart).
    pub fn lines(&self) -> Vec<&str> {
        [
            self.line1.as_str(),
            self.line2.as_str(),
            self.locality.as_str(),
            self.city.as_str(),
            self.state.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPreferences {
    pub categories: Vec<CategoryId>,
    pub metals: Vec<Metal>,
    pub purities: Vec<Purity>,
    pub budget_min: Option<Paise>,
    pub budget_max: Option<Paise>,
}

/// A customer of one store. Deleting sets `deleted_at`; the record stays for sales
/// history and can be restored by an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub store_id: StoreId,
    /// The number behind `C-000123`, sequential within the store.
    pub number: u64,
    pub name: PersonName,
    pub phone: Phone,
    pub email: Option<Email>,
    pub gender: Option<Gender>,
    pub date_of_birth: Option<Date>,
    pub anniversary: Option<Date>,
    pub address: Address,
    pub status: CustomerStatus,
    pub preferences: CustomerPreferences,
    pub notes: Text<2000>,
    pub home_floor_id: Option<FloorId>,
    pub tags: Vec<Tag>,
    /// Needed on bills of ₹2,00,000 or more (Rule 114B).
    pub pan: Option<Pan>,
    pub created_by: UserId,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub deleted_at: Option<Timestamp>,
}

impl Customer {
    pub fn code(&self) -> String {
        customer_code(self.number)
    }
}

/// A customer's recorded interest in a particular product ("liked the temple necklace,
/// wants it after Diwali").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProductPreference {
    pub id: PreferenceId,
    pub store_id: StoreId,
    pub customer_id: CustomerId,
    pub product_id: ProductId,
    /// 1 (mild) to 5 (ready to buy).
    pub interest: u8,
    pub notes: Text<500>,
    pub recorded_by: UserId,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
}
