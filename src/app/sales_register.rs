//! The sales register: every sale a person may see, newest first, narrowed by date,
//! floor, salesperson, status, payment mode and invoice number, with the totals of
//! everything that matches (not just the page shown).
//!
//! The totals come from the per-day summary the store keeps with every sale write
//! (`store::sale_days`) whenever the filters are only dates, floor, salesperson and
//! status; the payment-mode and invoice filters are not in the summary, so with either
//! of them the matching sales are added up as they are read, the walk ending once it has
//! seen every sale the summary says the other filters admit (the invoice and pending
//! indexes narrow it further).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use utoipa::IntoParams;

use super::query_text::{day_range, given};
use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::{
    CustomerId, FieldErrors, FloorId, PaymentMethod, Sale, SaleId, SaleStatus, SalesTally, UserId,
    first_key_at,
};
use crate::store::StoreError;
use crate::store::sale_days::{SaleDaysQuery, sale_days_tally};
use crate::store::sales::{SaleCandidates, ids_by_invoice, walk_sales};
use crate::store::{Scope, Tables, customers, org, people};

/// A sale in the register, with who bought it.
#[derive(Debug, Clone)]
pub struct SaleRow {
    pub sale: Sale,
    pub customer_name: String,
    pub customer_code: String,
    pub floor_name: String,
}

/// What every sale matching the filters adds up to, whatever page is shown.
pub type RegisterTotals = SalesTally;

#[derive(Debug, Clone)]
pub struct SalesRegister {
    pub rows: Vec<SaleRow>,
    /// Where the next, older page starts, when there is one.
    pub older: Option<SaleId>,
    pub totals: RegisterTotals,
}

/// The register's filters as typed in a query string, before they are checked.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalesFilterText {
    /// First day, `YYYY-MM-DD` in the store's time zone (inclusive). A completed bill
    /// is dated by its completion, any other by when it was drawn up.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub to: Option<String>,
    /// A floor's id (an admin's choice; a Floor Manager sees their own floor anyway).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub floor_id: Option<String>,
    /// The id of the member of staff who drew the bill up.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub salesperson_id: Option<String>,
    /// `PENDING`, `COMPLETED`, `CANCELLED` or `REFUNDED`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Pp][Ee][Nn][Dd][Iiı][Nn][Gg]|[Cc][Oo][Mm][Pp][Ll][Ee][Tt][Ee][Dd]|[Cc][Aa][Nn][Cc][Ee][Ll][Ll][Ee][Dd]|[Rr][Ee][Ff][Uu][Nn][Dd][Ee][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub status: Option<String>,
    /// Bills with at least one payment of this kind: `CASH`, `CARD`, `UPI`…
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Cc][Aa][Ssſ][Hh]|[Uu][Pp][Iiı]|[Cc][Aa][Rr][Dd]|[Bb][Aa][Nn][Kk]_[Tt][Rr][Aa][Nn][Ssſ][Ff][Ee][Rr]|[Oo][Ll][Dd]_[Gg][Oo][Ll][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub payment: Option<String>,
    /// An invoice number, whole (`SJ/26-27/000123`, or `SJ/2026-27/00123` as numbered
    /// before the short year form) or its start, or the serial alone (`000123`, `123`);
    /// any case.
    #[param(max_length = 40)]
    pub invoice: Option<String>,
}

/// The register's filters, checked: what [`Crm::sales_register`] takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub floor: Option<FloorId>,
    pub salesperson: Option<UserId>,
    pub status: Option<SaleStatus>,
    pub payment: Option<PaymentMethod>,
    /// Upper-cased.
    pub invoice: Option<String>,
}

