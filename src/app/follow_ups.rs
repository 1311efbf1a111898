//! Follow-ups: something to do for a customer by a due time, owned by one member of
//! staff. PENDING → RESCHEDULED (new due time) → COMPLETED (with an outcome) or
//! CANCELLED; completed and cancelled ones are final.

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::activity::{live_customer, live_floor, own_floor_only, parse_time, text};
use super::{Actor, Crm, Error, Paging, Permission};
use crate::domain::Area;
use crate::domain::{
    CustomerId, FieldErrors, FloorId, FollowUp, FollowUpId, FollowUpStatus, FollowUpType, Text,
    UserId, UserRole,
};
use crate::store::activity::{self as repo, DueRange, OpenOf};
use crate::store::{Page, PageRequest, StoreError, collect_page, people};

const FINAL_MOVE: &str = "cannot change while completing or cancelling; leave it out";
/// A customer's follow-ups are few; more than this are not read for one list.
const PER_CUSTOMER_CAP: usize = 1_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    pub customer_id: Uuid,
    #[serde(rename = "type")]
    pub kind: FollowUpType,
    /// RFC 3339 (`2026-11-24T11:00:00+05:30`), within a year back and five years ahead.
    pub due_at: String,
    /// Who does it; defaults to you. Only an admin may name someone else.
    pub owner_id: Option<Uuid>,
    #[schema(schema_with = super::field_schemas::optional_text::<2000>)]
    pub notes: Option<String>,
    /// Admins: defaults to the owner's floor, else the customer's home floor. A Floor
    /// Manager's follow-ups are on their own floor.
    pub floor_id: Option<Uuid>,
}

/// A change to a follow-up; fields left out stay as they are. `due_at` alone
/// reschedules. COMPLETED needs an outcome (sent now or recorded before).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpChange {
    pub status: Option<FollowUpStatus>,
    #[schema(schema_with = super::field_schemas::optional_text::<500>)]
    pub outcome: Option<String>,
    /// The new due time (RFC 3339); with it the follow-up becomes RESCHEDULED.
    pub due_at: Option<String>,
    #[schema(schema_with = super::field_schemas::optional_text::<2000>)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FollowUpQuery {
    pub owner_id: Option<Uuid>,
    /// A Floor Manager may give only their own floor.
    pub floor_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Open ones (PENDING and RESCHEDULED) when left out. COMPLETED and CANCELLED are
    /// listed for one customer: give `customer_id` with them.
    pub status: Option<FollowUpStatus>,
    /// RFC 3339: due at or after this time.
    pub due_after: Option<String>,
    /// RFC 3339: due before this time.
    pub due_before: Option<String>,
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

fn is_open(status: FollowUpStatus) -> bool {
    matches!(
        status,
        FollowUpStatus::Pending | FollowUpStatus::Rescheduled
    )
}

/// A due time for a new or moved follow-up: far-off years are typing mistakes.
fn parse_due(errors: &mut FieldErrors, raw: &str, now: Timestamp) -> Option<Timestamp> {
    let at = parse_time(errors, "due_at", raw)?;
    let year = SignedDuration::from_hours(24 * 366);
    if at < now - year || at > now + year * 5 {
        errors.add("due_at", "must be within a year back and five years ahead");
        return None;
    }
    Some(at)
}

