//! The notifications page (`/notifications`, where the bell leads): the signed-in
//! person's notifications newest first, the unread ones marked, each with its link and
//! time in the store's zone, and "Mark all read". Opening the page marks them read.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use maud::{Markup, html};

use crate::app::MarkReadInput;
use crate::domain::Notification;
use crate::web::AppState;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::act;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{Submitted, Viewer};
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::NOTIFICATIONS, get(show))
        .route(paths::NOTIFICATIONS_READ, post(mark_all_read))
}

/// `GET /notifications`: the list as it stood, then everything in it marked read.
pub async fn show(State(state): State<AppState>, mut viewer: Viewer) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let list = state
        .crm
        .run(move |crm| {
            let list = crm.notifications(&actor)?;
            if list.unread > 0 {
                crm.mark_notifications_read(&actor, MarkReadInput::default())?;
            }
            Ok(list)
        })
        .await?;
    let unread = list.items.iter().filter(|(_, read)| !read).count();
    viewer.unread = 0;
    let tz = state.crm.config().time_zone();
    let actions = html! {
        form method="post" action=(paths::notifications_read()) {
            (form_keys(&viewer.csrf))
            button.button type="submit" #mark-all-read { (icon("check")) "Mark all read" }
        }
    };
    let content = html! {
        p.lead {
            @match unread {
                0 => { "Nothing new." }
                1 => { "1 new since you last looked." }
                n => { (n) " new since you last looked." }
            }
        }
        @if list.items.is_empty() {
            p.empty { "No notifications yet. Sales on your floor, customers sent to it, your follow-ups as they fall due and today's birthdays show here." }
        } @else {
            ul.notification-list #notifications {
                @for (n, read) in &list.items {
                    (item(n, *read, &tz))
                }
            }
        }
    };
    Ok(page(&viewer, "Notifications", actions, content))
}

fn item(n: &Notification, read: bool, tz: &jiff::tz::TimeZone) -> Markup {
    html! {
        li.notification.unread[!read].urgent[n.urgent] data-id=(n.id) {
            div.notification-head {
                span.notification-kind { (n.kind.label()) }
                @if !read { span.badge.new { "New" } }
                time datetime=(n.created_at) { (when(n.created_at, tz)) }
            }
            @match &n.link {
                Some(link) => a.notification-title href=(link) { (n.title) },
                None => span.notification-title { (n.title) },
            }
            @if !n.body.is_empty() { p.notification-body { (n.body) } }
        }
    }
}

/// `POST /notifications/read`: "Mark all read", back to the list.
pub async fn mark_all_read(
    State(state): State<AppState>,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    act(
        &state,
        &viewer,
        |crm, actor| crm.mark_notifications_read(actor, MarkReadInput::default()),
        |_| paths::notifications(),
    )
    .await
}