impl SalesFilterText {
    /// Checks every filter at once; a value that cannot be read is a 400 naming it.
    pub fn parse(&self) -> Result<SalesFilter, Error> {
        let mut errors = FieldErrors::new();
        let (from, to) = day_range(&mut errors, &self.from, &self.to);
        let floor = given(&self.floor_id).and_then(|t| errors.check("floor_id", FloorId::parse(t)));
        let salesperson = given(&self.salesperson_id)
            .and_then(|t| errors.check("salesperson_id", UserId::parse(t)));
        let status = given(&self.status)
            .and_then(|t| errors.check("status", t.to_uppercase().parse::<SaleStatus>()));
        let payment = given(&self.payment)
            .and_then(|t| errors.check("payment", t.to_uppercase().parse::<PaymentMethod>()));
        let invoice = given(&self.invoice).map(str::to_uppercase);
        if invoice.as_ref().is_some_and(|i| i.chars().count() > 40) {
            errors.add(
                "invoice",
                "is longer than any invoice number (40 characters at most)",
            );
        }
        if !errors.is_empty() {
            return Err(Error::BadQuery(errors));
        }
        Ok(SalesFilter {
            from,
            to,
            floor,
            salesperson,
            status,
            payment,
            invoice,
        })
    }
}

impl SalesFilter {
    /// Whether an invoice number (as stored) is one the search asks for: it starts
    /// with the text, or its serial (after the last `/`) does or equals it as a number.
    fn invoice_matches(wanted: &str, number: &str) -> bool {
        let number = number.to_uppercase();
        if number.starts_with(wanted) {
            return true;
        }
        let serial = number.rsplit('/').next().unwrap_or_default();
        let as_number = |t: &str| t.parse::<u64>().ok();
        serial.starts_with(wanted)
            || (!wanted.contains('/')
                && as_number(wanted).is_some_and(|n| as_number(serial) == Some(n)))
    }

    /// Whether the dates, floor, salesperson and status (what the summary keeps) admit
    /// the sale.
    fn admits(&self, sale: &Sale, days: (Option<Timestamp>, Option<Timestamp>)) -> bool {
        let dated = sale.completed_at.unwrap_or(sale.created_at);
        days.0.is_none_or(|start| dated >= start)
            && days.1.is_none_or(|end| dated < end)
            && self.floor.is_none_or(|f| sale.floor_id == f)
            && self.salesperson.is_none_or(|u| sale.staff_id == u)
            && self.status.is_none_or(|s| sale.status == s)
    }

    fn paid_as_asked(&self, sale: &Sale) -> bool {
        self.payment
            .is_none_or(|m| sale.payments.iter().any(|p| p.method == m))
    }
}

/// Whether a register page adds up every match (the list) or only reads its page
/// (an export, which walks on page by page and has no use for the totals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Totals {
    Counted,
    Skipped,
}

/// The first instant of `day` in the store's zone.
fn start_of(day: Date, tz: &TimeZone) -> Result<Timestamp, Error> {
    tz.to_timestamp(day.at(0, 0, 0, 0))
        .map_err(|e| Error::internal("placing a day in the store's time zone", e))
}

impl Crm {
    /// The sales a person may see that match `filter`, newest first, `limit` at a time
    /// older than `before`, with the totals of every match. A Floor Manager sees their
    /// own floor's.
    pub fn sales_register(
        &self,
        actor: &Actor,
        filter: &SalesFilter,
        before: Option<SaleId>,
        limit: usize,
    ) -> Result<SalesRegister, Error> {
        self.register_page(actor, filter, before, limit, Totals::Counted)
    }

