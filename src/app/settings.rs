//! The store's own settings: GSTIN, GST state code and address, which invoices print,
//! and how bills round their amount payable.

use serde::Deserialize;
use utoipa::ToSchema;

use super::users::non_blank;
use super::{Actor, Crm, Error, Permission};
use crate::domain::gst_states::state_name;
use crate::domain::{FieldErrors, Gstin, RoundOff, Store, StoreId, Text};
use crate::store::{Scope, org};

/// What an admin can change about the store. The name is fixed by the configuration
/// (`store.name`), because the command line finds the store by it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreSettingsInput {
    /// 15 characters, e.g. `19AAACS1234F1ZP`; empty or omitted when the store is not
    /// registered under GST (its bills are then bills of supply, without GST).
    pub gstin: Option<String>,
    /// Two-digit GST state code of the shop, e.g. `19` for West Bengal.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(0[1-9]|1[0-9]|2[0-4]|2[679]|3[0-8])[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub state_code: String,
    #[schema(schema_with = super::field_schemas::optional_text::<300>)]
    pub address: Option<String>,
    /// How bills drawn up from now on round the amount payable: `NEAREST_RUPEE` (50
    /// paise and up round up, as Indian invoices do) or `NONE`. Omitted, the setting
    /// stays as it is. Bills already drawn up keep their round-off.
    #[schema(example = "NEAREST_RUPEE", pattern = r"^(NEAREST_RUPEE|NONE)?$")]
    pub round_off: Option<String>,
}

/// What a store is registered as under GST, as invoices print it: its GSTIN (none for a
/// shop not registered), the state it is registered in, and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRegistration {
    pub gstin: Option<Gstin>,
    pub state_code: Text<2>,
    pub address: Text<300>,
}

impl StoreRegistration {
    /// Reads the three as typed, noting each problem under its own field (`gstin`,
    /// `state_code`, `address`), a GSTIN of another state included.
    pub fn parse(
        gstin: Option<&str>,
        state_code: &str,
        address: &str,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        let gstin = errors.check("gstin", non_blank(gstin).map(Gstin::parse).transpose());
        let code = state_code.trim();
        let state_code = match state_name(code) {
            Some(_) => errors.check("state_code", Text::<2>::parse(code)),
            None => {
                errors.add(
                    "state_code",
                    "choose the state the store is registered in (its two-digit GST code, e.g. 19 for West Bengal)",
                );
                None
            }
        };
        let address = errors.check("address", Text::<300>::parse(address));
        if let (Some(Some(gstin)), Some(state_code)) = (&gstin, &state_code)
            && gstin.state_code() != state_code.as_str()
        {
            let label = |code: &str| {
                state_name(code).map_or_else(|| code.to_owned(), |n| format!("{code} ({n})"))
            };
            errors.add(
                "gstin",
                format!(
                    "starts with state code {} but the store's state is {}; a GSTIN starts with the code of the state it is registered in, so check both",
                    label(gstin.state_code()),
                    label(state_code.as_str())
                ),
            );
            return None;
        }
        Some(Self {
            gstin: gstin?,
            state_code: state_code?,
            address: address?,
        })
    }

    pub(super) fn applied_to(self, store: Store) -> Store {
        Store {
            gstin: self.gstin,
            state_code: self.state_code,
            address: self.address,
            ..store
        }
    }
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
        let registration = StoreRegistration::parse(
            input.gstin.as_deref(),
            &input.state_code,
            input.address.as_deref().unwrap_or(""),
            &mut errors,
        );
        let round_off = errors.check(
            "round_off",
            non_blank(input.round_off.as_deref())
                .map(str::parse::<RoundOff>)
                .transpose(),
        );
        errors.clone().into_result()?;
        let (Some(registration), Some(round_off)) = (registration, round_off) else {
            return Err(errors.into());
        };
        self.db.write(actor.author(), |w| {
            let old = org::store(w, &actor.store_scope())?.ok_or(Error::NotFound("store"))?;
            let store = Store {
                round_off: round_off.unwrap_or(old.round_off),
                ..registration.applied_to(old)
            };
            org::update_store(w, &store)?;
            Ok(store)
        })
    }

    /// Records a store's GST registration without a person asking: the setup page
    /// (before anyone can sign in), the demo store, and tests.
    pub fn register_store(
        &self,
        store: StoreId,
        registration: StoreRegistration,
    ) -> Result<Store, Error> {
        self.db.write(None, |w| {
            let old = org::store(w, &Scope::store(store))?.ok_or(Error::NotFound("store"))?;
            let store = registration.applied_to(old);
            org::update_store(w, &store)?;
            Ok(store)
        })
    }
}
