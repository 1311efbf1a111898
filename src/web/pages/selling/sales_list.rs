//! The sales register page (`/sales`): filters kept in the address, the totals of
//! every matching sale, and the sales newest first with the customer's name.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::{Permission, RegisterTotals, SalesFilterText, SalesRegister, StaffNames};
use crate::domain::{FieldErrors, Floor, InvalidValue, PaymentMethod, SaleId, SaleStatus};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::exports::{SALES_FILTERS, download_links};
use crate::web::pages::shell::components::{icon, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::{list_status, listed};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

const PER_PAGE: usize = 50;

/// The filters the address may carry, kept on every link that pages on.
const FILTERS: [&str; 7] = [
    "from",
    "to",
    "floor_id",
    "salesperson_id",
    "status",
    "payment",
    "invoice",
];

fn filter_text(params: &FormData) -> SalesFilterText {
    SalesFilterText {
        from: params.text("from"),
        to: params.text("to"),
        floor_id: params.text("floor_id"),
        salesperson_id: params.text("salesperson_id"),
        status: params.text("status"),
        payment: params.text("payment"),
        invoice: params.text("invoice"),
    }
}

/// `/sales` with the filters given, for the links that page on.
fn filtered_address(params: &FormData) -> paths::Link {
    let kept: Vec<(&str, String)> = FILTERS
        .iter()
        .filter_map(|k| params.text(k).map(|v| (*k, v)))
        .collect();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    paths::sales().with_query(&query)
}

/// `GET /sales`, newest first; the filters narrow it and `?before=<sale id>` pages back.
/// A filter that cannot be read is explained above the list (422), never a failure.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let before = params.text("before").and_then(|b| {
        errors.check(
            "before",
            b.parse::<uuid::Uuid>()
                .map(SaleId::from_uuid)
                .map_err(|_| InvalidValue::new("must name a sale; open Sales from the menu")),
        )
    });
    let filter = listed(filter_text(&params).parse(), &mut errors)?;
    let actor = viewer.actor.clone();
    let (floors, staff, register) = state
        .crm
        .run(move |crm| {
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let staff = crm.staff_names(&actor)?;
            let register = match (&filter, errors.is_empty()) {
                (Some(filter), true) => Some(crm.sales_register(&actor, filter, before, PER_PAGE)),
                _ => None,
            };
            Ok((floors, staff, (register, errors)))
        })
        .await?;
    let (register, mut errors) = register;
    let register = match register {
        Some(result) => listed(result, &mut errors)?,
        None => None,
    };
    let tz = state.crm.config().time_zone();
    let choices = Choices {
        floors: &floors,
        staff: &staff,
        every_floor: viewer.actor.may(Permission::EveryFloor),
    };
    let content = html! {
        (filters(&params, &choices, &errors))
        // The bills below, and their totals, redraw themselves as sales change; the
        // filters above stay as typed.
        @if let Some(register) = &register {
            (Region::new("sales-live", &[Kind::Sale]).wrap(html! {
                (totals(&register.totals))
                (download_links(paths::sales_export(), &params, SALES_FILTERS, Some(register.totals.bills)))
                (table(&params, register, before.is_some(), &staff, &tz))
            }))
        }
    };
    let actions = html! {
        a.button.primary #new-sale href=(paths::new_sale()) { (icon("receipt")) "New bill" }
    };
    Ok((
        list_status(&errors),
        page(&viewer, "Sales", actions, content),
    )
        .into_response())
}

/// What the filters offer to choose from.
struct Choices<'a> {
    floors: &'a [Floor],
    staff: &'a StaffNames,
    every_floor: bool,
}

fn options<'a>(any: &str, all: impl Iterator<Item = (String, &'a str)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(all.map(|(value, text)| (value, text.to_owned())))
        .collect()
}

