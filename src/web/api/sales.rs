//! `/api/sales`: drawing up a bill, completing or cancelling it, and reading sales.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{CompleteInput, RefundInput, SaleInput};
use crate::domain::billing::CounterFinding;
use crate::domain::{Metal, PaymentMethod, Sale, SaleId, SaleStatus};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiJson, Auth, PathId};

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleLineJson {
    pub product_id: Uuid,
    pub sku: String,
    pub description: String,
    pub metal: Metal,
    pub purity: String,
    pub huid: Option<String>,
    pub quantity: u32,
    pub gross_weight_mg: i64,
    pub net_weight_mg: i64,
    pub rate_per_gram_paise: i64,
    pub metal_value_paise: i64,
    pub making_paise: i64,
    pub stone_value_paise: i64,
    pub discount_paise: i64,
    pub taxable_paise: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentJson {
    pub method: PaymentMethod,
    pub amount_paise: i64,
    pub reference: String,
    /// For old gold: its weight, purity and melting deduction.
    pub old_gold_weight_mg: Option<i64>,
    pub old_gold_purity: Option<String>,
    pub old_gold_deduction_bp: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleJson {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub floor_id: Uuid,
    pub status: SaleStatus,
    /// Given when the sale is completed: `SJ/26-27/000001` (bills numbered before the
    /// short year form keep theirs, e.g. `SJ/2026-27/00001`).
    pub invoice_no: Option<String>,
    pub lines: Vec<SaleLineJson>,
    pub bill_discount_paise: i64,
    pub taxable_paise: i64,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub igst_paise: i64,
    /// True when the store was not registered under GST as the bill was drawn up: no
    /// GST is charged (`total_paise` is the taxable value) and its invoice is a bill of
    /// supply, not a tax invoice.
    pub bill_of_supply: bool,
    /// Taxable value plus GST, exact to the paisa.
    pub total_paise: i64,
    /// Added to the total to round what is paid (−49 to +50 under the nearest-rupee
    /// setting the bill was drawn up with, else 0).
    pub round_off_paise: i64,
    /// What the customer pays: `total_paise + round_off_paise`.
    pub payable_paise: i64,
    /// Cash handed back because more cash was tendered than was due.
    pub change_paise: i64,
    pub payments: Vec<PaymentJson>,
    pub staff_id: Uuid,
    pub notes: String,
    pub created_at: String,
    pub completed_at: Option<String>,
    /// What has been paid back so far for returned pieces.
    pub refunded_paise: i64,
    pub form60_reference: Option<String>,
    /// Each correction of the bill while it was PENDING, oldest first.
    pub corrections: Vec<CorrectionJson>,
}

/// A correction of a pending bill: who made it, when, and the amount payable before
/// and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionJson {
    pub staff_id: Uuid,
    pub at: String,
    pub payable_before_paise: i64,
    pub payable_after_paise: i64,
}

/// What one of the counter's rules says about a pending bill if it were completed now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterRuleJson {
    /// `CASH_LIMIT` (s.269ST), `PAN_REQUIRED` (Rule 114B), `KYC_REPORT`,
    /// `PAYMENTS_SHORT` or `NON_CASH_OVERPAID`.
    #[schema(example = "CASH_LIMIT")]
    pub rule: String,
    /// What the rule says and what to change.
    pub message: String,
    /// True when completing the bill as it stands would be refused; false for a flag
    /// (KYC reporting) that does not stop the sale.
    pub blocking: bool,
}

impl From<&CounterFinding> for CounterRuleJson {
    fn from(finding: &CounterFinding) -> Self {
        Self {
            rule: finding.code().to_owned(),
            message: finding.to_string(),
            blocking: finding.blocking(),
        }
    }
}

fn counter_rules_json(findings: &[CounterFinding]) -> Vec<CounterRuleJson> {
    findings.iter().map(CounterRuleJson::from).collect()
}

/// A bill worked out, drawn up or corrected, with what the counter's rules say about
/// completing it: a bill that breaks a rule is still drawn up (it can be corrected), but
/// completing it is refused until it keeps them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawnUpJson {
    #[serde(flatten)]
    pub sale: SaleJson,
    pub counter_rules: Vec<CounterRuleJson>,
}

