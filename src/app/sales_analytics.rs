//! The owner's sales analytics: any span of days grouped by day, week, month, financial
//! year, floor, salesperson, category, metal and purity or payment mode, with the
//! figures that grouping can honestly give, each group's share and the totals.
//!
//! Everything is added up from the figures the store keeps with every write
//! (`app::figures::sum_facet`), reading day rows only when grouping by day or week, so
//! a financial year costs a few hundred rows whatever the number of bills.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};

use super::figures::{FigureFilter, sum_facet};
use super::sales_analytics_query::{AnalyticsQuery, GroupBy, MAX_SPAN_DAYS, Source};
use super::sales_analytics_rows::{Group, GroupFigures, GroupRow, share_bp};
use super::{Actor, Crm, Error};
use crate::domain::sale_facts::{
    Facet, Measures, invoiced, payment, payment_member, payment_of_member, pieces, purity_member,
    purity_of_member, refund,
};
use crate::domain::{
    Area, CategoryId, FieldErrors, FinancialYear, FloorId, Milligrams, Paise, UserId,
};
use crate::store::figures::{FigureRow, Grain};
use crate::store::{Deleted, Scope, Tables, catalogue, org};

/// The analytics of a span: the rows of its groups and their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesAnalytics {
    pub from: Date,
    pub to: Date,
    pub query: AnalyticsQuery,
    pub source: Source,
    pub rows: Vec<GroupRow>,
    pub total: GroupFigures,
}

/// The first day of the period of `group_by` holding `day`.
fn period_start(group_by: GroupBy, day: Date) -> Date {
    match group_by {
        GroupBy::Week => day
            .checked_sub(jiff::Span::new().days(day.weekday().to_monday_zero_offset()))
            .unwrap_or(day),
        GroupBy::Month => day.first_of_month(),
        GroupBy::FinancialYear => {
            let year = FinancialYear::containing(day).start_year();
            Date::new(year, 4, 1).unwrap_or(day)
        }
        _ => day,
    }
}

/// The last day of the period of `group_by` starting with or holding `day`.
fn period_end(group_by: GroupBy, day: Date) -> Date {
    match group_by {
        GroupBy::Week => day
            .checked_add(jiff::Span::new().days(6 - day.weekday().to_monday_zero_offset()))
            .unwrap_or(day),
        GroupBy::Month => day.last_of_month(),
        GroupBy::FinancialYear => {
            let year = FinancialYear::containing(day).start_year();
            Date::new(year + 1, 3, 31).unwrap_or(day)
        }
        _ => day,
    }
}

/// Every period of the span, each cut to it.
fn periods(group_by: GroupBy, from: Date, to: Date) -> Vec<(Date, Date)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = period_end(group_by, start).min(to);
        out.push((start, end));
        match end.tomorrow() {
            Ok(next) => start = next,
            Err(_) => break,
        }
    }
    out
}

fn period_label(group_by: GroupBy, from: Date, to: Date) -> String {
    match group_by {
        GroupBy::Week => format!(
            "Week of {}{}",
            period_start(group_by, from).strftime("%a %-d %b %Y"),
            if from.weekday() == Weekday::Monday && period_end(group_by, from) == to {
                String::new()
            } else {
                format!(
                    " ({} to {})",
                    from.strftime("%-d %b"),
                    to.strftime("%-d %b")
                )
            }
        ),
        GroupBy::Month => from.strftime("%b %Y").to_string(),
        GroupBy::FinancialYear => format!("FY {}", FinancialYear::containing(from).label()),
        _ => from.strftime("%a %-d %b %Y").to_string(),
    }
}

fn day_key(day: Date) -> u128 {
    u128::from(day.year().unsigned_abs()) * 10_000
        + u128::from(day.month().unsigned_abs()) * 100
        + u128::from(day.day().unsigned_abs())
}

fn overflow() -> Error {
    Error::internal_message("the sales analytics left the range of their sums")
}

/// The categories `wanted` stands for: itself and every category below it.
fn category_and_below(
    tx: &impl Tables,
    scope: &Scope,
    wanted: CategoryId,
) -> Result<BTreeSet<u128>, Error> {
    let mut all = catalogue::categories(tx, scope, Deleted::Hide)?;
    all.extend(catalogue::categories(tx, scope, Deleted::Only)?);
    let mut found = BTreeSet::from([wanted.as_u128()]);
    loop {
        let before = found.len();
        for c in &all {
            if c.parent_id.is_some_and(|p| found.contains(&p.as_u128())) {
                found.insert(c.id.as_u128());
            }
        }
        if found.len() == before {
            return Ok(found);
        }
    }
}

