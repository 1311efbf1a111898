//! The owner's opening report: a day's figures, its month to date and its financial
//! year to date, each beside the same dates a year back, with names put to the floors,
//! salespeople, categories and products, then the work waiting today (`opening_work`).
//! Every figure comes from the sums the store keeps (`store::figures`), never from the
//! sales themselves, so the report reads a few hundred rows whatever the store's size.

use std::collections::HashMap;

use jiff::civil::Date;

use super::figures::{
    FigureFilter, PeopleSums, PeriodFigures, PieceSums, period_figures, sum_facet,
};
use super::opening_work::TodaysWork;
use super::{Actor, Crm, Error};
use crate::domain::sale_facts::{Facet, Measures, pieces};
use crate::domain::{
    Area, CategoryId, FinancialYear, FloorId, Milligrams, Paise, ProductId, UserId,
};
use crate::store::figures::Grain;
use crate::store::{Deleted, Scope, Tables, catalogue, org, people};

/// How many categories and products each span ranks.
pub const TOP_ITEMS: usize = 8;

/// Which stretch of days a set of figures covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// The report's day alone.
    Day,
    /// From the first of the day's month through the day.
    MonthToDate,
    /// From 1 April of the day's financial year through the day.
    YearToDate,
}

impl SpanKind {
    pub const ALL: [SpanKind; 3] = [SpanKind::Day, SpanKind::MonthToDate, SpanKind::YearToDate];

    /// The first day of the span that ends on `day`.
    pub fn first_day(self, day: Date) -> Date {
        match self {
            SpanKind::Day => day,
            SpanKind::MonthToDate => day.first_of_month(),
            SpanKind::YearToDate => {
                Date::new(FinancialYear::containing(day).start_year(), 4, 1).unwrap_or(day)
            }
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            SpanKind::Day => "The day",
            SpanKind::MonthToDate => "Month to date",
            SpanKind::YearToDate => "Financial year to date",
        }
    }
}

/// The same date a year back; 29 February falls back to 28 February.
pub fn a_year_before(day: Date) -> Date {
    day.checked_sub(jiff::Span::new().years(1)).unwrap_or(day)
}

/// A floor, salesperson, category or product with its name, for people to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<Id, Sums> {
    pub id: Id,
    pub name: String,
    pub sums: Sums,
}

/// One span's figures beside the same dates a year back, and who and what made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanReport {
    pub kind: SpanKind,
    pub this: PeriodFigures,
    pub last_year: PeriodFigures,
    /// Every floor with figures in the span, by name.
    pub floors: Vec<Named<FloorId, PeopleSums>>,
    /// Every salesperson with figures in the span, the highest value first.
    pub staff: Vec<Named<UserId, PeopleSums>>,
    /// Every category sold in the span, the most sold (by taxable value) first; pages
    /// show the first [`TOP_ITEMS`]. `id` is `None` for pieces sold without a category.
    pub categories: Vec<Named<Option<CategoryId>, PieceSums>>,
    /// The products that sold most, at most [`TOP_ITEMS`]; ranked for the day and the
    /// month only (a year of products is the product report's work).
    pub top_products: Vec<Named<ProductId, PieceSums>>,
}

/// The opening report of one day, as the actor may see it.
#[derive(Debug, Clone)]
pub struct OpeningReport {
    pub store_name: String,
    pub day: Date,
    /// The day the report was made: today's work is as of this day.
    pub made_on: Date,
    /// A Floor Manager's floor; `None` for the whole store.
    pub floor: Option<Named<FloorId, ()>>,
    /// The day, the month to date and the financial year to date, in that order.
    pub spans: Vec<SpanReport>,
    /// What waits today: rates, follow-ups, occasions, pending bills, stock, backups.
    pub work: TodaysWork,
}

impl OpeningReport {
    pub fn span(&self, kind: SpanKind) -> Option<&SpanReport> {
        self.spans.iter().find(|s| s.kind == kind)
    }

