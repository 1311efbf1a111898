//! The audit trail: who changed what, when and from where, read from the change log.
//!
//! The change log is append-only and is the audit trail: nothing in the app edits or
//! deletes an entry, and this module only reads it. A Business Admin sees their store's
//! entries, newest first, filtered by person, floor, kind of record, dates and the
//! notable changes an owner looks for (see [`Notable`]).
//!
//! An entry's floor is the one kept in its details when the change was written (the
//! floor of the sale, interaction, follow-up, product or person changed), so a record
//! that moved floors later still shows where it was.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::audit_fields::{
    AuditField, KIND_NAMES, Notable, kind_named, notable_in, readable_fields,
};
use super::query_text::{day_range, given};
use super::{Actor, Crm, Error, Permission};
use crate::domain::{
    CategoryId, CustomerId, FieldErrors, FloorId, ProductId, SaleId, UserId, UserRole,
};
use crate::store::{
    ChangeOp, EntityKind, Origin, Reader, Scope, StoreError, catalogue, customers, org, people,
    sales,
};

/// Entries on a page unless the query asks for another number (at most 200).
pub const AUDIT_PAGE: u32 = 50;
/// How many log entries one request reads at most while looking for matches; a search
/// that finds too few stops here and hands back a cursor to go on from, so a rare
/// filter over a long log never holds a request up.
const MAX_EXAMINED: usize = 20_000;
/// Log entries read from the database at a time.
const BATCH: usize = 500;

/// The audit trail's filters as typed in a query string, before they are checked.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Changes made by this member of staff (their user id).
    pub person: Option<String>,
    /// Changes to records of this floor (a floor id).
    pub floor: Option<String>,
    /// The kind of record: `SALE`, `PRODUCT`, `CUSTOMER`, `RATE`, `USER`, `SESSION`,
    /// `INTERACTION`, `FOLLOW_UP`, `CATEGORY`, `FLOOR`, `STORE`, `PREFERENCE`, `API_KEY`,
    /// `NOTIFICATION`, `IMPORT`, `CUSTOMER_MERGE` or `FILE`.
    pub kind: Option<String>,
    /// First day, `YYYY-MM-DD` in the store's time zone (inclusive).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` in the store's time zone (inclusive).
    pub to: Option<String>,
    /// A quick pick: `PRICE_CHANGES`, `DISCOUNTS`, `RATE_CHANGES`, `REFUNDS`,
    /// `CANCELLATIONS` or `SIGN_INS`.
    pub notable: Option<String>,
    /// Entries per page, 1 to 200 (50 by default).
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
}

/// The audit trail's filters, checked: what [`Crm::audit_trail`] takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub person: Option<UserId>,
    pub floor: Option<FloorId>,
    pub kind: Option<EntityKind>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub notable: Option<Notable>,
}

/// Which page of the trail to read: entries older than `before` (a change's sequence
/// number; `None` for the newest), `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditPageRequest {
    pub before: Option<u64>,
    pub limit: u32,
}

/// One page of the trail, newest first.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Where the next, older page starts, when the log goes on.
    pub older: Option<u64>,
}

/// Who made a change, as the trail names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPerson {
    pub id: UserId,
    pub name: String,
    pub role: UserRole,
}

/// One change, ready to read.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Timestamp,
    /// `None`: the command line, a migration, or a person since removed for good.
    pub who: Option<AuditPerson>,
    /// The device, address and API key the change came from, when it came over the
    /// network.
    pub origin: Option<Origin>,
    pub kind: EntityKind,
    pub record_id: Uuid,
    /// What a person calls the record: a customer's name, an invoice number, a tag.
    pub label: Option<String>,
    pub op: ChangeOp,
    pub floor: Option<FloorId>,
    pub fields: Vec<AuditField>,
    /// Changed fields beyond those listed.
    pub more_fields: u32,
    /// The quick picks this change belongs to.
    pub notable: Vec<Notable>,
}

