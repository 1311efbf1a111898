//! "My day" (`/my-day`): the signed-in person's overdue and due-today follow-ups, with a
//! call and a WhatsApp link and quick Done / Tomorrow buttons, and the next 7 days'
//! birthdays and anniversaries of their customers with a greeting ready to send.

use axum::extract::State;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::{ContactLinks, DayTask, Occasion, OccasionKind};
use crate::domain::words::plural;
use crate::domain::{Customer, FollowUpType, format_date};
use crate::web::AppState;
use crate::web::pages::activity::fields::{
    Control, Draft, Failed, FormKind, field, follow_up_label, notice,
};
use crate::web::pages::shell::components::{error_summary, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

/// `GET /my-day`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    render(&state, &viewer, Some(&params), None).await
}

/// The page; `failed` is a Done or Tomorrow form that was refused.
pub(super) async fn render(
    state: &AppState,
    viewer: &Viewer,
    params: Option<&FormData>,
    failed: Option<&Failed>,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let day = state
        .crm
        .run(move |crm| crm.my_day(&actor, crm.today()))
        .await?;
    let tz = state.crm.config().time_zone();
    let tomorrow = day.today.tomorrow().ok();
    let content = html! {
        (notice(params.and_then(|p| p.get("done")), ""))
        p.lead { "Today, " (format_date(day.today)) }
        // Follow-ups done, moved or added on another tablet, and customers' dates
        // changed, show here; not while a Done or Tomorrow form is being filled in.
        (Region::new("my-day-live", &[Kind::FollowUp, Kind::Customer])
            .fetched_from(paths::my_day())
            .wrap(html! {
                section.card.wide.my-day #overdue {
                    h2 { "Overdue" @if !day.overdue.is_empty() { " (" (day.overdue.len()) ")" } }
                    (tasks(viewer, &day.overdue, "Nothing overdue.", tomorrow, failed, &tz))
                }
                section.card.wide.my-day #due-today {
                    h2 { "Due today" @if !day.due_today.is_empty() { " (" (day.due_today.len()) ")" } }
                    (tasks(viewer, &day.due_today, "Nothing due today.", tomorrow, failed, &tz))
                }
                section.card.wide.my-day #occasions {
                    h2 { "Birthdays & anniversaries" span.sub { "Today and the next 6 days" } }
                    @if day.occasions.is_empty() {
                        p.empty { "No birthdays or anniversaries in the next 7 days." }
                    } @else {
                        ul.plain-list.tasks {
                            @for o in &day.occasions { (occasion(o, day.today)) }
                        }
                        @if day.occasions_total > day.occasions.len() {
                            p.hint { "The soonest " (day.occasions.len()) " of " (day.occasions_total) " are shown." }
                        }
                    }
                }
            }))
    };
    Ok(page(viewer, "My day", html! {}, content))
}

fn customer_link(c: &Customer) -> Markup {
    html! {
        a.row-link href=(paths::customer(c.id)) { (c.name.as_str()) }
        " " span.code-inline { (c.code()) }
    }
}

/// Call and WhatsApp; WhatsApp opens in its own tab (or the app) with the greeting typed.
/// A follow-up to be done on WhatsApp puts that link first, as the main action.
fn contact(links: &ContactLinks, c: &Customer, whatsapp_first: bool) -> Markup {
    let call = html! {
        a.button href=(links.call) aria-label=(format!("Call {}", c.name.as_str())) {
            (icon("phone")) "Call " (c.phone.to_string())
        }
    };
    let whatsapp = html! {
        a.button.whatsapp.primary[whatsapp_first] href=(links.whatsapp) target="_blank" rel="noopener"
            aria-label=(format!("WhatsApp {}", c.name.as_str())) {
            (icon("whatsapp")) "WhatsApp"
        }
    };
    html! {
        div.contact-links {
            @if whatsapp_first { (whatsapp) (call) } @else { (call) (whatsapp) }
        }
    }
}

fn tasks(
    viewer: &Viewer,
    list: &[DayTask],
    empty: &str,
    tomorrow: Option<Date>,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    if list.is_empty() {
        return html! { p.empty { (empty) } };
    }
    html! {
        ul.plain-list.tasks {
            @for task in list { (task_item(viewer, task, tomorrow, failed, tz)) }
        }
    }
}

fn task_item(
    viewer: &Viewer,
    task: &DayTask,
    tomorrow: Option<Date>,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    let f = &task.follow_up;
    let id = f.id.as_uuid();
    let action = paths::follow_up(f.id);
    let prefix = format!("task-{id}");
    let draft = Draft::of(failed, &FormKind::Change(id));
    // The same time of day, tomorrow: the usual "not today, try again tomorrow".
    let same_time = f.due_at.to_zoned_datetime(tz.clone()).time();
    let to_tomorrow = tomorrow.map(|d| format!("{d}T{}", same_time.strftime("%H:%M")));
    html! {
        li.task #(prefix) {
            div.task-head {
                (customer_link(&task.customer))
                span.sub { (follow_up_label(f.kind)) " · due " (when(f.due_at, tz)) }
            }
            @if !f.notes.is_empty() { p.notes { (f.notes.as_str()) } }
            (contact(&task.contact, &task.customer, f.kind == FollowUpType::Whatsapp))
            div.follow-up-actions {
                @if draft.is_failed() { (error_summary(draft.errors(), &["outcome"])) }
                form.inline-form method="post" action=(action) novalidate {
                    (form_keys(&viewer.csrf))
                    input type="hidden" name="action" value="complete";
                    input type="hidden" name="back" value="my-day";
                    (field(&prefix, "outcome", "What came of it", &draft.value("outcome", ""), Control::Input("text"), draft.errors()))
                    button.button #(format!("{prefix}-done")) type="submit" { (icon("check")) "Done" }
                }
                @if let Some(due) = &to_tomorrow {
                    form method="post" action=(action) {
                        (form_keys(&viewer.csrf))
                        input type="hidden" name="action" value="reschedule";
                        input type="hidden" name="back" value="my-day";
                        input type="hidden" name="due_at" value=(due);
                        button.button #(format!("{prefix}-tomorrow")) type="submit" { "Reschedule to tomorrow" }
                    }
                }
            }
        }
    }
}

fn occasion(o: &Occasion, today: Date) -> Markup {
    let (what, glyph) = match o.kind {
        OccasionKind::Birthday => (format!("Birthday: turns {}", o.years), "gem"),
        OccasionKind::Anniversary => (
            format!("Anniversary: {}", plural(o.years, "year", "years")),
            "calendar-check",
        ),
    };
    let day = if o.date == today {
        "Today".to_owned()
    } else {
        format_date(o.date)
    };
    html! {
        li.task.occasion {
            div.task-head {
                (customer_link(&o.customer))
                span.sub { (icon(glyph)) " " (what) " · " strong { (day) } }
            }
            (contact(&o.contact, &o.customer, false))
        }
    }
}
