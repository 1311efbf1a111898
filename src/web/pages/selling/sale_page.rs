//! A sale's own page (`/sales/{id}`): the bill as priced and locked, its payments, and
//! what can happen next — complete it (with a Form 60 when the rules ask), cancel it,
//! take pieces back, print the invoice.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

use super::{correct, counter_rules};
use crate::app::{CompleteInput, RefundInput, RefundLineInput, SaleDetail};
use crate::domain::billing::{KYC_CASH_THRESHOLD, PAN_THRESHOLD};
use crate::domain::{FieldErrors, MakingCharge, Paise, Sale, SaleId, SaleStatus, format_round_off};
use crate::web::AppState;
use crate::web::pages::shell::components::{Field, confirm_dialog, icon, sentence};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Refused, Typed, redirect_to};
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

/// How a line's making charge was counted: `₹450.00/g`, `12%`, `flat`.
pub fn making_basis(charge: &MakingCharge) -> String {
    match charge {
        MakingCharge::PerGramPaise(p) => format!("{p}/g"),
        MakingCharge::PercentBp(bp) => bp.to_string(),
        MakingCharge::FlatPaise(_) => "flat".into(),
    }
}

fn paid(sale: &Sale) -> Paise {
    Paise::new(sale.payments.iter().map(|p| p.amount.get()).sum())
}

/// The bill: priced lines, tax, total, payments and what is still to pay. A quote is
/// the same bill before it is drawn up.
pub fn bill_summary(sale: &Sale, quote: bool) -> Markup {
    let payable = sale.payable();
    let still_to_pay = Paise::new(payable.get().saturating_sub(paid(sale).get()));
    // Columns that would read ₹0.00 on every line are left out, so the bill fits a tablet.
    let stones = sale.lines.iter().any(|l| l.stone_value.get() > 0);
    let discounts = sale.lines.iter().any(|l| l.discount.get() > 0);
    html! {
        section.card.wide.bill #(if quote { "quote" } else { "bill" }) {
            h2 { @if quote { "The bill, worked out at today's rates" } @else { "Bill" } }
            div.table-scroll {
                table.list.bill-lines {
                    thead { tr {
                        th { "Piece" } th { "Purity" } th.num { "Net wt" } th.num { "Rate / g" }
                        th.num { "Metal" } th.num { "Making" } @if stones { th.num { "Stones" } } @if discounts { th.num { "Discount" } } th.num { "Taxable" }
                    } }
                    tbody {
                        @for line in &sale.lines {
                            tr {
                                td {
                                    strong { (line.description.as_str()) }
                                    @if line.quantity > 1 { " × " (line.quantity) }
                                    br; span.muted { (line.sku.as_str()) @if let Some(h) = &line.huid { " · HUID " (h.as_str()) } }
                                }
                                td { (line.purity.label()) }
                                td.num { (line.net_weight) }
                                td.num { (line.rate_per_gram) }
                                td.num { (line.metal_value) }
                                td.num { (line.making_amount) br; span.muted { (making_basis(&line.making_charge)) } }
                                @if stones { td.num { (line.stone_value) } }
                                @if discounts { td.num { (line.discount) } }
                                td.num { (line.taxable_value) }
                            }
                        }
                    }
                }
            }
            dl.totals {
                @if sale.bill_discount.get() > 0 { dt { "Discount on the bill" } dd { "−" (sale.bill_discount) } }
                @if !sale.seller_gst.charges_gst() {
                    dt { "GST" } dd #no-gst { "None: the store is not registered under GST, so this is a bill of supply" }
                } @else {
                    dt { "Taxable value" } dd #taxable { (sale.taxable_value) }
                    @if sale.igst.get() > 0 {
                        dt { "IGST 3%" } dd #igst { (sale.igst) }
                    } @else {
                        dt { "CGST 1.5%" } dd #cgst { (sale.cgst) }
                        dt { "SGST 1.5%" } dd #sgst { (sale.sgst) }
                    }
                }
                dt { "Total" } dd #total { (sale.total) }
                @if sale.round_off.get() != 0 {
                    dt { "Round off" } dd #round-off { (format_round_off(sale.round_off)) }
                }
                dt.grand { "Amount payable" } dd.grand #payable { (payable) }
            }
            h3 { "Payments" }
            @if sale.payments.is_empty() { p.muted { "No payment entered yet." } }
            ul.payments {
                @for p in &sale.payments {
                    li {
                        span { (p.method.label())
                            @if let Some(g) = &p.old_gold { " — " (g.weight) " of " (g.purity.label()) ", less " (g.deduction) " melting" }
                            @if !p.reference.as_str().is_empty() { " · " (p.reference.as_str()) }
                        }
                        strong { (p.amount) }
                    }
                }
            }
            @if sale.change_given.get() > 0 {
                p.change #change {
                    "Cash tendered " strong { (sale.cash_tendered()) }
                    " · Change " strong { (sale.change_given) }
                }
            }
            p.balance #balance {
                @if still_to_pay.get() > 0 { "Still to pay: " strong { (still_to_pay) } }
                @else { "Paid in full." }
            }
        }
    }
}

