//! `/settings/api-keys`: a Business Admin's list of integrations' API keys, with revoke,
//! and the form that makes one; a new key's secret is shown once, on the answer to
//! the form, and never again.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

use crate::app::{ApiKeyInput, ApiKeyRow, NewApiKey, Permission};
use crate::domain::{ApiKeyId, Area, FieldErrors};
use crate::web::AppState;
use crate::web::pages::shell::components::{confirm_dialog, done_notice, error_summary};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, act};
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

const SHOWN: &[&str] = &["name", "scope", "areas", "expires_on"];

fn area_field(area: Area) -> String {
    format!("area_{}", area.as_str())
}

fn keys_table(rows: &[ApiKeyRow], viewer: &Viewer, tz: &jiff::tz::TimeZone) -> Markup {
    html! {
        @if rows.is_empty() {
            p.empty { "No API keys yet. Make one below for each program that needs the store's data." }
        } @else {
            div.table-scroll { table #api-keys-table {
                thead { tr { th { "Name" } th { "Key starts" } th { "Scope" } th { "Made" } th { "Expires" } th { "Last used" } th { "" } } }
                tbody { @for row in rows {
                    @let key = &row.key;
                    tr {
                        td { (key.name.as_str()) }
                        td { code { (key.prefix) "…" } }
                        td { (key.scope.describe()) }
                        td { (when(key.created_at, tz)) " by " (row.created_by_name) }
                        td { @match key.expires_at { Some(at) => (when(at, tz)), None => "Never" } }
                        td { @match key.last_used_at {
                            Some(at) => { (when(at, tz)) @if let Some(from) = key.last_used_from { " from " (from) } }
                            None => "Not yet",
                        } }
                        td { @if let Some(at) = key.revoked_at { "Revoked " (when(at, tz)) } @else {
                            @let dialog = format!("revoke-{}", key.id);
                            button.button.danger type="button" data-open-dialog=(dialog) { "Revoke" }
                            (confirm_dialog(
                                &dialog,
                                &format!("Revoke {}?", key.name.as_str()),
                                "Programs using this key are refused at once. A revoked key cannot be brought back; make a new one if needed.",
                                &paths::revoke_api_key(key.id),
                                &viewer.csrf,
                                ("Keep it", "Revoke key"),
                            ))
                        } }
                    }
                } }
            } }
        }
    }
}

fn create_form(viewer: &Viewer, draft: &FormData, errors: &FieldErrors) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let areas_chosen = v("scope") == "areas";
    html! {
        form #api-key-form .form-card method="post" action=(paths::api_keys()) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            fieldset {
                legend { "New API key" }
                div.field.wide {
                    label for="field-name" { "Name" }
                    input #field-name name="name" type="text" maxlength="60" value=(v("name")) required;
                    @if let Some(message) = errors.get("name") { p.field-error { (message) } }
                    p.hint { "What the key is for, e.g. Tally export or WhatsApp gateway." }
                }
                div.field.wide {
                    span.label { "Scope" }
                    label { input type="radio" name="scope" value="read_only" checked[!areas_chosen]; " Read-only: reads everything, changes nothing" }
                    label { input type="radio" name="scope" value="areas" checked[areas_chosen]; " Chosen areas:" }
                    div.grid { @for area in Area::ALL {
                        @let field = area_field(area);
                        div.field {
                            label for=(format!("field-{field}")) { (capitalised(area.as_str())) }
                            select #(format!("field-{field}")) name=(field) {
                                @for (value, label) in [("none", "No access"), ("read", "Read"), ("read_write", "Read and write")] {
                                    option value=(value) selected[v(&field) == value] { (label) }
                                }
                            }
                        }
                    } }
                    @if let Some(message) = errors.get("areas").or(errors.get("scope")) { p.field-error { (message) } }
                }
                div.field {
                    label for="field-expires_on" { "Last day it works (optional)" }
                    input #field-expires_on name="expires_on" type="date" value=(v("expires_on"));
                    @if let Some(message) = errors.get("expires_on") { p.field-error { (message) } }
                }
                p.hint { "A key acts as you, within its scope. No key can manage staff, floors, settings, backups or keys." }
            }
            div.form-actions { button.button.primary type="submit" { "Make key" } }
        }
    }
}

fn secret_notice(new: &NewApiKey) -> Markup {
    html! {
        section.alert.warning role="alert" #new-api-key {
            h2 { "Key made: " (new.key.name.as_str()) }
            p { strong { "Copy it now: it will not be shown again." } " Send it as "
                code { "Authorization: Bearer <key>" } " on the API." }
            div.field.wide {
                label for="new-api-key-secret" { "Key" }
                input #new-api-key-secret type="text" readonly value=(new.secret);
            }
            button.button type="button" data-copy="new-api-key-secret" { "Copy key" }
        }
    }
}

async fn keys_page(
    state: &AppState,
    viewer: &Viewer,
    top: Markup,
    draft: &FormData,
    errors: &FieldErrors,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let rows = state.crm.run(move |crm| crm.api_keys(&actor)).await?;
    let tz = state.crm.config().time_zone();
    let content = html! {
        (top)
        section.card { h2 { "Keys" } (keys_table(&rows, viewer, &tz)) }
        (create_form(viewer, draft, errors))
    };
    Ok(page(viewer, "API keys", html! {}, content))
}

/// `GET /settings/api-keys`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    viewer.actor.require(Permission::ManageApiKeys)?;
    let notice = done_notice(params.get("done"));
    keys_page(
        &state,
        &viewer,
        notice,
        &FormData::default(),
        &FieldErrors::new(),
    )
    .await
}

/// `POST /settings/api-keys`: makes a key and shows its secret, once.
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageApiKeys)?;
    let scope = form.get("scope").unwrap_or("read_only").to_owned();
    let input = ApiKeyInput {
        name: form.get("name").unwrap_or("").to_owned(),
        areas: if scope == "areas" {
            Area::ALL
                .iter()
                .map(|a| {
                    let access = form.get(&area_field(*a)).unwrap_or("none");
                    (a.as_str().to_owned(), access.to_owned())
                })
                .collect()
        } else {
            Default::default()
        },
        scope,
        expires_on: form.text("expires_on"),
    };
    match FormFlow::new(&state, &viewer, Typed::ready(input))
        .save(|crm, actor, input| crm.create_api_key(actor, input))
        .await?
    {
        Ok(new) => {
            let page = keys_page(
                &state,
                &viewer,
                secret_notice(&new),
                &FormData::default(),
                &FieldErrors::new(),
            )
            .await?;
            Ok(axum::response::IntoResponse::into_response(page))
        }
        Err(refused) => {
            let page = keys_page(&state, &viewer, html! {}, &form, &refused.errors).await?;
            Ok(refused.show(page))
        }
    }
}

/// `POST /settings/api-keys/{id}/revoke`
pub async fn revoke(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let id = ApiKeyId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.revoke_api_key(actor, id),
        |_| paths::api_keys().done("revoked"),
    )
    .await
}

/// `customers` as a form's label: `Customers`.
fn capitalised(word: &str) -> String {
    let mut letters = word.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}
