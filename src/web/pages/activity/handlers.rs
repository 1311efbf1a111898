//! The activity forms of the customer page and My day: logging an interaction, adding a
//! follow-up, and marking one done, rescheduling or cancelling it. Each posts here, goes
//! to the same `app` function as the API, and comes back with a done notice; a refusal
//! draws the page again (422) with the form's values and its messages.

use crate::web::paths;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::my_day;
use crate::app::{Error, FollowUpChange, FollowUpInput, HandOffInput, InteractionInput};
use crate::domain::{
    CustomerId, FieldErrors, FollowUpId, FollowUpStatus, FollowUpType, InteractionType,
};
use crate::web::AppState;
use crate::web::pages::activity::fields::{Failed, FormKind};
use crate::web::pages::customers::customer_page;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Refused, Typed, redirect_to};
use crate::web::pages::shell::session::{FormData, PageId, Submitted};

/// A `datetime-local` value (the store's wall clock) as the RFC 3339 time the app takes.
/// Anything else is passed on as typed, for the app to judge.
fn due_for_app(raw: &str, tz: &TimeZone) -> String {
    raw.trim()
        .parse::<DateTime>()
        .ok()
        .and_then(|local| local.to_zoned_datetime(tz.clone()).ok())
        .map_or_else(|| raw.trim().to_owned(), |z| z.timestamp().to_string())
}

/// The app asks for RFC 3339; on a page the time is picked from a calendar.
fn page_messages(errors: &FieldErrors, form: &FormData) -> FieldErrors {
    let mut out = FieldErrors::new();
    if errors.get("due_at").is_some() {
        let raw = form.get("due_at").unwrap_or("").trim();
        if raw.is_empty() {
            out.add("due_at", "is required: pick the day and time it is due");
        } else if raw.parse::<DateTime>().is_err() {
            out.add(
                "due_at",
                "is not a date and time; pick one, e.g. 24 Nov 2026, 11:00",
            );
        }
    }
    for (field, message) in errors.iter() {
        out.add(field.clone(), message.clone());
    }
    out
}

fn uuid_field(form: &FormData, name: &str, errors: &mut FieldErrors) -> Option<Uuid> {
    let raw = form.text(name)?;
    let parsed = Uuid::parse_str(&raw).ok();
    if parsed.is_none() {
        errors.add(name, "choose one from the list");
    }
    parsed
}

/// Draws the customer page again with the refused form.
async fn refused_on_customer(
    state: &AppState,
    Submitted { viewer, form }: Submitted,
    customer: CustomerId,
    kind: FormKind,
    refused: Refused,
) -> Result<Response, PageError> {
    let failed = Failed {
        kind,
        errors: page_messages(&refused.errors, &form),
        values: form,
    };
    let page = customer_page(state, &viewer, customer, None, Some(&failed)).await?;
    Ok(refused.show(page))
}

/// `POST /customers/{id}/interactions`
pub async fn log_interaction(
    State(state): State<AppState>,
    PageId(id): PageId,
    submitted: Submitted,
) -> Result<Response, PageError> {
    let customer = CustomerId::from_uuid(id);
    let typed = interaction_of(&submitted.form, id);
    match FormFlow::new(&state, &submitted.viewer, typed)
        .conflicts_on("type")
        .save(|crm, actor, input| crm.log_interaction(actor, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(
            paths::customer(customer).done("interaction").at("timeline"),
        )),
        Err(refused) => {
            refused_on_customer(&state, submitted, customer, FormKind::Interaction, refused).await
        }
    }
}

/// `POST /customers/{id}/follow-ups`
pub async fn add_follow_up(
    State(state): State<AppState>,
    PageId(id): PageId,
    submitted: Submitted,
) -> Result<Response, PageError> {
    let customer = CustomerId::from_uuid(id);
    let form = &submitted.form;
    let tz = state.crm.config().time_zone();
    let typed = Typed::read_partly(|errors| {
        let kind = form
            .text("type")
            .and_then(|t| errors.check("type", t.parse::<FollowUpType>()));
        if kind.is_none() {
            errors.add("type", "choose how to follow up from the list");
        }
        let owner_id = uuid_field(form, "owner_id", errors);
        let floor_id = uuid_field(form, "floor_id", errors);
        Some(FollowUpInput {
            customer_id: id,
            kind: kind?,
            due_at: due_for_app(form.get("due_at").unwrap_or(""), &tz),
            owner_id,
            notes: form.text("notes"),
            floor_id,
        })
    });
    match FormFlow::new(&state, &submitted.viewer, typed)
        .conflicts_on("type")
        .save(|crm, actor, input| crm.create_follow_up(actor, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(
            paths::customer(customer).done("follow-up").at("follow-ups"),
        )),
        Err(refused) => {
            refused_on_customer(&state, submitted, customer, FormKind::FollowUp, refused).await
        }
    }
}