fn filters(params: &FormData, choices: &Choices<'_>, errors: &FieldErrors) -> Markup {
    let value = |k: &str| params.get(k).unwrap_or("").to_owned();
    let floors = options(
        "All floors",
        choices
            .floors
            .iter()
            .map(|f| (f.id.to_string(), f.name.as_str())),
    );
    let staff = choices.staff.by_name();
    let staff = options(
        "Anyone",
        staff.iter().map(|(id, name)| (id.to_string(), *name)),
    );
    let statuses: Vec<(String, String)> = std::iter::once((String::new(), "Any status".to_owned()))
        .chain(
            SaleStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), label(s.as_str()))),
        )
        .collect();
    let payments = options(
        "Any payment",
        PaymentMethod::ALL
            .iter()
            .map(|m| (m.as_str().to_owned(), m.label())),
    );
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
    // The invoice search is always in view; the other filters fold away (on a phone
    // they would fill the first screen) and open when one of them is in use.
    let narrowing = [
        "from",
        "to",
        "floor_id",
        "salesperson_id",
        "status",
        "payment",
    ];
    let in_use = narrowing
        .iter()
        .filter(|k| !value(k).is_empty() || errors.get(k).is_some())
        .count();
    html! {
        form.filters #sales-filters method="get" action=(paths::sales()) {
            div.field.search-field {
                label for="filter-invoice" { "Invoice number" }
                input #filter-invoice type="search" name="invoice" value=(value("invoice"))
                    placeholder="SJ/26-27/000123 or 123" autocomplete="off";
                @if let Some(message) = errors.get("invoice") { p.field-error role="alert" { (message) } }
            }
            div.field.filter-buttons {
                button.button type="submit" { (icon("search")) "Show" }
                " "
                a.button href=(paths::sales()) { "Clear" }
            }
            details.more-filters #more-filters open[in_use > 0] {
                summary {
                    @if choices.every_floor { "Dates, floor, salesperson, status, payment" }
                    @else { "Dates, salesperson, status, payment" }
                    @if in_use > 0 { " (" (in_use) " in use)" }
                }
                div.filters {
                    (date("from", "From"))
                    (date("to", "To"))
                    @if choices.every_floor {
                        (select("floor_id", "Floor", &floors, &value("floor_id"), errors))
                    }
                    (select("salesperson_id", "Salesperson", &staff, &value("salesperson_id"), errors))
                    (select("status", "Status", &statuses, &value("status"), errors))
                    (select("payment", "Payment", &payments, &value("payment"), errors))
                }
            }
            @if let Some(message) = errors.get("before") { p.field-error role="alert" { "This list address is not right: 'before' " (message) } }
        }
    }
}

/// The totals of every matching sale, not only the page shown, and what they add up.
fn totals(t: &RegisterTotals) -> Markup {
    html! {
        section.card.wide #sales-totals aria-label="Totals of the sales shown" {
            dl.figures {
                div { dt { "Bills" } dd.num #total-bills { (t.bills) } }
                div { dt { "Invoiced" } dd.num #total-invoiced { (t.invoiced) } }
                div { dt { "Payable" } dd.num.nowrap #total-payable { (t.payable) } }
                div { dt { "Refunded" } dd.num.nowrap #total-refunded { (t.refunded) } }
                div { dt { "Cash kept" } dd.num.nowrap #total-cash { (t.cash) } }
            }
            p.hint { "Every sale that matches, on all pages. Payable adds up completed bills (refunded ones too, with what was paid back shown beside it); pending and cancelled bills are left out. Cash kept is cash taken less change given, on those bills." }
        }
    }
}

fn table(
    params: &FormData,
    register: &SalesRegister,
    paged_back: bool,
    staff: &StaffNames,
    tz: &TimeZone,
) -> Markup {
    let address = filtered_address(params);
    let filtered = FILTERS.iter().any(|k| params.text(k).is_some());
    html! {
        section.card.wide {
            @if register.rows.is_empty() {
                p.empty {
                    @if paged_back { "No older sales." }
                    @else if filtered { "No sales match these filters." }
                    @else { "No sales yet. Draw up the first bill with New bill." }
                }
            } @else {
                div.table-scroll {
                    table.list #sales {
                        thead { tr {
                            th { "Invoice" } th { "When" } th { "Customer" } th { "Floor" }
                            th { "Salesperson" } th.num { "Payable" } th { "Status" }
                        } }
                        tbody {
                            @for row in &register.rows {
                                @let sale = &row.sale;
                                tr {
                                    td.nowrap { a href=(paths::sale(sale.id)) {
                                        (sale.invoice_no.as_ref().map_or("Bill (no number yet)", |n| n.as_str()))
                                    } }
                                    td.nowrap { (when(sale.completed_at.unwrap_or(sale.created_at), tz)) }
                                    td { (row.customer_name) " " span.muted.nowrap { (row.customer_code) } }
                                    td { (row.floor_name) }
                                    td { (staff.name(sale.staff_id)) }
                                    td.num.nowrap { (sale.payable()) }
                                    td { span.badge.(sale.status.as_str().to_lowercase()) { (label(sale.status.as_str())) } }
                                }
                            }
                        }
                    }
                }
            }
            nav.pagination aria-label="Pages" {
                @if paged_back { a.button href=(address.clone()) { (icon("chevron-left")) "Newest" } }
                @if let Some(older) = register.older {
                    a.button rel="next" href=(address.with("before", older)) { "Older" (icon("chevron-right")) }
                }
            }
        }
    }
}
