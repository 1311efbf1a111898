//! The categories page: the category tree, with inline renaming, adding under a parent
//! and removing for those who manage the categories; read-only for everyone else, who
//! picks categories in the product forms.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use uuid::Uuid;

use crate::app::{CategoryInput, Error, Permission};
use crate::domain::{Category, CategoryId, FieldErrors};
use crate::web::AppState;
use crate::web::pages::shell::components::{Field, confirm_dialog, error_summary, icon, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, go_to, redirect_to};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::{is_htmx, row_field};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

const SHOWN: &[&str] = &["name", "parent_id", "description"];

/// The live sub-categories of `parent`, by name. Categories whose parent is gone count
/// as top-level, so none is ever hidden.
fn children(all: &[Category], parent: Option<CategoryId>) -> Vec<&Category> {
    let mut kids: Vec<&Category> = all
        .iter()
        .filter(|c| match parent {
            Some(p) => c.parent_id == Some(p),
            None => c.parent_id.is_none_or(|p| all.iter().all(|o| o.id != p)),
        })
        .collect();
    kids.sort_by_key(|c| c.name.as_str().to_lowercase());
    kids
}

/// Each category with its path (`Gold › Necklaces`), depth-first, as a parent choice.
/// `except` and everything under it are left out: a category cannot move under itself.
fn parent_options(all: &[Category], except: Option<CategoryId>) -> Vec<(String, String)> {
    fn walk(
        all: &[Category],
        parent: Option<CategoryId>,
        path: &str,
        except: Option<CategoryId>,
        out: &mut Vec<(String, String)>,
    ) {
        for c in children(all, parent) {
            if Some(c.id) == except {
                continue;
            }
            let label = if path.is_empty() {
                c.name.as_str().to_owned()
            } else {
                format!("{path} › {}", c.name.as_str())
            };
            out.push((c.id.as_uuid().to_string(), label.clone()));
            walk(all, Some(c.id), &label, except, out);
        }
    }
    let mut out = vec![(String::new(), "None (top level)".to_owned())];
    walk(all, None, "", except, &mut out);
    out
}

fn input_from(form: &FormData, errors: &mut FieldErrors) -> CategoryInput {
    let parent_id = form
        .text("parent_id")
        .and_then(|raw| match Uuid::parse_str(&raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("parent_id", "choose a category from the list");
                None
            }
        });
    CategoryInput {
        name: form.get("name").unwrap_or("").to_owned(),
        parent_id,
        description: form.text("description"),
    }
}

fn draft_of(c: &Category) -> FormData {
    FormData::from_pairs(vec![
        ("name".into(), c.name.as_str().into()),
        (
            "parent_id".into(),
            c.parent_id
                .map(|p| p.as_uuid().to_string())
                .unwrap_or_default(),
        ),
        ("description".into(), c.description.as_str().into()),
    ])
}

fn dialog_id(id: Uuid) -> String {
    format!("delete-category-{id}")
}

/// Whether the viewer may change the categories, and so is offered the controls.
fn manages(viewer: &Viewer) -> bool {
    viewer.actor.may(Permission::ManageCategories)
}

fn row(c: &Category, manage: bool) -> Markup {
    let id = c.id.as_uuid();
    let base = paths::category(c.id);
    html! {
        div.tree-row #(format!("category-{id}")) {
            span.name { (c.name.as_str()) }
            @if !c.description.as_str().is_empty() { " " span.sub { (c.description.as_str()) } }
            @if manage { span.actions {
                a.button.small href=(base) hx-get=(base) hx-target="closest .tree-row" hx-swap="outerHTML" {
                    (icon("pencil")) "Edit" span.visually-hidden { " " (c.name.as_str()) }
                }
                " "
                button.button.small.danger type="button" data-open-dialog=(dialog_id(id)) {
                    (icon("trash")) "Remove" span.visually-hidden { " " (c.name.as_str()) }
                }
            } }
        }
    }
}

