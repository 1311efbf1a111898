//! The floors page: the store's floors, with inline editing, adding, removing and
//! restoring for those who manage the floors; read-only for everyone else, who picks
//! floors in the product and customer forms.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use uuid::Uuid;

use crate::app::{Error, FloorInput, Permission};
use crate::domain::{FieldErrors, Floor, FloorId};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::shell::components::{
    Field, confirm_dialog, done_notice, error_summary, icon,
};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, act, redirect_to};
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::{is_htmx, row_field};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

const SHOWN: &[&str] = &["name", "level", "description"];

/// The posted fields as the API's input; a level that is not a whole number is
/// reported in `errors`.
fn input_from(form: &FormData, errors: &mut FieldErrors) -> FloorInput {
    let level = match form.text("level") {
        None => {
            errors.add("level", "give the level: 0 for the ground floor, 1 for the first, -1 for a basement");
            0
        }
        Some(raw) => raw.parse::<i16>().unwrap_or_else(|_| {
            errors.add("level", "must be a whole number: 0 for the ground floor, 1 for the first, -1 for a basement");
            0
        }),
    };
    FloorInput {
        name: form.get("name").unwrap_or("").to_owned(),
        level,
        description: form.text("description"),
    }
}

fn draft_of(f: &Floor) -> FormData {
    FormData::from_pairs(vec![
        ("name".into(), f.name.as_str().into()),
        ("level".into(), f.level.to_string()),
        ("description".into(), f.description.as_str().into()),
    ])
}

fn dialog_id(id: Uuid) -> String {
    format!("delete-floor-{id}")
}

/// Whether the viewer may change the floors, and so is offered the controls.
fn manages(viewer: &Viewer) -> bool {
    viewer.actor.may(Permission::ManageFloors)
}

fn row(f: &Floor, manage: bool) -> Markup {
    let id = f.id.as_uuid();
    let base = paths::floor(f.id);
    html! {
        tr #(format!("floor-{id}")) {
            td { strong { (f.name.as_str()) } }
            td.num { (f.level) }
            td.hide-narrow { @if f.description.as_str().is_empty() { "—" } @else { (f.description.as_str()) } }
            td.nowrap { @if manage {
                a.button.small href=(base) hx-get=(base) hx-target="closest tr" hx-swap="outerHTML" {
                    (icon("pencil")) "Edit" span.visually-hidden { " " (f.name.as_str()) }
                }
                " "
                button.button.small.danger type="button" data-open-dialog=(dialog_id(id)) {
                    (icon("trash")) "Remove" span.visually-hidden { " " (f.name.as_str()) }
                }
            } }
        }
    }
}

fn edit_row(id: Uuid, csrf: &str, draft: &FormData, errors: &FieldErrors) -> Markup {
    let base = paths::floor(FloorId::from_uuid(id));
    let prefix = format!("floor-{id}");
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    html! {
        tr #(prefix) .editing {
            td colspan="4" {
                form.inline-form method="post" action=(base) hx-post=(base) hx-target="closest tr" hx-swap="outerHTML" {
                    (form_keys(csrf))
                    (row_field(&prefix, "name", "Name", &v("name"), "text", errors))
                    (row_field(&prefix, "level", "Level", &v("level"), "number", errors))
                    (row_field(&prefix, "description", "Description", &v("description"), "text", errors))
                    button.button.primary.small type="submit" { "Save" }
                    a.button.small href=(paths::floors()) hx-get=(base.clone().with("view", "row")) hx-target="closest tr" hx-swap="outerHTML" { "Cancel" }
                }
            }
        }
    }
}

fn fields(draft: &FormData, errors: &FieldErrors) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    html! {
        div.grid {
            (Field::new("name", "Name", v("name")).required().hint("e.g. Ground Floor — Gold").render(errors))
            (Field::new("level", "Level", v("level")).kind("number").required()
                .hint("0 for the ground floor, 1 for the first, -1 for a basement").render(errors))
            (Field::new("description", "Description", v("description")).kind("textarea").wide().render(errors))
        }
    }
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    done: Option<&str>,
    draft: &FormData,
    errors: &FieldErrors,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let manage = manages(viewer);
    let (floors, removed) = state
        .crm
        .run(move |crm| {
            let removed = if actor.may(Permission::SeeRemoved) {
                crm.list_floors(&actor, Deleted::Only)?
            } else {
                Vec::new()
            };
            Ok((crm.list_floors(&actor, Deleted::Hide)?, removed))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    let content = html! {
        (done_notice(done))
        @if floors.is_empty() {
            div.empty { p {
                @if manage { "No floors yet. Add the first one below." }
                @else { "No floors yet. The store owner adds them." }
            } }
        } @else {
            table.list #floor-list {
                thead { tr {
                    th scope="col" { "Floor" }
                    th scope="col" .num { "Level" }
                    th scope="col" .hide-narrow { "Description" }
                    th scope="col" { span.visually-hidden { "Actions" } }
                } }
                tbody { @for f in &floors { (row(f, manage)) } }
            }
        }
        @if manage { form #add-floor .form-card method="post" action=(paths::floors()) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            fieldset {
                legend { "Add a floor" }
                (fields(draft, errors))
            }
            div.form-actions { button.button.primary type="submit" { (icon("plus")) "Add floor" } }
        } }
        @if !removed.is_empty() {
            section #removed-floors {
                h2 { "Removed floors" }
                p.hint { "Their products and staff still point at them; restoring brings everything back." }
                table.list {
                    thead { tr {
                        th scope="col" { "Floor" }
                        th scope="col" .num { "Level" }
                        th scope="col" .hide-narrow { "Removed" }
                        th scope="col" { span.visually-hidden { "Actions" } }
                    } }
                    tbody {
                        @for f in &removed {
                            tr {
                                td { (f.name.as_str()) }
                                td.num { (f.level) }
                                td.hide-narrow.nowrap { (f.deleted_at.map(|at| when(at, &tz)).unwrap_or_default()) }
                                td { @if manage {
                                    form method="post" action=(paths::restore_floor(f.id)) {
                                        (form_keys(&viewer.csrf))
                                        button.button.small type="submit" {
                                            (icon("restore")) "Restore" span.visually-hidden { " " (f.name.as_str()) }
                                        }
                                    }
                                } }
                            }
                        }
                    }
                }
            }
        }
        @if manage { @for f in &floors { (delete_dialog(f, &viewer.csrf)) } }
    };
    let actions =
        html! { @if manage { a.button.primary href="#add-floor" { (icon("plus")) "Add floor" } } };
    Ok(page(viewer, "Floors", actions, content))
}

