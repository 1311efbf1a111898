//! `GET /api/audit`: the store's audit trail, newest first, with the same filters as
//! the page at `/settings/audit`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{AuditEntry, AuditField, AuditPerson, AuditQuery, audit_cursor, kind_name};
use crate::domain::UserRole;
use crate::store::{ChangeOp, Origin};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

/// One page of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPageJson {
    pub items: Vec<AuditEntryJson>,
    /// Never counted (`null`): the trail is read only as far as a page needs.
    pub total: Option<u64>,
    /// Pass back as `?cursor=` (with the same filters) for older entries; `null` when
    /// the trail goes no further back.
    pub next: Option<String>,
}

/// One change: when, who, from where, to what, and the fields before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryJson {
    /// The change's place in the change log.
    pub seq: u64,
    /// RFC 3339, UTC.
    pub at: String,
    /// `null` for the command line, or a person since removed.
    pub who: Option<AuditPersonJson>,
    /// `null` for changes not made over the network (the command line, migrations).
    pub origin: Option<AuditOriginJson>,
    /// `SALE`, `PRODUCT`, `CUSTOMER`, `RATE`, `USER`, `SESSION`…
    pub kind: String,
    pub record_id: Uuid,
    /// What a person calls the record: a customer's name, an invoice number, a tag.
    pub label: Option<String>,
    /// `CREATED`, `UPDATED`, `DELETED`, `RESTORED`, `SIGNED_IN`, `SIGNED_OUT`,
    /// `PASSWORD_CHANGED` or `REVOKED`.
    pub op: String,
    pub floor_id: Option<Uuid>,
    pub fields: Vec<AuditFieldJson>,
    /// How many more fields changed than are listed.
    pub more_fields: u32,
    /// The quick picks the change belongs to (`PRICE_CHANGES`, `DISCOUNTS`…).
    pub notable: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPersonJson {
    pub id: Uuid,
    pub name: String,
    pub role: UserRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOriginJson {
    /// The browser or program, as it named itself.
    pub device: String,
    /// The client's address as the server saw it.
    pub address: Option<String>,
    /// The API key the change was made with, when not a person's session.
    pub api_key_id: Option<Uuid>,
}

/// A field as a person reads it: money in rupees (`₹4,500.00`), weights in grams,
/// times in the store's zone. Secrets read `changed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditFieldJson {
    /// Where the field sits in the record: `fixed_price`, `lines[0].discount`.
    pub field: String,
    /// `MONEY`, `WEIGHT`, `PERCENT`, `TIME` or `TEXT`.
    pub unit: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How the API spells a change's operation.
pub fn op_name(op: ChangeOp) -> &'static str {
    match op {
        ChangeOp::Created => "CREATED",
        ChangeOp::Updated => "UPDATED",
        ChangeOp::Deleted => "DELETED",
        ChangeOp::Restored => "RESTORED",
        ChangeOp::SignedIn => "SIGNED_IN",
        ChangeOp::SignedOut => "SIGNED_OUT",
        ChangeOp::PasswordChanged => "PASSWORD_CHANGED",
        ChangeOp::Revoked => "REVOKED",
        ChangeOp::Viewed => "VIEWED",
    }
}

impl From<AuditEntry> for AuditEntryJson {
    fn from(entry: AuditEntry) -> Self {
        Self {
            seq: entry.seq,
            at: entry.at.to_string(),
            who: entry.who.map(AuditPersonJson::from),
            origin: entry.origin.map(AuditOriginJson::from),
            kind: kind_name(entry.kind).to_owned(),
            record_id: entry.record_id,
            label: entry.label,
            op: op_name(entry.op).to_owned(),
            floor_id: entry.floor.map(|f| f.as_uuid()),
            fields: entry.fields.into_iter().map(AuditFieldJson::from).collect(),
            more_fields: entry.more_fields,
            notable: entry
                .notable
                .iter()
                .map(|n| n.as_str().to_owned())
                .collect(),
        }
    }
}

impl From<AuditPerson> for AuditPersonJson {
    fn from(person: AuditPerson) -> Self {
        Self {
            id: person.id.as_uuid(),
            name: person.name,
            role: person.role,
        }
    }
}

impl From<Origin> for AuditOriginJson {
    fn from(origin: Origin) -> Self {
        Self {
            device: origin.device,
            address: origin.address.map(|a| a.to_string()),
            api_key_id: origin.api_key.map(Uuid::from_u128),
        }
    }
}

impl From<AuditField> for AuditFieldJson {
    fn from(field: AuditField) -> Self {
        Self {
            field: field.field,
            unit: field.unit.as_str().to_owned(),
            before: field.before,
            after: field.after,
        }
    }
}

/// The audit trail of the store, newest first: who changed what, when, from which
/// device and address, with the fields before and after. Only a Business Admin may
/// read it (403 for anyone else). A filter value that cannot be read answers 400 naming
/// it; an unknown parameter answers 422. Read-only: no route edits or deletes it.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPageJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn audit_trail(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPageJson>, AppError> {
    let (filter, page) = query.parse()?;
    let trail = state
        .crm
        .run(move |crm| crm.audit_trail(&actor, &filter, page))
        .await?;
    Ok(Json(AuditPageJson {
        items: trail
            .entries
            .into_iter()
            .map(AuditEntryJson::from)
            .collect(),
        total: None,
        next: trail.older.map(audit_cursor),
    }))
}
