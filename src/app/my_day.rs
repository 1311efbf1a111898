//! "My day": one person's overdue and due-today follow-ups, and the coming week's
//! birthdays and anniversaries of their customers, each with a WhatsApp and a call link.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::{Customer, FollowUp, Phone};
use crate::store::activity::{self as repo, DueRange, OpenOf};
use crate::store::{PageRequest, Scope, Tables, customers, org};

/// Occasions from today through the six days after: a week.
pub const OCCASION_DAYS: i16 = 7;
const OCCASIONS_SHOWN: usize = 100;
const TASKS_SHOWN: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OccasionKind {
    Birthday,
    Anniversary,
}

/// Click-to-chat and click-to-call links for a customer's phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactLinks {
    /// `https://wa.me/919830012345?text=…` with the greeting filled in.
    pub whatsapp: String,
    /// `tel:+919830012345`.
    pub call: String,
}

impl ContactLinks {
    pub fn new(phone: &Phone, greeting: &str) -> Self {
        let number = phone.e164().trim_start_matches('+');
        Self {
            whatsapp: format!("https://wa.me/{number}?text={}", encode_component(greeting)),
            call: format!("tel:{}", phone.e164()),
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the text
/// survives in a query string whatever the language.
fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Debug, Clone)]
pub struct DayTask {
    pub follow_up: FollowUp,
    pub customer: Customer,
    pub contact: ContactLinks,
}

#[derive(Debug, Clone)]
pub struct Occasion {
    pub kind: OccasionKind,
    /// The day it falls on this time.
    pub date: Date,
    /// Years turned, or years married.
    pub years: i16,
    pub customer: Customer,
    pub contact: ContactLinks,
}

#[derive(Debug, Clone)]
pub struct MyDay {
    pub today: Date,
    /// Open follow-ups of this person due before today, oldest first.
    pub overdue: Vec<DayTask>,
    pub due_today: Vec<DayTask>,
    /// Birthdays and anniversaries this week, soonest first.
    pub occasions: Vec<Occasion>,
    /// How many occasions fall in the week; `occasions` holds the soonest of them.
    pub occasions_total: usize,
}

fn first_name(customer: &Customer) -> &str {
    let name = customer.name.as_str();
    name.split_whitespace().next().unwrap_or(name)
}

/// When `original`'s day and month next fall within the `days` days starting `today`;
/// a 29 February is kept on 28 February in other years.
fn within(original: Date, today: Date, days: i16) -> Option<Date> {
    let last = today.checked_add(jiff::Span::new().days(days - 1)).ok()?;
    [today.year(), today.year() + 1]
        .into_iter()
        .find_map(|year| {
            let day = Date::new(year, original.month(), original.day())
                .or_else(|_| Date::new(year, 2, 28))
                .ok()?;
            (day >= today && day <= last && year > original.year()).then_some(day)
        })
}

pub(super) fn midnight(date: Date, tz: &TimeZone) -> Result<i64, Error> {
    date.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_microsecond())
        .map_err(|e| Error::internal(format!("finding midnight of {date}"), e))
}

/// The birthdays and anniversaries of `scope`'s customers (a Floor Manager's are those
/// of their floor) in the `days` days from `today`, soonest first and then by name: the
/// first `shown` of them, each with its greeting links, and how many there are in all.
pub(super) fn occasions_within(
    rx: &impl Tables,
    scope: &Scope,
    store_name: &str,
    today: Date,
    days: i16,
    shown: usize,
) -> Result<(Vec<Occasion>, usize), Error> {
    let mut found = Vec::new();
    for offset in 0..days {
        let day = today
            .checked_add(jiff::Span::new().days(offset))
            .map_err(|e| Error::internal("counting the days ahead", e))?;
        let mut on_day = customers::customers_on_day(rx, scope, day.month(), day.day())?;
        // In a year without 29 February, those born on it are wished on the 28th.
        if day.month() == 2 && day.day() == 28 && !day.in_leap_year() {
            on_day.extend(customers::customers_on_day(rx, scope, 2, 29)?);
        }
        for (occasion, customer) in on_day {
            let (kind, original) = match occasion {
                customers::Occasion::Birthday => (OccasionKind::Birthday, customer.date_of_birth),
                customers::Occasion::Anniversary => {
                    (OccasionKind::Anniversary, customer.anniversary)
                }
            };
            if let Some(original) = original
                && let Some(date) = within(original, today, days)
            {
                found.push((kind, date, date.year() - original.year(), customer));
            }
        }
    }
    found.sort_by(|a, b| (a.1, a.3.name.as_str()).cmp(&(b.1, b.3.name.as_str())));
    let total = found.len();
    found.truncate(shown);
    let occasions = found
        .into_iter()
        .map(|(kind, date, years, customer)| {
            let wish = match kind {
                OccasionKind::Birthday => "birthday",
                OccasionKind::Anniversary => "anniversary",
            };
            let greeting = format!(
                "Happy {wish}, {}! Warm wishes from {store_name}.",
                first_name(&customer)
            );
            Occasion {
                kind,
                date,
                years,
                contact: ContactLinks::new(&customer.phone, &greeting),
                customer,
            }
        })
        .collect();
    Ok((occasions, total))
}

