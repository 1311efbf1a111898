//! The team pages (admins): the staff list with the form to add a member, and each
//! member's edit page (role, floor, contact, switched on or off) with removal.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use uuid::Uuid;

use crate::app::{NewUserInput, Permission, UserUpdateInput};
use crate::domain::{FieldErrors, Floor, User, UserId, UserRole};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::shell::components::{Field, confirm_dialog, error_summary, icon, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, act, redirect_to};
use crate::web::pages::shell::format::label;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

const NEW_SHOWN: &[&str] = &[
    "username", "name", "role", "floor_id", "email", "phone", "password",
];
const EDIT_SHOWN: &[&str] = &["name", "role", "floor_id", "email", "phone", "active"];

fn role_of(form: &FormData, errors: &mut FieldErrors) -> UserRole {
    match form.text("role") {
        None => {
            errors.add("role", "choose a role");
            UserRole::FloorManager
        }
        Some(raw) => errors
            .check("role", raw.parse::<UserRole>())
            .unwrap_or(UserRole::FloorManager),
    }
}

fn floor_of(form: &FormData, errors: &mut FieldErrors) -> Option<Uuid> {
    form.text("floor_id")
        .and_then(|raw| match Uuid::parse_str(&raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("floor_id", "choose a floor from the list");
                None
            }
        })
}

fn new_input(form: &FormData, errors: &mut FieldErrors) -> NewUserInput {
    NewUserInput {
        username: form.get("username").unwrap_or("").to_owned(),
        password: form.get("password").unwrap_or("").to_owned(),
        name: form.get("name").unwrap_or("").to_owned(),
        role: role_of(form, errors),
        floor_id: floor_of(form, errors),
        email: form.text("email"),
        phone: form.text("phone"),
    }
}

fn update_input(form: &FormData, errors: &mut FieldErrors) -> UserUpdateInput {
    UserUpdateInput {
        name: form.get("name").unwrap_or("").to_owned(),
        role: role_of(form, errors),
        floor_id: floor_of(form, errors),
        email: form.text("email"),
        phone: form.text("phone"),
        active: form.checked("active"),
    }
}

fn draft_of(u: &User) -> FormData {
    let mut pairs: Vec<(String, String)> = vec![
        ("name".into(), u.name.as_str().into()),
        ("role".into(), u.role.as_str().into()),
        (
            "floor_id".into(),
            u.floor_id
                .map(|f| f.as_uuid().to_string())
                .unwrap_or_default(),
        ),
        (
            "email".into(),
            u.email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "phone".into(),
            u.phone
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
    ];
    if u.active {
        pairs.push(("active".into(), "on".into()));
    }
    FormData::from_pairs(pairs)
}

fn role_options() -> Vec<(String, String)> {
    UserRole::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), label(r.as_str())))
        .collect()
}

fn floor_options(floors: &[Floor]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "None (Business Admin)".to_owned()))
        .chain(
            floors
                .iter()
                .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
        )
        .collect()
}

/// Role, floor and contact fields, shared by the add and edit forms.
fn common_fields(floors: &[Floor], draft: &FormData, errors: &FieldErrors) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    html! {
        (Field::new("name", "Full name", v("name")).required().attr("autocomplete", "off").render(errors))
        (select("role", "Role", &role_options(), &v("role"), errors))
        (select("floor_id", "Floor", &floor_options(floors), &v("floor_id"), errors))
        (Field::new("email", "Email", v("email")).kind("email").attr("inputmode", "email").render(errors))
        (Field::new("phone", "Mobile number", v("phone")).kind("tel").attr("inputmode", "tel").render(errors))
    }
}

async fn team_and_floors(
    state: &AppState,
    viewer: &Viewer,
) -> Result<(Vec<User>, Vec<Floor>), PageError> {
    let actor = viewer.actor.clone();
    Ok(state
        .crm
        .run(move |crm| {
            Ok((
                crm.list_users(&actor, Deleted::Hide)?,
                crm.list_floors(&actor, Deleted::Hide)?,
            ))
        })
        .await?)
}