impl From<Sale> for SaleJson {
    fn from(s: Sale) -> Self {
        let payable = s.payable();
        Self {
            id: s.id.as_uuid(),
            customer_id: s.customer_id.as_uuid(),
            floor_id: s.floor_id.as_uuid(),
            status: s.status,
            invoice_no: s.invoice_no.map(|n| n.as_str().to_owned()),
            lines: s
                .lines
                .into_iter()
                .map(|l| SaleLineJson {
                    product_id: l.product_id.as_uuid(),
                    sku: l.sku.as_str().to_owned(),
                    description: l.description.as_str().to_owned(),
                    metal: l.metal,
                    purity: l.purity.label(),
                    huid: l.huid.map(|h| h.as_str().to_owned()),
                    quantity: l.quantity,
                    gross_weight_mg: l.gross_weight.get(),
                    net_weight_mg: l.net_weight.get(),
                    rate_per_gram_paise: l.rate_per_gram.get(),
                    metal_value_paise: l.metal_value.get(),
                    making_paise: l.making_amount.get(),
                    stone_value_paise: l.stone_value.get(),
                    discount_paise: l.discount.get(),
                    taxable_paise: l.taxable_value.get(),
                })
                .collect(),
            bill_discount_paise: s.bill_discount.get(),
            taxable_paise: s.taxable_value.get(),
            cgst_paise: s.cgst.get(),
            sgst_paise: s.sgst.get(),
            igst_paise: s.igst.get(),
            bill_of_supply: !s.seller_gst.charges_gst(),
            total_paise: s.total.get(),
            round_off_paise: s.round_off.get(),
            payable_paise: payable.get(),
            change_paise: s.change_given.get(),
            payments: s
                .payments
                .into_iter()
                .map(|p| PaymentJson {
                    method: p.method,
                    amount_paise: p.amount.get(),
                    reference: p.reference.as_str().to_owned(),
                    old_gold_weight_mg: p.old_gold.as_ref().map(|g| g.weight.get()),
                    old_gold_purity: p.old_gold.as_ref().map(|g| g.purity.label()),
                    old_gold_deduction_bp: p.old_gold.as_ref().map(|g| g.deduction.get()),
                })
                .collect(),
            staff_id: s.staff_id.as_uuid(),
            notes: s.notes.as_str().to_owned(),
            created_at: s.created_at.to_string(),
            completed_at: s.completed_at.map(|t| t.to_string()),
            refunded_paise: s.refunds.iter().map(|r| r.amount.get()).sum(),
            form60_reference: s.form60.map(|f| f.as_str().to_owned()),
            corrections: s
                .corrections
                .into_iter()
                .map(|c| CorrectionJson {
                    staff_id: c.staff_id.as_uuid(),
                    at: c.at.to_string(),
                    payable_before_paise: c.payable_before.get(),
                    payable_after_paise: c.payable_after.get(),
                })
                .collect(),
        }
    }
}

