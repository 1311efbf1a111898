//! The settings page's Logo section: the logo as the pages show it, the form that
//! replaces it and the button that takes it away (`POST /settings/logo`,
//! `POST /settings/logo/remove`), doing what `/api/store/logo` does through the same
//! `app` functions. A file that cannot be a logo comes back to the page with why, and
//! nothing is kept.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::store::settings_with_logo_refused;
use crate::app::Permission;
use crate::domain::format_size;
use crate::web::AppState;
use crate::web::pages::shell::components::confirm_dialog;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::file_form::{self, Refusal};
use crate::web::pages::shell::form_flow::redirect_to;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::session::{Submitted, Viewer};
use crate::web::paths;

/// The section: the logo (or that there is none), and for those who may change the
/// store's settings the upload form and the remove button. `refused` is why the last
/// file was not kept.
pub fn logo_section(state: &AppState, viewer: &Viewer, refused: Option<&str>) -> Markup {
    let manage = viewer.actor.may(Permission::ChangeStoreSettings);
    let max = format_size(state.crm.config().files.logo_max_bytes());
    html! {
        section.card #logo {
            h2 { "Logo" }
            @if let Some(logo) = &viewer.logo {
                figure.logo-preview {
                    img #logo-current src=(paths::media(logo.content, logo.file_type))
                        srcset=(paths::srcset(logo)) sizes="240px" alt="The store's logo";
                    figcaption.hint { "At the top of every page, on printed invoices, the 80 mm slip and the PDF." }
                }
            } @else {
                p #no-logo { "No logo yet: pages and invoices show the store's name alone." }
            }
            @if manage {
                form.logo-form #logo-form method="post" action=(paths::store_logo()) enctype="multipart/form-data" {
                    (form_keys(&viewer.csrf))
                    @if let Some(message) = refused {
                        div.alert.error role="alert" #logo-error { (message) }
                    }
                    div.field {
                        label for="logo-file" { @if viewer.logo.is_some() { "Replace it with" } @else { "Logo file" } }
                        input #logo-file type="file" name="file" required accept=".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp"
                            aria-describedby="logo-hint" aria-invalid=[refused.map(|_| "true")];
                        p.hint #logo-hint { "PNG, JPEG or WebP, up to " (max) ". A PNG with a see-through background prints best on invoices." }
                    }
                    div.form-actions {
                        button.button.primary #upload-logo type="submit" { "Upload logo" }
                        @if viewer.logo.is_some() {
                            button.button.danger #remove-logo type="button" data-open-dialog="remove-logo-dialog" { "Remove logo" }
                        }
                    }
                }
                @if viewer.logo.is_some() {
                    (confirm_dialog(
                        "remove-logo-dialog",
                        "Remove the logo?",
                        "Pages and invoices printed from now on show the store's name alone. To have it back, upload the file again.",
                        &paths::remove_store_logo(),
                        &viewer.csrf,
                        ("Keep the logo", "Remove logo"),
                    ))
                }
            }
        }
    }
}

/// `POST /settings/logo`: the file, streamed to disk, then made into the logo's copies.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    // Refused before a byte of the file is read.
    viewer.actor.require(Permission::ChangeStoreSettings)?;
    let limit = state.crm.config().files.logo_max_bytes();
    let sent = match file_form::receive(&state, &viewer, &headers, form, limit).await? {
        Ok(sent) => sent,
        Err(refusal) => return refused(&state, &viewer, refusal).await,
    };
    let actor = viewer.actor.clone();
    match state
        .crm
        .run(move |crm| crm.set_store_logo(&actor, sent.incoming))
        .await
    {
        Ok(_) => Ok(redirect_to(paths::settings().done("logo").at("logo"))),
        Err(err) => refused(&state, &viewer, Refusal::of(err)?).await,
    }
}

/// `POST /settings/logo/remove`
pub async fn remove(
    State(state): State<AppState>,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    state
        .crm
        .run(move |crm| crm.remove_store_logo(&actor))
        .await?;
    Ok(redirect_to(
        paths::settings().done("logo-removed").at("logo"),
    ))
}

/// The settings page again, with why the file was not kept beside the logo form.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    refusal: Refusal,
) -> Result<Response, PageError> {
    let markup = settings_with_logo_refused(state, viewer, &refusal.message).await?;
    Ok((refusal.status, markup).into_response())
}
