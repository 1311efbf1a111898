//! Customer analytics (`/reports/customers`): over a range of days, the customers who
//! registered (by floor) and the bills to new and to returning customers, from the
//! owner's figures; and, as they stand today, the top customers by lifetime value and
//! the RFM segments as lists someone can call (`customer_segments`).
//!
//! Scope: a Floor Manager's figures are their floor's (the figures' scope), while the
//! top customers and the segments are store-wide, because a Floor Manager may look up
//! any customer of the store and a customer's lifetime value is one total across every
//! floor; splitting it by floor would mean reading each customer's sales per request.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;

pub use super::customer_segments::{COUNT_SCAN, CallRow, PAGE_SCAN, ReportDay, SegmentCounts};
use super::customer_segments::{segment_counts, segment_page, top_customers};
use super::figures::{FigureFilter, sum_facet};
use super::query_text::{day_range, given};
use super::{Actor, Crm, Error};
use crate::domain::rfm::Segment;
use crate::domain::sale_facts::{COUNT, Facet, invoiced};
use crate::domain::{Area, CustomerId, FieldErrors, FinancialYear, FloorId, Paise};
use crate::store::customer_values::OrderPosition;
use crate::store::figures::Grain;

/// How many top customers the report lists.
pub const TOP_CUSTOMERS: usize = 10;
/// A segment page's length unless `limit` says otherwise.
pub const SEGMENT_PAGE: u32 = 50;

/// The report's query as typed, before it is checked.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CustomerReportQuery {
    /// First day, `YYYY-MM-DD` (default: 1 April of this financial year).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub to: Option<String>,
    /// A floor's id, for the figures (an admin's choice; a Floor Manager sees their
    /// own floor, and naming another is 403).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub floor_id: Option<String>,
    /// The segment to list: `champions` (default), `loyal`, `new`, `at_risk`,
    /// `lapsed_high_spenders`, `needs_attention` or `lapsed`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(champions|loyal|new|at_risk|lapsed_high_spenders|needs_attention|lapsed)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub segment: Option<String>,
    /// Members per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where the segment's list goes on from: the `next` of the previous page.
    pub cursor: Option<String>,
}

/// The query, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerReportFilter {
    pub from: Date,
    pub to: Date,
    pub floor: Option<FloorId>,
    pub segment: Segment,
    pub limit: usize,
    pub after: Option<OrderPosition>,
}

/// The first day of `today`'s financial year (1 April).
pub fn financial_year_start(today: Date) -> Date {
    let year = FinancialYear::containing(today).start_year();
    Date::new(year, 4, 1).unwrap_or(today)
}

fn bad_query(errors: FieldErrors) -> Error {
    Error::BadQuery(errors)
}

/// A segment list's cursor: the index position, opaque to clients.
pub fn encode_cursor(at: &OrderPosition) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{}", at.key, at.customer))
}

fn decode_cursor(text: &str) -> Option<OrderPosition> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (key, id) = text.split_once('.')?;
    let digits = key.len() == 20 && key.bytes().all(|b| b.is_ascii_digit());
    let customer = id.parse::<uuid::Uuid>().ok()?;
    digits.then(|| OrderPosition {
        key: key.to_owned(),
        customer: CustomerId::from_uuid(customer),
    })
}

/// Reads a report's `from`, `to` and `floor_id`: the range defaults to this
/// financial year so far. Shared with the product analytics.
pub(super) fn report_range(
    errors: &mut FieldErrors,
    from: &Option<String>,
    to: &Option<String>,
    floor_id: &Option<String>,
    today: Date,
) -> (Date, Date, Option<FloorId>) {
    let (from, to) = day_range(errors, from, to);
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| financial_year_start(to));
    if from > to {
        errors.add(
            "from",
            "comes after 'to'; the first day comes before the last",
        );
    }
    let floor = given(floor_id).and_then(|t| errors.check("floor_id", FloorId::parse(t)));
    (from, to, floor)
}

impl CustomerReportQuery {
    /// Checks every parameter at once; what cannot be read is a 400 naming it.
    pub fn parse(&self, today: Date) -> Result<CustomerReportFilter, Error> {
        let mut errors = FieldErrors::new();
        let (from, to, floor) =
            report_range(&mut errors, &self.from, &self.to, &self.floor_id, today);
        let segment = match given(&self.segment) {
            None => Segment::Champions,
            Some(text) => Segment::from_slug(text).unwrap_or_else(|| {
                errors.add(
                    "segment",
                    format!("'{text}' is not a segment; use champions, loyal, new, at_risk, lapsed_high_spenders, needs_attention or lapsed"),
                );
                Segment::Champions
            }),
        };
        let limit = self.limit.unwrap_or(SEGMENT_PAGE);
        if !(1..=200).contains(&limit) {
            errors.add("limit", "must be from 1 to 200");
        }
        let after = given(&self.cursor).and_then(|c| {
            let found = decode_cursor(c);
            if found.is_none() {
                errors.add(
                    "cursor",
                    "is not one this list handed out; pass back `next` unchanged",
                );
            }
            found
        });
        if !errors.is_empty() {
            return Err(bad_query(errors));
        }
        Ok(CustomerReportFilter {
            from,
            to,
            floor,
            segment,
            limit: limit as usize,
            after,
        })
    }
}

