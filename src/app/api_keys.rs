//! Integrations' API keys: a Business Admin makes one (its secret shown once, kept only
//! as a SHA-256), lists and revokes them; a request with `Authorization: Bearer sk_…`
//! acts as the key's creator, narrowed by the key's scope (see `key_scope`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use base64::Engine;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{Actor, Crm, Error, KeyGrant, Permission};
use crate::domain::{Access, ApiKey, ApiKeyId, Area, FieldErrors, KeyScope, Text};
use crate::store::{Origin, api_keys, people};

/// What every key's secret starts with, so a key is told from a session token.
pub const SECRET_PREFIX: &str = "sk_";
/// Keys in use (neither revoked nor expired) a store may have at once.
pub const MAX_LIVE_KEYS: usize = 100;
/// How long a key's stored last use may lag behind: requests within a minute of the
/// stored one write nothing.
const LAST_USE_GRANULARITY: SignedDuration = SignedDuration::from_secs(60);
/// Characters of the secret kept to recognise it: `sk_` and eight more, far too few to use.
const SHOWN_PREFIX_LENGTH: usize = 11;

/// A key as its maker asks for it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyInput {
    /// What the key is for, e.g. "Tally export": 1 to 60 characters.
    pub name: String,
    /// `read_only` (read everything, change nothing) or `areas` (only the areas listed).
    pub scope: String,
    /// With `areas`: area → `read` or `read_write` (`none` leaves the area out). Areas
    /// are customers, catalogue, sales, activity and rates.
    #[serde(default)]
    pub areas: BTreeMap<String, String>,
    /// The last day the key works (`YYYY-MM-DD`, the store's time zone); none for no end.
    pub expires_on: Option<String>,
}

/// A key just made, with the secret that is shown this once.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
}

/// A key in the list, with its maker's name.
#[derive(Debug, Clone)]
pub struct ApiKeyRow {
    pub key: ApiKey,
    pub created_by_name: String,
}

fn secret_hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

fn area_names() -> String {
    Area::ALL.map(Area::as_str).join(", ")
}

/// Reads the scope: every unknown area or access is named.
fn parse_scope(input: &ApiKeyInput, errors: &mut FieldErrors) -> Option<KeyScope> {
    let mut areas = Vec::new();
    for (name, access) in &input.areas {
        let Some(area) = Area::parse(name) else {
            errors.add(
                format!("areas.{name}"),
                format!("is not an area; the areas are {}", area_names()),
            );
            continue;
        };
        match access.trim() {
            "none" | "" => {}
            raw => match Access::parse(raw) {
                Some(access) => areas.push((area, access)),
                None => errors.add(format!("areas.{name}"), "must be read, read_write or none"),
            },
        }
    }
    match input.scope.trim() {
        "read_only" if areas.is_empty() => Some(KeyScope::ReadOnly),
        "read_only" => {
            errors.add(
                "areas",
                "a read-only key reads every area; choose the scope `areas` to list areas",
            );
            None
        }
        "areas" if areas.is_empty() => {
            errors.add(
                "areas",
                "choose at least one area with read or read_write, or make the key read-only",
            );
            None
        }
        "areas" => Some(KeyScope::Areas(areas)),
        _ => {
            errors.add("scope", "must be read_only or areas");
            None
        }
    }
}

impl Crm {
    /// The moment a key whose last day is `last_day` stops working: the start of the
    /// next day in the store's time zone.
    fn end_of(&self, last_day: Date) -> Option<Timestamp> {
        let next = last_day.tomorrow().ok()?;
        self.config()
            .time_zone()
            .to_timestamp(next.at(0, 0, 0, 0))
            .ok()
    }

    fn parse_expiry(&self, raw: Option<&str>, errors: &mut FieldErrors) -> Option<Timestamp> {
        let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
        let Ok(date) = raw.parse::<Date>() else {
            errors.add("expires_on", "must be a date like 2027-03-31");
            return None;
        };
        if date < self.today() {
            errors.add(
                "expires_on",
                "is in the past; choose today or a later day, or leave it empty for no end",
            );
            return None;
        }
        let end = self.end_of(date);
        if end.is_none() {
            errors.add("expires_on", "is too far in the future");
        }
        end
    }

    /// A Business Admin makes a key; its secret is in the answer and nowhere else.
    pub fn create_api_key(&self, actor: &Actor, input: ApiKeyInput) -> Result<NewApiKey, Error> {
        actor.require(Permission::ManageApiKeys)?;
        let mut errors = FieldErrors::new();
        let name = errors.check("name", Text::<60>::parse(&input.name));
        if name.as_ref().is_some_and(Text::is_empty) {
            errors.add(
                "name",
                "must not be empty; say what the key is for, e.g. Tally export",
            );
        }
        let scope = parse_scope(&input, &mut errors);
        let expires_at = self.parse_expiry(input.expires_on.as_deref(), &mut errors);
        let (Some(name), Some(scope)) = (name, scope) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut raw = [0u8; 32];
        rand::fill(&mut raw);
        let secret = format!(
            "{SECRET_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
        );
        let now = crate::domain::now();
        let key = ApiKey {
            id: ApiKeyId::new(),
            store_id: actor.store_id,
            name,
            prefix: secret.chars().take(SHOWN_PREFIX_LENGTH).collect(),
            secret_hash: secret_hash(&secret),
            scope,
            created_by: actor.user_id,
            created_at: now,
            expires_at,
            revoked_at: None,
            last_used_at: None,
            last_used_from: None,
        };
        let store = actor.store_scope();
        self.db.write(actor.author(), |w| -> Result<(), Error> {
            let live = api_keys::keys(w, &store)?
                .into_iter()
                .filter(|k| k.is_live(now))
                .count();
            if live >= MAX_LIVE_KEYS {
                return Err(Error::Conflict {
                    message: format!(
                        "this store already has {MAX_LIVE_KEYS} keys in use; revoke one it no longer needs first"
                    ),
                    field: None,
                    existing_id: None,
                });
            }
            Ok(api_keys::insert_key(w, &key)?)
        })?;
        Ok(NewApiKey { key, secret })
    }

