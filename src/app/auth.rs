//! Signing in and out: passwords checked in bounded memory (`password_hashing`), and
//! server-side sessions whose random tokens are stored only as SHA-256 hashes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::session_cache::SessionRecords;
use super::{Actor, Crm, Error, password_hashing};
use crate::domain::{Session, User};
use crate::store::{Author, Origin, people};

const SIGN_IN_FAILED: &str = "wrong username or password";
const SESSION_ENDED: &str = "your session has ended; please sign in again";
const SCREEN_LOCKED: &str = "this screen is locked; enter your password to carry on";

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

/// A new session: the token to present as `Authorization: Bearer …` or in the cookie,
/// and who it belongs to.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub user: User,
    pub expires_at: Timestamp,
    /// Wrong passwords given for this account since its last sign-in (while this server
    /// has been running), for telling its owner.
    pub failed_attempts: u32,
}

/// When each session was last used and whether its screen is locked, kept in memory so
/// that ordinary requests never write to the database. After a restart the stored
/// refresh time is used instead, which can only make a session look older, never
/// younger; a lock does not survive a restart, but the page that asked for it keeps
/// its lock screen up and the idle limit still applies.
#[derive(Debug, Default)]
pub(super) struct SessionActivity(Mutex<HashMap<[u8; 32], Activity>>);

#[derive(Debug, Clone, Copy)]
struct Activity {
    last_seen: Timestamp,
    locked: bool,
}

impl SessionActivity {
    fn get(&self, hash: &[u8; 32]) -> Option<Activity> {
        self.0.lock().ok()?.get(hash).copied()
    }

    fn touch(&self, hash: [u8; 32], at: Timestamp) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(hash)
                .and_modify(|a| a.last_seen = at)
                .or_insert(Activity {
                    last_seen: at,
                    locked: false,
                });
        }
    }

    fn set_locked(&self, hash: [u8; 32], locked: bool, at: Timestamp) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(
                hash,
                Activity {
                    last_seen: at,
                    locked,
                },
            );
        }
    }

    fn forget(&self, hash: &[u8; 32]) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(hash);
        }
    }
}

/// A password someone chose: 8 to 128 characters.
pub(super) fn check_new_password(password: &str) -> Result<(), String> {
    let count = password.chars().count();
    if count < 8 {
        return Err("must be at least 8 characters; a short phrase is easy to remember".into());
    }
    if count > 128 {
        return Err("must be 128 characters or fewer".into());
    }
    Ok(())
}

