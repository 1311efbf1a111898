//! The invoice of a completed sale as an A4 PDF, from the same
//! [`Invoice`](crate::app::Invoice) the printable page is drawn from: the seller, the
//! buyer, the lines, the tax, the payments, any returns, and the declaration. A store
//! not registered under GST gets a bill of supply: no GSTIN, HSN or tax lines. The
//! store's logo, when it has one, stands at the top left beside the title; without one
//! the page is laid out exactly as before logos existed.

use crate::app::{Invoice, NOT_REGISTERED_NOTE};
use crate::domain::{Paise, format_date, format_round_off};

use super::invoice_payments::{payments, refunds};
use super::invoice_table;
use super::pdf::{Align, Document, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, RIGHT, Style};
use super::pdf_image::PdfImage;

pub(super) const BODY: Style = Style::regular(8.0);
pub(super) const LABEL: Style = Style::regular(8.0).muted();
pub(super) const STRONG: Style = Style::bold(8.0);
pub(super) const HEADING: Style = Style::bold(9.0);
const SMALL: Style = Style::regular(7.0);
/// Where the right-hand column of the top block (invoice number, date…) starts.
const DETAILS_X: f32 = 330.0;
const DETAILS_VALUE_X: f32 = 410.0;
/// The totals block's width, against the right margin.
pub(super) const TOTALS_WIDTH: f32 = 230.0;
/// The box the logo is fitted into: letterhead size, clear of the centred title.
const LOGO_MAX_WIDTH: f32 = 150.0;
const LOGO_MAX_HEIGHT: f32 = 44.0;

/// The invoice as a PDF file: one A4 page for an ordinary bill, more when its lines run
/// over, each page carrying the invoice number and "page n of m".
pub fn invoice_pdf(invoice: &Invoice) -> Vec<u8> {
    let mut doc = Document::new();
    let continued = |doc: &mut Document| continued_heading(doc, invoice);
    heading(&mut doc, invoice);
    bill_to(&mut doc, invoice);
    doc.y += 6.0;
    let columns = if invoice.is_bill_of_supply() {
        invoice_table::Columns::BillOfSupply
    } else {
        invoice_table::Columns::TaxInvoice
    };
    invoice_table::draw_lines(&mut doc, columns, &invoice.sale.lines, &continued);
    totals(&mut doc, invoice, &continued);
    payments(&mut doc, &invoice.sale, &continued);
    refunds(&mut doc, invoice, &continued);
    declaration(&mut doc, invoice, &continued);
    running_footers(&mut doc, invoice);
    doc.finish(&format!("{} {}", invoice.title(), invoice.number()))
}

fn heading(doc: &mut Document, invoice: &Invoice) {
    let title = Style::bold(14.0);
    let heading = invoice.title().to_uppercase();
    // The title stands in the middle of the logo's height; with no logo the band is
    // empty and the title sits where it always did.
    let band = logo(doc, invoice);
    let band_top = doc.y;
    doc.y += ((band - title.line_height()) / 2.0).max(0.0);
    doc.on_line(PAGE_WIDTH / 2.0, Align::Center, title, &heading);
    doc.y = band_top + if band > 0.0 { band + 10.0 } else { 22.0 };
    let top = doc.y;

    let store = &invoice.store;
    let left_width = DETAILS_X - MARGIN - 12.0;
    doc.paragraph(MARGIN, left_width, Style::bold(12.0), store.name.as_str());
    doc.y += 2.0;
    if !store.address.is_empty() {
        doc.paragraph(MARGIN, left_width, BODY, store.address.as_str());
    }
    if invoice.is_bill_of_supply() {
        doc.paragraph(MARGIN, left_width, STRONG, NOT_REGISTERED_NOTE);
    } else {
        let gstin = invoice.seller_gstin().map_or_else(
            || "GSTIN: not registered".to_owned(),
            |g| format!("GSTIN: {g}"),
        );
        doc.paragraph(MARGIN, left_width, STRONG, &gstin);
    }
    let state = format!("State: {}", invoice.store_state);
    doc.paragraph(MARGIN, left_width, BODY, &state);
    let left_bottom = doc.y;

    doc.y = top;
    let number_label = if invoice.is_bill_of_supply() {
        "Bill no."
    } else {
        "Invoice no."
    };
    let details = [
        (number_label, invoice.number().to_owned()),
        ("Date", format_date(invoice.issued_on)),
        ("Place of supply", invoice.place_of_supply.clone()),
        ("Floor", invoice.floor_name.clone()),
        ("Salesperson", invoice.staff_name.clone()),
    ];
    for (i, (label, value)) in details.iter().enumerate() {
        let style = if i == 0 { STRONG } else { BODY };
        doc.on_line(DETAILS_X, Align::Left, LABEL, label);
        doc.paragraph(DETAILS_VALUE_X, RIGHT - DETAILS_VALUE_X, style, value);
        doc.y += 1.0;
    }
    doc.y = doc.y.max(left_bottom) + 8.0;
    doc.rule(MARGIN, RIGHT, doc.y, 0.8, 0.0);
    doc.y += 8.0;
}

