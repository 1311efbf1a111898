//! API keys for integrations: the stored record (never the secret, only its SHA-256)
//! and the scope that narrows what a key may do to a few areas of the store.

use std::net::IpAddr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{ApiKeyId, StoreId, Text, UserId};

/// A part of the store a key can be given: each maps to a group of API routes and the
/// use cases behind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Area {
    /// Customers, their values and timelines.
    Customers,
    /// Products and categories.
    Catalogue,
    /// Bills, invoices and the sales register.
    Sales,
    /// Interactions, walk-ins, follow-ups, My day and the pipeline.
    Activity,
    /// The day's metal rates.
    Rates,
}

impl Area {
    pub const ALL: [Area; 5] = [
        Area::Customers,
        Area::Catalogue,
        Area::Sales,
        Area::Activity,
        Area::Rates,
    ];

    /// The name used in the API, the config of a key and messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Area::Customers => "customers",
            Area::Catalogue => "catalogue",
            Area::Sales => "sales",
            Area::Activity => "activity",
            Area::Rates => "rates",
        }
    }

    pub fn parse(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == name.trim())
    }
}

/// What a key may do in an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    Read,
    ReadWrite,
}

impl Access {
    pub const fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::ReadWrite => "read_write",
        }
    }

    pub fn parse(name: &str) -> Option<Access> {
        match name.trim() {
            "read" => Some(Access::Read),
            "read_write" => Some(Access::ReadWrite),
            _ => None,
        }
    }

    /// Whether this access allows `wanted`.
    pub fn allows(self, wanted: Access) -> bool {
        self == Access::ReadWrite || wanted == Access::Read
    }
}

/// What a key may do, always within what its creator may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyScope {
    /// Read everything its creator could read; change nothing.
    ReadOnly,
    /// Only the areas listed, each with read or read and write access.
    Areas(Vec<(Area, Access)>),
}

impl KeyScope {
    /// The access given in `area`, if any.
    pub fn access(&self, area: Area) -> Option<Access> {
        match self {
            KeyScope::ReadOnly => Some(Access::Read),
            KeyScope::Areas(areas) => areas.iter().find(|(a, _)| *a == area).map(|(_, x)| *x),
        }
    }

    /// The scope in words, for messages and lists: "read-only", or
    /// "customers (read and write), sales (read)".
    pub fn describe(&self) -> String {
        match self {
            KeyScope::ReadOnly => "read-only".to_owned(),
            KeyScope::Areas(areas) => areas
                .iter()
                .map(|(area, access)| {
                    let access = match access {
                        Access::Read => "read",
                        Access::ReadWrite => "read and write",
                    };
                    format!("{} ({access})", area.as_str())
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// An integration's key. The secret is shown once, when the key is made; only its
/// SHA-256 and a short prefix (to recognise it in the list) are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub store_id: StoreId,
    pub name: Text<60>,
    /// The first characters of the secret (`sk_` and eight more), not enough to use it.
    pub prefix: String,
    pub secret_hash: [u8; 32],
    pub scope: KeyScope,
    /// The Business Admin who made it; the key acts as them, narrowed by its scope.
    pub created_by: UserId,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    /// The key stops working at this moment (the end of its expiry date).
    #[serde(with = "micros_opt")]
    pub expires_at: Option<Timestamp>,
    #[serde(with = "micros_opt")]
    pub revoked_at: Option<Timestamp>,
    /// When and from where the key was last used, kept to the minute.
    #[serde(with = "micros_opt")]
    pub last_used_at: Option<Timestamp>,
    pub last_used_from: Option<IpAddr>,
}

impl ApiKey {
    /// Neither revoked nor past its expiry at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|end| now < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_write_allows_reading_and_read_does_not_allow_writing() {
        assert!(Access::ReadWrite.allows(Access::Read));
        assert!(Access::ReadWrite.allows(Access::ReadWrite));
        assert!(Access::Read.allows(Access::Read));
        assert!(!Access::Read.allows(Access::ReadWrite));
    }

    #[test]
    fn a_scope_names_its_areas() {
        let scope = KeyScope::Areas(vec![
            (Area::Customers, Access::ReadWrite),
            (Area::Sales, Access::Read),
        ]);
        assert_eq!(scope.access(Area::Customers), Some(Access::ReadWrite));
        assert_eq!(scope.access(Area::Rates), None);
        assert_eq!(scope.describe(), "customers (read and write), sales (read)");
        assert_eq!(KeyScope::ReadOnly.access(Area::Rates), Some(Access::Read));
        for area in Area::ALL {
            assert_eq!(Area::parse(area.as_str()), Some(area));
        }
        assert_eq!(Area::parse("users"), None);
    }
}