impl AuditQuery {
    /// Checks every filter at once; a value that cannot be read is a 400 naming it.
    pub fn parse(&self) -> Result<(AuditFilter, AuditPageRequest), Error> {
        let mut errors = FieldErrors::new();
        let (from, to) = day_range(&mut errors, &self.from, &self.to);
        let person = given(&self.person).and_then(|t| errors.check("person", UserId::parse(t)));
        let floor = given(&self.floor).and_then(|t| errors.check("floor", FloorId::parse(t)));
        let kind = given(&self.kind).and_then(|t| {
            let kind = kind_named(t);
            if kind.is_none() {
                errors.add(
                    "kind",
                    format!(
                        "'{t}' is not a kind of record; use one of {}",
                        KIND_NAMES.join(", ")
                    ),
                );
            }
            kind
        });
        let notable = given(&self.notable).and_then(|t| {
            let notable = Notable::named(t);
            if notable.is_none() {
                let names: Vec<&str> = Notable::ALL.iter().map(|n| n.as_str()).collect();
                errors.add(
                    "notable",
                    format!("'{t}' is not a quick pick; use one of {}", names.join(", ")),
                );
            }
            notable
        });
        let limit = match self.limit {
            None => AUDIT_PAGE,
            Some(limit @ 1..=super::paging::MAX_LIMIT) => limit,
            Some(_) => {
                errors.add(
                    "limit",
                    format!("must be between 1 and {}", super::paging::MAX_LIMIT),
                );
                AUDIT_PAGE
            }
        };
        let before = given(&self.cursor).and_then(|t| {
            let seq = decode_cursor(t);
            if seq.is_none() {
                errors.add(
                    "cursor",
                    "is not a cursor this list handed out; pass back the `next` of the previous page unchanged, or leave `cursor` out to start with the newest",
                );
            }
            seq
        });
        if !errors.is_empty() {
            return Err(Error::BadQuery(errors));
        }
        let filter = AuditFilter {
            person,
            floor,
            kind,
            from,
            to,
            notable,
        };
        Ok((filter, AuditPageRequest { before, limit }))
    }
}

/// The `next` cursor for a page that goes on before change `seq`: opaque to clients,
/// who pass it back unchanged.
pub fn audit_cursor(seq: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("s{seq}"))
}

fn decode_cursor(text: &str) -> Option<u64> {
    let plain = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    plain
        .strip_prefix('s')?
        .parse::<u64>()
        .ok()
        .filter(|seq| *seq > 0)
}

impl Crm {
    /// The store's audit trail, newest first, as `filter` narrows it. Only a Business
    /// Admin may read it, and only their own store's entries.
    pub fn audit_trail(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: AuditPageRequest,
    ) -> Result<AuditPage, Error> {
        actor.require(Permission::ReadAuditTrail)?;
        let zone = self.config.time_zone();
        let start_of = |day: Date| {
            zone.to_timestamp(day.at(0, 0, 0, 0))
                .map_err(|e| Error::internal("placing a day in the store's time zone", e))
        };
        let since = filter.from.map(start_of).transpose()?;
        let until = filter
            .to
            .map(|day| start_of(day.tomorrow().unwrap_or(day)))
            .transpose()?;
        let scope = actor.store_scope();
        self.db.read(|rx| -> Result<AuditPage, Error> {
            let mut before = page.before.unwrap_or(u64::MAX);
            if let Some(until) = until {
                before = before.min(rx.first_change_at_or_after(until)?);
            }
            let (found, older) = matching(rx, &scope, filter, since, before, page.limit)?;
            let mut people = HashMap::new();
            let mut entries = Vec::with_capacity(found.len());
            for (change, details) in found {
                let who = match change.actor {
                    Some(id) => person(rx, &scope, &mut people, id)?,
                    None => None,
                };
                entries.push(AuditEntry {
                    seq: change.seq,
                    at: change.at,
                    who,
                    label: label(rx, &scope, change.kind, change.id)?,
                    notable: notable_in(change.kind, change.op, &details.fields),
                    fields: readable_fields(&details.fields, &zone),
                    more_fields: details.more_fields,
                    origin: details.origin,
                    kind: change.kind,
                    record_id: Uuid::from_u128(change.id),
                    op: change.op,
                    floor: details.floor,
                });
            }
            Ok(AuditPage { entries, older })
        })
    }
}