    /// A page of the register; with [`Totals::Skipped`] the totals are left at zero and
    /// the walk starts just older than `before` and ends once the page is full.
    pub(super) fn register_page(
        &self,
        actor: &Actor,
        filter: &SalesFilter,
        before: Option<SaleId>,
        limit: usize,
        totals: Totals,
    ) -> Result<SalesRegister, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let tz = self.config.time_zone();
        let days = (
            filter.from.map(|d| start_of(d, &tz)).transpose()?,
            filter
                .to
                .and_then(|d| d.tomorrow().ok())
                .map(|d| start_of(d, &tz))
                .transpose()?,
        );
        // The summary is dated in the database's zone; a Crm configured with another
        // (only possible when the two are put together by hand) adds up as it reads.
        let dated_alike = *self.db.time_zone() == tz;
        let in_summary = filter.payment.is_none() && filter.invoice.is_none();
        self.db.read(|rx| {
            check_names(rx, &scope, filter)?;
            // What the dates, floor, salesperson and status match: the totals, unless a
            // payment or invoice filter narrows them further.
            let base = (dated_alike && totals == Totals::Counted)
                .then(|| {
                    let query = SaleDaysQuery {
                        from: filter.from,
                        to: filter.to,
                        floor: filter.floor,
                        salesperson: filter.salesperson,
                        status: filter.status,
                    };
                    sale_days_tally(rx, &scope, &query)
                })
                .transpose()?;
            let summary = base.filter(|_| in_summary);
            // A bill is dated on or after the moment it was drawn up, and its id says
            // when that was, so nothing newer than the last day can match.
            let mut newest = days
                .1
                .map_or(u128::MAX, |end| first_key_at(end).saturating_sub(1));
            if totals == Totals::Skipped
                && let Some(before) = before
            {
                newest = newest.min(before.as_u128().saturating_sub(1));
            }
            let candidates = match (&filter.invoice, filter.status) {
                (Some(wanted), _) => SaleCandidates::Ids(ids_by_invoice(rx, &scope, |n| {
                    SalesFilter::invoice_matches(wanted, n)
                })?),
                (None, Some(SaleStatus::Pending)) => SaleCandidates::Pending,
                (None, _) => SaleCandidates::All,
            };
            let mut scanned = RegisterTotals::default();
            let (mut page, mut more) = (Vec::new(), false);
            let (mut seen, mut matched) = (0_u64, 0_u64);
            let overflow = || StoreError::Codec("the register's totals overflowed".into());
            // The summary's counts end the walk early: with the totals known, once the
            // page and one more bill are found or every match has been seen; when a
            // payment or invoice filter needs its sales added up, once every sale the
            // dates, floor, salesperson and status admit has been seen. A filter that
            // matches nothing reads no sale at all.
            let walk = base.is_none_or(|b| b.bills > 0) && summary.is_none_or(|_| limit > 0);
            if walk {
                walk_sales(rx, &scope, candidates, newest, &mut |sale| {
                    if !filter.admits(&sale, days) {
                        return Ok(true);
                    }
                    seen += 1;
                    let going_on = base.is_none_or(|b| seen < b.bills);
                    if !filter.paid_as_asked(&sale) {
                        return Ok(going_on);
                    }
                    matched += 1;
                    if summary.is_none() && totals == Totals::Counted {
                        let tally = SalesTally::of(&sale).ok_or_else(overflow)?;
                        scanned = scanned.plus(tally).ok_or_else(overflow)?;
                    }
                    if before.is_none_or(|b| sale.id < b) {
                        if page.len() < limit {
                            page.push(sale);
                        } else {
                            more = true;
                        }
                    }
                    Ok(match (summary, totals) {
                        (_, Totals::Skipped) => !more,
                        (Some(t), Totals::Counted) => !more && matched < t.bills,
                        (None, Totals::Counted) => going_on,
                    })
                })?;
            }
            let older = more.then(|| page.last().map(|s| s.id)).flatten();
            Ok(SalesRegister {
                rows: name_rows(rx, &scope, page)?,
                older,
                totals: summary.unwrap_or(scanned),
            })
        })
    }
}

/// A floor or salesperson the filter names must be one of the store's, and a Floor
/// Manager may name only their own floor.
fn check_names(tx: &impl Tables, scope: &Scope, filter: &SalesFilter) -> Result<(), Error> {
    let store = scope.store_only();
    if let Some(floor) = filter.floor {
        if scope.floor_id().is_some_and(|own| own != floor) {
            return Err(Error::Forbidden(
                "a Floor Manager's register shows their own floor's sales only; leave the floor out".into(),
            ));
        }
        if org::floor(tx, &store, floor)?.is_none() {
            return Err(Error::BadQuery(one_error(
                "floor_id",
                "is not a floor of this store",
            )));
        }
    }
    if let Some(user) = filter.salesperson
        && people::user(tx, &store, user)?.is_none()
    {
        return Err(Error::BadQuery(one_error(
            "salesperson_id",
            "is not a member of this store's staff",
        )));
    }
    Ok(())
}

fn one_error(field: &str, message: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    errors
}

