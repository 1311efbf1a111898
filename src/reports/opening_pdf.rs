//! The opening report as an A4 PDF: the headline figures of the day, month and year
//! beside last year, the day book, floors, salespeople, purities, categories and
//! products, and the counts of today's work; set in Noto Sans so the ₹ sign prints.

use crate::app::figures::PeopleSums;
use crate::app::{OpeningReport, SpanKind, SpanReport, TOP_ITEMS};
use crate::domain::{Paise, format_date, group_indian};

use super::amounts::{change_text, lakh_crore, percent_text};
use super::opening_lines::{LineKind, SummaryLine};
use super::pdf::{Align, Document, MARGIN, PAGE_WIDTH, RIGHT, Style};

const BODY: Style = Style::regular(8.0);
const LABEL: Style = Style::regular(8.0).muted();
const STRONG: Style = Style::bold(8.0);
const HEADING: Style = Style::bold(10.0);
const ROW: f32 = 12.0;

/// A table's columns: the first is the name, left-aligned; the rest are right-aligned
/// figures ending at these x positions.
struct Grid<'a> {
    title: &'a str,
    heads: &'a [&'a str],
    rights: &'a [f32],
}

fn section(doc: &mut Document, grid: &Grid<'_>, rows: &[Vec<String>]) {
    if rows.is_empty() {
        return;
    }
    let head = |doc: &mut Document| {
        doc.y += 6.0;
        doc.on_line(MARGIN, Align::Left, HEADING, grid.title);
        doc.y += 15.0;
        for (i, text) in grid.heads.iter().enumerate() {
            match i {
                0 => doc.on_line(MARGIN, Align::Left, LABEL, text),
                _ => doc.on_line(grid.rights[i - 1], Align::Right, LABEL, text),
            }
        }
        doc.y += ROW;
        doc.rule(MARGIN, RIGHT, doc.y - 2.0, 0.5, 0.6);
    };
    // A heading is never left alone at the foot of a page.
    doc.keep_together(40.0 + ROW * 2.0, &|_| {});
    head(doc);
    for row in rows {
        doc.keep_together(ROW, &head);
        for (i, text) in row.iter().enumerate() {
            match i {
                0 => doc.on_line(MARGIN, Align::Left, BODY, text),
                _ => doc.on_line(grid.rights[i - 1], Align::Right, BODY, text),
            }
        }
        doc.y += ROW;
    }
}

fn summary(doc: &mut Document, report: &OpeningReport) {
    let heads = [
        "",
        "The day",
        "Last year",
        "±",
        "Month to date",
        "Last year",
        "±",
        "Year to date",
        "Last year",
        "±",
    ];
    let rights = [
        194.0, 242.0, 276.0, 334.0, 382.0, 416.0, 476.0, 524.0, RIGHT,
    ];
    // Money in lakh and crore here, so a year's figures fit their columns.
    let text = |line: SummaryLine, figures| match line.kind() {
        LineKind::Money => lakh_crore(Paise::new(line.value(figures))),
        LineKind::Weight | LineKind::Count => line.text(figures),
    };
    let rows: Vec<Vec<String>> = SummaryLine::ALL
        .iter()
        .map(|line| {
            let mut row = vec![line.label().to_owned()];
            for span in &report.spans {
                row.push(text(*line, &span.this));
                row.push(text(*line, &span.last_year));
                row.push(change_text(
                    line.value(&span.this),
                    line.value(&span.last_year),
                ));
            }
            row
        })
        .collect();
    let grid = Grid {
        title: "Figures beside the same dates last year",
        heads: &heads,
        rights: &rights,
    };
    section(doc, &grid, &rows);
}

fn people_rows(rows: &[(String, PeopleSums)]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|(name, s)| {
            vec![
                name.clone(),
                group_indian(s.walk_ins.unsigned_abs()),
                group_indian(s.bills.unsigned_abs()),
                s.conversion_bp()
                    .map_or_else(|| "–".to_owned(), percent_text),
                s.payable.to_string(),
                s.refunded.to_string(),
            ]
        })
        .collect()
}

fn span_sections(doc: &mut Document, span: &SpanReport) {
    let when = span.kind.title();
    let people_heads = ["", "Walk-ins", "Bills", "Conversion", "Value", "Refunded"];
    let people_rights = [300.0, 350.0, 410.0, 490.0, RIGHT];
    let floors: Vec<(String, PeopleSums)> = span
        .floors
        .iter()
        .map(|f| (f.name.clone(), f.sums))
        .collect();
    let title = format!("Floors — {when}");
    let grid = Grid {
        title: &title,
        heads: &people_heads,
        rights: &people_rights,
    };
    section(doc, &grid, &people_rows(&floors));
    let staff: Vec<(String, PeopleSums)> = span
        .staff
        .iter()
        .map(|s| (s.name.clone(), s.sums))
        .collect();
    let title = format!("Salespeople — {when}");
    let grid = Grid {
        title: &title,
        heads: &people_heads,
        rights: &people_rights,
    };
    section(doc, &grid, &people_rows(&staff));

    let piece_heads = ["", "Pieces", "Net weight", "Taxable value"];
    let piece_rights = [330.0, 430.0, RIGHT];
    let purities: Vec<Vec<String>> = span
        .this
        .by_purity
        .iter()
        .map(|(p, s)| {
            vec![
                format!("{} {}", p.metal().label(), p.label()),
                s.pieces.to_string(),
                s.net.to_string(),
                s.taxable.to_string(),
            ]
        })
        .collect();
    let title = format!("Metal and purity — {when}");
    let grid = Grid {
        title: &title,
        heads: &piece_heads,
        rights: &piece_rights,
    };
    section(doc, &grid, &purities);
    let categories: Vec<Vec<String>> = span
        .categories
        .iter()
        .take(TOP_ITEMS)
        .map(|c| {
            vec![
                c.name.clone(),
                c.sums.pieces.to_string(),
                c.sums.net.to_string(),
                c.sums.taxable.to_string(),
            ]
        })
        .collect();
    let title = format!("Top categories — {when}");
    let grid = Grid {
        title: &title,
        heads: &piece_heads,
        rights: &piece_rights,
    };
    section(doc, &grid, &categories);
    let products: Vec<Vec<String>> = span
        .top_products
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.sums.pieces.to_string(),
                p.sums.net.to_string(),
                p.sums.taxable.to_string(),
            ]
        })
        .collect();
    let title = format!("Top products — {when}");
    let grid = Grid {
        title: &title,
        heads: &piece_heads,
        rights: &piece_rights,
    };
    section(doc, &grid, &products);
}