pub(super) fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Crm {
    /// Hashes a password once a hashing slot is free, in that slot's memory.
    pub(super) async fn hash_password(&self, password: String) -> Result<String, Error> {
        self.hashing.hash(password).await
    }

    /// Hashes a password on the calling thread, for command-line tools that run no
    /// concurrent requests.
    pub fn hash_password_blocking(&self, password: &str) -> Result<String, Error> {
        password_hashing::hash_once(password)
    }

    pub(super) async fn verify_password(
        &self,
        password: String,
        hash: String,
    ) -> Result<bool, Error> {
        self.hashing.verify(password, hash).await
    }

    /// Checks a username and password and opens a session.
    pub async fn login(&self, input: LoginInput, user_agent: &str) -> Result<SignedIn, Error> {
        self.login_from(input, user_agent, None).await
    }

    /// Checks a username and password given from `address` and opens a session. Wrong
    /// passwords, for the account and from the address, slow the next try down: while
    /// it must wait, no password is even checked.
    pub async fn login_from(
        &self,
        input: LoginInput,
        user_agent: &str,
        address: Option<IpAddr>,
    ) -> Result<SignedIn, Error> {
        let username = input.username.trim().to_lowercase();
        self.check_throttle(&username, address)?;
        let lookup = username.clone();
        let found = self
            .run(move |crm| {
                crm.db.read(|rx| -> Result<_, Error> {
                    let Some(user) = people::find_user_by_username(rx, &lookup)? else {
                        return Ok(None);
                    };
                    let account = people::account(rx, user.id)?;
                    Ok(account.map(|a| (user, a.password_hash)))
                })
            })
            .await?;
        // Hash even for an unknown user, so response time does not reveal which
        // usernames exist.
        let (user, hash) = match found {
            Some(pair) => pair,
            None => {
                let _ = self
                    .verify_password(input.password, DUMMY_HASH.to_owned())
                    .await;
                self.sign_in_throttle
                    .fail(&username, address, crate::domain::now());
                return Err(Error::Unauthorized(SIGN_IN_FAILED.into()));
            }
        };
        if !self.verify_password(input.password, hash).await? {
            self.sign_in_throttle
                .fail(&username, address, crate::domain::now());
            return Err(Error::Unauthorized(SIGN_IN_FAILED.into()));
        }
        if !user.active || user.deleted_at.is_some() {
            return Err(Error::Unauthorized(
                "this account is switched off; ask the store owner to switch it back on".into(),
            ));
        }
        let failed_attempts = self
            .sign_in_throttle
            .clear(&username)
            .map_or(0, |failures| failures.unreported);
        let user_agent = user_agent.chars().take(200).collect::<String>();
        let signed_in = self
            .run(move |crm| crm.open_session(user, user_agent, None, address))
            .await?;
        Ok(SignedIn {
            failed_attempts,
            ..signed_in
        })
    }

    /// Refuses a try while `username` or `address` must wait after wrong passwords.
    fn check_throttle(&self, username: &str, address: Option<IpAddr>) -> Result<(), Error> {
        match self
            .sign_in_throttle
            .wait_secs(username, address, crate::domain::now())
        {
            None => Ok(()),
            Some(retry_after_secs) => Err(Error::TooManyRequests {
                message: format!(
                    "too many wrong passwords; wait {} and try again, or ask the store owner to let this account try again now",
                    wait_words(retry_after_secs)
                ),
                retry_after_secs,
            }),
        }
    }

    fn open_session(
        &self,
        user: User,
        user_agent: String,
        expires_at: Option<Timestamp>,
        address: Option<IpAddr>,
    ) -> Result<SignedIn, Error> {
        let mut raw = [0u8; 32];
        rand::fill(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let now = crate::domain::now();
        let absolute =
            SignedDuration::from_hours(i64::from(self.config.auth.session_absolute_hours));
        let expires_at =
            expires_at.unwrap_or_else(|| now.saturating_add(absolute).unwrap_or(Timestamp::MAX));
        let session = Session {
            token_hash: token_hash(&token),
            user_id: user.id,
            store_id: user.store_id,
            created_at: now,
            refreshed_at: now,
            expires_at,
            user_agent,
        };
        let author = session_author(&session, address);
        self.db
            .write(author, |w| people::insert_session(w, &session))?;
        Ok(SignedIn {
            token,
            user,
            expires_at,
            failed_attempts: 0,
        })
    }

    /// Finds who a token belongs to, if the session is still within its idle and
    /// absolute limits and its screen is not locked, and notes the activity.
    pub fn authenticate(&self, token: &str) -> Result<Actor, Error> {
        let (hash, actor, activity) = self.live_session(token)?;
        self.admit(hash, actor, activity)
    }

    /// Lets a live session's request through unless its screen is locked, noting the
    /// activity.
    fn admit(
        &self,
        hash: [u8; 32],
        actor: Actor,
        activity: Option<Activity>,
    ) -> Result<Actor, Error> {
        if activity.is_some_and(|a| a.locked) {
            return Err(Error::Unauthorized(SCREEN_LOCKED.into()));
        }
        self.activity.touch(hash, crate::domain::now());
        Ok(actor)
    }

    /// The session's person if it is within its limits and unlocked, without noting
    /// activity (see [`Crm::peek_session`]).
    pub(super) fn peek_unlocked_session(&self, token: &str) -> Result<Actor, Error> {
        let (_, actor, activity) = self.live_session(token)?;
        if activity.is_some_and(|a| a.locked) {
            return Err(Error::Unauthorized(SCREEN_LOCKED.into()));
        }
        Ok(actor)
    }

    /// The session behind `token` if it is within its limits, locked or not.
    fn live_session(&self, token: &str) -> Result<([u8; 32], Actor, Option<Activity>), Error> {
        let hash = token_hash(token);
        let records = match self.sessions.get(&hash, self.db.sign_in_epoch()) {
            Some(records) => records,
            None => self.read_session(hash)?,
        };
        self.check_session(hash, &records)
    }

    /// Reads a session and its person from the database, and keeps them.
    fn read_session(&self, hash: [u8; 32]) -> Result<Arc<SessionRecords>, Error> {
        // Before the read: a change committed after it moves the epoch past this one.
        let epoch = self.db.sign_in_epoch();
        let records = self
            .db
            .read(|rx| -> Result<_, Error> {
                let Some(session) = people::session(rx, &hash)? else {
                    return Ok(None);
                };
                let user = people::user_for_sign_in(rx, session.user_id)?;
                Ok(user.map(|user| SessionRecords { session, user }))
            })?
            .ok_or_else(|| Error::Unauthorized(SESSION_ENDED.into()))?;
        let records = Arc::new(records);
        self.sessions.put(hash, epoch, records.clone());
        Ok(records)
    }

    /// Who a session signs in, if it is within its idle and absolute limits.
    fn check_session(
        &self,
        hash: [u8; 32],
        records: &SessionRecords,
    ) -> Result<([u8; 32], Actor, Option<Activity>), Error> {
        let SessionRecords { session, user } = records;
        let now = crate::domain::now();
        let activity = self.activity.get(&hash);
        let last_active = activity.map_or(session.refreshed_at, |a| {
            a.last_seen.max(session.refreshed_at)
        });
        let idle = SignedDuration::from_mins(i64::from(self.config.auth.session_idle_minutes));
        if now >= session.expires_at || now.duration_since(last_active) > idle {
            self.activity.forget(&hash);
            self.sessions.forget(&hash);
            return Err(Error::Unauthorized(SESSION_ENDED.into()));
        }
        if !user.active || user.deleted_at.is_some() {
            return Err(Error::Unauthorized(SESSION_ENDED.into()));
        }
        let actor = Actor {
            user_id: user.id,
            username: user.username.clone(),
            name: user.name.clone(),
            role: user.role,
            store_id: user.store_id,
            floor_id: user.floor_id,
            origin: Origin {
                address: None,
                device: session.user_agent.clone(),
                api_key: None,
            },
            key: None,
        };
        Ok((hash, actor, activity))
    }

    /// [`Crm::authenticate`] answered from memory, on the async thread: `None` when the
    /// session is not kept (or the token is an API key), and the blocking path must read.
    pub fn authenticate_from_memory(&self, token: &str) -> Option<Result<Actor, Error>> {
        if token.starts_with(super::api_keys::SECRET_PREFIX) {
            return None;
        }
        let hash = token_hash(token);
        let records = self.sessions.get(&hash, self.db.sign_in_epoch())?;
        Some(
            self.check_session(hash, &records)
                .and_then(|(hash, actor, activity)| self.admit(hash, actor, activity)),
        )
    }

    /// Locks the screen of a shared tablet: the session stays, but nothing can be read
    /// or changed with it until [`Crm::unlock_session`] is given the same password.
    pub fn lock_session(&self, token: &str) -> Result<(), Error> {
        let (hash, _, _) = self.live_session(token)?;
        self.activity.set_locked(hash, true, crate::domain::now());
        self.live.signal(crate::live::Signal::Session(hash));
        Ok(())
    }

    /// Opens a locked screen again with the password of the person signed in on it.
    /// Wrong passwords count as at the sign-in page, for the account and the address.
    pub async fn unlock_session(
        &self,
        token: String,
        password: String,
        address: Option<IpAddr>,
    ) -> Result<Actor, Error> {
        let (hash, actor, _) = self.run(move |crm| crm.live_session(&token)).await?;
        self.check_throttle(actor.username.as_str(), address)?;
        let user_id = actor.user_id;
        let account = self
            .run(move |crm| Ok(crm.db.read(|rx| people::account(rx, user_id))?))
            .await?
            .ok_or_else(|| Error::Unauthorized(SESSION_ENDED.into()))?;
        if !self
            .verify_password(password, account.password_hash)
            .await?
        {
            self.sign_in_throttle
                .fail(actor.username.as_str(), address, crate::domain::now());
            return Err(Error::field(
                "password",
                "is not the password of the person signed in here",
            ));
        }
        self.sign_in_throttle.clear(actor.username.as_str());
        self.activity.set_locked(hash, false, crate::domain::now());
        Ok(actor)
    }

    /// Ends the session behind `token`. Ending an already-ended session is not an error.
    pub fn logout(&self, token: &str) -> Result<(), Error> {
        let hash = token_hash(token);
        self.activity.forget(&hash);
        let Some(session) = self.db.read(|rx| people::session(rx, &hash))? else {
            return Ok(());
        };
        self.db.write(session_author(&session, None), |w| {
            people::remove_session(w, &session)
        })?;
        // After the session is gone, so that its streams find it ended when they check.
        self.live.signal(crate::live::Signal::Session(hash));
        Ok(())
    }

    /// Swaps a live session's token for a new one, restarting the idle clock. The
    /// absolute limit stays where the original sign-in put it.
    pub fn refresh(&self, token: &str, user_agent: &str) -> Result<SignedIn, Error> {
        self.authenticate(token)?;
        let hash = token_hash(token);
        let session = self
            .db
            .read(|rx| people::session(rx, &hash))?
            .ok_or_else(|| Error::Unauthorized(SESSION_ENDED.into()))?;
        let user = self
            .db
            .read(|rx| people::user_for_sign_in(rx, session.user_id))?
            .ok_or_else(|| Error::Unauthorized(SESSION_ENDED.into()))?;
        let signed_in = self.open_session(
            user,
            user_agent.chars().take(200).collect(),
            Some(session.expires_at),
            None,
        )?;
        self.db.write(session_author(&session, None), |w| {
            people::remove_session(w, &session)
        })?;
        self.activity.forget(&hash);
        self.live.signal(crate::live::Signal::Session(hash));
        Ok(signed_in)
    }

    /// Deletes sessions past their absolute limit; run now and then by the server.
    pub fn purge_expired_sessions(&self) -> Result<usize, Error> {
        Ok(self.db.write(None, people::purge_expired_sessions)?)
    }

    /// Whether anyone can sign in at all: a box without staff is finished through the
    /// setup link the server prints, and the sign-in page says so.
    pub fn has_staff(&self) -> Result<bool, Error> {
        Ok(self.db.read(people::any_user)?)
    }
}

/// Who signs in or out, and from where: the device the session was opened on, and the
/// client address when the request gave one.
fn session_author(session: &Session, address: Option<IpAddr>) -> Author {
    Author {
        user: Some(session.user_id),
        origin: Some(Origin {
            address,
            device: session.user_agent.clone(),
            api_key: None,
        }),
    }
}

/// A wait said in words: "10 seconds", "3 minutes".
fn wait_words(secs: u64) -> String {
    match secs {
        1 => "a second".into(),
        2..=90 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

/// A hash of a random password, verified against when the username is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2Fya2FyLWNybS1kdW1teQ$yFf3z2Hf4nE2rJ0b2mV1m1cI8mJ3JXbqk0m0n7m2o8k";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_checked_in_full() {
        use argon2::PasswordVerifier;
        // A hash that failed to parse would answer at once and reveal unknown usernames.
        let err = password_hashing::argon2()
            .verify_password(b"anything", DUMMY_HASH)
            .unwrap_err();
        assert!(
            matches!(err, argon2::password_hash::Error::PasswordInvalid),
            "{err:?}"
        );
    }

    #[test]
    fn new_passwords_need_eight_characters() {
        assert!(check_new_password("seven77").is_err());
        assert!(check_new_password("eight888").is_ok());
        assert!(check_new_password(&"x".repeat(129)).is_err());
    }
}
