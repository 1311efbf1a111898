//! The customers report (`/reports/customers`): new and returning customers over the
//! chosen days, the top customers, and the RFM segments as call lists with phone and
//! WhatsApp buttons; the chosen segment's list downloads as CSV or Excel.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::report_form::{download, downloads, export_failed, kept_query, range_form};
use crate::app::Permission;
use crate::app::customer_analytics::{CallRow, CustomerAnalytics, CustomerReportQuery};
use crate::domain::rfm::Segment;
use crate::domain::{FieldErrors, Floor, format_date};
use crate::reports::ExportFormat;
use crate::reports::charts::{Bar, ChartText, bar_chart};
use crate::reports::customer_product_exports::{call_list_row, call_list_table, whatsapp_link};
use crate::reports::{CsvTable, XlsxBook};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::shell::components::{icon, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::forms::{list_status, listed};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

/// The filters the address keeps.
const KEPT: [&str; 4] = ["from", "to", "floor_id", "segment"];
/// The longest call list an export writes: past this it is no longer a list to call.
const CALL_LIST_MAX: usize = 20_000;

fn query_of(params: &FormData) -> CustomerReportQuery {
    CustomerReportQuery {
        from: params.text("from"),
        to: params.text("to"),
        floor_id: params.text("floor_id"),
        segment: params.text("segment"),
        limit: None,
        cursor: params.text("cursor"),
    }
}

/// `GET /reports/customers`. A filter that cannot be read is explained above the
/// report (422), never a failure.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let query = query_of(&params);
    let actor = viewer.actor.clone();
    let (floors, result) = state
        .crm
        .run(move |crm| {
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            Ok((floors, crm.customer_analytics(&actor, &query)))
        })
        .await?;
    let mut errors = FieldErrors::new();
    let report = listed(result, &mut errors)?;
    let params = with_range(
        params,
        report.as_ref().map(|r| (r.filter.from, r.filter.to)),
    );
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let segment_options: Vec<(String, String)> = Segment::ALL
        .iter()
        .map(|s| (s.slug().to_owned(), s.label().to_owned()))
        .collect();
    let chosen = params.text("segment").unwrap_or_default();
    let extra = select("segment", "Segment", &segment_options, &chosen, &errors);
    let query = kept_query(&params, &KEPT);
    let tz = state.crm.config().time_zone();
    let content = html! {
        (range_form(&paths::reports_customers(), &params, every_floor.then_some(floors.as_slice()), &errors, extra))
        @if let Some(report) = &report {
            (figures(report, &floors, every_floor))
            (segments(report, &params))
            (members(report, &params, &tz))
            (top(report, &tz))
        }
    };
    let actions = downloads(
        paths::reports_customers_csv().with_query(&query),
        paths::reports_customers_xlsx().with_query(&query),
        "the chosen segment's call list",
    );
    Ok((
        list_status(&errors),
        page(&viewer, "Customer analytics", actions, content),
    )
        .into_response())
}

