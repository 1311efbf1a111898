//! My profile (everyone): one's own name and contact details, and a separate form to
//! change the password, after which every session ends, this one included.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use maud::{Markup, html};

use crate::app::ProfileInput;
use crate::domain::{FieldErrors, User};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::extract::session_cookie;
use crate::web::pages::shell::components::{Field, done_notice, error_summary};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, redirect_to};
use crate::web::pages::shell::format::label;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Submitted, Viewer};
use crate::web::paths;

const DETAILS: &[&str] = &["name", "email", "phone"];
const PASSWORD: &[&str] = &["current_password", "new_password", "new_password_repeat"];

fn draft_of(u: &User) -> FormData {
    FormData::from_pairs(vec![
        ("name".into(), u.name.as_str().into()),
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
    ])
}

/// Which form failed, with its errors; the other form is drawn clean.
enum Failed<'a> {
    Nothing,
    Details(&'a FormData, &'a FieldErrors),
    Password(&'a FieldErrors),
}

async fn profile_page(
    state: &AppState,
    viewer: &Viewer,
    done: Option<&str>,
    failed: Failed<'_>,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let (user, floor) = state
        .crm
        .run(move |crm| {
            let user = crm.profile(&actor)?;
            let floor = match user.floor_id {
                Some(id) => crm
                    .list_floors(&actor, Deleted::Hide)?
                    .into_iter()
                    .find(|f| f.id == id)
                    .map(|f| f.name.as_str().to_owned()),
                None => None,
            };
            Ok((user, floor))
        })
        .await?;
    let none = FieldErrors::new();
    let stored = draft_of(&user);
    let (draft, details_errors, password_errors) = match failed {
        Failed::Nothing => (&stored, &none, &none),
        Failed::Details(draft, errors) => (draft, errors, &none),
        Failed::Password(errors) => (&stored, &none, errors),
    };
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let content = html! {
        (done_notice(done))
        div.cards {
            section.card {
                h2 { "Account" }
                dl {
                    dt { "Username" } dd { (user.username.as_str()) }
                    dt { "Role" } dd { (label(user.role.as_str())) }
                    dt { "Floor" } dd { (floor.as_deref().unwrap_or(if user.floor_id.is_some() { "—" } else { "All floors" })) }
                }
                p.hint { "Only a Business Admin can change a username, role or floor." }
            }
            section.card {
                h2 { "Another tablet" }
                p { "Show the QR codes that let a tablet trust this box and open Sarkar CRM." }
                p { a.button #pair-link href=(paths::pair()) { "Pair a tablet" } }
            }
        }
        form #profile-form .form-card method="post" action=(paths::profile()) novalidate {
            (form_keys(&viewer.csrf))
            (error_summary(details_errors, DETAILS))
            fieldset {
                legend { "My details" }
                div.grid {
                    (Field::new("name", "Full name", v("name")).required().attr("autocomplete", "name").render(details_errors))
                    (Field::new("email", "Email", v("email")).kind("email").attr("autocomplete", "email").render(details_errors))
                    (Field::new("phone", "Mobile number", v("phone")).kind("tel").attr("autocomplete", "tel").render(details_errors))
                }
            }
            div.form-actions { button.button.primary type="submit" { "Save details" } }
        }
        form #password-form .form-card method="post" action=(paths::profile_password()) novalidate {
            (form_keys(&viewer.csrf))
            // The username lets password managers file the new password under the right account.
            input type="text" value=(user.username.as_str()) autocomplete="username" hidden;
            (error_summary(password_errors, PASSWORD))
            fieldset {
                legend { "Change password" }
                div.grid {
                    (Field::new("current_password", "Current password", "").kind("password").required()
                        .attr("autocomplete", "current-password").render(password_errors))
                    (Field::new("new_password", "New password", "").kind("password").required()
                        .hint("At least 8 characters; a short phrase is easy to remember")
                        .attr("autocomplete", "new-password").render(password_errors))
                    (Field::new("new_password_repeat", "New password again", "").kind("password").required()
                        .attr("autocomplete", "new-password").render(password_errors))
                }
                p.hint { "Changing the password signs you out on every device, this one too; sign in again with the new one." }
            }
            div.form-actions { button.button.primary type="submit" { "Change password" } }
        }
    };
    Ok(page(viewer, "My profile", html! {}, content))
}

/// `GET /profile`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    profile_page(&state, &viewer, params.get("done"), Failed::Nothing).await
}

/// `POST /profile`: name and contact details only.
pub async fn update(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let typed = Typed::ready(ProfileInput {
        name: form.get("name").unwrap_or("").to_owned(),
        email: form.text("email"),
        phone: form.text("phone"),
        current_password: None,
        new_password: None,
    });
    match FormFlow::new(&state, &viewer, typed)
        .save_async(|crm, actor, input| async move { crm.update_profile(&actor, input).await })
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::profile().done("saved"))),
        Err(refused) => Ok(refused.show(
            profile_page(
                &state,
                &viewer,
                None,
                Failed::Details(&form, &refused.errors),
            )
            .await?,
        )),
    }
}

/// `POST /profile/password`: checks here that both new passwords agree (the app takes
/// only one), then changes it and sends the browser to sign in again.
pub async fn change_password(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let typed = Typed::read(|errors| {
        let current = form.get("current_password").unwrap_or("");
        let new = form.get("new_password").unwrap_or("");
        if current.is_empty() {
            errors.add("current_password", "enter your current password");
        }
        // A blank new password would mean "no change" to the app; here it is a mistake.
        if new.trim().is_empty() {
            errors.add("new_password", "enter a new password");
        } else if form.get("new_password_repeat").unwrap_or("") != new {
            errors.add(
                "new_password_repeat",
                "does not match the new password; type it again",
            );
        }
        (current.to_owned(), new.to_owned())
    });
    let changed = FormFlow::new(&state, &viewer, typed)
        .conflicts_on("new_password")
        .save_async(|crm, actor, (current, new)| async move {
            crm.change_password(&actor, current, new).await
        })
        .await?;
    match changed {
        Ok(()) => {
            let mut response = redirect_to(paths::login());
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(state.https, "", 0));
            Ok(response)
        }
        Err(mut refused) => {
            // A password is never "in use by someone else": a clash is a mistake to correct.
            if refused.status == StatusCode::CONFLICT {
                refused.status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Ok(refused.show(
                profile_page(&state, &viewer, None, Failed::Password(&refused.errors)).await?,
            ))
        }
    }
}
