//! What a page shows when it cannot do what was asked: a redirect to sign in, or a
//! plain page (or, for htmx requests, a message header the page shows as a notice)
//! saying what went wrong and what to do. Internal details are logged, never shown.

use crate::web::paths;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, html};

use super::components::sentence;
use super::layout::head;
use crate::app::Error;
use crate::web::error::error_chain;

#[derive(Debug)]
pub enum PageError {
    /// No live session: go to the sign-in page and come back to `next` afterwards.
    SignIn {
        next: String,
        htmx: bool,
    },
    /// A form posted from another site.
    CrossSite,
    /// A form without this session's CSRF token (another site, or a page from before
    /// signing in again).
    StaleForm,
    TooLarge,
    App(Error),
}

impl From<Error> for PageError {
    fn from(err: Error) -> Self {
        PageError::App(err)
    }
}

/// Where to send someone after signing in: only a path on this site. Browsers drop tabs
/// and newlines from a `Location` and read a backslash as a slash, so `/\t/evil.example`
/// would take them off the site; anything but visible ASCII without backslashes is
/// refused, as is `//` (another host).
pub fn safe_next(next: &str) -> &str {
    let visible_path = next
        .bytes()
        .all(|byte| byte.is_ascii_graphic() && byte != b'\\');
    if visible_path && next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        paths::HOME
    }
}

pub fn login_url(next: &str) -> String {
    let next = safe_next(next);
    if next == paths::HOME {
        paths::login().into()
    } else {
        paths::login().with("next", next).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            PageError::SignIn { next, htmx } => {
                let to = login_url(&next);
                let mut response = if htmx {
                    StatusCode::UNAUTHORIZED.into_response()
                } else {
                    (StatusCode::SEE_OTHER, [(header::LOCATION, to.clone())]).into_response()
                };
                if let Ok(value) = HeaderValue::from_str(&to) {
                    response.headers_mut().insert("hx-redirect", value);
                }
                return response;
            }
            PageError::CrossSite => (
                StatusCode::FORBIDDEN,
                "Refused",
                "This form was sent from another website, so nothing was changed. Open Sarkar CRM directly and try again.".to_owned(),
            ),
            PageError::StaleForm => (
                StatusCode::FORBIDDEN,
                "Please reload the page",
                "This form is out of date (or did not come from Sarkar CRM), so nothing was changed. Reload the page and send it again.".to_owned(),
            ),
            PageError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too much to send",
                "The form was too large to accept; shorten the notes and try again.".to_owned(),
            ),
            PageError::App(err) => match err {
                Error::NotFound(what) => (
                    StatusCode::NOT_FOUND,
                    "Not found",
                    format!("There is no such {what} in this store. It may have been removed; go back and search again."),
                ),
                Error::Forbidden(message) => (StatusCode::FORBIDDEN, "Not allowed", sentence(&message)),
                Error::Unauthorized(_) => {
                    return PageError::SignIn { next: paths::HOME.into(), htmx: false }.into_response();
                }
                Error::Conflict { message, .. } => (StatusCode::CONFLICT, "Already exists", sentence(&message)),
                Error::TooManyRequests { message, retry_after_secs } => {
                    let mut response = error_page(StatusCode::TOO_MANY_REQUESTS, "Please wait", &sentence(&message));
                    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                    return response;
                }
                Error::Invalid(errors) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Please check the details",
                    errors.to_string(),
                ),
                Error::BadQuery(errors) => (
                    StatusCode::BAD_REQUEST,
                    "Please check the address",
                    errors.to_string(),
                ),
                Error::Internal(internal) => {
                    tracing::error!(error = %error_chain(&internal), "page failed");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Something went wrong",
                        "Sarkar CRM could not finish this. Nothing was half-saved; try again, and if it keeps happening tell the technician the time it happened.".to_owned(),
                    )
                }
            },
        };
        error_page(status, title, &message)
    }
}

/// A page of its own for an error; htmx requests show the message header as a notice.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let message = if message.ends_with(['.', '!', '?']) {
        message.to_owned()
    } else {
        format!("{message}.")
    };
    let message = message.as_str();
    let body = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body.plain {
                main.error-page {
                    div.card {
                        p.error-code { (status.as_u16()) }
                        h1 { (title) }
                        p { (message) }
                        p.actions {
                            a.button href=(paths::home()) { "Go to the dashboard" }
                        }
                    }
                }
            }
        }
    };
    let mut response = (status, body).into_response();
    let ascii: String = message
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                ' '
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&ascii) {
        response.headers_mut().insert("x-message", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/customers?page=2"), "/customers?page=2");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{b}/evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{a0}/evil.example",
            "/\u{3000}/evil.example",
            "/customers\\..\\\\evil.example",
            "\\\\evil.example",
            "/%09/evil.example ",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile:?}");
        }
        assert_eq!(
            login_url("/customers/new"),
            "/login?next=%2Fcustomers%2Fnew"
        );
    }
}