fn edit_row(
    id: Uuid,
    csrf: &str,
    all: &[Category],
    draft: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let base = paths::category(CategoryId::from_uuid(id));
    let prefix = format!("category-{id}");
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let parent_id = format!("{prefix}-parent");
    let parent_error = errors.get("parent_id");
    let chosen = v("parent_id");
    html! {
        div.tree-row.editing #(prefix) {
            form.inline-form method="post" action=(base) hx-post=(base) hx-target="closest .tree-row" hx-swap="outerHTML" {
                (form_keys(csrf))
                (row_field(&prefix, "name", "Name", &v("name"), "text", errors))
                div.field.invalid[parent_error.is_some()] {
                    label for=(parent_id) { "Under" }
                    select #(parent_id) name="parent_id" aria-invalid=[parent_error.map(|_| "true")] {
                        @for (value, text) in parent_options(all, Some(CategoryId::from_uuid(id))) {
                            option value=(value) selected[value == chosen] { (text) }
                        }
                    }
                    @if let Some(message) = parent_error { p.field-error role="alert" { (message) } }
                }
                (row_field(&prefix, "description", "Description", &v("description"), "text", errors))
                button.button.primary.small type="submit" { "Save" }
                a.button.small href=(paths::categories()) hx-get=(base.clone().with("view", "row")) hx-target="closest .tree-row" hx-swap="outerHTML" { "Cancel" }
            }
        }
    }
}

fn branch(all: &[Category], nodes: &[&Category], manage: bool) -> Markup {
    html! {
        ul.tree {
            @for c in nodes {
                li {
                    (row(c, manage))
                    @let kids = children(all, Some(c.id));
                    @if !kids.is_empty() { (branch(all, &kids, manage)) }
                }
            }
        }
    }
}

fn fields(
    all: &[Category],
    except: Option<CategoryId>,
    draft: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    html! {
        div.grid {
            (Field::new("name", "Name", v("name")).required().hint("e.g. Necklaces").render(errors))
            (select("parent_id", "Under", &parent_options(all, except), &v("parent_id"), errors))
            (Field::new("description", "Description", v("description")).kind("textarea").wide().render(errors))
        }
    }
}

fn delete_dialog(c: &Category, csrf: &str) -> Markup {
    confirm_dialog(
        &dialog_id(c.id.as_uuid()),
        &format!("Remove {}?", c.name.as_str()),
        "A category with sub-categories cannot be removed; move or remove those first. Products in it stay in the catalogue and show as uncategorised until moved.",
        &paths::delete_category(c.id),
        csrf,
        ("Keep the category", "Remove category"),
    )
}

async fn all_categories(state: &AppState, viewer: &Viewer) -> Result<Vec<Category>, PageError> {
    let actor = viewer.actor.clone();
    Ok(state
        .crm
        .run(move |crm| crm.list_categories(&actor))
        .await?)
}

/// The page; `notice` is a message to show at the top (`?done=` or a refusal).
async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<(&str, &str)>,
    draft: &FormData,
    errors: &FieldErrors,
) -> Result<Markup, PageError> {
    let all = all_categories(state, viewer).await?;
    let roots = children(&all, None);
    let manage = manages(viewer);
    let content = html! {
        @if let Some((kind, message)) = notice {
            div.alert.(kind) role=(if kind == "error" { "alert" } else { "status" }) #done-notice { (message) }
        }
        @if roots.is_empty() {
            div.empty { p {
                @if manage { "No categories yet. Add the first one below; add sub-categories under it afterwards." }
                @else { "No categories yet. The store owner adds them." }
            } }
        } @else {
            div #category-tree { (branch(&all, &roots, manage)) }
        }
        @if manage { form #add-category .form-card method="post" action=(paths::categories()) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            fieldset {
                legend { "Add a category" }
                (fields(&all, None, draft, errors))
            }
            div.form-actions { button.button.primary type="submit" { (icon("plus")) "Add category" } }
        }
        @for c in &all { (delete_dialog(c, &viewer.csrf)) } }
    };
    let actions = html! { @if manage { a.button.primary href="#add-category" { (icon("plus")) "Add category" } } };
    Ok(page(viewer, "Categories", actions, content))
}

fn done_message(done: Option<&str>) -> Option<(&'static str, &'static str)> {
    match done? {
        "created" => Some(("success", "Category added. It is in the tree below.")),
        "saved" => Some(("success", "Changes saved.")),
        "deleted" => Some((
            "success",
            "Category removed. Its products show as uncategorised until moved.",
        )),
        _ => None,
    }
}

/// `GET /categories`
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    list_page(
        &state,
        &viewer,
        done_message(params.get("done")),
        &FormData::default(),
        &FieldErrors::new(),
    )
    .await
}

/// `POST /categories`
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageCategories)?;
    let typed = Typed::read(|errors| input_from(&form, errors));
    match FormFlow::new(&state, &viewer, typed)
        .save(|crm, actor, input| crm.create_category(actor, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::categories().done("created"))),
        Err(refused) => {
            Ok(refused.show(list_page(&state, &viewer, None, &form, &refused.errors).await?))
        }
    }
}

