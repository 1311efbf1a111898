//! Correcting a pending bill (`/sales/{id}/edit`): the bill form filled from the sale,
//! worked out like a new bill and saved through `Crm::correct_sale`, then back to the
//! sale's page; and the list of a bill's corrections that page shows.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::bill_form::{self, BillFormTarget};
use crate::app::{CorrectionRow, Error, Permission, SaleDetail};
use crate::domain::billing::CounterFinding;
use crate::domain::{FieldErrors, PaymentMethod, Sale, SaleId, SaleStatus};
use crate::web::AppState;
use crate::web::pages::shell::components::{icon, sentence};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{redirect_to, save_errors};
use crate::web::pages::shell::format::{
    grams_for_input, label, paise_for_input, percent_for_input, when,
};
use crate::web::pages::shell::forms::choices;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, PageId, Submitted, Viewer};
use crate::web::paths;

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
        return Ok(not_pending(&viewer, sale.id, &message));
    }
    let draft = draft_of(&detail);
    let page = render(&state, &viewer, sale.id, &draft, &FieldErrors::new(), None).await?;
    Ok(page.into_response())
}

/// `POST /sales/{id}/edit`: add a row, work the corrected bill out, or save it.
pub async fn submit(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = SaleId::from_uuid(id);
    let action = form.get("action").unwrap_or("quote").to_owned();
    let new_row = match action.as_str() {
        "add-line" => Some(("line", "sku")),
        "add-payment" => Some(("pay", "amount")),
        "add-gold" => Some(("gold", "weight")),
        _ => None,
    };
    if let Some((prefix, field)) = new_row {
        let mut draft = form.clone();
        let next = bill_form::rows(&draft, prefix);
        draft.push(format!("{prefix}-{next}-{field}"), String::new());
        let page = render(&state, &viewer, id, &draft, &FieldErrors::new(), None).await?;
        return Ok(page.into_response());
    }
    let read = bill_form::read(&form, viewer.actor.may(Permission::EveryFloor));
    let (input, own_errors) = (read.input.clone(), read.errors.clone());
    let save = action == "create" && own_errors.is_empty();
    let actor = viewer.actor.clone();
    let result = state
        .crm
        .run(move |crm| {
            if save {
                return crm
                    .correct_sale(&actor, id, input)
                    .map(|sale| (sale, Vec::new()));
            }
            let quote = crm.quote_sale(&actor, input)?;
            let rules = crm.counter_rules(&actor, &quote)?;
            Ok((quote, rules))
        })
        .await;
    let (status, errors, quote) = match result {
        Ok((sale, _)) if save => return Ok(redirect_to(paths::sale(sale.id).done("corrected"))),
        Ok(worked_out) if own_errors.is_empty() => (StatusCode::OK, own_errors, Some(worked_out)),
        Ok(_) => (StatusCode::UNPROCESSABLE_ENTITY, own_errors, None),
        Err(Error::Invalid(found)) if found.get("status").is_some() => {
            let message = found.get("status").unwrap_or_default().to_owned();
            return Ok(not_pending(&viewer, id, &message));
        }
        Err(err) => {
            let (status, app_errors) = save_errors(err, "lines")?;
            let mut errors = own_errors;
            for (field, message) in read.rename(app_errors).iter() {
                errors.add(field.clone(), message.clone());
            }
            (status, errors, None)
        }
    };
    let quote = quote.as_ref().map(|(sale, rules)| (sale, rules.as_slice()));
    let page = render(&state, &viewer, id, &form, &errors, quote).await?;
    Ok((status, page).into_response())
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

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: SaleId,
    draft: &FormData,
    errors: &FieldErrors,
    quote: Option<(&Sale, &[CounterFinding])>,
) -> Result<Markup, PageError> {
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let choices = if every_floor {
        choices(state, viewer).await?
    } else {
        Default::default()
    };
    let target = BillFormTarget {
        action: paths::edit_sale(id),
        save_label: "Save the corrected bill",
        leave: paths::sale(id),
    };
    let form = bill_form::render(
        &viewer.csrf,
        draft,
        errors,
        &choices,
        every_floor,
        quote,
        &target,
    );
    let content = html! {
        p.muted { "Saving re-prices the pieces and old gold at today's rates. The bill keeps its history of corrections." }
        (form)
    };
    Ok(page(viewer, "Correct the bill", html! {}, content))
}

/// The answer when the bill is no longer pending: nothing to correct, and the way back.
fn not_pending(viewer: &Viewer, id: SaleId, message: &str) -> Response {
    let content = html! {
        div.alert.error role="alert" #error-status { (sentence(message)) "." }
        p { a.button href=(paths::sale(id)) { (icon("chevron-left")) "Back to the sale" } }
    };
    let page = page(viewer, "Correct the bill", html! {}, content);
    (StatusCode::CONFLICT, page).into_response()
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
