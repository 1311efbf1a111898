//! `GET /api/reports/opening?date=YYYY-MM-DD`: the owner's opening report as JSON, from
//! the same use case as the page. Amounts are integer paise, weights integer milligrams.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::figures::{PeopleSums, PeriodFigures, PieceSums};
use crate::app::{Named, OpeningReport, SpanKind, SpanReport, TodaysWork};
use crate::domain::Purity;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OpeningQuery {
    /// The day, `YYYY-MM-DD` in the store's time zone: today or earlier. Yesterday when
    /// left out.
    #[param(max_length = 40)]
    pub date: Option<String>,
}

/// A floor or a salesperson: walk-ins and inquiries logged, bills and their value.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningPeopleJson {
    pub id: Uuid,
    pub name: String,
    pub walk_ins: i64,
    pub inquiries: i64,
    pub bills: i64,
    /// Bills per walk-in in basis points (10000 = one bill per walk-in); null without
    /// walk-ins.
    pub conversion_bp: Option<i64>,
    pub payable_paise: i64,
    pub refunded_paise: i64,
}

fn people<Id: Copy>(
    rows: &[Named<Id, PeopleSums>],
    uuid: fn(Id) -> Uuid,
) -> Vec<OpeningPeopleJson> {
    rows.iter()
        .map(|r| OpeningPeopleJson {
            id: uuid(r.id),
            name: r.name.clone(),
            walk_ins: r.sums.walk_ins,
            inquiries: r.sums.inquiries,
            bills: r.sums.bills,
            conversion_bp: r.sums.conversion_bp(),
            payable_paise: r.sums.payable.get(),
            refunded_paise: r.sums.refunded.get(),
        })
        .collect()
}

/// Pieces sold of a purity, category or product.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningPiecesJson {
    /// The category's or product's id; null for a purity, or pieces without a category.
    pub id: Option<Uuid>,
    /// `22K gold`, a category's or a product's name.
    pub name: String,
    pub pieces: i64,
    pub net_mg: i64,
    pub gross_mg: i64,
    pub taxable_paise: i64,
}

fn pieces(id: Option<Uuid>, name: String, s: &PieceSums) -> OpeningPiecesJson {
    OpeningPiecesJson {
        id,
        name,
        pieces: s.pieces,
        net_mg: s.net.get(),
        gross_mg: s.gross.get(),
        taxable_paise: s.taxable.get(),
    }
}

fn purity_name(p: Purity) -> String {
    format!("{} {}", p.label(), p.metal().label().to_lowercase())
}

/// Money received in one mode; cash is what was kept after change.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningPaymentJson {
    /// `CASH`, `UPI`, `CARD`, `BANK_TRANSFER` or `OLD_GOLD`.
    pub mode: String,
    pub payments: i64,
    pub amount_paise: i64,
}

/// Old gold taken in, of one purity.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningOldGoldJson {
    pub purity: String,
    pub weight_mg: i64,
    pub value_paise: i64,
}

/// A span's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningFiguresJson {
    pub from: String,
    pub to: String,
    pub bills: i64,
    pub pieces: i64,
    pub taxable_paise: i64,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub igst_paise: i64,
    /// Total payable: taxable value, GST and round-off.
    pub payable_paise: i64,
    pub average_bill_paise: i64,
    pub bills_to_new_customers: i64,
    pub bills_to_returning_customers: i64,
    /// The day book, in the order cash, UPI, card, bank transfer, old gold.
    pub day_book: Vec<OpeningPaymentJson>,
    pub cash_paise: i64,
    pub purities: Vec<OpeningPiecesJson>,
    pub old_gold: Vec<OpeningOldGoldJson>,
    pub returns: i64,
    pub refunded_paise: i64,
    pub refunded_taxable_paise: i64,
    pub refunded_gst_paise: i64,
    pub returned_mg: i64,
    pub cancelled_bills: i64,
    pub cancelled_paise: i64,
    pub new_customers: i64,
    pub walk_ins: i64,
}