/// The figures of every group, keyed as `key` groups the rows.
fn grouped(
    tx: &impl Tables,
    scope: &Scope,
    query: &AnalyticsQuery,
    span: (Date, Date),
    key: &dyn Fn(&FigureRow) -> u128,
) -> Result<BTreeMap<u128, GroupFigures>, Error> {
    let grain = match query.group_by {
        GroupBy::Day | GroupBy::Week => Grain::Days,
        _ => Grain::Months,
    };
    let filter = FigureFilter {
        floor: query.floor,
        staff: query.salesperson,
    };
    let categories = match query.category {
        Some(c) => Some(category_and_below(tx, scope, c)?),
        None => None,
    };
    let admits = |row: &FigureRow| match (query.purity, query.metal, &categories, query.payment) {
        (Some(p), _, _, _) => row.member == purity_member(p),
        (None, Some(m), _, _) => purity_of_member(row.member).is_some_and(|p| p.metal() == m),
        (_, _, Some(set), _) => set.contains(&row.member),
        (_, _, _, Some(method)) => row.member == payment_member(method),
        _ => true,
    };
    let sum = |facet: Facet, narrowed: bool| {
        sum_facet(tx, scope, facet, span, grain, filter, |r| {
            (!narrowed || admits(r)).then(|| key(r))
        })
    };
    let mut out: BTreeMap<u128, GroupFigures> = BTreeMap::new();
    let mut fill = |sums: BTreeMap<u128, Measures>, put: &dyn Fn(&mut GroupFigures, &Measures)| {
        for (k, m) in sums {
            put(out.entry(k).or_default(), &m);
        }
    };
    match query.source() {
        Source::Bills => {
            fill(sum(Facet::Invoiced, false)?, &|g, m| {
                g.bills = m[invoiced::BILLS];
                g.pieces = m[invoiced::PIECES];
                g.taxable = Paise::new(m[invoiced::TAXABLE]);
                let gst = m[invoiced::CGST]
                    .saturating_add(m[invoiced::SGST])
                    .saturating_add(m[invoiced::IGST]);
                g.gst = Paise::new(gst);
                g.payable = Paise::new(m[invoiced::PAYABLE]);
            });
            fill(sum(Facet::Refund, false)?, &|g, m| {
                g.refunds = Paise::new(m[refund::AMOUNT]);
            });
            fill(sum(Facet::Purity, false)?, &|g, m| {
                g.net = Milligrams::total(m[pieces::NET_MG]);
            });
        }
        Source::Purity | Source::Category => {
            let facet = if query.source() == Source::Purity {
                Facet::Purity
            } else {
                Facet::Category
            };
            fill(sum(facet, true)?, &|g, m| {
                g.pieces = m[pieces::PIECES];
                g.net = Milligrams::total(m[pieces::NET_MG]);
                g.taxable = Paise::new(m[pieces::TAXABLE]);
            });
        }
        Source::Payments => {
            fill(sum(Facet::Payment, true)?, &|g, m| {
                g.payments = m[payment::PAYMENTS];
                g.received = Paise::new(m[payment::AMOUNT]);
            });
        }
    }
    Ok(out)
}

/// Names for the groups that are records.
struct Names {
    floors: BTreeMap<u128, String>,
    categories: BTreeMap<u128, String>,
}

fn names(tx: &impl Tables, scope: &Scope) -> Result<Names, Error> {
    let mut floors = BTreeMap::new();
    let mut categories = BTreeMap::new();
    for deleted in [Deleted::Hide, Deleted::Only] {
        for f in org::floors(tx, scope, deleted)? {
            floors.insert(f.id.as_u128(), f.name.as_str().to_owned());
        }
        for c in catalogue::categories(tx, scope, deleted)? {
            categories.insert(c.id.as_u128(), c.name.as_str().to_owned());
        }
    }
    Ok(Names { floors, categories })
}

