//! Demo timelines: walk-ins, calls and enquiries over the past years, today's first
//! walk-ins, and follow-ups as a floor keeps them (most done, a few overdue, some due
//! today and more in the coming weeks), each created before the run.

use jiff::Timestamp;
use rand::RngExt;
use rand::rngs::StdRng;

use super::BATCH;
use super::calendar::daily_boards;
use super::clock::Clock;
use super::people::Made;
use crate::app::Error;
use crate::domain::{
    FloorId, FollowUp, FollowUpId, FollowUpStatus, FollowUpType, Interaction, InteractionId,
    InteractionType, StoreId, Text, UserId,
};
use crate::store::{Db, activity as repo, rates as rates_repo};

/// A floor and the manager who works it.
#[derive(Debug, Clone, Copy)]
pub struct Staff {
    pub floor: FloorId,
    pub manager: UserId,
}

const WALK_IN_NOTES: &[&str] = &[
    "Looked at bridal sets with her mother; coming back with the family",
    "Asked about 22K bangles for a daughter's wedding in February",
    "Browsed jhumkas; liked the Kanbala but wants a lighter pair",
    "Came to see the new temple necklaces",
    "Wanted a chain for the annaprashan; shown 2 to 5 gram chains",
    "Compared making charges on the Rani Haar; thinking it over",
    "Brought old gold to ask what it would fetch in exchange",
    "Looked at diamond studs for an anniversary gift",
];
const CALL_NOTES: &[&str] = &[
    "Asked whether the shop is open on Sunday evening",
    "Called about today's 22K rate",
    "Asked if the bangle resizing is ready",
    "Wanted to know the gold scheme's instalment dates",
];
const INQUIRY_NOTES: &[&str] = &[
    "Enquired about a custom pola-badhano set",
    "Asked for silver puja items for Lakshmi Puja",
    "Wanted platinum couple bands; sizes taken",
    "Asked about hallmarking on older pieces",
];
const EMAIL_NOTES: &[&str] = &[
    "Sent photos of the antique haar collection",
    "Asked for a GST invoice copy by email",
];
const COMPLAINT_NOTES: &[&str] = &[
    "A stone came loose from a ring; taken in for repair",
    "Clasp of the chain is stiff; adjusted at the counter",
];
const OUTCOMES: &[&str] = &[
    "Will come back at the weekend",
    "Follow-up booked",
    "Shown five designs; shortlisted two",
    "Not buying for now",
    "",
];
const FOLLOW_UP_NOTES: &[&str] = &[
    "Call about the bridal set she liked",
    "Send photos of the new temple necklaces",
    "Remind about the gold scheme instalment",
    "Invite to the Dhanteras preview",
    "Bangle resized and ready: ask them to collect",
    "Ask how the anniversary gift was received",
    "Share the price of the Kanbala at today's rate",
];
const FOLLOW_UP_OUTCOMES: &[&str] = &[
    "Spoke; coming on Sunday",
    "Not reachable; message left",
    "Visit booked for next week",
    "Not interested for now",
    "Came in and bought the set",
];

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

fn text<const N: usize>(s: &str) -> Text<N> {
    Text::parse(s).unwrap_or_default()
}

fn interaction(
    rng: &mut StdRng,
    store: StoreId,
    customer: &Made,
    staff: UserId,
    kind: InteractionType,
    at: Timestamp,
) -> Interaction {
    let notes = match kind {
        InteractionType::WalkIn
        | InteractionType::FollowUp
        | InteractionType::Sale
        | InteractionType::HandedOff => pick(rng, WALK_IN_NOTES),
        InteractionType::PhoneCall => pick(rng, CALL_NOTES),
        InteractionType::Inquiry => pick(rng, INQUIRY_NOTES),
        InteractionType::Email => pick(rng, EMAIL_NOTES),
        InteractionType::Complaint => pick(rng, COMPLAINT_NOTES),
    };
    Interaction {
        id: InteractionId::created_at(at),
        store_id: store,
        floor_id: customer.floor,
        customer_id: customer.id,
        kind,
        notes: text(notes),
        outcome: text(pick(rng, OUTCOMES)),
        sale_id: None,
        staff_id: staff,
        occurred_at: at,
        created_at: at,
    }
}

fn kind(rng: &mut StdRng) -> InteractionType {
    match rng.random_range(0..100) {
        0..=44 => InteractionType::WalkIn,
        45..=64 => InteractionType::PhoneCall,
        65..=81 => InteractionType::Inquiry,
        82..=89 => InteractionType::FollowUp,
        90..=96 => InteractionType::Email,
        _ => InteractionType::Complaint,
    }
}

