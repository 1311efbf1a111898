//! The GST summary page's tables: B2C by place of supply, HSN, the totals that tie the
//! three together, and the sales register with its credit notes, each invoice linking
//! to its sale. Amounts are exact to the paisa, as the accountant files them.

use maud::{Markup, html};

use crate::app::{GstSummary, HsnRow, TaxSums};
use crate::domain::Paise;
use crate::reports::gst_export::{GstCsv, grams, place_label};
use crate::web::paths;

/// How many invoices (and returns) the page lists: a big store makes tens of thousands
/// a month, too many for a tablet's page; the files hold every one.
const ROWS_SHOWN: usize = 300;

/// Says that the table lists the first rows only, and where the rest are.
fn first_rows_note(shown: usize, total: usize) -> Markup {
    html! {
        @if total > shown {
            p.sub.rows-note {
                "The first " (shown) " of " (crate::domain::group_indian(total as u64))
                " are listed here; the Excel and CSV files hold every one."
            }
        }
    }
}

/// The five amount headings every table shares.
fn tax_heads() -> Markup {
    html! {
        th.num scope="col" { "Taxable value" }
        th.num scope="col" { "CGST" }
        th.num scope="col" { "SGST" }
        th.num scope="col" { "IGST" }
        th.num scope="col" { "Total" }
    }
}

fn tax_cells(tax: TaxSums) -> Markup {
    html! {
        td.num data-label="Taxable value" { (tax.taxable) }
        td.num data-label="CGST" { (tax.cgst) }
        td.num data-label="SGST" { (tax.sgst) }
        td.num data-label="IGST" { (tax.igst) }
        td.num data-label="Total" { (tax.total()) }
    }
}

fn negated(tax: TaxSums) -> TaxSums {
    TaxSums::default().minus(tax).unwrap_or_default()
}

/// A link to one of the month's CSV files.
fn csv_link(summary: &GstSummary, which: GstCsv, label: &str) -> Markup {
    let link = paths::gst_report_csv()
        .with("month", summary.month.code())
        .with("table", which.name());
    html! { a.button.csv-link href=(link) download { "CSV: " (label) } }
}

/// What was sold less returned in each place of supply.
pub(super) fn b2c_table(summary: &GstSummary) -> Markup {
    html! {
        section.card.wide.report-section #b2c {
            h2 { "B2C (others) by place of supply · GST 3%" }
            @if summary.b2c.is_empty() {
                p.sub { "No sales or returns in this month." }
            } @else {
                div.table-scroll {
                    table.list.report-table {
                        thead { tr { th scope="col" { "Place of supply" } th scope="col" { "Supply" } (tax_heads()) } }
                        tbody {
                            @for row in &summary.b2c {
                                tr {
                                    th scope="row" { (place_label(row.place)) }
                                    td { @if row.inter_state { "Inter-state (IGST)" } @else { "Intra-state (CGST + SGST)" } }
                                    (tax_cells(row.net()))
                                }
                            }
                        }
                        tfoot { tr { th scope="row" colspan="2" { "Total" } (tax_cells(summary.b2c_total().unwrap_or_default())) } }
                    }
                }
            }
            p { (csv_link(summary, GstCsv::B2c, "B2C summary")) }
        }
    }
}

/// Each HSN code in use with its quantity in grams.
pub(super) fn hsn_table(summary: &GstSummary) -> Markup {
    html! {
        section.card.wide.report-section #hsn {
            h2 { "HSN summary" }
            @if summary.hsn.is_empty() {
                p.sub { "No sales or returns in this month." }
            } @else {
                div.table-scroll {
                    table.list.report-table {
                        thead { tr { th scope="col" { "HSN" } th scope="col" { "Description" } th scope="col" { "UQC" } th.num scope="col" { "Quantity" } (tax_heads()) } }
                        tbody {
                            @for row in &summary.hsn {
                                tr {
                                    th scope="row" { (row.hsn) }
                                    td { (row.description) }
                                    td { (HsnRow::UQC) }
                                    td.num data-label="Quantity" { (grams(row.net_weight)) }
                                    (tax_cells(row.tax))
                                }
                            }
                        }
                    }
                }
            }
            p { (csv_link(summary, GstCsv::Hsn, "HSN summary")) }
        }
    }
}