impl From<&PeriodFigures> for OpeningFiguresJson {
    fn from(f: &PeriodFigures) -> Self {
        let b = &f.bills;
        let r = &f.refunds;
        Self {
            from: f.from.to_string(),
            to: f.to.to_string(),
            bills: b.bills,
            pieces: b.pieces,
            taxable_paise: b.taxable.get(),
            cgst_paise: b.cgst.get(),
            sgst_paise: b.sgst.get(),
            igst_paise: b.igst.get(),
            payable_paise: b.payable.get(),
            average_bill_paise: b.average_bill().get(),
            bills_to_new_customers: b.to_new_customers,
            bills_to_returning_customers: b.bills.saturating_sub(b.to_new_customers),
            day_book: f
                .payments
                .iter()
                .map(|(m, p)| OpeningPaymentJson {
                    mode: m.as_str().to_owned(),
                    payments: p.payments,
                    amount_paise: p.amount.get(),
                })
                .collect(),
            cash_paise: f.cash().get(),
            purities: f
                .by_purity
                .iter()
                .map(|(p, s)| pieces(None, purity_name(*p), s))
                .collect(),
            old_gold: f
                .old_gold
                .iter()
                .map(|(p, g)| OpeningOldGoldJson {
                    purity: purity_name(*p),
                    weight_mg: g.weight.get(),
                    value_paise: g.value.get(),
                })
                .collect(),
            returns: r.returns,
            refunded_paise: r.amount.get(),
            refunded_taxable_paise: r.taxable.get(),
            refunded_gst_paise: r
                .cgst
                .get()
                .saturating_add(r.sgst.get())
                .saturating_add(r.igst.get()),
            returned_mg: r.net.get(),
            cancelled_bills: f.cancelled_bills,
            cancelled_paise: f.cancelled_value.get(),
            new_customers: f.new_customers,
            walk_ins: f.interactions_of(crate::domain::InteractionType::WalkIn),
        }
    }
}

/// One span beside the same dates last year.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningSpanJson {
    /// `DAY`, `MONTH_TO_DATE` or `YEAR_TO_DATE` (from 1 April).
    pub span: String,
    pub this: OpeningFiguresJson,
    pub last_year: OpeningFiguresJson,
    pub floors: Vec<OpeningPeopleJson>,
    pub salespeople: Vec<OpeningPeopleJson>,
    /// Every category sold, the most sold first.
    pub categories: Vec<OpeningPiecesJson>,
    /// The products that sold most (for the day and the month; empty for the year).
    pub top_products: Vec<OpeningPiecesJson>,
}

impl From<&SpanReport> for OpeningSpanJson {
    fn from(s: &SpanReport) -> Self {
        Self {
            span: match s.kind {
                SpanKind::Day => "DAY",
                SpanKind::MonthToDate => "MONTH_TO_DATE",
                SpanKind::YearToDate => "YEAR_TO_DATE",
            }
            .to_owned(),
            this: (&s.this).into(),
            last_year: (&s.last_year).into(),
            floors: people(&s.floors, |id| id.as_uuid()),
            salespeople: people(&s.staff, |id| id.as_uuid()),
            categories: s
                .categories
                .iter()
                .map(|c| pieces(c.id.map(|id| id.as_uuid()), c.name.clone(), &c.sums))
                .collect(),
            top_products: s
                .top_products
                .iter()
                .map(|p| pieces(Some(p.id.as_uuid()), p.name.clone(), &p.sums))
                .collect(),
        }
    }
}

