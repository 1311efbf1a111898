//! One import's page: for a draft, the mapping form, the rows that match stored records
//! (each with its own choice), the problems by row and column and the preview; while it
//! is written, a progress bar; afterwards what it did, and Undo.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::{duplicate_choices, state_badge};
use crate::app::imports::{ImportSettings, ImportView, Plan, RowChoice, RowOutcome};
use crate::domain::{DuplicateAction, ImportId, ImportKind, ImportState, MappedColumn};
use crate::web::AppState;
use crate::web::api::imports::{start_commit, start_undo};
use crate::web::pages::shell::components::{confirm_dialog, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::act;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{PageId, Submitted, Viewer};
use crate::web::paths;

/// `GET /imports/{id}`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let id = ImportId::from_uuid(id);
    let view = state
        .crm
        .run(move |crm| crm.import_view(&actor, id))
        .await?;
    Ok(render(&viewer, &view, None))
}

fn render(viewer: &Viewer, view: &ImportView, error: Option<&str>) -> Markup {
    let id = ImportId::from_uuid(view.id);
    let content = html! {
        p.lead {
            (state_badge(view.state)) " "
            (view.kind.as_str()) " from " strong { (view.file_name) } ", read as " (view.format) "."
        }
        @if let Some(message) = error {
            div.alert.error role="alert" #import-error { (message) }
        }
        @if !view.message.is_empty() {
            div.alert.warning[view.state != ImportState::Failed].error[view.state == ImportState::Failed] role="status" #import-message { (view.message) }
        }
        @match view.state {
            ImportState::Draft => (draft(viewer, view)),
            ImportState::Committing | ImportState::Undoing => (progress_bar(view)),
            _ => (outcome(viewer, view)),
        }
    };
    let actions = html! {
        a.button href=(paths::imports()) { (icon("list")) "All imports" }
        @if view.state == ImportState::Draft {
            form method="post" action=(paths::import_discard(id)) {
                (form_keys(&viewer.csrf))
                button.button #discard-import type="submit" { "Discard" }
            }
        }
    };
    page(
        viewer,
        &format!("Import: {}", view.file_name),
        actions,
        content,
    )
}

fn draft(viewer: &Viewer, view: &ImportView) -> Markup {
    let id = ImportId::from_uuid(view.id);
    let headers: Vec<(String, String)> =
        std::iter::once((String::new(), "— not imported —".to_owned()))
            .chain(view.headers.iter().map(|h| (h.clone(), h.clone())))
            .collect();
    html! {
        @if !view.mapping_problems.is_empty() {
            div.alert.error role="alert" #mapping-problems {
                strong { "Choose the columns before importing:" }
                ul { @for p in &view.mapping_problems { li { (p) } } }
            }
        }
        @if let Some(plan) = &view.preview {
            (summary(plan))
        }
        form.form-card #import-settings method="post" action=(paths::import_settings(id)) {
            (form_keys(&viewer.csrf))
            fieldset {
                legend { "Which column holds what" }
                p.hint { "Guessed from the file's headers; change any that are wrong." }
                div.grid #mapping {
                    @for field in &view.fields {
                        div.field {
                            label for=(format!("map-{}", field.field)) {
                                (field.label) @if field.required { span.required { " *" } }
                            }
                            select #(format!("map-{}", field.field)) name=(format!("map.{}", field.field)) {
                                @for (value, text) in &headers {
                                    option value=(value) selected[field.header.as_deref().unwrap_or("") == value] { (text) }
                                }
                            }
                        }
                    }
                }
            }
            div.grid {
                div.field {
                    label for="on-duplicate" { "Rows that match a record already stored" }
                    select #on-duplicate name="on_duplicate" {
                        @for (action, label) in duplicate_choices() {
                            option value=(action.as_str()) selected[*action == view.on_duplicate] { (label) }
                        }
                    }
                }
                div.field {
                    label for="save-mapping" { "Save this mapping as (optional)" }
                    input #save-mapping type="text" name="save_mapping_as" maxlength="60" placeholder="e.g. Tally export";
                    @if !view.saved_mappings.is_empty() {
                        p.hint { "Saved: " (view.saved_mappings.join(", ")) }
                    }
                }
            }
            @if let Some(plan) = &view.preview {
                (matches(plan))
            }
            div.form-actions {
                button.button #update-preview type="submit" { (icon("restore")) "Update the preview" }
            }
        }
        @if let Some(plan) = &view.preview {
            (problem_list(view, plan))
            (rows(view, plan))
            form.form-card #commit-form method="post" action=(paths::import_commit(id)) {
                (form_keys(&viewer.csrf))
                label.chip.toggle {
                    input type="checkbox" name="strict" value="1";
                    " Refuse the whole file if any row has a problem"
                }
                div.form-actions {
                    button.button.primary #commit-import type="submit" disabled[plan.counts.create + plan.counts.update == 0] {
                        (icon("check")) "Import " (plan.counts.create + plan.counts.update) " rows"
                    }
                }
            }
        }
    }
}