/// Draws up a bill (PENDING): each line priced at the rate in force now and locked.
/// `counter_rules` says what completing it would meet.
#[utoipa::path(post, path = "/api/sales", tag = "sales", request_body = SaleInput,
    responses((status = 201, body = DrawnUpJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<SaleInput>,
) -> Result<(StatusCode, Json<DrawnUpJson>), AppError> {
    let drawn = state
        .crm
        .run(move |crm| with_rules(crm, &actor, crm.create_sale(&actor, input)?))
        .await?;
    Ok((StatusCode::CREATED, Json(drawn)))
}

/// Corrects a PENDING bill from a new `SaleInput`: pieces, payments, old gold,
/// discounts, notes. The lines are priced at the rates in force now; the bill keeps its
/// id and adds the correction (who, when, payable before and after) to `corrections`.
/// Without `floor_id` the bill stays on its floor. A bill no longer pending is refused
/// (422 naming `status`) and nothing changes.
#[utoipa::path(put, path = "/api/sales/{id}", tag = "sales", params(("id" = Uuid, Path)), request_body = SaleInput,
    responses((status = 200, body = DrawnUpJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn correct_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<SaleInput>,
) -> Result<Json<DrawnUpJson>, AppError> {
    let drawn = state
        .crm
        .run(move |crm| {
            let sale = crm.correct_sale(&actor, SaleId::from_uuid(id), input)?;
            with_rules(crm, &actor, sale)
        })
        .await?;
    Ok(Json(drawn))
}

/// A bill with what the counter's rules say about completing it today.
fn with_rules(
    crm: &crate::app::Crm,
    actor: &crate::app::Actor,
    sale: Sale,
) -> Result<DrawnUpJson, crate::app::Error> {
    let findings = crm.counter_rules(actor, &sale)?;
    Ok(DrawnUpJson {
        sale: sale.into(),
        counter_rules: counter_rules_json(&findings),
    })
}

/// Prices a bill exactly as `POST /api/sales` would, without storing it: what the
/// counter shows the customer before drawing it up. The `id` is not kept.
#[utoipa::path(post, path = "/api/sales/quote", tag = "sales", request_body = SaleInput,
    responses((status = 200, body = DrawnUpJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn quote_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<SaleInput>,
) -> Result<Json<DrawnUpJson>, AppError> {
    let quoted = state
        .crm
        .run(move |crm| with_rules(crm, &actor, crm.quote_sale(&actor, input)?))
        .await?;
    Ok(Json(quoted))
}

/// A sale, with its customer's name and whether the customer's cash purchases this
/// financial year have reached ₹10,00,000 (to be reported for KYC).
#[derive(Debug, Serialize, ToSchema)]
pub struct SaleDetailJson {
    #[serde(flatten)]
    pub sale: SaleJson,
    pub customer_name: String,
    pub floor_name: String,
    pub staff_name: String,
    /// The cash kept from the customer in this bill's financial year, up to the end of
    /// the bill's day (0 for a bill not completed).
    pub customer_cash_this_year_paise: i64,
    pub kyc_report_due: bool,
    /// For a PENDING bill, what the counter's rules say if it were completed now;
    /// empty once it is completed or cancelled.
    pub counter_rules: Vec<CounterRuleJson>,
}

#[utoipa::path(get, path = "/api/sales/{id}", tag = "sales", params(("id" = Uuid, Path)),
    responses((status = 200, body = SaleDetailJson), (status = 404, body = Problem)))]
pub async fn get_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<SaleDetailJson>, AppError> {
    let detail = state
        .crm
        .run(move |crm| crm.sale_detail(&actor, SaleId::from_uuid(id)))
        .await?;
    Ok(Json(SaleDetailJson {
        customer_name: detail.customer.name.to_string(),
        floor_name: detail.floor_name,
        staff_name: detail.staff_name,
        customer_cash_this_year_paise: detail.cash_this_year.get(),
        kyc_report_due: detail.kyc_report_due,
        counter_rules: counter_rules_json(&detail.counter_rules),
        sale: detail.sale.into(),
    }))
}

/// Completes a pending bill: the counter's rules (cash below ₹2,00,000 a day per
/// customer, PAN from ₹2,00,000), stock taken, invoice number given.
#[utoipa::path(post, path = "/api/sales/{id}/complete", tag = "sales", params(("id" = Uuid, Path)), request_body = CompleteInput,
    responses((status = 200, body = SaleJson), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn complete_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<CompleteInput>,
) -> Result<Json<SaleJson>, AppError> {
    let sale = state
        .crm
        .run(move |crm| crm.complete_sale(&actor, SaleId::from_uuid(id), input))
        .await?;
    Ok(Json(sale.into()))
}

/// Takes pieces back from a completed sale (all of them when `lines` is left out): their
/// share of the bill is paid back and they return to stock. When every piece is back
/// the sale is REFUNDED; its invoice number stays.
#[utoipa::path(post, path = "/api/sales/{id}/refund", tag = "sales", params(("id" = Uuid, Path)), request_body = RefundInput,
    responses((status = 200, body = SaleJson), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn refund_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<RefundInput>,
) -> Result<Json<SaleJson>, AppError> {
    let sale = state
        .crm
        .run(move |crm| crm.refund_sale(&actor, SaleId::from_uuid(id), input))
        .await?;
    Ok(Json(sale.into()))
}

/// Cancels a pending bill.
#[utoipa::path(post, path = "/api/sales/{id}/cancel", tag = "sales", params(("id" = Uuid, Path)),
    responses((status = 200, body = SaleJson), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel_sale(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<SaleJson>, AppError> {
    let sale = state
        .crm
        .run(move |crm| crm.cancel_sale(&actor, SaleId::from_uuid(id)))
        .await?;
    Ok(Json(sale.into()))
}
