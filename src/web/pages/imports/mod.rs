//! The Import pages: `/imports` (upload a customer or stock file, and the imports made
//! before) and `/imports/{id}` (the mapping and preview of a file, the progress bar
//! while it is written, and Undo once it is). The same `app::imports` functions as
//! `/api/imports` do the work.

mod batch;

use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};

use crate::app::imports::{ImportListRow, ImportSettings};
use crate::domain::{DuplicateAction, ImportId, ImportKind, ImportState};
use crate::web::AppState;
use crate::web::api::imports::upload_settings;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{Viewer, csrf_matches, from_this_site};
use crate::web::paths;
use crate::web::uploads;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::IMPORTS,
            get(list)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(paths::IMPORT, get(batch::show))
        .route(paths::IMPORT_SETTINGS, post(batch::settings))
        .route(paths::IMPORT_COMMIT, post(batch::commit))
        .route(paths::IMPORT_UNDO, post(batch::undo))
        .route(paths::IMPORT_DISCARD, post(batch::discard))
        .route(paths::IMPORT_PROGRESS, get(batch::progress))
        .route(paths::IMPORT_PROBLEMS, get(batch::problems))
}

#[derive(Debug, serde::Deserialize)]
pub struct ListParams {
    kind: Option<String>,
}

/// `GET /imports`: the upload form and the imports made before.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(params): axum::extract::Query<ListParams>,
) -> Result<Markup, PageError> {
    let kind = match params.kind.as_deref() {
        Some("products") => ImportKind::Products,
        _ => ImportKind::Customers,
    };
    render_list(&state, &viewer, kind, None).await
}

async fn render_list(
    state: &AppState,
    viewer: &Viewer,
    kind: ImportKind,
    error: Option<String>,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let past = state.crm.run(move |crm| crm.list_imports(&actor)).await?;
    let max_mb = state.crm.config().import.max_upload_mb;
    let tz = state.crm.config().time_zone();
    let kinds = [
        (ImportKind::Customers, "Customers"),
        (ImportKind::Products, "Products (stock list)"),
    ];
    let content = html! {
        p.lead { "Bring customers or tagged stock in from Excel, or from the CSV that Tally, Marg or another billing program exports. Nothing is stored until you have seen what every row will become." }
        @if let Some(message) = &error {
            div.alert.error role="alert" #upload-error { (message) }
        }
        form.form-card #import-upload method="post" action=(paths::imports()) enctype="multipart/form-data" {
            (form_keys(&viewer.csrf))
            div.grid {
                div.field {
                    label for="import-kind" { "The file holds" }
                    select #import-kind name="kind" {
                        @for (k, label) in kinds {
                            option value=(k.as_str()) selected[k == kind] { (label) }
                        }
                    }
                }
                div.field.wide {
                    label for="import-file" { "File" span.required { " *" } }
                    input #import-file type="file" name="file" required
                        accept=".csv,.txt,.tsv,.xlsx,.xls,text/csv,application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    p.hint { "CSV (any separator, UTF-8 or the Windows encoding Excel writes) or an Excel workbook (.xlsx, .xls), up to " (max_mb) " MB. Bigger files: " code { "sarkar-crm import" } " at the box." }
                }
                div.field {
                    label for="import-duplicates" { "Rows that match a record already stored" }
                    select #import-duplicates name="on_duplicate" {
                        @for (action, label) in duplicate_choices() {
                            option value=(action.as_str()) selected[*action == DuplicateAction::Skip] { (label) }
                        }
                    }
                }
                div.field {
                    label for="import-mapping" { "Saved column mapping (optional)" }
                    input #import-mapping type="text" name="mapping_name" maxlength="60" placeholder="e.g. Tally export";
                }
            }
            div.form-actions {
                button.button.primary #upload-file type="submit" { "Upload and preview" }
            }
        }
        h2 { "Imports" }
        @if past.is_empty() {
            p.empty { "No imports yet." }
        } @else {
            div.table-scroll {
                table.list #imports {
                    thead { tr {
                        th { "File" } th { "Holds" } th { "State" }
                        th.num { "Added" } th.num { "Updated" } th.num { "Skipped" } th.num { "Left out" }
                        th { "Uploaded" }
                    } }
                    tbody {
                        @for row in &past { (past_row(row, &tz)) }
                    }
                }
            }
        }
    };
    Ok(page(viewer, "Import", html! {}, content))
}

