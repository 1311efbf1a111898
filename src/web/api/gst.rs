//! `GET /api/reports/gst?month=YYYY-MM`: the month's GST summary for the accountant —
//! the sales register with its credit notes, the B2C summary by place of supply, the
//! HSN summary, and the totals that tie them together. Business Admins only.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::{
    Error, GstMonth, GstSummary, HsnRow, InvoiceRow, JEWELLERY_RATE, PlaceRow, ReturnRow, TaxSums,
};
use crate::domain::SaleStatus;
use crate::domain::gst_states::StateCode;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GstQuery {
    /// The month, `YYYY-MM` (1970-01 onwards); the month before the current one when
    /// left out.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2]))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub month: Option<String>,
}

/// A state by its GST code and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateJson {
    /// Two digits, e.g. `19`.
    pub code: String,
    /// `West Bengal (19)`.
    pub label: String,
}

fn state(code: Option<StateCode>) -> Option<StateJson> {
    code.map(|c| StateJson {
        code: c.code(),
        label: c.label(),
    })
}

/// A taxable value and its taxes, in paise.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaxJson {
    pub taxable_paise: i64,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub igst_paise: i64,
    /// Taxable value and taxes together.
    pub total_paise: i64,
}

impl From<TaxSums> for TaxJson {
    fn from(t: TaxSums) -> Self {
        Self {
            taxable_paise: t.taxable.get(),
            cgst_paise: t.cgst.get(),
            sgst_paise: t.sgst.get(),
            igst_paise: t.igst.get(),
            total_paise: t.total().get(),
        }
    }
}

/// One invoice of the month (completed in it).
#[derive(Debug, Serialize, ToSchema)]
pub struct GstInvoiceJson {
    pub sale_id: Uuid,
    /// `SJ/26-27/000123` (or the long-year form of bills numbered before it).
    pub invoice_no: String,
    /// The day it was issued, `YYYY-MM-DD` in the store's time zone.
    pub date: String,
    pub customer_name: String,
    /// `null` only for a bill of an old version that could not be placed.
    pub place_of_supply: Option<StateJson>,
    /// The customer gave no GSTIN (customers do not record one), so every bill is B2C.
    pub supply_type: String,
    #[serde(flatten)]
    pub tax: TaxJson,
    /// Added to the total to round what was paid (−49 to +50 paise, or 0).
    pub round_off_paise: i64,
    pub payable_paise: i64,
    /// `COMPLETED`, or `REFUNDED` when every piece has come back since.
    pub status: SaleStatus,
}

impl From<InvoiceRow> for GstInvoiceJson {
    fn from(r: InvoiceRow) -> Self {
        Self {
            sale_id: r.sale_id.as_uuid(),
            invoice_no: r.invoice_no,
            date: r.date.to_string(),
            customer_name: r.customer,
            place_of_supply: state(r.place_of_supply),
            supply_type: "B2C".into(),
            tax: r.tax.into(),
            round_off_paise: r.round_off.get(),
            payable_paise: r.payable.get(),
            status: r.status,
        }
    }
}

/// A return made in the month (a credit note): amounts are negative, as they reduce
/// the month.
#[derive(Debug, Serialize, ToSchema)]
pub struct GstCreditNoteJson {
    pub sale_id: Uuid,
    /// The original invoice's number and day.
    pub invoice_no: String,
    pub invoice_date: String,
    /// The day of the return.
    pub date: String,
    pub customer_name: String,
    pub place_of_supply: Option<StateJson>,
    #[serde(flatten)]
    pub tax: TaxJson,
    /// The round-off's share of what was paid back.
    pub round_off_paise: i64,
    /// Paid back, GST and round-off included (negative).
    pub amount_paise: i64,
    pub pieces: i64,
    /// Net weight returned, milligrams.
    pub net_weight_mg: i64,
}

fn negated(t: TaxSums) -> TaxSums {
    TaxSums::default().minus(t).unwrap_or_default()
}

impl From<ReturnRow> for GstCreditNoteJson {
    fn from(r: ReturnRow) -> Self {
        Self {
            sale_id: r.sale_id.as_uuid(),
            round_off_paise: r.round_off().get().saturating_neg(),
            invoice_no: r.invoice_no,
            invoice_date: r.invoiced_on.to_string(),
            date: r.date.to_string(),
            customer_name: r.customer,
            place_of_supply: state(r.place_of_supply),
            tax: negated(r.tax).into(),
            amount_paise: r.amount.get().saturating_neg(),
            pieces: r.pieces,
            net_weight_mg: r.net_weight.get(),
        }
    }
}