/// `POST /customers/{id}/hand-off`: "Send to another floor".
pub async fn hand_off(
    State(state): State<AppState>,
    PageId(id): PageId,
    submitted: Submitted,
) -> Result<Response, PageError> {
    let customer = CustomerId::from_uuid(id);
    let form = &submitted.form;
    let typed = Typed::read_partly(|errors| {
        let floor_id = uuid_field(form, "floor_id", errors);
        if floor_id.is_none() && errors.get("floor_id").is_none() {
            errors.add("floor_id", "choose the floor the customer is going to");
        }
        Some(HandOffInput {
            floor_id: floor_id?,
            note: form.text("note"),
        })
    });
    match FormFlow::new(&state, &submitted.viewer, typed)
        .conflicts_on("floor_id")
        .save(move |crm, actor, input| crm.send_to_floor(actor, customer, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(
            paths::customer(customer).done("handed-off").at("timeline"),
        )),
        Err(refused) => {
            refused_on_customer(&state, submitted, customer, FormKind::HandOff, refused).await
        }
    }
}

/// `POST /follow-ups/{id}`: `action` is `complete` (with an `outcome`), `reschedule`
/// (with a new `due_at`) or `cancel`; `back=my-day` returns to My day instead of the
/// customer's page.
pub async fn change_follow_up(
    State(state): State<AppState>,
    PageId(id): PageId,
    submitted: Submitted,
) -> Result<Response, PageError> {
    let form = &submitted.form;
    let tz = state.crm.config().time_zone();
    let (change, done) = change_of(form, &tz)?;
    let to_my_day = form.get("back") == Some("my-day");
    let follow_up = FollowUpId::from_uuid(id);
    let viewer = &submitted.viewer;
    match FormFlow::new(&state, viewer, Typed::ready(change))
        .conflicts_on("status")
        .save(move |crm, actor, change| crm.update_follow_up(actor, follow_up, change))
        .await?
    {
        Ok(_) if to_my_day => Ok(redirect_to(paths::my_day().done(done))),
        Ok(f) => Ok(redirect_to(
            paths::customer(f.customer_id).done(done).at("follow-ups"),
        )),
        Err(refused) => {
            let failed = Failed {
                kind: FormKind::Change(id),
                values: form.clone(),
                errors: page_messages(&refused.errors, form),
            };
            let page = if to_my_day {
                my_day::render(&state, viewer, None, Some(&failed)).await?
            } else {
                let actor = viewer.actor.clone();
                let found = state
                    .crm
                    .run(move |crm| crm.get_follow_up(&actor, follow_up))
                    .await?;
                customer_page(&state, viewer, found.customer_id, None, Some(&failed)).await?
            };
            Ok(refused.show(page))
        }
    }
}

/// The change a follow-up's Done / Reschedule / Cancel form asks for, with the `done`
/// notice that reports it.
fn change_of(form: &FormData, tz: &TimeZone) -> Result<(FollowUpChange, &'static str), Error> {
    match form.get("action").unwrap_or("") {
        "complete" => Ok((
            FollowUpChange {
                status: Some(FollowUpStatus::Completed),
                outcome: Some(form.get("outcome").unwrap_or("").to_owned()),
                ..FollowUpChange::default()
            },
            "follow-up-done",
        )),
        "reschedule" => Ok((
            FollowUpChange {
                due_at: Some(due_for_app(form.get("due_at").unwrap_or(""), tz)),
                ..FollowUpChange::default()
            },
            "follow-up-moved",
        )),
        "cancel" => Ok((
            FollowUpChange {
                status: Some(FollowUpStatus::Cancelled),
                ..FollowUpChange::default()
            },
            "follow-up-cancelled",
        )),
        _ => Err(Error::field(
            "action",
            "choose Done, Reschedule or Cancel on the follow-up",
        )),
    }
}

/// The "Log interaction" form as typed, on its way to `app`.
fn interaction_of(form: &FormData, customer_id: Uuid) -> Typed<InteractionInput> {
    Typed::read_partly(|errors| {
        let kind = match form.text("type").map(|t| t.parse::<InteractionType>()) {
            Some(Ok(InteractionType::Sale)) => {
                errors.add(
                    "type",
                    "a sale is logged by itself when the bill is completed; choose another type",
                );
                None
            }
            Some(Ok(kind)) => Some(kind),
            Some(Err(_)) | None => {
                errors.add("type", "choose what happened from the list");
                None
            }
        };
        let floor_id = uuid_field(form, "floor_id", errors);
        Some(InteractionInput {
            customer_id,
            kind: kind?,
            notes: form.text("notes"),
            outcome: form.text("outcome"),
            occurred_at: None,
            floor_id,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::fields::local_input;
    use super::*;
    use jiff::Timestamp;

    #[test]
    fn a_picked_time_is_the_store_wall_clock() {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        assert_eq!(due_for_app("2026-11-24T18:30", &tz), "2026-11-24T13:00:00Z");
        assert_eq!(
            due_for_app(" soon ", &tz),
            "soon",
            "left for the app to refuse"
        );
        let at: Timestamp = "2026-11-24T13:00:00Z".parse().unwrap();
        assert_eq!(local_input(at, &tz), "2026-11-24T18:30");
    }
}
