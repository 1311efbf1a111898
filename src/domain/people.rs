//! Staff: users with a role, their password account, and sign-in sessions.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{Email, FloorId, PersonName, Phone, StoreId, UserId, UserRole, Username};

/// A member of staff who can sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub store_id: StoreId,
    pub username: Username,
    pub name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub role: UserRole,
    /// The floor a Floor Manager works on; `None` for a Business Admin.
    pub floor_id: Option<FloorId>,
    pub active: bool,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub deleted_at: Option<Timestamp>,
}

/// How a user proves who they are: an argon2id password hash in PHC format. Kept apart
/// from `User` so profile reads never carry the hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub user_id: UserId,
    pub password_hash: String,
    #[serde(with = "micros")]
    pub password_changed_at: Timestamp,
}

/// A signed-in device. The token itself is never stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token_hash: [u8; 32],
    pub user_id: UserId,
    pub store_id: StoreId,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    /// When the session was signed in or refreshed; the idle limit counts from the
    /// later of this and the last request seen.
    #[serde(with = "micros")]
    pub refreshed_at: Timestamp,
    /// The absolute limit: no refresh extends a session past this.
    #[serde(with = "micros")]
    pub expires_at: Timestamp,
    pub user_agent: String,
}
