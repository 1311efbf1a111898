//! The opening report page (`/reports/opening?date=`), its PDF and its Excel file: the
//! day's headline figures beside last year, the full comparison, then the day book,
//! floors, salespeople, purities and the rest (`opening_tables`), then today's work
//! (`opening_work`). A day that cannot be read, or has not come yet, is said so beside
//! the date picker with a 400.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};

use super::opening_tables::{comparison, detail_tables, register};
use super::opening_work::todays_work;
use crate::app::{Error, OpeningReport, SpanKind};
use crate::domain::{FieldErrors, format_date};
use crate::reports::amounts::{change_text, lakh_crore};
use crate::reports::{self, ExportFormat, LineKind, SummaryLine};
use crate::web::AppState;
use crate::web::exports::attachment;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{Params, Viewer};
use crate::web::paths;

/// The day asked for, or what is wrong with it.
fn asked_day(
    state: &AppState,
    params: &crate::web::pages::shell::session::FormData,
) -> Result<Date, Error> {
    state.crm.opening_day(params.get("date"))
}

/// What the opening report is drawn from.
const OPENING_ON: &[Kind] = &[
    Kind::Sale,
    Kind::Interaction,
    Kind::Customer,
    Kind::FollowUp,
    Kind::Rate,
    Kind::Product,
];

/// `GET /reports/opening`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let typed = params.get("date").unwrap_or("").to_owned();
    let day = match asked_day(&state, &params) {
        Ok(day) => day,
        Err(Error::BadQuery(errors)) => {
            let content = html! { (date_form(&typed, None, &errors)) };
            let markup = page(&viewer, "Opening report", html! {}, content);
            return Ok((StatusCode::BAD_REQUEST, markup).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    let actor = viewer.actor.clone();
    let report = state
        .crm
        .run(move |crm| crm.opening_report(&actor, day))
        .await?;
    let actions = html! {
        a.button #opening-pdf href=(paths::opening_report_pdf().with("date", day)) download {
            (icon("download")) "PDF"
        }
        a.button #opening-xlsx href=(paths::opening_report_xlsx().with("date", day)) download {
            (icon("download")) "Excel"
        }
        button.button #print-report type="button" data-print { (icon("printer")) "Print" }
    };
    let content = html! {
        (date_form(&day.to_string(), Some(&report), &FieldErrors::new()))
        // The figures follow bills, walk-ins and new customers as they are recorded (a
        // day that is over does not change, but today's, and this month's, do), and
        // today's work follows follow-ups, rates and stock.
        (Region::new("opening-live", OPENING_ON).settle(1_000).wrap(html! {
            (headline(&report))
            (comparison(&report))
            (detail_tables(&report))
            (todays_work(&report))
        }))
    };
    Ok(page(&viewer, "Opening report", actions, content).into_response())
}

/// The date picker (a GET form) with the days before and after.
fn date_form(value: &str, report: Option<&OpeningReport>, errors: &FieldErrors) -> Markup {
    let error = errors.get("date");
    let next = report.and_then(|r| r.day.tomorrow().ok().filter(|d| *d <= r.made_on));
    let previous = report.and_then(|r| r.day.yesterday().ok());
    html! {
        form.filters.report-date method="get" action=(paths::opening_report()) {
            div.field.invalid[error.is_some()] {
                label for="report-date" { "Day" }
                input #report-date type="date" name="date" value=(value)
                    max=[report.map(|r| r.made_on.to_string())]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[error.map(|_| "report-date-error")];
                @if let Some(message) = error {
                    p.field-error #report-date-error { (message) }
                }
            }
            div.field.filter-buttons {
                button.button.primary type="submit" { "Show" }
                @if let Some(day) = previous {
                    a.button #previous-day href=(paths::opening_report().with("date", day)) {
                        (icon("chevron-left")) "Day before"
                    }
                }
                @if let Some(day) = next {
                    a.button #next-day href=(paths::opening_report().with("date", day)) {
                        "Day after" (icon("chevron-right"))
                    }
                }
            }
        }
        @if let Some(report) = report {
            p.lead.report-about {
                strong { (report.store_name) } " · figures of " strong { (format_date(report.day)) }
                @if let Some(floor) = &report.floor { " · " (floor.name) " only" }
            }
        }
    }
}

/// A figure read in full under a lakh, in lakh or crore above, with the exact amount
/// in its title.
pub(super) fn money(value: i64) -> Markup {
    let amount = crate::domain::Paise::new(value);
    html! { span title=(amount.to_string()) { (lakh_crore(amount)) } }
}

fn tile_value(line: SummaryLine, figures: &crate::app::figures::PeriodFigures) -> Markup {
    match line.kind() {
        LineKind::Money => money(line.value(figures)),
        LineKind::Weight | LineKind::Count => html! { (line.text(figures)) },
    }
}

/// The day's figures first, each with last year's and the change.
fn headline(report: &OpeningReport) -> Markup {
    let Some(day) = report.span(SpanKind::Day) else {
        return html! {};
    };
    let (from, to) = (day.this.from, day.this.to);
    let tiles = [
        (
            SummaryLine::Sales,
            register(from, to).with("status", "COMPLETED"),
        ),
        (SummaryLine::Bills, register(from, to)),
        (
            SummaryLine::Cash,
            register(from, to).with("payment", "CASH"),
        ),
        (SummaryLine::AverageBill, register(from, to)),
        (SummaryLine::GramsSold, register(from, to)),
        (
            SummaryLine::Refunded,
            register(from, to).with("status", "REFUNDED"),
        ),
    ];
    html! {
        section.tiles.report-tiles aria-label="The day's headline figures" {
            @for (line, link) in tiles {
                @let (this, last) = (line.value(&day.this), line.value(&day.last_year));
                a.tile href=(link) {
                    span.tile-label { (line.label()) }
                    span.tile-figure { (tile_value(line, &day.this)) }
                    span.tile-change.up[this > last].down[this < last] {
                        (change_text(this, last)) " on last year (" (tile_value(line, &day.last_year)) ")"
                    }
                }
            }
        }
    }
}

fn file_name(day: Date, extension: &str) -> String {
    format!("opening-report-{day}.{extension}")
}

/// `GET /reports/opening.pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let day = asked_day(&state, &params)?;
    let actor = viewer.actor.clone();
    let body = state
        .crm
        .run(move |crm| Ok(reports::opening_pdf(&crm.opening_report(&actor, day)?)))
        .await?;
    Ok(attachment("application/pdf", &file_name(day, "pdf"), body))
}

/// `GET /reports/opening.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let day = asked_day(&state, &params)?;
    let actor = viewer.actor.clone();
    let body = state
        .crm
        .run(move |crm| {
            let report = crm.opening_report(&actor, day)?;
            let mut out = std::io::Cursor::new(Vec::new());
            reports::opening_xlsx::opening_workbook(&report, crm.config().time_zone(), &mut out)
                .map_err(|e| Error::internal("writing the opening report's workbook", e))?;
            Ok(out.into_inner())
        })
        .await?;
    Ok(attachment(
        ExportFormat::XLSX_TYPE,
        &file_name(day, "xlsx"),
        body,
    ))
}
