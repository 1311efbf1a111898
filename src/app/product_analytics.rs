//! Product analytics (`/reports/products`): sell-through by category and by metal and
//! purity over a range (pieces sold, from the owner's figures, against pieces sold plus
//! pieces in stock now), the stock in hand by days on the shelf with its value at
//! today's rates, and the pieces that have not sold in 180 days.
//!
//! Cost: the stock comes from reading the scope's live products once, in one short read
//! transaction; a store's catalogue is thousands to tens of thousands of pieces, a few
//! milliseconds to read. The sales come from the figures' month and day rows, never from
//! the bills. A Floor Manager sees their own floor's stock and sales only.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;

use super::counter_lookups::shelf_supply;
use super::customer_analytics::report_range;
use super::figures::{FigureFilter, sum_facet};
use super::{Actor, Crm, Error};
use crate::domain::sale_facts::{Facet, pieces, purity_of_member};
use crate::domain::{
    Area, CategoryId, FieldErrors, FloorId, Milligrams, Paise, Product, ProductId, Purity,
    price_today,
};
use crate::store::figures::Grain;
use crate::store::{Tables, catalogue, rates};

/// A piece in stock this many days with no sale of its product in as many days is
/// "not sold in 180 days".
pub const UNSOLD_DAYS: i32 = 180;

/// The shelf-age buckets, in days: 0–30, 31–90, 91–180, 181–365 and over 365.
pub const AGE_BUCKETS: [(i32, Option<i32>); 5] = [
    (0, Some(30)),
    (31, Some(90)),
    (91, Some(180)),
    (181, Some(365)),
    (366, None),
];

/// The report's query as typed.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProductReportQuery {
    /// First day of the sell-through, `YYYY-MM-DD` (default: 1 April of this
    /// financial year).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub to: Option<String>,
    /// A floor's id (an admin's choice; a Floor Manager sees their own floor, and
    /// naming another is 403).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub floor_id: Option<String>,
}

/// The query, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductReportFilter {
    pub from: Date,
    pub to: Date,
    pub floor: Option<FloorId>,
}

impl ProductReportQuery {
    pub fn parse(&self, today: Date) -> Result<ProductReportFilter, Error> {
        let mut errors = FieldErrors::new();
        let (from, to, floor) =
            report_range(&mut errors, &self.from, &self.to, &self.floor_id, today);
        if !errors.is_empty() {
            return Err(Error::BadQuery(errors));
        }
        Ok(ProductReportFilter { from, to, floor })
    }
}

/// Pieces sold in the range against pieces in stock now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SellThrough {
    pub sold: i64,
    pub in_stock: i64,
}

impl SellThrough {
    /// Sold ÷ (sold + in stock), in basis points; `None` when both are zero.
    pub fn rate_bp(&self) -> Option<i64> {
        let of = self.sold.saturating_add(self.in_stock);
        (of > 0).then(|| self.sold.saturating_mul(10_000) / of)
    }
}

/// Stock of one shelf age: pieces, weights and value at today's rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgeSums {
    pub pieces: i64,
    pub net: Milligrams,
    pub gross: Milligrams,
    /// What the priced pieces would sell for today before GST (metal at today's rate,
    /// making and stones, or the fixed price), the way the bill form prices a line.
    pub value: Paise,
    /// Pieces of a purity without a rate today, left out of `value`.
    pub unpriced: i64,
}

/// A piece in stock that has not sold in [`UNSOLD_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsoldPiece {
    pub id: ProductId,
    pub sku: String,
    pub name: String,
    pub purity: Purity,
    pub category: Option<CategoryId>,
    pub in_stock: i64,
    pub net: Milligrams,
    pub added: Timestamp,
    pub days_on_shelf: i32,
    /// Value of the pieces in stock at today's rates before GST; `None` without a rate.
    pub value: Option<Paise>,
}

/// Everything the products report shows.
#[derive(Debug, Clone)]
pub struct ProductAnalytics {
    pub filter: ProductReportFilter,
    pub today: Date,
    pub by_category: Vec<(Option<CategoryId>, SellThrough)>,
    pub by_purity: Vec<(Purity, SellThrough)>,
    /// One entry per [`AGE_BUCKETS`] bucket, in order.
    pub ageing: Vec<AgeSums>,
    /// Oldest on the shelf first.
    pub unsold: Vec<UnsoldPiece>,
}

fn date_error(e: jiff::Error) -> Error {
    Error::internal("working out a report's days", e)
}

fn add_mg(a: Milligrams, b: i64) -> Milligrams {
    Milligrams::total(a.get().saturating_add(b))
}

