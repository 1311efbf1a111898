//! `/backups` (admins): where the encrypted backups stand — each destination's last
//! success, its size, what waits to upload and the last error — with a red warning when
//! one falls behind, "Back up now", and, before backups are set up, what the technician
//! has to do.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::Error;
use crate::app::backups::{BackupStatus, DestinationStatus};
use crate::config::BackupConfig;
use crate::domain::format_elapsed;
use crate::domain::format_size as size;
use crate::web::AppState;
use crate::web::pages::shell::components::{done_notice, sentence};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::redirect_to;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{Params, Submitted, Viewer};
use crate::web::paths;

/// The `?done=` of the page after "Back up now".
const STARTED: &str = "backup-started";

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::BACKUPS, get(show))
        .route(paths::BACKUP_NOW, post(run))
}

/// `GET /backups`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let status = status(&state, &viewer).await?;
    Ok(backups_page(
        &state,
        &viewer,
        &status,
        params.get("done"),
        None,
    ))
}

/// `POST /backups/run`: asks the server to back up now; the page comes back at once with
/// a notice, as a large store takes a while.
pub async fn run(
    State(state): State<AppState>,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    match state.crm.run(move |crm| crm.request_backup(&actor)).await {
        Ok(_) => Ok(redirect_to(paths::backups().done(STARTED))),
        // Not set up (the button is not shown then, but an old tab may still have it).
        Err(Error::Conflict { message, .. }) => {
            let status = status(&state, &viewer).await?;
            let page = backups_page(&state, &viewer, &status, None, Some(&message));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// For the admin's dashboard: a red line when a destination has fallen behind, a yellow
/// one while backups are not set up, nothing when all is well.
pub fn dashboard_notice(status: &BackupStatus) -> Markup {
    html! {
        @if !status.configured {
            div.alert.warning #backups-notice role="status" {
                strong { "Backups are not set up." }
                " Nothing on this box is copied anywhere else. "
                a href=(paths::backups()) { "What the technician has to do" }
            }
        } @else if status.any_overdue() {
            div.alert.error #backups-notice role="alert" {
                strong { "Backups have fallen behind." }
                " A sale made now could not be restored if this box failed. "
                a href=(paths::backups()) { "See which and why" }
            }
        }
    }
}

async fn status(state: &AppState, viewer: &Viewer) -> Result<BackupStatus, PageError> {
    let actor = viewer.actor.clone();
    Ok(state.crm.run(move |crm| crm.backup_status(&actor)).await?)
}

fn backups_page(
    state: &AppState,
    viewer: &Viewer,
    status: &BackupStatus,
    done: Option<&str>,
    refused: Option<&str>,
) -> Markup {
    let config = state.crm.config();
    let tz = config.time_zone();
    let now = Timestamp::now();
    let actions = html! {
        @if status.configured {
            form method="post" action=(paths::backup_now()) {
                (form_keys(&viewer.csrf))
                button.button.primary #backup-now type="submit" { "Back up now" }
            }
        }
    };
    let content = html! {
        @if done == Some(STARTED) {
            div.alert.success role="status" #done-notice {
                "Backup started. It runs in the background: refresh this page in a minute to see it arrive."
            }
        } @else {
            (done_notice(done))
        }
        @if let Some(message) = refused {
            div.alert.error role="alert" #backup-refused { (sentence(message)) }
        }
        @if status.configured {
            (overview(status, &tz, now))
        } @else {
            (not_set_up(status, &config.backup))
        }
    };
    page(viewer, "Backups", actions, content)
}