impl Crm {
    /// `today` is a date in the store's time zone (see [`Crm::today`]).
    pub fn my_day(&self, actor: &Actor, today: Date) -> Result<MyDay, Error> {
        actor.require_read(Area::Activity)?;
        let scope = actor.floor_scope()?;
        let store_scope = actor.store_scope();
        let tz = self.config.time_zone();
        let tomorrow = today
            .tomorrow()
            .map_err(|e| Error::internal("finding tomorrow's date", e))?;
        let (start, end) = (midnight(today, &tz)?, midnight(tomorrow, &tz)?);
        self.db.read(|rx| -> Result<MyDay, Error> {
            let store_name = org::store(rx, &store_scope)?
                .map(|s| s.name.to_string())
                .unwrap_or_default();
            let tasks = |from: i64, before: i64| -> Result<Vec<DayTask>, Error> {
                let request = PageRequest::first(TASKS_SHOWN);
                let due = DueRange { from, before };
                let open = OpenOf::Owner(actor.user_id);
                let page = repo::open_follow_ups(rx, &scope, open, due, |_| true, request)?;
                page.items
                    .into_iter()
                    .map(|follow_up| {
                        let customer =
                            customers::customer(rx, &store_scope, follow_up.customer_id)?
                                .ok_or_else(|| {
                                    Error::internal_message("a follow-up names a missing customer")
                                })?;
                        let greeting =
                            format!("Namaste {}! This is {store_name}.", first_name(&customer));
                        let contact = ContactLinks::new(&customer.phone, &greeting);
                        Ok(DayTask {
                            follow_up,
                            customer,
                            contact,
                        })
                    })
                    .collect()
            };
            let overdue = tasks(i64::MIN, start)?;
            let due_today = tasks(start, end)?;

            let (occasions, occasions_total) = occasions_within(
                rx,
                &scope,
                &store_name,
                today,
                OCCASION_DAYS,
                OCCASIONS_SHOWN,
            )?;
            Ok(MyDay {
                today,
                overdue,
                due_today,
                occasions,
                occasions_total,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn this_week(original: Date, today: Date) -> Option<Date> {
        within(original, today, OCCASION_DAYS)
    }

    #[test]
    fn links_carry_the_number_without_plus_and_an_encoded_greeting() {
        let phone = Phone::parse("98300 12345").unwrap();
        let links = ContactLinks::new(
            &phone,
            "Happy birthday, Ankit! Warm wishes from Sarkar & Sons.",
        );
        assert_eq!(
            links.whatsapp,
            "https://wa.me/919830012345?text=Happy%20birthday%2C%20Ankit%21%20Warm%20wishes%20from%20Sarkar%20%26%20Sons."
        );
        assert_eq!(links.call, "tel:+919830012345");
        assert_eq!(encode_component("শুভ"), "%E0%A6%B6%E0%A7%81%E0%A6%AD");
    }

    #[test]
    fn occasions_fall_in_the_week_from_today_across_the_new_year() {
        let today = date(2026, 12, 29);
        assert_eq!(this_week(date(1990, 1, 2), today), Some(date(2027, 1, 2)));
        assert_eq!(
            this_week(date(1990, 12, 29), today),
            Some(date(2026, 12, 29))
        );
        assert_eq!(this_week(date(1990, 1, 5), today), None, "a day too late");
        assert_eq!(this_week(date(1990, 12, 28), today), None, "yesterday");
        assert_eq!(
            this_week(date(1992, 2, 29), date(2027, 2, 25)),
            Some(date(2027, 2, 28))
        );
        assert_eq!(this_week(date(2026, 12, 30), today), None, "not a year yet");
    }
}