type Found = Vec<(crate::store::Change, crate::store::ChangeDetails)>;

/// Up to `limit` of the scope's entries before `before` that the filter admits, and
/// where the next page starts if the log goes on.
fn matching(
    rx: &Reader,
    scope: &Scope,
    filter: &AuditFilter,
    since: Option<Timestamp>,
    mut before: u64,
    limit: u32,
) -> Result<(Found, Option<u64>), StoreError> {
    let limit = limit as usize;
    let mut found = Vec::new();
    let mut examined = 0;
    loop {
        let batch = rx.changes_before(before, BATCH)?;
        let Some(last) = batch.last() else {
            return Ok((found, None));
        };
        let batch_end = last.seq;
        for change in batch {
            // Entries are appended in time order, so nothing older can be in range.
            if since.is_some_and(|since| change.at < since) {
                return Ok((found, None));
            }
            if found.len() == limit {
                return Ok((found, Some(before)));
            }
            examined += 1;
            before = change.seq;
            if change.store_id != scope.store_id()
                || filter.person.is_some_and(|p| change.actor != Some(p))
                || filter.kind.is_some_and(|k| change.kind != k)
            {
                continue;
            }
            let details = rx.change_details(change.seq)?;
            if filter.floor.is_some_and(|f| details.floor != Some(f))
                || filter.notable.is_some_and(|n| {
                    !notable_in(change.kind, change.op, &details.fields).contains(&n)
                })
            {
                continue;
            }
            found.push((change, details));
        }
        if examined >= MAX_EXAMINED && found.len() < limit {
            return Ok((found, (batch_end > 1).then_some(batch_end)));
        }
    }
}

fn person(
    rx: &Reader,
    scope: &Scope,
    known: &mut HashMap<UserId, Option<AuditPerson>>,
    id: UserId,
) -> Result<Option<AuditPerson>, StoreError> {
    if let Some(found) = known.get(&id) {
        return Ok(found.clone());
    }
    let found = people::user(rx, scope, id)?.map(|user| AuditPerson {
        id,
        name: user.name.as_str().to_owned(),
        role: user.role,
    });
    known.insert(id, found.clone());
    Ok(found)
}

/// What a person calls the changed record, read as it is now (a removed record still
/// reads; one of another store never does).
fn label(
    rx: &Reader,
    scope: &Scope,
    kind: EntityKind,
    id: u128,
) -> Result<Option<String>, StoreError> {
    Ok(match kind {
        EntityKind::Customer => customers::customer(rx, scope, CustomerId::from_u128(id))?
            .map(|c| c.name.as_str().to_owned()),
        EntityKind::Sale => sales::sale(rx, scope, SaleId::from_u128(id))?.map(|sale| {
            sale.invoice_no.map_or_else(
                || "bill not yet invoiced".to_owned(),
                |no| no.as_str().to_owned(),
            )
        }),
        EntityKind::Product => catalogue::product(rx, scope, ProductId::from_u128(id))?
            .map(|p| format!("{} · {}", p.sku.as_str(), p.name.as_str())),
        EntityKind::User | EntityKind::Session => {
            people::user(rx, scope, UserId::from_u128(id))?.map(|u| u.name.as_str().to_owned())
        }
        EntityKind::Floor => {
            org::floor(rx, scope, FloorId::from_u128(id))?.map(|f| f.name.as_str().to_owned())
        }
        EntityKind::Category => catalogue::category(rx, scope, CategoryId::from_u128(id))?
            .map(|c| c.name.as_str().to_owned()),
        _ => None,
    })
}
