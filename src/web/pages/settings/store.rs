//! The store's settings: GSTIN, GST state code, address and round-off as invoices print them
//! (changed by those allowed to, read-only for everyone else, as the API serves them),
//! the logo (see `logo`), and the facts fixed by the configuration file, shown read-only.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

use super::logo::logo_section;
use crate::app::{Permission, StoreSettingsInput};
use crate::domain::gst_states::state_name;
use crate::domain::{FieldErrors, RoundOff, Store};
use crate::web::AppState;
use crate::web::pages::shell::components::{done_notice, error_summary, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, redirect_to};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::gst_registration_fields;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Submitted, Viewer};
use crate::web::paths;

const SHOWN: &[&str] = &["gstin", "state_code", "address", "round_off"];

fn draft_of(s: &Store) -> FormData {
    FormData::from_pairs(vec![
        (
            "gstin".into(),
            s.gstin
                .as_ref()
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
        ),
        ("state_code".into(), s.state_code.as_str().into()),
        ("address".into(), s.address.as_str().into()),
        ("round_off".into(), s.round_off.as_str().into()),
    ])
}

fn round_off_options() -> Vec<(String, String)> {
    RoundOff::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect()
}

fn minutes(n: u32) -> String {
    if n == 1 {
        "1 minute".to_owned()
    } else {
        format!("{n} minutes")
    }
}

/// The store as invoices print it, for someone who may not change it.
fn store_details(store: &Store) -> Markup {
    html! {
        section.card #store-details {
            h2 { "Store" }
            dl {
                dt { "Store name" } dd { (store.name.as_str()) }
                dt { "GSTIN" } dd { (store.gstin.as_ref().map_or("Not registered", |g| g.as_str())) }
                dt { "State" } dd { (store.state_code.as_str()) @if let Some(name) = state_name(store.state_code.as_str()) { " · " (name) } }
                dt { "Address" } dd { @if store.address.as_str().is_empty() { "Not given yet" } @else { (store.address.as_str()) } }
                dt { "Round off" } dd #round-off-setting { (store.round_off.label()) }
            }
            p.hint { "As printed on invoices. The store owner changes these." }
        }
    }
}

/// What the page says beside its forms: the notice after a change, the settings
/// form's field errors, and why a logo file was not kept.
#[derive(Debug, Default)]
struct Said<'a> {
    done: Option<&'a str>,
    errors: FieldErrors,
    logo_refused: Option<&'a str>,
}

fn settings_page(
    state: &AppState,
    viewer: &Viewer,
    store: &Store,
    draft: &FormData,
    said: &Said<'_>,
) -> Markup {
    let errors = &said.errors;
    let config = state.crm.config();
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let content = html! {
        (done_notice(said.done))
        @if !viewer.actor.may(Permission::ChangeStoreSettings) {
            (store_details(store))
        } @else { form #settings-form .form-card method="post" action=(paths::settings()) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            fieldset {
                legend { "Store" }
                div.grid {
                    div.field.wide {
                        label for="field-store-name" { "Store name" }
                        input #field-store-name type="text" value=(store.name.as_str()) readonly aria-describedby="store-name-hint";
                        p.hint #store-name-hint {
                            "Named when the box was set up; it is on every invoice. Ask the technician to change it."
                        }
                    }
                    (gst_registration_fields(&v, errors))
                    (select("round_off", "Round off the amount payable", &round_off_options(), &v("round_off"), errors))
                }
                p.hint #round-off-hint {
                    "GST is always worked out to the paisa; only the amount the customer pays is rounded, on a \"Round off\" line. Bills already drawn up keep their rounding."
                }
            }
            div.form-actions { button.button.primary type="submit" { "Save settings" } }
        } }
        (logo_section(state, viewer, said.logo_refused))
        section.card #configured {
            h2 { "Set in the configuration file" }
            dl {
                dt { "Address on the network" } dd { (config.server.host_name) ".local" }
                dt { "Time zone" } dd { (config.store.time_zone) }
                dt { "Sign out after" } dd { (minutes(config.auth.session_idle_minutes)) " without use" }
                dt { "Lock tablets after" } dd {
                    @if config.auth.tablet_lock_minutes == 0 { "Never (the lock is off)" }
                    @else { (minutes(config.auth.tablet_lock_minutes)) " without use" }
                }
            }
            p.hint { "Ask the technician to change these; they take effect when the app restarts." }
            p {
                a.button #pair-link href=(paths::pair()) { "Pair a tablet" }
                @if viewer.actor.may(Permission::ManageBackups) {
                    " "
                    a.button #backups-link href=(paths::backups()) { "Backups" }
                }
                @if viewer.actor.may(Permission::ManageApiKeys) {
                    " "
                    a.button #api-keys-link href=(paths::api_keys()) { "API keys" }
                }
            }
        }
    };
    page(viewer, "Settings", html! {}, content)
}

async fn store(state: &AppState, viewer: &Viewer) -> Result<Store, PageError> {
    let actor = viewer.actor.clone();
    Ok(state.crm.run(move |crm| crm.store_settings(&actor)).await?)
}

/// `GET /settings`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let store = store(&state, &viewer).await?;
    let said = Said {
        done: params.get("done"),
        ..Said::default()
    };
    Ok(settings_page(
        &state,
        &viewer,
        &store,
        &draft_of(&store),
        &said,
    ))
}

/// The page after a logo file was refused, saying why beside the logo form.
pub(super) async fn settings_with_logo_refused(
    state: &AppState,
    viewer: &Viewer,
    message: &str,
) -> Result<Markup, PageError> {
    let store = store(state, viewer).await?;
    let said = Said {
        logo_refused: Some(message),
        ..Said::default()
    };
    Ok(settings_page(
        state,
        viewer,
        &store,
        &draft_of(&store),
        &said,
    ))
}

/// `POST /settings`
pub async fn update(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ChangeStoreSettings)?;
    let typed = Typed::ready(StoreSettingsInput {
        gstin: form.text("gstin"),
        state_code: form.get("state_code").unwrap_or("").to_owned(),
        address: form.text("address"),
        round_off: form.text("round_off"),
    });
    match FormFlow::new(&state, &viewer, typed)
        .conflicts_on("gstin")
        .save(|crm, actor, input| crm.update_store_settings(actor, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::settings().done("saved"))),
        Err(refused) => {
            let store = store(&state, &viewer).await?;
            let said = Said {
                errors: refused.errors.clone(),
                ..Said::default()
            };
            Ok(refused.show(settings_page(&state, &viewer, &store, &form, &said)))
        }
    }
}
