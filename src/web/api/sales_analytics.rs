//! `GET /api/sales/analytics`: the sales analytics of a span, grouped and filtered as
//! the `/reports/sales` page shows them, amounts in paise and weights in milligrams.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{
    AnalyticsQueryText, Group, GroupFigures, GroupRow, Measure, MeasureValue, SalesAnalytics,
    Source,
};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

/// What a group adds up to. Only the figures its grouping gives are present: bills,
/// pieces, grams, taxable value, GST, payable, refunds, net sales and average bill for
/// `figures: bills`; pieces, grams and taxable value for `purity` and `category`;
/// payments and the amount received for `payments`.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct AnalyticsFiguresJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bills: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pieces: Option<i64>,
    /// Net weight of the pieces sold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_mg: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxable_paise: Option<i64>,
    /// CGST, SGST and IGST together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gst_paise: Option<i64>,
    /// What the bills invoiced in the group ask for, round-off included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payable_paise: Option<i64>,
    /// Paid back by returns dated in the group (a bill of another group may be behind
    /// them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunds_paise: Option<i64>,
    /// Payable less refunds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_sales_paise: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_bill_paise: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payments: Option<i64>,
    /// Money received; cash is what was kept after change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_paise: Option<i64>,
}

impl AnalyticsFiguresJson {
    fn of(source: Source, figures: &GroupFigures) -> Self {
        let mut out = Self::default();
        for measure in source.measures() {
            let value = match measure.value(figures) {
                MeasureValue::Count(n) => n,
                MeasureValue::Money(p) => p.get(),
                MeasureValue::Weight(w) => w.get(),
            };
            let slot = match measure {
                Measure::Bills => &mut out.bills,
                Measure::Pieces => &mut out.pieces,
                Measure::Grams => &mut out.net_mg,
                Measure::Taxable => &mut out.taxable_paise,
                Measure::Gst => &mut out.gst_paise,
                Measure::Payable => &mut out.payable_paise,
                Measure::Refunds => &mut out.refunds_paise,
                Measure::NetSales => &mut out.net_sales_paise,
                Measure::AverageBill => &mut out.average_bill_paise,
                Measure::Payments => &mut out.payments,
                Measure::Received => &mut out.received_paise,
            };
            *slot = Some(value);
        }
        out
    }
}

/// One group: which it is (the field naming it depends on `group_by`), its figures
/// and its share of the total.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsRowJson {
    /// The group in a word: `2026-04-01` (the first day of a day, week, month or
    /// financial year, cut to the span), an id, `GOLD-916`, `CASH`.
    pub key: String,
    /// How the page names it: `Apr 2026`, `Ground floor`, `22K gold`.
    pub label: String,
    /// For a span of time: its first and last day within the span asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salesperson_id: Option<Uuid>,
    /// Absent with `group_by=category` for pieces sold without a category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metal: Option<String>,
    /// The purity's fineness in parts per thousand (`916` for 22K gold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fineness: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<String>,
    pub figures: AnalyticsFiguresJson,
    /// Its part of the total's net sales (bills), taxable value (purity, category)
    /// or amount received (payments), in basis points; null when the total is not
    /// above zero.
    pub share_bp: Option<i64>,
}

fn row_json(source: Source, row: &GroupRow) -> AnalyticsRowJson {
    let mut out = AnalyticsRowJson {
        key: String::new(),
        label: row.label.clone(),
        from: None,
        to: None,
        floor_id: None,
        salesperson_id: None,
        category_id: None,
        metal: None,
        fineness: None,
        payment: None,
        figures: AnalyticsFiguresJson::of(source, &row.figures),
        share_bp: row.share_bp,
    };
    out.key = match row.group {
        Group::Period { from, to } => {
            out.from = Some(from.to_string());
            out.to = Some(to.to_string());
            from.to_string()
        }
        Group::Floor(id) => {
            out.floor_id = Some(id.as_uuid());
            id.to_string()
        }
        Group::Staff(id) => {
            out.salesperson_id = Some(id.as_uuid());
            id.to_string()
        }
        Group::Category(id) => {
            out.category_id = id.map(|c| c.as_uuid());
            id.map_or_else(|| "none".to_owned(), |c| c.to_string())
        }
        Group::Purity(purity) => {
            out.metal = Some(purity.metal().as_str().to_owned());
            out.fineness = Some(purity.fineness());
            format!("{}-{}", purity.metal().as_str(), purity.fineness())
        }
        Group::Payment(method) => {
            out.payment = Some(method.as_str().to_owned());
            method.as_str().to_owned()
        }
    };
    out
}

/// The analytics of a span.
#[derive(Debug, Serialize, ToSchema)]
pub struct SalesAnalyticsJson {
    pub from: String,
    pub to: String,
    /// `day`, `week`, `month`, `fy`, `floor`, `staff`, `category`, `metal` or `payment`.
    pub group_by: String,
    /// Which figures the rows hold: `bills`, `purity`, `category` or `payments`.
    pub figures: String,
    /// Spans of time in order, every one of the span even when empty; other groups
    /// largest first.
    pub rows: Vec<AnalyticsRowJson>,
    pub total: AnalyticsFiguresJson,
}

impl From<SalesAnalytics> for SalesAnalyticsJson {
    fn from(a: SalesAnalytics) -> Self {
        Self {
            from: a.from.to_string(),
            to: a.to.to_string(),
            group_by: a.query.group_by.as_str().to_owned(),
            figures: a.source.as_str().to_owned(),
            rows: a.rows.iter().map(|r| row_json(a.source, r)).collect(),
            total: AnalyticsFiguresJson::of(a.source, &a.total),
        }
    }
}

/// The sales analytics a person may see (a Floor Manager: their floor), from the
/// figures kept with every sale: by default this financial year to date by month.
/// Bills count on the day they were completed, returns on the day of the return,
/// weeks run Monday to Sunday and financial years April to March.
///
/// Filters: `floor_id` and `salesperson_id` go with every grouping. Pieces are counted
/// by metal and purity, and apart by category; money received by payment mode apart
/// again, so at most one of `category_id`, `metal`/`purity` and `payment` may be
/// given: `metal`/`purity` with `group_by` day, week, month, fy, floor, staff or
/// metal; `category_id` with those or category; `payment` with those or payment. A
/// filter that cannot apply answers 400 naming it, as does a span running backwards or
/// longer than three years.
#[utoipa::path(get, path = "/api/sales/analytics", tag = "sales", params(AnalyticsQueryText),
    responses((status = 200, body = SalesAnalyticsJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn sales_analytics(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<AnalyticsQueryText>,
) -> Result<Json<SalesAnalyticsJson>, AppError> {
    let query = query.parse()?;
    let analytics = state
        .crm
        .run(move |crm| crm.sales_analytics(&actor, &query))
        .await?;
    Ok(Json(analytics.into()))
}