fn edit_page(
    viewer: &Viewer,
    id: Uuid,
    all: &[Category],
    draft: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let current = all.iter().find(|c| c.id.as_uuid() == id);
    let title = format!("Edit {}", current.map_or("category", |c| c.name.as_str()));
    let actions = html! {
        button.button.danger type="button" data-open-dialog=(dialog_id(id)) { (icon("trash")) "Remove" }
    };
    let content = html! {
        form #category-form .form-card method="post" action=(paths::category(CategoryId::from_uuid(id))) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            fieldset { legend { "Category" } (fields(all, Some(CategoryId::from_uuid(id)), draft, errors)) }
            div.form-actions {
                a.button href=(paths::categories()) { "Cancel" }
                button.button.primary type="submit" { "Save changes" }
            }
        }
        @if let Some(c) = current { (delete_dialog(c, &viewer.csrf)) }
    };
    page(viewer, &title, actions, content)
}

/// A category for someone who may not change it: where it sits and what it is.
fn detail_page(viewer: &Viewer, category: &Category, all: &[Category]) -> Markup {
    let under = category
        .parent_id
        .and_then(|p| all.iter().find(|c| c.id == p))
        .map_or("None (top level)", |c| c.name.as_str());
    let content = html! {
        section.card #category-detail {
            dl {
                dt { "Name" } dd { (category.name.as_str()) }
                dt { "Under" } dd { (under) }
                @if !category.description.as_str().is_empty() {
                    dt { "Description" } dd { (category.description.as_str()) }
                }
            }
            p { a.button href=(paths::categories()) { "All categories" } }
        }
    };
    page(viewer, category.name.as_str(), html! {}, content)
}

/// `GET /categories/{id}`: the edit row for htmx (`?view=row`: the plain row again, for
/// Cancel), or a whole edit page without JavaScript; the plain row or the category
/// read-only for someone who may not change it.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let all = all_categories(&state, &viewer).await?;
    let category = all
        .iter()
        .find(|c| c.id.as_uuid() == id)
        .ok_or(Error::NotFound("category"))?;
    let no_errors = FieldErrors::new();
    let manage = manages(&viewer);
    Ok(
        if params.get("view") == Some("row") || (is_htmx(&headers) && !manage) {
            row(category, manage).into_response()
        } else if !manage {
            detail_page(&viewer, category, &all).into_response()
        } else if is_htmx(&headers) {
            edit_row(id, &viewer.csrf, &all, &draft_of(category), &no_errors).into_response()
        } else {
            edit_page(&viewer, id, &all, &draft_of(category), &no_errors).into_response()
        },
    )
}

/// `POST /categories/{id}`: saves. htmx gets the row back, or reloads the page when the
/// category moved to another parent (its place in the tree changed).
pub async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    headers: HeaderMap,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageCategories)?;
    let typed = Typed::read(|errors| input_from(&form, errors));
    let category_id = CategoryId::from_uuid(id);
    let saved = FormFlow::new(&state, &viewer, typed)
        .save(move |crm, actor, input| {
            let before = crm.get_category(actor, category_id)?;
            Ok((
                before.parent_id,
                crm.update_category(actor, category_id, input)?,
            ))
        })
        .await?;
    let htmx = is_htmx(&headers);
    match saved {
        Ok((before, category)) if htmx && before == category.parent_id => {
            Ok(row(&category, manages(&viewer)).into_response())
        }
        Ok(_) => Ok(go_to(&headers, paths::categories().done("saved"))),
        Err(refused) => {
            let all = all_categories(&state, &viewer).await?;
            Ok(refused.show(if htmx {
                edit_row(id, &viewer.csrf, &all, &form, &refused.errors)
            } else {
                edit_page(&viewer, id, &all, &form, &refused.errors)
            }))
        }
    }
}

/// `POST /categories/{id}/delete`: a category with sub-categories is refused, with the
/// reason shown above the tree.
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    match state
        .crm
        .run(move |crm| crm.delete_category(&actor, CategoryId::from_uuid(id)))
        .await
    {
        Ok(()) => Ok(Redirect::to(paths::categories().done("deleted").as_str()).into_response()),
        Err(Error::Conflict { message, .. }) => {
            let message = capitalised(&message);
            let markup = list_page(
                &state,
                &viewer,
                Some(("error", &message)),
                &FormData::default(),
                &FieldErrors::new(),
            )
            .await?;
            Ok((StatusCode::CONFLICT, markup).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
