//! The one way a page form is saved: what was typed is read into the input `app`
//! takes, one `app` call saves it, and then either the browser goes on to the next page
//! or the form is drawn again with every error and the status that says why (422 for
//! fields to correct, 409 for a clash with what is stored). An htmx request is sent on
//! with `HX-Redirect` instead of a 303, and gets a fragment instead of a page.
//!
//! A handler reads the form ([`Typed::read`]), saves it ([`FormFlow::save`]), and
//! matches on the result: [`go_to`] on success, [`Refused::show`] with its own markup
//! otherwise. What differs between pages (the app call, where to go, what to redraw)
//! stays in the handler; the trip itself is written here once.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

use super::error::PageError;
use super::forms::is_htmx;
use super::session::Viewer;
use crate::app::{Actor, Crm, Error};
use crate::domain::FieldErrors;
use crate::web::AppState;
use crate::web::paths::Link;

/// A form as typed: the input for `app`, and the problems the form found on its own
/// (a word where a number belongs, a choice not in the list).
#[derive(Debug)]
pub struct Typed<I> {
    /// `None` when the form could not be read far enough to make an input; `errors`
    /// then says why.
    input: Option<I>,
    errors: FieldErrors,
}

impl<I> Typed<I> {
    /// Reads a form with `read`, which notes each problem it finds in the errors it is
    /// given and still returns the rest of the input.
    pub fn read(read: impl FnOnce(&mut FieldErrors) -> I) -> Self {
        Self::read_partly(|errors| Some(read(errors)))
    }

    /// Reads a form that may not give an input at all (a required choice missing); when
    /// `read` gives none it must have noted why.
    pub fn read_partly(read: impl FnOnce(&mut FieldErrors) -> Option<I>) -> Self {
        let mut errors = FieldErrors::new();
        let input = read(&mut errors);
        if input.is_none() && errors.is_empty() {
            errors.add("form", "the form was sent incomplete; fill it in again");
        }
        Self { input, errors }
    }

    /// A form with nothing to read but its input.
    pub fn ready(input: I) -> Self {
        Self {
            input: Some(input),
            errors: FieldErrors::new(),
        }
    }
}

/// A save that `app` (or the form itself) refused: the messages for the fields, and the
/// status the redrawn form is sent with.
#[derive(Debug)]
pub struct Refused {
    pub status: StatusCode,
    pub errors: FieldErrors,
    /// The stored record a clash is with (the customer who has that phone), so the
    /// form can link to it.
    pub existing_id: Option<String>,
}

impl Refused {
    /// The form drawn again, with the refusal's status.
    pub fn show(&self, markup: Markup) -> Response {
        (self.status, markup).into_response()
    }
}

/// The app's own check of an input, run beside the form's so that every problem shows
/// at once; and the renaming of the app's field names (the API's) to the form's.
type Check<I> = (
    fn(&Crm, &Actor, &I) -> Result<(), Error>,
    fn(FieldErrors) -> FieldErrors,
);

/// One submitted form on its way to `app`.
#[derive(Debug)]
pub struct FormFlow<'a, I> {
    state: &'a AppState,
    actor: Actor,
    typed: Typed<I>,
    conflict_field: &'static str,
    check: Option<Check<I>>,
}

impl<'a, I: Send + 'static> FormFlow<'a, I> {
    pub fn new(state: &'a AppState, viewer: &Viewer, typed: Typed<I>) -> Self {
        Self {
            state,
            actor: viewer.actor.clone(),
            typed,
            conflict_field: "name",
            check: None,
        }
    }

    /// The field a clash with stored data is shown beside when `app` names none
    /// (`name` unless said otherwise).
    #[must_use]
    pub fn conflicts_on(mut self, field: &'static str) -> Self {
        self.conflict_field = field;
        self
    }

    /// When the form found problems of its own, `check` (which saves nothing) finds
    /// those in the rest, so the person corrects everything in one go. `rename` turns
    /// the app's field names into the form's, for these and for the save's own errors.
    #[must_use]
    pub fn checked_by(
        mut self,
        check: fn(&Crm, &Actor, &I) -> Result<(), Error>,
        rename: fn(FieldErrors) -> FieldErrors,
    ) -> Self {
        self.check = Some((check, rename));
        self
    }

    /// Saves the input with `save`, unless the form itself found problems. `Ok(Err)` is
    /// a refusal to show next to the fields; `Err` is anything else (not found, not
    /// allowed, a fault), which the error page answers.
    pub async fn save<T: Send + 'static>(
        self,
        save: impl FnOnce(&Crm, &Actor, I) -> Result<T, Error> + Send + 'static,
    ) -> Result<Result<T, Refused>, PageError> {
        let Self {
            state,
            actor,
            typed: Typed { input, errors },
            conflict_field,
            check,
        } = self;
        let result = state
            .crm
            .run(move |crm| {
                let input = match input {
                    Some(input) if errors.is_empty() => return save(crm, &actor, input),
                    other => other,
                };
                let mut errors = errors;
                if let (Some((check, rename)), Some(input)) = (check, input)
                    && let Err(Error::Invalid(more)) = check(crm, &actor, &input)
                {
                    for (field, message) in rename(more).iter() {
                        errors.add(field.clone(), message.clone());
                    }
                }
                Err(Error::Invalid(errors))
            })
            .await;
        finish(result, conflict_field, check.map(|(_, rename)| rename))
    }

    /// As [`FormFlow::save`], for the use cases that wait their turn for something
    /// (a password hash) and so are async themselves.
    pub async fn save_async<T, F>(
        self,
        save: impl FnOnce(Crm, Actor, I) -> F,
    ) -> Result<Result<T, Refused>, PageError>
    where
        F: Future<Output = Result<T, Error>>,
    {
        let Typed { input, errors } = self.typed;
        let result = match input {
            Some(input) if errors.is_empty() => {
                save(self.state.crm.clone(), self.actor, input).await
            }
            _ => Err(Error::Invalid(errors)),
        };
        finish(
            result,
            self.conflict_field,
            self.check.map(|(_, rename)| rename),
        )
    }
}

