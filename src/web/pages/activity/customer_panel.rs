//! The activity half of a customer's page: logging an interaction, adding a follow-up,
//! the open follow-ups with Done / Reschedule / Cancel, and the timeline of everything
//! that happened, newest first, with "Show older" (htmx swaps in the longer timeline).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::{
    Activity, FIRST_SHOWN, MAX_SHOWN, Permission, StaffNames, TimelineEntry, TimelineEvent,
};
use crate::domain::{
    Customer, CustomerId, Floor, FollowUp, FollowUpStatus, FollowUpType, InteractionType,
};
use crate::web::AppState;
use crate::web::pages::activity::fields::{
    Control, Draft, Failed, FormKind, field, follow_up_label, interaction_label, local_input,
};
use crate::web::pages::shell::components::{error_summary, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::is_htmx;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{FormData, PageId, Params, Viewer};
use crate::web::paths;

/// How many timeline entries an address asks for (`?shown=40`).
pub fn shown_in(params: &FormData) -> u32 {
    params
        .text("shown")
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(FIRST_SHOWN)
        .clamp(1, MAX_SHOWN)
}

fn floor_options(floors: &[Floor], none: Option<&str>) -> Vec<(String, String)> {
    none.map(|n| (String::new(), n.to_owned()))
        .into_iter()
        .chain(
            floors
                .iter()
                .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
        )
        .collect()
}

/// "Log interaction" and "Add follow-up", side by side.
pub fn forms(
    viewer: &Viewer,
    customer: &Customer,
    floors: &[Floor],
    activity: &Activity,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let assigns = viewer.actor.may(Permission::AssignFollowUps);
    let home = customer
        .home_floor_id
        .map(|f| f.as_uuid().to_string())
        .unwrap_or_default();
    let kinds: Vec<(String, String)> = InteractionType::ALL
        .iter()
        .filter(|k| !matches!(k, InteractionType::Sale | InteractionType::HandedOff))
        .map(|k| (k.as_str().to_owned(), interaction_label(*k).to_owned()))
        .collect();
    let follow_kinds: Vec<(String, String)> = FollowUpType::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), follow_up_label(*k).to_owned()))
        .collect();
    let owners: Vec<(String, String)> = activity
        .staff
        .iter()
        .map(|u| (u.id.as_uuid().to_string(), u.name.as_str().to_owned()))
        .collect();
    let tomorrow = jiff::Timestamp::now()
        .to_zoned_datetime(tz.clone())
        .date()
        .tomorrow()
        .ok()
        .map(|d| format!("{d}T11:00"))
        .unwrap_or_default();
    let me = viewer.actor.user_id.as_uuid().to_string();
    let log = Draft::of(failed, &FormKind::Interaction);
    let add = Draft::of(failed, &FormKind::FollowUp);
    let send = Draft::of(failed, &FormKind::HandOff);
    // The floors a customer can be sent on to: every other live floor of the store.
    let elsewhere: Vec<Floor> = floors
        .iter()
        .filter(|f| Some(f.id) != viewer.actor.floor_id && f.deleted_at.is_none())
        .cloned()
        .collect();
    html! {
        div.cards.activity-forms {
            section.card #log-interaction {
                h2 { "Log interaction" }
                form method="post" action=(paths::customer_interactions(customer.id)) novalidate {
                    (form_keys(&viewer.csrf))
                    @if log.is_failed() { (error_summary(log.errors(), &["type", "notes", "outcome", "floor_id"])) }
                    (field("interaction", "type", "What happened", &log.value("type", "WALK_IN"), Control::Select(&kinds), log.errors()))
                    @if every_floor {
                        (field("interaction", "floor_id", "Floor", &log.value("floor_id", &home),
                            Control::Select(&floor_options(floors, Some("Choose the floor"))), log.errors()))
                    }
                    (field("interaction", "notes", "Notes", &log.value("notes", ""), Control::TextArea, log.errors()))
                    (field("interaction", "outcome", "Outcome", &log.value("outcome", ""), Control::Input("text"), log.errors()))
                    div.form-actions {
                        button.button.primary #log-interaction-submit type="submit" { (icon("plus")) "Log it" }
                    }
                }
            }
            section.card #add-follow-up {
                h2 { "Add follow-up" }
                form method="post" action=(paths::customer_follow_ups(customer.id)) novalidate {
                    (form_keys(&viewer.csrf))
                    @if add.is_failed() { (error_summary(add.errors(), &["type", "due_at", "owner_id", "notes", "floor_id"])) }
                    (field("follow-up", "type", "How", &add.value("type", "PHONE_CALL"), Control::Select(&follow_kinds), add.errors()))
                    (field("follow-up", "due_at", "Due", &add.value("due_at", &tomorrow), Control::Input("datetime-local"), add.errors()))
                    @if assigns {
                        (field("follow-up", "owner_id", "Who does it", &add.value("owner_id", &me), Control::Select(&owners), add.errors()))
                    }
                    @if every_floor {
                        (field("follow-up", "floor_id", "Floor", &add.value("floor_id", ""),
                            Control::Select(&floor_options(floors, Some("Their floor, or the customer's"))), add.errors()))
                    }
                    (field("follow-up", "notes", "Notes", &add.value("notes", ""), Control::TextArea, add.errors()))
                    div.form-actions {
                        button.button.primary #add-follow-up-submit type="submit" { (icon("calendar-check")) "Add follow-up" }
                    }
                }
            }
            @if !elsewhere.is_empty() {
                section.card #hand-off {
                    h2 { "Send to another floor" }
                    form method="post" action=(paths::customer_hand_off(customer.id)) novalidate {
                        (form_keys(&viewer.csrf))
                        @if send.is_failed() { (error_summary(send.errors(), &["floor_id", "note"])) }
                        (field("hand-off", "floor_id", "Floor", &send.value("floor_id", ""),
                            Control::Select(&floor_options(&elsewhere, Some("Choose the floor"))), send.errors()))
                        (field("hand-off", "note", "Note for that floor", &send.value("note", ""), Control::Input("text"), send.errors()))
                        div.form-actions {
                            button.button.primary #hand-off-submit type="submit" { (icon("layers")) "Send" }
                        }
                    }
                }
            }
        }
    }
}

