//! A customer's timeline: interactions, follow-ups, sales and the record's own changes,
//! newest first. A Floor Manager sees their floor's interactions, follow-ups and sales.

use jiff::Timestamp;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Actor, Crm, Error, Permission};
use crate::domain::{Customer, CustomerId, FollowUp, FollowUpStatus, Interaction, Sale};
use crate::store::activity as repo;
use crate::store::{PageRequest, customers};

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// How many entries, newest first: 1 to 500 (default 100).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone)]
pub enum TimelineEvent {
    Interaction(Interaction),
    /// Placed at its due time while open, when it was completed or cancelled after.
    FollowUp(FollowUp),
    /// Placed at its completion, or its creation if it has not been completed.
    Sale(Sale),
    CustomerAdded,
    /// The record's latest change (the record keeps only when it last changed).
    CustomerChanged,
    CustomerRemoved,
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub event: TimelineEvent,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub customer: Customer,
    pub entries: Vec<TimelineEntry>,
}

impl TimelineEvent {
    fn at(&self, customer: &Customer) -> Timestamp {
        match self {
            TimelineEvent::Interaction(i) => i.occurred_at,
            TimelineEvent::FollowUp(f) => match f.status {
                FollowUpStatus::Pending | FollowUpStatus::Rescheduled => f.due_at,
                FollowUpStatus::Completed => f.completed_at.unwrap_or(f.updated_at),
                FollowUpStatus::Cancelled => f.updated_at,
            },
            TimelineEvent::Sale(s) => s.completed_at.unwrap_or(s.created_at),
            TimelineEvent::CustomerAdded => customer.created_at,
            TimelineEvent::CustomerChanged => customer.updated_at,
            TimelineEvent::CustomerRemoved => customer.deleted_at.unwrap_or(customer.updated_at),
        }
    }
}

impl Crm {
    /// One customer's timeline. Each kind is read newest first up to the limit through
    /// its per-customer index, so the cost follows the limit, not the store's size.
    pub fn customer_timeline(
        &self,
        actor: &Actor,
        id: CustomerId,
        query: &TimelineQuery,
    ) -> Result<Timeline, Error> {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::field(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let scope = actor.floor_scope()?;
        let (customer, mut events) = self.db.read(|rx| -> Result<_, Error> {
            let customer = customers::customer(rx, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none() || actor.may(Permission::SeeRemoved))
                .ok_or(Error::NotFound("customer"))?;
            let request = PageRequest {
                page: 1,
                per_page: limit,
            };
            let filter = repo::InteractionFilter {
                customer: Some(id),
                floor: None,
            };
            let limit = limit as usize;
            let sales = crate::store::sales::sales_of_customer(rx, &scope, id, limit)?;
            let shown: Vec<_> = sales.iter().map(|s| s.id).collect();
            // A completed sale logs a SALE interaction; the sale's own entry says more.
            let mut events: Vec<TimelineEvent> =
                repo::list_interactions(rx, &scope, filter, request)?
                    .items
                    .into_iter()
                    .filter(|i| i.sale_id.is_none_or(|sale| !shown.contains(&sale)))
                    .map(TimelineEvent::Interaction)
                    .collect();
            events.extend(
                repo::follow_ups_of_customer(rx, &scope, id, limit)?
                    .into_iter()
                    .map(TimelineEvent::FollowUp),
            );
            events.extend(sales.into_iter().map(TimelineEvent::Sale));
            Ok((customer, events))
        })?;
        events.push(TimelineEvent::CustomerAdded);
        // Removing a customer stamps `updated_at` too; that is the removal, not a change.
        if customer.updated_at > customer.created_at
            && customer.deleted_at != Some(customer.updated_at)
        {
            events.push(TimelineEvent::CustomerChanged);
        }
        if customer.deleted_at.is_some() {
            events.push(TimelineEvent::CustomerRemoved);
        }
        let mut entries: Vec<TimelineEntry> = events
            .into_iter()
            .map(|event| TimelineEntry {
                at: event.at(&customer),
                event,
            })
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.at));
        entries.truncate(limit as usize);
        Ok(Timeline { customer, entries })
    }
}
