//! Signing in and out from a browser, and the lock screen of shared tablets.
//!
//! The sign-in form has no session yet, so its CSRF token is a random value kept in a
//! short-lived cookie and echoed in the form (double submit); a forged form from
//! another site can set neither.

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use maud::{Markup, html};
use serde::Deserialize;

use crate::app::{Error, LoginInput};
use crate::web::AppState;
use crate::web::client_address::client_address;
use crate::web::extract::{cookie, session_cookie, session_token, signed_in_cookie};
use crate::web::pages::shell::components::sentence;
use crate::web::pages::shell::error::{PageError, safe_next};
use crate::web::pages::shell::layout::bare;
use crate::web::pages::shell::session::{
    CSRF_FIELD, FormData, csrf_header, csrf_matches, csrf_token, from_this_site, same_token,
};
use crate::web::paths;

const LOGIN_CSRF_COOKIE: &str = "sarkar_login";

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// What the sign-in page shows besides the form.
#[derive(Debug, Clone, Copy, Default)]
struct Notes<'a> {
    error: Option<&'a str>,
    no_staff: bool,
    /// Accounts that still have the demo's published password.
    demo_accounts: &'a [String],
}

/// Whether the box has nobody who could sign in (a failed read counts as having staff,
/// so the form is never hidden behind a note).
async fn no_staff(state: &AppState) -> bool {
    matches!(state.crm.run(|crm| crm.has_staff()).await, Ok(false))
}

/// The demo accounts still signing in with the demo's password (none if the check
/// fails: the warning must never hide the form).
async fn demo_accounts(state: &AppState) -> Vec<String> {
    state
        .crm
        .accounts_with_demo_password()
        .await
        .unwrap_or_default()
}

fn login_form(token: &str, next: &str, username: &str, notes: Notes<'_>) -> Markup {
    bare(
        "Sign in",
        html! {
            main.login {
                div.card.login-card {
                    div.brand.large {
                        span.brand-mark { "S" }
                        span.brand-name { "Sarkar CRM" }
                    }
                    h1 { "Sign in" }
                    @if notes.no_staff {
                        div.alert.warning role="status" #no-staff {
                            "This box has no staff yet: open the setup link the server printed in its console (or run "
                            code { "sarkar-crm user add …" } ")."
                        }
                    }
                    @if !notes.demo_accounts.is_empty() {
                        div.alert.error role="alert" #demo-passwords {
                            strong { "Demo passwords in use. " }
                            "The floor managers " (notes.demo_accounts.join(", "))
                            " still have the demo's password, which is printed for anyone to read: anyone on the store Wi-Fi can sign in as them. "
                            "The store owner should set each a password of their own on the Team page, or remove them."
                        }
                    }
                    @if let Some(message) = notes.error {
                        div.alert.error role="alert" #login-error { (message) }
                    }
                    form #login-form method="post" action=(paths::login()) {
                        input type="hidden" name=(CSRF_FIELD) value=(token);
                        input type="hidden" name="next" value=(next);
                        div.field {
                            label for="username" { "Username" }
                            input #username name="username" value=(username) required
                                autocomplete="username" autocapitalize="none" spellcheck="false"
                                autofocus[username.is_empty()];
                        }
                        div.field {
                            label for="password" { "Password" }
                            input #password type="password" name="password" required
                                autocomplete="current-password" autofocus[!username.is_empty()];
                        }
                        button.button.primary.block type="submit" { "Sign in" }
                    }
                    p.hint { "Forgotten your password? Ask the store owner to set a new one." }
                }
            }
        },
    )
}

