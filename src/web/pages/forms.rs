//! Pieces the pages' forms share: what a form offers to choose from and where it
//! posts, telling an htmx request from a page load, the status and messages of a
//! failed save, and the compact fields of an inline-edit row.

use axum::http::{HeaderMap, StatusCode};
use maud::{Markup, html};

use super::error::PageError;
use super::session::Viewer;
use crate::app::Error;
use crate::domain::{Category, FieldErrors, Floor};
use crate::store::Deleted;
use crate::web::AppState;

/// The store's floors and categories, which the form offers to choose from.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub floors: Vec<Floor>,
    pub categories: Vec<Category>,
}

/// Where the form posts, where Cancel leads, and what its button says.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub action: &'a str,
    pub cancel: &'a str,
    pub submit: &'a str,
}

/// The store's live floors and its categories, for a form's select boxes.
pub async fn choices(state: &AppState, viewer: &Viewer) -> Result<Choices, PageError> {
    let actor = viewer.actor.clone();
    Ok(state
        .crm
        .run(move |crm| {
            Ok(Choices {
                floors: crm.list_floors(&actor, Deleted::Hide)?,
                categories: crm.list_categories(&actor)?,
            })
        })
        .await?)
}

/// Nothing when the form found no problem of its own; otherwise every problem at once:
/// the form's, and those the app's checks (which save nothing) find in the rest, with
/// the app's field names (the API's) renamed to the form's by `rename`.
pub fn all_errors(
    mut errors: FieldErrors,
    rename: fn(FieldErrors) -> FieldErrors,
    check: impl FnOnce() -> Result<(), Error>,
) -> Result<(), Error> {
    if errors.is_empty() {
        return Ok(());
    }
    if let Err(Error::Invalid(more)) = check() {
        for (field, message) in rename(more).iter() {
            errors.add(field.clone(), message.clone());
        }
    }
    Err(Error::Invalid(errors))
}

/// Whether htmx asked, so a fragment (a row) answers instead of a whole page. A row
/// sent back with its errors keeps the 422/409 status: the page's htmx configuration
/// swaps those in.
pub(super) fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// What a failed save shows next to the fields, and its status.
pub(super) fn save_errors(
    err: Error,
    default_field: &'static str,
) -> Result<(StatusCode, FieldErrors), PageError> {
    match err {
        Error::Invalid(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, errors)),
        Error::Conflict { message, field, .. } => {
            let mut errors = FieldErrors::new();
            errors.add(field.unwrap_or(default_field), message);
            Ok((StatusCode::CONFLICT, errors))
        }
        other => Err(other.into()),
    }
}

/// A compact labelled input for an inline edit row; ids carry `prefix` so a row can be
/// open next to the page's own add form.
pub(super) fn row_field(
    prefix: &str,
    name: &str,
    label: &str,
    value: &str,
    kind: &str,
    errors: &FieldErrors,
) -> Markup {
    let id = format!("{prefix}-{}", name.replace('_', "-"));
    let error_id = format!("{id}-error");
    let error = errors.get(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            input #(id) type=(kind) name=(name) value=(value) required[name == "name"]
                step=[(kind == "number").then_some("1")]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(message) = error { p.field-error #(error_id) role="alert" { (super::components::sentence(message)) } }
        }
    }
}
