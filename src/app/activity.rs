//! Interactions: logging what happened with a customer (and a walk-in in one tap), and
//! listing a floor's or a customer's interactions. A Floor Manager records and sees
//! their own floor's; an admin every floor's.

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::customer_input::{CustomerInput, parse_customer};
use super::{Actor, Crm, Error, Paging, Permission};
use crate::domain::Area;
use crate::domain::{
    Customer, CustomerId, CustomerStatus, FieldErrors, FloorId, Interaction, InteractionId,
    InteractionType, Phone, Text,
};
use crate::store::activity::{self as repo, InteractionFilter};
use crate::store::{Page, Tables, customers, org};

/// Tablets' clocks drift; a time this little ahead of the server's is taken as now.
const CLOCK_SKEW: SignedDuration = SignedDuration::from_mins(5);

/// Something that happened with a customer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionInput {
    pub customer_id: Uuid,
    #[serde(rename = "type")]
    pub kind: InteractionType,
    #[schema(schema_with = super::field_schemas::optional_text::<2000>)]
    pub notes: Option<String>,
    #[schema(schema_with = super::field_schemas::optional_text::<500>)]
    pub outcome: Option<String>,
    /// RFC 3339 (`2026-11-24T18:30:00+05:30`); defaults to now; not in the future.
    pub occurred_at: Option<String>,
    /// Where it happened. Required from an admin; a Floor Manager's interactions are
    /// on their own floor.
    pub floor_id: Option<Uuid>,
}

/// A customer at the counter: found by phone, or added as a prospect.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInInput {
    /// Needed when the phone number is new (they are added as a prospect); a known
    /// number keeps its customer's name.
    #[serde(default)]
    #[schema(schema_with = super::field_schemas::optional_person_name)]
    pub name: Option<String>,
    /// As people type it: `98300 12345`, `+91 98300 12345`.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[ .()\-]*(?:\+[ .()\-]*9[ .()\-]*1[ .()\-]*|0[ .()\-]*0[ .()\-]*9[ .()\-]*1[ .()\-]*|9[ .()\-]*1[ .()\-]*|0[ .()\-]*)?[6-9](?:[ .()\-]*[0-9]){9}[ .()\-]*[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub phone: String,
    #[schema(schema_with = super::field_schemas::optional_text::<2000>)]
    pub notes: Option<String>,
    /// Required from an admin; a Floor Manager's walk-ins are on their own floor.
    pub floor_id: Option<Uuid>,
}

/// A walk-in as logged, on the customer it was logged on.
#[derive(Debug, Clone)]
pub struct WalkIn {
    pub customer: Customer,
    pub interaction: Interaction,
    /// Whether the customer was added as a prospect by this walk-in.
    pub new_customer: bool,
    /// The customer's totals, this walk-in counted.
    pub value: crate::domain::CustomerValue,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InteractionQuery {
    pub customer_id: Option<Uuid>,
    /// A Floor Manager may give only their own floor.
    pub floor_id: Option<Uuid>,
    /// Items per page, 1 to 200 (default 25).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
    /// Older alias: a 1-based page number, instead of `cursor`.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u32>,
    /// Older alias of `limit`.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
}

/// Refuses a Floor Manager who names a floor other than their own.
pub(super) fn own_floor_only(actor: &Actor, given: Option<Uuid>) -> Result<(), Error> {
    match given.map(FloorId::from_uuid) {
        Some(floor) if !actor.may_work_on(Some(floor)) => {
            Err(Error::Forbidden(
                "that is another floor; a Floor Manager works on their own floor's interactions and follow-ups only".into(),
            ))
        }
        _ => Ok(()),
    }
}

pub(super) fn text<const N: usize>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
) -> Text<N> {
    errors
        .check(field, Text::parse(value.unwrap_or("")))
        .unwrap_or_default()
}