    /// Whether the report is for the day before it was made, so today's work is the
    /// work of the day after the report's; for an older day it is simply as of now.
    pub fn is_for_yesterday(&self) -> bool {
        self.day.tomorrow().is_ok_and(|d| d == self.made_on)
    }
}

/// The names of a store's floors, staff and categories, removed ones included.
struct Names {
    floors: HashMap<FloorId, String>,
    staff: HashMap<UserId, String>,
    categories: HashMap<CategoryId, String>,
}

fn names(tx: &impl Tables, store: &Scope) -> Result<Names, Error> {
    let mut out = Names {
        floors: HashMap::new(),
        staff: HashMap::new(),
        categories: HashMap::new(),
    };
    for deleted in [Deleted::Hide, Deleted::Only] {
        for floor in org::floors(tx, store, deleted)? {
            out.floors.insert(floor.id, floor.name.to_string());
        }
        for user in people::users(tx, store, deleted)? {
            out.staff.insert(user.id, user.name.to_string());
        }
        for category in catalogue::categories(tx, store, deleted)? {
            out.categories
                .insert(category.id, category.name.to_string());
        }
    }
    Ok(out)
}

/// The products that sold most from `from` to `to` by taxable value (then pieces),
/// at most `limit`, read from the figures' product rows.
pub(crate) fn top_products(
    tx: &impl Tables,
    scope: &Scope,
    span: (Date, Date),
    filter: FigureFilter,
    limit: usize,
) -> Result<Vec<(ProductId, PieceSums)>, Error> {
    let sums = sum_facet(
        tx,
        scope,
        Facet::Product,
        span,
        Grain::Months,
        filter,
        |r| Some(r.member),
    )?;
    let mut ranked: Vec<(ProductId, PieceSums)> = sums
        .iter()
        .map(|(id, m)| {
            let id = ProductId::from_uuid(uuid::Uuid::from_u128(*id));
            (id, piece_sums(m))
        })
        .collect();
    ranked.sort_by(|a, b| (b.1.taxable, b.1.pieces, a.0).cmp(&(a.1.taxable, a.1.pieces, b.0)));
    ranked.truncate(limit);
    Ok(ranked)
}

fn named_people<Id: Copy + std::hash::Hash + Eq>(
    sums: &[(Id, PeopleSums)],
    names: &HashMap<Id, String>,
    unknown: &str,
) -> Vec<Named<Id, PeopleSums>> {
    let mut rows: Vec<Named<Id, PeopleSums>> = sums
        .iter()
        .map(|(id, s)| Named {
            id: *id,
            name: names.get(id).cloned().unwrap_or_else(|| unknown.to_owned()),
            sums: *s,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.sums
            .payable
            .cmp(&a.sums.payable)
            .then_with(|| a.name.cmp(&b.name))
    });
    rows
}

fn span_report(
    tx: &impl Tables,
    scope: &Scope,
    names: &Names,
    kind: SpanKind,
    day: Date,
) -> Result<SpanReport, Error> {
    let filter = FigureFilter::default();
    let span = (kind.first_day(day), day);
    let last = a_year_before(day);
    let this = period_figures(tx, scope, span, filter)?;
    let last_year = period_figures(tx, scope, (kind.first_day(last), last), filter)?;
    let mut categories: Vec<&(Option<CategoryId>, PieceSums)> = this.by_category.iter().collect();
    categories.sort_by(|a, b| (b.1.taxable, b.1.pieces, a.0).cmp(&(a.1.taxable, a.1.pieces, b.0)));
    let categories = categories
        .into_iter()
        .map(|(id, sums)| Named {
            id: *id,
            name: id.map_or_else(
                || "No category".to_owned(),
                |c| {
                    names
                        .categories
                        .get(&c)
                        .cloned()
                        .unwrap_or_else(|| "A removed category".to_owned())
                },
            ),
            sums: *sums,
        })
        .collect();
    let top_products = if kind == SpanKind::YearToDate {
        Vec::new()
    } else {
        let store = scope.store_only();
        top_products(tx, scope, span, filter, TOP_ITEMS)?
            .into_iter()
            .map(|(id, sums)| {
                let name = catalogue::product(tx, &store, id)?
                    .map_or_else(|| "A removed product".to_owned(), |p| p.name.to_string());
                Ok(Named { id, name, sums })
            })
            .collect::<Result<_, Error>>()?
    };
    Ok(SpanReport {
        kind,
        floors: named_people(&this.by_floor, &names.floors, "A removed floor"),
        staff: named_people(&this.by_staff, &names.staff, "A former member of staff"),
        this,
        last_year,
        categories,
        top_products,
    })
}