/// Draws the store's logo in the top-left corner, fitted into its box, and answers
/// its height (0 without a logo, or with one that cannot be read).
fn logo(doc: &mut Document, invoice: &Invoice) -> f32 {
    let Some(logo) = &invoice.logo_image else {
        return 0.0;
    };
    let Some(image) = PdfImage::new(logo.copy.file_type, &logo.bytes) else {
        return 0.0;
    };
    let (w, h) = (image.width as f32, image.height as f32);
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let scale = (LOGO_MAX_WIDTH / w).min(LOGO_MAX_HEIGHT / h);
    let (width, height) = (w * scale, h * scale);
    doc.image(image, MARGIN, doc.y, width, height);
    height
}

/// The top of every page after the first.
fn continued_heading(doc: &mut Document, invoice: &Invoice) {
    let heading = format!("{} (continued)", invoice.title().to_uppercase());
    doc.on_line(MARGIN, Align::Left, HEADING, &heading);
    let right = format!(
        "{} · {} · {}",
        invoice.store.name,
        invoice.number(),
        format_date(invoice.issued_on)
    );
    doc.on_line(RIGHT, Align::Right, BODY, &right);
    doc.y += 16.0;
    doc.rule(MARGIN, RIGHT, doc.y, 0.8, 0.0);
    doc.y += 8.0;
}

fn bill_to(doc: &mut Document, invoice: &Invoice) {
    let customer = &invoice.customer;
    let width = RIGHT - MARGIN;
    doc.paragraph(MARGIN, width, LABEL, "Bill to");
    doc.paragraph(MARGIN, width, Style::bold(10.0), customer.name.as_str());
    let who = format!("Customer {} · Phone {}", customer.code(), customer.phone);
    doc.paragraph(MARGIN, width, BODY, &who);
    let address = &customer.address;
    let place: Vec<&str> = [&address.locality, &address.city, &address.state]
        .into_iter()
        .map(|part| part.as_str())
        .filter(|part| !part.is_empty())
        .collect();
    let mut last = place.join(", ");
    if let Some(pin) = &address.pincode {
        last = format!("{last} {pin}").trim().to_owned();
    }
    for line in [address.line1.as_str(), address.line2.as_str(), &last] {
        if !line.is_empty() {
            doc.paragraph(MARGIN, width, BODY, line);
        }
    }
    let mut ids = Vec::new();
    if let Some(pan) = &customer.pan {
        ids.push(format!("PAN: {}", pan.masked()));
    }
    if let Some(form60) = &invoice.sale.form60 {
        ids.push(format!("Form 60: {form60}"));
    }
    if !ids.is_empty() {
        doc.paragraph(MARGIN, width, BODY, &ids.join(" · "));
    }
}

