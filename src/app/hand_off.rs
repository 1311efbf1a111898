//! The floor hand-off: "send to another floor" on a walk-in or a customer puts a
//! HANDED_OFF entry on the customer's timeline and notifies the managers of the floor
//! they are sent to, in one transaction.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::activity::{live_customer, text};
use super::{Actor, Crm, Error};
use crate::domain::{
    Area, CustomerId, FieldErrors, FloorId, Interaction, InteractionId, InteractionType, Text,
};
use crate::store::{activity, org};

/// Where to send the customer, and a word for the floor that receives them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandOffInput {
    /// The floor the customer goes to: a live floor of the store.
    pub floor_id: Uuid,
    /// What the receiving floor should know ("wants bridal sets, budget 5 lakh").
    #[schema(schema_with = super::field_schemas::optional_text::<500>)]
    pub note: Option<String>,
}

impl Crm {
    /// Sends a customer to another floor: the hand-off is logged on the target floor's
    /// part of the timeline (so its managers see it) and its managers are notified at
    /// once. Anyone signed in may send any customer of the store on; a floor that is not
    /// a live floor of the store, or the sender's own floor, is refused and nothing is
    /// stored.
    pub fn send_to_floor(
        &self,
        actor: &Actor,
        customer_id: CustomerId,
        input: HandOffInput,
    ) -> Result<Interaction, Error> {
        actor.require_write(Area::Activity)?;
        let mut errors = FieldErrors::new();
        let note: Text<500> = text(&mut errors, "note", input.note.as_deref());
        let target = FloorId::from_uuid(input.floor_id);
        self.db.write(actor.author(), |w| {
            let mut unused = FieldErrors::new();
            let customer = live_customer(w, actor, customer_id, &mut unused)?
                .ok_or(Error::NotFound("customer"))?;
            let floor =
                org::floor(w, &actor.store_scope(), target)?.filter(|f| f.deleted_at.is_none());
            match &floor {
                None => errors.add(
                    "floor_id",
                    "no such floor in this store; choose one of the store's floors",
                ),
                Some(f) if actor.floor_id == Some(f.id) => errors.add(
                    "floor_id",
                    "is your own floor; choose the floor the customer is going to",
                ),
                Some(_) => {}
            }
            errors.into_result()?;
            let Some(floor) = floor else {
                return Err(Error::field("floor_id", "no such floor in this store"));
            };
            let now = w.now();
            let from = actor
                .floor_id
                .and_then(|f| org::floor(w, &actor.store_scope(), f).ok().flatten())
                .map(|f| format!(" from {}", f.name.as_str()))
                .unwrap_or_default();
            let logged = Interaction {
                id: InteractionId::created_at(now),
                store_id: actor.store_id,
                floor_id: floor.id,
                customer_id,
                kind: InteractionType::HandedOff,
                notes: Text::parse(note.as_str()).unwrap_or_default(),
                outcome: Text::parse(&format!("Sent to {}{from}", floor.name.as_str()))
                    .unwrap_or_default(),
                sale_id: None,
                staff_id: actor.user_id,
                occurred_at: now,
                created_at: now,
            };
            activity::insert_interaction(w, &logged)?;
            super::notifications::handed_off(
                w,
                &customer,
                (floor.id, floor.name.as_str()),
                note.as_str(),
                actor,
            )?;
            Ok(logged)
        })
    }
}
