//! The sales pipeline: for each floor a person may see, its open work in stages (the
//! open follow-ups by when they are due, and the bills drawn up and awaiting payment),
//! each with its count, value and first few items. Also the names of the store's staff,
//! which the activity pages show beside what each person did.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::{Customer, Floor, FloorId, FollowUp, Paise, Sale};
use crate::store::activity::{self as repo, DueRange, OpenOf};
use crate::store::{Deleted, PageRequest, Reader, Scope, customers, org, sales};

/// How many items each stage lists; the count says how many there are in all.
const STAGE_ITEMS: usize = 20;
/// "Due soon" means within this long from now.
pub const SOON: SignedDuration = SignedDuration::from_hours(7 * 24);
/// Open follow-ups are counted by reading them; beyond this many a stage says "at least".
const FOLLOW_UP_COUNT_CAP: u32 = 500;
/// Bills awaiting payment are few; beyond this many the counts say "at least".
const PENDING_CAP: usize = 2_000;

/// The stages of a floor's open work, in the order the board shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StageKind {
    /// Open follow-ups whose due time has passed.
    FollowUpOverdue,
    /// Open follow-ups due from now through the next 7 days.
    FollowUpSoon,
    /// Open follow-ups due after that.
    FollowUpLater,
    /// Bills drawn up (PENDING sales) that are not paid yet.
    AwaitingPayment,
}

impl StageKind {
    pub const ALL: [StageKind; 4] = [
        StageKind::FollowUpOverdue,
        StageKind::FollowUpSoon,
        StageKind::FollowUpLater,
        StageKind::AwaitingPayment,
    ];

    pub fn title(self) -> &'static str {
        match self {
            StageKind::FollowUpOverdue => "Follow-up overdue",
            StageKind::FollowUpSoon => "Follow-up due in the next 7 days",
            StageKind::FollowUpLater => "Follow-up later",
            StageKind::AwaitingPayment => "Bill drawn up, awaiting payment",
        }
    }
}

/// What one item of a stage is.
#[derive(Debug, Clone)]
pub enum Work {
    FollowUp(FollowUp),
    Sale(Sale),
}

#[derive(Debug, Clone)]
pub struct StageItem {
    pub customer: Customer,
    pub work: Work,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub kind: StageKind,
    /// How many items the stage has (at least this many when `counted_all` is false).
    pub count: usize,
    pub counted_all: bool,
    /// What the pending bills will ask the customers to pay (after round-off); follow-ups
    /// have no value.
    pub total: Option<Paise>,
    /// Pending bills left out of `total` because their amount is beyond any real bill
    /// (saved before bills were limited); each needs correcting or cancelling.
    pub beyond_limit: usize,
    /// The first [`STAGE_ITEMS`]: soonest due first, or the longest-waiting bill first.
    pub items: Vec<StageItem>,
}

#[derive(Debug, Clone)]
pub struct FloorPipeline {
    pub floor: Floor,
    /// One per [`StageKind`], in the order of [`StageKind::ALL`].
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    /// The moment the stages were worked out from.
    pub at: Timestamp,
    pub floors: Vec<FloorPipeline>,
}

/// A stage's items with their customers; at most [`STAGE_ITEMS`] of `work` are read.
fn items(
    rx: &Reader,
    store: &Scope,
    work: impl Iterator<Item = Work>,
) -> Result<Vec<StageItem>, Error> {
    work.take(STAGE_ITEMS)
        .map(|work| {
            let id = match &work {
                Work::FollowUp(f) => f.customer_id,
                Work::Sale(s) => s.customer_id,
            };
            let customer = customers::customer(rx, store, id)?
                .ok_or_else(|| Error::internal_message("open work names a missing customer"))?;
            Ok(StageItem { customer, work })
        })
        .collect()
}

fn follow_up_stage(
    rx: &Reader,
    scope: &Scope,
    floor: FloorId,
    kind: StageKind,
    due: DueRange,
) -> Result<Stage, Error> {
    let request = PageRequest::first(FOLLOW_UP_COUNT_CAP);
    let page = repo::open_follow_ups(rx, scope, OpenOf::Floor(floor), due, |_| true, request)?;
    Ok(Stage {
        kind,
        count: page.items.len(),
        counted_all: !page.has_more,
        total: None,
        beyond_limit: 0,
        items: items(
            rx,
            &scope.store_only(),
            page.items.into_iter().map(Work::FollowUp),
        )?,
    })
}

/// What pending bills come to, leaving out (and counting) any at or beyond
/// [`Paise::LIMIT`]: such a bill cannot have been drawn up since bills were limited, and
/// one of them must not make the whole pipeline unreadable.
fn add_up_bills(payables: impl Iterator<Item = Paise>) -> (Paise, usize) {
    let mut total = Paise::ZERO;
    let mut beyond = 0;
    for payable in payables {
        match total
            .checked_add(payable)
            .filter(|_| payable < Paise::LIMIT)
        {
            Some(sum) => total = sum,
            None => beyond += 1,
        }
    }
    (total, beyond)
}

impl Crm {
    /// The open work of every floor the actor may see: an admin's whole store, a Floor
    /// Manager's own floor.
    pub fn pipeline(&self, actor: &Actor) -> Result<Pipeline, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.floor_scope()?;
        let store = actor.store_scope();
        let at = crate::domain::now();
        let (now, soon) = (at.as_microsecond(), (at + SOON).as_microsecond());
        self.db.read(|rx| -> Result<Pipeline, Error> {
            let floors = match scope.floor_id() {
                Some(own) => org::floor(rx, &store, own)?.into_iter().collect(),
                None => org::floors(rx, &store, Deleted::Hide)?,
            };
            let pending = sales::pending_sales(rx, &scope, PENDING_CAP)?;
            let pending_complete = pending.len() < PENDING_CAP;
            let mut out = Vec::with_capacity(floors.len());
            for floor in floors {
                let ranges = [
                    (StageKind::FollowUpOverdue, i64::MIN, now),
                    (StageKind::FollowUpSoon, now, soon),
                    (StageKind::FollowUpLater, soon, i64::MAX),
                ];
                let mut stages = Vec::with_capacity(StageKind::ALL.len());
                for (kind, from, before) in ranges {
                    let due = DueRange { from, before };
                    stages.push(follow_up_stage(rx, &scope, floor.id, kind, due)?);
                }
                let bills: Vec<&Sale> = pending.iter().filter(|s| s.floor_id == floor.id).collect();
                let (total, beyond_limit) = add_up_bills(bills.iter().map(|s| s.payable()));
                stages.push(Stage {
                    kind: StageKind::AwaitingPayment,
                    count: bills.len(),
                    counted_all: pending_complete,
                    total: Some(total),
                    beyond_limit,
                    items: items(rx, &store, bills.into_iter().cloned().map(Work::Sale))?,
                });
                out.push(FloorPipeline { floor, stages });
            }
            Ok(Pipeline { at, floors: out })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bills_beyond_belief_are_counted_apart_from_the_total() {
        let bills = [
            Paise::new(1_00_000_00),
            Paise::new(i64::MAX),
            Paise::new(2_50_000_00),
            Paise::new(i64::MAX),
        ];
        assert_eq!(
            add_up_bills(bills.into_iter()),
            (Paise::new(3_50_000_00), 2)
        );
        assert_eq!(add_up_bills(std::iter::empty()), (Paise::ZERO, 0));
    }
}
