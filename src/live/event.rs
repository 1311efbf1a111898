//! One change as the streams send it: its audience and its Server-Sent Events frame,
//! both made once when the change is published and shared by every stream.

use bytes::Bytes;
use serde::Serialize;
use uuid::Uuid;

use super::audience::{Audience, Who};
use crate::domain::{
    Area, CustomerId, FileId, FileOwner, FollowUpId, InteractionId, NotificationAudience,
    NotificationId, ProductId, SaleId,
};
use crate::store::{
    Change, ChangeOp, EntityKind, Reader, Scope, StoreError, activity, catalogue, customers, files,
    notifications, sales,
};

/// A published change: who may see it, and the bytes to send them.
#[derive(Debug)]
pub struct LiveEvent {
    pub seq: u64,
    pub audience: Audience,
    /// `id: …`, `event: …`, `data: …` and the blank line that ends an event.
    pub frame: Bytes,
}

/// What a page needs to decide whether to redraw: the change, and the record's floor
/// and customer where it has them, plus a few figures of a sale or a piece.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    seq: u64,
    kind: &'static str,
    op: &'static str,
    id: Uuid,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    floor: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<Uuid>,
    /// A photo's product.
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_paise: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    /// Pieces of a product left in stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    stock: Option<u32>,
    /// A notification's words, where it leads, and whether it is shown as a toast.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    urgent: Option<bool>,
}

/// The event name a page listens for (`sse:sale` in htmx).
pub fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Store => "store",
        EntityKind::Floor => "floor",
        EntityKind::User => "user",
        EntityKind::Session => "session",
        EntityKind::Category => "category",
        EntityKind::Product => "product",
        EntityKind::Customer => "customer",
        EntityKind::Interaction => "interaction",
        EntityKind::FollowUp => "follow-up",
        EntityKind::Sale => "sale",
        EntityKind::Preference => "preference",
        EntityKind::Rate => "rate",
        EntityKind::ApiKey => "api-key",
        EntityKind::Notification => "notification",
        EntityKind::Import => "import",
        EntityKind::CustomerMerge => "customer-merge",
        EntityKind::File => "file",
    }
}

fn op_name(op: ChangeOp) -> &'static str {
    match op {
        ChangeOp::Created => "created",
        ChangeOp::Updated => "updated",
        ChangeOp::Deleted => "deleted",
        ChangeOp::Restored => "restored",
        ChangeOp::SignedIn => "signed-in",
        ChangeOp::SignedOut => "signed-out",
        ChangeOp::PasswordChanged => "password-changed",
        ChangeOp::Revoked => "revoked",
        ChangeOp::Viewed => "viewed",
    }
}

/// The events of `changes`, read in one transaction: each changed record is read once
/// to learn its floor (and so its audience) and the figures the payload carries.
/// Changes no one may see (sign-ins) become no event.
pub fn events_for(rx: &Reader, changes: &[Change]) -> Result<Vec<LiveEvent>, StoreError> {
    let mut events = Vec::with_capacity(changes.len());
    for change in changes {
        if let Some(event) = event_for(rx, change)? {
            events.push(event);
        }
    }
    Ok(events)
}

