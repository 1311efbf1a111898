//! What the bill form fetches while staff type: who the phone number typed belongs to
//! (shown by name under the field) and the pieces in stock whose tag numbers start with
//! what is typed (the tag field's suggestions). Both answer htmx with a fragment.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::app::Error;
use crate::domain::Customer;
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::price_today_text;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

/// Digits in a full Indian mobile number; fewer, and the person is still typing.
const PHONE_DIGITS: usize = 10;

/// What the phone number typed so far comes to.
#[derive(Debug, Clone)]
pub enum PhoneLookup {
    /// Nothing typed, or too few digits yet to be a number.
    Typing,
    /// The customer on that number.
    Found(Box<Customer>),
    /// A readable number no customer has, as typed.
    NotFound(String),
    /// Text that cannot be a phone number, and why.
    Unreadable(String),
}

/// Looks up the customer on `typed`, unless the person is still typing it.
pub async fn look_up_phone(
    state: &AppState,
    viewer: &Viewer,
    typed: &str,
) -> Result<PhoneLookup, PageError> {
    let digits = typed.chars().filter(char::is_ascii_digit).count();
    let only_phone_characters = typed
        .chars()
        .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    if digits < PHONE_DIGITS && only_phone_characters {
        return Ok(PhoneLookup::Typing);
    }
    let actor = viewer.actor.clone();
    let asked = typed.to_owned();
    let result = state
        .crm
        .run(move |crm| crm.customer_with_phone(&actor, &asked))
        .await;
    Ok(match result {
        Ok(Some(customer)) => PhoneLookup::Found(Box::new(customer)),
        Ok(None) => PhoneLookup::NotFound(typed.trim().to_owned()),
        Err(Error::Invalid(errors)) => PhoneLookup::Unreadable(
            errors
                .get("customer_phone")
                .unwrap_or("is not a phone number")
                .to_owned(),
        ),
        Err(other) => return Err(other.into()),
    })
}

/// The line under the phone field: the customer by name, or what to do.
pub fn customer_line(lookup: &PhoneLookup) -> Markup {
    html! {
        @match lookup {
            PhoneLookup::Typing => {}
            PhoneLookup::Found(customer) => {
                p.customer-found #customer-name {
                    strong { (customer.name.as_str()) }
                    " · " span.nowrap { (customer.phone.to_string()) }
                    " · " span.nowrap.code { (customer.code()) }
                }
            }
            PhoneLookup::NotFound(typed) => {
                p.customer-missing #customer-missing {
                    "No customer with this number — "
                    a href=(paths::new_customer().with("phone", typed)) { "add one" }
                }
            }
            PhoneLookup::Unreadable(message) => {
                p.customer-missing #customer-unreadable {
                    "The phone number " (message)
                }
            }
        }
    }
}

/// `GET /sales/lookup/customer?customer_phone=`: the line under the bill form's phone
/// field. A number that cannot be read is answered 422, with the reason.
pub async fn customer(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let typed = params.text("customer_phone").unwrap_or_default();
    let lookup = look_up_phone(&state, &viewer, &typed).await?;
    let status = match lookup {
        PhoneLookup::Unreadable(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    Ok((status, customer_line(&lookup)).into_response())
}

/// What was typed into a tag field: `q`, or the one `line-N-sku` field htmx sends.
fn typed_tag(params: &FormData) -> String {
    params.text("q").unwrap_or_else(|| {
        params
            .pairs()
            .iter()
            .find(|(name, _)| name.starts_with("line-") && name.ends_with("-sku"))
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    })
}

/// `GET /sales/lookup/tags?q=`: the options of a tag field's suggestion list, each piece
/// with its name, weight and price today. Text that cannot be in a tag number is
/// answered 422 with no suggestions.
pub async fn tags(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let typed = typed_tag(&params);
    let actor = viewer.actor.clone();
    let result = state
        .crm
        .run(move |crm| crm.tag_suggestions(&actor, &typed))
        .await;
    let found = match result {
        Ok(found) => found,
        Err(Error::Invalid(_)) => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html! {}).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    Ok(html! {
        @for piece in &found {
            @let p = &piece.product;
            option value=(p.sku.as_str()) {
                (p.sku.as_str()) " · " (p.name.as_str()) " · " (p.gross_weight.to_string())
                " · " (price_today_text(piece.price.as_ref()))
            }
        }
    }
    .into_response())
}
