//! The GST summary page (`/reports/gst?month=YYYY-MM`, last month by default) and its
//! downloads: the Excel workbook, a CSV file of one table, and the PDF. The summaries
//! come first, then the totals that tie them out, then the long register in a card that
//! scrolls (`gst_tables`). A month that cannot be read is said so beside the picker
//! with a 400; a Floor Manager is told GST is the store's and gets a 403.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::gst_tables::{b2c_table, credit_notes, hsn_table, invoices, totals};
use crate::app::{Error, GstMonth, GstSummary};
use crate::domain::FieldErrors;
use crate::reports::{self, ExportFormat, GstCsv};
use crate::web::AppState;
use crate::web::exports::attachment;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

const TITLE: &str = "GST summary";

fn asked_month(state: &AppState, params: &FormData) -> Result<GstMonth, Error> {
    GstMonth::asked(params.get("month"), state.crm.today())
}

/// `GET /reports/gst`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let typed = params.get("month").unwrap_or("").to_owned();
    let month = match asked_month(&state, &params) {
        Ok(month) => month,
        Err(Error::BadQuery(errors)) => {
            let content = month_form(&typed, None, &errors, state.crm.today());
            let markup = page(&viewer, TITLE, html! {}, content);
            return Ok((StatusCode::BAD_REQUEST, markup).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    let actor = viewer.actor.clone();
    let summary = state
        .crm
        .run(move |crm| crm.gst_summary(&actor, month))
        .await?;
    let code = month.code();
    let actions = html! {
        a.button #gst-xlsx href=(paths::gst_report_xlsx().with("month", &code)) download {
            (icon("download")) "Excel"
        }
        a.button #gst-pdf href=(paths::gst_report_pdf().with("month", &code)) download {
            (icon("download")) "PDF"
        }
        button.button #print-report type="button" data-print { (icon("printer")) "Print" }
    };
    let content = html! {
        (month_form(&code, Some(&summary), &FieldErrors::new(), state.crm.today()))
        nav.gst-sections aria-label="Sections" {
            a.button href="#b2c" { "B2C by place" }
            a.button href="#hsn" { "HSN" }
            a.button href="#totals" { "Totals" }
            a.button href="#register" { "Sales register" }
            a.button href="#credit-notes" { "Credit notes" }
        }
        (b2c_table(&summary))
        (hsn_table(&summary))
        (totals(&summary))
        (invoices(&summary))
        (credit_notes(&summary))
    };
    Ok(page(&viewer, TITLE, actions, content).into_response())
}

/// The month picker (a GET form) with the months before and after, and what the page is.
/// There is no month after the one today falls in: it has not begun.
fn month_form(
    value: &str,
    summary: Option<&GstSummary>,
    errors: &FieldErrors,
    today: jiff::civil::Date,
) -> Markup {
    let error = errors.get("month");
    html! {
        form.filters.report-date method="get" action=(paths::gst_report()) {
            div.field.invalid[error.is_some()] {
                label for="gst-month" { "Month" }
                input #gst-month type="month" name="month" value=(value) placeholder="YYYY-MM"
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[error.map(|_| "gst-month-error")];
                @if let Some(message) = error {
                    p.field-error #gst-month-error { (message) }
                }
            }
            div.field.filter-buttons {
                button.button.primary type="submit" { "Show" }
                @if let Some(summary) = summary {
                    a.button #previous-month href=(paths::gst_report().with("month", summary.month.previous().code())) {
                        (icon("chevron-left")) "Month before"
                    }
                    @if summary.month.next().first_day() <= today {
                        a.button #next-month href=(paths::gst_report().with("month", summary.month.next().code())) {
                            "Month after" (icon("chevron-right"))
                        }
                    }
                }
            }
        }
        @if let Some(summary) = summary {
            p.lead.report-about {
                strong { (summary.store_name) } " · GST of " strong { (summary.month.label()) }
                @if let Some(gstin) = &summary.store_gstin { " · GSTIN " (gstin) }
            }
            p.sub {
                "Invoices are counted on the day they were completed, returns on the day they were made: a return reduces the month it was made in. "
                "Customers do not record a GSTIN, so every bill is B2C. "
                "Only a Business Admin sees this page, because GST is filed for the whole store."
            }
        }
    }
}

fn file_name(month: GstMonth, part: &str, extension: &str) -> String {
    format!("gst-{}{part}.{extension}", month.code())
}

fn export_failed(e: reports::ExportError) -> Error {
    Error::internal("writing the GST summary's file", e)
}

/// `GET /reports/gst.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let month = asked_month(&state, &params)?;
    let actor = viewer.actor.clone();
    let body = state
        .crm
        .run(move |crm| {
            let summary = crm.gst_summary(&actor, month)?;
            reports::gst_workbook(&summary, crm.config().time_zone()).map_err(export_failed)
        })
        .await?;
    Ok(attachment(
        ExportFormat::XLSX_TYPE,
        &file_name(month, "", "xlsx"),
        body,
    ))
}

/// `GET /reports/gst.csv?table=register|b2c|hsn` (the register by default).
pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let month = asked_month(&state, &params)?;
    let which = match params.get("table").filter(|t| !t.trim().is_empty()) {
        None => GstCsv::Register,
        Some(text) => GstCsv::parse(text).ok_or_else(|| {
            let mut errors = FieldErrors::new();
            errors.add("table", "must be register, b2c or hsn");
            Error::BadQuery(errors)
        })?,
    };
    let actor = viewer.actor.clone();
    let body = state
        .crm
        .run(move |crm| {
            let summary = crm.gst_summary(&actor, month)?;
            reports::gst_csv(&summary, which, crm.config().time_zone()).map_err(export_failed)
        })
        .await?;
    let name = file_name(month, &format!("-{}", which.name()), "csv");
    Ok(attachment(ExportFormat::CSV_TYPE, &name, body))
}

/// `GET /reports/gst.pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let month = asked_month(&state, &params)?;
    let actor = viewer.actor.clone();
    let body = state
        .crm
        .run(move |crm| Ok(reports::gst_pdf(&crm.gst_summary(&actor, month)?)))
        .await?;
    Ok(attachment(
        "application/pdf",
        &file_name(month, "", "pdf"),
        body,
    ))
}