/// `GET /sales/{id}`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let detail = state
        .crm
        .run(move |crm| crm.sale_detail(&actor, SaleId::from_uuid(id)))
        .await?;
    Ok(render(
        &state,
        &viewer,
        &detail,
        &FormData::default(),
        &FieldErrors::new(),
        params.get("done"),
    ))
}

fn render(
    state: &AppState,
    viewer: &Viewer,
    detail: &SaleDetail,
    draft: &FormData,
    errors: &FieldErrors,
    done: Option<&str>,
) -> Markup {
    let tz = state.crm.config().time_zone();
    let sale = &detail.sale;
    let customer = &detail.customer;
    let returned = |line: usize| -> u32 {
        sale.refunds
            .iter()
            .flat_map(|r| &r.lines)
            .filter(|(l, _)| *l as usize == line)
            .map(|(_, q)| q)
            .sum()
    };
    let needs_form60 = sale.payable() >= PAN_THRESHOLD && customer.pan.is_none();
    let title = match &sale.invoice_no {
        Some(n) => format!("Invoice {}", n.as_str()),
        None => format!("Bill for {}", customer.name.as_str()),
    };
    let actions = html! {
        @if sale.invoice_no.is_some() {
            a.button #print-invoice href=(paths::invoice(sale.id)) { (icon("printer")) "Invoice" }
            a.button href=(paths::invoice_pdf(sale.id)) download { (icon("download")) "PDF" }
        }
        @if sale.status == SaleStatus::Pending {
            a.button #correct-sale href=(paths::edit_sale(sale.id)) { (icon("pencil")) "Correct the bill" }
            button.button.danger #cancel-sale type="button" data-open-dialog="cancel-dialog" { (icon("x")) "Cancel bill" }
        }
    };
    let content = html! {
        @match done {
            Some("created") => div.alert.success role="status" #done-notice { "Bill drawn up. Check it with the customer, then complete the sale." },
            Some("corrected") => div.alert.success role="status" #done-notice { "Bill corrected and re-priced at today's rates. Check it with the customer, then complete the sale." },
            Some("completed") => div.alert.success role="status" #done-notice { "Sale completed. The invoice is ready to print." },
            Some("cancelled") => div.alert.success role="status" #done-notice { "Bill cancelled. Nothing was taken from stock." },
            Some("refunded") => div.alert.success role="status" #done-notice { "Return recorded. The pieces are back in stock." },
            _ => {},
        }
        @if let Some(message) = errors.get("status") { div.alert.error role="alert" { (sentence(message)) } }
        div.cards {
            section.card {
                h2 { "Customer" }
                dl {
                    dt { "Name" } dd { a href=(paths::customer(customer.id)) { (customer.name.as_str()) } " " span.muted { (customer.code()) } }
                    dt { "Mobile" } dd { a href=(format!("tel:{}", customer.phone.e164())) { (customer.phone.to_string()) } }
                    dt { "PAN" } dd { (customer.pan.as_ref().map_or("—", |p| p.as_str())) }
                    @if let Some(f60) = &sale.form60 { dt { "Form 60" } dd { (f60.as_str()) } }
                }
            }
            section.card {
                h2 { "Sale" }
                dl {
                    dt { "Status" } dd { span.badge.(sale.status.as_str().to_lowercase()) #sale-status { (label(sale.status.as_str())) } }
                    dt { "Floor" } dd { (detail.floor_name) }
                    dt { "By" } dd { (detail.staff_name) }
                    dt { "Drawn up" } dd { (when(sale.created_at, &tz)) }
                    @if let Some(at) = sale.completed_at { dt { "Completed" } dd { (when(at, &tz)) } }
                }
                @if detail.kyc_report_due {
                    p.alert.warning #kyc-flag role="status" {
                        "KYC report: this customer's cash purchases this financial year come to " (detail.cash_this_year) " by the end of this bill's day"
                        ", which reaches " (KYC_CASH_THRESHOLD) ". Keep their PAN and ID on file and include them in the annual cash-transaction report."
                    }
                }
            }
        }
        (bill_summary(sale, false))
        (counter_rules::findings(&detail.counter_rules))
        (correct::history(&detail.corrections, &tz))
        @if !sale.notes.as_str().is_empty() { section.card.wide { h2 { "Notes" } p.notes { (sale.notes.as_str()) } } }
        @if sale.status == SaleStatus::Pending {
            form.card.wide #complete-form method="post" action=(paths::complete_sale(sale.id)) novalidate {
                (form_keys(&viewer.csrf))
                h2 { "Complete the sale" }
                p { "Completing takes the pieces out of stock and gives the invoice its number. Check the payments first." }
                @if let Some(message) = errors.get("payments") { p.field-error role="alert" #error-payments { (sentence(message)) } }
                @if let Some(message) = errors.get("lines") { p.field-error role="alert" #error-lines { (sentence(message)) } }
                @if needs_form60 || errors.get("form60_reference").is_some() || errors.get("customer.pan").is_some() {
                    @if let Some(message) = errors.get("customer.pan") { p.field-error role="alert" #error-customer-pan { (sentence(message)) } }
                    (Field::new("form60_reference", "Form 60 reference", draft.get("form60_reference").unwrap_or(""))
                        .hint("This bill is ₹2,00,000 or more and the customer has no PAN on file: take a signed Form 60 and write its reference here, or add the PAN to the customer.")
                        .render(errors))
                }
                div.form-actions { button.button.primary #complete-sale type="submit" { (icon("check")) "Complete sale" } }
            }
            (confirm_dialog("cancel-dialog", "Cancel this bill?", "The bill is kept as cancelled; nothing was taken from stock and no invoice number is used.", &paths::cancel_sale(sale.id), &viewer.csrf, ("Keep the bill", "Cancel the bill")))
        }
        @if sale.status == SaleStatus::Completed {
            form.card.wide #refund-form method="post" action=(paths::refund_sale(sale.id)) novalidate {
                (form_keys(&viewer.csrf))
                h2 { "Take pieces back" }
                @if let Some(message) = errors.get("lines") { p.field-error role="alert" { (sentence(message)) } }
                div.grid {
                @for (i, line) in sale.lines.iter().enumerate() {
                    @let left = line.quantity - returned(i).min(line.quantity);
                    @if left > 0 {
                        @let name = format!("return-{i}");
                        (Field::new(&name, &format!("{} ({}) — pieces coming back, of {left}", line.description.as_str(), line.sku.as_str()), draft.get(&name).unwrap_or("0"))
                            .kind("number").attr("inputmode", "numeric").render(errors))
                    }
                }
                }
                (Field::new("reason", "Reason", draft.get("reason").unwrap_or("")).required().render(errors))
                div.form-actions { button.button #refund-sale type="submit" { (icon("refund")) "Record the return" } }
            }
        }
        @if !sale.refunds.is_empty() {
            section.card.wide #refunds {
                h2 { "Returned" }
                ul { @for r in &sale.refunds { li { (when(r.at, &tz)) ": " (r.amount) " paid back — " (r.reason.as_str()) } } }
            }
        }
    };
    // Completed, cancelled or taken back on another tablet: the page, its title and its
    // buttons follow (not while the completion or return form is being filled in).
    let live = Region::new("sale-live", &[Kind::Sale])
        .about(sale.id.as_uuid())
        .fetched_from(paths::sale(sale.id))
        .with_page_head();
    page(viewer, &title, actions, live.wrap(content))
}

/// After a button on the sale's page: on to the sale with a notice, or the page again
/// with what stopped it.
async fn after_action(
    state: &AppState,
    viewer: &Viewer,
    id: SaleId,
    saved: Result<Sale, Refused>,
    form: &FormData,
    done: &str,
) -> Result<Response, PageError> {
    match saved {
        Ok(sale) => Ok(redirect_to(paths::sale(sale.id).done(done))),
        Err(refused) => {
            let actor = viewer.actor.clone();
            let detail = state
                .crm
                .run(move |crm| crm.sale_detail(&actor, id))
                .await?;
            Ok(refused.show(render(state, viewer, &detail, form, &refused.errors, None)))
        }
    }
}

/// `POST /sales/{id}/complete`
pub async fn complete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = SaleId::from_uuid(id);
    let typed = Typed::ready(CompleteInput {
        form60_reference: form.text("form60_reference"),
    });
    let saved = FormFlow::new(&state, &viewer, typed)
        .conflicts_on("status")
        .save(move |crm, actor, input| crm.complete_sale(actor, id, input))
        .await?;
    after_action(&state, &viewer, id, saved, &form, "completed").await
}

/// `POST /sales/{id}/cancel`
pub async fn cancel(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = SaleId::from_uuid(id);
    let saved = FormFlow::new(&state, &viewer, Typed::ready(()))
        .conflicts_on("status")
        .save(move |crm, actor, ()| crm.cancel_sale(actor, id))
        .await?;
    after_action(&state, &viewer, id, saved, &form, "cancelled").await
}

/// `POST /sales/{id}/refund`: the pieces coming back line by line, and why.
pub async fn refund(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = SaleId::from_uuid(id);
    let typed = Typed::read(|errors| {
        let mut lines = Vec::new();
        for (name, value) in form.pairs() {
            let Some(line) = name
                .strip_prefix("return-")
                .and_then(|l| l.parse::<u32>().ok())
            else {
                continue;
            };
            match value.trim().parse::<u32>() {
                Ok(0) => {}
                Ok(quantity) => lines.push(RefundLineInput { line, quantity }),
                Err(_) => errors.add(name.clone(), "write how many pieces come back, 0 or more"),
            }
        }
        if lines.is_empty() && errors.is_empty() {
            errors.add("lines", "say how many pieces of which line come back");
        }
        RefundInput {
            lines: Some(lines),
            reason: form.get("reason").unwrap_or("").to_owned(),
        }
    });
    // The use case names lines in the order they were sent: `lines[1]` is the second
    // line named, whose form field is `return-<its line>`.
    let order: Vec<u32> = form
        .pairs()
        .iter()
        .filter_map(|(name, value)| {
            let line = name.strip_prefix("return-")?.parse::<u32>().ok()?;
            (value.trim().parse::<u32>().ok()? > 0).then_some(line)
        })
        .collect();
    let saved = FormFlow::new(&state, &viewer, typed)
        .conflicts_on("status")
        .save(move |crm, actor, input| crm.refund_sale(actor, id, input))
        .await?
        .map_err(|mut refused| {
            refused.errors = refund_fields(refused.errors, &order);
            refused
        });
    after_action(&state, &viewer, id, saved, &form, "refunded").await
}

fn refund_fields(found: FieldErrors, order: &[u32]) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, message) in found.iter() {
        let renamed = field
            .strip_prefix("lines[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, _)| order.get(i.parse::<usize>().ok()?))
            .map_or_else(|| field.clone(), |line| format!("return-{line}"));
        out.add(renamed, message.clone());
    }
    out
}
