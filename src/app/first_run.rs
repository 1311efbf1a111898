//! The first start of a new box: while nobody can sign in, the console offers a
//! one-time setup link whose page names the store, records its GST registration
//! (GSTIN, state, address) and creates the first Business Admin, signed in at once. The link works once and only while the box has no staff;
//! `sarkar-crm user add` keeps working for scripts.

use std::sync::Mutex;

use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::auth::SignedIn;
use super::settings::StoreRegistration;
use super::setup::{CliUser, check_cli_user};
use super::{Crm, Error, LoginInput};
use crate::domain::{FieldErrors, PersonName, UserRole};
use crate::store::people;

/// The hash of the setup link's token, while one is open.
#[derive(Debug, Default)]
pub struct SetupLink(Mutex<Option<[u8; 32]>>);

/// What the setup page asks for.
#[derive(Debug, Clone, Deserialize)]
pub struct SetupInput {
    pub store_name: String,
    pub name: String,
    pub username: String,
    pub password: String,
    /// Empty when the store is not registered under GST.
    pub gstin: String,
    /// The two-digit GST code of the store's state.
    pub state_code: String,
    pub address: String,
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Crm {
    /// Opens a setup link when nobody can sign in yet, answering its token (a new one
    /// each start, so an old printout is useless); `None` once the box has staff.
    pub fn open_setup_link(&self) -> Result<Option<String>, Error> {
        if self.db.read(people::any_user)? {
            return Ok(None);
        }
        let mut raw = [0u8; 32];
        rand::fill(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        *self.setup_link.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(hash(&token));
        Ok(Some(token))
    }

    /// Whether `token` is the open setup link and the box still has no staff.
    pub fn setup_link_works(&self, token: &str) -> Result<bool, Error> {
        let open = *self.setup_link.0.lock().unwrap_or_else(|e| e.into_inner());
        let matches = open.is_some_and(|h| {
            // Compared in full whatever the first difference, like session tokens.
            h.iter()
                .zip(hash(token).iter())
                .fold(0u8, |d, (a, b)| d | (a ^ b))
                == 0
        });
        Ok(matches && !self.db.read(people::any_user)?)
    }

    /// Names the store and creates its first Business Admin through the setup link,
    /// then closes the link and signs them in. Refused (`Gone`) once used.
    pub async fn complete_setup(
        &self,
        token: &str,
        input: SetupInput,
        user_agent: &str,
    ) -> Result<SignedIn, Error> {
        if !self.setup_link_works(token)? {
            return Err(Error::Conflict {
                message: "this setup link has been used already; sign in instead".into(),
                field: None,
                existing_id: None,
            });
        }
        let user = CliUser {
            username: input.username.clone(),
            password: input.password.clone(),
            name: Some(input.name),
            role: UserRole::BusinessAdmin,
            store: Some(input.store_name.clone()),
            floor: None,
        };
        // Every field is checked before anything is stored, so the page shows all the
        // problems at once and a refused setup leaves the box as it was.
        let mut errors = FieldErrors::new();
        errors.check("store", PersonName::parse(&input.store_name));
        check_cli_user(&user, &mut errors);
        let registration = StoreRegistration::parse(
            Some(&input.gstin),
            &input.state_code,
            &input.address,
            &mut errors,
        );
        errors.clone().into_result()?;
        let registration = registration.ok_or_else(|| Error::from(errors))?;
        // Two people racing through the same link: the username index lets one in; the
        // other finds staff already there.
        self.add_first_user(user, registration).await?;
        *self.setup_link.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.login(
            LoginInput {
                username: input.username,
                password: input.password,
            },
            user_agent,
        )
        .await
    }
}
