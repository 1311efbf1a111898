//! The opening report's tables: every summary line for the day, month and year beside
//! last year; the day book; floors and salespeople; metal and purity; old gold; top
//! categories and products. Each figure links to the sales register or the records
//! behind it.

use jiff::civil::Date;
use maud::{Markup, html};

use super::opening::money;
use crate::app::figures::PeopleSums;
use crate::app::{Named, OpeningReport, SpanKind, SpanReport, TOP_ITEMS};
use crate::reports::amounts::{change_text, percent_text};
use crate::reports::{LineKind, SummaryLine};
use crate::web::paths::{self, Link};

/// The sales register from `from` to `to`.
pub(super) fn register(from: Date, to: Date) -> Link {
    paths::sales().with("from", from).with("to", to)
}

fn cell(line: SummaryLine, figures: &crate::app::figures::PeriodFigures) -> Markup {
    match line.kind() {
        LineKind::Money => money(line.value(figures)),
        LineKind::Weight | LineKind::Count => html! { (line.text(figures)) },
    }
}

/// Every summary line for each span and the same dates last year.
pub(super) fn comparison(report: &OpeningReport) -> Markup {
    html! {
        section.card.wide.report-section #comparison {
            h2 { "Beside the same dates last year" }
            div.table-scroll {
                table.list.report-table {
                    thead {
                        tr {
                            th scope="col" { span.visually-hidden { "Figure" } }
                            @for span in &report.spans {
                                th.num scope="col" { (span.kind.title()) }
                                th.num scope="col" { "Last year" }
                                th.num scope="col" { span.visually-hidden { "Change" } "±" }
                            }
                        }
                    }
                    tbody {
                        @for line in SummaryLine::ALL {
                            tr {
                                th scope="row" { (line.label()) }
                                @for span in &report.spans {
                                    @let (this, last) = (line.value(&span.this), line.value(&span.last_year));
                                    td.num {
                                        a href=(register(span.this.from, span.this.to)) { (cell(line, &span.this)) }
                                    }
                                    td.num.muted { (cell(line, &span.last_year)) }
                                    td.num.change.up[this > last].down[this < last] { (change_text(this, last)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn people_table<Id: Copy>(
    caption: &str,
    id: &str,
    rows: &[Named<Id, PeopleSums>],
    link: impl Fn(Id) -> Link,
) -> Markup {
    html! {
        div.card.report-section #(id) {
            h3 { (caption) }
            @if rows.is_empty() {
                p.empty { "Nothing logged or sold." }
            } @else {
                div.table-scroll {
                    table.list.report-table {
                        thead { tr {
                            th scope="col" { "Name" }
                            th.num scope="col" { "Walk-ins" }
                            th.num scope="col" { "Bills" }
                            th.num scope="col" { "Conversion" }
                            th.num scope="col" { "Value" }
                            th.num scope="col" { "Refunded" }
                        } }
                        tbody {
                            @for row in rows {
                                @let s = &row.sums;
                                tr {
                                    th scope="row" { a href=(link(row.id)) { (row.name) } }
                                    td.num { (s.walk_ins) }
                                    td.num { (s.bills) }
                                    td.num { (s.conversion_bp().map_or_else(|| "–".to_owned(), percent_text)) }
                                    td.num { (money(s.payable.get())) }
                                    td.num { (money(s.refunded.get())) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn day_book(span: &SpanReport) -> Markup {
    let (from, to) = (span.this.from, span.this.to);
    html! {
        section.card.report-section #day-book {
            h2 { "Day book" }
            p.sub { "Money received by mode on bills completed that day; cash is what was kept after change." }
            table.list.report-table {
                thead { tr {
                    th scope="col" { "Mode" }
                    th.num scope="col" { "Payments" }
                    th.num scope="col" { "Amount" }
                } }
                tbody {
                    @for (method, sums) in &span.this.payments {
                        tr {
                            th scope="row" {
                                a href=(register(from, to).with("payment", method.as_str())) { (method.label()) }
                            }
                            td.num { (sums.payments) }
                            td.num { (sums.amount.to_string()) }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Cash in hand" }
                    td {}
                    td.num { strong #day-book-cash { (span.this.cash().to_string()) } }
                } }
            }
        }
    }
}

fn purities(report: &OpeningReport) -> Markup {
    html! {
        section.card.report-section #purities {
            h2 { "Metal and purity sold" }
            div.table-scroll {
                table.list.report-table {
                    thead { tr {
                        th scope="col" { "Purity" }
                        @for span in &report.spans {
                            th.num scope="col" { (span.kind.title()) }
                        }
                    } }
                    tbody {
                        @for (purity, _) in report.spans.last().map_or(&[][..], |s| &s.this.by_purity[..]) {
                            tr {
                                th scope="row" { (purity.metal().label()) " " (purity.label()) }
                                @for span in &report.spans {
                                    @let sums = span.this.by_purity.iter().find(|(p, _)| p == purity).map(|(_, s)| *s).unwrap_or_default();
                                    td.num { (sums.net.to_string()) br; span.sub { (sums.pieces) " pcs" } }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Old gold taken in" }
            table.list.report-table {
                thead { tr {
                    th scope="col" { "Purity" }
                    @for span in &report.spans { th.num scope="col" { (span.kind.title()) } }
                } }
                tbody {
                    @for (purity, _) in report.spans.last().map_or(&[][..], |s| &s.this.old_gold[..]) {
                        tr {
                            th scope="row" { (purity.metal().label()) " " (purity.label()) }
                            @for span in &report.spans {
                                @let sums = span.this.old_gold.iter().find(|(p, _)| p == purity).map(|(_, s)| *s).unwrap_or_default();
                                td.num { (sums.weight.to_string()) br; span.sub { (money(sums.value.get())) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn ranked(span: &SpanReport) -> Markup {
    html! {
        div.card.report-section {
            h3 { (span.kind.title()) }
            @if span.categories.is_empty() {
                p.empty { "Nothing sold." }
            } @else {
                h4 { "Categories" }
                ol.ranked {
                    @for c in span.categories.iter().take(TOP_ITEMS) {
                        li {
                            @match c.id {
                                Some(id) => a href=(paths::products().with("category_id", id)) { (c.name) },
                                None => span { (c.name) },
                            }
                            span.sub { " " (c.sums.pieces) " pcs · " (c.sums.net.to_string()) " · " (money(c.sums.taxable.get())) }
                        }
                    }
                }
            }
            @if !span.top_products.is_empty() {
                h4 { "Products" }
                ol.ranked {
                    @for p in &span.top_products {
                        li {
                            a href=(paths::product(p.id)) { (p.name) }
                            span.sub { " " (p.sums.pieces) " pcs · " (money(p.sums.taxable.get())) }
                        }
                    }
                }
            }
        }
    }
}

fn returns(report: &OpeningReport) -> Markup {
    html! {
        section.card.report-section #returns {
            h2 { "Returns and cancellations" }
            dl.figures {
                @for span in &report.spans {
                    @let f = &span.this;
                    dt { (span.kind.title()) }
                    dd {
                        a href=(register(f.from, f.to).with("status", "REFUNDED")) {
                            (f.refunds.returns) " returns, " (money(f.refunds.amount.get())) " paid back, "
                            (f.refunds.net.to_string()) " back"
                        }
                        br;
                        a href=(register(f.from, f.to).with("status", "CANCELLED")) {
                            (f.cancelled_bills) " bills cancelled (" (money(f.cancelled_value.get())) ")"
                        }
                    }
                }
            }
        }
    }
}

/// Everything between the comparison and today's work.
pub(super) fn detail_tables(report: &OpeningReport) -> Markup {
    let day = report.span(SpanKind::Day);
    let month = report.span(SpanKind::MonthToDate);
    html! {
        div.cards.report-cards {
            @if let Some(day) = day { (day_book(day)) }
            (returns(report))
        }
        @for span in [day, month].into_iter().flatten() {
            @let (from, to) = (span.this.from, span.this.to);
            h2.report-heading { "Floors and salespeople — " (span.kind.title()) }
            div.cards.report-cards {
                (people_table("Floors", &format!("floors-{}", slug(span.kind)), &span.floors,
                    |id| register(from, to).with("floor_id", id)))
                (people_table("Salespeople", &format!("staff-{}", slug(span.kind)), &span.staff,
                    |id| register(from, to).with("salesperson_id", id)))
            }
        }
        (purities(report))
        h2.report-heading { "What sold most" }
        div.cards.report-cards {
            @for span in &report.spans { (ranked(span)) }
        }
    }
}

fn slug(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Day => "day",
        SpanKind::MonthToDate => "month",
        SpanKind::YearToDate => "year",
    }
}
