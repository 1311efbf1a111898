//! Pieces the activity forms share (the customer page's, My day's): the form that was
//! refused and drawn again, fields whose ids carry their form's prefix (one page holds
//! several forms with a `notes` field), due times shown in the store's zone, how the
//! activity types read, and the notices after an action.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use maud::{Markup, html};
use uuid::Uuid;

use crate::domain::{FieldErrors, FollowUpType, InteractionType};
use crate::web::pages::shell::components::{done_notice, sentence};
use crate::web::pages::shell::session::FormData;

/// Which form on a page was sent and refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Interaction,
    FollowUp,
    /// Done / reschedule / cancel of one follow-up.
    Change(Uuid),
    /// "Send to another floor".
    HandOff,
}

/// A refused form: drawn again with what was typed and what is wrong.
#[derive(Debug, Clone)]
pub struct Failed {
    pub kind: FormKind,
    pub values: FormData,
    pub errors: FieldErrors,
}

/// What a form is drawn from: the refused values and messages if it is the form that
/// failed, nothing otherwise.
pub struct Draft<'a> {
    failed: Option<&'a Failed>,
    none: FieldErrors,
}

impl<'a> Draft<'a> {
    pub fn of(failed: Option<&'a Failed>, kind: &FormKind) -> Self {
        Self {
            failed: failed.filter(|f| f.kind == *kind),
            none: FieldErrors::new(),
        }
    }

    /// What was typed into `name`, or `default` on a fresh form (and for a field the
    /// refused form did not have: a follow-up's Done and Reschedule are separate forms).
    pub fn value(&self, name: &str, default: &str) -> String {
        self.failed
            .and_then(|f| f.values.get(name))
            .unwrap_or(default)
            .to_owned()
    }

    pub fn errors(&self) -> &FieldErrors {
        self.failed.map_or(&self.none, |f| &f.errors)
    }

    pub fn is_failed(&self) -> bool {
        self.failed.is_some()
    }
}

/// What a labelled field holds.
pub enum Control<'a> {
    /// An `<input>` of this `type`.
    Input(&'a str),
    TextArea,
    /// `(value, label)` pairs.
    Select(&'a [(String, String)]),
}

/// A labelled field whose id starts with its form's `prefix`, with its message.
pub fn field(
    prefix: &str,
    name: &str,
    label: &str,
    value: &str,
    control: Control<'_>,
    errors: &FieldErrors,
) -> Markup {
    let id = format!("{prefix}-{}", name.replace('_', "-"));
    let error_id = format!("{id}-error");
    let error = errors.get(name);
    let invalid = error.map(|_| "true");
    let described = error.map(|_| error_id.as_str());
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            @match control {
                Control::Input(kind) => {
                    input #(id) type=(kind) name=(name) value=(value)
                        aria-invalid=[invalid] aria-describedby=[described];
                }
                Control::TextArea => {
                    textarea #(id) name=(name) rows="2" aria-invalid=[invalid]
                        aria-describedby=[described] { (value) }
                }
                Control::Select(options) => {
                    select #(id) name=(name) aria-invalid=[invalid] aria-describedby=[described] {
                        @for (v, text) in options {
                            option value=(v) selected[v == value] { (text) }
                        }
                    }
                }
            }
            @if let Some(message) = error { p.field-error #(error_id) role="alert" { (sentence(message)) } }
        }
    }
}

/// A time as a `datetime-local` input shows it, in the store's zone: `2026-11-24T18:30`.
pub fn local_input(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// How an interaction type reads: `WALK_IN` → "Walk-in".
pub fn interaction_label(kind: InteractionType) -> &'static str {
    match kind {
        InteractionType::WalkIn => "Walk-in",
        InteractionType::PhoneCall => "Phone call",
        InteractionType::Email => "Email",
        InteractionType::FollowUp => "Follow-up",
        InteractionType::Sale => "Sale",
        InteractionType::Complaint => "Complaint",
        InteractionType::Inquiry => "Inquiry",
        InteractionType::HandedOff => "Sent to another floor",
    }
}

/// How a follow-up type reads: `SMS` → "SMS".
pub fn follow_up_label(kind: FollowUpType) -> &'static str {
    match kind {
        FollowUpType::PhoneCall => "Phone call",
        FollowUpType::Email => "Email",
        FollowUpType::Sms => "SMS",
        FollowUpType::Visit => "Visit",
        FollowUpType::Demo => "Demo",
        FollowUpType::Whatsapp => "WhatsApp",
    }
}

/// Where a walk-in or interaction just logged appears on the customer's timeline.
pub const NEWEST_ON_TIMELINE: &str = "It is the first entry under \u{201c}Now\u{201d} on the timeline; follow-ups still to come are above that line.";

/// The notice after an activity action, naming the customer where it helps; other
/// actions' notices come from [`done_notice`].
pub fn notice(done: Option<&str>, customer: &str) -> Markup {
    let message = match done.unwrap_or("") {
        // The timeline lists follow-ups still to come above the present, so a new entry
        // is the newest of what has happened, not always the first line.
        "walk-in" => format!("Walk-in logged for {customer}. {NEWEST_ON_TIMELINE}"),
        "prospect" => {
            format!("New prospect {customer} added and walk-in logged. {NEWEST_ON_TIMELINE}")
        }
        "interaction" => format!("Interaction logged. {NEWEST_ON_TIMELINE}"),
        "follow-up" => "Follow-up added.".to_owned(),
        "follow-up-done" => "Follow-up marked done.".to_owned(),
        "follow-up-moved" => "Follow-up rescheduled.".to_owned(),
        "follow-up-cancelled" => "Follow-up cancelled.".to_owned(),
        "handed-off" => {
            format!("Sent to the other floor; its managers have been told. {NEWEST_ON_TIMELINE}")
        }
        other => return done_notice(Some(other)),
    };
    html! { div.alert.success role="status" #done-notice { (message) } }
}