fn delete_dialog(f: &Floor, csrf: &str) -> Markup {
    confirm_dialog(
        &dialog_id(f.id.as_uuid()),
        &format!("Remove {}?", f.name.as_str()),
        "It disappears from lists and forms. Its products and staff keep pointing at it until moved, and it can be restored from the removed floors.",
        &paths::delete_floor(f.id),
        csrf,
        ("Keep the floor", "Remove floor"),
    )
}

/// `GET /floors`
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    list_page(
        &state,
        &viewer,
        params.get("done"),
        &FormData::default(),
        &FieldErrors::new(),
    )
    .await
}

/// `POST /floors`
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageFloors)?;
    let typed = Typed::read(|errors| input_from(&form, errors));
    match FormFlow::new(&state, &viewer, typed)
        .save(|crm, actor, input| crm.create_floor(actor, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::floors().done("created"))),
        Err(refused) => {
            Ok(refused.show(list_page(&state, &viewer, None, &form, &refused.errors).await?))
        }
    }
}

fn edit_page(
    viewer: &Viewer,
    id: Uuid,
    title: &str,
    draft: &FormData,
    errors: &FieldErrors,
    floor: Option<&Floor>,
) -> Markup {
    let action = paths::floor(FloorId::from_uuid(id));
    let actions = html! {
        @if floor.is_some() {
            button.button.danger type="button" data-open-dialog=(dialog_id(id)) { (icon("trash")) "Remove" }
        }
    };
    let content = html! {
        form #floor-form .form-card method="post" action=(action) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            fieldset { legend { "Floor" } (fields(draft, errors)) }
            div.form-actions {
                a.button href=(paths::floors()) { "Cancel" }
                button.button.primary type="submit" { "Save changes" }
            }
        }
        @if let Some(f) = floor { (delete_dialog(f, &viewer.csrf)) }
    };
    page(viewer, title, actions, content)
}

/// A floor for someone who may not change it.
fn detail_page(viewer: &Viewer, floor: &Floor) -> Markup {
    let content = html! {
        section.card #floor-detail {
            dl {
                dt { "Name" } dd { (floor.name.as_str()) }
                dt { "Level" } dd { (floor.level) }
                @if !floor.description.as_str().is_empty() {
                    dt { "Description" } dd { (floor.description.as_str()) }
                }
            }
            p { a.button href=(paths::floors()) { "All floors" } }
        }
    };
    page(viewer, floor.name.as_str(), html! {}, content)
}

/// `GET /floors/{id}`: the edit row for htmx (`?view=row`: the plain row again, for
/// Cancel), or a whole edit page without JavaScript; the plain row or the floor
/// read-only for someone who may not change it.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let floor = state
        .crm
        .run(move |crm| crm.get_floor(&actor, FloorId::from_uuid(id)))
        .await?;
    if floor.deleted_at.is_some() {
        return Err(Error::NotFound("floor").into());
    }
    let no_errors = FieldErrors::new();
    let manage = manages(&viewer);
    Ok(
        if params.get("view") == Some("row") || (is_htmx(&headers) && !manage) {
            row(&floor, manage).into_response()
        } else if !manage {
            detail_page(&viewer, &floor).into_response()
        } else if is_htmx(&headers) {
            edit_row(id, &viewer.csrf, &draft_of(&floor), &no_errors).into_response()
        } else {
            let title = format!("Edit {}", floor.name.as_str());
            edit_page(
                &viewer,
                id,
                &title,
                &draft_of(&floor),
                &no_errors,
                Some(&floor),
            )
            .into_response()
        },
    )
}

/// `POST /floors/{id}`: saves; htmx gets the row back, a plain form the list.
pub async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    headers: HeaderMap,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageFloors)?;
    let typed = Typed::read(|errors| input_from(&form, errors));
    let floor_id = FloorId::from_uuid(id);
    let htmx = is_htmx(&headers);
    match FormFlow::new(&state, &viewer, typed)
        .save(move |crm, actor, input| crm.update_floor(actor, floor_id, input))
        .await?
    {
        Ok(floor) if htmx => Ok(row(&floor, manages(&viewer)).into_response()),
        Ok(_) => Ok(redirect_to(paths::floors().done("saved"))),
        Err(refused) if htmx => {
            Ok(refused.show(edit_row(id, &viewer.csrf, &form, &refused.errors)))
        }
        Err(refused) => {
            let title = format!("Edit {}", form.get("name").unwrap_or("floor"));
            Ok(refused.show(edit_page(&viewer, id, &title, &form, &refused.errors, None)))
        }
    }
}

/// `POST /floors/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let floor = FloorId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.delete_floor(actor, floor),
        |()| paths::floors().done("deleted"),
    )
    .await
}

/// `POST /floors/{id}/restore`
pub async fn restore(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let floor = FloorId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.restore_floor(actor, floor),
        |_| paths::floors().done("restored"),
    )
    .await
}