fn overview(status: &BackupStatus, tz: &TimeZone, now: Timestamp) -> Markup {
    let overdue: Vec<&DestinationStatus> =
        status.destinations.iter().filter(|d| d.overdue).collect();
    html! {
        @if !overdue.is_empty() {
            div.alert.error.backup-overdue #backup-overdue role="alert" {
                strong {
                    @if overdue.len() == 1 { "A backup destination has no recent backup." }
                    @else { (overdue.len()) " backup destinations have no recent backup." }
                }
                ul {
                    @for d in &overdue {
                        li {
                            strong { (d.name) } ": "
                            @match &d.last_success {
                                Some(s) => {
                                    "the newest backup there is from " (when(s.taken_at, tz))
                                    " (" (ago(s.taken_at, now)) "), more than "
                                    (hours(status.warn_after_hours)) " ago."
                                }
                                None => {
                                    "no backup has reached it yet"
                                    @if let Some(at) = d.last_attempt { " (last tried " (when(at, tz)) ")" }
                                    "."
                                }
                            }
                        }
                    }
                }
                p {
                    "Anything sold since then could not be restored if this box failed now. Check that the backup disk is plugged in and the internet is working (the error is shown below), then press "
                    strong { "Back up now" } ". If it stays red, call the technician."
                }
            }
        }
        @if let Some(error) = &status.snapshot_error {
            div.alert.error #snapshot-error role="alert" {
                strong { "The last backup could not be taken: " } (error)
            }
        }
        section.card.wide #backup-schedule {
            h2 { "Schedule" }
            dl {
                dt { "Next backup" }
                dd {
                    @match status.next_due {
                        Some(due) if due > now => (when(due, tz)),
                        Some(_) => "Due now",
                        None => "None scheduled",
                    }
                }
                dt { "Last snapshot" }
                dd {
                    @match status.last_snapshot {
                        Some(at) => { (when(at, tz)) " (" (ago(at, now)) ")" }
                        None => "None yet",
                    }
                }
                dt { "Waiting to upload" }
                dd { (count(status.queued, "snapshot", "snapshots")) " on this box" }
                dt { "Encrypted to" }
                dd { (count(status.recipients, "recovery key", "recovery keys")) }
                dt { "Turns red after" }
                dd { (hours(status.warn_after_hours)) " without a backup" }
            }
        }
        div.cards #backup-destinations {
            @for d in &status.destinations { (destination(d, tz, now)) }
        }
    }
}

fn destination(d: &DestinationStatus, tz: &TimeZone, now: Timestamp) -> Markup {
    html! {
        section.card.backup-destination.overdue[d.overdue] #(format!("destination-{}", d.name)) {
            div.backup-destination-head {
                h2 { (d.name) }
                @if d.overdue { span.badge.danger { "Overdue" } }
                @else { span.badge.ok { "Up to date" } }
            }
            dl {
                dt { "Where" }
                dd { (d.place) }
                dt { "Last backup" }
                dd {
                    @match &d.last_success {
                        Some(s) => { (when(s.taken_at, tz)) " (" (ago(s.taken_at, now)) ")" }
                        None => "None yet",
                    }
                }
                @if let Some(s) = &d.last_success {
                    dt { "Its size" }
                    dd { (size(s.bytes)) }
                }
                dt { "Waiting to upload" }
                dd { (count(d.waiting, "snapshot", "snapshots")) }
                @if let Some(error) = &d.last_error {
                    dt { "Last error" }
                    dd.danger-text { (error) }
                    dt { "Next try" }
                    dd {
                        @match d.retry_at {
                            Some(at) if at > now => (when(at, tz)),
                            _ => "With the next backup",
                        }
                    }
                }
            }
        }
    }
}

