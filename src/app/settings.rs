//! The store's own settings: GSTIN, GST state code and address, which invoices print,
//! and how bills round their amount payable.

use serde::Deserialize;
use utoipa::ToSchema;

use super::users::non_blank;
use super::{Actor, Crm, Error, Permission};
use crate::domain::{FieldErrors, Gstin, RoundOff, Store, Text};
use crate::store::org;

/// What an admin can change about the store. The name is fixed by the configuration
/// (`store.name`), because the command line finds the store by it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreSettingsInput {
    /// 15 characters, e.g. `19AAACS1234F1Z5`; empty for none.
    pub gstin: Option<String>,
    /// Two-digit GST state code of the shop, e.g. `19` for West Bengal.
    pub state_code: String,
    pub address: Option<String>,
    /// How bills drawn up from now on round the amount payable: `NEAREST_RUPEE` (50
    /// paise and up round up, as Indian invoices do) or `NONE`. Omitted, the setting
    /// stays as it is. Bills already drawn up keep their round-off.
    #[schema(example = "NEAREST_RUPEE")]
    pub round_off: Option<String>,
}

impl Crm {
    /// The store of the person asking. Every role may read it (invoices show it).
    pub fn store_settings(&self, actor: &Actor) -> Result<Store, Error> {
        self.db
            .read(|rx| org::store(rx, &actor.store_scope()))?
            .ok_or(Error::NotFound("store"))
    }

    pub fn update_store_settings(
        &self,
        actor: &Actor,
        input: StoreSettingsInput,
    ) -> Result<Store, Error> {
        actor.require(Permission::ChangeStoreSettings)?;
        let mut errors = FieldErrors::new();
        let gstin = errors.check(
            "gstin",
            non_blank(input.gstin.as_deref())
                .map(Gstin::parse)
                .transpose(),
        );
        let code = input.state_code.trim();
        let state_code = if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) {
            errors.check("state_code", Text::<2>::parse(code))
        } else {
            errors.add(
                "state_code",
                "must be the two-digit GST state code, e.g. 19 for West Bengal",
            );
            None
        };
        let address = errors.check(
            "address",
            Text::<300>::parse(input.address.as_deref().unwrap_or("")),
        );
        let round_off = errors.check(
            "round_off",
            non_blank(input.round_off.as_deref())
                .map(str::parse::<RoundOff>)
                .transpose(),
        );
        if let (Some(gstin), Some(state_code)) = (&gstin, &state_code)
            && let Some(gstin) = gstin
            && !gstin.as_str().starts_with(state_code.as_str())
        {
            errors.add(
                "gstin",
                format!(
                    "starts with state code {} but the shop's state code is {}; check both",
                    &gstin.as_str()[..2],
                    state_code.as_str()
                ),
            );
        }
        errors.clone().into_result()?;
        let (Some(gstin), Some(state_code), Some(address), Some(round_off)) =
            (gstin, state_code, address, round_off)
        else {
            return Err(errors.into());
        };
        self.db.write(Some(actor.user_id), |w| {
            let old = org::store(w, &actor.store_scope())?.ok_or(Error::NotFound("store"))?;
            let store = Store {
                gstin,
                state_code,
                address,
                round_off: round_off.unwrap_or(old.round_off),
                ..old
            };
            org::update_store(w, &store)?;
            Ok(store)
        })
    }
}