/// An RFC 3339 time, at the microsecond precision records keep.
pub(super) fn parse_time(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<Timestamp> {
    match raw.trim().parse::<Timestamp>() {
        Ok(at) => Timestamp::from_microsecond(at.as_microsecond()).ok(),
        Err(_) => {
            errors.add(
                field,
                "is not a time; use RFC 3339 with an offset, e.g. 2026-11-24T18:30:00+05:30",
            );
            None
        }
    }
}

fn parse_occurred(
    errors: &mut FieldErrors,
    raw: Option<&str>,
    now: Timestamp,
) -> Option<Timestamp> {
    let at = parse_time(errors, "occurred_at", raw?)?;
    if at > now + CLOCK_SKEW {
        errors.add("occurred_at", "is in the future; leave it out to mean now");
        return None;
    }
    if at
        < "2000-01-01T00:00:00Z"
            .parse::<Timestamp>()
            .unwrap_or(Timestamp::MIN)
    {
        errors.add("occurred_at", "is before 2000; check the year");
        return None;
    }
    Some(at.min(now))
}

/// A live customer of the actor's store (every role may record on any customer).
pub(super) fn live_customer(
    tx: &impl Tables,
    actor: &Actor,
    id: CustomerId,
    errors: &mut FieldErrors,
) -> Result<Option<Customer>, Error> {
    let found =
        customers::customer(tx, &actor.store_scope(), id)?.filter(|c| c.deleted_at.is_none());
    if found.is_none() {
        errors.add("customer_id", "no such customer in this store");
    }
    Ok(found)
}

/// The live floor `id` of the actor's store, or a field error.
pub(super) fn live_floor(
    tx: &impl Tables,
    actor: &Actor,
    id: FloorId,
    errors: &mut FieldErrors,
) -> Result<Option<FloorId>, Error> {
    let found = org::floor(tx, &actor.store_scope(), id)?.filter(|f| f.deleted_at.is_none());
    if found.is_none() {
        errors.add("floor_id", "no such floor in this store");
    }
    Ok(found.map(|f| f.id))
}

/// The floor something is recorded on: a Floor Manager's own (checked before, by
/// [`own_floor_only`]); for an admin the one they give, which must exist.
fn record_floor(
    tx: &impl Tables,
    actor: &Actor,
    given: Option<Uuid>,
    errors: &mut FieldErrors,
) -> Result<Option<FloorId>, Error> {
    match (actor.may(Permission::EveryFloor), given) {
        (false, _) => Ok(actor.floor_id),
        (true, Some(id)) => live_floor(tx, actor, FloorId::from_uuid(id), errors),
        (true, None) => {
            errors.add(
                "floor_id",
                "is required: choose the floor where this happened",
            );
            Ok(None)
        }
    }
}

fn new_interaction(
    actor: &Actor,
    customer: CustomerId,
    floor: FloorId,
    kind: InteractionType,
    (notes, outcome): (Text<2000>, Text<500>),
    occurred_at: Timestamp,
    now: Timestamp,
) -> Interaction {
    Interaction {
        // Backdated to when it happened, so the id-ordered indexes run in time order.
        id: InteractionId::created_at(occurred_at),
        store_id: actor.store_id,
        floor_id: floor,
        customer_id: customer,
        kind,
        notes,
        outcome,
        sale_id: None,
        staff_id: actor.user_id,
        occurred_at,
        created_at: now,
    }
}

impl Crm {
    pub fn log_interaction(
        &self,
        actor: &Actor,
        input: InteractionInput,
    ) -> Result<Interaction, Error> {
        actor.require_write(Area::Activity)?;
        own_floor_only(actor, input.floor_id)?;
        let mut errors = FieldErrors::new();
        if input.kind == InteractionType::Sale {
            // A sale's interaction carries the sale; completing the sale logs it.
            errors.add(
                "type",
                "a SALE is logged by completing the sale itself; choose another type",
            );
        }
        if input.kind == InteractionType::HandedOff {
            // A hand-off notifies the floor it is sent to; sending it does both.
            errors.add(
                "type",
                "a HANDED_OFF is logged by sending the customer to another floor; choose another type",
            );
        }
        let notes = text(&mut errors, "notes", input.notes.as_deref());
        let outcome = text(&mut errors, "outcome", input.outcome.as_deref());
        let occurred = parse_occurred(
            &mut errors,
            input.occurred_at.as_deref(),
            crate::domain::now(),
        );
        self.db.write(actor.author(), |w| {
            let customer_id = CustomerId::from_uuid(input.customer_id);
            let customer = live_customer(w, actor, customer_id, &mut errors)?;
            let floor = record_floor(w, actor, input.floor_id, &mut errors)?;
            let (Some(_), Some(floor)) = (customer, floor) else {
                return Err(errors.into());
            };
            errors.into_result()?;
            let now = w.now();
            let interaction = new_interaction(
                actor,
                customer_id,
                floor,
                input.kind,
                (notes, outcome),
                occurred.unwrap_or(now),
                now,
            );
            repo::insert_interaction(w, &interaction)?;
            Ok(interaction)
        })
    }

    /// Logs a walk-in by phone number: on the customer who has it, or on a new
    /// PROSPECT with that name and phone, created in the same transaction.
    pub fn log_walk_in(&self, actor: &Actor, input: WalkInInput) -> Result<WalkIn, Error> {
        actor.require_write(Area::Activity)?;
        own_floor_only(actor, input.floor_id)?;
        let mut errors = FieldErrors::new();
        let phone = Phone::parse(&input.phone)
            .map_err(|e| errors.add("phone", e.0))
            .ok();
        let notes = text(&mut errors, "notes", input.notes.as_deref());
        let today = self.today();
        self.db.write(actor.author(), |w| {
            let floor = record_floor(w, actor, input.floor_id, &mut errors)?;
            let scope = actor.store_scope();
            let known = match &phone {
                Some(phone) => customers::customer_by_phone(w, &scope, phone)?,
                None => None,
            };
            // Someone new is added as a prospect with just their name and number.
            let newcomer = match (&known, &phone) {
                (None, Some(_)) => {
                    let as_customer = CustomerInput {
                        name: input.name.clone().unwrap_or_default(),
                        phone: input.phone.clone(),
                        status: Some(CustomerStatus::Prospect),
                        ..CustomerInput::default()
                    };
                    match parse_customer(&as_customer, today) {
                        Ok(parsed) => Some(parsed),
                        Err(Error::Invalid(bad)) => {
                            for (field, message) in bad.iter() {
                                errors.add(field.clone(), message.clone());
                            }
                            None
                        }
                        Err(other) => return Err(other),
                    }
                }
                _ => None,
            };
            errors.into_result()?;
            let Some(floor) = floor else {
                return Err(Error::field("floor_id", "choose the floor"));
            };
            let now = w.now();
            let (customer, new_customer) = match (known, newcomer) {
                (Some(existing), _) => (existing, false),
                (None, Some(mut parsed)) => {
                    parsed.home_floor_id = Some(floor);
                    let customer = parsed.into_customer(actor.store_id, actor.user_id, now);
                    (customers::insert_customer(w, customer)?, true)
                }
                (None, None) => return Err(Error::field("phone", "give the customer's phone")),
            };
            let interaction = new_interaction(
                actor,
                customer.id,
                floor,
                InteractionType::WalkIn,
                (notes, Text::default()),
                now,
                now,
            );
            repo::insert_interaction(w, &interaction)?;
            let value = crate::store::customer_values::customer_value(
                w,
                &actor.store_scope(),
                customer.id,
            )?;
            Ok(WalkIn {
                customer,
                interaction,
                new_customer,
                value,
            })
        })
    }

    /// Interactions newest first: a customer's, a floor's, or (admins) every floor's.
    pub fn list_interactions(
        &self,
        actor: &Actor,
        query: &InteractionQuery,
    ) -> Result<Page<Interaction>, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.floor_scope()?;
        own_floor_only(actor, query.floor_id)?;
        let request = Paging {
            limit: query.limit,
            cursor: query.cursor.as_deref(),
            page: query.page,
            per_page: query.per_page,
        }
        .request()?;
        let filter = InteractionFilter {
            customer: query.customer_id.map(CustomerId::from_uuid),
            floor: query.floor_id.map(FloorId::from_uuid),
        };
        Ok(self
            .db
            .read(|rx| repo::list_interactions(rx, &scope, filter, request))?)
    }
}