/// The bucket of a piece `days` on the shelf.
pub fn age_bucket(days: i32) -> usize {
    AGE_BUCKETS
        .iter()
        .position(|(_, last)| last.is_none_or(|last| days <= last))
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

fn in_scope(actor: &Actor, filter: &ProductReportFilter, p: &Product) -> bool {
    let floor = filter
        .floor
        .or(actor.floor_scope().ok().and_then(|s| s.floor_id()));
    p.deleted_at.is_none() && p.stock_qty > 0 && floor.is_none_or(|f| p.floor_id == f)
}

fn report(
    rx: &impl Tables,
    actor: &Actor,
    filter: &ProductReportFilter,
    today: Date,
    zone: &jiff::tz::TimeZone,
) -> Result<ProductAnalytics, Error> {
    let scope = actor.floor_scope()?;
    let by = FigureFilter {
        floor: filter.floor,
        staff: None,
    };
    let span = (filter.from, filter.to);
    let sold = |facet| {
        sum_facet(rx, &scope, facet, span, Grain::Months, by, |r| {
            Some(r.member)
        })
    };
    let mut categories: BTreeMap<Option<CategoryId>, SellThrough> = BTreeMap::new();
    for (member, m) in sold(Facet::Category)? {
        let id = (member != 0).then(|| CategoryId::from_uuid(uuid::Uuid::from_u128(member)));
        categories.entry(id).or_default().sold = m[pieces::PIECES];
    }
    let mut purities: BTreeMap<Purity, SellThrough> = BTreeMap::new();
    for (member, m) in sold(Facet::Purity)? {
        if let Some(purity) = purity_of_member(member) {
            purities.entry(purity).or_default().sold = m[pieces::PIECES];
        }
    }
    let recent_from = today
        .checked_sub(jiff::Span::new().days(UNSOLD_DAYS - 1))
        .map_err(date_error)?;
    let sold_lately: HashSet<u128> = sum_facet(
        rx,
        &scope,
        Facet::Product,
        (recent_from, today),
        Grain::Months,
        by,
        |r| Some(r.member),
    )?
    .into_iter()
    .filter(|(_, m)| m[pieces::PIECES] > 0)
    .map(|(id, _)| id)
    .collect();
    let store_scope = actor.store_scope();
    let supply = shelf_supply(rx, &store_scope)?;
    let mut rate_of: HashMap<Purity, Option<Paise>> = HashMap::new();
    let mut ageing = vec![AgeSums::default(); AGE_BUCKETS.len()];
    let mut unsold = Vec::new();
    for p in catalogue::live_products(rx, &store_scope)? {
        if !in_scope(actor, filter, &p) {
            continue;
        }
        let qty = i64::from(p.stock_qty);
        categories.entry(p.category_id).or_default().in_stock += qty;
        purities.entry(p.purity).or_default().in_stock += qty;
        let rate = match rate_of.get(&p.purity) {
            Some(rate) => *rate,
            None => {
                let rate = rates::current_rate(rx, &store_scope, p.purity)?.map(|r| r.per_gram);
                rate_of.insert(p.purity, rate);
                rate
            }
        };
        let value = price_today(&p, rate, supply)
            .and_then(|price| price.taxable.get().checked_mul(qty))
            .map(Paise::new);
        let added = p.created_at.to_zoned_datetime(zone.clone()).date();
        let days = today.since(added).map_or(0, |s| s.get_days()).max(0);
        let slot = &mut ageing[age_bucket(days)];
        slot.pieces += qty;
        slot.net = add_mg(slot.net, p.net_weight().get().saturating_mul(qty));
        slot.gross = add_mg(slot.gross, p.gross_weight.get().saturating_mul(qty));
        match value {
            Some(v) => slot.value = Paise::new(slot.value.get().saturating_add(v.get())),
            None => slot.unpriced += qty,
        }
        if days >= UNSOLD_DAYS && !sold_lately.contains(&p.id.as_u128()) {
            unsold.push(UnsoldPiece {
                id: p.id,
                sku: p.sku.as_str().to_owned(),
                name: p.name.as_str().to_owned(),
                purity: p.purity,
                category: p.category_id,
                in_stock: qty,
                net: Milligrams::total(p.net_weight().get().saturating_mul(qty)),
                added: p.created_at,
                days_on_shelf: days,
                value,
            });
        }
    }
    unsold.sort_by_key(|u| (u.added, u.id));
    Ok(ProductAnalytics {
        filter: *filter,
        today,
        by_category: categories.into_iter().collect(),
        by_purity: purities.into_iter().collect(),
        ageing,
        unsold,
    })
}

impl Crm {
    /// The products report for today.
    pub fn product_analytics(
        &self,
        actor: &Actor,
        query: &ProductReportQuery,
    ) -> Result<ProductAnalytics, Error> {
        let today = self.today();
        let filter = query.parse(today)?;
        self.product_analytics_on(actor, &filter, today)
    }

    /// The products report as it reads on `today` (shelf ages and the 180 days are
    /// counted to it).
    pub fn product_analytics_on(
        &self,
        actor: &Actor,
        filter: &ProductReportFilter,
        today: Date,
    ) -> Result<ProductAnalytics, Error> {
        actor.require_read(Area::Sales)?;
        actor.require_read(Area::Catalogue)?;
        if !actor.may_work_on(filter.floor) {
            return Err(Error::Forbidden(
                "a Floor Manager's reports show their own floor; leave out floor_id".into(),
            ));
        }
        let zone = self.config().time_zone();
        self.db.read(|rx| report(rx, actor, filter, today, &zone))
    }
}