fn day_book(doc: &mut Document, report: &OpeningReport) {
    let Some(day) = report.span(SpanKind::Day) else {
        return;
    };
    let rows: Vec<Vec<String>> = day
        .this
        .payments
        .iter()
        .map(|(method, sums)| {
            vec![
                method.label().to_owned(),
                sums.payments.to_string(),
                sums.amount.to_string(),
            ]
        })
        .collect();
    let grid = Grid {
        title: "Day book: money received by mode (cash after change)",
        heads: &["", "Payments", "Amount"],
        rights: &[400.0, RIGHT],
    };
    section(doc, &grid, &rows);
}

fn todays_work(doc: &mut Document, report: &OpeningReport) {
    let work = &report.work;
    let mut rows = Vec::new();
    if let Some(f) = &work.follow_ups {
        let at_least = |all: bool| if all { "" } else { "at least " };
        rows.push(vec![
            "Follow-ups overdue".to_owned(),
            format!("{}{}", at_least(f.overdue.all), f.overdue.count),
        ]);
        rows.push(vec![
            "Follow-ups due today".to_owned(),
            format!("{}{}", at_least(f.due_today.all), f.due_today.count),
        ]);
    }
    rows.push(vec![
        "Birthdays and anniversaries today".to_owned(),
        work.occasions_total.to_string(),
    ]);
    if let Some(p) = &work.pending {
        rows.push(vec![
            "Bills awaiting payment".to_owned(),
            format!("{} ({})", p.bills.count, p.total),
        ]);
    }
    rows.push(vec![
        "Pieces running out".to_owned(),
        work.low_stock_total.to_string(),
    ]);
    for line in work
        .rates
        .iter()
        .filter_map(|l| l.rate.as_ref().map(|r| (l, r)))
    {
        rows.push(vec![
            format!(
                "Rate {} {}",
                line.0.purity.metal().label(),
                line.0.purity.label()
            ),
            format!("{} per gram", line.1.per_gram),
        ]);
    }
    let title = format!("Today's work, {}", format_date(work.on));
    let grid = Grid {
        title: &title,
        heads: &["", ""],
        rights: &[RIGHT],
    };
    section(doc, &grid, &rows);
}

/// The report as a PDF file.
pub fn opening_pdf(report: &OpeningReport) -> Vec<u8> {
    let store_name = report.store_name.as_str();
    let mut doc = Document::new();
    doc.on_line(MARGIN, Align::Left, Style::bold(14.0), "Opening report");
    doc.on_line(RIGHT, Align::Right, STRONG, store_name);
    doc.y += 20.0;
    let mut about = format!(
        "{} · made {}",
        format_date(report.day),
        format_date(report.made_on)
    );
    if let Some(floor) = &report.floor {
        about.push_str(&format!(" · {} only", floor.name));
    }
    doc.paragraph(MARGIN, RIGHT - MARGIN, BODY, &about);
    if let Some(day) = report.span(SpanKind::Day) {
        let headline = [
            ("Sales", day.this.bills.payable),
            ("Cash in hand", day.this.cash()),
            ("Refunded", day.this.refunds.amount),
        ];
        doc.y += 6.0;
        let width = (RIGHT - MARGIN) / 4.0;
        for (i, (label, _)) in headline.iter().enumerate() {
            let x = MARGIN + width * i as f32;
            doc.on_line(x, Align::Left, LABEL, label);
        }
        doc.on_line(MARGIN + width * 3.0, Align::Left, LABEL, "Bills");
        doc.y += 11.0;
        for (i, (_, amount)) in headline.iter().enumerate() {
            let x = MARGIN + width * i as f32;
            doc.on_line(x, Align::Left, Style::bold(12.0), &amount.to_string());
        }
        let bills = group_indian(day.this.bills.bills.unsigned_abs());
        doc.on_line(MARGIN + width * 3.0, Align::Left, Style::bold(12.0), &bills);
        doc.y += 18.0;
    }
    summary(&mut doc, report);
    day_book(&mut doc, report);
    for span in &report.spans {
        span_sections(&mut doc, span);
    }
    todays_work(&mut doc, report);
    let pages = doc.page_count();
    for page in 0..pages {
        doc.go_to_page(page);
        let footer = format!(
            "Opening report {} · page {} of {pages}",
            format_date(report.day),
            page + 1
        );
        doc.text(
            PAGE_WIDTH / 2.0,
            super::pdf::BOTTOM + 24.0,
            Align::Center,
            LABEL,
            &footer,
        );
    }
    doc.finish(&format!("Opening report {}", report.day))
}