/// The register's, the B2C summary's and the HSN summary's totals side by side.
pub(super) fn totals(summary: &GstSummary) -> Markup {
    let register = summary.register_total().unwrap_or_default();
    let b2c = summary.b2c_total().unwrap_or_default();
    let hsn = summary.hsn_total().unwrap_or_default();
    let agree = register == b2c && b2c == hsn;
    let sold = TaxSums::sum(summary.invoices.iter().map(|r| r.tax)).unwrap_or_default();
    let back = TaxSums::sum(summary.returns.iter().map(|r| r.tax)).unwrap_or_default();
    html! {
        section.card.wide.report-section #totals {
            h2 { "Totals" }
            div.table-scroll {
                table.list.report-table {
                    thead { tr { th scope="col" { "Table" } th.num scope="col" { "Rows" } (tax_heads()) } }
                    tbody {
                        tr { th scope="row" { "Invoices" } td.num { (summary.invoices.len()) } (tax_cells(sold)) }
                        tr { th scope="row" { "Credit notes (returns)" } td.num { (summary.returns.len()) } (tax_cells(negated(back))) }
                        tr.gst-total { th scope="row" { "Sales register" } td.num { (summary.invoices.len() + summary.returns.len()) } (tax_cells(register)) }
                        tr.gst-total { th scope="row" { "B2C summary" } td.num { (summary.b2c.len()) } (tax_cells(b2c)) }
                        tr.gst-total { th scope="row" { "HSN summary" } td.num { (summary.hsn.len()) } (tax_cells(hsn)) }
                    }
                }
            }
            @if agree {
                p #gst-tie-out { "The register, the B2C summary and the HSN summary agree to the paisa." }
            } @else {
                p.field-error #gst-tie-out role="alert" {
                    "The tables do not agree: the store's figures need working out again. Tell the technician."
                }
            }
            p.sub {
                "Customers paid " (summary.invoiced_payable()) " on the month's invoices, round-off included; "
                (summary.returned_amount()) " was paid back on its returns."
            }
        }
    }
}

/// Every invoice completed in the month, in the order they were issued.
pub(super) fn invoices(summary: &GstSummary) -> Markup {
    html! {
        section.card.wide.report-section #register {
            h2 { "Sales register · " (count(summary.invoices.len(), "invoice", "invoices")) }
            @if summary.invoices.is_empty() {
                p.sub { "No invoices in this month." }
            } @else {
                div.table-scroll.gst-register {
                    table.list.report-table {
                        thead { tr {
                            th scope="col" { "Invoice no." } th scope="col" { "Date" } th scope="col" { "Customer" }
                            th scope="col" { "Place of supply" } (tax_heads())
                            th.num scope="col" { "Round-off" } th.num scope="col" { "Paid" } th scope="col" { "Status" }
                        } }
                        tbody {
                            @for row in summary.invoices.iter().take(ROWS_SHOWN) {
                                tr {
                                    th scope="row" { a href=(paths::sale(row.sale_id)) { (row.invoice_no) } }
                                    td { (row.date) }
                                    td { (row.customer) }
                                    td { (place_label(row.place_of_supply)) }
                                    (tax_cells(row.tax))
                                    td.num { (row.round_off) }
                                    td.num { (row.payable) }
                                    td { (row.status) }
                                }
                            }
                        }
                    }
                }
            }
            (first_rows_note(ROWS_SHOWN, summary.invoices.len()))
            p { (csv_link(summary, GstCsv::Register, "register with credit notes")) }
        }
    }
}

/// Every return made in the month, against the invoice it came from, negative.
pub(super) fn credit_notes(summary: &GstSummary) -> Markup {
    html! {
        section.card.wide.report-section #credit-notes {
            h2 { "Credit notes · " (count(summary.returns.len(), "return", "returns")) }
            @if summary.returns.is_empty() {
                p.sub { "No returns in this month." }
            } @else {
                div.table-scroll.gst-register {
                    table.list.report-table {
                        thead { tr {
                            th scope="col" { "Invoice no." } th scope="col" { "Invoice date" } th scope="col" { "Return date" }
                            th scope="col" { "Customer" } th scope="col" { "Place of supply" } (tax_heads())
                            th.num scope="col" { "Paid back" }
                        } }
                        tbody {
                            @for row in summary.returns.iter().take(ROWS_SHOWN) {
                                tr {
                                    th scope="row" { a href=(paths::sale(row.sale_id)) { (row.invoice_no) } }
                                    td { (row.invoiced_on) }
                                    td { (row.date) }
                                    td { (row.customer) }
                                    td { (place_label(row.place_of_supply)) }
                                    (tax_cells(negated(row.tax)))
                                    td.num { (Paise::new(row.amount.get().saturating_neg())) }
                                }
                            }
                        }
                    }
                }
            }
            (first_rows_note(ROWS_SHOWN, summary.returns.len()))
        }
    }
}

/// `1 invoice`, `2 invoices`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