    /// The store's keys, newest first, with who made each.
    pub fn api_keys(&self, actor: &Actor) -> Result<Vec<ApiKeyRow>, Error> {
        actor.require(Permission::ManageApiKeys)?;
        let store = actor.store_scope();
        let names = self.staff_names(actor)?;
        let keys = self.db.read(|rx| api_keys::keys(rx, &store))?;
        Ok(keys
            .into_iter()
            .map(|key| ApiKeyRow {
                created_by_name: names.name(key.created_by).to_owned(),
                key,
            })
            .collect())
    }

    /// Revokes a key at once. Revoking a revoked key changes nothing.
    pub fn revoke_api_key(&self, actor: &Actor, id: ApiKeyId) -> Result<(), Error> {
        actor.require(Permission::ManageApiKeys)?;
        let store = actor.store_scope();
        self.db.write(actor.author(), |w| -> Result<(), Error> {
            let mut key = api_keys::key(w, &store, id)?.ok_or(Error::NotFound("API key"))?;
            if key.revoked_at.is_some() {
                return Ok(());
            }
            key.revoked_at = Some(w.now());
            Ok(api_keys::revoke_key(w, &key)?)
        })
    }

    /// Who a bearer token on the API stands for: an API key (`sk_…`) or a session.
    pub fn authenticate_api(&self, token: &str, address: Option<IpAddr>) -> Result<Actor, Error> {
        if token.starts_with(SECRET_PREFIX) {
            match self.authenticate_key(token, address)? {
                Some(actor) => return Ok(actor),
                // A session token may happen to start like a key.
                None => {
                    return self.authenticate(token).map_err(|_| {
                        Error::Unauthorized(
                            "this API key is not known; check that it was copied whole".into(),
                        )
                    });
                }
            }
        }
        Ok(self.authenticate(token)?.from_address(address))
    }

    /// Who `token` (a session or an API key) signs in as, if it is live and its screen
    /// is not locked, without noting any activity: how a live stream checks that it may
    /// go on, which must not keep an idle session alive by itself.
    pub(super) fn peek_session(&self, token: &str) -> Result<Actor, Error> {
        if token.starts_with(SECRET_PREFIX)
            && let Some(actor) = self.authenticate_key(token, None)?
        {
            return Ok(actor);
        }
        self.peek_unlocked_session(token)
    }

    /// The actor of a live key; `None` when no key has this secret.
    fn authenticate_key(
        &self,
        secret: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<Actor>, Error> {
        let now = crate::domain::now();
        let hash = secret_hash(secret);
        let Some((key, creator)) = self.db.read(|rx| -> Result<_, Error> {
            let Some(key) = api_keys::key_for_sign_in(rx, &hash)? else {
                return Ok(None);
            };
            let creator = people::user_for_sign_in(rx, key.created_by)?;
            Ok(Some((key, creator)))
        })?
        else {
            return Ok(None);
        };
        if let Some(revoked) = key.revoked_at {
            return Err(Error::Unauthorized(format!(
                "this API key was revoked on {}; ask the store owner for a new one",
                crate::domain::format_date_time(revoked, &self.config().time_zone())
            )));
        }
        if key.expires_at.is_some_and(|end| now >= end) {
            return Err(Error::Unauthorized(
                "this API key has expired; ask the store owner for a new one".into(),
            ));
        }
        let creator = creator
            .filter(|u| u.active && u.deleted_at.is_none() && u.store_id == key.store_id)
            .ok_or_else(|| {
                Error::Unauthorized(
                    "the person who made this API key has been switched off or removed, so it no longer works; ask the store owner for a new one".into(),
                )
            })?;
        self.note_key_use(&key, address, now)?;
        Ok(Some(Actor {
            user_id: creator.id,
            username: creator.username,
            name: creator.name,
            role: creator.role,
            store_id: creator.store_id,
            floor_id: creator.floor_id,
            origin: Origin {
                address,
                device: format!("API key \"{}\" ({})", key.name, key.prefix),
                api_key: Some(key.id.as_u128()),
            },
            key: Some(KeyGrant {
                id: key.id,
                name: key.name.as_str().to_owned(),
                scope: key.scope,
            }),
        }))
    }

    /// Keeps the key's last use, writing only when the stored one is a minute old, so
    /// a busy integration does not turn every request into a database write.
    fn note_key_use(
        &self,
        key: &ApiKey,
        address: Option<IpAddr>,
        now: Timestamp,
    ) -> Result<(), Error> {
        let fresh = key
            .last_used_at
            .is_some_and(|at| now.duration_since(at) < LAST_USE_GRANULARITY);
        if fresh {
            return Ok(());
        }
        let id = key.id;
        let store = crate::store::Scope::store(key.store_id);
        self.db.write(None, |w| -> Result<(), Error> {
            // Re-read inside the write, so a revocation meanwhile is not undone.
            if let Some(mut current) = api_keys::key(w, &store, id)? {
                current.last_used_at = Some(now);
                current.last_used_from = address;
                api_keys::note_use(w, &current)?;
            }
            Ok(())
        })
    }
}
