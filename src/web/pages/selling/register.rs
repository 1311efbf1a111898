//! The sales register (`/sales`) and drawing up a new bill (`/sales/new`). One sale's
//! page is in `sale_page`, the printable invoice in `invoice`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::bill_form::{self, BillFormTarget};
use crate::app::{Permission, SalesRegister};
use crate::domain::billing::CounterFinding;
use crate::domain::{CustomerId, FieldErrors, SaleId};
use crate::web::AppState;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{redirect_to, save_errors};
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::choices;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Submitted, Viewer};
use crate::web::paths;

const PER_PAGE: usize = 50;

/// `GET /sales`, newest first; `?before=<sale id>` pages back.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let before = match params.text("before").map(|b| b.parse::<uuid::Uuid>()) {
        None => None,
        Some(Ok(id)) => Some(SaleId::from_uuid(id)),
        Some(Err(_)) => {
            let message = "This list address is not right: 'before' must name a sale. Open Sales from the menu.";
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    &viewer,
                    "Sales",
                    html! {},
                    html! { div.alert.error role="alert" { (message) } },
                ),
            )
                .into_response());
        }
    };
    let actor = viewer.actor.clone();
    let register = state
        .crm
        .run(move |crm| crm.sales_register(&actor, before, PER_PAGE))
        .await?;
    let tz = state.crm.config().time_zone();
    Ok(view(&viewer, &register, before.is_some(), &tz).into_response())
}

/// One page of the register; `paged_back` says whether it is past the newest sales.
fn view(viewer: &Viewer, register: &SalesRegister, paged_back: bool, tz: &TimeZone) -> Markup {
    let actions = html! {
        a.button.primary #new-sale href=(paths::new_sale()) { (icon("receipt")) "New bill" }
    };
    let content = html! {
        section.card.wide {
            @if register.rows.is_empty() {
                p.empty { @if paged_back { "No older sales." } @else { "No sales yet. Draw up the first bill with New bill." } }
            } @else {
                div.table-scroll {
                    table.list #sales {
                        thead { tr { th { "Invoice" } th { "When" } th { "Customer" } th { "Floor" } th.num { "Total" } th { "Status" } } }
                        tbody {
                            @for row in &register.rows {
                                @let sale = &row.sale;
                                tr {
                                    td { a href=(paths::sale(sale.id)) {
                                        (sale.invoice_no.as_ref().map_or("Bill (no number yet)", |n| n.as_str()))
                                    } }
                                    td { (when(sale.completed_at.unwrap_or(sale.created_at), tz)) }
                                    td { (row.customer_name) " " span.muted { (row.customer_code) } }
                                    td { (row.floor_name) }
                                    td.num { (sale.total) }
                                    td { span.badge.(sale.status.as_str().to_lowercase()) { (label(sale.status.as_str())) } }
                                }
                            }
                        }
                    }
                }
            }
            nav.pagination aria-label="Pages" {
                @if paged_back { a.button href=(paths::sales()) { (icon("chevron-left")) "Newest" } }
                @if let Some(older) = register.older {
                    a.button rel="next" href=(paths::sales().with("before", older)) { "Older" (icon("chevron-right")) }
                }
            }
        }
    };
    page(viewer, "Sales", actions, content)
}

/// `GET /sales/new`, optionally for a customer (`?customer=<id>`) or a piece (`?sku=`).
pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let customer = params
        .text("customer")
        .and_then(|c| c.parse::<uuid::Uuid>().ok())
        .map(CustomerId::from_uuid);
    let actor = viewer.actor.clone();
    let phone = match customer {
        Some(id) => {
            let found = state
                .crm
                .run(move |crm| crm.get_customer(&actor, id))
                .await?;
            found.phone.to_string()
        }
        None => String::new(),
    };
    let mut draft = vec![("customer_phone".to_owned(), phone)];
    if let Some(sku) = params.text("sku") {
        draft.push(("line-0-sku".into(), sku));
    }
    render(
        &state,
        &viewer,
        &FormData::from_pairs(draft),
        &FieldErrors::new(),
        None,
    )
    .await
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    draft: &FormData,
    errors: &FieldErrors,
    quote: Option<(&crate::domain::Sale, &[CounterFinding])>,
) -> Result<Markup, PageError> {
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let choices = if every_floor {
        choices(state, viewer).await?
    } else {
        Default::default()
    };
    let target = BillFormTarget::new_bill();
    let form = bill_form::render(
        &viewer.csrf,
        draft,
        errors,
        &choices,
        every_floor,
        quote,
        &target,
    );
    Ok(page(viewer, "New bill", html! {}, form))
}

/// `POST /sales/new`: add a row, work the bill out, or draw it up.
pub async fn submit(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let action = form.get("action").unwrap_or("quote").to_owned();
    let mut draft = form.clone();
    // A new empty row takes the next index, named by its first field.
    let mut grow = |prefix: &str, field: &str| {
        let next = bill_form::rows(&draft, prefix);
        draft.push(format!("{prefix}-{next}-{field}"), String::new());
    };
    match action.as_str() {
        "add-line" => grow("line", "sku"),
        "add-payment" => grow("pay", "amount"),
        "add-gold" => grow("gold", "weight"),
        _ => {}
    }
    if action.starts_with("add-") {
        let page = render(&state, &viewer, &draft, &FieldErrors::new(), None).await?;
        return Ok(page.into_response());
    }
    let read = bill_form::read(&form, viewer.actor.may(Permission::EveryFloor));
    let actor = viewer.actor.clone();
    let (input, own_errors) = (read.input.clone(), read.errors.clone());
    let create = action == "create" && own_errors.is_empty();
    let result = state
        .crm
        .run(move |crm| {
            if create {
                crm.create_sale(&actor, input)
                    .map(|sale| (sale, Vec::new()))
            } else {
                let sale = crm.quote_sale(&actor, input)?;
                let rules = crm.counter_rules(&actor, &sale)?;
                Ok((sale, rules))
            }
        })
        .await;
    match result {
        Ok((sale, _)) if create => Ok(redirect_to(paths::sale(sale.id).done("created"))),
        Ok((sale, rules)) if own_errors.is_empty() => {
            Ok(
                render(&state, &viewer, &form, &own_errors, Some((&sale, &rules)))
                    .await?
                    .into_response(),
            )
        }
        Ok(_) => invalid(&state, &viewer, &form, own_errors).await,
        Err(err) => {
            let (status, app_errors) = save_errors(err, "lines")?;
            let mut errors = own_errors;
            for (field, message) in read.rename(app_errors).iter() {
                errors.add(field.clone(), message.clone());
            }
            let page = render(&state, &viewer, &form, &errors, None).await?;
            Ok((status, page).into_response())
        }
    }
}

async fn invalid(
    state: &AppState,
    viewer: &Viewer,
    form: &FormData,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let page = render(state, viewer, form, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
