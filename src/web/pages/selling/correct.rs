//! Correcting a pending bill (`/sales/{id}/edit`): the bill form filled from the sale,
//! worked out like a new bill and saved through `Crm::correct_sale`, then back to the
//! sale's page; and the list of a bill's corrections that page shows.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::bill_press::{self, Redraw, Saving};
use crate::app::{CorrectionRow, SaleDetail};
use crate::domain::{FieldErrors, PaymentMethod, SaleId, SaleStatus};
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::{
    grams_for_input, label, paise_for_input, percent_for_input, when,
};
use crate::web::pages::shell::session::{FormData, PageId, Submitted, Viewer};

/// `GET /sales/{id}/edit`: the form filled from the bill as it stands.
pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let detail = state
        .crm
        .run(move |crm| crm.sale_detail(&actor, SaleId::from_uuid(id)))
        .await?;
    let sale = &detail.sale;
    if sale.status != SaleStatus::Pending {
        let message = format!(
            "this sale is {} already; only a pending bill can be corrected",
            label(sale.status.as_str()).to_lowercase()
        );
        return Ok(bill_press::not_pending(&viewer, sale.id, &message, false));
    }
    let draft = draft_of(&detail);
    let no_errors = FieldErrors::new();
    let redraw = Redraw::page(&draft, &no_errors);
    let page = bill_press::draw(&state, &viewer, Saving::Correction(sale.id), redraw).await?;
    Ok(page.into_response())
}

/// `POST /sales/{id}/edit`: add or take out a row, work the corrected bill out, or
/// save it.
pub async fn submit(
    State(state): State<AppState>,
    PageId(id): PageId,
    headers: HeaderMap,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let saving = Saving::Correction(SaleId::from_uuid(id));
    bill_press::press(&state, &headers, &viewer, &form, saving).await
}

/// The corrections of a bill, oldest first: "Corrected by Asha Roy at 7 Dec 2026,
/// 14:05 IST — was ₹41,200.00, now ₹40,100.00".
pub fn history(corrections: &[CorrectionRow], tz: &TimeZone) -> Markup {
    html! {
        @if !corrections.is_empty() {
            section.card.wide #corrections {
                h2 { "Corrections" }
                ul {
                    @for row in corrections {
                        @let c = &row.correction;
                        li {
                            "Corrected by " (row.staff_name) " at " (when(c.at, tz))
                            " — was " (c.payable_before) ", now " strong { (c.payable_after) }
                        }
                    }
                }
            }
        }
    }
}

/// The bill as the form's fields, as a person would have typed them.
fn draft_of(detail: &SaleDetail) -> FormData {
    let sale = &detail.sale;
    let mut pairs: Vec<(String, String)> = vec![
        ("customer_phone".into(), detail.customer.phone.to_string()),
        ("floor_id".into(), sale.floor_id.as_uuid().to_string()),
    ];
    let amount = |paise: i64| {
        if paise == 0 {
            String::new()
        } else {
            paise_for_input(paise)
        }
    };
    for (row, line) in sale.lines.iter().enumerate() {
        pairs.push((format!("line-{row}-sku"), line.sku.as_str().to_owned()));
        pairs.push((format!("line-{row}-qty"), line.quantity.to_string()));
        pairs.push((format!("line-{row}-discount"), amount(line.discount.get())));
    }
    let (mut money, mut gold) = (0, 0);
    for payment in &sale.payments {
        let reference = payment.reference.as_str().to_owned();
        match (&payment.old_gold, payment.method) {
            (Some(old), PaymentMethod::OldGold) => {
                pairs.push((
                    format!("gold-{gold}-weight"),
                    grams_for_input(old.weight.get()),
                ));
                pairs.push((format!("gold-{gold}-purity"), old.purity.label()));
                pairs.push((
                    format!("gold-{gold}-deduction"),
                    percent_for_input(old.deduction.get()),
                ));
                pairs.push((format!("gold-{gold}-reference"), reference));
                gold += 1;
            }
            _ => {
                pairs.push((
                    format!("pay-{money}-method"),
                    payment.method.as_str().to_owned(),
                ));
                pairs.push((
                    format!("pay-{money}-amount"),
                    paise_for_input(payment.amount.get()),
                ));
                pairs.push((format!("pay-{money}-reference"), reference));
                money += 1;
            }
        }
    }
    pairs.push(("bill_discount".into(), amount(sale.bill_discount.get())));
    pairs.push(("notes".into(), sale.notes.as_str().to_owned()));
    FormData::from_pairs(pairs)
}
