//! The pipeline (`/pipeline`): for each floor the viewer may see, a board of the
//! floor's open work by stage (follow-ups overdue, due in the next 7 days, later, and
//! bills awaiting payment). The board scrolls sideways inside its own box on a tablet
//! and stacks its stages on a phone; the page itself never scrolls sideways.

use axum::extract::State;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::{FloorPipeline, Permission, StaffNames, Stage, StageKind, Work};
use crate::web::AppState;
use crate::web::pages::activity::fields::follow_up_label;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::Viewer;
use crate::web::paths;

/// `GET /pipeline`
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let (pipeline, names) = state
        .crm
        .run(move |crm| Ok((crm.pipeline(&actor)?, crm.staff_names(&actor)?)))
        .await?;
    let tz = state.crm.config().time_zone();
    // Follow-ups, bills waiting for payment and walk-ins move across the boards as
    // they change on any tablet.
    let live = Region::new(
        "pipeline-live",
        &[Kind::FollowUp, Kind::Sale, Kind::Interaction, Kind::Floor],
    );
    let content = live.wrap(html! {
        p.lead { "Open work as of " (when(pipeline.at, &tz)) }
        @if pipeline.floors.is_empty() {
            p.empty { "No floors yet. "
                @if viewer.actor.may(Permission::ManageFloors) { a href=(paths::floors()) { "Add the store's floors" } } }
        }
        @for floor in &pipeline.floors { (board(floor, &names, &tz)) }
    });
    Ok(page(&viewer, "Pipeline", html! {}, content))
}

fn stage_slug(kind: StageKind) -> &'static str {
    match kind {
        StageKind::FollowUpOverdue => "overdue",
        StageKind::FollowUpSoon => "soon",
        StageKind::FollowUpLater => "later",
        StageKind::AwaitingPayment => "awaiting-payment",
    }
}

fn board(floor: &FloorPipeline, names: &StaffNames, tz: &TimeZone) -> Markup {
    let id = format!("pipeline-{}", floor.floor.id.as_uuid());
    html! {
        section.pipeline-floor #(id) aria-labelledby=(format!("{id}-title")) {
            h2 #(format!("{id}-title")) { (floor.floor.name.as_str()) }
            // Focusable so the board can be scrolled sideways from the keyboard too.
            div.board role="region" tabindex="0" aria-label=(format!("Stages of {}", floor.floor.name.as_str())) {
                @for stage in &floor.stages { (column(&id, stage, names, tz)) }
            }
        }
    }
}

fn column(floor_id: &str, stage: &Stage, names: &StaffNames, tz: &TimeZone) -> Markup {
    let more = stage.count.saturating_sub(stage.items.len());
    html! {
        div.stage.(stage_slug(stage.kind)) #(format!("{floor_id}-{}", stage_slug(stage.kind))) {
            div.stage-head {
                h3 { (stage.kind.title()) }
                span.stage-count {
                    (stage.count) @if !stage.counted_all { "+" }
                }
            }
            @if let Some(total) = stage.total {
                p.stage-total { (total.to_string()) }
            }
            @if stage.beyond_limit > 0 {
                p.stage-warning role="alert" {
                    (stage.beyond_limit) " pending "
                    (if stage.beyond_limit == 1 { "bill is" } else { "bills are" })
                    " ₹1,000 crore or more, left out of the total: open and cancel "
                    (if stage.beyond_limit == 1 { "it" } else { "them" }) "."
                }
            }
            @if stage.items.is_empty() {
                p.empty { "None." }
            } @else {
                ul.stage-items {
                    @for item in &stage.items {
                        li {
                            a.row-link href=(paths::customer(item.customer.id)) {
                                (item.customer.name.as_str())
                            }
                            @match &item.work {
                                Work::FollowUp(f) => {
                                    span.sub { (icon("calendar-check")) " " (follow_up_label(f.kind)) " · " (when(f.due_at, tz)) }
                                    span.sub { "For " (names.name(f.owner_id)) }
                                }
                                Work::Sale(s) => {
                                    span.sub {
                                        a href=(paths::sale(s.id)) { (icon("receipt")) " Bill of " (s.payable().to_string()) }
                                    }
                                    span.sub { "Drawn up " (when(s.created_at, tz)) }
                                }
                            }
                        }
                    }
                }
                @if more > 0 {
                    p.hint { "and " (more) @if !stage.counted_all { " or more" } " more" }
                }
            }
        }
    }
}