fn summary(plan: &Plan) -> Markup {
    let c = plan.counts;
    html! {
        div.tiles #import-summary {
            div.tile { span.tile-label { "Rows" } span.tile-figure { (c.rows) } }
            div.tile { span.tile-label { "To add" } span.tile-figure #count-create { (c.create) } }
            div.tile { span.tile-label { "To update" } span.tile-figure #count-update { (c.update) } }
            div.tile { span.tile-label { "To skip" } span.tile-figure #count-skip { (c.skip) } }
            div.tile.attention[c.refuse > 0] { span.tile-label { "With problems" } span.tile-figure #count-refuse { (c.refuse) } }
        }
    }
}

/// The rows that match a stored record or an earlier row, each with its own choice.
fn matches(plan: &Plan) -> Markup {
    let matched: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.matches.is_some() || r.warning.is_some())
        .collect();
    if matched.is_empty() {
        return html! {};
    }
    html! {
        h2 { "Rows that match or look alike (" (matched.len()) ")" }
        p.hint { "A row whose number (or code) is already stored, or repeats an earlier row, follows the choice above unless you choose otherwise here; a row that only looks like someone (a similar name in the same place) is added unless you skip it." }
        div.table-scroll {
            table.list #matched-rows {
                thead { tr { th.num { "Row" } th { "Do" } th { "Matches" } th { "In the file" } } }
                tbody {
                    @for row in matched {
                        tr {
                            td.num { (row.line) }
                            td {
                                select name=(format!("row.{}", row.line)) aria-label=(format!("What to do with row {}", row.line)) {
                                    @let choices: &[(DuplicateAction, &str)] = if row.matches.is_some() {
                                        &[(DuplicateAction::Skip, "Skip"), (DuplicateAction::Update, "Update"), (DuplicateAction::Overwrite, "Overwrite"), (DuplicateAction::Create, "Add as new")]
                                    } else {
                                        &[(DuplicateAction::Create, "Add as new"), (DuplicateAction::Skip, "Skip")]
                                    };
                                    @for (action, label) in choices {
                                        option value=(action.as_str()) selected[row.action == Some(*action)] { (label) }
                                    }
                                }
                            }
                            td { (row.matches.as_deref().unwrap_or("—")) @if let Some(w) = &row.warning { p.hint { (w) } } }
                            td { (row.values.iter().take(2).cloned().collect::<Vec<_>>().join(", ")) }
                        }
                    }
                }
            }
        }
        @if plan.counts.duplicates as usize > plan.rows.iter().filter(|r| r.matches.is_some()).count() {
            p.hint { "Only the first " (crate::app::imports::MATCHES_SHOWN) " are listed; the rest follow the choice above." }
        }
    }
}

fn problem_list(view: &ImportView, plan: &Plan) -> Markup {
    if plan.problems.is_empty() {
        return html! {};
    }
    let id = ImportId::from_uuid(view.id);
    html! {
        h2 { "Problems (" (plan.counts.refuse) " rows left out)" }
        p {
            a.button #download-problems href=(paths::import_problems(id)) download { (icon("download")) "Download the rows with problems" }
            " Fix them in Excel and import that file; the rest can be imported now."
        }
        div.table-scroll {
            table.list #problems {
                thead { tr { th.num { "Row" } th { "Column" } th { "Problem" } } }
                tbody {
                    @for p in &plan.problems {
                        tr { td.num { (p.line) } td { (p.column) } td { (p.message) } }
                    }
                }
            }
        }
        @if plan.problems_total as usize > plan.problems.len() {
            p.hint { "And " (plan.problems_total as usize - plan.problems.len()) " more in the download." }
        }
    }
}

