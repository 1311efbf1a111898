//! The floors' page (`/reports/floors`): for a span of days, the walk-in → inquiry →
//! sale funnel of the store and of each floor, and a table per floor and per
//! salesperson with conversion and value, each linked to the sales behind it.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};

use crate::app::figures::PeopleSums;
use crate::app::{FloorFunnel, inquiry_conversion_bp};
use crate::domain::{FieldErrors, InvalidValue};
use crate::reports::charts::{ChartText, FunnelStage, funnel_chart, percent, rupees_short};
use crate::web::AppState;
use crate::web::assets;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::forms::{list_status, listed};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths::{self, Link};

fn day(params: &FormData, name: &str, errors: &mut FieldErrors) -> Option<Date> {
    params.text(name).and_then(|t| {
        errors.check(
            name,
            t.trim().parse::<Date>().map_err(|_| {
                InvalidValue::new(format!("'{t}' is not a date; write it as 2026-04-01"))
            }),
        )
    })
}

/// `GET /reports/floors`: this financial year to date unless `from`/`to` say otherwise.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let (from, to) = (
        day(&params, "from", &mut errors),
        day(&params, "to", &mut errors),
    );
    let funnel = if errors.is_empty() {
        let actor = viewer.actor.clone();
        let found = state
            .crm
            .run(move |crm| Ok(crm.floor_funnel(&actor, from, to)))
            .await?;
        listed(found, &mut errors)?
    } else {
        None
    };
    let value = |k: &str| params.get(k).unwrap_or("").to_owned();
    let date = |name: &str, text: &str| {
        let error = errors.get(name);
        html! {
            div.field.invalid[error.is_some()] {
                label for=(format!("filter-{name}")) { (text) }
                input #(format!("filter-{name}")) type="date" name=(name) value=(value(name));
                @if let Some(message) = error { p.field-error role="alert" { (message) } }
            }
        }
    };
    let content = html! {
        link rel="stylesheet" href=(assets::url("charts.css"));
        link rel="stylesheet" href=(assets::url("analytics.css"));
        form.filters #floors-filters method="get" action=(paths::reports_floors()) {
            (date("from", "From"))
            (date("to", "To"))
            div.field.filter-buttons {
                button.button.primary type="submit" { (icon("search")) "Show" }
                " "
                a.button href=(paths::reports_floors()) { "Clear" }
            }
        }
        @if let Some(funnel) = &funnel { (report(funnel)) }
    };
    let actions = html! {
        a.button href=(paths::reports_sales().with("group_by", "floor")) { (icon("receipt")) "Sales by floor" }
    };
    Ok((
        list_status(&errors),
        page(&viewer, "Floors", actions, content),
    )
        .into_response())
}

fn stages(sums: &PeopleSums) -> Vec<FunnelStage> {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    vec![
        FunnelStage {
            label: "Walk-ins".into(),
            count: count(sums.walk_ins),
        },
        FunnelStage {
            label: "Inquiries".into(),
            count: count(sums.inquiries),
        },
        FunnelStage {
            label: "Bills".into(),
            count: count(sums.bills),
        },
    ]
}

fn register(funnel: &FloorFunnel) -> Link {
    paths::sales()
        .with("from", funnel.from)
        .with("to", funnel.to)
}

fn report(funnel: &FloorFunnel) -> Markup {
    let span = format!(
        "{} to {}",
        funnel.from.strftime("%-d %b %Y"),
        funnel.to.strftime("%-d %b %Y")
    );
    html! {
        section.card.wide #floors-funnel {
            h2 { "Walk-in to sale, " (span) }
            div.funnels {
                (funnel_chart(&ChartText {
                    id: "funnel-all",
                    title: "Every floor",
                    description: "Walk-ins logged, inquiries and bills invoiced, with the conversion from each stage to the next.",
                }, &stages(&funnel.total)))
                @for row in &funnel.floors {
                    @let id = format!("funnel-{}", row.id);
                    @let description = format!("Walk-ins, inquiries and bills of {}.", row.name);
                    (funnel_chart(&ChartText { id: &id, title: &row.name, description: &description }, &stages(&row.sums)))
                }
            }
            p.hint { "A bill counts on the day it was completed; conversion is bills per walk-in. Walk-ins and inquiries are what staff logged." }
        }
        (people_table("Per floor", "floors-table", funnel.floors.iter().map(|r| (r.name.as_str(), register(funnel).with("floor_id", r.id), &r.sums)), &funnel.total))
        (people_table("Per salesperson", "staff-table", funnel.staff.iter().map(|r| (r.name.as_str(), register(funnel).with("salesperson_id", r.id), &r.sums)), &funnel.total))
    }
}

fn people_table<'a>(
    title: &str,
    id: &str,
    rows: impl Iterator<Item = (&'a str, Link, &'a PeopleSums)>,
    total: &PeopleSums,
) -> Markup {
    let rate = |bp: Option<i64>| bp.map_or_else(|| "–".to_owned(), percent);
    html! {
        section.card.wide {
            h2 { (title) }
            div.table-scroll {
                table.list #(id) {
                    thead { tr {
                        th { "Who" } th.num { "Walk-ins" } th.num { "Inquiries" } th.num { "Bills" }
                        th.num { "Bills per walk-in" } th.num { "Bills per inquiry" }
                        th.num { "Sales" } th.num { "Refunds" }
                    } }
                    tbody {
                        @for (name, link, sums) in rows {
                            tr {
                                td { a href=(link) { (name) } }
                                td.num { (sums.walk_ins) }
                                td.num { (sums.inquiries) }
                                td.num { a href=(link) { (sums.bills) } }
                                td.num { (rate(sums.conversion_bp())) }
                                td.num { (rate(inquiry_conversion_bp(sums))) }
                                td.num.nowrap title=(sums.payable.to_string()) { (rupees_short(sums.payable)) }
                                td.num.nowrap title=(sums.refunded.to_string()) { (rupees_short(sums.refunded)) }
                            }
                        }
                    }
                    tfoot { tr {
                        th { "Total" }
                        td.num { (total.walk_ins) }
                        td.num { (total.inquiries) }
                        td.num { (total.bills) }
                        td.num { (rate(total.conversion_bp())) }
                        td.num { (rate(inquiry_conversion_bp(total))) }
                        td.num.nowrap { (rupees_short(total.payable)) }
                        td.num.nowrap { (rupees_short(total.refunded)) }
                    } }
                }
            }
        }
    }
}