impl Crm {
    /// The sales analytics `actor` may see (a Floor Manager's floor only) for `query`:
    /// by default this financial year to date, grouped by month.
    pub fn sales_analytics(
        &self,
        actor: &Actor,
        query: &AnalyticsQuery,
    ) -> Result<SalesAnalytics, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        if let (Some(own), Some(asked)) = (scope.floor_id(), query.floor)
            && own != asked
        {
            return Err(Error::Forbidden(
                "these figures are of another floor; a Floor Manager sees only their own floor's"
                    .into(),
            ));
        }
        let (from, to) = self.analytics_span(query.from, query.to)?;
        let staff = self.staff_names(actor)?;
        let group_by = query.group_by;
        let source = query.source();
        let (sums, names) = self.db.read(|rx| -> Result<_, Error> {
            let key = |r: &FigureRow| match group_by {
                GroupBy::Floor => r.floor,
                GroupBy::Staff => r.staff,
                GroupBy::Category | GroupBy::Metal | GroupBy::Payment => r.member,
                _ => day_key(period_start(group_by, r.day).max(from)),
            };
            Ok((
                grouped(rx, &scope, query, (from, to), &key)?,
                names(rx, &actor.store_scope())?,
            ))
        })?;
        let mut rows: Vec<GroupRow> = if group_by.is_time() {
            periods(group_by, from, to)
                .into_iter()
                .map(|(start, end)| GroupRow {
                    group: Group::Period {
                        from: start,
                        to: end,
                    },
                    label: period_label(group_by, start, end),
                    figures: sums.get(&day_key(start)).copied().unwrap_or_default(),
                    share_bp: None,
                })
                .collect()
        } else {
            sums.into_iter()
                .filter_map(|(k, figures)| {
                    let (group, label) = match group_by {
                        GroupBy::Floor => (
                            Group::Floor(FloorId::from_u128(k)),
                            names
                                .floors
                                .get(&k)
                                .cloned()
                                .unwrap_or_else(|| "A floor since removed".into()),
                        ),
                        GroupBy::Staff => {
                            let id = UserId::from_u128(k);
                            (Group::Staff(id), staff.name(id).to_owned())
                        }
                        GroupBy::Category => (
                            Group::Category((k != 0).then(|| CategoryId::from_u128(k))),
                            match k {
                                0 => "No category".to_owned(),
                                _ => names
                                    .categories
                                    .get(&k)
                                    .cloned()
                                    .unwrap_or_else(|| "A category since removed".into()),
                            },
                        ),
                        GroupBy::Metal => {
                            let purity = purity_of_member(k)?;
                            let label = format!(
                                "{} {}",
                                purity.label(),
                                purity.metal().label().to_lowercase()
                            );
                            (Group::Purity(purity), label)
                        }
                        _ => {
                            let method = payment_of_member(k)?;
                            (Group::Payment(method), method.label().to_owned())
                        }
                    };
                    Some(GroupRow {
                        group,
                        label,
                        figures,
                        share_bp: None,
                    })
                })
                .collect()
        };
        let mut total = GroupFigures::default();
        for row in &rows {
            total.add(&row.figures).ok_or_else(overflow)?;
        }
        let whole = total.main_amount(source);
        for row in &mut rows {
            row.share_bp = share_bp(row.figures.main_amount(source), whole);
        }
        if !group_by.is_time() {
            rows.sort_by(|a, b| {
                b.figures
                    .main_amount(source)
                    .cmp(&a.figures.main_amount(source))
                    .then_with(|| a.label.cmp(&b.label))
            });
        }
        Ok(SalesAnalytics {
            from,
            to,
            query: query.clone(),
            source,
            rows,
            total,
        })
    }

    /// The span asked for, with its defaults (this financial year to date; the
    /// financial year of `to`), refused when it runs backwards or is too long.
    pub(crate) fn analytics_span(
        &self,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<(Date, Date), Error> {
        let to = to.unwrap_or_else(|| self.today());
        let from = from.unwrap_or_else(|| period_start(GroupBy::FinancialYear, to));
        let mut errors = FieldErrors::new();
        if from > to {
            errors.add(
                "from",
                "comes after 'to' (today when not given); the first day comes before the last",
            );
        } else if (to - from).get_days() >= MAX_SPAN_DAYS {
            errors.add(
                "to",
                format!("is more than three years after 'from'; ask for at most {MAX_SPAN_DAYS} days at a time"),
            );
        }
        if !errors.is_empty() {
            return Err(Error::BadQuery(errors));
        }
        Ok((from, to))
    }
}