/// A customer's past touchpoints: none for about half, up to four for a few. The first
/// is the walk-in when they were registered; the rest fall between then and yesterday.
pub fn history(
    rng: &mut StdRng,
    clock: &Clock,
    store: StoreId,
    customer: &Made,
    staff: UserId,
) -> Vec<Interaction> {
    let count = match rng.random_range(0..100) {
        0..=54 => 0,
        55..=84 => 1,
        85..=94 => 2,
        95..=98 => 3,
        _ => 4,
    };
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        let (kind, at) = if n == 0 {
            (InteractionType::WalkIn, customer.arrived)
        } else {
            let day = Clock::day_between(rng, clock.day_of(customer.arrived), clock.yesterday);
            let at = clock.shop_moment(rng, day);
            let at = if at > customer.arrived {
                at
            } else {
                clock.later_moment(rng, customer.arrived, 0)
            };
            (kind(rng), at)
        };
        out.push(interaction(rng, store, customer, staff, kind, at));
    }
    out
}

/// Today's walk-ins so far: one to four a floor once the shop has opened.
pub fn todays_walk_ins(
    rng: &mut StdRng,
    clock: &Clock,
    store: StoreId,
    customers: &[Made],
    staff: &[Staff],
) -> Vec<Interaction> {
    if !clock.open_today() || customers.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for member in staff {
        for _ in 0..rng.random_range(1..=4) {
            let customer = customers[rng.random_range(0..customers.len())];
            let at = clock.moment_since_opening(rng);
            let visit = Made {
                floor: member.floor,
                ..customer
            };
            out.push(interaction(
                rng,
                store,
                &visit,
                member.manager,
                InteractionType::WalkIn,
                at,
            ));
        }
    }
    out
}

fn follow_up_kind(rng: &mut StdRng) -> FollowUpType {
    match rng.random_range(0..100) {
        0..=34 => FollowUpType::PhoneCall,
        35..=59 => FollowUpType::Whatsapp,
        60..=74 => FollowUpType::Visit,
        75..=82 => FollowUpType::Sms,
        83..=89 => FollowUpType::Email,
        _ => FollowUpType::Demo,
    }
}

/// Where a follow-up falls: when it was written down and when it is due.
#[derive(Debug, Clone, Copy)]
struct Plan {
    created: Timestamp,
    due: Timestamp,
    status: FollowUpStatus,
}

/// One follow-up for a customer who had arrived by the time it was written down, or
/// `None` if nobody had.
fn follow_up(
    rng: &mut StdRng,
    clock: &Clock,
    store: StoreId,
    customers: &[Made],
    member: Staff,
    plan: Plan,
) -> Option<FollowUp> {
    let arrived = customers.partition_point(|c| c.arrived <= plan.created);
    if arrived == 0 {
        return None;
    }
    let customer = customers[rng.random_range(0..arrived)];
    let (completed_at, outcome) = match plan.status {
        FollowUpStatus::Completed => (
            Some(clock.later_moment(rng, plan.due, 1)),
            pick(rng, FOLLOW_UP_OUTCOMES),
        ),
        _ => (None, ""),
    };
    Some(FollowUp {
        id: FollowUpId::created_at(plan.created),
        store_id: store,
        floor_id: member.floor,
        customer_id: customer.id,
        kind: follow_up_kind(rng),
        status: plan.status,
        due_at: plan.due,
        owner_id: member.manager,
        notes: text(pick(rng, FOLLOW_UP_NOTES)),
        outcome: text(outcome),
        completed_at,
        created_at: plan.created,
        updated_at: completed_at.unwrap_or(plan.created),
    })
}

/// A shop moment `days_before` whole days before `due`'s day (at least one).
fn written_before(rng: &mut StdRng, clock: &Clock, due: Timestamp, most: i64) -> Timestamp {
    let day = Clock::add_days(clock.day_of(due), -rng.random_range(1..=most.max(1)));
    clock.shop_moment(rng, day.min(clock.yesterday))
}