fn event_for(rx: &Reader, change: &Change) -> Result<Option<LiveEvent>, StoreError> {
    let store = change.store_id;
    let scope = Scope::store(store);
    let audience = |who, area| Audience { store, who, area };
    let mut payload = Payload {
        seq: change.seq,
        kind: kind_name(change.kind),
        op: op_name(change.op),
        id: Uuid::from_u128(change.id),
        at: change.at.to_string(),
        floor: None,
        customer: None,
        product: None,
        status: None,
        invoice: None,
        total_paise: None,
        name: None,
        stock: None,
        title: None,
        body: None,
        link: None,
        urgent: None,
    };
    let sale;
    let customer;
    let product;
    let notice;
    let seen = match change.kind {
        // Sign-ins are never broadcast; an import's page follows its own progress, and
        // the records it writes are sent as they are written.
        EntityKind::Session | EntityKind::Import => return Ok(None),
        EntityKind::Store | EntityKind::Floor => audience(Who::Everyone, None),
        EntityKind::User | EntityKind::ApiKey => audience(Who::Admins, None),
        EntityKind::Rate => audience(Who::Everyone, Some(Area::Rates)),
        EntityKind::Category => audience(Who::Everyone, Some(Area::Catalogue)),
        EntityKind::Preference | EntityKind::CustomerMerge => {
            audience(Who::Everyone, Some(Area::Customers))
        }
        EntityKind::Product => {
            product = catalogue::product_for_indexing(rx, ProductId::from_u128(change.id))?;
            if let Some(product) = &product {
                payload.floor = Some(product.floor_id.as_uuid());
                payload.name = Some(product.sku.as_str());
                payload.stock = Some(product.stock_qty);
            }
            audience(Who::Everyone, Some(Area::Catalogue))
        }
        EntityKind::Customer => {
            customer = customers::customer(rx, &scope, CustomerId::from_u128(change.id))?;
            if let Some(customer) = &customer {
                payload.customer = Some(customer.id.as_uuid());
                payload.name = Some(customer.name.as_str());
            }
            audience(Who::Everyone, Some(Area::Customers))
        }
        EntityKind::Sale => {
            sale = sales::sale(rx, &scope, SaleId::from_u128(change.id))?;
            match &sale {
                Some(sale) => {
                    payload.floor = Some(sale.floor_id.as_uuid());
                    payload.customer = Some(sale.customer_id.as_uuid());
                    payload.status = Some(sale.status.as_str());
                    payload.invoice = sale.invoice_no.as_ref().map(|no| no.as_str());
                    payload.total_paise = Some(sale.total.get());
                    audience(Who::Floor(sale.floor_id), Some(Area::Sales))
                }
                None => audience(Who::Nobody, None),
            }
        }
        EntityKind::Notification => {
            notice = notifications::notification(rx, &scope, NotificationId::from_u128(change.id))?;
            match &notice {
                Some(notice) => {
                    payload.title = Some(notice.title.as_str());
                    payload.body = Some(notice.body.as_str());
                    payload.link = notice.link.as_deref();
                    payload.urgent = Some(notice.urgent);
                    // The same people as `NotificationAudience::includes` names.
                    let who = match notice.audience {
                        NotificationAudience::User(user) => Who::Person(user),
                        NotificationAudience::Floor(floor) => Who::FloorOnly(floor),
                        NotificationAudience::Admins => Who::Admins,
                        NotificationAudience::Everyone => Who::EveryPerson,
                    };
                    audience(who, None)
                }
                None => audience(Who::Nobody, None),
            }
        }
        EntityKind::Interaction => {
            match activity::interaction(rx, &scope, InteractionId::from_u128(change.id))? {
                Some(found) => {
                    payload.floor = Some(found.floor_id.as_uuid());
                    payload.customer = Some(found.customer_id.as_uuid());
                    audience(Who::Floor(found.floor_id), Some(Area::Activity))
                }
                None => audience(Who::Nobody, None),
            }
        }
        // A photo or the logo is the catalogue's and the store's; a customer's
        // document (and each view of it) only its readers': the admins and the
        // customer's home floor.
        EntityKind::File => match files::file(rx, &scope, FileId::from_u128(change.id))? {
            Some(file) => match file.owner {
                FileOwner::Product(id) => {
                    payload.product = Some(id.as_uuid());
                    audience(Who::Everyone, Some(Area::Catalogue))
                }
                FileOwner::Store => audience(Who::Everyone, None),
                FileOwner::Customer(id) => {
                    payload.customer = Some(id.as_uuid());
                    match customers::customer(rx, &scope, id)?.and_then(|c| c.home_floor_id) {
                        Some(floor) => audience(Who::Floor(floor), Some(Area::Customers)),
                        None => audience(Who::Admins, None),
                    }
                }
            },
            None => audience(Who::Nobody, None),
        },
        EntityKind::FollowUp => {
            match activity::follow_up(rx, &scope, FollowUpId::from_u128(change.id))? {
                Some(found) => {
                    payload.floor = Some(found.floor_id.as_uuid());
                    payload.customer = Some(found.customer_id.as_uuid());
                    payload.status = Some(found.status.as_str());
                    audience(Who::Floor(found.floor_id), Some(Area::Activity))
                }
                None => audience(Who::Nobody, None),
            }
        }
    };
    if seen.who == Who::Nobody {
        return Ok(None);
    }
    Ok(Some(LiveEvent {
        seq: change.seq,
        audience: seen,
        frame: frame(change.seq, payload.kind, &payload),
    }))
}

/// One Server-Sent Events frame. The JSON has no line breaks, so `data:` is one line.
fn frame(seq: u64, name: &str, data: &impl Serialize) -> Bytes {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_owned());
    Bytes::from(format!("id: {seq}\nevent: {name}\ndata: {json}\n\n"))
}

/// What a stream sends when it cannot say exactly what was missed (the client's last
/// event is older than the box keeps, or from before a restore): redraw everything.
/// Its `id` is the newest published change, so the next reconnect carries on from it.
pub fn resync_frame(through: u64) -> Bytes {
    Bytes::from(format!(
        "id: {through}\nevent: resync\ndata: {{\"seq\":{through}}}\n\n"
    ))
}

/// Said first on every stream: how long a browser waits before reconnecting.
pub const RETRY_FRAME: &[u8] = b"retry: 3000\n\n";
/// A comment line: keeps Wi-Fi access points and the server's idle watch from closing
/// a quiet stream. Browsers ignore it.
pub const HEARTBEAT_FRAME: &[u8] = b": keep-alive\n\n";
