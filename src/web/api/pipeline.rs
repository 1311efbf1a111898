//! `/api/pipeline`: each floor's open work in stages (follow-ups by due time, bills
//! awaiting payment), as the pipeline page shows it.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::activity_views::{FollowUpJson, SaleBriefJson};
use crate::app::{FloorPipeline, Pipeline, Stage, StageItem, StageKind, Work};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::Auth;

/// One item of a stage: a follow-up or a bill, with whom it is for.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageItemJson {
    pub customer_id: Uuid,
    /// `C-000123`.
    pub customer_code: String,
    pub customer_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sale: Option<SaleBriefJson>,
}

impl From<StageItem> for StageItemJson {
    fn from(item: StageItem) -> Self {
        let (follow_up, sale) = match item.work {
            Work::FollowUp(f) => (Some(f.into()), None),
            Work::Sale(s) => (None, Some(s.into())),
        };
        Self {
            customer_id: item.customer.id.as_uuid(),
            customer_code: item.customer.code(),
            customer_name: item.customer.name.to_string(),
            follow_up,
            sale,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageJson {
    pub stage: StageKind,
    /// The stage as the page names it: "Follow-up overdue"…
    pub title: String,
    /// How many items the stage holds; a lower bound when `counted_all` is false.
    pub count: usize,
    pub counted_all: bool,
    /// What the bills awaiting payment ask for (payable, after round-off); absent for
    /// follow-up stages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_paise: Option<i64>,
    /// Pending bills left out of `total_paise` because they are ₹1,000 crore or more
    /// (saved before bills were limited); each should be cancelled.
    pub bills_beyond_limit: usize,
    /// The first 20: soonest due first, or the longest-waiting bill first.
    pub items: Vec<StageItemJson>,
}

impl From<Stage> for StageJson {
    fn from(s: Stage) -> Self {
        Self {
            stage: s.kind,
            title: s.kind.title().to_owned(),
            count: s.count,
            counted_all: s.counted_all,
            total_paise: s.total.map(|t| t.get()),
            bills_beyond_limit: s.beyond_limit,
            items: s.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FloorPipelineJson {
    pub floor_id: Uuid,
    pub floor_name: String,
    /// Overdue, next 7 days, later, awaiting payment: always all four, in that order.
    pub stages: Vec<StageJson>,
}

impl From<FloorPipeline> for FloorPipelineJson {
    fn from(f: FloorPipeline) -> Self {
        Self {
            floor_id: f.floor.id.as_uuid(),
            floor_name: f.floor.name.to_string(),
            stages: f.stages.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineJson {
    /// The moment "overdue" and "the next 7 days" were measured from.
    pub at: String,
    pub floors: Vec<FloorPipelineJson>,
}

impl From<Pipeline> for PipelineJson {
    fn from(p: Pipeline) -> Self {
        Self {
            at: p.at.to_string(),
            floors: p.floors.into_iter().map(Into::into).collect(),
        }
    }
}

/// Open work by stage for every floor you may see (an admin: each floor of the store; a
/// Floor Manager: their own): follow-ups overdue, due in the next 7 days and later, and
/// bills drawn up awaiting payment with their total.
#[utoipa::path(get, path = "/api/pipeline", tag = "activity",
    responses((status = 200, body = PipelineJson), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn pipeline(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<PipelineJson>, AppError> {
    let pipeline = state.crm.run(move |crm| crm.pipeline(&actor)).await?;
    Ok(Json(pipeline.into()))
}
