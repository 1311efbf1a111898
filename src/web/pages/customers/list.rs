//! The customer list: search, filters, sort and pages, answered whole or (for htmx)
//! as just the results. The customer's own page and its forms are in `page`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::app::{CustomerQuery, Permission};
use std::collections::HashMap;

use crate::domain::{
    Customer, CustomerId, CustomerStatus, CustomerValue, FieldErrors, Floor, FloorId, format_date,
};
use crate::store::{Deleted, Page};
use crate::web::AppState;
use crate::web::pages::activity::walk_in_button;
use crate::web::pages::exports::{CUSTOMER_FILTERS, download_links};
use crate::web::pages::shell::components::{done_notice, icon, pagination, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::label;
use crate::web::pages::shell::forms::{list_status, listed, wants_results};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

/// The list's filters, read from the address as typed; a value that cannot be read is
/// reported on the page rather than refused.
fn query_of(params: &FormData, errors: &mut FieldErrors) -> CustomerQuery {
    CustomerQuery {
        q: params.text("q"),
        status: params
            .text("status")
            .and_then(|s| errors.check("status", s.parse::<CustomerStatus>())),
        home_floor_id: params
            .text("home_floor_id")
            .and_then(|f| errors.check("home_floor_id", FloorId::parse(&f).map(|id| id.as_uuid()))),
        tag: params.text("tag"),
        deleted: params.checked("deleted").then_some(true),
        sort: params.text("sort"),
        page: params.text("page").and_then(|p| {
            errors.check(
                "page",
                p.parse::<u32>()
                    .map_err(|_| crate::domain::InvalidValue::new("is not a page number")),
            )
        }),
        per_page: None,
        limit: None,
        cursor: None,
    }
}

/// `GET /customers`
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let query = query_of(&params, &mut errors);
    let actor = viewer.actor.clone();
    let (floors, result, values) = state
        .crm
        .run(move |crm| {
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let result = crm.list_customers(&actor, &query);
            let ids: Vec<CustomerId> = result
                .as_ref()
                .map(|page| page.items.iter().map(|c| c.id).collect())
                .unwrap_or_default();
            let values = crm.customer_values(&actor, &ids)?;
            Ok((floors, result, values))
        })
        .await?;
    let page_result = listed(result, &mut errors)?;
    let tz = state.crm.config().time_zone();
    let listed = Listed {
        floors: &floors,
        values: &values,
        tz: &tz,
    };
    let results = results(&params, page_result.as_ref(), &listed, &errors);
    let status = list_status(&errors);
    if wants_results(&headers) {
        return Ok((status, results).into_response());
    }
    let actions = html! {
        (walk_in_button(&viewer, &floors))
        a.button #import-customers href=(paths::imports()) { "Import" }
        a.button #possible-duplicates href=(paths::customer_duplicates()) { "Possible duplicates" }
        a.button.primary #add-customer href=(paths::new_customer()) { (icon("plus")) "Add customer" }
    };
    let content = html! {
        (done_notice(params.get("done")))
        (filters(&viewer, &params, &floors))
        // The list follows customers added and changed elsewhere; the address (kept current
        // by the filters) says which to draw.
        (Region::new("customers-live", &[Kind::Customer]).wrap(results))
    };
    Ok((status, page(&viewer, "Customers", actions, content)).into_response())
}

/// The search box and filters; htmx sends them as they change and swaps the results.
fn filters(viewer: &Viewer, params: &FormData, floors: &[Floor]) -> Markup {
    let floor_options: Vec<(String, String)> =
        std::iter::once((String::new(), "All floors".to_owned()))
            .chain(
                floors
                    .iter()
                    .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
            )
            .collect();
    let status_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Any status".to_owned()))
            .chain(
                CustomerStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_owned(), label(s.as_str()))),
            )
            .collect();
    let sort_options: Vec<(String, String)> = [
        ("newest", "Newest first"),
        ("oldest", "Oldest first"),
        ("name", "Name A–Z"),
        ("-name", "Name Z–A"),
        ("-value", "Highest value"),
        ("-last_purchase", "Latest purchase"),
        ("-visits", "Most visits"),
        ("value", "Lowest value"),
        ("last_purchase", "Longest since a purchase"),
        ("visits", "Fewest visits"),
    ]
    .iter()
    .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
    .collect();
    let no_errors = FieldErrors::new();
    html! {
        form.filters #customer-filters method="get" action=(paths::customers())
            hx-get=(paths::customers()) hx-target="#results" hx-swap="outerHTML" hx-push-url="true"
            hx-trigger="input changed delay:250ms from:#list-search, change, submit" {
            div.field.search-field {
                label for="list-search" { "Search" }
                input #list-search type="search" name="q" value=(params.get("q").unwrap_or(""))
                    placeholder="Name, phone, code, locality…" autocomplete="off";
            }
            (select("status", "Status", &status_options, params.get("status").unwrap_or(""), &no_errors))
            (select("home_floor_id", "Home floor", &floor_options, params.get("home_floor_id").unwrap_or(""), &no_errors))
            (select("sort", "Order", &sort_options, params.get("sort").unwrap_or("newest"), &no_errors))
            @if viewer.actor.may(Permission::SeeRemoved) {
                label.chip.toggle {
                    input type="checkbox" name="deleted" value="true" checked[params.checked("deleted")];
                    span { "Removed only" }
                }
            }
            noscript { button.button type="submit" { "Apply" } }
        }
    }
}

