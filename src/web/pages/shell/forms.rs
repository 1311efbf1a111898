//! Pieces the pages' forms share: the hidden fields every posted form carries, what a
//! form offers to choose from and where it posts, telling an htmx request from a page load, the status and messages of a
//! failed save or of list filters that cannot be read, the compact fields of an
//! inline-edit row, and the store's GST registration fields.

use axum::http::{HeaderMap, StatusCode};
use maud::{Markup, html};

use super::components::{Field, select};
use super::error::PageError;
use super::live::Watched;
use super::session::{CSRF_FIELD, Viewer};
use crate::app::Error;
use crate::domain::gst_states::all_states;
use crate::domain::{Category, EXAMPLE_GSTIN, FieldErrors, Floor};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::idempotency::{IDEMPOTENCY_FIELD, one_time_key};
use crate::web::paths::Link;

/// The hidden fields of every form a signed-in person posts: the session's CSRF token,
/// and a new one-time key, so that a double press of its button is one action.
pub fn form_keys(csrf: &str) -> Markup {
    html! {
        input type="hidden" name=(CSRF_FIELD) value=(csrf);
        (idempotency_field())
    }
}

/// The one-time key alone, for a form that draws its CSRF field itself.
pub fn idempotency_field() -> Markup {
    html! { input type="hidden" name=(IDEMPOTENCY_FIELD) value=(one_time_key()); }
}

/// The store's floors and categories, which the form offers to choose from.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub floors: Vec<Floor>,
    pub categories: Vec<Category>,
}

/// Where the form posts, where Cancel leads, and what its button says.
#[derive(Debug, Clone)]
pub struct Target {
    pub action: Link,
    pub cancel: Link,
    pub submit: &'static str,
    /// The record an edit form edits, watched for changes made elsewhere.
    pub watched: Option<Watched>,
}

impl Target {
    /// A form that adds to `list`: it posts there, and Cancel goes back there.
    pub fn adding(list: Link, submit: &'static str) -> Self {
        Self {
            action: list.clone(),
            cancel: list,
            submit,
            watched: None,
        }
    }

    /// A form that edits the record at `record`: it posts there, and Cancel goes back.
    pub fn editing(record: Link) -> Self {
        Self {
            action: record.clone(),
            cancel: record,
            submit: "Save changes",
            watched: None,
        }
    }

    /// The same form, telling the person typing when `record` changes elsewhere.
    #[must_use]
    pub fn watching(self, record: Watched) -> Self {
        Self {
            watched: Some(record),
            ..self
        }
    }
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

/// Whether htmx asked, so a fragment (a row) answers instead of a whole page. A row
/// sent back with its errors keeps the 422/409 status: the page's htmx configuration
/// swaps those in.
pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// Whether htmx asks for a filtered list's results alone (the filters swap them in).
pub fn wants_results(headers: &HeaderMap) -> bool {
    headers.get("hx-target").is_some_and(|t| t == "results")
}

/// A filtered list's page, or `None` with what `app` found wrong in the filters added
/// to `errors`: a filter that cannot be read is explained on the page, not refused.
pub fn listed<T>(
    result: Result<T, Error>,
    errors: &mut FieldErrors,
) -> Result<Option<T>, PageError> {
    match result {
        Ok(page) => Ok(Some(page)),
        Err(Error::Invalid(found) | Error::BadQuery(found)) => {
            for (field, message) in found.iter() {
                errors.add(field.clone(), message.clone());
            }
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}

/// The status of a filtered list: a 4xx while any filter could not be read.
pub fn list_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A compact labelled input for an inline edit row; ids carry `prefix` so a row can be
/// open next to the page's own add form.
pub fn row_field(
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

/// The store's GST registration as the setup page and the settings page ask for it:
/// the GSTIN (optional), the state chosen from GST's list, and the address.
pub fn gst_registration_fields(value: &dyn Fn(&str) -> String, errors: &FieldErrors) -> Markup {
    let hint = format!(
        "15 characters from the GST registration certificate, e.g. {EXAMPLE_GSTIN}; leave it empty if the store is not registered (its bills are then bills of supply, without GST)"
    );
    let mut states = vec![(String::new(), "Choose the state".to_owned())];
    states.extend(all_states().map(|(code, name)| (code.to_owned(), format!("{code} · {name}"))));
    html! {
        (Field::new("gstin", "GSTIN", value("gstin")).hint(&hint)
            .attr("autocomplete", "off").attr("autocapitalize", "characters").render(errors))
        (select("state_code", "State (GST state code)", &states, &value("state_code"), errors))
        (Field::new("address", "Address", value("address")).kind("textarea").wide()
            .hint("As printed on invoices").render(errors))
    }
}
