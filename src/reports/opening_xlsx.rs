//! The opening report as an Excel workbook through the shared table writer: a summary
//! of each span beside last year, the day book, floors, salespeople, purities and
//! categories, every figure a typed number (₹, grams, counts, dates).

use std::io::{Seek, Write};

use jiff::tz::TimeZone;

use super::opening_lines::{LineKind, SummaryLine};
use super::table::{Cell, Column, ExportError, Kind, Table};
use super::xlsx_export::XlsxBook;
use crate::app::figures::{PeopleSums, PeriodFigures};
use crate::app::{OpeningReport, SpanReport};
use crate::domain::{BasisPoints, Milligrams, Paise};

fn span_columns() -> Vec<Column> {
    vec![
        Column::new("Span", Kind::Text),
        Column::new("From", Kind::Date),
        Column::new("To", Kind::Date),
    ]
}

fn span_cells(span: &SpanReport, figures: &PeriodFigures, last_year: bool) -> Vec<Cell> {
    let name = if last_year {
        format!("{}, last year", span.kind.title())
    } else {
        span.kind.title().to_owned()
    };
    vec![
        Cell::Text(name),
        Cell::Date(figures.from),
        Cell::Date(figures.to),
    ]
}

fn line_cell(line: SummaryLine, figures: &PeriodFigures) -> Cell {
    let value = line.value(figures);
    match line.kind() {
        LineKind::Money => Cell::Money(Paise::new(value)),
        LineKind::Weight => Cell::Weight(Milligrams::total(value)),
        LineKind::Count => Cell::Count(value),
    }
}

fn line_kind(kind: LineKind) -> Kind {
    match kind {
        LineKind::Money => Kind::Money,
        LineKind::Weight => Kind::Weight,
        LineKind::Count => Kind::Count,
    }
}

fn summary(book: &mut XlsxBook, report: &OpeningReport) -> Result<(), ExportError> {
    let mut columns = span_columns();
    columns.extend(
        SummaryLine::ALL
            .iter()
            .map(|l| Column::new(l.label(), line_kind(l.kind()))),
    );
    book.begin(&Table::new("Summary", columns))?;
    for span in &report.spans {
        for (figures, last_year) in [(&span.this, false), (&span.last_year, true)] {
            let mut cells = span_cells(span, figures, last_year);
            cells.extend(SummaryLine::ALL.iter().map(|l| line_cell(*l, figures)));
            book.row(&cells)?;
        }
    }
    Ok(())
}

fn day_book(book: &mut XlsxBook, report: &OpeningReport) -> Result<(), ExportError> {
    let mut columns = span_columns();
    columns.extend([
        Column::new("Mode", Kind::Text),
        Column::new("Payments", Kind::Count),
        Column::new("Amount", Kind::Money),
    ]);
    book.begin(&Table::new("Day book", columns))?;
    for span in &report.spans {
        for (method, sums) in &span.this.payments {
            let mut cells = span_cells(span, &span.this, false);
            cells.extend([
                Cell::text(method.label()),
                Cell::Count(sums.payments),
                Cell::Money(sums.amount),
            ]);
            book.row(&cells)?;
        }
    }
    Ok(())
}

/// Bills per walk-in as a percentage cell; blank without walk-ins, or past 100 % (more
/// bills than walk-ins logged), which a percentage column cannot hold.
fn conversion_cell(sums: &PeopleSums) -> Cell {
    sums.conversion_bp()
        .and_then(|bp| BasisPoints::new(bp).ok())
        .map_or(Cell::Blank, Cell::Percent)
}

fn people(
    book: &mut XlsxBook,
    report: &OpeningReport,
    sheet: &str,
    who: &str,
    rows: fn(&SpanReport) -> Vec<(String, PeopleSums)>,
) -> Result<(), ExportError> {
    let mut columns = span_columns();
    columns.extend([
        Column::new(who, Kind::Text),
        Column::new("Walk-ins", Kind::Count),
        Column::new("Inquiries", Kind::Count),
        Column::new("Bills", Kind::Count),
        Column::new("Conversion", Kind::Percent),
        Column::new("Value", Kind::Money),
        Column::new("Refunded", Kind::Money),
    ]);
    book.begin(&Table::new(sheet, columns))?;
    for span in &report.spans {
        for (name, sums) in rows(span) {
            let mut cells = span_cells(span, &span.this, false);
            cells.extend([
                Cell::Text(name),
                Cell::Count(sums.walk_ins),
                Cell::Count(sums.inquiries),
                Cell::Count(sums.bills),
                conversion_cell(&sums),
                Cell::Money(sums.payable),
                Cell::Money(sums.refunded),
            ]);
            book.row(&cells)?;
        }
    }
    Ok(())
}

fn pieces_columns(first: [Column; 2]) -> Vec<Column> {
    let mut columns = span_columns();
    columns.extend(first);
    columns.extend([
        Column::new("Pieces", Kind::Count),
        Column::new("Net weight", Kind::Weight),
        Column::new("Gross weight", Kind::Weight),
        Column::new("Taxable value", Kind::Money),
    ]);
    columns
}

fn purities(book: &mut XlsxBook, report: &OpeningReport) -> Result<(), ExportError> {
    let columns = pieces_columns([
        Column::new("Metal", Kind::Text),
        Column::new("Purity", Kind::Text),
    ]);
    book.begin(&Table::new("Purities", columns))?;
    for span in &report.spans {
        for (purity, sums) in &span.this.by_purity {
            let mut cells = span_cells(span, &span.this, false);
            cells.extend([
                Cell::text(purity.metal().label()),
                Cell::text(purity.label()),
                Cell::Count(sums.pieces),
                Cell::Weight(sums.net),
                Cell::Weight(sums.gross),
                Cell::Money(sums.taxable),
            ]);
            book.row(&cells)?;
        }
    }
    Ok(())
}

fn categories(book: &mut XlsxBook, report: &OpeningReport) -> Result<(), ExportError> {
    let columns = pieces_columns([
        Column::new("Category", Kind::Text),
        Column::new("Bill lines", Kind::Count),
    ]);
    book.begin(&Table::new("Categories", columns))?;
    for span in &report.spans {
        for category in &span.categories {
            let sums = &category.sums;
            let mut cells = span_cells(span, &span.this, false);
            cells.extend([
                Cell::text(category.name.as_str()),
                Cell::Count(sums.lines),
                Cell::Count(sums.pieces),
                Cell::Weight(sums.net),
                Cell::Weight(sums.gross),
                Cell::Money(sums.taxable),
            ]);
            book.row(&cells)?;
        }
    }
    Ok(())
}

/// Writes the report's workbook to `out`.
pub fn opening_workbook<W: Write + Seek + Send>(
    report: &OpeningReport,
    zone: TimeZone,
    out: W,
) -> Result<(), ExportError> {
    let mut book = XlsxBook::new(zone);
    summary(&mut book, report)?;
    day_book(&mut book, report)?;
    people(&mut book, report, "Floors", "Floor", |span| {
        span.floors
            .iter()
            .map(|f| (f.name.clone(), f.sums))
            .collect()
    })?;
    people(&mut book, report, "Salespeople", "Salesperson", |span| {
        span.staff
            .iter()
            .map(|s| (s.name.clone(), s.sums))
            .collect()
    })?;
    purities(&mut book, report)?;
    categories(&mut book, report)?;
    book.finish(out)
}