fn rows(view: &ImportView, plan: &Plan) -> Markup {
    let shown: Vec<&MappedColumn> = view.mapping.iter().collect();
    let label = |m: &MappedColumn| {
        view.fields
            .iter()
            .find(|f| f.field == m.field)
            .map_or(m.field.clone(), |f| f.label.to_owned())
    };
    html! {
        h2 { "Preview" }
        p.hint { "The first rows as they will be stored." }
        div.table-scroll {
            table.list #preview {
                thead { tr {
                    th.num { "Row" } th { "Will be" }
                    @for m in &shown { th { (label(m)) } }
                } }
                tbody {
                    @for row in plan.rows.iter().filter(|r| r.outcome != RowOutcome::Refuse).take(crate::app::imports::ROWS_SHOWN) {
                        tr {
                            td.num { (row.line) }
                            td { (outcome_badge(row.outcome)) }
                            @for value in &row.values { td { (value) } }
                        }
                    }
                }
            }
        }
    }
}

fn outcome_badge(outcome: RowOutcome) -> Markup {
    match outcome {
        RowOutcome::Create => html! { span.badge.ok { "Add" } },
        RowOutcome::Update => html! { span.badge.warn { "Update" } },
        RowOutcome::Skip => html! { span.badge.muted { "Skip" } },
        RowOutcome::Refuse => html! { span.badge.danger { "Left out" } },
    }
}

fn progress_bar(view: &ImportView) -> Markup {
    let id = ImportId::from_uuid(view.id);
    let (done, total) = view.progress.map_or((0, 0), |p| (p.done, p.total.max(1)));
    let what = if view.state == ImportState::Undoing {
        "Undoing"
    } else {
        "Importing"
    };
    html! {
        div.card #import-progress hx-get=(paths::import_progress(id)) hx-trigger="every 1s" hx-swap="outerHTML" {
            p { (what) "… " (done) " of " (total) " rows. You can leave this page; the import carries on." }
            progress max=(total) value=(done) { (done) " of " (total) }
        }
    }
}

fn outcome(viewer: &Viewer, view: &ImportView) -> Markup {
    let id = ImportId::from_uuid(view.id);
    let c = view.counts;
    let list = match view.kind {
        ImportKind::Customers => paths::customers(),
        ImportKind::Products => paths::products(),
    };
    html! {
        div.card #import-outcome {
            dl.figures {
                dt { "Added" } dd #done-created { (c.created) }
                dt { "Updated" } dd #done-updated { (c.updated) }
                dt { "Skipped" } dd { (c.skipped) }
                dt { "Left out for problems" } dd { (c.refused) }
            }
            @if let Some([first, last]) = view.changes {
                p.hint { "Changes " (first) "–" (last) " in the audit trail." }
            }
            p { a href=(list) { "Open the " (view.kind.as_str()) " list" } }
        }
        @if view.state == ImportState::Committed {
            button.button.danger #undo-import type="button" data-open-dialog="undo-dialog" { (icon("refund")) "Undo this import" }
            (confirm_dialog(
                "undo-dialog",
                "Undo this import?",
                "Everything it added is removed and everything it updated is put back as it was. Records changed since are left alone, and the undo is refused if it would lose such work.",
                &paths::import_undo(id),
                &viewer.csrf,
                ("Keep it", "Undo the import"),
            ))
        }
    }
}

