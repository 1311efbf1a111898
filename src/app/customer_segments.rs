//! Reading RFM segments (`domain::rfm`) out of the customer order indexes
//! (`store::customer_values`) in bounded steps: a segment's list walks the one index
//! range its rule confines it to, and the counts walk the buyers newest first.
//!
//! Why bounded and not exact: with a million customers, knowing every segment's exact
//! size means reading every buyer's totals on every request. Instead a page examines at
//! most [`PAGE_SCAN`] index entries (and carries on from where it stopped through its
//! cursor), and the counts examine at most [`COUNT_SCAN`] buyers, newest first; past
//! that the counts are marked as lower bounds ("at least"). A store of up to
//! [`COUNT_SCAN`] buyers (most jewellers) gets exact counts; each examined entry is one
//! index step and one point read, so the count costs a few tens of milliseconds at most.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Error;
use crate::domain::rfm::{
    HIGH_VALUE, LAPSED_DAYS, NEW_DAYS, RECENT_DAYS, Segment, days_since, segment_of,
};
use crate::domain::{Customer, CustomerId, CustomerValue, Paise, Phone};
use crate::store::customer_values::{
    OrderPosition, ValueOrder, purchase_key, value_key, walk_down,
};
use crate::store::{Scope, Tables, customers};

/// Index entries one page of a segment may examine before it hands back a cursor.
pub const PAGE_SCAN: usize = 5_000;
/// Buyers the segment counts examine before they become lower bounds.
pub const COUNT_SCAN: usize = 20_000;

/// A customer in a list someone calls from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRow {
    pub id: CustomerId,
    pub code: String,
    pub name: String,
    pub phone: Phone,
    pub last_purchase: Option<Timestamp>,
    /// Days since the last purchase, on the report's day.
    pub days_since: Option<i32>,
    pub purchases: u64,
    pub lifetime_value: Paise,
    pub segment: Option<Segment>,
}

/// How many customers each segment holds, as far as the count read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentCounts {
    pub counts: Vec<(Segment, u64)>,
    /// Every buyer was examined: the counts are exact, not lower bounds.
    pub complete: bool,
}

/// One page of a segment's members and where the next starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentPage {
    pub rows: Vec<CallRow>,
    pub next: Option<OrderPosition>,
}

/// The day a report is for and the zone its days are in.
#[derive(Debug, Clone)]
pub struct ReportDay {
    pub today: Date,
    pub zone: TimeZone,
}

impl ReportDay {
    /// The first instant of the day `days` before today: a purchase at or after it is
    /// at most `days` days old.
    fn since(&self, days: i32) -> Result<Timestamp, Error> {
        let day = self
            .today
            .checked_sub(jiff::Span::new().days(days))
            .map_err(|e| Error::internal("working out a report's days", e))?;
        self.zone
            .to_timestamp(day.at(0, 0, 0, 0))
            .map_err(|e| Error::internal("working out a report's days", e))
    }
}

/// The index range a segment's members all lie in: which order, from below which
/// position, down to which key.
struct Walk {
    order: ValueOrder,
    below: Option<OrderPosition>,
    lowest: String,
}

/// Keys are fixed-width digit strings, so "0" sorts below every one of them and above
/// the empty key of a customer who never bought.
const ANY_PURCHASE: &str = "0";

fn walk_of(segment: Segment, day: &ReportDay) -> Result<Walk, Error> {
    let recent = |days| -> Result<String, Error> { Ok(purchase_key(day.since(days)?)) };
    let older_than = |days| -> Result<Option<OrderPosition>, Error> {
        Ok(Some(OrderPosition {
            key: recent(days)?,
            customer: CustomerId::from_u128(0),
        }))
    };
    let by_purchase = |below, lowest| Walk {
        order: ValueOrder::LastPurchase,
        below,
        lowest,
    };
    Ok(match segment {
        Segment::Champions => by_purchase(None, recent(RECENT_DAYS)?),
        Segment::Loyal | Segment::NeedsAttention => by_purchase(None, recent(LAPSED_DAYS)?),
        Segment::New => by_purchase(None, recent(NEW_DAYS)?),
        Segment::AtRisk => by_purchase(older_than(RECENT_DAYS)?, recent(LAPSED_DAYS)?),
        Segment::Lapsed => by_purchase(older_than(LAPSED_DAYS)?, ANY_PURCHASE.to_owned()),
        Segment::LapsedHighSpenders => Walk {
            order: ValueOrder::LifetimeValue,
            below: None,
            lowest: value_key(HIGH_VALUE),
        },
    })
}