/// The address's query with the range the report used filled in where it was left out,
/// so the date boxes show the days the figures are for.
pub(super) fn with_range(
    params: FormData,
    range: Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> FormData {
    let Some((from, to)) = range else {
        return params;
    };
    let mut filled = FormData::from_pairs(
        params
            .pairs()
            .iter()
            .filter(|(k, _)| k != "from" && k != "to")
            .cloned()
            .collect(),
    );
    filled.push("from".to_owned(), from.to_string());
    filled.push("to".to_owned(), to.to_string());
    filled
}

fn floor_name(floors: &[Floor], id: Option<crate::domain::FloorId>) -> String {
    match id {
        None => "No home floor".to_owned(),
        Some(id) => floors.iter().find(|f| f.id == id).map_or_else(
            || "A removed floor".to_owned(),
            |f| f.name.as_str().to_owned(),
        ),
    }
}

fn figures(r: &CustomerAnalytics, floors: &[Floor], every_floor: bool) -> Markup {
    let sales = paths::sales()
        .with("from", r.filter.from)
        .with("to", r.filter.to);
    html! {
        section.cards #customer-figures aria-label="New and returning customers" {
            div.card {
                h2 { "New customers" }
                p.report-period { (format_date(r.filter.from)) " to " (format_date(r.filter.to)) }
                p.tile-figure #new-customers { (r.new_customers) }
                @if !r.new_by_floor.is_empty() {
                    dl {
                        @for (floor, n) in &r.new_by_floor {
                            dt { (floor_name(floors, *floor)) }
                            dd.num {
                                @if let Some(id) = floor {
                                    a href=(paths::customers().with("home_floor_id", id).with("sort", "newest")) { (n) }
                                } @else { (n) }
                            }
                        }
                    }
                }
            }
            div.card {
                h2 { "Bills" }
                dl.figures {
                    div { dt { "Bills" } dd.num #bills { a href=(sales.clone().with("status", "COMPLETED")) { (r.bills) } } }
                    div { dt { "To new customers" } dd.num #bills-new { (r.bills_to_new) } }
                    div { dt { "To returning customers" } dd.num #bills-returning { (r.bills_to_returning()) } }
                    div { dt { "Payable" } dd.num.nowrap { a href=(sales) { (r.payable) } } }
                }
                p.hint { "A bill is to a new customer when the customer registered the same day." }
            }
        }
        @if !every_floor {
            p.hint.report-scope { "Figures are your floor's. Customers, the top list and the segments are store-wide: you can look up any customer, and a lifetime value is one total across every floor." }
        }
    }
}

fn segments(r: &CustomerAnalytics, params: &FormData) -> Markup {
    let base = kept_query(params, &["from", "to", "floor_id"]);
    html! {
        section.card.wide #segments aria-labelledby="segments-title" {
            h2 #segments-title { "Segments" }
            p.hint { "Fixed thresholds a jeweller would use, not worked out from this store's own spread, so a list keeps its meaning from one day to the next. Recency is counted to " (format_date(r.today)) "." }
            div.table-scroll {
                table.list {
                    thead { tr { th { "Segment" } th { "Rule" } th.num { "Customers" } } }
                    tbody {
                        @for (segment, n) in &r.counts.counts {
                            tr.current[*segment == r.filter.segment] {
                                td { a href=(paths::reports_customers().with_query(&base).with("segment", segment.slug()).at("members")) { (segment.label()) } span.segment-rule { (segment.rule()) } }
                                td { (segment.rule()) }
                                td.num { (n) @if !r.counts.complete { "+" } }
                            }
                        }
                    }
                }
            }
            @if !r.counts.complete {
                p.hint { "This store has more buyers than one count reads; the counts are of the "
                    (crate::app::customer_analytics::COUNT_SCAN) " most recent buyers (at least this many). Every list below is complete." }
            }
        }
    }
}

fn contact(row: &CallRow) -> Markup {
    html! {
        div.contact-buttons {
            a.button.call href=(format!("tel:{}", row.phone.e164())) aria-label=(format!("Call {}", row.name)) { (icon("phone")) (row.phone.to_string()) }
            a.button.whatsapp href=(whatsapp_link(row)) target="_blank" rel="noopener" aria-label=(format!("WhatsApp {}", row.name)) { (icon("whatsapp")) "WhatsApp" }
        }
    }
}

fn call_table(rows: &[CallRow], id: &str, tz: &TimeZone) -> Markup {
    html! {
        div.table-scroll {
            table.list.call-list #(id) {
                thead { tr { th { "Customer" } th { "Contact" } th { "Last purchase" } th.num { "Bills" } th.num { "Lifetime value" } } }
                tbody {
                    @for row in rows {
                        tr {
                            td { a href=(paths::customer(row.id)) { (row.name) } br; span.muted.code { (row.code) } }
                            td { (contact(row)) }
                            td.nowrap {
                                @if let Some(at) = row.last_purchase { (format_date(at.to_zoned_datetime(tz.clone()).date())) }
                                @if let Some(days) = row.days_since { br; span.muted { (days) " days ago" } }
                            }
                            td.num { (row.purchases) }
                            td.num.nowrap { (row.lifetime_value) }
                        }
                    }
                }
            }
        }
    }
}

fn members(r: &CustomerAnalytics, params: &FormData, tz: &TimeZone) -> Markup {
    let more = r.next.as_ref().map(|next| {
        paths::reports_customers()
            .with_query(&kept_query(params, &KEPT))
            .with("cursor", next)
            .at("members")
    });
    html! {
        section.card.wide #members aria-labelledby="members-title" {
            h2 #members-title { (r.filter.segment.label()) }
            p.hint { (r.filter.segment.rule()) " Latest purchase first"
                @if r.filter.segment == Segment::LapsedHighSpenders { "; here, highest value first" } "." }
            @if r.members.is_empty() { p.empty { "Nobody in this segment" @if params.text("cursor").is_some() { " further on" } "." } }
            @else { (call_table(&r.members, "segment-members", tz)) }
            @if let Some(more) = more { a.button rel="next" href=(more) { "More" (icon("chevron-right")) } }
        }
    }
}