fn floor_name(floors: &[Floor], user: &User) -> String {
    match user.floor_id {
        None => "All floors".to_owned(),
        Some(id) => floors
            .iter()
            .find(|f| f.id == id)
            .map_or("Removed floor".to_owned(), |f| f.name.as_str().to_owned()),
    }
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    done: Option<&str>,
    draft: &FormData,
    errors: &FieldErrors,
) -> Result<Markup, PageError> {
    let (users, floors) = team_and_floors(state, viewer).await?;
    let actor = viewer.actor.clone();
    let slowed = state
        .crm
        .run(move |crm| crm.slowed_accounts(&actor))
        .await?;
    let tz = state.crm.config().time_zone();
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let notice = match done.unwrap_or("") {
        "created" => {
            Some("Member added. They can sign in with the username and password you gave.")
        }
        "saved" => Some("Changes saved."),
        "removed" => Some("Removed. They have been signed out and can no longer sign in."),
        "try-again" => Some("They can try their password again now."),
        _ => None,
    };
    let content = html! {
        @if let Some(message) = notice { div.alert.success role="status" #done-notice { (message) } }
        (super::sign_in_alerts::section(&slowed, &viewer.csrf, &tz))
        table.list #team-list {
            thead { tr {
                th scope="col" { "Name" }
                th scope="col" { "Username" }
                th scope="col" { "Role" }
                th scope="col" .hide-narrow { "Floor" }
                th scope="col" { "Status" }
                th scope="col" .hide-narrow { "Contact" }
            } }
            tbody {
                @for u in &users {
                    tr {
                        td {
                            a.row-link href=(paths::team_member(u.id)) { (u.name.as_str()) }
                            @if u.id == viewer.actor.user_id { span.sub { "You" } }
                        }
                        td.nowrap { (u.username.as_str()) }
                        td { span.badge.muted { (label(u.role.as_str())) } }
                        td.hide-narrow { (floor_name(&floors, u)) }
                        td {
                            @if u.active { span.badge.active { "Active" } } @else { span.badge.inactive { "Switched off" } }
                        }
                        td.hide-narrow {
                            @if let Some(email) = &u.email { (email.as_str()) br; }
                            @if let Some(phone) = &u.phone { span.nowrap { (phone.to_string()) } }
                            @if u.email.is_none() && u.phone.is_none() { "—" }
                        }
                    }
                }
            }
        }
        form #add-member .form-card method="post" action=(paths::team()) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, NEW_SHOWN))
            fieldset {
                legend { "Add a member" }
                div.grid {
                    (Field::new("username", "Username", v("username")).required()
                        .hint("3 to 32 characters: a-z, digits and . _ -").attr("autocomplete", "off").render(errors))
                    (common_fields(&floors, draft, errors))
                    (Field::new("password", "Initial password", "").kind("password").required()
                        .hint("At least 8 characters; they can change it from their profile")
                        .attr("autocomplete", "new-password").render(errors))
                }
                p.hint { "A Floor Manager needs a floor; a Business Admin works on every floor, so leave theirs empty." }
            }
            div.form-actions { button.button.primary type="submit" { (icon("plus")) "Add member" } }
        }
    };
    let actions = html! { a.button.primary href="#add-member" { (icon("plus")) "Add member" } };
    Ok(page(viewer, "Team", actions, content))
}

/// `GET /team`
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    list_page(
        &state,
        &viewer,
        params.get("done"),
        &FormData::from_pairs(vec![("role".into(), "FLOOR_MANAGER".into())]),
        &FieldErrors::new(),
    )
    .await
}

