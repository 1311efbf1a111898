//! Logging a walk-in from the counter: the "Walk-in" button on the dashboard and the
//! customer list opens a dialog (phone, name for someone new, notes), and `/walk-ins/new`
//! is the same form as a page of its own, for browsers without script and for showing
//! what needs correcting when the dialog's form was sent without htmx.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use uuid::Uuid;

use crate::app::{Permission, WalkInInput};
use crate::domain::{FieldErrors, Floor};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::shell::components::{Field, error_summary, icon, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, go_to};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::is_htmx;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Submitted, Viewer};
use crate::web::paths;

const SHOWN: &[&str] = &["phone", "name", "notes", "floor_id"];

/// Where the form is drawn, which decides what its Cancel does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Dialog,
    Page,
}

/// The walk-in form, as the dialog and the page show it. An admin, who has no floor of
/// their own, says where the customer came in; a Floor Manager's walk-ins are theirs.
fn form(
    place: Place,
    viewer: &Viewer,
    floors: &[Floor],
    draft: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let mut floor_options = vec![(String::new(), "Choose the floor".to_owned())];
    floor_options.extend(
        floors
            .iter()
            .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
    );
    html! {
        form #walk-in-form method="post" action=(paths::walk_ins()) novalidate
            hx-post=[(place == Place::Dialog).then_some(paths::WALK_INS)]
            hx-target=[(place == Place::Dialog).then_some("this")]
            hx-swap=[(place == Place::Dialog).then_some("outerHTML")] {
            (form_keys(&viewer.csrf))
            (error_summary(errors, SHOWN))
            div.grid {
                (Field::new("phone", "Mobile number", v("phone")).kind("tel").required()
                    .hint("We look the customer up by this number").attr("inputmode", "tel").render(errors))
                (Field::new("name", "Name", v("name"))
                    .hint("Needed only for a new number: they are added as a prospect")
                    .attr("autocomplete", "off").render(errors))
                @if viewer.actor.may(Permission::EveryFloor) {
                    (select("floor_id", "Floor", &floor_options, &v("floor_id"), errors))
                }
                (Field::new("notes", "Notes", v("notes")).kind("textarea").wide()
                    .hint("What they came for, what they liked").render(errors))
            }
            div.form-actions {
                @if place == Place::Dialog {
                    button.button type="button" data-close-dialog { "Cancel" }
                } @else {
                    a.button href=(paths::home()) { "Cancel" }
                }
                button.button.primary #walk-in-submit type="submit" { (icon("walk-in")) "Log walk-in" }
            }
        }
    }
}

/// The "Walk-in" button and the dialog it opens, for a page's actions.
pub fn button(viewer: &Viewer, floors: &[Floor]) -> Markup {
    html! {
        button.button #walk-in-button type="button" data-open-dialog="walk-in-dialog" {
            (icon("walk-in")) "Walk-in"
        }
        dialog.walk-in #walk-in-dialog aria-labelledby="walk-in-title" {
            h2 #walk-in-title { "Log a walk-in" }
            (form(Place::Dialog, viewer, floors, &FormData::default(), &FieldErrors::new()))
        }
    }
}

fn whole_page(viewer: &Viewer, floors: &[Floor], draft: &FormData, errors: &FieldErrors) -> Markup {
    let content = html! {
        div.form-card.walk-in-page { (form(Place::Page, viewer, floors, draft, errors)) }
    };
    page(viewer, "Log a walk-in", html! {}, content)
}

async fn floors(state: &AppState, viewer: &Viewer) -> Result<Vec<Floor>, PageError> {
    if !viewer.actor.may(Permission::EveryFloor) {
        return Ok(Vec::new());
    }
    let actor = viewer.actor.clone();
    Ok(state
        .crm
        .run(move |crm| crm.list_floors(&actor, Deleted::Hide))
        .await?)
}

/// `GET /walk-ins/new`
pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let floors = floors(&state, &viewer).await?;
    Ok(whole_page(
        &viewer,
        &floors,
        &FormData::default(),
        &FieldErrors::new(),
    ))
}

/// `POST /walk-ins`: the dialog sends it with htmx, which swaps the form back in with
/// its messages (the dialog stays open) or follows `HX-Redirect` to the customer; sent
/// without htmx it answers a redirect, or the form as a page of its own.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Submitted { viewer, form: sent }: Submitted,
) -> Result<Response, PageError> {
    let typed = Typed::read(|errors| WalkInInput {
        name: sent.text("name"),
        phone: sent.get("phone").unwrap_or("").to_owned(),
        notes: sent.text("notes"),
        floor_id: sent
            .text("floor_id")
            .and_then(|raw| match Uuid::parse_str(&raw) {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("floor_id", "choose a floor from the list");
                    None
                }
            }),
    });
    match FormFlow::new(&state, &viewer, typed)
        .conflicts_on("phone")
        .save(|crm, actor, input| crm.log_walk_in(actor, input))
        .await?
    {
        Ok(walk_in) => {
            let done = if walk_in.new_customer {
                "prospect"
            } else {
                "walk-in"
            };
            Ok(go_to(
                &headers,
                paths::customer(walk_in.customer.id).done(done),
            ))
        }
        Err(refused) => {
            let floors = floors(&state, &viewer).await?;
            Ok(refused.show(if is_htmx(&headers) {
                // Sent from the dialog: its form comes back in place, with the messages.
                form(Place::Dialog, &viewer, &floors, &sent, &refused.errors)
            } else {
                whole_page(&viewer, &floors, &sent, &refused.errors)
            }))
        }
    }
}
