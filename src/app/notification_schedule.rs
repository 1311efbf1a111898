//! The notification scheduler on the box: follow-ups that fall due, today's birthdays and
//! the missing rates at opening time, and the system alerts for the admins.
//!
//! Every notification it writes carries a dedupe key (`follow-up-due:{id}:{due}`,
//! `birthday:{customer}:{day}`, `alert:{kind}:{day}`) checked in the same write
//! transaction, so a pass can run any number of times (after a restart, after a crash
//! between passes) and each event still notifies once. A follow-up that fell due while
//! the server was stopped fires on the first pass after start, if it is no more than
//! [`LOOK_BACK`] overdue by then.

use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use super::notifications::{
    BACKUPS_LINK, MY_DAY_LINK, PAIR_LINK, RATES_LINK, customer_link, notify,
};
use super::{Crm, Error};
use crate::domain::{
    NotificationAudience as To, NotificationContent, NotificationKind as Kind, StoreId,
    board_purities, format_date_time,
};
use crate::store::activity::{self as activity_repo, DueRange, OpenOf};
use crate::store::customers::{Occasion, customers_on_day};
use crate::store::notifications::{already_made, every_store};
use crate::store::{Author, EntityKind, PageRequest, Scope, StoreError, customers, rates};

/// How long overdue a follow-up may be and still fire (after a long stop, older ones
/// are on My day, not in the bell).
pub const LOOK_BACK: SignedDuration = SignedDuration::from_hours(7 * 24);
/// The longest the scheduler sleeps between passes.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60);
/// Follow-ups fired in one write at most; the next pass takes the rest.
const PER_PASS: u32 = 500;
/// Birthdays announced one by one per store per day; more are summed up in one.
const BIRTHDAYS_ONE_BY_ONE: usize = 20;
/// Free space under which the admins are told the disk is nearly full.
pub const DISK_NEARLY_FULL_BYTES: u64 = 5 * 1024 * 1024 * 1024;
/// How long before its expiry the admins are told about the certificate.
pub const CERTIFICATE_WARNING: SignedDuration = SignedDuration::from_hours(30 * 24);

/// What the box itself looks like, measured by the caller (the server's top level,
/// which knows the data directory): `None` where it could not be measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemReadings {
    pub free_disk_bytes: Option<u64>,
    pub certificate_expires: Option<Timestamp>,
}

/// Measures the box, on the blocking pool.
pub type Readings = Arc<dyn Fn() -> SystemReadings + Send + Sync>;

impl Crm {
    /// One pass of the scheduler at `now`, over every store on the box; returns when
    /// the next thing falls due (a follow-up, or the next opening time).
    pub fn fire_due_notifications(
        &self,
        now: Timestamp,
        readings: &SystemReadings,
    ) -> Result<Timestamp, Error> {
        let zone = self.config.time_zone();
        let today = now.to_zoned_datetime(zone.clone()).date();
        let opening = self.config.notifications.opening();
        let opens_today = today
            .to_datetime(opening)
            .to_zoned_datetime(zone.clone())
            .map_or(now, |z| z.timestamp());
        let mut next = if now < opens_today {
            opens_today
        } else {
            today
                .tomorrow()
                .ok()
                .and_then(|d| d.to_datetime(opening).to_zoned_datetime(zone.clone()).ok())
                .map_or(now, |z| z.timestamp())
        };
        for store in self.db.read(every_store)? {
            if let Some(due) = self.fire_follow_ups(store, now)? {
                next = next.min(due);
            }
            if now >= opens_today {
                self.open_the_day(store, today)?;
            }
            self.raise_system_alerts(store, today, now, readings)?;
        }
        Ok(next)
    }