/// `POST /team`: adds a member. After a failed save everything typed is shown again
/// except the password, which is never sent back to the browser.
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageTeam)?;
    let typed = Typed::read(|errors| new_input(&form, errors));
    match FormFlow::new(&state, &viewer, typed)
        .conflicts_on("username")
        .save_async(|crm, actor, input| async move { crm.create_user(&actor, input).await })
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::team().done("created"))),
        Err(refused) => {
            Ok(refused.show(list_page(&state, &viewer, None, &form, &refused.errors).await?))
        }
    }
}

fn edit_page(
    viewer: &Viewer,
    user: &User,
    floors: &[Floor],
    draft: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let is_self = user.id == viewer.actor.user_id;
    let actions = html! {
        @if !is_self {
            button.button.danger #remove-member type="button" data-open-dialog="delete-member" { (icon("trash")) "Remove" }
        }
    };
    let active_error = errors.get("active");
    let content = html! {
        form #member-form .form-card method="post" action=(paths::team_member(user.id)) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(errors, EDIT_SHOWN))
            fieldset {
                legend { "Member" }
                div.grid {
                    div.field {
                        label for="field-username" { "Username" }
                        input #field-username type="text" value=(user.username.as_str()) readonly;
                        p.hint { "A username cannot be changed." }
                    }
                    (common_fields(floors, draft, errors))
                    div.field.wide.invalid[active_error.is_some()] {
                        label.chip.toggle {
                            input type="checkbox" name="active" checked[draft.checked("active")];
                            span { "Active: may sign in" }
                        }
                        p.hint { "Switching someone off signs them out everywhere and stops new sign-ins." }
                        @if let Some(message) = active_error { p.field-error role="alert" { (message) } }
                    }
                }
                @if is_self {
                    p.hint { "This is you. You cannot remove, demote or switch off yourself; ask another Business Admin." }
                }
            }
            div.form-actions {
                a.button href=(paths::team()) { "Cancel" }
                button.button.primary type="submit" { "Save changes" }
            }
        }
        @if !is_self {
            (confirm_dialog(
                "delete-member",
                &format!("Remove {}?", user.name.as_str()),
                "They are signed out on every device and can no longer sign in. Their past work stays on record.",
                &paths::delete_team_member(user.id),
                &viewer.csrf,
                ("Keep them", "Remove member"),
            ))
        }
    };
    page(
        viewer,
        &format!("Edit {}", user.name.as_str()),
        actions,
        content,
    )
}

async fn member(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
) -> Result<(User, Vec<Floor>), PageError> {
    let actor = viewer.actor.clone();
    Ok(state
        .crm
        .run(move |crm| {
            Ok((
                crm.get_user(&actor, UserId::from_uuid(id))?,
                crm.list_floors(&actor, Deleted::Hide)?,
            ))
        })
        .await?)
}

/// `GET /team/{id}`. Anyone may look themselves up, as the API lets them; someone who
/// does not manage the team is sent to their profile, where they change what they may.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let (user, floors) = member(&state, &viewer, id).await?;
    if !viewer.actor.may(Permission::ManageTeam) {
        return Ok(redirect_to(paths::profile()));
    }
    Ok(edit_page(
        &viewer,
        &user,
        &floors,
        &draft_of(&user),
        &FieldErrors::new(),
    )
    .into_response())
}

/// `POST /team/{id}`
pub async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ManageTeam)?;
    let typed = Typed::read(|errors| update_input(&form, errors));
    let user_id = UserId::from_uuid(id);
    match FormFlow::new(&state, &viewer, typed)
        .save(move |crm, actor, input| crm.update_user(actor, user_id, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::team().done("saved"))),
        Err(refused) => {
            let (user, floors) = member(&state, &viewer, id).await?;
            Ok(refused.show(edit_page(&viewer, &user, &floors, &form, &refused.errors)))
        }
    }
}

/// `POST /team/{id}/delete`: the app refuses removing oneself (403 page with its reason).
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let user_id = UserId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.delete_user(actor, user_id),
        |()| paths::team().done("removed"),
    )
    .await
}
