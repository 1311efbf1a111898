//! Notifications: each person's bell (the unread count), their list, marking them read,
//! and the notifications the app writes in the transactions of what they are about
//! (a sale completed on a floor, a customer sent to a floor).
//!
//! Who sees one is decided once, by `NotificationAudience::includes`; the list, the
//! count and the live events all ask it.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Actor, Crm, Error};
use crate::domain::{
    Area, Customer, CustomerId, FloorId, Notification, NotificationAudience, NotificationContent,
    NotificationId, NotificationKind, Sale, SaleId, StoreId,
};
use crate::store::notifications::{self as repo, Audience};
use crate::store::{StoreError, Writer};

/// The most a list shows: the newest of what the store keeps.
pub const LIST_LIMIT: usize = 100;
/// The bell counts up to this and then shows "99+".
pub const UNREAD_CAP: u32 = 100;

/// A person's notifications, newest first, and how many they have not read.
#[derive(Debug, Clone)]
pub struct NotificationList {
    /// Each with whether it had been read before this list was asked for.
    pub items: Vec<(Notification, bool)>,
    pub unread: u32,
}

/// Which notifications to mark read: the ones named, or all of them when `ids` is left
/// out.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadInput {
    /// The notifications to mark read; leave it out to mark every one read.
    #[schema(max_items = 200)]
    pub ids: Option<Vec<Uuid>>,
}

/// The customer's page, as a notification links to it (`web::paths` checks that the
/// two agree; `app` does not know the web's routes).
pub fn customer_link(id: CustomerId) -> String {
    format!("/customers/{id}")
}

/// Pages a notification of the scheduler links to (`web::paths` checks them too).
pub const MY_DAY_LINK: &str = "/my-day";
pub const RATES_LINK: &str = "/rates";
pub const BACKUPS_LINK: &str = "/backups";
pub const PAIR_LINK: &str = "/pair";

/// The sale's page.
pub fn sale_link(id: SaleId) -> String {
    format!("/sales/{id}")
}

/// Whether `actor` is among `audience`.
pub fn sees(actor: &Actor, audience: NotificationAudience) -> bool {
    audience.includes(actor.role, actor.floor_id, actor.user_id)
}

impl Crm {
    /// The notifications `actor` sees, newest first, with the unread count.
    pub fn notifications(&self, actor: &Actor) -> Result<NotificationList, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.store_scope();
        let see = |a| sees(actor, a);
        let who = Audience {
            user: actor.user_id,
            sees: &see,
        };
        Ok(self.db.read(|rx| {
            Ok::<_, StoreError>(NotificationList {
                items: repo::list(rx, &scope, &who, LIST_LIMIT)?,
                unread: repo::unread_count(rx, &scope, &who, UNREAD_CAP)?,
            })
        })?)
    }

    /// How many notifications `actor` has not read (up to [`UNREAD_CAP`]): what the bell
    /// shows on every page, read from the index alone.
    pub fn unread_notifications(&self, actor: &Actor) -> Result<u32, Error> {
        if actor.require_read(Area::Activity).is_err() {
            return Ok(0);
        }
        let scope = actor.store_scope();
        let see = |a| sees(actor, a);
        let who = Audience {
            user: actor.user_id,
            sees: &see,
        };
        Ok(self
            .db
            .read(|rx| repo::unread_count(rx, &scope, &who, UNREAD_CAP))?)
    }

    /// One notification `actor` sees (any other, or another store's, is not found).
    pub fn notification(&self, actor: &Actor, id: NotificationId) -> Result<Notification, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.store_scope();
        self.db
            .read(|rx| repo::notification(rx, &scope, id))?
            .filter(|n| sees(actor, n.audience))
            .ok_or(Error::NotFound("notification"))
    }

    /// Marks the named notifications (or all) read for `actor`; returns what is still
    /// unread. Ids of notifications they do not see, or that are gone, change nothing.
    pub fn mark_notifications_read(
        &self,
        actor: &Actor,
        input: MarkReadInput,
    ) -> Result<u32, Error> {
        actor.require_write(Area::Activity)?;
        if input.ids.as_ref().is_some_and(|ids| ids.len() > 200) {
            return Err(Error::field(
                "ids",
                "name at most 200 notifications at once",
            ));
        }
        let (store, user) = (actor.store_id, actor.user_id);
        self.db.write(actor.author(), |w| match &input.ids {
            None => repo::mark_all_read(w, store, user),
            Some(ids) => {
                let ids: Vec<NotificationId> =
                    ids.iter().copied().map(NotificationId::from_uuid).collect();
                repo::mark_read(w, store, user, &ids)
            }
        })?;
        self.unread_notifications(actor)
    }
}

/// Writes a notification in the caller's transaction unless its dedupe key was made
/// before; returns whether it was written.
pub(crate) fn notify(
    w: &mut Writer,
    store: StoreId,
    audience: NotificationAudience,
    kind: NotificationKind,
    content: NotificationContent,
) -> Result<bool, StoreError> {
    let notification = Notification::new(store, audience, kind, content, w.now());
    repo::insert(w, &notification)
}

/// "Sale completed" for the Floor Managers of the sale's floor, in the completion's
/// own transaction.
pub(crate) fn sale_completed(
    w: &mut Writer,
    sale: &Sale,
    customer: &Customer,
    by: &Actor,
) -> Result<(), StoreError> {
    let invoice = sale.invoice_no.as_ref().map_or("", |n| n.as_str());
    let content = NotificationContent {
        title: format!("Sale completed: {invoice}"),
        body: format!(
            "{} for {} by {}",
            sale.payable(),
            customer.name.as_str(),
            by.name.as_str()
        ),
        link: Some(sale_link(sale.id)),
        urgent: false,
        dedupe_key: format!("sale-completed:{}", sale.id),
    };
    notify(
        w,
        sale.store_id,
        NotificationAudience::Floor(sale.floor_id),
        NotificationKind::SaleCompleted,
        content,
    )?;
    Ok(())
}

/// "Sent to your floor" for the Floor Managers of `floor`.
pub(crate) fn handed_off(
    w: &mut Writer,
    customer: &Customer,
    (floor, floor_name): (FloorId, &str),
    note: &str,
    by: &Actor,
) -> Result<(), StoreError> {
    let body = if note.is_empty() {
        format!("{} sent them to {floor_name}", by.name.as_str())
    } else {
        format!("{} sent them to {floor_name}: {note}", by.name.as_str())
    };
    let content = NotificationContent {
        title: format!("{} is coming to your floor", customer.name.as_str()),
        body,
        link: Some(customer_link(customer.id)),
        urgent: true,
        // Every hand-off is its own event: the time makes it unique.
        dedupe_key: format!(
            "hand-off:{}:{}:{}",
            customer.id,
            floor,
            w.now().as_microsecond()
        ),
    };
    notify(
        w,
        customer.store_id,
        NotificationAudience::Floor(floor),
        NotificationKind::HandOff,
        content,
    )?;
    Ok(())
}
