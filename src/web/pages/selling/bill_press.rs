//! One press on the bill form, for a new bill (`/sales/new`) or a pending one being
//! corrected (`/sales/{id}/edit`): add or take out a row, work the bill out with what
//! the counter's rules say, or save it. An htmx press gets the form back alone, to swap
//! in place, and saving sends it on with `HX-Redirect`; a plain post gets the page.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::bill_form::{self, BillForm, BillFormTarget};
use super::bill_rows::{BillAction, with_new_row, without_row};
use super::lookups::look_up_phone;
use crate::app::{Error, Permission};
use crate::domain::billing::CounterFinding;
use crate::domain::{FieldErrors, Sale, SaleId};
use crate::web::AppState;
use crate::web::pages::shell::components::{icon, sentence};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{go_to, save_errors};
use crate::web::pages::shell::forms::{choices, is_htmx};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Viewer};
use crate::web::paths;

/// Which bill the form saves.
#[derive(Debug, Clone, Copy)]
pub enum Saving {
    NewBill,
    Correction(SaleId),
}

impl Saving {
    fn target(self) -> BillFormTarget {
        match self {
            Self::NewBill => BillFormTarget {
                action: paths::new_sale(),
                save_label: "Draw up the bill",
                leave: paths::sales(),
            },
            Self::Correction(id) => BillFormTarget {
                action: paths::edit_sale(id),
                save_label: "Save the corrected bill",
                leave: paths::sale(id),
            },
        }
    }
}

/// The bill form drawn again after a press: a whole page, or for htmx the form alone,
/// which replaces the one on the page.
#[derive(Debug, Clone, Copy)]
pub struct Redraw<'a> {
    pub draft: &'a FormData,
    pub errors: &'a FieldErrors,
    pub quote: Option<(&'a Sale, &'a [CounterFinding])>,
    pub focus: Option<&'a str>,
    pub fragment: bool,
}

impl<'a> Redraw<'a> {
    pub fn page(draft: &'a FormData, errors: &'a FieldErrors) -> Self {
        Self {
            draft,
            errors,
            quote: None,
            focus: None,
            fragment: false,
        }
    }
}

/// The form (or its page) for `saving`, as `redraw` says.
pub async fn draw(
    state: &AppState,
    viewer: &Viewer,
    saving: Saving,
    redraw: Redraw<'_>,
) -> Result<Markup, PageError> {
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let choices = if every_floor {
        choices(state, viewer).await?
    } else {
        Default::default()
    };
    let typed = redraw.draft.text("customer_phone").unwrap_or_default();
    let customer = look_up_phone(state, viewer, &typed).await?;
    let target = saving.target();
    let form = bill_form::render(&BillForm {
        target: &target,
        csrf: &viewer.csrf,
        draft: redraw.draft,
        errors: redraw.errors,
        choices: &choices,
        every_floor,
        quote: redraw.quote,
        customer: &customer,
        focus: redraw.focus,
    });
    if redraw.fragment {
        return Ok(form);
    }
    Ok(match saving {
        Saving::NewBill => page(viewer, "New bill", html! {}, form),
        Saving::Correction(_) => {
            let content = html! {
                p.muted { "Saving re-prices the pieces and old gold at today's rates. The bill keeps its history of corrections." }
                (form)
            };
            page(viewer, "Correct the bill", html! {}, content)
        }
    })
}

/// Handles one press of the form posted as `form`.
pub async fn press(
    state: &AppState,
    headers: &HeaderMap,
    viewer: &Viewer,
    form: &FormData,
    saving: Saving,
) -> Result<Response, PageError> {
    let fragment = is_htmx(headers);
    let action = BillAction::of(form);
    let edited = match action {
        BillAction::Add(kind) => {
            let (grown, row) = with_new_row(form, kind);
            let focus = format!("field-{}-{row}-{}", kind.prefix(), kind.first_field());
            Some((grown, focus))
        }
        BillAction::Remove(kind, row) => Some((
            without_row(form, kind, row),
            format!("add-{}", kind.prefix()),
        )),
        BillAction::WorkOut | BillAction::DrawUp => None,
    };
    if let Some((draft, focus)) = edited {
        let no_errors = FieldErrors::new();
        let redraw = Redraw {
            focus: Some(&focus),
            fragment,
            ..Redraw::page(&draft, &no_errors)
        };
        let markup = draw(state, viewer, saving, redraw).await?;
        return Ok(markup.into_response());
    }
    let read = bill_form::read(form, viewer.actor.may(Permission::EveryFloor));
    let actor = viewer.actor.clone();
    let (input, own_errors) = (read.input.clone(), read.errors.clone());
    let save = action == BillAction::DrawUp && own_errors.is_empty();
    let result = state
        .crm
        .run(move |crm| {
            if save {
                let sale = match saving {
                    Saving::NewBill => crm.create_sale(&actor, input)?,
                    Saving::Correction(id) => crm.correct_sale(&actor, id, input)?,
                };
                return Ok((sale, Vec::new()));
            }
            let sale = crm.quote_sale(&actor, input)?;
            let rules = crm.counter_rules(&actor, &sale)?;
            Ok((sale, rules))
        })
        .await;
    let mut errors = own_errors;
    let (status, quote) = match (result, saving) {
        (Ok((sale, _)), _) if save => {
            let done = match saving {
                Saving::NewBill => "created",
                Saving::Correction(_) => "corrected",
            };
            let next = paths::sale(sale.id).done(done);
            return Ok(go_to(headers, next));
        }
        (Ok(worked_out), _) if errors.is_empty() => (StatusCode::OK, Some(worked_out)),
        (Ok(_), _) => (StatusCode::UNPROCESSABLE_ENTITY, None),
        // Someone completed or cancelled the bill while it was being corrected.
        (Err(Error::Invalid(found)), Saving::Correction(id)) if found.get("status").is_some() => {
            let message = found.get("status").unwrap_or_default();
            return Ok(not_pending(viewer, id, message, fragment));
        }
        (Err(err), _) => {
            let (status, app_errors) = save_errors(err, "lines")?;
            for (field, message) in read.rename(app_errors).iter() {
                errors.add(field.clone(), message.clone());
            }
            (status, None)
        }
    };
    // A worked-out bill is brought into view; otherwise the first field to correct.
    let focus = match quote {
        Some(_) => Some("quote-view".to_owned()),
        None => first_field_with_error(&errors),
    };
    let redraw = Redraw {
        quote: quote.as_ref().map(|(sale, rules)| (sale, rules.as_slice())),
        focus: focus.as_deref(),
        fragment,
        ..Redraw::page(form, &errors)
    };
    let markup = draw(state, viewer, saving, redraw).await?;
    Ok((status, markup).into_response())
}

/// The answer when a bill is no longer pending: nothing to correct, and the way back;
/// for htmx it takes the form's place on the page.
pub fn not_pending(viewer: &Viewer, id: SaleId, message: &str, fragment: bool) -> Response {
    let content = html! {
        div #sale-form {
            div.alert.error role="alert" #error-status { (sentence(message)) "." }
            p { a.button href=(paths::sale(id)) { (icon("chevron-left")) "Back to the sale" } }
        }
    };
    if fragment {
        return (StatusCode::CONFLICT, content).into_response();
    }
    let page = page(viewer, "Correct the bill", html! {}, content);
    (StatusCode::CONFLICT, page).into_response()
}

/// The input of the first field with a message, to put the focus on.
fn first_field_with_error(errors: &FieldErrors) -> Option<String> {
    errors
        .iter()
        .next()
        .map(|(field, _)| format!("field-{}", field.replace(['.', '_'], "-")))
}
