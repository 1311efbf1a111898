//! Typed identifiers (UUIDv7, time-ordered) and the short codes humans read.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::InvalidValue;

/// The smallest UUIDv7 key a record made at or after `at` can have: ids are
/// time-ordered, so "made since" is a range of keys.
pub fn first_key_at(at: jiff::Timestamp) -> u128 {
    let millis = u128::try_from(at.as_millisecond()).unwrap_or(0);
    millis << 80
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// An identifier for a record made at `at` (demo data backdates records,
            /// and ids order records by creation).
            pub fn created_at(at: jiff::Timestamp) -> Self {
                let secs = u64::try_from(at.as_second()).unwrap_or(0);
                let nanos = u32::try_from(at.subsec_nanosecond()).unwrap_or(0);
                Self(Uuid::new_v7(uuid::Timestamp::from_unix(
                    uuid::NoContext,
                    secs,
                    nanos,
                )))
            }

            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn from_u128(raw: u128) -> Self {
                Self(Uuid::from_u128(raw))
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// The key under which the record is stored.
            pub const fn as_u128(&self) -> u128 {
                self.0.as_u128()
            }

            pub fn parse(input: &str) -> Result<Self, InvalidValue> {
                Uuid::parse_str(input.trim())
                    .map(Self)
                    .map_err(|_| InvalidValue::new("is not a valid id"))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(StoreId);
id_type!(FloorId);
id_type!(UserId);
id_type!(CategoryId);
id_type!(ProductId);
id_type!(CustomerId);
id_type!(InteractionId);
id_type!(FollowUpId);
id_type!(SaleId);
id_type!(PreferenceId);
id_type!(RateId);
id_type!(ApiKeyId);
id_type!(NotificationId);
id_type!(ImportId);
id_type!(MergeId);
id_type!(FileId);

/// `C-000123`: the customer number staff read out, sequential within a store.
pub fn customer_code(number: u64) -> String {
    format!("C-{number:06}")
}

/// Reads `C-000123`, `c-123` or `C000123` back into its number.
pub fn parse_customer_code(input: &str) -> Option<u64> {
    let s = input.trim();
    let rest = s.strip_prefix('C').or_else(|| s.strip_prefix('c'))?;
    let digits = rest.strip_prefix('-').unwrap_or(rest);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_codes_round_trip() {
        assert_eq!(customer_code(123), "C-000123");
        assert_eq!(parse_customer_code("C-000123"), Some(123));
        assert_eq!(parse_customer_code("c123"), Some(123));
        assert_eq!(parse_customer_code("C-"), None);
        assert_eq!(parse_customer_code("X-1"), None);
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = CustomerId::new();
        let b = CustomerId::new();
        assert!(a < b);
        assert_eq!(CustomerId::parse(&a.to_string()).unwrap(), a);
    }
}