/// Every floor's follow-ups: the past year's (mostly done, some cancelled), and each
/// manager's open ones, a few overdue, some due today and more in the next 30 days.
/// `customers` are in order of arrival.
pub fn follow_ups(
    rng: &mut StdRng,
    clock: &Clock,
    store: StoreId,
    customers: &[Made],
    staff: &[Staff],
) -> Vec<FollowUp> {
    if staff.is_empty() {
        return Vec::new();
    }
    let size = customers.len();
    let mut plans: Vec<(Staff, Plan)> = Vec::new();
    let year_ago = Clock::add_days(clock.yesterday, -364);
    for n in 0..size / 15 {
        let member = staff[rng.random_range(0..staff.len())];
        let due = clock.shop_moment_between(rng, year_ago, clock.yesterday);
        // One in ten was called off; the rest were done.
        let status = if n % 10 == 9 {
            FollowUpStatus::Cancelled
        } else {
            FollowUpStatus::Completed
        };
        let created = written_before(rng, clock, due, 14);
        plans.push((
            member,
            Plan {
                created,
                due,
                status,
            },
        ));
    }
    for &member in staff {
        let overdue = rng.random_range(2..=5) + (size / 4_000).min(8);
        let today = rng.random_range(2..=4) + (size / 8_000).min(4);
        let later = rng.random_range(4..=8) + (size / 500).min(40);
        for _ in 0..overdue {
            let day = Clock::add_days(clock.today, -rng.random_range(1..=12));
            let due = clock.shop_moment(rng, day);
            let created = written_before(rng, clock, due, 10);
            plans.push((member, open(created, due)));
        }
        for _ in 0..today {
            let due = clock.at(
                clock.today,
                rng.random_range(11..=19),
                [0, 15, 30, 45][rng.random_range(0..4)],
            );
            let created = written_before(rng, clock, due, 14);
            plans.push((member, open(created, due)));
        }
        for _ in 0..later {
            let day = Clock::add_days(clock.today, rng.random_range(1..=30));
            let due = clock.at(
                day,
                rng.random_range(11..=19),
                [0, 30][rng.random_range(0..2)],
            );
            let written = Clock::add_days(clock.yesterday, -rng.random_range(0..=20));
            let created = clock.shop_moment(rng, written);
            plans.push((member, open(created, due)));
        }
    }
    plans
        .into_iter()
        .filter_map(|(member, plan)| follow_up(rng, clock, store, customers, member, plan))
        .collect()
}

fn open(created: Timestamp, due: Timestamp) -> Plan {
    Plan {
        created,
        due,
        status: FollowUpStatus::Pending,
    }
}

/// What the timelines are written for.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    pub store: StoreId,
    /// In order of arrival.
    pub customers: &'a [Made],
    pub staff: &'a [Staff],
    /// Who set the rates: the owner, who is added after the demo.
    pub owner: UserId,
}

/// How many of each were written.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub interactions: usize,
    pub follow_ups: usize,
    pub rates: usize,
}

/// Writes a year of rate boards, every customer's past touchpoints, today's walk-ins
/// and the follow-ups, in large batches like the rest of the demo.
pub fn write_all(
    db: &Db,
    rng: &mut StdRng,
    clock: &Clock,
    setting: Setting<'_>,
) -> Result<Written, Error> {
    let Setting {
        store,
        customers,
        staff,
        owner,
    } = setting;
    let boards = daily_boards(rng, clock, store, owner);
    for chunk in boards.chunks(BATCH) {
        db.write(None, |w| {
            chunk.iter().try_for_each(|r| rates_repo::insert_rate(w, r))
        })?;
    }
    let staff_of = |floor: FloorId| {
        staff
            .iter()
            .find(|s| s.floor == floor)
            .map_or(owner, |s| s.manager)
    };
    let mut interactions = 0;
    for chunk in customers.chunks(BATCH) {
        let batch: Vec<_> = chunk
            .iter()
            .flat_map(|c| history(rng, clock, store, c, staff_of(c.floor)))
            .collect();
        interactions += batch.len();
        db.write(None, |w| {
            batch
                .iter()
                .try_for_each(|i| repo::insert_interaction(w, i))
        })?;
    }
    let walk_ins = todays_walk_ins(rng, clock, store, customers, staff);
    let follow_ups = follow_ups(rng, clock, store, customers, staff);
    for chunk in follow_ups.chunks(BATCH) {
        db.write(None, |w| {
            chunk.iter().try_for_each(|f| repo::insert_follow_up(w, f))
        })?;
    }
    db.write(None, |w| {
        walk_ins
            .iter()
            .try_for_each(|i| repo::insert_interaction(w, i))
    })?;
    Ok(Written {
        interactions: interactions + walk_ins.len(),
        follow_ups: follow_ups.len(),
        rates: boards.len(),
    })
}
