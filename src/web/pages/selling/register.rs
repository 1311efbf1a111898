//! The sales register (`/sales`) and drawing up a new bill (`/sales/new`). One sale's
//! page is in `sale_page`, the printable invoice in `invoice`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::bill_form::{self, BillForm};
use super::bill_rows::{BillAction, with_new_row, without_row};
use super::lookups::look_up_phone;
use crate::app::{Permission, SalesRegister};
use crate::domain::{CustomerId, FieldErrors, SaleId};
use crate::web::AppState;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{go_to, save_errors};
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::{choices, is_htmx};
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
    let draft = FormData::from_pairs(draft);
    render(&state, &viewer, Redraw::page(&draft, &FieldErrors::new())).await
}

/// The bill form drawn again after a press: a whole page, or for htmx the form alone,
/// which replaces the one on the page.
#[derive(Debug, Clone, Copy)]
struct Redraw<'a> {
    draft: &'a FormData,
    errors: &'a FieldErrors,
    quote: Option<&'a crate::domain::Sale>,
    focus: Option<&'a str>,
    fragment: bool,
}

impl<'a> Redraw<'a> {
    fn page(draft: &'a FormData, errors: &'a FieldErrors) -> Self {
        Self {
            draft,
            errors,
            quote: None,
            focus: None,
            fragment: false,
        }
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    redraw: Redraw<'_>,
) -> Result<Markup, PageError> {
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let choices = if every_floor {
        choices(state, viewer).await?
    } else {
        Default::default()
    };
    let typed = redraw.draft.text("customer_phone").unwrap_or_default();
    let customer = look_up_phone(state, viewer, &typed).await?;
    let action = paths::new_sale();
    let form = bill_form::render(&BillForm {
        action: &action,
        csrf: &viewer.csrf,
        draft: redraw.draft,
        errors: redraw.errors,
        choices: &choices,
        every_floor,
        quote: redraw.quote,
        customer: &customer,
        focus: redraw.focus,
    });
    if redraw.fragment {
        return Ok(form);
    }
    Ok(page(viewer, "New bill", html! {}, form))
}

/// `POST /sales/new`: add or take out a row, work the bill out, or draw it up. An htmx
/// press gets the form back alone, to swap in place, and "Draw up" sends it on with
/// `HX-Redirect`; a plain post gets the whole page.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let fragment = is_htmx(&headers);
    let action = BillAction::of(&form);
    let (draft, focus) = match action {
        BillAction::Add(kind) => {
            let (grown, row) = with_new_row(&form, kind);
            (
                grown,
                Some(format!(
                    "field-{}-{row}-{}",
                    kind.prefix(),
                    kind.first_field()
                )),
            )
        }
        BillAction::Remove(kind, row) => (
            without_row(&form, kind, row),
            Some(format!("add-{}", kind.prefix())),
        ),
        BillAction::WorkOut | BillAction::DrawUp => (form.clone(), None),
    };
    if matches!(action, BillAction::Add(_) | BillAction::Remove(..)) {
        let no_errors = FieldErrors::new();
        let redraw = Redraw {
            focus: focus.as_deref(),
            fragment,
            ..Redraw::page(&draft, &no_errors)
        };
        return Ok(render(&state, &viewer, redraw).await?.into_response());
    }
    let read = bill_form::read(&form, viewer.actor.may(Permission::EveryFloor));
    let actor = viewer.actor.clone();
    let (input, own_errors) = (read.input.clone(), read.errors.clone());
    let create = action == BillAction::DrawUp && own_errors.is_empty();
    let result = state
        .crm
        .run(move |crm| {
            if create {
                crm.create_sale(&actor, input)
            } else {
                crm.quote_sale(&actor, input)
            }
        })
        .await;
    let mut errors = own_errors;
    let (status, quote) = match result {
        Ok(sale) if create => return Ok(go_to(&headers, paths::sale(sale.id).done("created"))),
        Ok(sale) if errors.is_empty() => (StatusCode::OK, Some(sale)),
        Ok(_) => (StatusCode::UNPROCESSABLE_ENTITY, None),
        Err(err) => {
            let (status, app_errors) = save_errors(err, "lines")?;
            for (field, message) in read.rename(app_errors).iter() {
                errors.add(field.clone(), message.clone());
            }
            (status, None)
        }
    };
    // A worked-out bill is brought into view; otherwise the first field to correct.
    let focus = match quote {
        Some(_) => Some("quote-view".to_owned()),
        None => first_field_with_error(&errors),
    };
    let redraw = Redraw {
        quote: quote.as_ref(),
        focus: focus.as_deref(),
        fragment,
        ..Redraw::page(&form, &errors)
    };
    Ok((status, render(&state, &viewer, redraw).await?).into_response())
}

/// The input of the first field with a message, to put the focus on.
fn first_field_with_error(errors: &FieldErrors) -> Option<String> {
    errors
        .iter()
        .next()
        .map(|(field, _)| format!("field-{}", field.replace(['.', '_'], "-")))
}