/// Everything the customers report shows.
#[derive(Debug, Clone)]
pub struct CustomerAnalytics {
    pub filter: CustomerReportFilter,
    pub today: Date,
    /// Customers who registered in the range, by home floor (`None`: no home floor).
    pub new_by_floor: Vec<(Option<FloorId>, i64)>,
    pub new_customers: i64,
    /// Bills invoiced in the range and how many went to customers who registered that
    /// same day; the rest went to returning customers.
    pub bills: i64,
    pub bills_to_new: i64,
    pub payable: Paise,
    pub top: Vec<CallRow>,
    pub counts: SegmentCounts,
    /// The chosen segment's page of members, and where the next page starts.
    pub members: Vec<CallRow>,
    pub next: Option<String>,
}

impl CustomerAnalytics {
    pub fn bills_to_returning(&self) -> i64 {
        self.bills.saturating_sub(self.bills_to_new)
    }
}

fn check_floor(actor: &Actor, floor: Option<FloorId>) -> Result<(), Error> {
    if actor.may_work_on(floor) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "a Floor Manager's reports show their own floor; leave out floor_id".into(),
        ))
    }
}

impl Crm {
    /// The customers report for today.
    pub fn customer_analytics(
        &self,
        actor: &Actor,
        query: &CustomerReportQuery,
    ) -> Result<CustomerAnalytics, Error> {
        let today = self.today();
        let filter = query.parse(today)?;
        self.customer_analytics_on(actor, &filter, today)
    }

    /// The customers report as it reads on `today` (recency is counted to it).
    pub fn customer_analytics_on(
        &self,
        actor: &Actor,
        filter: &CustomerReportFilter,
        today: Date,
    ) -> Result<CustomerAnalytics, Error> {
        actor.require_read(Area::Sales)?;
        actor.require_read(Area::Customers)?;
        check_floor(actor, filter.floor)?;
        let figures_scope = actor.floor_scope()?;
        let customers_scope = actor.store_scope();
        let day = ReportDay {
            today,
            zone: self.config().time_zone(),
        };
        let span = (filter.from, filter.to);
        let by = FigureFilter {
            floor: filter.floor,
            staff: None,
        };
        self.db.read(|rx| {
            let registered = sum_facet(
                rx,
                &figures_scope,
                Facet::NewCustomer,
                span,
                Grain::Months,
                by,
                |r| Some(r.floor),
            )?;
            let new_by_floor: Vec<(Option<FloorId>, i64)> = registered
                .iter()
                .map(|(f, m)| {
                    let floor = (*f != 0).then(|| FloorId::from_uuid(uuid::Uuid::from_u128(*f)));
                    (floor, m[COUNT])
                })
                .collect();
            let new_customers = new_by_floor.iter().map(|(_, n)| *n).sum();
            let bills = sum_facet(
                rx,
                &figures_scope,
                Facet::Invoiced,
                span,
                Grain::Months,
                by,
                |_| Some(()),
            )?
            .remove(&())
            .unwrap_or_default();
            let page = segment_page(
                rx,
                &customers_scope,
                filter.segment,
                &day,
                filter.after.as_ref(),
                filter.limit,
            )?;
            Ok(CustomerAnalytics {
                filter: filter.clone(),
                today,
                new_by_floor,
                new_customers,
                bills: bills[invoiced::BILLS],
                bills_to_new: bills[invoiced::TO_NEW_CUSTOMERS],
                payable: Paise::new(bills[invoiced::PAYABLE]),
                top: top_customers(rx, &customers_scope, &day, TOP_CUSTOMERS)?,
                counts: segment_counts(rx, &customers_scope, &day)?,
                members: page.rows,
                next: page.next.as_ref().map(encode_cursor),
            })
        })
    }

    /// Every member of `filter.segment` from the start of its list, handed to `row` a
    /// page at a time (each page its own short read), at most `max` of them: the call
    /// list an export writes. Returns how many were handed over.
    pub fn segment_call_list(
        &self,
        actor: &Actor,
        filter: &CustomerReportFilter,
        today: Date,
        max: usize,
        row: &mut dyn FnMut(&CallRow) -> Result<(), Error>,
    ) -> Result<usize, Error> {
        actor.require_read(Area::Sales)?;
        actor.require_read(Area::Customers)?;
        check_floor(actor, filter.floor)?;
        let scope = actor.store_scope();
        let day = ReportDay {
            today,
            zone: self.config().time_zone(),
        };
        let (mut after, mut handed) = (None, 0_usize);
        loop {
            let page = self
                .db
                .read(|rx| segment_page(rx, &scope, filter.segment, &day, after.as_ref(), 200))?;
            for member in &page.rows {
                if handed == max {
                    return Ok(handed);
                }
                row(member)?;
                handed += 1;
            }
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(handed),
            }
        }
    }
}