/// Puts the customer's name and code and the floor's name beside each sale.
fn name_rows(tx: &impl Tables, scope: &Scope, sales: Vec<Sale>) -> Result<Vec<SaleRow>, Error> {
    let store = scope.store_only();
    let mut names: HashMap<CustomerId, (String, String)> = HashMap::new();
    let mut floors = HashMap::new();
    let mut rows = Vec::with_capacity(sales.len());
    for sale in sales {
        if let Entry::Vacant(slot) = names.entry(sale.customer_id) {
            let found = customers::customer(tx, &store, sale.customer_id)?;
            slot.insert(found.map_or_else(Default::default, |c| (c.name.to_string(), c.code())));
        }
        if let Entry::Vacant(slot) = floors.entry(sale.floor_id) {
            let floor = org::floor(tx, &store, sale.floor_id)?;
            slot.insert(floor.map(|f| f.name.to_string()).unwrap_or_default());
        }
        let (customer_name, customer_code) = names[&sale.customer_id].clone();
        rows.push(SaleRow {
            customer_name,
            customer_code,
            floor_name: floors[&sale.floor_id].clone(),
            sale,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pairs: &[(&str, &str)]) -> SalesFilterText {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).to_owned())
        };
        SalesFilterText {
            from: get("from"),
            to: get("to"),
            floor_id: get("floor_id"),
            salesperson_id: get("salesperson_id"),
            status: get("status"),
            payment: get("payment"),
            invoice: get("invoice"),
        }
    }

    fn refused(pairs: &[(&str, &str)]) -> Vec<String> {
        match text(pairs).parse() {
            Err(Error::BadQuery(errors)) => errors.iter().map(|(f, _)| f.clone()).collect(),
            other => panic!("expected a bad query, got {other:?}"),
        }
    }

    #[test]
    fn filters_are_read_once_and_every_bad_one_is_named() {
        let filter = text(&[
            ("from", "2026-04-01"),
            ("to", " 2026-04-30 "),
            ("status", "completed"),
            ("payment", "upi"),
            ("invoice", "sj/2026-27/"),
            ("floor_id", ""),
        ])
        .parse()
        .unwrap();
        assert_eq!(filter.from, Some(jiff::civil::date(2026, 4, 1)));
        assert_eq!(filter.to, Some(jiff::civil::date(2026, 4, 30)));
        assert_eq!(filter.status, Some(SaleStatus::Completed));
        assert_eq!(filter.payment, Some(PaymentMethod::Upi));
        assert_eq!(filter.invoice.as_deref(), Some("SJ/2026-27/"));
        assert_eq!(filter.floor, None);
        assert_eq!(
            refused(&[
                ("from", "yesterday"),
                ("floor_id", "ground"),
                ("status", "SOLD"),
                ("payment", "cheque-ish"),
                ("salesperson_id", "42"),
            ]),
            ["floor_id", "from", "payment", "salesperson_id", "status"]
        );
        assert_eq!(
            refused(&[("from", "2026-05-01"), ("to", "2026-04-01")]),
            ["to"]
        );
    }

    #[test]
    fn an_invoice_is_found_by_its_start_or_its_serial() {
        let number = "SJ/26-27/000123";
        for wanted in ["SJ/26-27/000123", "SJ/26", "000123", "0001", "123", "00123"] {
            assert!(SalesFilter::invoice_matches(wanted, number), "{wanted}");
        }
        for wanted in ["124", "SJ/2026", "SJ/25-26/", "26-27/000123", "23"] {
            assert!(!SalesFilter::invoice_matches(wanted, number), "{wanted}");
        }
    }

    #[test]
    fn a_number_issued_before_the_short_year_form_is_still_found() {
        let number = "SJ/2026-27/00123";
        for wanted in [
            "SJ/2026-27/00123",
            "SJ/2026",
            "00123",
            "0012",
            "123",
            "000123",
        ] {
            assert!(SalesFilter::invoice_matches(wanted, number), "{wanted}");
        }
        for wanted in ["124", "SJ/2025", "2026-27/00123", "23"] {
            assert!(!SalesFilter::invoice_matches(wanted, number), "{wanted}");
        }
    }
}