    /// Notifies the owners of the store's open follow-ups due by `now` (within
    /// [`LOOK_BACK`]) that have not fired; returns when the next one is due.
    fn fire_follow_ups(&self, store: StoreId, now: Timestamp) -> Result<Option<Timestamp>, Error> {
        let scope = Scope::store(store);
        let zone = self.config.time_zone();
        let due_now = DueRange {
            from: (now - LOOK_BACK).as_microsecond(),
            before: now.as_microsecond().saturating_add(1),
        };
        let (due, next) = self.db.read(|rx| {
            let page = activity_repo::open_follow_ups(
                rx,
                &scope,
                OpenOf::Scope,
                due_now,
                |f| matches!(already_made(rx, store, &follow_up_key(f)), Ok(false)),
                PageRequest::first(PER_PASS),
            )?;
            let mut due = Vec::new();
            for f in page.items {
                let name = customers::customer(rx, &scope, f.customer_id)?
                    .map(|c| c.name.as_str().to_owned())
                    .unwrap_or_default();
                due.push((f, name));
            }
            let later = DueRange {
                from: due_now.before,
                before: i64::MAX,
            };
            let next = activity_repo::open_follow_ups(
                rx,
                &scope,
                OpenOf::Scope,
                later,
                |_| true,
                PageRequest::first(1),
            )?;
            Ok::<_, StoreError>((due, next.items.first().map(|f| f.due_at)))
        })?;
        if !due.is_empty() {
            self.db.write(Author::default(), |w| {
                for (f, name) in &due {
                    let content = NotificationContent {
                        title: format!("Follow-up due: {name}"),
                        body: format!(
                            "{} due {}{}",
                            f.kind.as_str().replace('_', " ").to_lowercase(),
                            format_date_time(f.due_at, &zone),
                            if f.notes.is_empty() {
                                String::new()
                            } else {
                                format!(" — {}", f.notes.as_str())
                            }
                        ),
                        link: Some(customer_link(f.customer_id)),
                        urgent: true,
                        dedupe_key: follow_up_key(f),
                    };
                    notify(w, store, To::User(f.owner_id), Kind::FollowUpDue, content)?;
                }
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(next)
    }

    /// At opening time: today's birthdays, and the admins told if no rate is set today.
    fn open_the_day(&self, store: StoreId, today: Date) -> Result<(), Error> {
        let scope = Scope::store(store);
        let zone = self.config.time_zone();
        let summary_key = format!("birthdays:{store}:{today}");
        let (birthdays, summary, rates_alert) = self.db.read(|rx| {
            let mut birthdays: Vec<_> = customers_on_day(rx, &scope, today.month(), today.day())?
                .into_iter()
                .filter(|(occasion, _)| *occasion == Occasion::Birthday)
                .map(|(_, c)| c)
                .collect();
            birthdays.sort_by_key(|c| c.id);
            let more = birthdays.len().saturating_sub(BIRTHDAYS_ONE_BY_ONE);
            let mut rates_set = false;
            for purity in board_purities() {
                if let Some(rate) = rates::current_rate(rx, &scope, purity)?
                    && rate.set_at.to_zoned_datetime(zone.clone()).date() == today
                {
                    rates_set = true;
                    break;
                }
            }
            // Only what has not been said yet: a pass that finds nothing new writes nothing.
            let mut fresh = Vec::new();
            for c in birthdays.into_iter().take(BIRTHDAYS_ONE_BY_ONE) {
                if !already_made(rx, store, &birthday_key(c.id, today))? {
                    fresh.push(c);
                }
            }
            let summary = more > 0 && !already_made(rx, store, &summary_key)?;
            let rates_alert = !rates_set && !already_made(rx, store, &rates_key(today))?;
            Ok::<_, StoreError>((fresh, summary, rates_alert))
        })?;
        if birthdays.is_empty() && !summary && !rates_alert {
            return Ok(());
        }
        self.db.write(Author::default(), |w| {
            for c in &birthdays {
                let content = NotificationContent {
                    title: format!("Birthday today: {}", c.name.as_str()),
                    body: "Wish them a happy birthday; a call or a WhatsApp message goes a long way."
                        .into(),
                    link: Some(customer_link(c.id)),
                    urgent: false,
                    dedupe_key: birthday_key(c.id, today),
                };
                let to = c.home_floor_id.map_or(To::Everyone, To::Floor);
                notify(w, store, to, Kind::Birthday, content)?;
            }
            if summary {
                let content = NotificationContent {
                    title: "More birthdays today".into(),
                    body: "See them all on My day.".into(),
                    link: Some(MY_DAY_LINK.into()),
                    urgent: false,
                    dedupe_key: summary_key.clone(),
                };
                notify(w, store, To::Everyone, Kind::Birthday, content)?;
            }
            if rates_alert {
                let content = NotificationContent {
                    title: "Today's metal rates are not set".into(),
                    body: "The store is open and prices still use an earlier day's rates. Set today's rates.".into(),
                    link: Some(RATES_LINK.into()),
                    urgent: true,
                    dedupe_key: rates_key(today),
                };
                notify(w, store, To::Admins, Kind::RatesNotSet, content)?;
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// Backups failing or behind, the disk nearly full, the certificate near expiry:
    /// each told to the admins once a day while it lasts.
    fn raise_system_alerts(
        &self,
        store: StoreId,
        today: Date,
        now: Timestamp,
        readings: &SystemReadings,
    ) -> Result<(), Error> {
        let mut alerts = Vec::new();
        let backups = self.backup_vitals();
        if backups.configured {
            let failed = backups.snapshot_error.clone().or_else(|| {
                backups
                    .destinations
                    .iter()
                    .find_map(|d| d.last_error.as_ref().map(|e| format!("{}: {e}", d.name)))
            });
            let behind = backups.destinations.iter().any(|d| d.overdue);
            if failed.is_some() || behind {
                let body = failed.unwrap_or_else(|| {
                    format!(
                        "No whole backup in the last {} hours.",
                        backups.warn_after_hours
                    )
                });
                alerts.push((
                    Kind::BackupProblem,
                    "backup",
                    "Backups need attention",
                    body,
                    BACKUPS_LINK,
                ));
            }
        }
        if let Some(free) = readings.free_disk_bytes
            && free < DISK_NEARLY_FULL_BYTES
        {
            let body = format!(
                "{} free on the disk that holds the data. Make room, or the store will stop saving.",
                crate::domain::format_size(free)
            );
            alerts.push((
                Kind::DiskNearlyFull,
                "disk",
                "The disk is nearly full",
                body,
                BACKUPS_LINK,
            ));
        }
        if let Some(expires) = readings.certificate_expires
            && expires - now < CERTIFICATE_WARNING
        {
            let body = format!(
                "The box's certificate expires {}; restart the server to make a new one.",
                format_date_time(expires, &self.config.time_zone())
            );
            alerts.push((
                Kind::CertificateExpiring,
                "certificate",
                "The certificate expires soon",
                body,
                PAIR_LINK,
            ));
        }
        let alerts = self.db.read(|rx| {
            let mut fresh = Vec::new();
            for alert in alerts {
                if !already_made(rx, store, &format!("alert:{}:{today}", alert.1))? {
                    fresh.push(alert);
                }
            }
            Ok::<_, StoreError>(fresh)
        })?;
        if alerts.is_empty() {
            return Ok(());
        }
        self.db.write(Author::default(), |w| {
            for (kind, key, title, body, link) in alerts {
                let content = NotificationContent {
                    title: title.into(),
                    body,
                    link: Some(link.into()),
                    urgent: true,
                    dedupe_key: format!("alert:{key}:{today}"),
                };
                notify(w, store, To::Admins, kind, content)?;
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// Whether a change after `after` touched follow-ups or stores (which may bring a
    /// new due time); reads at most a thousand log entries.
    fn schedule_changed(&self, after: u64) -> Result<bool, Error> {
        let changes = self.db.read(|rx| rx.changes_after(after, 1_000))?;
        Ok(changes.len() == 1_000
            || changes
                .iter()
                .any(|c| matches!(c.kind, EntityKind::FollowUp | EntityKind::Store)))
    }
}

fn birthday_key(customer: crate::domain::CustomerId, day: Date) -> String {
    format!("birthday:{customer}:{day}")
}

fn rates_key(day: Date) -> String {
    format!("alert:rates-not-set:{day}")
}

/// What makes a follow-up's "due" notification unique: a rescheduled one fires again at
/// its new time.
fn follow_up_key(f: &crate::domain::FollowUp) -> String {
    format!("follow-up-due:{}:{}", f.id, f.due_at.as_microsecond())
}

/// Runs the scheduler until `stopped` changes: a pass at once (catching up on what fell
/// due while the server was stopped), then one whenever the next thing falls due, at
/// least every [`LONGEST_WAIT`], and soon after follow-ups change.
pub async fn run_schedule(crm: Crm, readings: Readings, mut stopped: watch::Receiver<()>) {
    let mut commits = crm.db().subscribe();
    let mut seen = *commits.borrow_and_update();
    loop {
        let measure = readings.clone();
        let pass = crm
            .run(move |crm| {
                let now = crate::domain::now();
                let next = crm.fire_due_notifications(now, &measure())?;
                Ok(next - now)
            })
            .await;
        let wait = match pass {
            Ok(until) => Duration::try_from(until)
                .unwrap_or(Duration::ZERO)
                .min(LONGEST_WAIT),
            Err(err) => {
                tracing::warn!(error = %err, "the notification scheduler could not look for due work");
                LONGEST_WAIT
            }
        };
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                _ = stopped.changed() => return,
                () = tokio::time::sleep_until(deadline) => break,
                changed = commits.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let after = seen;
                    seen = *commits.borrow_and_update();
                    let relevant = crm.run(move |crm| crm.schedule_changed(after)).await;
                    if relevant.unwrap_or(true) {
                        // Let a burst of changes settle into one pass.
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        break;
                    }
                }
            }
        }
    }
}