impl Crm {
    pub fn create_follow_up(&self, actor: &Actor, input: FollowUpInput) -> Result<FollowUp, Error> {
        actor.require_write(Area::Activity)?;
        own_floor_only(actor, input.floor_id)?;
        let owner_id = input.owner_id.map_or(actor.user_id, UserId::from_uuid);
        if owner_id != actor.user_id && !actor.may(Permission::AssignFollowUps) {
            return Err(Error::Forbidden(
                "only a Business Admin can give a follow-up to someone else; leave owner_id out to take it yourself".into(),
            ));
        }
        let mut errors = FieldErrors::new();
        let due_at = parse_due(&mut errors, &input.due_at, crate::domain::now());
        let notes = text(&mut errors, "notes", input.notes.as_deref());
        self.db.write(actor.author(), |w| {
            let customer_id = CustomerId::from_uuid(input.customer_id);
            let customer = live_customer(w, actor, customer_id, &mut errors)?;
            let owner = people::user(w, &actor.store_scope(), owner_id)?
                .filter(|u| u.active && u.deleted_at.is_none());
            if owner.is_none() {
                errors.add("owner_id", "no such member of staff in this store");
            }
            let floor = match (actor.may(Permission::EveryFloor), input.floor_id) {
                (false, _) => actor.floor_id,
                (true, Some(id)) => live_floor(w, actor, FloorId::from_uuid(id), &mut errors)?,
                (true, None) => {
                    let fallback = owner.as_ref().and_then(|o| o.floor_id);
                    match fallback.or(customer.as_ref().and_then(|c| c.home_floor_id)) {
                        Some(id) => live_floor(w, actor, id, &mut errors)?,
                        None => {
                            errors.add(
                                "floor_id",
                                "is required: choose the floor that looks after this",
                            );
                            None
                        }
                    }
                }
            };
            if let (Some(owner), Some(floor)) = (&owner, floor)
                && owner.role == UserRole::FloorManager
                && owner.floor_id != Some(floor)
            {
                errors.add(
                    "owner_id",
                    "works on another floor; choose someone of this floor",
                );
            }
            let (Some(_), Some(floor), Some(due_at)) = (customer, floor, due_at) else {
                return Err(errors.into());
            };
            errors.into_result()?;
            let now = w.now();
            let follow_up = FollowUp {
                id: FollowUpId::new(),
                store_id: actor.store_id,
                floor_id: floor,
                customer_id,
                kind: input.kind,
                status: FollowUpStatus::Pending,
                due_at,
                owner_id,
                notes,
                outcome: Text::default(),
                completed_at: None,
                created_at: now,
                updated_at: now,
            };
            repo::insert_follow_up(w, &follow_up)?;
            Ok(follow_up)
        })
    }

