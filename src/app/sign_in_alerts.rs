//! What signing in tells people about password guessing: the admins see which accounts
//! are being slowed down after wrong passwords and can let them try again at once, and
//! the sign-in page says loudly when demo accounts still have the demo's password.

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::Timestamp;

use super::{Actor, Crm, Error, Permission};
use crate::domain::{User, UserId};
use crate::store::people;

/// An account of the admin's store whose free tries are used up.
#[derive(Debug, Clone)]
pub struct SlowedAccount {
    pub user: User,
    pub failures: u32,
    pub last_failure: Timestamp,
    /// When the next try is allowed.
    pub next_try_at: Timestamp,
}

/// Whether each stored password hash is of the demo's password, worked out once per
/// hash (a changed password has a new hash), so the sign-in page never hashes twice.
#[derive(Debug, Default)]
pub(super) struct DemoPasswordCheck(Mutex<HashMap<String, bool>>);

impl Crm {
    /// Accounts of the actor's store that are being slowed down after wrong passwords.
    pub fn slowed_accounts(&self, actor: &Actor) -> Result<Vec<SlowedAccount>, Error> {
        actor.require(Permission::ManageTeam)?;
        let policy = self.sign_in_throttle.policy();
        let slowed = self.sign_in_throttle.slowed_accounts(crate::domain::now());
        let mut accounts = self.db.read(|rx| -> Result<_, Error> {
            let mut found = Vec::new();
            for (username, failures) in &slowed {
                let Some(user) = people::find_user_by_username(rx, username)? else {
                    continue;
                };
                if user.store_id != actor.store_id || user.deleted_at.is_some() {
                    continue;
                }
                found.push(SlowedAccount {
                    user,
                    failures: failures.count,
                    last_failure: failures.last_at,
                    next_try_at: failures
                        .next_try_at(policy.free_tries, policy.longest_wait)
                        .unwrap_or(failures.last_at),
                });
            }
            Ok(found)
        })?;
        accounts.sort_by_key(|a| std::cmp::Reverse(a.last_failure));
        Ok(accounts)
    }

    /// Lets a member of the actor's store try their password again at once.
    pub fn let_try_again(&self, actor: &Actor, id: UserId) -> Result<User, Error> {
        actor.require(Permission::ManageTeam)?;
        let user = self
            .db
            .read(|rx| people::user(rx, &actor.store_scope(), id))?
            .filter(|u| u.deleted_at.is_none())
            .ok_or(Error::NotFound("user"))?;
        self.sign_in_throttle.clear(user.username.as_str());
        tracing::info!(username = %user.username.as_str(), by = %actor.username.as_str(), "sign-in tries allowed again");
        Ok(user)
    }

    /// Lets an account try its password again at once, from the console of the box
    /// (whoever can open the server's control socket already holds its data).
    pub fn let_try_again_from_console(&self, username: &str) -> Result<String, Error> {
        let user = self
            .db
            .read(|rx| people::find_user_by_username(rx, username))?
            .filter(|u| u.deleted_at.is_none())
            .ok_or(Error::NotFound(
                "an account with that username (the Team page lists them)",
            ))?;
        let cleared = self.sign_in_throttle.clear(user.username.as_str());
        tracing::info!(username = %user.username.as_str(), by = "console", "sign-in tries allowed again");
        Ok(match cleared {
            Some(failures) => format!(
                "{} may sign in again at once ({} wrong passwords forgotten)",
                user.username.as_str(),
                failures.count
            ),
            None => format!(
                "{} was not being slowed down; they may sign in",
                user.username.as_str()
            ),
        })
    }

    /// The demo floor managers who can still sign in with the demo's password, which
    /// is printed for anyone to read.
    pub async fn accounts_with_demo_password(&self) -> Result<Vec<String>, Error> {
        let hashes = self
            .run(|crm| {
                crm.db.read(|rx| -> Result<_, Error> {
                    let mut hashes = Vec::new();
                    for username in crate::demo::manager_usernames() {
                        let Some(user) = people::find_user_by_username(rx, username)? else {
                            continue;
                        };
                        if !user.active || user.deleted_at.is_some() {
                            continue;
                        }
                        if let Some(account) = people::account(rx, user.id)? {
                            hashes.push((username.to_owned(), account.password_hash));
                        }
                    }
                    Ok(hashes)
                })
            })
            .await?;
        let mut known = Vec::new();
        for (username, hash) in hashes {
            let cached = self
                .demo_password_check
                .0
                .lock()
                .ok()
                .and_then(|cache| cache.get(&hash).copied());
            let is_demo = match cached {
                Some(is_demo) => is_demo,
                None => {
                    let is_demo = self
                        .verify_password(crate::demo::DEMO_PASSWORD.to_owned(), hash.clone())
                        .await?;
                    if let Ok(mut cache) = self.demo_password_check.0.lock() {
                        cache.insert(hash, is_demo);
                    }
                    is_demo
                }
            };
            if is_demo {
                known.push(username);
            }
        }
        Ok(known)
    }
}