/// The Done / Reschedule / Cancel forms of one open follow-up, which come back to the
/// customer's page.
fn follow_up_actions(
    viewer: &Viewer,
    f: &FollowUp,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    let id = f.id.as_uuid();
    let action = paths::follow_up(f.id);
    let draft = Draft::of(failed, &FormKind::Change(id));
    let prefix = format!("fu-{id}");
    let hidden = |what: &str| {
        html! {
            (form_keys(&viewer.csrf))
            input type="hidden" name="action" value=(what);
        }
    };
    let errors = draft.errors();
    html! {
        div.follow-up-actions {
            @if draft.is_failed() { (error_summary(errors, &["outcome", "due_at"])) }
            form.inline-form method="post" action=(action) novalidate {
                (hidden("complete"))
                (field(&prefix, "outcome", "What came of it", &draft.value("outcome", ""), Control::Input("text"), errors))
                button.button #(format!("{prefix}-done")) type="submit" { (icon("check")) "Done" }
            }
            form.inline-form method="post" action=(action) novalidate {
                (hidden("reschedule"))
                (field(&prefix, "due_at", "New due time", &draft.value("due_at", &local_input(f.due_at, tz)), Control::Input("datetime-local"), errors))
                button.button #(format!("{prefix}-reschedule")) type="submit" { "Reschedule" }
            }
            form method="post" action=(action) {
                (hidden("cancel"))
                button.button.danger #(format!("{prefix}-cancel")) type="submit" { (icon("x")) "Cancel it" }
            }
        }
    }
}

/// The customer's open follow-ups, each with its actions; redrawn when one of them
/// changes on another tablet, unless one of their forms is being filled in here.
pub fn open_follow_ups(
    viewer: &Viewer,
    customer: &Customer,
    activity: &Activity,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    let live = Region::new("follow-ups-live", &[Kind::FollowUp])
        .about(customer.id.as_uuid())
        .fetched_from(paths::customer(customer.id));
    live.wrap(follow_up_list(viewer, activity, failed, tz))
}

