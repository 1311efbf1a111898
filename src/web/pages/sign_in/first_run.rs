//! `/setup/{token}`: the one-time page of a new box, where the owner names the store, gives
//! its GST registration and creates the first Business Admin account (signed in straight after). The link comes
//! from the console at start and stops working once used.

use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::app::{Error, SetupInput};
use crate::domain::FieldErrors;
use crate::web::AppState;
use crate::web::extract::signed_in_cookie;
use crate::web::pages::shell::components::{Field, error_summary};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::forms::gst_registration_fields;
use crate::web::pages::shell::layout::bare;
use crate::web::pages::shell::session::{FormData, from_this_site};
use crate::web::paths;

const SHOWN: &[&str] = &[
    "store_name",
    "gstin",
    "state_code",
    "address",
    "name",
    "username",
    "password",
    "password_again",
];

fn form_page(token: &str, draft: &FormData, errors: &FieldErrors) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    bare(
        "Set up this box",
        html! {
            main.login {
                div.card.login-card.setup-card {
                    div.brand.large { span.brand-mark { "S" } span.brand-name { "Sarkar CRM" } }
                    h1 { "Set up this box" }
                    p { "Name the store, give its GST registration as invoices print it, and create the owner's account. This page works once; afterwards everyone signs in." }
                    (error_summary(errors, SHOWN))
                    form #setup-form method="post" action=(paths::setup(token)) novalidate {
                        (Field::new("store_name", "Store name", v("store_name")).required()
                            .hint("As customers know it; printed on invoices").render(errors))
                        (gst_registration_fields(&v, errors))
                        (Field::new("name", "Your full name", v("name")).required().attr("autocomplete", "name").render(errors))
                        (Field::new("username", "Username", v("username")).required()
                            .hint("What you will sign in with, e.g. tapan").attr("autocomplete", "username").render(errors))
                        (Field::new("password", "Password", "").kind("password").required()
                            .hint("At least 10 characters; a few words make a good one").attr("autocomplete", "new-password").render(errors))
                        (Field::new("password_again", "Password again", "").kind("password").required()
                            .attr("autocomplete", "new-password").render(errors))
                        button.button.primary.block #setup-submit type="submit" { "Create the owner's account" }
                    }
                }
            }
        },
    )
}

fn used_page() -> Response {
    let page = bare(
        "Set-up link used",
        html! {
            main.login {
                div.card.login-card {
                    h1 { "This set-up link has been used" }
                    p { "The box is set up already. Sign in with your account, or ask the technician to add one with " code { "sarkar-crm user add" } "." }
                    p { a.button.primary href=(paths::login()) { "Sign in" } }
                }
            }
        },
    );
    (StatusCode::GONE, page).into_response()
}

/// `GET /setup/{token}`
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let check = token.clone();
    if !state
        .crm
        .run(move |crm| crm.setup_link_works(&check))
        .await?
    {
        return Ok(used_page());
    }
    let config = &state.crm.config().store;
    let draft = FormData::from_pairs(vec![
        ("store_name".into(), config.name.clone()),
        ("state_code".into(), config.state_code.clone()),
    ]);
    Ok(form_page(&token, &draft, &FieldErrors::new()).into_response())
}

/// `POST /setup/{token}`
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    if !from_this_site(&parts.headers) {
        return Err(PageError::CrossSite);
    }
    let form = FormData::parse(&body);
    let text = |name: &str| form.get(name).unwrap_or("").to_owned();
    let mut errors = FieldErrors::new();
    if text("password") != text("password_again") {
        errors.add(
            "password_again",
            "the two passwords differ; type the same one twice",
        );
    }
    let agent = crate::web::pages::shell::session::user_agent(&parts.headers);
    let input = SetupInput {
        store_name: text("store_name"),
        name: text("name"),
        username: text("username"),
        password: text("password"),
        gstin: text("gstin"),
        state_code: text("state_code"),
        address: text("address"),
    };
    let result = if errors.is_empty() {
        state.crm.complete_setup(&token, input, &agent).await
    } else {
        Err(Error::Invalid(errors))
    };
    match result {
        Ok(signed_in) => {
            let cookie = signed_in_cookie(state.https, &signed_in);
            Ok((
                StatusCode::SEE_OTHER,
                [(LOCATION, paths::home().done("welcome").to_string())],
                [(SET_COOKIE, cookie)],
            )
                .into_response())
        }
        Err(Error::Conflict { field: None, .. }) => Ok(used_page()),
        Err(err) => {
            let (status, found) =
                crate::web::pages::shell::form_flow::save_errors(err, "username")?;
            // The use case names the store field as the command line does.
            let mut shown = FieldErrors::new();
            for (field, message) in found.iter() {
                let field = if field == "store" {
                    "store_name"
                } else {
                    field.as_str()
                };
                shown.add(field, message.clone());
            }
            Ok((status, form_page(&token, &form, &shown)).into_response())
        }
    }
}
