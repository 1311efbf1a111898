//! The month's GST summary as an A4 PDF for the accountant's file: the B2C summary by
//! place of supply, the HSN summary and the totals that tie them to the sales register
//! (the register itself, invoice by invoice, is in the Excel and CSV files).

use crate::app::{GstSummary, TaxSums};
use crate::domain::Paise;

use super::gst_export::{grams, place_label};
use super::pdf::{Align, Document, MARGIN, PAGE_HEIGHT, RIGHT, Style};

const BODY: Style = Style::regular(8.0);
const STRONG: Style = Style::bold(8.0);
const HEADING: Style = Style::bold(10.0);
const SMALL: Style = Style::regular(7.0);
const ROW: f32 = 14.0;

/// A column of a table: its heading, width and alignment.
type Col = (&'static str, f32, Align);

/// Money columns after the first few: taxable value, CGST, SGST, IGST, total.
const MONEY: [Col; 5] = [
    ("Taxable value", 78.0, Align::Right),
    ("CGST", 62.0, Align::Right),
    ("SGST", 62.0, Align::Right),
    ("IGST", 62.0, Align::Right),
    ("Total", 78.0, Align::Right),
];

fn money_cells(tax: TaxSums) -> [String; 5] {
    [tax.taxable, tax.cgst, tax.sgst, tax.igst, tax.total()].map(|p: Paise| p.to_string())
}

/// Draws a table with its heading row; `strong_last` sets the last row in bold (a total).
fn table(doc: &mut Document, title: &str, cols: &[Col], rows: &[Vec<String>], strong_last: bool) {
    doc.keep_together(ROW * 3.0 + 20.0, &|_| {});
    doc.on_line(MARGIN, Align::Left, HEADING, title);
    doc.y += 16.0;
    let draw_header = |doc: &mut Document| {
        let mut x = MARGIN;
        for (heading, width, align) in cols {
            let at = if *align == Align::Right {
                x + width - 4.0
            } else {
                x
            };
            doc.on_line(at, *align, STRONG, heading);
            x += width;
        }
        doc.y += ROW;
        doc.rule(MARGIN, RIGHT, doc.y - 3.0, 0.5, 0.4);
    };
    draw_header(doc);
    if rows.is_empty() {
        doc.on_line(MARGIN, Align::Left, BODY.muted(), "Nothing in this month.");
        doc.y += ROW;
    }
    for (i, row) in rows.iter().enumerate() {
        if !doc.fits(ROW) {
            doc.new_page();
            draw_header(doc);
        }
        let style = if strong_last && i + 1 == rows.len() {
            STRONG
        } else {
            BODY
        };
        let mut x = MARGIN;
        for ((_, width, align), text) in cols.iter().zip(row) {
            let at = if *align == Align::Right {
                x + width - 4.0
            } else {
                x
            };
            let fitted = style.fitted(text, width - 6.0);
            doc.on_line(at, *align, fitted, text);
            x += width;
        }
        doc.y += ROW;
    }
    doc.y += 12.0;
}

fn heading(doc: &mut Document, summary: &GstSummary) {
    let title = format!("GST summary · {}", summary.month.label());
    doc.on_line(MARGIN, Align::Left, Style::bold(14.0), &title);
    doc.y += 22.0;
    doc.paragraph(MARGIN, RIGHT - MARGIN, STRONG, &summary.store_name);
    let gstin = summary.store_gstin.as_deref().map_or_else(
        || "GSTIN: not registered".to_owned(),
        |g| format!("GSTIN: {g}"),
    );
    let state = summary
        .store_state
        .map_or_else(String::new, |s| format!(" · State: {}", s.label()));
    doc.paragraph(MARGIN, RIGHT - MARGIN, BODY, &format!("{gstin}{state}"));
    let (from, to) = summary.month.span();
    let period = format!(
        "From {from} to {to}: {} invoices, {} credit notes (returns dated in the month). Every bill is B2C: customers do not record a GSTIN. GST on jewellery is 3%.",
        summary.invoices.len(),
        summary.returns.len()
    );
    doc.paragraph(MARGIN, RIGHT - MARGIN, BODY, &period);
    doc.y += 12.0;
}

/// The summary as a PDF file.
pub fn gst_pdf(summary: &GstSummary) -> Vec<u8> {
    let mut doc = Document::new();
    heading(&mut doc, summary);

    let mut b2c_cols: Vec<Col> = vec![
        ("Place of supply", 120.0, Align::Left),
        ("Supply", 61.0, Align::Left),
    ];
    b2c_cols.extend(MONEY);
    let mut b2c: Vec<Vec<String>> = summary
        .b2c
        .iter()
        .map(|row| {
            let supply = if row.inter_state {
                "Inter-state"
            } else {
                "Intra-state"
            };
            let mut cells = vec![place_label(row.place), supply.to_owned()];
            cells.extend(money_cells(row.net()));
            cells
        })
        .collect();
    let b2c_total = summary.b2c_total().unwrap_or_default();
    if !b2c.is_empty() {
        let mut total = vec!["Total".to_owned(), String::new()];
        total.extend(money_cells(b2c_total));
        b2c.push(total);
    }
    table(
        &mut doc,
        "B2C (others), by place of supply, rate 3%",
        &b2c_cols,
        &b2c,
        true,
    );

    let mut hsn_cols: Vec<Col> = vec![
        ("HSN", 40.0, Align::Left),
        ("UQC", 36.0, Align::Left),
        ("Quantity", 105.0, Align::Right),
    ];
    hsn_cols.extend(MONEY);
    let hsn: Vec<Vec<String>> = summary
        .hsn
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.hsn.to_owned(),
                crate::app::HsnRow::UQC.to_owned(),
                grams(row.net_weight),
            ];
            cells.extend(money_cells(row.tax));
            cells
        })
        .collect();
    table(&mut doc, "HSN summary", &hsn_cols, &hsn, false);

    let mut total_cols: Vec<Col> = vec![("Table", 181.0, Align::Left)];
    total_cols.extend(MONEY);
    let invoices = TaxSums::sum(summary.invoices.iter().map(|r| r.tax)).unwrap_or_default();
    let returns = TaxSums::sum(summary.returns.iter().map(|r| r.tax)).unwrap_or_default();
    let line = |name: &str, tax: TaxSums| {
        let mut cells = vec![name.to_owned()];
        cells.extend(money_cells(tax));
        cells
    };
    let totals = vec![
        line("Invoices", invoices),
        line(
            "Credit notes (returns)",
            TaxSums::default().minus(returns).unwrap_or_default(),
        ),
        line(
            "Sales register",
            summary.register_total().unwrap_or_default(),
        ),
        line("B2C summary", b2c_total),
        line("HSN summary", summary.hsn_total().unwrap_or_default()),
    ];
    table(&mut doc, "Totals", &total_cols, &totals, false);

    footers(&mut doc, summary);
    doc.finish(&format!("GST summary {}", summary.month.code()))
}

fn footers(doc: &mut Document, summary: &GstSummary) {
    let pages = doc.page_count();
    let baseline = PAGE_HEIGHT - 30.0;
    let style = SMALL.muted();
    for page in 0..pages {
        doc.go_to_page(page);
        doc.rule(MARGIN, RIGHT, baseline - 10.0, 0.4, 0.6);
        doc.text(MARGIN, baseline, Align::Left, style, &summary.store_name);
        let count = format!(
            "GST summary {} · page {} of {pages}",
            summary.month.code(),
            page + 1
        );
        doc.text(RIGHT, baseline, Align::Right, style, &count);
    }
}