fn call_row(customer: Customer, value: &CustomerValue, day: &ReportDay) -> CallRow {
    CallRow {
        code: customer.code(),
        id: customer.id,
        name: customer.name.as_str().to_owned(),
        phone: customer.phone,
        last_purchase: value.last_purchase,
        days_since: value
            .last_purchase
            .map(|at| days_since(at, day.today, &day.zone)),
        purchases: value.purchases,
        lifetime_value: value.lifetime_value,
        segment: segment_of(value, day.today, &day.zone),
    }
}

/// Up to `limit` members of `segment` after `after`, in the order of the index its
/// rule walks (latest purchase first; highest value first for lapsed high spenders).
pub fn segment_page(
    tx: &impl Tables,
    scope: &Scope,
    segment: Segment,
    day: &ReportDay,
    after: Option<&OrderPosition>,
    limit: usize,
) -> Result<SegmentPage, Error> {
    let walk = walk_of(segment, day)?;
    let below = after.or(walk.below.as_ref());
    let mut found: Vec<(OrderPosition, CustomerValue)> = Vec::new();
    let (mut examined, mut last) = (0_usize, None);
    let mut more = false;
    walk_down(
        tx,
        scope,
        walk.order,
        below,
        &walk.lowest,
        &mut |at, value| {
            if found.len() == limit || examined == PAGE_SCAN {
                more = true;
                return false;
            }
            examined += 1;
            last = Some(at.clone());
            if segment_of(&value, day.today, &day.zone) == Some(segment) {
                found.push((at, value));
            }
            true
        },
    )?;
    let mut rows = Vec::with_capacity(found.len());
    for (at, value) in &found {
        if let Some(customer) = customers::customer(tx, scope, at.customer)? {
            rows.push(call_row(customer, value, day));
        }
    }
    // A full page continues after its last member; a page cut short by the scan bound
    // continues after the last entry examined, so no entry is read twice.
    let next = if !more {
        None
    } else if found.len() == limit {
        found.last().map(|(at, _)| at.clone())
    } else {
        last
    };
    Ok(SegmentPage { rows, next })
}

/// How many buyers each segment holds, examining at most [`COUNT_SCAN`] of them,
/// newest purchase first.
pub fn segment_counts(
    tx: &impl Tables,
    scope: &Scope,
    day: &ReportDay,
) -> Result<SegmentCounts, Error> {
    let mut counts: Vec<(Segment, u64)> = Segment::ALL.iter().map(|s| (*s, 0)).collect();
    let (mut examined, mut complete) = (0_usize, true);
    let order = ValueOrder::LastPurchase;
    walk_down(tx, scope, order, None, ANY_PURCHASE, &mut |_, value| {
        if examined == COUNT_SCAN {
            complete = false;
            return false;
        }
        examined += 1;
        if let Some(segment) = segment_of(&value, day.today, &day.zone)
            && let Some(slot) = counts.iter_mut().find(|(s, _)| *s == segment)
        {
            slot.1 += 1;
        }
        true
    })?;
    Ok(SegmentCounts { counts, complete })
}

/// The `limit` customers of highest lifetime value, highest first (buyers only).
pub fn top_customers(
    tx: &impl Tables,
    scope: &Scope,
    day: &ReportDay,
    limit: usize,
) -> Result<Vec<CallRow>, Error> {
    let mut found = Vec::new();
    let lowest = value_key(Paise::new(1));
    walk_down(
        tx,
        scope,
        ValueOrder::LifetimeValue,
        None,
        &lowest,
        &mut |at, value| {
            found.push((at.customer, value));
            found.len() < limit
        },
    )?;
    let mut rows = Vec::with_capacity(found.len());
    for (id, value) in &found {
        if let Some(customer) = customers::customer(tx, scope, *id)? {
            rows.push(call_row(customer, value, day));
        }
    }
    Ok(rows)
}