fn list_address(params: &FormData) -> String {
    let kept: Vec<(String, String)> = ["q", "status", "home_floor_id", "sort", "deleted"]
        .iter()
        .filter_map(|k| params.text(k).map(|v| ((*k).to_owned(), v)))
        .collect();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    paths::customers().with_query(&query).into()
}

/// What the rows of the list name beside each customer.
struct Listed<'a> {
    floors: &'a [Floor],
    values: &'a HashMap<CustomerId, CustomerValue>,
    tz: &'a jiff::tz::TimeZone,
}

fn results(
    params: &FormData,
    page: Option<&Page<Customer>>,
    listed: &Listed<'_>,
    errors: &FieldErrors,
) -> Markup {
    let floor_name = |id: Option<FloorId>| {
        id.and_then(|id| listed.floors.iter().find(|f| f.id == id))
            .map_or("—", |f| f.name.as_str())
    };
    let tz = listed.tz;
    let value_of = |id: CustomerId| listed.values.get(&id).copied().unwrap_or_default();
    html! {
        div #results aria-live="polite" hx-swap="outerHTML" {
            @if !errors.is_empty() {
                div.alert.error role="alert" {
                    @for (field, message) in errors.iter() { p { (label(field)) ": " (message) } }
                }
            }
            @if let Some(page) = page {
                @if page.items.is_empty() {
                    div.empty {
                        p { "No customers match." }
                        @if params.text("q").is_some() {
                            p { a.button.primary href=(paths::new_customer()) { (icon("plus")) "Add a new customer" } }
                        }
                    }
                } @else {
                    div.table-scroll {
                        table.list #customer-list {
                            thead { tr {
                                th scope="col" { "Customer" }
                                th scope="col" { "Mobile" }
                                th scope="col" .hide-narrow { "Home floor" }
                                th scope="col" { "Status" }
                                th scope="col" .num { "Lifetime value" }
                                th scope="col" .hide-narrow { "Last purchase" }
                                th scope="col" .num.hide-narrow title="Walk-ins logged and completed bills" { "Visits" }
                                th scope="col" .hide-narrow { "Added" }
                            } }
                            tbody {
                                @for c in &page.items {
                                    @let value = value_of(c.id);
                                    tr {
                                        td {
                                            a.row-link href=(paths::customer(c.id)) { (c.name.as_str()) }
                                            span.sub { (c.code()) @if c.deleted_at.is_some() { " · removed" } }
                                        }
                                        td.nowrap { (c.phone.to_string()) }
                                        td.hide-narrow { (floor_name(c.home_floor_id)) }
                                        td { span.badge.(c.status.as_str().to_lowercase()) { (label(c.status.as_str())) } }
                                        td.num.nowrap { (value.lifetime_value) }
                                        td.hide-narrow.nowrap {
                                            (value.last_purchase.map_or("—".to_owned(), |at| format_date(at.to_zoned_datetime(tz.clone()).date())))
                                        }
                                        td.num.hide-narrow { (value.visits()) }
                                        td.hide-narrow.nowrap { (format_date(c.created_at.to_zoned_datetime(tz.clone()).date())) }
                                    }
                                }
                            }
                        }
                    }
                }
                (pagination(&list_address(params), page.page, page.has_more, page.total, page.per_page))
                (download_links(paths::customers_export(), params, CUSTOMER_FILTERS, page.total))
            }
        }
    }
}
