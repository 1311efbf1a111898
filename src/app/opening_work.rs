//! The opening report's last part, the work waiting today: the rate board in force,
//! follow-ups overdue and due, today's birthdays and anniversaries, bills drawn up and
//! not yet paid, pieces running out and the backups. It is put together from the use
//! cases that show each of these elsewhere (`pipeline`, `my_day`'s occasions, `dashboard`,
//! `rate_board`, `backup_status`), so the report says what those pages say.

use std::sync::Arc;

use jiff::civil::Date;

use super::backups::BackupStatus;
use super::kept::KeptUntilChange;
use super::my_day::{midnight, occasions_within};
use super::pipeline::{StageItem, StageKind, Work};
use super::{Actor, BoardLine, Crm, Error, LOW_STOCK, Occasion, Permission};
use crate::domain::{Area, FloorId, Paise, Product, StoreId};
use crate::store::activity::{self as repo, DueRange, OpenOf};
use crate::store::{PageRequest, customers, org};

/// How many follow-ups, bills and pieces the report names; the counts say how many
/// there are in all.
pub const FIRST_FEW: usize = 5;
/// How many of today's birthdays and anniversaries the report names, with their call
/// and WhatsApp links; a big store has thousands a day, and My day lists them all.
pub const OCCASIONS_NAMED: usize = 20;
/// Follow-ups due later today are counted by reading them; beyond this many the count
/// says "at least".
const DUE_TODAY_CAP: u32 = 500;

/// A count that may stop short: `all` is false when there are at least `count`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub count: usize,
    pub all: bool,
}

impl Counted {
    fn add(&mut self, count: usize, all: bool) {
        self.count = self.count.saturating_add(count);
        self.all = self.all && all;
    }
}

/// Open follow-ups whose time has passed, and those due through the rest of today.
#[derive(Debug, Clone)]
pub struct FollowUpsDue {
    pub overdue: Counted,
    pub due_today: Counted,
    /// The first few overdue (oldest first), then the first few due today.
    pub overdue_first: Vec<StageItem>,
    pub due_today_first: Vec<StageItem>,
}

/// Bills drawn up and waiting to be paid.
#[derive(Debug, Clone)]
pub struct PendingBills {
    pub bills: Counted,
    pub total: Paise,
    /// The longest-waiting first.
    pub first: Vec<StageItem>,
}

/// What waits on the day the report is made.
#[derive(Debug, Clone)]
pub struct TodaysWork {
    pub on: Date,
    pub rates: Vec<BoardLine>,
    /// Absent when the actor may not read the floors' activity (an API key without it).
    pub follow_ups: Option<FollowUpsDue>,
    /// Today's birthdays and anniversaries of the actor's customers, the first
    /// [`OCCASIONS_NAMED`] by name.
    pub occasions: Arc<Vec<Occasion>>,
    /// How many there are today in all.
    pub occasions_total: usize,
    pub pending: Option<PendingBills>,
    /// Pieces with [`LOW_STOCK`] or fewer left, fewest first (the first few).
    pub low_stock: Vec<Product>,
    pub low_stock_total: usize,
    /// Only for those who look after backups.
    pub backups: Option<BackupStatus>,
}

/// Today's occasions named in the report, and how many there are in all.
pub(super) type TodaysOccasions = (Arc<Vec<Occasion>>, usize);

/// Today's occasions as last read for each store and floor (none: the whole store).
/// A big store has thousands a day, and reading them (every such customer's record, to
/// sort by name and keep to a floor) is most of the opening report's time, so they are
/// kept until the next change or the next day.
pub(super) type OccasionsCache = KeptUntilChange<(StoreId, Option<FloorId>), TodaysOccasions>;

/// More floors than any store has; past it the cache starts again.
pub(super) const OCCASIONS_KEPT: usize = 64;

fn first_items(mut items: Vec<StageItem>) -> Vec<StageItem> {
    items.sort_by_key(|item| match &item.work {
        Work::FollowUp(f) => f.due_at.as_microsecond(),
        Work::Sale(s) => s.created_at.as_microsecond(),
    });
    items.truncate(FIRST_FEW);
    items
}

