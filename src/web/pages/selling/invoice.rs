//! The printable invoice (`/sales/{id}/invoice`): a GST tax invoice, or a bill of
//! supply without GST from a store not registered; an A4 page, or an 80 mm
//! thermal-roll slip with `?paper=roll`. It says what the PDF says, from the same
//! [`Invoice`]; the toolbar on screen is not printed. The store's logo heads the
//! seller's block when there is one.

use axum::extract::State;
use maud::{DOCTYPE, Markup, html};

use crate::app::{HSN_JEWELLERY, Invoice, NOT_REGISTERED_NOTE};
use crate::domain::{SaleId, StoredFile, format_date, format_round_off};
use crate::web::AppState;
use crate::web::assets;
use crate::web::pages::selling::sale_page::making_basis;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::session::{PageId, Params, Viewer};
use crate::web::paths;

/// `GET /sales/{id}/invoice`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let roll = params.get("paper") == Some("roll");
    let actor = viewer.actor.clone();
    let invoice = state
        .crm
        .run(move |crm| crm.invoice(&actor, SaleId::from_uuid(id)))
        .await?;
    Ok(render(&invoice, roll))
}

/// The logo copy each paper prints: on A4 it stands up to 60 mm wide, where the
/// 640 px copy gives about 270 dpi; the roll's 40 mm at a thermal head's 203 dpi needs
/// 320. A single copy rather than `srcset`: a browser picks from `srcset` for the
/// screen, and a print would come out at the screen's sharpness.
fn logo_image(logo: &StoredFile, roll: bool) -> Markup {
    let Some(copy) = logo.copy_for(if roll { 320 } else { 640 }) else {
        return html! {};
    };
    html! {
        img.invoice-logo #invoice-logo src=(paths::media(copy.content, copy.file_type))
            width=(copy.width) height=(copy.height) alt="";
    }
}

