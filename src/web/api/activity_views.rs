//! The JSON shapes of interactions, follow-ups, the customer timeline and My day.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::CustomerJson;
use crate::app::{
    ContactLinks, DayTask, MyDay, Occasion, OccasionKind, TimelineEntry, TimelineEvent, WalkIn,
};
use crate::domain::{
    Customer, FollowUp, FollowUpStatus, FollowUpType, Interaction, InteractionType, Sale,
    SaleStatus,
};

fn time(at: jiff::Timestamp) -> String {
    at.to_string()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionJson {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub floor_id: Uuid,
    #[serde(rename = "type")]
    pub kind: InteractionType,
    pub notes: String,
    pub outcome: String,
    /// The sale a SALE interaction was logged for.
    pub sale_id: Option<Uuid>,
    /// Who recorded it.
    pub staff_id: Uuid,
    pub occurred_at: String,
    pub created_at: String,
}

impl From<Interaction> for InteractionJson {
    fn from(i: Interaction) -> Self {
        Self {
            id: i.id.as_uuid(),
            customer_id: i.customer_id.as_uuid(),
            floor_id: i.floor_id.as_uuid(),
            kind: i.kind,
            notes: i.notes.to_string(),
            outcome: i.outcome.to_string(),
            sale_id: i.sale_id.map(|s| s.as_uuid()),
            staff_id: i.staff_id.as_uuid(),
            occurred_at: time(i.occurred_at),
            created_at: time(i.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpJson {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub floor_id: Uuid,
    #[serde(rename = "type")]
    pub kind: FollowUpType,
    pub status: FollowUpStatus,
    pub due_at: String,
    pub owner_id: Uuid,
    pub notes: String,
    pub outcome: String,
    pub completed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<FollowUp> for FollowUpJson {
    fn from(f: FollowUp) -> Self {
        Self {
            id: f.id.as_uuid(),
            customer_id: f.customer_id.as_uuid(),
            floor_id: f.floor_id.as_uuid(),
            kind: f.kind,
            status: f.status,
            due_at: time(f.due_at),
            owner_id: f.owner_id.as_uuid(),
            notes: f.notes.to_string(),
            outcome: f.outcome.to_string(),
            completed_at: f.completed_at.map(time),
            created_at: time(f.created_at),
            updated_at: time(f.updated_at),
        }
    }
}

/// A logged walk-in and the customer it was logged on.
#[derive(Debug, Serialize, ToSchema)]
pub struct WalkInJson {
    pub customer: CustomerJson,
    pub interaction: InteractionJson,
    /// `true` when the phone number was new and the customer was added as a PROSPECT.
    pub new_customer: bool,
}

impl From<WalkIn> for WalkInJson {
    fn from(w: WalkIn) -> Self {
        Self {
            customer: CustomerJson::new(w.customer, w.value),
            interaction: w.interaction.into(),
            new_customer: w.new_customer,
        }
    }
}

/// A sale as the timeline shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SaleBriefJson {
    pub id: Uuid,
    pub invoice_no: Option<String>,
    pub status: SaleStatus,
    pub total_paise: i64,
    pub floor_id: Uuid,
    pub created_at: String,
    pub completed_at: Option<String>,
}

impl From<Sale> for SaleBriefJson {
    fn from(s: Sale) -> Self {
        Self {
            id: s.id.as_uuid(),
            invoice_no: s.invoice_no.map(|n| n.as_str().to_owned()),
            status: s.status,
            total_paise: s.total.get(),
            floor_id: s.floor_id.as_uuid(),
            created_at: time(s.created_at),
            completed_at: s.completed_at.map(time),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimelineKind {
    Interaction,
    FollowUp,
    Sale,
    CustomerAdded,
    CustomerChanged,
    CustomerRemoved,
    /// Another customer's record was merged into this one (`merge` says which).
    Merge,
    /// A document was kept for the customer (`document` says which).
    DocumentAdded,
    /// Someone opened or downloaded one of the customer's documents.
    DocumentViewed,
}

/// A customer's document on the timeline: which one, and who added or opened it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentEventJson {
    pub id: Uuid,
    /// `pan_card`, `form_60`, `address_proof`, `signed_estimate` or `other_document`.
    pub kind: crate::domain::FileKind,
    pub name: String,
    /// Who added it, or who opened it.
    pub by: Uuid,
    /// For a view: whether it was downloaded rather than shown.
    pub download: bool,
}

/// One entry: `kind` says which of `interaction`, `follow_up` or `sale` is present
/// (none for the customer record's own changes).
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntryJson {
    /// When it happened; an open follow-up sits at its due time.
    pub at: String,
    pub kind: TimelineKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction: Option<InteractionJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sale: Option<SaleBriefJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<super::customer_merge::MergeJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentEventJson>,
}

impl From<TimelineEntry> for TimelineEntryJson {
    fn from(e: TimelineEntry) -> Self {
        let mut out = Self {
            at: time(e.at),
            kind: TimelineKind::CustomerAdded,
            interaction: None,
            follow_up: None,
            sale: None,
            merge: None,
            document: None,
        };
        match e.event {
            TimelineEvent::Interaction(i) => {
                out.kind = TimelineKind::Interaction;
                out.interaction = Some(i.into());
            }
            TimelineEvent::FollowUp(f) => {
                out.kind = TimelineKind::FollowUp;
                out.follow_up = Some(f.into());
            }
            TimelineEvent::Sale(s) => {
                out.kind = TimelineKind::Sale;
                out.sale = Some(s.into());
            }
            TimelineEvent::CustomerAdded => out.kind = TimelineKind::CustomerAdded,
            TimelineEvent::CustomerChanged => out.kind = TimelineKind::CustomerChanged,
            TimelineEvent::CustomerRemoved => out.kind = TimelineKind::CustomerRemoved,
            TimelineEvent::Merged(m) => {
                out.kind = TimelineKind::Merge;
                out.merge = Some(m.into());
            }
            TimelineEvent::DocumentAdded(f) => {
                out.kind = TimelineKind::DocumentAdded;
                out.document = Some(DocumentEventJson {
                    id: f.id.as_uuid(),
                    kind: f.kind,
                    name: f.name.to_string(),
                    by: f.added_by.as_uuid(),
                    download: false,
                });
            }
            TimelineEvent::DocumentViewed(v) => {
                out.kind = TimelineKind::DocumentViewed;
                out.document = Some(DocumentEventJson {
                    id: v.file_id.as_uuid(),
                    kind: v.kind,
                    name: v.name.to_string(),
                    by: v.by.as_uuid(),
                    download: v.download,
                });
            }
        }
        out
    }
}

/// Who a My-day item is about, with what a tablet needs to reach them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerBriefJson {
    pub id: Uuid,
    /// `C-000123`.
    pub code: String,
    pub name: String,
    /// E.164.
    pub phone: String,
    /// `https://wa.me/<number>?text=<greeting>`.
    pub whatsapp_url: String,
    /// `tel:+91…`.
    pub call_url: String,
}

fn brief(c: &Customer, contact: ContactLinks) -> CustomerBriefJson {
    CustomerBriefJson {
        id: c.id.as_uuid(),
        code: c.code(),
        name: c.name.to_string(),
        phone: c.phone.e164().to_owned(),
        whatsapp_url: contact.whatsapp,
        call_url: contact.call,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskJson {
    pub follow_up: FollowUpJson,
    pub customer: CustomerBriefJson,
}

impl From<DayTask> for TaskJson {
    fn from(t: DayTask) -> Self {
        Self {
            customer: brief(&t.customer, t.contact),
            follow_up: t.follow_up.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccasionJson {
    pub kind: OccasionKind,
    /// The day it falls on this week (`YYYY-MM-DD`).
    pub date: String,
    /// Years turned, or years married.
    pub years: i16,
    pub customer: CustomerBriefJson,
}

impl From<Occasion> for OccasionJson {
    fn from(o: Occasion) -> Self {
        Self {
            kind: o.kind,
            date: o.date.to_string(),
            years: o.years,
            customer: brief(&o.customer, o.contact),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyDayJson {
    /// Today in the store's time zone.
    pub date: String,
    /// Your open follow-ups due before today, oldest first.
    pub overdue: Vec<TaskJson>,
    pub due_today: Vec<TaskJson>,
    /// Birthdays and anniversaries from today through the next six days, soonest first:
    /// the whole store's for an admin, your floor's customers for a Floor Manager.
    pub occasions: Vec<OccasionJson>,
    /// How many occasions fall in the week; `occasions` lists the soonest 100.
    pub occasions_total: usize,
}

impl From<MyDay> for MyDayJson {
    fn from(d: MyDay) -> Self {
        Self {
            date: d.today.to_string(),
            overdue: d.overdue.into_iter().map(Into::into).collect(),
            due_today: d.due_today.into_iter().map(Into::into).collect(),
            occasions_total: d.occasions_total,
            occasions: d.occasions.into_iter().map(Into::into).collect(),
        }
    }
}
