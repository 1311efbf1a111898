//! The Reports area (`/reports`): the index of every report, the owner's opening
//! report and the accountant's GST summary with their PDF, Excel and CSV files. The
//! analytics pages the index links to live in `pages::analytics`.

mod gst;
mod gst_tables;
mod opening;
mod opening_tables;
mod opening_work;

use axum::Router;
use axum::routing::get;
use maud::{Markup, html};

use crate::app::Permission;
use crate::web::AppState;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::Viewer;
use crate::web::paths::{self, ReportPage};

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::REPORTS, get(index))
        .route(paths::OPENING_REPORT, get(opening::show))
        .route(paths::OPENING_REPORT_PDF, get(opening::pdf))
        .route(paths::OPENING_REPORT_XLSX, get(opening::xlsx))
        .route(paths::GST_REPORT, get(gst::show))
        .route(paths::GST_REPORT_XLSX, get(gst::xlsx))
        .route(paths::GST_REPORT_CSV, get(gst::csv))
        .route(paths::GST_REPORT_PDF, get(gst::pdf))
}

fn report_title(report: ReportPage) -> (&'static str, &'static str) {
    match report {
        ReportPage::Sales => (
            "Sales",
            "Any range of days by floor, category, purity, salesperson and payment, with the forecast",
        ),
        ReportPage::Customers => (
            "Customers",
            "New and returning customers, segments to call, top customers",
        ),
        ReportPage::Products => (
            "Products",
            "Sell-through, ageing stock and pieces that have not sold",
        ),
        ReportPage::Floors => ("Floors", "Walk-in to sale on each floor"),
        ReportPage::Gst => (
            "GST",
            "The month's sales register, B2C and HSN summaries for the accountant",
        ),
    }
}

/// `GET /reports`: every report, the opening report first.
pub async fn index(viewer: Viewer) -> Markup {
    let content = html! {
        ul.report-index {
            li {
                a.card.report-link href=(paths::opening_report()) {
                    h2 { (icon("calendar-check")) "Opening report" }
                    p.sub { "Yesterday's sales, cash and returns beside last year, the day book, floors and salespeople, and today's work" }
                }
            }
            // The GST summary is the whole store's return: a Floor Manager is refused
            // it, so it is not offered either.
            @for report in ReportPage::ALL.into_iter().filter(|r| *r != ReportPage::Gst || viewer.actor.may(Permission::EveryFloor)) {
                @let (title, about) = report_title(report);
                li {
                    a.card.report-link href=(report.link()) {
                        h2 { (icon("list")) (title) }
                        p.sub { (about) }
                    }
                }
            }
        }
    };
    page(&viewer, "Reports", html! {}, content)
}