/// `GET /imports/{id}/progress`: the bar, or once finished a reload of the page.
pub async fn progress(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let id = ImportId::from_uuid(id);
    let view = state
        .crm
        .run(move |crm| crm.import_view(&actor, id))
        .await?;
    if view.state.is_running() {
        return Ok(progress_bar(&view).into_response());
    }
    Ok(([("HX-Refresh", "true")], StatusCode::OK).into_response())
}

/// `POST /imports/{id}/settings`: the mapping form sent back; the page again with the
/// new preview.
pub async fn settings(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = ImportId::from_uuid(id);
    let actor = viewer.actor.clone();
    let mut mapping = Vec::new();
    let mut rows = Vec::new();
    let mut refused = None;
    for (name, value) in form.pairs() {
        if let Some(field) = name.strip_prefix("map.") {
            if !value.is_empty() {
                mapping.push(MappedColumn {
                    field: field.to_owned(),
                    header: value.clone(),
                });
            }
        } else if let Some(line) = name.strip_prefix("row.") {
            match (line.parse::<u32>(), DuplicateAction::parse(value)) {
                (Ok(line), Some(action)) => rows.push(RowChoice { line, action }),
                _ => refused = Some(format!("'{value}' for row {line} is not a choice")),
            }
        }
    }
    let on_duplicate = form.get("on_duplicate").and_then(DuplicateAction::parse);
    let settings = ImportSettings {
        mapping: Some(mapping),
        on_duplicate,
        rows: Some(rows),
        save_mapping_as: form
            .get("save_mapping_as")
            .filter(|n| !n.trim().is_empty())
            .map(str::to_owned),
        ..ImportSettings::default()
    };
    if let Some(message) = refused {
        let view = state
            .crm
            .run(move |crm| crm.import_view(&actor, id))
            .await?;
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&viewer, &view, Some(&message)),
        )
            .into_response());
    }
    let result = state
        .crm
        .run({
            let actor = actor.clone();
            move |crm| crm.update_import(&actor, id, settings)
        })
        .await;
    match result {
        Ok(_) => Ok(axum::response::Redirect::to(paths::import(id).as_str()).into_response()),
        Err(crate::app::Error::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let view = state
                .crm
                .run(move |crm| crm.import_view(&actor, id))
                .await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&viewer, &view, Some(&message)),
            )
                .into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /imports/{id}/commit`: starts writing, and shows the progress.
pub async fn commit(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = ImportId::from_uuid(id);
    let strict = form.get("strict").is_some();
    match start_commit(&state, viewer.actor.clone(), id, strict).await {
        Ok(_) => Ok(axum::response::Redirect::to(paths::import(id).as_str()).into_response()),
        Err(err) => refused(&state, &viewer, id, err).await,
    }
}

/// `POST /imports/{id}/undo`.
pub async fn undo(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let id = ImportId::from_uuid(id);
    match start_undo(&state, viewer.actor.clone(), id).await {
        Ok(_) => Ok(axum::response::Redirect::to(paths::import(id).as_str()).into_response()),
        Err(err) => refused(&state, &viewer, id, err).await,
    }
}

/// The page again with why the commit or undo was refused (a 4xx), or the error page.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: ImportId,
    err: crate::web::error::AppError,
) -> Result<Response, PageError> {
    if err.status() == StatusCode::NOT_FOUND {
        return Err(PageError::App(crate::app::Error::NotFound("import")));
    }
    if err.status().is_server_error() {
        return Err(PageError::App(crate::app::Error::internal_message(
            err.message(),
        )));
    }
    let actor = viewer.actor.clone();
    let view = state
        .crm
        .run(move |crm| crm.import_view(&actor, id))
        .await?;
    Ok((err.status(), render(viewer, &view, Some(&err.message()))).into_response())
}

/// `POST /imports/{id}/discard`.
pub async fn discard(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let id = ImportId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.discard_import(actor, id),
        |()| paths::imports(),
    )
    .await
}

/// `GET /imports/{id}/problems.csv`.
pub async fn problems(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let id = ImportId::from_uuid(id);
    let csv = state
        .crm
        .run(move |crm| crm.import_problems_csv(&actor, id))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"rows-with-problems.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