fn with_login_cookie(https: bool, token: &str, status: StatusCode, page: Markup) -> Response {
    let secure = if https { "; Secure" } else { "" };
    let cookie = format!(
        "{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    );
    let mut response = (status, page).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

fn fresh_token() -> String {
    let mut raw = [0u8; 24];
    rand::fill(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// `GET /login`: the sign-in form, or straight on if already signed in.
pub async fn show(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
    parts: Parts,
) -> Response {
    let next = safe_next(query.next.as_deref().unwrap_or(paths::HOME)).to_owned();
    if let Some((token, _)) = session_token(&parts)
        && state
            .crm
            .run(move |crm| crm.authenticate(&token))
            .await
            .is_ok()
    {
        return (StatusCode::SEE_OTHER, [(LOCATION, next)]).into_response();
    }
    let token = fresh_token();
    let demo_accounts = demo_accounts(&state).await;
    let notes = Notes {
        error: None,
        no_staff: no_staff(&state).await,
        demo_accounts: &demo_accounts,
    };
    with_login_cookie(
        state.https,
        &token,
        StatusCode::OK,
        login_form(&token, &next, "", notes),
    )
}

/// `POST /login`: checks the password and opens a session.
pub async fn submit(
    State(state): State<AppState>,
    parts: Parts,
    body: axum::body::Bytes,
) -> Response {
    let form = FormData::parse(&body);
    let next = safe_next(form.get("next").unwrap_or(paths::HOME)).to_owned();
    let username = form.get("username").unwrap_or("").trim().to_owned();
    let expected = cookie(&parts, LOGIN_CSRF_COOKIE).unwrap_or("");
    let given = form.get(CSRF_FIELD).unwrap_or("");
    if !from_this_site(&parts.headers) {
        return PageError::CrossSite.into_response();
    }
    if expected.is_empty() || !same_token(expected, given) {
        let token = fresh_token();
        let page = login_form(
            &token,
            &next,
            &username,
            Notes {
                error: Some("The sign-in page had expired. Please enter your password again."),
                ..Notes::default()
            },
        );
        return with_login_cookie(state.https, &token, StatusCode::FORBIDDEN, page);
    }
    let agent = crate::web::pages::shell::session::user_agent(&parts.headers);
    let input = LoginInput {
        username: username.clone(),
        password: form.get("password").unwrap_or("").to_owned(),
    };
    match state
        .crm
        .login_from(input, &agent, client_address(&parts))
        .await
    {
        Ok(signed_in) => {
            let failed = signed_in.failed_attempts;
            let mut response = if failed == 0 {
                (StatusCode::SEE_OTHER, [(LOCATION, next)]).into_response()
            } else {
                failed_attempts_page(failed, &next).into_response()
            };
            let headers = response.headers_mut();
            headers.append(SET_COOKIE, signed_in_cookie(state.https, &signed_in));
            headers.append(
                SET_COOKIE,
                HeaderValue::from_static(
                    "sarkar_login=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0",
                ),
            );
            response
        }
        Err(Error::Unauthorized(message)) => {
            let token = fresh_token();
            let message = format!("{}.", sentence(&message));
            let notes = Notes {
                error: Some(&message),
                no_staff: no_staff(&state).await,
                ..Notes::default()
            };
            let page = login_form(&token, &next, &username, notes);
            with_login_cookie(state.https, &token, StatusCode::UNAUTHORIZED, page)
        }
        Err(Error::TooManyRequests {
            message,
            retry_after_secs,
        }) => {
            let token = fresh_token();
            let message = format!("{}.", sentence(&message));
            let notes = Notes {
                error: Some(&message),
                ..Notes::default()
            };
            let page = login_form(&token, &next, &username, notes);
            let mut response =
                with_login_cookie(state.https, &token, StatusCode::TOO_MANY_REQUESTS, page);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Err(other) => PageError::App(other).into_response(),
    }
}

/// Shown once, straight after signing in, when wrong passwords were given for the
/// account since its last sign-in: the person is the first to know whether it was them.
fn failed_attempts_page(failed: u32, next: &str) -> Markup {
    let times = if failed == 1 {
        "once".to_owned()
    } else {
        format!("{failed} times")
    };
    bare(
        "Signed in",
        html! {
            main.login {
                div.card.login-card {
                    h1 { "Signed in" }
                    div.alert.warning role="alert" #failed-sign-ins {
                        "A wrong password was given for your account " (times)
                        " since you last signed in. If that was not you, tell the store owner, and change your password from your profile."
                    }
                    a.button.primary.block href=(next) { "Carry on" }
                }
            }
        },
    )
}

/// The session token of a request whose form or header carries its CSRF token and
/// which came from this site; for sign-out and the lock screen, which must work even
/// while the screen is locked.
fn checked_token(parts: &Parts, form: &FormData) -> Result<String, PageError> {
    if !from_this_site(&parts.headers) {
        return Err(PageError::CrossSite);
    }
    let Some((token, _)) = session_token(parts) else {
        return Err(PageError::SignIn {
            next: paths::HOME.into(),
            htmx: false,
        });
    };
    if csrf_matches(csrf_header(&parts.headers), Some(form), &csrf_token(&token)) {
        Ok(token)
    } else {
        Err(PageError::StaleForm)
    }
}

/// `POST /logout`: ends the session and returns to the sign-in page.
pub async fn logout(
    State(state): State<AppState>,
    parts: Parts,
    body: axum::body::Bytes,
) -> Response {
    let form = FormData::parse(&body);
    let token = match checked_token(&parts, &form) {
        Ok(token) => token,
        Err(PageError::SignIn { .. }) => String::new(),
        Err(err) => return err.into_response(),
    };
    if !token.is_empty()
        && let Err(err) = state.crm.run(move |crm| crm.logout(&token)).await
    {
        return PageError::App(err).into_response();
    }
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, paths::LOGIN)]).into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie(state.https, "", 0));
    response
}

/// `POST /lock`: the page has been idle; lock the session until its password is given.
pub async fn lock(
    State(state): State<AppState>,
    parts: Parts,
    body: axum::body::Bytes,
) -> Response {
    let form = FormData::parse(&body);
    match checked_token(&parts, &form) {
        Ok(token) => match state.crm.run(move |crm| crm.lock_session(&token)).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(_) => PageError::SignIn {
                next: paths::HOME.into(),
                htmx: true,
            }
            .into_response(),
        },
        Err(err) => err.into_response(),
    }
}

/// `POST /unlock`: the same person's password opens the locked page again.
pub async fn unlock(
    State(state): State<AppState>,
    parts: Parts,
    body: axum::body::Bytes,
) -> Response {
    let form = FormData::parse(&body);
    let token = match checked_token(&parts, &form) {
        Ok(token) => token,
        Err(err) => return err.into_response(),
    };
    let password = form.get("password").unwrap_or("").to_owned();
    match state
        .crm
        .unlock_session(token, password, client_address(&parts))
        .await
    {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(Error::TooManyRequests {
            message,
            retry_after_secs,
        }) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(RETRY_AFTER, HeaderValue::from(retry_after_secs))],
            format!("{}.", sentence(&message)),
        )
            .into_response(),
        Err(Error::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .get("password")
                .unwrap_or("wrong password")
                .to_owned(),
        )
            .into_response(),
        Err(_) => PageError::SignIn {
            next: paths::HOME.into(),
            htmx: true,
        }
        .into_response(),
    }
}