/// What waits today.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningWorkJson {
    pub date: String,
    /// Each purity's rate in force, paise per gram; purities without a rate are left out.
    pub rates: Vec<OpeningRateJson>,
    /// Open follow-ups past their time; null without access to activity.
    pub follow_ups_overdue: Option<usize>,
    pub follow_ups_due_later_today: Option<usize>,
    /// Customers with a birthday or anniversary today: the first 20 by name.
    pub occasions: Vec<OpeningOccasionJson>,
    /// How many customers have a birthday or anniversary today in all.
    pub occasions_total: usize,
    pub bills_awaiting_payment: Option<usize>,
    pub awaiting_payment_paise: Option<i64>,
    pub low_stock_lines: usize,
    /// Whether any backup destination has fallen behind; null unless the caller looks
    /// after backups.
    pub backups_overdue: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningRateJson {
    pub purity: String,
    pub per_gram_paise: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningOccasionJson {
    pub customer_id: Uuid,
    pub name: String,
    /// `BIRTHDAY` or `ANNIVERSARY`.
    pub kind: crate::app::OccasionKind,
    pub years: i16,
    pub call: String,
    pub whatsapp: String,
}

impl From<&TodaysWork> for OpeningWorkJson {
    fn from(w: &TodaysWork) -> Self {
        Self {
            date: w.on.to_string(),
            rates: w
                .rates
                .iter()
                .filter_map(|l| {
                    l.rate.as_ref().map(|r| OpeningRateJson {
                        purity: purity_name(l.purity),
                        per_gram_paise: r.per_gram.get(),
                    })
                })
                .collect(),
            follow_ups_overdue: w.follow_ups.as_ref().map(|f| f.overdue.count),
            follow_ups_due_later_today: w.follow_ups.as_ref().map(|f| f.due_today.count),
            occasions_total: w.occasions_total,
            occasions: w
                .occasions
                .iter()
                .map(|o| OpeningOccasionJson {
                    customer_id: o.customer.id.as_uuid(),
                    name: o.customer.name.to_string(),
                    kind: o.kind,
                    years: o.years,
                    call: o.contact.call.clone(),
                    whatsapp: o.contact.whatsapp.clone(),
                })
                .collect(),
            bills_awaiting_payment: w.pending.as_ref().map(|p| p.bills.count),
            awaiting_payment_paise: w.pending.as_ref().map(|p| p.total.get()),
            low_stock_lines: w.low_stock_total,
            backups_overdue: w.backups.as_ref().map(|b| b.any_overdue()),
        }
    }
}

/// The opening report.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningReportJson {
    pub date: String,
    /// The day the report was made; today's work is as of this day.
    pub made_on: String,
    pub store_name: String,
    /// A Floor Manager's floor (the report holds it alone); null for the whole store.
    pub floor_id: Option<Uuid>,
    /// The day, the month to date and the financial year to date.
    pub spans: Vec<OpeningSpanJson>,
    pub todays_work: OpeningWorkJson,
}

impl From<&OpeningReport> for OpeningReportJson {
    fn from(r: &OpeningReport) -> Self {
        Self {
            date: r.day.to_string(),
            made_on: r.made_on.to_string(),
            store_name: r.store_name.clone(),
            floor_id: r.floor.as_ref().map(|f| f.id.as_uuid()),
            spans: r.spans.iter().map(Into::into).collect(),
            todays_work: (&r.work).into(),
        }
    }
}

/// The owner's opening report of a day (yesterday by default): the day, the month to
/// date and the financial year to date beside the same dates last year, with the day
/// book, floors, salespeople, purities, categories and products, and today's work. A
/// Floor Manager's report holds their floor alone. A date not `YYYY-MM-DD`, or still
/// to come, answers 400 naming `date`.
#[utoipa::path(get, path = "/api/reports/opening", tag = "sales", params(OpeningQuery),
    responses((status = 200, body = OpeningReportJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn opening_report(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<OpeningQuery>,
) -> Result<Json<OpeningReportJson>, AppError> {
    let report = state
        .crm
        .run(move |crm| {
            let day = crm.opening_day(query.date.as_deref())?;
            crm.opening_report(&actor, day)
        })
        .await?;
    Ok(Json((&report).into()))
}