/// One place of supply of the B2C summary: sales less returns dated in the month.
#[derive(Debug, Serialize, ToSchema)]
pub struct GstPlaceJson {
    pub place_of_supply: Option<StateJson>,
    /// Supplied to another state than the store's (IGST).
    pub inter_state: bool,
    /// GST rate in basis points (300 = 3%).
    pub rate_bp: u32,
    #[serde(flatten)]
    pub net: TaxJson,
    pub sold: TaxJson,
    pub returned: TaxJson,
}

impl From<PlaceRow> for GstPlaceJson {
    fn from(r: PlaceRow) -> Self {
        Self {
            place_of_supply: state(r.place),
            inter_state: r.inter_state,
            rate_bp: JEWELLERY_RATE.get(),
            net: r.net().into(),
            sold: r.sold.into(),
            returned: r.returned.into(),
        }
    }
}

/// One HSN code: net quantity in grams sold less returned, and its taxes.
#[derive(Debug, Serialize, ToSchema)]
pub struct GstHsnJson {
    pub hsn: String,
    pub description: String,
    /// Unit quantity code: `GMS`.
    pub uqc: String,
    /// Net weight, milligrams.
    pub quantity_mg: i64,
    pub rate_bp: u32,
    #[serde(flatten)]
    pub tax: TaxJson,
}

impl From<HsnRow> for GstHsnJson {
    fn from(r: HsnRow) -> Self {
        Self {
            hsn: r.hsn.into(),
            description: r.description.into(),
            uqc: HsnRow::UQC.into(),
            quantity_mg: r.net_weight.get(),
            rate_bp: JEWELLERY_RATE.get(),
            tax: r.tax.into(),
        }
    }
}

/// The three tables' totals, which agree to the paisa.
#[derive(Debug, Serialize, ToSchema)]
pub struct GstTotalsJson {
    /// Invoices less credit notes.
    pub register: TaxJson,
    pub b2c: TaxJson,
    pub hsn: TaxJson,
    pub invoices: usize,
    pub credit_notes: usize,
    /// What customers paid on the month's invoices, round-off included.
    pub invoiced_payable_paise: i64,
    /// What was paid back on the month's returns.
    pub returned_paise: i64,
}

/// A month's GST summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct GstSummaryJson {
    /// `YYYY-MM`.
    pub month: String,
    /// First and last day, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// The store's state: supplies there are intra-state (CGST + SGST).
    pub store_state: Option<StateJson>,
    pub invoices: Vec<GstInvoiceJson>,
    pub credit_notes: Vec<GstCreditNoteJson>,
    pub b2c: Vec<GstPlaceJson>,
    pub hsn: Vec<GstHsnJson>,
    pub totals: GstTotalsJson,
}

impl GstSummaryJson {
    pub fn of(summary: GstSummary) -> Result<Self, Error> {
        let overflow = || Error::internal_message("the GST summary's totals overflowed");
        let (from, to) = summary.month.span();
        let totals = GstTotalsJson {
            register: summary.register_total().ok_or_else(overflow)?.into(),
            b2c: summary.b2c_total().ok_or_else(overflow)?.into(),
            hsn: summary.hsn_total().ok_or_else(overflow)?.into(),
            invoices: summary.invoices.len(),
            credit_notes: summary.returns.len(),
            invoiced_payable_paise: summary.invoiced_payable().get(),
            returned_paise: summary.returned_amount().get(),
        };
        Ok(Self {
            month: summary.month.code(),
            from: from.to_string(),
            to: to.to_string(),
            store_state: state(summary.store_state),
            invoices: summary.invoices.into_iter().map(Into::into).collect(),
            credit_notes: summary.returns.into_iter().map(Into::into).collect(),
            b2c: summary.b2c.into_iter().map(Into::into).collect(),
            hsn: summary.hsn.into_iter().map(Into::into).collect(),
            totals,
        })
    }
}

/// The month's GST summary for the accountant: every invoice completed in the month
/// and every return made in it (credit notes, negative), the B2C summary by place of
/// supply and the HSN summary, whose totals agree. Only a Business Admin (or an API key
/// of one that may read sales) reads it: it is the whole store's return.
#[utoipa::path(get, path = "/api/reports/gst", tag = "reports", params(GstQuery),
    responses((status = 200, body = GstSummaryJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn gst_summary(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<GstQuery>,
) -> Result<Json<GstSummaryJson>, AppError> {
    let summary = state
        .crm
        .run(move |crm| {
            let month = GstMonth::asked(query.month.as_deref(), crm.today())?;
            crm.gst_summary(&actor, month)
        })
        .await?;
    Ok(Json(GstSummaryJson::of(summary)?))
}