fn follow_up_list(
    viewer: &Viewer,
    activity: &Activity,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    let now = jiff::Timestamp::now();
    html! {
        section.card.wide #follow-ups {
            h2 { "Open follow-ups" }
            @if activity.open.is_empty() {
                p.empty { "No follow-ups are open for this customer." }
            } @else {
                ul.plain-list.follow-ups {
                    @for f in &activity.open {
                        li #(format!("follow-up-{}", f.id.as_uuid())) {
                            div.follow-up-head {
                                (icon("calendar-check"))
                                strong { (follow_up_label(f.kind)) }
                                " · due " (when(f.due_at, tz))
                                @if f.due_at < now { " " span.badge.danger { "Overdue" } }
                                @if f.status == FollowUpStatus::Rescheduled { " " span.badge.muted { "Rescheduled" } }
                                span.sub { "For " (activity.names.name(f.owner_id)) }
                            }
                            @if !f.notes.is_empty() { p.notes { (f.notes.as_str()) } }
                            (follow_up_actions(viewer, f, failed, tz))
                        }
                    }
                }
            }
        }
    }
}

/// Notes and outcome as one line, or nothing when both are empty.
fn joined(parts: &[&str]) -> Option<String> {
    let kept: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    (!kept.is_empty()).then(|| kept.join(" — "))
}

fn entry(e: &TimelineEntry, names: &StaffNames, tz: &TimeZone) -> Markup {
    let (glyph, what, detail): (&str, Markup, Option<String>) = match &e.event {
        TimelineEvent::Interaction(i) => {
            let glyph = match i.kind {
                InteractionType::WalkIn => "walk-in",
                InteractionType::PhoneCall => "phone",
                InteractionType::Email | InteractionType::Inquiry => "whatsapp",
                InteractionType::FollowUp => "calendar-check",
                InteractionType::Sale => "sale",
                InteractionType::Complaint => "x",
                InteractionType::HandedOff => "layers",
            };
            (
                glyph,
                html! { (interaction_label(i.kind)) span.who { " · by " (names.name(i.staff_id)) } },
                joined(&[i.notes.as_str(), i.outcome.as_str()]),
            )
        }
        TimelineEvent::FollowUp(f) => (
            "calendar-check",
            html! {
                "Follow-up: " (follow_up_label(f.kind)) " "
                span.badge.(follow_up_badge(f.status)) { (label(f.status.as_str())) }
                span.who { " · for " (names.name(f.owner_id)) }
            },
            joined(&[f.notes.as_str(), f.outcome.as_str()]),
        ),
        TimelineEvent::Sale(s) => (
            "sale",
            html! {
                a href=(paths::sale(s.id)) {
                    @if let Some(invoice) = &s.invoice_no { "Sale " (invoice.as_str()) } @else { "Bill drawn up" }
                }
                " · " (s.payable().to_string()) " "
                span.badge.(sale_badge(s.status)) { (label(s.status.as_str())) }
                span.who { " · by " (names.name(s.staff_id)) }
            },
            None,
        ),
        TimelineEvent::CustomerAdded => ("user-plus", html! { "Added as a customer" }, None),
        TimelineEvent::CustomerChanged => ("pencil", html! { "Details last changed" }, None),
        TimelineEvent::CustomerRemoved => ("trash", html! { "Removed" }, None),
        TimelineEvent::Merged(m) => (
            "layers",
            html! {
                "Merged " (m.merged_before.code()) " (" (m.merged_before.name) ", "
                (m.merged_before.phone.national_spaced()) ") into this customer"
                span.who { " · by " (names.name(m.merged_by)) }
                " "
                a.button href=(paths::undo_customer_merge(m.id)) { "Undo merge" }
            },
            None,
        ),
        TimelineEvent::DocumentAdded(f) => (
            "file-down",
            html! {
                (f.kind.label()) " kept: " (f.name)
                span.who { " · by " (names.name(f.added_by)) }
            },
            None,
        ),
        TimelineEvent::DocumentViewed(v) => (
            "lock",
            html! {
                (v.kind.label()) " " (if v.download { "downloaded" } else { "opened" }) ": " (v.name)
                span.who { " · by " (names.name(v.by)) }
            },
            None,
        ),
    };
    html! {
        li.timeline-entry {
            span.timeline-icon { (icon(glyph)) }
            div.timeline-body {
                div.timeline-what { (what) }
                span.sub { time datetime=(e.at.to_string()) { (when(e.at, tz)) } }
                @if let Some(detail) = detail { p.notes { (detail) } }
            }
        }
    }
}