/// Taxable value, the GST split, the total and its round-off, the amount payable and
/// the amount in words.
fn totals(doc: &mut Document, invoice: &Invoice, continued: &dyn Fn(&mut Document)) {
    let sale = &invoice.sale;
    let mut rows: Vec<(&str, String)> = Vec::new();
    if sale.bill_discount.get() > 0 {
        let lines: i64 = sale.lines.iter().map(|l| l.taxable_value.get()).sum();
        rows.push(("Total of lines", Paise::new(lines).to_string()));
        rows.push(("Less bill discount", format!("−{}", sale.bill_discount)));
    }
    // A bill of supply carries no tax lines: the value of the goods is the total.
    if invoice.is_bill_of_supply() {
        rows.push(("Value of goods", sale.total.to_string()));
    } else {
        rows.push(("Taxable value", sale.taxable_value.to_string()));
        if invoice.is_intra_state() {
            rows.push(("CGST @ 1.5%", sale.cgst.to_string()));
            rows.push(("SGST @ 1.5%", sale.sgst.to_string()));
        } else {
            rows.push(("IGST @ 3%", sale.igst.to_string()));
        }
    }
    // The tax stays exact; the round-off line takes the total to the amount payable.
    if sale.round_off.get() != 0 {
        rows.push(("Total", sale.total.to_string()));
        rows.push(("Round off", format_round_off(sale.round_off)));
    }
    let grand = Style::bold(11.0);
    let words = format!("Amount in words: {}", invoice.amount_in_words);
    let words_lines = STRONG.wrap(&words, RIGHT - MARGIN).len() as f32;
    let height = rows.len() as f32 * BODY.line_height()
        + grand.line_height()
        + words_lines * STRONG.line_height();
    doc.keep_together(height + 24.0, continued);

    doc.y += 6.0;
    let left = RIGHT - TOTALS_WIDTH;
    for (label, value) in &rows {
        doc.on_line(left, Align::Left, BODY, label);
        doc.on_line(RIGHT, Align::Right, BODY, value);
        doc.y += BODY.line_height();
    }
    doc.y += 3.0;
    doc.rule(left, RIGHT, doc.y, 0.8, 0.0);
    doc.y += 1.0;
    doc.on_line(left, Align::Left, grand, "Amount payable");
    doc.on_line(RIGHT, Align::Right, grand, &sale.payable().to_string());
    doc.y += grand.line_height() + 4.0;
    doc.paragraph(MARGIN, RIGHT - MARGIN, STRONG, &words);
}

const DECLARATION: &str = "We declare that this invoice shows the actual price of the goods \
    described and that all particulars are true and correct.";
const DECLARATION_OF_BILL: &str = "We declare that this bill shows the actual price of the \
    goods described and that all particulars are true and correct.";

/// The declaration on the left; "For <store>" and the signatory's line on the right.
fn declaration(doc: &mut Document, invoice: &Invoice, continued: &dyn Fn(&mut Document)) {
    doc.keep_together(78.0, continued);
    doc.y += 14.0;
    let top = doc.y;
    let half = (RIGHT - MARGIN) / 2.0;
    doc.paragraph(MARGIN, half - 20.0, STRONG, "Declaration");
    let declaration = if invoice.is_bill_of_supply() {
        DECLARATION_OF_BILL
    } else {
        DECLARATION
    };
    doc.paragraph(MARGIN, half - 20.0, BODY, declaration);

    doc.y = top;
    let signature = format!("For {}", invoice.store.name);
    doc.paragraph(MARGIN + half + 20.0, half - 20.0, STRONG, &signature);
    doc.y += 34.0;
    doc.rule(RIGHT - 150.0, RIGHT, doc.y, 0.5, 0.3);
    doc.y += 2.0;
    doc.on_line(RIGHT, Align::Right, LABEL, "Authorised signatory");
}

/// "This is a computer-generated invoice." (or bill) and "page n of m" under every page.
fn running_footers(doc: &mut Document, invoice: &Invoice) {
    let number = invoice.number();
    let note = if invoice.is_bill_of_supply() {
        "This is a computer-generated bill."
    } else {
        "This is a computer-generated invoice."
    };
    let pages = doc.page_count();
    let baseline = PAGE_HEIGHT - 30.0;
    let style = SMALL.muted();
    for page in 0..pages {
        doc.go_to_page(page);
        doc.rule(MARGIN, RIGHT, baseline - 10.0, 0.4, 0.6);
        doc.text(MARGIN, baseline, Align::Left, style, note);
        let count = format!("{number} · page {} of {pages}", page + 1);
        doc.text(RIGHT, baseline, Align::Right, style, &count);
    }
}

#[cfg(test)]
#[path = "invoice_pdf_tests.rs"]
pub(super) mod tests;