fn bad_date(message: String) -> Error {
    let mut errors = crate::domain::FieldErrors::new();
    errors.add("date", message);
    Error::BadQuery(errors)
}

fn not_come_yet(day: Date, today: Date) -> Error {
    bad_date(format!(
        "{day} has not come yet; choose today ({today}) or an earlier day"
    ))
}

/// A product's, category's or purity's measures as the report reads them.
fn piece_sums(m: &Measures) -> PieceSums {
    PieceSums {
        pieces: m[pieces::PIECES],
        net: Milligrams::total(m[pieces::NET_MG]),
        gross: Milligrams::total(m[pieces::GROSS_MG]),
        taxable: Paise::new(m[pieces::TAXABLE]),
        lines: m[pieces::LINES],
    }
}

impl Crm {
    /// The day a report is asked for: `YYYY-MM-DD` in the store's zone, yesterday when
    /// none is given. A day that has not come yet, or text that is not a date, is a
    /// bad query naming `date`.
    pub fn opening_day(&self, text: Option<&str>) -> Result<Date, Error> {
        let today = self.today();
        let day = match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => today
                .yesterday()
                .map_err(|e| Error::internal("finding yesterday's date", e))?,
            Some(text) => text.parse::<Date>().map_err(|_| {
                bad_date(format!(
                    "'{text}' is not a date; write it as YYYY-MM-DD, for example {}",
                    today.yesterday().unwrap_or(today)
                ))
            })?,
        };
        if day > today {
            return Err(not_come_yet(day, today));
        }
        Ok(day)
    }

    /// The opening report of `day` (today or earlier) that `actor` may see: a Floor
    /// Manager's floor alone.
    pub fn opening_report(&self, actor: &Actor, day: Date) -> Result<OpeningReport, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let made_on = self.today();
        if day > made_on {
            return Err(not_come_yet(day, made_on));
        }
        let store = actor.store_scope();
        let (store_name, floor, spans) = self.db.read(|rx| -> Result<_, Error> {
            let store_name = org::store(rx, &store)?
                .map(|s| s.name.to_string())
                .unwrap_or_default();
            let names = names(rx, &store)?;
            let floor = scope.floor_id().map(|id| Named {
                id,
                name: names.floors.get(&id).cloned().unwrap_or_default(),
                sums: (),
            });
            let spans = SpanKind::ALL
                .iter()
                .map(|kind| span_report(rx, &scope, &names, *kind, day))
                .collect::<Result<Vec<_>, Error>>()?;
            Ok((store_name, floor, spans))
        })?;
        let work = self.todays_work(actor, made_on)?;
        Ok(OpeningReport {
            store_name,
            day,
            made_on,
            floor,
            spans,
            work,
        })
    }

    /// The whole store's opening report for the command line, as the owner at the
    /// console sees it ([`Crm::console_actor`]): whoever can run a command on the box
    /// can read its database anyway. `day` as for [`Crm::opening_day`].
    pub fn opening_report_for_cli(&self, day: Option<&str>) -> Result<OpeningReport, Error> {
        let day = self.opening_day(day)?;
        let actor = self.console_actor()?;
        self.opening_report(&actor, day)
    }
}