fn follow_up_badge(status: FollowUpStatus) -> &'static str {
    match status {
        FollowUpStatus::Completed => "ok",
        FollowUpStatus::Cancelled => "muted",
        FollowUpStatus::Pending | FollowUpStatus::Rescheduled => "warn",
    }
}

fn sale_badge(status: crate::domain::SaleStatus) -> &'static str {
    use crate::domain::SaleStatus;
    match status {
        SaleStatus::Completed => "ok",
        SaleStatus::Pending => "warn",
        SaleStatus::Cancelled | SaleStatus::Refunded => "muted",
    }
}

/// What the timeline shows: the customer, their bills, visits and follow-ups.
const TIMELINE_ON: &[Kind] = &[
    Kind::Customer,
    Kind::Sale,
    Kind::Interaction,
    Kind::FollowUp,
];

/// The timeline section; htmx replaces it whole with a longer one ("Show older"), and
/// with the same length drawn again when the customer's records change.
pub fn timeline(customer: &Customer, activity: &Activity, tz: &TimeZone) -> Markup {
    let live = Region::new("timeline-live", TIMELINE_ON)
        .about(customer.id.as_uuid())
        .fetched_from(paths::customer_timeline(customer.id).with("shown", activity.shown));
    live.wrap(timeline_section(customer, activity, tz))
}

fn timeline_section(customer: &Customer, activity: &Activity, tz: &TimeZone) -> Markup {
    let next = (activity.shown + FIRST_SHOWN).min(MAX_SHOWN);
    let now = jiff::Timestamp::now();
    html! {
        section.card.wide #timeline {
            h2 { "Timeline" }
            @if activity.entries.is_empty() {
                p.empty { "Nothing has happened with this customer yet." }
            } @else {
                ol.timeline {
                    @for (n, e) in activity.entries.iter().enumerate() {
                        // Follow-ups still to come sit above the present; a line marks
                        // where what has happened begins, newest first.
                        @if e.at <= now && (n == 0 || activity.entries[n - 1].at > now) {
                            li.timeline-now #timeline-now role="separator" { "Now" }
                        }
                        (entry(e, &activity.names, tz))
                    }
                }
            }
            @if activity.more && activity.shown < MAX_SHOWN {
                a.button #timeline-older href=(paths::customer(customer.id).with("shown", next).at("timeline"))
                    hx-get=(paths::customer_timeline(customer.id).with("shown", next))
                    hx-target="#timeline-live" hx-select="#timeline-live" hx-swap="outerHTML" { "Show older" }
            }
        }
    }
}

/// `GET /customers/{id}/timeline?shown=N`: the timeline section alone, for htmx; a
/// browser without it gets the whole page.
pub async fn timeline_fragment(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let shown = shown_in(&params);
    if !is_htmx(&headers) {
        return Ok(Redirect::to(
            paths::customer(CustomerId::from_uuid(id))
                .with("shown", shown)
                .at("timeline")
                .as_str(),
        )
        .into_response());
    }
    let actor = viewer.actor.clone();
    let customer = CustomerId::from_uuid(id);
    let (found, activity) = state
        .crm
        .run(move |crm| {
            let found = crm.get_customer(&actor, customer)?;
            Ok((found, crm.customer_activity(&actor, customer, shown)?))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    Ok(timeline(&found, &activity, &tz).into_response())
}