fn top(r: &CustomerAnalytics, tz: &TimeZone) -> Markup {
    html! {
        section.card.wide #top-customers aria-labelledby="top-title" {
            h2 #top-title { "Top customers by lifetime value" }
            @if r.top.is_empty() { p.empty { "No purchases yet." } }
            @else {
                (bar_chart(&ChartText {
                    id: "top-customers-chart",
                    title: "Lifetime value of the top customers",
                    description: "One bar per customer, highest lifetime value first; each links to the customer's page.",
                }, &r.top.iter().map(|row| Bar {
                    label: row.name.clone(),
                    amount: row.lifetime_value,
                    href: Some(paths::customer(row.id).into()),
                }).collect::<Vec<_>>()))
                (call_table(&r.top, "top-list", tz))
            }
            a href=(paths::customers().with("sort", "-value")) { "Every customer by lifetime value" }
        }
    }
}

async fn export(
    state: AppState,
    viewer: Viewer,
    params: FormData,
    kind: ExportFormat,
) -> Result<Response, PageError> {
    let query = query_of(&params);
    let actor = viewer.actor.clone();
    let zone = state.crm.config().time_zone();
    let (name, bytes) = state
        .crm
        .run(move |crm| {
            let today = crm.today();
            let filter = query.parse(today)?;
            let title = filter.segment.label();
            let mut rows = Vec::new();
            crm.segment_call_list(&actor, &filter, today, CALL_LIST_MAX, &mut |row| {
                rows.push(call_list_row(row));
                Ok(())
            })?;
            let table = call_list_table(title);
            let bytes = match kind {
                ExportFormat::Csv => {
                    let mut csv =
                        CsvTable::begin(Vec::new(), table, zone).map_err(export_failed)?;
                    for row in &rows {
                        csv.row(row).map_err(export_failed)?;
                    }
                    csv.finish().map_err(export_failed)?
                }
                ExportFormat::Xlsx => {
                    let mut book = XlsxBook::new(zone);
                    book.begin(&table).map_err(export_failed)?;
                    for row in &rows {
                        book.row(row).map_err(export_failed)?;
                    }
                    let mut out = std::io::Cursor::new(Vec::new());
                    book.finish(&mut out).map_err(export_failed)?;
                    out.into_inner()
                }
            };
            Ok((
                format!("customers-{}-{today}", filter.segment.slug()),
                bytes,
            ))
        })
        .await?;
    Ok(download(kind, &name, bytes))
}

/// `GET /reports/customers.csv?segment=…`: the segment's call list.
pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    export(state, viewer, params, ExportFormat::Csv).await
}

/// `GET /reports/customers.xlsx?segment=…`.
pub async fn xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    export(state, viewer, params, ExportFormat::Xlsx).await
}