fn past_row(row: &ImportListRow, tz: &jiff::tz::TimeZone) -> Markup {
    let id = ImportId::from_uuid(row.id);
    html! {
        tr {
            td { a href=(paths::import(id)) { (row.file_name) } }
            td { (row.kind.as_str()) }
            td { (state_badge(row.state)) }
            td.num { (row.counts.created) }
            td.num { (row.counts.updated) }
            td.num { (row.counts.skipped) }
            td.num { (row.counts.refused) }
            td.nowrap { (when(row.created_at, tz)) }
        }
    }
}

pub fn state_badge(state: ImportState) -> Markup {
    let (class, text) = match state {
        ImportState::Draft => ("badge warn", "Not imported yet"),
        ImportState::Committing => ("badge pending", "Importing…"),
        ImportState::Committed => ("badge ok", "Imported"),
        ImportState::Undoing => ("badge pending", "Undoing…"),
        ImportState::Undone => ("badge muted", "Undone"),
        ImportState::Failed => ("badge danger", "Failed, nothing kept"),
    };
    html! { span class=(class) { (text) } }
}

pub fn duplicate_choices() -> &'static [(DuplicateAction, &'static str)] {
    &[
        (
            DuplicateAction::Skip,
            "Skip them (leave the stored record as it is)",
        ),
        (
            DuplicateAction::Update,
            "Update: fill the stored record's empty fields",
        ),
        (
            DuplicateAction::Overwrite,
            "Overwrite the stored record's fields",
        ),
        (
            DuplicateAction::Create,
            "Add as new (refused when the number is taken)",
        ),
    ]
}

/// `POST /imports`: the upload, streamed to disk, then drawn up as a batch; the page of
/// its preview follows. A file that cannot be read comes back to the form with why.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if !from_this_site(&headers) {
        return Err(PageError::CrossSite);
    }
    let received = match form {
        Ok(form) => uploads::receive(&state, form).await,
        Err(rejection) => Err(rejection.into()),
    };
    let upload = match received {
        Ok(upload) => upload,
        Err(err) => {
            let markup =
                render_list(&state, &viewer, ImportKind::Customers, Some(err.message())).await?;
            return Ok((err.status(), markup).into_response());
        }
    };
    let token = crate::web::pages::shell::session::csrf_header(&headers);
    let form_token = upload.field("_csrf").map(str::to_owned);
    let form = crate::web::pages::shell::session::FormData::from_pairs(
        form_token
            .into_iter()
            .map(|t| ("_csrf".to_owned(), t))
            .collect(),
    );
    if !csrf_matches(token, Some(&form), &viewer.csrf) {
        let _ = std::fs::remove_file(&upload.path);
        return Err(PageError::StaleForm);
    }
    let kind = match upload.field("kind") {
        Some("products") => ImportKind::Products,
        _ => ImportKind::Customers,
    };
    let settings: ImportSettings = match upload_settings(&upload) {
        Ok(settings) => settings,
        Err(err) => {
            let _ = std::fs::remove_file(&upload.path);
            let markup = render_list(&state, &viewer, kind, Some(err.message())).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response());
        }
    };
    let actor = viewer.actor.clone();
    let drafted = state
        .crm
        .run(move |crm| crm.draft_import(&actor, kind, &upload.file_name, &upload.path, settings))
        .await;
    match drafted {
        Ok(view) => Ok(axum::response::Redirect::to(
            paths::import(ImportId::from_uuid(view.id)).as_str(),
        )
        .into_response()),
        Err(crate::app::Error::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let markup = render_list(&state, &viewer, kind, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
