//! Drawing up a new bill (`/sales/new`); the presses of its form are handled by
//! `bill_press`. The register (`/sales`) is in `sales_list`, one sale's page in
//! `sale_page`, the printable invoice in `invoice`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::Markup;

use super::bill_press::{self, Redraw, Saving};
use crate::domain::{CustomerId, FieldErrors};
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::session::{FormData, Params, Submitted, Viewer};

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
    let no_errors = FieldErrors::new();
    let redraw = Redraw::page(&draft, &no_errors);
    bill_press::draw(&state, &viewer, Saving::NewBill, redraw).await
}

/// `POST /sales/new`: add or take out a row, work the bill out, or draw it up.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    bill_press::press(&state, &headers, &viewer, &form, Saving::NewBill).await
}
