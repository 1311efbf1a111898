//! Staff users, their password accounts, and sign-in sessions.

use redb::ReadableTable;

use super::codec::{decode, encode};
use super::repo::{Tables, add_to_store_index, load, save, store_ids};
use super::{ChangeOp, Deleted, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{Account, Session, User, UserId};

/// A user of the scope's store; `None` for another store's user.
pub fn user(tx: &impl Tables, scope: &Scope, id: UserId) -> Result<Option<User>, StoreError> {
    let found: Option<User> = load(tx, tables::USERS, id.as_u128())?;
    Ok(found.filter(|u| u.store_id == scope.store_id()))
}

/// The user a session or a sign-in names. Used only to establish who is asking,
/// before any scope exists.
pub fn user_for_sign_in(tx: &impl Tables, id: UserId) -> Result<Option<User>, StoreError> {
    load(tx, tables::USERS, id.as_u128())
}

pub fn find_user_by_username(tx: &impl Tables, username: &str) -> Result<Option<User>, StoreError> {
    let index = tx.open(tables::USERS_BY_USERNAME)?;
    let id = index
        .get(username.trim().to_lowercase().as_str())?
        .map(|v| v.value());
    drop(index);
    match id {
        Some(id) => load(tx, tables::USERS, id),
        None => Ok(None),
    }
}

/// The store's users by name; Floor Managers' scopes see only their floor's staff.
/// Whether anyone at all can sign in to this box: none means a first start, when the
/// setup link is offered. Deliberately unscoped, as there is no one to scope by yet.
pub fn any_user(tx: &impl Tables) -> Result<bool, StoreError> {
    Ok(tx.open(tables::USERS_BY_USERNAME)?.first()?.is_some())
}

pub fn users(tx: &impl Tables, scope: &Scope, deleted: Deleted) -> Result<Vec<User>, StoreError> {
    let mut users = Vec::new();
    for id in store_ids(tx, tables::USERS_BY_STORE, scope.store_id(), false)? {
        if let Some(user) = load::<User>(tx, tables::USERS, id)?
            && deleted.admits(user.deleted_at)
            && (scope.floor_id().is_none() || user.floor_id == scope.floor_id())
        {
            users.push(user);
        }
    }
    users.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
    Ok(users)
}

pub fn insert_user(w: &mut Writer, user: &User, account: &Account) -> Result<(), StoreError> {
    w.sign_in_changed = true;
    {
        let mut index = w.tx.open_table(tables::USERS_BY_USERNAME)?;
        if let Some(existing) = index.get(user.username.as_str())?.map(|v| v.value()) {
            return Err(StoreError::Duplicate {
                what: "username",
                existing,
            });
        }
        index.insert(user.username.as_str(), user.id.as_u128())?;
    }
    add_to_store_index(w, tables::USERS_BY_STORE, user.store_id, user.id.as_u128())?;
    save(w, tables::USERS, user.id.as_u128(), user)?;
    save(w, tables::ACCOUNTS, user.id.as_u128(), account)?;
    w.log(
        user.store_id,
        EntityKind::User,
        user.id.as_u128(),
        ChangeOp::Created,
    )
}

/// Saves a changed user (profile, role, floor, delete or restore). Deleting or
/// deactivating also ends the user's sessions.
pub fn update_user(w: &mut Writer, user: &User, op: ChangeOp) -> Result<(), StoreError> {
    w.sign_in_changed = true;
    save(w, tables::USERS, user.id.as_u128(), user)?;
    if user.deleted_at.is_some() || !user.active {
        end_sessions_of(w, user.id)?;
    }
    w.log(user.store_id, EntityKind::User, user.id.as_u128(), op)
}

pub fn account(tx: &impl Tables, user: UserId) -> Result<Option<Account>, StoreError> {
    load(tx, tables::ACCOUNTS, user.as_u128())
}

/// Stores a new password hash and signs the user out everywhere.
pub fn set_account(w: &mut Writer, user: &User, account: &Account) -> Result<(), StoreError> {
    w.sign_in_changed = true;
    save(w, tables::ACCOUNTS, user.id.as_u128(), account)?;
    end_sessions_of(w, user.id)?;
    w.log(
        user.store_id,
        EntityKind::User,
        user.id.as_u128(),
        ChangeOp::PasswordChanged,
    )
}

pub fn session(tx: &impl Tables, token_hash: &[u8; 32]) -> Result<Option<Session>, StoreError> {
    let table = tx.open(tables::SESSIONS)?;
    let found = table.get(token_hash.as_slice())?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

pub fn insert_session(w: &mut Writer, session: &Session) -> Result<(), StoreError> {
    w.sign_in_changed = true;
    note_floor_of(w, session)?;
    let bytes = encode(session)?;
    w.tx.open_table(tables::SESSIONS)?
        .insert(session.token_hash.as_slice(), bytes.as_slice())?;
    w.log(
        session.store_id,
        EntityKind::Session,
        session.user_id.as_u128(),
        ChangeOp::SignedIn,
    )
}

pub fn remove_session(w: &mut Writer, session: &Session) -> Result<(), StoreError> {
    w.sign_in_changed = true;
    note_floor_of(w, session)?;
    w.tx.open_table(tables::SESSIONS)?
        .remove(session.token_hash.as_slice())?;
    w.log(
        session.store_id,
        EntityKind::Session,
        session.user_id.as_u128(),
        ChangeOp::SignedOut,
    )
}

/// A sign-in or sign-out belongs, in the audit trail, to the floor of the person.
fn note_floor_of(w: &mut Writer, session: &Session) -> Result<(), StoreError> {
    let id = session.user_id.as_u128();
    let user: Option<User> = load(w, tables::USERS, id)?;
    w.note_floor(id, user.and_then(|u| u.floor_id));
    Ok(())
}

/// Removes every session of a user. Sessions are few (one per device), so a scan of the
/// table is cheap and spares an index that would need keeping in step.
fn end_sessions_of(w: &mut Writer, user: UserId) -> Result<(), StoreError> {
    w.sign_in_changed = true;
    let mut table = w.tx.open_table(tables::SESSIONS)?;
    table.retain(|_, bytes| {
        decode::<Session>(bytes)
            .map(|s| s.user_id != user)
            .unwrap_or(false)
    })?;
    Ok(())
}

/// Removes sessions past their absolute expiry, logging each as a sign-out; returns
/// how many went.
pub fn purge_expired_sessions(w: &mut Writer) -> Result<usize, StoreError> {
    let now = w.now();
    let mut expired = Vec::new();
    {
        let table = w.tx.open_table(tables::SESSIONS)?;
        for entry in table.iter()? {
            let (_, bytes) = entry?;
            let session: Session = decode(bytes.value())?;
            if session.expires_at <= now {
                expired.push(session);
            }
        }
    }
    for session in &expired {
        remove_session(w, session)?;
    }
    Ok(expired.len())
}