/// What the technician has to do: the page a box shows until a destination is configured.
fn not_set_up(status: &BackupStatus, backup: &BackupConfig) -> Markup {
    const RECIPIENTS: &str = "[backup]\nrecipients = [\"age1…\"]   # the public key keygen printed";
    const DESTINATIONS: &str = "[[backup.destination]]\nname = \"r2\"\nkind = \"s3\"\nendpoint = \"https://<account>.r2.cloudflarestorage.com\"\nbucket = \"sarkar-backups\"\nprefix = \"main-store\"\n\n[[backup.destination]]\nname = \"usb\"\nkind = \"dir\"\npath = \"/media/backup-disk/sarkar\"";
    html! {
        section.card.wide.backup-setup #backups-not-set-up {
            h2 { "Backups are not set up yet" }
            p {
                "Nothing on this box is copied anywhere else. If its disk failed, or the box were stolen, every customer, sale and invoice on it would be lost. Ask the technician to set backups up with the steps below; it takes a few minutes."
            }
            @if status.recipients > 0 {
                p {
                    "The configuration already has "
                    (count(status.recipients, "recovery key", "recovery keys"))
                    "; what is missing is a place to send backups to (step 3)."
                }
            }
            h3 { "1. Make the owner's recovery key" }
            p {
                "On any computer with Sarkar CRM, run " code { "sarkar-crm backup keygen" }
                ". It prints a secret key starting " code { "AGE-SECRET-KEY-1" }
                ": print it and keep it in the safe, never on this box. Every backup can be opened with it and with nothing else."
            }
            h3 { "2. Give the box the public key" }
            p {
                "In " code { "/etc/sarkar-crm/config.toml" } ", under " code { "[backup]" }
                ", add the " code { "recipients" } " line keygen printed (the " code { "age1…" }
                " key). The box can only lock backups with it, not open them."
            }
            pre { code { (RECIPIENTS) } }
            h3 { "3. Say where backups go" }
            p {
                "Add a " code { "[[backup.destination]]" } " block for each place: a bucket at a storage provider ("
                code { "kind = \"s3\"" } ": Cloudflare R2, Backblaze B2, AWS S3, Wasabi, MinIO), a folder on a disk plugged into the box ("
                code { "kind = \"dir\"" } "), or both. Create the bucket or the folder first; a bucket's keys go in "
                code { "access_key_id" } " and " code { "secret_access_key" } "."
            }
            pre { code { (DESTINATIONS) } }
            h3 { "4. Restart the service" }
            p {
                "Run " code { "sudo systemctl restart sarkar-crm" } ". The first backup is taken at once, then "
                (schedule(backup)) ". This page then shows each destination's last backup and turns red when one is more than "
                (hours(backup.warn_after_hours)) " old."
            }
            p.hint {
                code { "sarkar-crm print-default-config" } " explains every backup setting, and "
                code { "sarkar-crm doctor" } " checks them."
            }
        }
    }
}

/// `every 6 hours and each night at 02:30`, as configured.
fn schedule(backup: &BackupConfig) -> String {
    let nightly = backup
        .nightly_at
        .0
        .map(|t| format!("each night at {}", t.strftime("%H:%M")));
    match (backup.every_hours, nightly) {
        (0, Some(nightly)) => nightly,
        (0, None) => "never again: set every_hours or nightly_at".to_owned(),
        (1, nightly) => join("every hour", nightly),
        (n, nightly) => join(&format!("every {n} hours"), nightly),
    }
}

fn join(every: &str, nightly: Option<String>) -> String {
    match nightly {
        Some(nightly) => format!("{every} and {nightly}"),
        None => every.to_owned(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

fn hours(n: u32) -> String {
    if n == 1 {
        "1 hour".to_owned()
    } else {
        format!("{n} hours")
    }
}

/// `just now`, `25 minutes ago`, `3 hours ago`, `4 days ago`.
fn ago(then: Timestamp, now: Timestamp) -> String {
    let elapsed = now.duration_since(then);
    if elapsed.as_mins() <= 0 {
        "just now".to_owned()
    } else {
        format!("{} ago", format_elapsed(elapsed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn ages_read_in_the_largest_sensible_unit() {
        let now = Timestamp::from_second(1_800_000_000).expect("a time");
        let before = |minutes| now - SignedDuration::from_mins(minutes);
        assert_eq!(ago(before(0), now), "just now");
        assert_eq!(ago(now + SignedDuration::from_mins(5), now), "just now");
        assert_eq!(ago(before(1), now), "1 minute ago");
        assert_eq!(ago(before(59), now), "59 minutes ago");
        assert_eq!(ago(before(61), now), "1 hour ago");
        assert_eq!(ago(before(47 * 60 + 59), now), "47 hours ago");
        assert_eq!(ago(before(48 * 60), now), "2 days ago");
    }

    #[test]
    fn counts_and_hours_agree_with_their_number() {
        assert_eq!(count(0, "snapshot", "snapshots"), "no snapshots");
        assert_eq!(count(1, "snapshot", "snapshots"), "1 snapshot");
        assert_eq!(count(3, "snapshot", "snapshots"), "3 snapshots");
        assert_eq!(hours(1), "1 hour");
        assert_eq!(hours(26), "26 hours");
    }
}