impl Crm {
    /// The work waiting on `today` for `actor`: a Floor Manager's floor, or the store.
    pub(super) fn todays_work(&self, actor: &Actor, today: Date) -> Result<TodaysWork, Error> {
        let rates = self.rate_board(actor)?;
        let reads_activity = actor.require_read(Area::Activity).is_ok();
        let (follow_ups, pending, occasions) = if reads_activity {
            let (follow_ups, pending) = self.follow_ups_and_bills(actor, today)?;
            (
                Some(follow_ups),
                Some(pending),
                self.occasions_today(actor, today)?,
            )
        } else {
            (None, None, (Arc::new(Vec::new()), 0))
        };
        let (occasions, occasions_total) = occasions;
        let board = self.dashboard(actor)?;
        // The dashboard counts the whole store's stock; a Floor Manager's report keeps
        // to their floor.
        let own_floor = actor.floor_scope()?.floor_id();
        let (low_stock, low_stock_total) = match own_floor {
            None => (board.low_stock.clone(), board.low_stock_total),
            Some(floor) => (
                board
                    .low_stock
                    .iter()
                    .filter(|p| p.floor_id == floor)
                    .cloned()
                    .collect(),
                board
                    .floors
                    .iter()
                    .find(|f| f.floor.id == floor)
                    .map_or(0, |f| f.low_stock),
            ),
        };
        let low_stock = low_stock
            .into_iter()
            .filter(|p| p.stock_qty <= LOW_STOCK)
            .take(FIRST_FEW)
            .collect();
        let backups = actor
            .may(Permission::ManageBackups)
            .then(|| self.backup_status(actor))
            .transpose()?;
        Ok(TodaysWork {
            on: today,
            rates,
            follow_ups,
            occasions,
            occasions_total,
            pending,
            low_stock,
            low_stock_total,
            backups,
        })
    }

    /// Today's birthdays and anniversaries of the actor's customers (a Floor Manager's
    /// floor), the first few by name, and how many in all: read for today alone, and
    /// kept until the next change or the next day (see [`OccasionsCache`]).
    fn occasions_today(&self, actor: &Actor, today: Date) -> Result<TodaysOccasions, Error> {
        let scope = actor.floor_scope()?;
        let store = actor.store_scope();
        self.db.read(|rx| {
            let key = (actor.store_id, scope.floor_id());
            let seq = rx.last_change_seq()?;
            if let Some(kept) = self.occasions_cache.get(&key, seq, today) {
                return Ok(kept);
            }
            let store_name = org::store(rx, &store)?
                .map(|s| s.name.to_string())
                .unwrap_or_default();
            let (named, total) =
                occasions_within(rx, &scope, &store_name, today, 1, OCCASIONS_NAMED)?;
            let occasions = Arc::new(named);
            self.occasions_cache
                .keep(key, seq, today, (occasions.clone(), total));
            Ok((occasions, total))
        })
    }

    /// Overdue follow-ups and pending bills as the pipeline counts them, and the
    /// follow-ups due from now to the end of `today`.
    fn follow_ups_and_bills(
        &self,
        actor: &Actor,
        today: Date,
    ) -> Result<(FollowUpsDue, PendingBills), Error> {
        let pipeline = self.pipeline(actor)?;
        let mut overdue = Counted {
            count: 0,
            all: true,
        };
        let mut bills = overdue;
        let mut total = Paise::ZERO;
        let (mut overdue_items, mut bill_items) = (Vec::new(), Vec::new());
        for floor in pipeline.floors {
            for stage in floor.stages {
                match stage.kind {
                    StageKind::FollowUpOverdue => {
                        overdue.add(stage.count, stage.counted_all);
                        overdue_items.extend(stage.items);
                    }
                    StageKind::AwaitingPayment => {
                        bills.add(stage.count, stage.counted_all);
                        total = total
                            .checked_add(stage.total.unwrap_or_default())
                            .ok_or_else(|| {
                                Error::internal_message("pending bills left the range of a sum")
                            })?;
                        bill_items.extend(stage.items);
                    }
                    StageKind::FollowUpSoon | StageKind::FollowUpLater => {}
                }
            }
        }
        let tz = self.config.time_zone();
        let tomorrow = today
            .tomorrow()
            .map_err(|e| Error::internal("finding tomorrow's date", e))?;
        let due = DueRange {
            from: pipeline.at.as_microsecond(),
            before: midnight(tomorrow, &tz)?,
        };
        let scope = actor.floor_scope()?;
        let store = actor.store_scope();
        let (due_today, due_today_first) = self.db.read(|rx| -> Result<_, Error> {
            let request = PageRequest::first(DUE_TODAY_CAP);
            let page = repo::open_follow_ups(rx, &scope, OpenOf::Scope, due, |_| true, request)?;
            let counted = Counted {
                count: page.items.len(),
                all: !page.has_more,
            };
            let first = page
                .items
                .into_iter()
                .take(FIRST_FEW)
                .map(|follow_up| {
                    let customer = customers::customer(rx, &store, follow_up.customer_id)?
                        .ok_or_else(|| {
                            Error::internal_message("a follow-up names a missing customer")
                        })?;
                    Ok(StageItem {
                        customer,
                        work: Work::FollowUp(follow_up),
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Ok((counted, first))
        })?;
        Ok((
            FollowUpsDue {
                overdue,
                due_today,
                overdue_first: first_items(overdue_items),
                due_today_first,
            },
            PendingBills {
                bills,
                total,
                first: first_items(bill_items),
            },
        ))
    }
}
