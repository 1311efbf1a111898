//! A customer's timeline: interactions, follow-ups, sales, merges and the record's own
//! changes, newest first. A Floor Manager sees their floor's interactions, follow-ups and sales.

use jiff::Timestamp;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Actor, Crm, Error, Paging, Permission};
use crate::domain::Area;
use crate::domain::{
    Customer, CustomerId, CustomerMerge, FileView, FollowUp, FollowUpStatus, Interaction, Sale,
    StoredFile,
};
use crate::store::activity as repo;
use crate::store::{Page, PageRequest, customers};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// How many entries, newest first: 1 to 200 (default 25).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
}

impl TimelineQuery {
    pub fn request(&self) -> Result<PageRequest, Error> {
        Paging {
            limit: self.limit,
            cursor: self.cursor.as_deref(),
            ..Paging::default()
        }
        .request()
    }
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
    /// Another customer's record merged into this one (a merge still in force).
    Merged(CustomerMerge),
    /// A document kept for the customer (shown to those who may see documents).
    DocumentAdded(StoredFile),
    /// Someone opened or downloaded one of the customer's documents.
    DocumentViewed(FileView),
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub event: TimelineEvent,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub customer: Customer,
    /// The page asked for; how many entries there are in all is not counted.
    pub entries: Page<TimelineEntry>,
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
            TimelineEvent::Merged(m) => m.merged_at,
            TimelineEvent::DocumentAdded(f) => f.added_at,
            TimelineEvent::DocumentViewed(v) => v.at,
        }
    }
}

impl Crm {
    /// One page of a customer's timeline. Each kind is read newest first, as far as the
    /// page's end and one more, through its per-customer index, so the cost follows
    /// the page's end, not the store's size.
    pub fn customer_timeline(
        &self,
        actor: &Actor,
        id: CustomerId,
        request: PageRequest,
    ) -> Result<Timeline, Error> {
        actor.require_read(Area::Customers)?;
        // One past the page's end says whether another page follows.
        let reach = request
            .offset()
            .saturating_add(request.per_page as usize)
            .saturating_add(1);
        let limit = u32::try_from(reach).unwrap_or(u32::MAX);
        let scope = actor.floor_scope()?;
        let (customer, mut events) = self.db.read(|rx| -> Result<_, Error> {
            let customer = customers::customer(rx, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none() || actor.may(Permission::SeeRemoved))
                .ok_or(Error::NotFound("customer"))?;
            let filter = repo::InteractionFilter {
                customer: Some(id),
                floor: None,
            };
            let sales = crate::store::sales::sales_of_customer(rx, &scope, id, reach)?;
            let shown: Vec<_> = sales.iter().map(|s| s.id).collect();
            // A completed sale logs a SALE interaction; the sale's own entry says more.
            let mut events: Vec<TimelineEvent> =
                repo::list_interactions(rx, &scope, filter, PageRequest::first(limit))?
                    .items
                    .into_iter()
                    .filter(|i| i.sale_id.is_none_or(|sale| !shown.contains(&sale)))
                    .map(TimelineEvent::Interaction)
                    .collect();
            events.extend(
                repo::follow_ups_of_customer(rx, &scope, id, reach)?
                    .into_iter()
                    .map(TimelineEvent::FollowUp),
            );
            events.extend(sales.into_iter().map(TimelineEvent::Sale));
            events.extend(
                crate::store::customer_merges::merges_into(rx, actor.store_id, id)?
                    .into_iter()
                    .map(TimelineEvent::Merged),
            );
            if super::files::may_see_documents(actor, &customer) {
                let owner = crate::domain::FileOwner::Customer(id);
                events.extend(
                    crate::store::files::files_of(rx, actor.store_id, owner)?
                        .into_iter()
                        .map(TimelineEvent::DocumentAdded),
                );
                events.extend(
                    crate::store::files::views_of_customer(rx, actor.store_id, id, reach)?
                        .into_iter()
                        .map(TimelineEvent::DocumentViewed),
                );
            }
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
        let entries = request.slice(entries, None);
        Ok(Timeline { customer, entries })
    }
}