fn finish<T>(
    result: Result<T, Error>,
    conflict_field: &'static str,
    rename: Option<fn(FieldErrors) -> FieldErrors>,
) -> Result<Result<T, Refused>, PageError> {
    match result {
        Ok(saved) => Ok(Ok(saved)),
        Err(err) => {
            let existing_id = match &err {
                Error::Conflict { existing_id, .. } => existing_id.clone(),
                _ => None,
            };
            let (status, errors) = save_errors(err, conflict_field)?;
            let errors = match rename {
                Some(rename) => rename(errors),
                None => errors,
            };
            Ok(Err(Refused {
                status,
                errors,
                existing_id,
            }))
        }
    }
}

/// A button's one `app` call (remove, restore, back up now…), then on to the link
/// `then` makes of its result. A refusal goes to the error page: a button has no fields
/// to show it beside.
pub async fn act<T: Send + 'static>(
    state: &AppState,
    viewer: &Viewer,
    act: impl FnOnce(&Crm, &Actor) -> Result<T, Error> + Send + 'static,
    then: impl FnOnce(T) -> Link,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let done = state.crm.run(move |crm| act(crm, &actor)).await?;
    Ok(redirect_to(then(done)))
}

/// What a failed save shows next to the fields, and its status; anything that is not
/// about the fields (not found, not allowed, a fault) goes to the error page.
pub fn save_errors(
    err: Error,
    default_field: &'static str,
) -> Result<(StatusCode, FieldErrors), PageError> {
    match err {
        Error::Invalid(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, errors)),
        Error::Conflict { message, field, .. } => {
            let mut errors = FieldErrors::new();
            errors.add(field.unwrap_or(default_field), message);
            Ok((StatusCode::CONFLICT, errors))
        }
        other => Err(other.into()),
    }
}

/// On to `to` (a 303 See Other, so a reload does not post again).
pub fn redirect_to(to: Link) -> Response {
    Redirect::to(to.as_str()).into_response()
}

/// On to `to` after a save: a 303 for a page, `HX-Redirect` for htmx (which would
/// otherwise swap the next page into the form).
pub fn go_to(headers: &HeaderMap, to: Link) -> Response {
    if is_htmx(headers) {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Ok(value) = HeaderValue::from_str(to.as_str()) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    redirect_to(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clash_is_shown_beside_the_default_field_unless_app_names_one() {
        let clash = |field| Error::Conflict {
            message: "that phone is already in use".into(),
            field,
            existing_id: None,
        };
        let (status, errors) = save_errors(clash(None), "phone").expect("a refusal");
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(errors.get("phone").is_some());
        let (_, errors) = save_errors(clash(Some("sku")), "phone").expect("a refusal");
        assert!(errors.get("sku").is_some() && errors.get("phone").is_none());
    }

    #[test]
    fn only_field_problems_are_shown_on_the_form() {
        let (status, _) = save_errors(Error::field("name", "say the name"), "x").expect("ok");
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(save_errors(Error::NotFound("customer"), "x").is_err());
        assert!(save_errors(Error::Forbidden("no".into()), "x").is_err());
    }

    #[test]
    fn htmx_is_sent_on_with_a_header_and_a_page_with_a_303() {
        let to = crate::web::paths::customers().done("saved");
        let page = go_to(&HeaderMap::new(), to.clone());
        assert_eq!(page.status(), StatusCode::SEE_OTHER);
        assert_eq!(page.headers()["location"], "/customers?done=saved");
        let mut headers = HeaderMap::new();
        headers.insert("hx-request", HeaderValue::from_static("true"));
        let htmx = go_to(&headers, to);
        assert_eq!(htmx.status(), StatusCode::NO_CONTENT);
        assert_eq!(htmx.headers()["hx-redirect"], "/customers?done=saved");
    }
}