    pub fn get_follow_up(&self, actor: &Actor, id: FollowUpId) -> Result<FollowUp, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.floor_scope()?;
        self.db
            .read(|rx| repo::follow_up(rx, &scope, id))?
            .ok_or(Error::NotFound("follow-up"))
    }

    /// Moves a follow-up along: reschedule, complete, cancel, or add notes. Nothing is
    /// saved unless the whole change is acceptable.
    pub fn update_follow_up(
        &self,
        actor: &Actor,
        id: FollowUpId,
        change: FollowUpChange,
    ) -> Result<FollowUp, Error> {
        actor.require_write(Area::Activity)?;
        let scope = actor.floor_scope()?;
        let mut errors = FieldErrors::new();
        let outcome = change
            .outcome
            .as_deref()
            .map(|o| text::<500>(&mut errors, "outcome", Some(o)));
        let notes = change
            .notes
            .as_deref()
            .map(|n| text::<2000>(&mut errors, "notes", Some(n)));
        let due_at = change
            .due_at
            .as_deref()
            .and_then(|d| parse_due(&mut errors, d, crate::domain::now()));
        if change.status.is_none()
            && change.outcome.is_none()
            && change.due_at.is_none()
            && change.notes.is_none()
        {
            errors.add(
                "body",
                "send at least one of status, outcome, due_at or notes",
            );
        }
        errors.into_result()?;
        self.db.write(actor.author(), |w| {
            let old = repo::follow_up(w, &scope, id)?.ok_or(Error::NotFound("follow-up"))?;
            if !is_open(old.status) {
                return Err(Error::field(
                    "status",
                    format!(
                        "this follow-up is {}, which is final; create a new follow-up instead",
                        old.status
                    ),
                ));
            }
            let mut new = old.clone();
            new.outcome = outcome.unwrap_or(new.outcome);
            new.notes = notes.unwrap_or(new.notes);
            let target = match (change.status, due_at) {
                (Some(status), _) => status,
                (None, Some(_)) => FollowUpStatus::Rescheduled,
                (None, None) => old.status,
            };
            let mut errors = FieldErrors::new();
            match target {
                FollowUpStatus::Completed => {
                    if change.due_at.is_some() {
                        errors.add("due_at", FINAL_MOVE);
                    }
                    if new.outcome.is_empty() {
                        errors.add(
                            "outcome",
                            "is required to complete a follow-up: say what came of it",
                        );
                    }
                    new.completed_at = Some(w.now());
                }
                FollowUpStatus::Cancelled if change.due_at.is_some() => {
                    errors.add("due_at", FINAL_MOVE)
                }
                FollowUpStatus::Cancelled => {}
                FollowUpStatus::Rescheduled => match due_at {
                    Some(at) => new.due_at = at,
                    None => {
                        errors.add("due_at", "is required to reschedule: give the new due time")
                    }
                },
                FollowUpStatus::Pending
                    if old.status != FollowUpStatus::Pending || due_at.is_some() =>
                {
                    errors.add(
                        "status",
                        "a follow-up moved to a new time is RESCHEDULED; send that with due_at",
                    );
                }
                FollowUpStatus::Pending => {}
            }
            errors.into_result()?;
            new.status = target;
            new.updated_at = w.now();
            repo::update_follow_up(w, &old, &new)?;
            Ok(new)
        })
    }

    /// Follow-ups soonest due first: open ones by owner, floor or the whole scope;
    /// any status for one customer.
    pub fn list_follow_ups(
        &self,
        actor: &Actor,
        query: &FollowUpQuery,
    ) -> Result<Page<FollowUp>, Error> {
        actor.require_read(Area::Activity)?;
        actor.floor_scope()?;
        own_floor_only(actor, query.floor_id)?;
        let request = Paging {
            limit: query.limit,
            cursor: query.cursor.as_deref(),
            page: query.page,
            per_page: query.per_page,
        }
        .request()?;
        self.follow_ups_page(actor, query, request)
    }

    /// One page of the follow-ups list under `query`'s filters, wherever `request` says
    /// (the list's own paging fields are not read): what the list and its export share.
    pub(super) fn follow_ups_page(
        &self,
        actor: &Actor,
        query: &FollowUpQuery,
        request: PageRequest,
    ) -> Result<Page<FollowUp>, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.floor_scope()?;
        own_floor_only(actor, query.floor_id)?;
        let mut errors = FieldErrors::new();
        let after = query
            .due_after
            .as_deref()
            .and_then(|t| parse_time(&mut errors, "due_after", t));
        let before = query
            .due_before
            .as_deref()
            .and_then(|t| parse_time(&mut errors, "due_before", t));
        if let (Some(a), Some(b)) = (after, before)
            && a >= b
        {
            errors.add("due_before", "must be later than due_after");
        }
        if query.customer_id.is_none() && query.status.is_some_and(|s| !is_open(s)) {
            errors.add(
                "status",
                "completed and cancelled follow-ups are listed per customer; add customer_id",
            );
        }
        errors.into_result()?;
        let due = DueRange {
            from: after.map_or(i64::MIN, |t| t.as_microsecond()),
            before: before.map_or(i64::MAX, |t| t.as_microsecond()),
        };
        let owner = query.owner_id.map(UserId::from_uuid);
        let floor = query.floor_id.map(FloorId::from_uuid);
        let keep = |f: &FollowUp| {
            owner.is_none_or(|o| f.owner_id == o)
                && floor.is_none_or(|fl| f.floor_id == fl)
                && match query.status {
                    Some(status) => f.status == status,
                    None => is_open(f.status),
                }
                && (due.from..due.before).contains(&f.due_at.as_microsecond())
        };
        self.db.read(|rx| -> Result<Page<FollowUp>, Error> {
            if let Some(customer) = query.customer_id {
                let id = CustomerId::from_uuid(customer);
                let mut all = repo::follow_ups_of_customer(rx, &scope, id, PER_CUSTOMER_CAP)?;
                all.retain(|f| keep(f));
                all.sort_by_key(|f| (f.due_at, f.id));
                return Ok(page_of(all, request)?);
            }
            let of = match (owner, floor) {
                (Some(o), _) => OpenOf::Owner(o),
                (None, Some(f)) => OpenOf::Floor(f),
                (None, None) => OpenOf::Scope,
            };
            Ok(repo::open_follow_ups(rx, &scope, of, due, keep, request)?)
        })
    }
}

/// One page of a list already in memory.
fn page_of(all: Vec<FollowUp>, request: PageRequest) -> Result<Page<FollowUp>, StoreError> {
    let total = all.len() as u64;
    collect_page(all.into_iter().map(Ok), |_| true, request, Some(total), 0)
}