fn render(invoice: &Invoice, roll: bool) -> Markup {
    let sale = &invoice.sale;
    let store = &invoice.store;
    let customer = &invoice.customer;
    let address = customer.address.lines();
    let taxed = !invoice.is_bill_of_supply();
    let title = if taxed {
        format!("Invoice {}", invoice.number())
    } else {
        format!("Bill of supply {}", invoice.number())
    };
    html! {
        (DOCTYPE)
        html lang="en-IN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (store.name.as_str()) }
                link rel="icon" href=(paths::FAVICON_SVG) type="image/svg+xml";
                link rel="stylesheet" href=(assets::url("fonts.css"));
                link rel="stylesheet" href=(assets::url("invoice.css"));
                // One paper's stylesheet, so one `@page` rule decides the printed page size.
                @if roll { link rel="stylesheet" href=(assets::url("invoice-roll.css")); }
                @else { link rel="stylesheet" href=(assets::url("invoice-a4.css")); }
                script src=(assets::url("app.js")) defer {}
            }
            body.invoice-page.roll[roll] {
                nav.invoice-toolbar aria-label="Invoice" {
                    a.button href=(paths::sale(sale.id)) { (icon("chevron-left")) "Back to the sale" }
                    button.button.primary #print type="button" data-print { (icon("printer")) "Print" }
                    @if roll { a.button href=(paths::invoice(sale.id)) { "A4 page" } }
                    @else { a.button href=(paths::invoice(sale.id).with("paper", "roll")) { "80 mm roll" } }
                    a.button href=(paths::invoice_pdf(sale.id)) download { (icon("download")) "PDF" }
                }
                article.invoice #invoice {
                    header.invoice-head {
                        div.seller {
                            @if let Some(logo) = &invoice.logo { (logo_image(logo, roll)) }
                            h1 { (store.name.as_str()) }
                            @if !store.address.as_str().is_empty() { p { (store.address.as_str()) } }
                            @if taxed {
                                p { "GSTIN: " strong #store-gstin { (invoice.seller_gstin().map_or("not registered", |g| g.as_str())) } }
                            } @else {
                                p #not-registered { (NOT_REGISTERED_NOTE) }
                            }
                            p { "State: " (invoice.store_state) }
                        }
                        div.doc {
                            h2 #invoice-title { (invoice.title()) }
                            dl {
                                dt { @if taxed { "Invoice no." } @else { "Bill no." } } dd #invoice-no { (invoice.number()) }
                                dt { "Date" } dd { (format_date(invoice.issued_on)) }
                                dt { "Place of supply" } dd { (invoice.place_of_supply) }
                                dt { "Floor" } dd { (invoice.floor_name) }
                                dt { "Salesperson" } dd { (invoice.staff_name) }
                            }
                        }
                    }
                    section.buyer {
                        h3 { "Bill to" }
                        p { strong #buyer-name { (customer.name.as_str()) } " (" (customer.code()) ")" }
                        p { (customer.phone.to_string()) }
                        @for line in &address { p { (line) } }
                        @if let Some(pin) = &customer.address.pincode { p { "PIN " (pin.as_str()) } }
                        @if let Some(pan) = &customer.pan { p { "PAN: " (pan.masked()) } }
                        @if let Some(f60) = &sale.form60 { p { "Form 60: " (f60.as_str()) } }
                    }
                    table.lines {
                        thead { tr {
                            th { "#" } th { "Description" } @if taxed { th { "HSN" } } th { "Purity" } th.num { "Qty" }
                            th.num { "Gross wt" } th.num { "Net wt" } th.num { "Rate / g" } th.num { "Metal value" }
                            th.num { "Making" } th.num { "Stones" } th.num { "Discount" } th.num { @if taxed { "Taxable value" } @else { "Value" } }
                        } }
                        tbody {
                            @for (i, line) in sale.lines.iter().enumerate() {
                                tr {
                                    td data-label="#" { (i + 1) }
                                    td.desc data-label="Description" {
                                        (line.description.as_str()) br;
                                        span.small { (line.sku.as_str()) @if let Some(h) = &line.huid { " · HUID " (h.as_str()) } }
                                    }
                                    @if taxed { td data-label="HSN" { (HSN_JEWELLERY) } }
                                    td data-label="Purity" { (line.purity.label()) }
                                    td.num data-label="Qty" { (line.quantity) }
                                    td.num data-label="Gross wt" { (line.gross_weight) }
                                    td.num data-label="Net wt" { (line.net_weight) }
                                    td.num data-label="Rate / g" { (line.rate_per_gram) }
                                    td.num data-label="Metal value" { (line.metal_value) }
                                    td.num data-label="Making" { span { (line.making_amount) br; span.small { (making_basis(&line.making_charge)) } } }
                                    td.num data-label="Stones" { (line.stone_value) }
                                    td.num data-label="Discount" { (line.discount) }
                                    td.num data-label=(if taxed { "Taxable value" } else { "Value" }) { (line.taxable_value) }
                                }
                            }
                        }
                    }
                    div.invoice-foot {
                        section.payments {
                            h3 { "Payment received" }
                            table {
                                @for p in &sale.payments {
                                    tr {
                                        td {
                                            (p.method.label())
                                            @if let Some(g) = &p.old_gold { br; span.small { (g.weight) " " (g.purity.label()) ", less " (g.deduction) } }
                                            @if !p.reference.as_str().is_empty() { br; span.small { (p.reference.as_str()) } }
                                        }
                                        td.num { (p.amount) }
                                    }
                                }
                            }
                            @if sale.change_given.get() > 0 {
                                p.small #invoice-change { "Cash tendered " (sale.cash_tendered()) " · Change " (sale.change_given) }
                            }
                            @for (r, day) in sale.refunds.iter().zip(&invoice.refunded_on) {
                                p.small { "Returned on " (format_date(*day)) ": " (r.amount) " paid back." }
                            }
                        }
                        table.totals {
                            @if sale.bill_discount.get() > 0 { tr { th { "Discount on the bill" } td.num { "−" (sale.bill_discount) } } }
                            // A bill of supply carries no tax lines: its value is its total.
                            @if taxed {
                                tr { th { "Taxable value" } td.num { (sale.taxable_value) } }
                                @if invoice.is_intra_state() {
                                    tr { th { "CGST 1.5%" } td.num #invoice-cgst { (sale.cgst) } }
                                    tr { th { "SGST 1.5%" } td.num #invoice-sgst { (sale.sgst) } }
                                } @else {
                                    tr { th { "IGST 3%" } td.num #invoice-igst { (sale.igst) } }
                                }
                            }
                            tr { th { "Total" } td.num #invoice-total { (sale.total) } }
                            @if sale.round_off.get() != 0 {
                                tr { th { "Round off" } td.num #invoice-round-off { (format_round_off(sale.round_off)) } }
                            }
                            tr.grand { th { "Amount payable" } td.num #invoice-payable { (sale.payable()) } }
                        }
                    }
                    p.words #amount-in-words { (invoice.amount_in_words) }
                    footer {
                        p.small { "We declare that this " (if taxed { "invoice" } else { "bill" }) " shows the actual price of the goods described and that all particulars are true and correct. This is a computer-generated " (if taxed { "invoice" } else { "bill" }) "." }
                        div.sign { p { "For " (store.name.as_str()) } p.line { "Authorised signatory" } }
                    }
                }
            }
        }
    }
}
