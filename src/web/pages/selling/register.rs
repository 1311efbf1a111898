//! Drawing up a new bill (`/sales/new`). The register (`/sales`) is in `sales_list`,
//! one sale's page in `sale_page`, the printable invoice in `invoice`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::bill_form::{self, BillFormTarget};
use crate::app::Permission;
use crate::domain::billing::CounterFinding;
use crate::domain::{CustomerId, FieldErrors};
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{redirect_to, save_errors};
use crate::web::pages::shell::forms::choices;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Submitted, Viewer};
use crate::web::paths;

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
