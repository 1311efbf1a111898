//! `GET /reports/sales.csv` and `/reports/sales.xlsx`: the sales analytics' grouped
//! table, with the page's own query, through the shared table writer: money as rupees,
//! weights as grams, spans of time as dates, shares as percentages.

use axum::extract::State;
use axum::response::Response;

use super::report_form::download;
use super::sales_form::query_text;
use crate::app::{Error, Group, MeasureValue, SalesAnalytics};
use crate::domain::BasisPoints;
use crate::reports::{Cell, Column, CsvTable, ExportError, ExportFormat, Kind, Table, XlsxBook};
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::session::{Params, Viewer};

/// The analytics as one table: the group, its span for spans of time, each figure of
/// the grouping and the share; the total last.
fn table_of(a: &SalesAnalytics) -> (Table, Vec<Vec<Cell>>) {
    let time = a.query.group_by.is_time();
    let mut columns = vec![Column::new(a.query.group_by.label(), Kind::Text)];
    if time {
        columns.push(Column::new("From", Kind::Date));
        columns.push(Column::new("To", Kind::Date));
    }
    for m in a.source.measures() {
        let kind = match m.value(&a.total) {
            MeasureValue::Count(_) => Kind::Count,
            MeasureValue::Money(_) => Kind::Money,
            MeasureValue::Weight(_) => Kind::Weight,
        };
        columns.push(Column::new(m.title(), kind));
    }
    columns.push(Column::new("Share", Kind::Percent));
    let figures = |f: &crate::app::GroupFigures, cells: &mut Vec<Cell>| {
        for m in a.source.measures() {
            cells.push(match m.value(f) {
                MeasureValue::Count(n) => Cell::Count(n),
                MeasureValue::Money(p) => Cell::Money(p),
                MeasureValue::Weight(w) => Cell::Weight(w),
            });
        }
    };
    let mut rows = Vec::with_capacity(a.rows.len() + 1);
    for row in &a.rows {
        let mut cells = vec![Cell::text(row.label.clone())];
        if let Group::Period { from, to } = row.group {
            cells.push(Cell::Date(from));
            cells.push(Cell::Date(to));
        }
        figures(&row.figures, &mut cells);
        // A share above 100% (a group selling while others refund more) is left blank
        // rather than shown as a percentage a spreadsheet would misread.
        cells.push(
            row.share_bp
                .and_then(|bp| BasisPoints::new(bp).ok())
                .map_or(Cell::Blank, Cell::Percent),
        );
        rows.push(cells);
    }
    let mut total = vec![Cell::text("Total")];
    if time {
        total.push(Cell::Date(a.from));
        total.push(Cell::Date(a.to));
    }
    figures(&a.total, &mut total);
    total.push(Cell::Blank);
    rows.push(total);
    let name = format!("Sales by {}", a.query.group_by.as_str());
    (Table::new(name, columns), rows)
}

async fn analytics(
    state: &AppState,
    viewer: &Viewer,
    params: &crate::web::pages::shell::session::FormData,
) -> Result<SalesAnalytics, PageError> {
    let query = query_text(params).parse()?;
    let actor = viewer.actor.clone();
    Ok(state
        .crm
        .run(move |crm| crm.sales_analytics(&actor, &query))
        .await?)
}

fn failed(e: ExportError) -> PageError {
    Error::internal("writing the sales analytics export", e).into()
}

fn file_name(a: &SalesAnalytics) -> String {
    format!(
        "sales-by-{}-{}-to-{}",
        a.query.group_by.as_str(),
        a.from,
        a.to
    )
}

pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let a = analytics(&state, &viewer, &params).await?;
    let (table, rows) = table_of(&a);
    let mut out =
        CsvTable::begin(Vec::new(), table, state.crm.config().time_zone()).map_err(failed)?;
    for row in &rows {
        out.row(row).map_err(failed)?;
    }
    let body = out.finish().map_err(failed)?;
    Ok(download(ExportFormat::Csv, &file_name(&a), body))
}

pub async fn xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let a = analytics(&state, &viewer, &params).await?;
    let (table, rows) = table_of(&a);
    let mut book = XlsxBook::new(state.crm.config().time_zone());
    book.begin(&table).map_err(failed)?;
    for row in &rows {
        book.row(row).map_err(failed)?;
    }
    let mut body = std::io::Cursor::new(Vec::new());
    book.finish(&mut body).map_err(failed)?;
    Ok(download(
        ExportFormat::Xlsx,
        &file_name(&a),
        body.into_inner(),
    ))
}
