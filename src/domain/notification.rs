//! Notifications: a short message for one person, one floor's managers, the admins or
//! everyone in the store, and the one rule that says who sees which.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::micros;
use super::{FloorId, NotificationId, StoreId, UserId, UserRole};

/// The longest title kept; longer ones are cut at a character boundary.
pub const TITLE_MAX_CHARS: usize = 120;
/// The longest body kept.
pub const BODY_MAX_CHARS: usize = 500;

/// Who a notification is for. Stored by variant index: only ever append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NotificationAudience {
    /// That one person.
    User(UserId),
    /// The Floor Managers of that floor.
    Floor(FloorId),
    /// The store's Business Admins.
    Admins,
    /// Every person of the store.
    Everyone,
}

impl NotificationAudience {
    /// Whether a person of the notification's store, with `role`, working on `floor`
    /// (a Floor Manager's floor; `None` for an admin) and signed in as `user`, sees it.
    /// The bell, the list and the live events all ask this, so they never disagree.
    pub fn includes(&self, role: UserRole, floor: Option<FloorId>, user: UserId) -> bool {
        match *self {
            NotificationAudience::User(id) => id == user,
            NotificationAudience::Floor(id) => role == UserRole::FloorManager && floor == Some(id),
            NotificationAudience::Admins => role == UserRole::BusinessAdmin,
            NotificationAudience::Everyone => true,
        }
    }

    /// The audience as two numbers, for the store's index (`(kind, id)`), so the bell
    /// counts without decoding records.
    pub fn to_key(self) -> (u8, u128) {
        match self {
            NotificationAudience::User(id) => (0, id.as_u128()),
            NotificationAudience::Floor(id) => (1, id.as_u128()),
            NotificationAudience::Admins => (2, 0),
            NotificationAudience::Everyone => (3, 0),
        }
    }

    /// The audience an index key names (`None` for a kind this build does not know).
    pub fn from_key((kind, id): (u8, u128)) -> Option<Self> {
        Some(match kind {
            0 => NotificationAudience::User(UserId::from_u128(id)),
            1 => NotificationAudience::Floor(FloorId::from_u128(id)),
            2 => NotificationAudience::Admins,
            3 => NotificationAudience::Everyone,
            _ => return None,
        })
    }
}

/// What a notification is about. Stored by variant index: only ever append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationKind {
    /// A customer (a walk-in) sent to a floor by another.
    HandOff,
    /// A sale completed on a floor.
    SaleCompleted,
    /// A follow-up of the person's is due now.
    FollowUpDue,
    /// A customer's birthday today.
    Birthday,
    /// The backups failed, or none has been made for too long.
    BackupProblem,
    /// The disk holding the data is nearly full.
    DiskNearlyFull,
    /// The box's certificate expires soon.
    CertificateExpiring,
    /// The day's metal rates were not set by opening time.
    RatesNotSet,
}

impl NotificationKind {
    /// How the list names the kind.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::HandOff => "Sent to your floor",
            NotificationKind::SaleCompleted => "Sale",
            NotificationKind::FollowUpDue => "Follow-up due",
            NotificationKind::Birthday => "Birthday",
            NotificationKind::BackupProblem => "Backups",
            NotificationKind::DiskNearlyFull => "Disk",
            NotificationKind::CertificateExpiring => "Certificate",
            NotificationKind::RatesNotSet => "Rates",
        }
    }
}

/// A notification as stored: made once, never changed (who has read it is kept apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub store_id: StoreId,
    pub audience: NotificationAudience,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// A path inside the app (`/customers/{id}`) where the thing it is about is seen.
    pub link: Option<String>,
    /// Shown as a toast as well as in the bell.
    pub urgent: bool,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    /// What makes it unique (`follow-up-due:{id}:{due}`): the same event never makes a
    /// second notification, however often it is looked for.
    pub dedupe_key: String,
}

impl Notification {
    /// A new notification made at `at`, its title and body cut to their limits, its
    /// link kept only when it is a path of this app.
    pub fn new(
        store_id: StoreId,
        audience: NotificationAudience,
        kind: NotificationKind,
        content: NotificationContent,
        at: Timestamp,
    ) -> Self {
        let link = content
            .link
            .filter(|l| l.starts_with('/') && !l.starts_with("//"));
        Self {
            id: NotificationId::created_at(at),
            store_id,
            audience,
            kind,
            title: cut(&content.title, TITLE_MAX_CHARS),
            body: cut(&content.body, BODY_MAX_CHARS),
            link,
            urgent: content.urgent,
            created_at: at,
            dedupe_key: content.dedupe_key,
        }
    }
}

/// What a notification says, and what keeps it from being made twice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NotificationContent {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub urgent: bool,
    pub dedupe_key: String,
}

fn cut(text: &str, max: usize) -> String {
    let trimmed = text.trim();
    match trimmed.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &trimmed[..at]),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_audience_reaches_exactly_its_people() {
        let (f1, f2) = (FloorId::new(), FloorId::new());
        let (me, other) = (UserId::new(), UserId::new());
        let admin = (UserRole::BusinessAdmin, None);
        let fm1 = (UserRole::FloorManager, Some(f1));
        let fm2 = (UserRole::FloorManager, Some(f2));
        let sees = |a: NotificationAudience, (role, floor): (UserRole, Option<FloorId>), u| {
            a.includes(role, floor, u)
        };
        assert!(sees(NotificationAudience::Floor(f1), fm1, me));
        assert!(!sees(NotificationAudience::Floor(f1), fm2, me));
        assert!(!sees(NotificationAudience::Floor(f1), admin, me));
        assert!(sees(NotificationAudience::Admins, admin, me));
        assert!(!sees(NotificationAudience::Admins, fm1, me));
        assert!(sees(NotificationAudience::User(me), fm2, me));
        assert!(!sees(NotificationAudience::User(me), admin, other));
        for who in [admin, fm1, fm2] {
            assert!(sees(NotificationAudience::Everyone, who, other));
        }
    }

    #[test]
    fn keys_go_there_and_back() {
        for a in [
            NotificationAudience::User(UserId::new()),
            NotificationAudience::Floor(FloorId::new()),
            NotificationAudience::Admins,
            NotificationAudience::Everyone,
        ] {
            assert_eq!(NotificationAudience::from_key(a.to_key()), Some(a));
        }
    }

    #[test]
    fn long_text_is_cut_and_foreign_links_dropped() {
        let content = NotificationContent {
            title: "অ".repeat(300),
            link: Some("//evil.example/".into()),
            ..Default::default()
        };
        let n = Notification::new(
            StoreId::new(),
            NotificationAudience::Everyone,
            NotificationKind::Birthday,
            content,
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(n.title.chars().count(), TITLE_MAX_CHARS + 1);
        assert_eq!(n.link, None);
    }
}
