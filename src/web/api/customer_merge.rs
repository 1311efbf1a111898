//! `/api/customers/merge`, `/api/customer-merges/{id}/undo` and
//! `/api/customers/duplicates`: merging two records of one customer, undoing it, and
//! the pairs that may be one person.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{CustomerJson, ListJson};
use crate::app::{DuplicatesQuery, MergeInput};
use crate::domain::{CustomerMerge, CustomerValue, MergeId};
use crate::store::match_keys::{DuplicatePair, DuplicateReason};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiJson, ApiQuery, Auth, PathId};

/// A merge: who was merged into whom, by whom and when, the numbers and e-mails that
/// still find the survivor, and how many records moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeJson {
    pub id: Uuid,
    pub survivor_id: Uuid,
    pub merged_id: Uuid,
    /// The merged customer's code, name and phone as they were (`C-000124`).
    pub merged_code: String,
    pub merged_name: String,
    pub merged_phone: String,
    pub alias_phones: Vec<String>,
    pub alias_emails: Vec<String>,
    pub sales_moved: usize,
    pub interactions_moved: usize,
    pub follow_ups_moved: usize,
    pub merged_by: Uuid,
    pub merged_at: String,
    /// Set once the merge is undone.
    pub undone_at: Option<String>,
}

impl From<CustomerMerge> for MergeJson {
    fn from(m: CustomerMerge) -> Self {
        Self {
            id: m.id.as_uuid(),
            survivor_id: m.survivor_id.as_uuid(),
            merged_id: m.merged_id.as_uuid(),
            merged_code: m.merged_before.code(),
            merged_name: m.merged_before.name.to_string(),
            merged_phone: m.merged_before.phone.e164().to_owned(),
            alias_phones: m.alias_phones.iter().map(|p| p.e164().to_owned()).collect(),
            alias_emails: m
                .alias_emails
                .iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
            sales_moved: m.sales.len(),
            interactions_moved: m.interactions.len(),
            follow_ups_moved: m.follow_ups.len(),
            merged_by: m.merged_by.as_uuid(),
            merged_at: m.merged_at.to_string(),
            undone_at: m.undone_at.map(|at| at.to_string()),
        }
    }
}

/// A merge just made, with the survivor as it now is.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeOutcomeJson {
    pub merge: MergeJson,
    pub survivor: CustomerJson,
}

/// Two live customers who may be one person: the same e-mail, or names alike with no
/// address telling them apart. `a` is the older record.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicatePairJson {
    pub a: CustomerJson,
    pub b: CustomerJson,
    /// `SAME_EMAIL` or `SIMILAR_NAME`.
    pub reason: String,
    /// How alike the names are, 0 to 1 (1 for the same e-mail).
    pub score: f32,
}

impl From<DuplicatePair> for DuplicatePairJson {
    fn from(p: DuplicatePair) -> Self {
        let (reason, score) = match p.reason {
            DuplicateReason::SameEmail => ("SAME_EMAIL", 1.0),
            DuplicateReason::SimilarName(score) => ("SIMILAR_NAME", score),
        };
        Self {
            a: CustomerJson::new(p.a, CustomerValue::default()),
            b: CustomerJson::new(p.b, CustomerValue::default()),
            reason: reason.to_owned(),
            score,
        }
    }
}

/// Merges `other_id` into `survivor_id`: its sales, interactions and follow-ups move to
/// the survivor, each field is kept from the side `fields` says, and its number and
/// e-mail stay as aliases that search and the counter's look-up still find. Undo with
/// `POST /api/customer-merges/{id}/undo`.
#[utoipa::path(post, path = "/api/customers/merge", tag = "customers", request_body = MergeInput,
    responses((status = 200, body = MergeOutcomeJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn merge_customers(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<MergeInput>,
) -> Result<Json<MergeOutcomeJson>, AppError> {
    let (outcome, value) = state
        .crm
        .run(move |crm| {
            let outcome = crm.merge_customers(&actor, input)?;
            let value = crm.customer_value(&actor, outcome.survivor.id)?;
            Ok((outcome, value))
        })
        .await?;
    Ok(Json(MergeOutcomeJson {
        merge: outcome.merge.into(),
        survivor: CustomerJson::new(outcome.survivor, value),
    }))
}

/// Undoes a merge: both customers exactly as they were before it, each moved record
/// back with its own customer, the aliases gone. 409 when something since makes that
/// unsafe (the survivor merged again or removed, a number taken).
#[utoipa::path(post, path = "/api/customer-merges/{id}/undo", tag = "customers", params(("id" = Uuid, Path)),
    responses((status = 200, body = MergeJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo_merge(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<MergeJson>, AppError> {
    let merge = state
        .crm
        .run(move |crm| crm.undo_merge(&actor, MergeId::from_uuid(id)))
        .await?;
    Ok(Json(merge.into()))
}

/// Pairs of live customers who may be one person, a page at a time (a Floor Manager
/// sees those of their floor). `total` is not counted.
#[utoipa::path(get, path = "/api/customers/duplicates", tag = "customers", params(DuplicatesQuery),
    responses((status = 200, body = ListJson<DuplicatePairJson>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn possible_duplicates(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<DuplicatesQuery>,
) -> Result<Json<ListJson<DuplicatePairJson>>, AppError> {
    let page = state
        .crm
        .run(move |crm| crm.possible_duplicates(&actor, &query))
        .await?;
    Ok(Json(ListJson {
        items: page.pairs.into_iter().map(Into::into).collect(),
        total: None,
        next: page.next.map(|at| at.encode()),
    }))
}
