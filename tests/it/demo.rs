//! The demo store looks like yesterday: no record dated after the run, a rate board
//! for each of the last 365 days, work overdue and due today on every floor manager's
//! My day, walk-ins, follow-ups and returns.

use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};

/// Every dated field of every record the demo wrote, named for the failure message.
fn demo_timestamps(crm: &Crm) -> Vec<(String, jiff::Timestamp)> {
    use sarkar_crm::store::activity::{
        InteractionFilter, follow_ups_of_customer, list_interactions,
    };
    use sarkar_crm::store::{Deleted, PageRequest, Scope, StoreError};
    use sarkar_crm::store::{catalogue, customers, org, people, rates, sales};

    let store = crm.default_store().unwrap();
    let scope = Scope::store(store.id);
    let mut out = vec![("the store".to_owned(), store.created_at)];
    let mut add = |what: String, at: jiff::Timestamp| out.push((what, at));
    crm.db()
        .read(|rx| -> Result<(), StoreError> {
            for f in org::floors(rx, &scope, Deleted::Hide)? {
                add(format!("floor {}", f.name), f.created_at);
                add(format!("floor {} (changed)", f.name), f.updated_at);
            }
            for u in people::users(rx, &scope, Deleted::Hide)? {
                add(format!("user {}", u.username), u.created_at);
                add(format!("user {} (changed)", u.username), u.updated_at);
            }
            for c in catalogue::categories(rx, &scope, Deleted::Hide)? {
                add(format!("category {}", c.name), c.created_at);
            }
            for p in catalogue::live_products(rx, &scope)? {
                add(format!("product {}", p.sku), p.created_at);
                add(format!("product {} (changed)", p.sku), p.updated_at);
            }
            let mut page = 1;
            loop {
                let listed = customers::list_customers(
                    rx,
                    &scope,
                    &Default::default(),
                    Default::default(),
                    PageRequest::numbered(page, 200),
                )?;
                for c in &listed.items {
                    add(format!("customer {}", c.code()), c.created_at);
                    add(format!("customer {} (changed)", c.code()), c.updated_at);
                    for f in follow_ups_of_customer(rx, &scope, c.id, 1_000)? {
                        add(
                            format!("follow-up {} created", f.id.as_uuid()),
                            f.created_at,
                        );
                        add(
                            format!("follow-up {} changed", f.id.as_uuid()),
                            f.updated_at,
                        );
                        if let Some(done) = f.completed_at {
                            add(format!("follow-up {} done", f.id.as_uuid()), done);
                        }
                    }
                }
                if !listed.has_more {
                    break;
                }
                page += 1;
            }
            for s in sales::recent_sales(rx, &scope, None, 100_000)? {
                add(format!("sale {} created", s.id.as_uuid()), s.created_at);
                add(format!("sale {} changed", s.id.as_uuid()), s.updated_at);
                if let Some(done) = s.completed_at {
                    add(format!("sale {} completed", s.id.as_uuid()), done);
                }
                for r in &s.refunds {
                    add(format!("refund of sale {}", s.id.as_uuid()), r.at);
                }
            }
            let interactions = list_interactions(
                rx,
                &scope,
                InteractionFilter::default(),
                PageRequest::first(1_000_000),
            )?;
            for i in interactions.items {
                add(format!("interaction {}", i.id.as_uuid()), i.occurred_at);
                add(
                    format!("interaction {} logged", i.id.as_uuid()),
                    i.created_at,
                );
            }
            for purity in sarkar_crm::domain::board_purities() {
                for r in rates::rate_history(rx, &scope, purity, 100_000)? {
                    add(format!("{} rate", purity.label()), r.set_at);
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

#[test]
fn demo_data_looks_like_yesterday() {
    use sarkar_crm::app::Actor;
    use sarkar_crm::domain::{FollowUpStatus, InteractionType, SaleStatus, UserRole};
    use sarkar_crm::store::activity::{InteractionFilter, list_interactions};
    use sarkar_crm::store::{Deleted, PageRequest, Scope, StoreError, people, rates, sales};

    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let tz = config.time_zone();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let before =
        jiff::Timestamp::from_microsecond(jiff::Timestamp::now().as_microsecond()).unwrap();
    let options = DemoOptions {
        customers: 400,
        products: 80,
        sales: 700,
        seed: 11,
    };
    let report = generate(&crm, &options, false).unwrap();
    let started = report.started_at;
    assert!(before <= started && started <= jiff::Timestamp::now());

    // Nothing of any kind is dated after the run started.
    let stamps = demo_timestamps(&crm);
    assert!(
        stamps.len() > 2_000,
        "the demo wrote records: {}",
        stamps.len()
    );
    let future: Vec<_> = stamps.iter().filter(|(_, at)| *at > started).collect();
    assert!(
        future.is_empty(),
        "dated after the run ({started}): {future:?}"
    );

    // A board a day for each purity, for each of the last 365 days, today included.
    let today = started.to_zoned_datetime(tz.clone()).date();
    let store = crm.default_store().unwrap();
    let scope = Scope::store(store.id);
    for purity in sarkar_crm::domain::board_purities() {
        let history = crm
            .db()
            .read(|rx| rates::rate_history(rx, &scope, purity, 1_000))
            .unwrap();
        let days: std::collections::BTreeSet<_> = history
            .iter()
            .map(|r| r.set_at.to_zoned_datetime(tz.clone()).date())
            .collect();
        assert_eq!(history.len(), 365, "one {} rate a day", purity.label());
        for back in 0..365 {
            let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
            assert!(days.contains(&day), "no {} rate on {day}", purity.label());
        }
        // Newest first: each day's rate is within 2% of the day before's.
        for pair in history.windows(2) {
            let (newer, older) = (pair[0].per_gram.get(), pair[1].per_gram.get());
            assert!(
                older > 0 && (newer - older).abs() * 50 < older,
                "{} moved from {older} to {newer} paise in a day",
                purity.label()
            );
        }
    }

    // Walk-ins and other interactions, follow-ups done and still open, and returns.
    let (interactions, all_sales) = crm
        .db()
        .read(|rx| -> Result<_, StoreError> {
            let listed = list_interactions(
                rx,
                &scope,
                InteractionFilter::default(),
                PageRequest::first(1_000_000),
            )?;
            Ok((
                listed.items,
                sales::recent_sales(rx, &scope, None, 100_000)?,
            ))
        })
        .unwrap();
    let walk_ins = interactions
        .iter()
        .filter(|i| i.kind == InteractionType::WalkIn)
        .count();
    assert!(
        walk_ins >= 100,
        "walk-ins: {walk_ins} of {}",
        interactions.len()
    );
    assert!(
        interactions
            .iter()
            .any(|i| i.kind != InteractionType::WalkIn)
    );
    let refunded: Vec<_> = all_sales
        .iter()
        .filter(|s| s.status == SaleStatus::Refunded)
        .collect();
    assert!(!refunded.is_empty(), "some bills came back");
    for s in &refunded {
        let refund = s
            .refunds
            .first()
            .expect("a refunded sale records its return");
        assert!(refund.at >= s.created_at && refund.amount == s.payable());
    }

    // Each floor manager has overdue work and work due today on My day.
    let managers: Vec<_> = crm
        .db()
        .read(|rx| people::users(rx, &scope, Deleted::Hide))
        .unwrap()
        .into_iter()
        .filter(|u| u.role == UserRole::FloorManager)
        .collect();
    assert_eq!(managers.len(), 4);
    for manager in managers {
        let actor = Actor {
            user_id: manager.id,
            username: manager.username.clone(),
            name: manager.name.clone(),
            role: manager.role,
            store_id: manager.store_id,
            floor_id: manager.floor_id,
            origin: Default::default(),
            key: None,
        };
        let day = crm.my_day(&actor, today).unwrap();
        assert!(
            !day.overdue.is_empty(),
            "{} has overdue work",
            manager.username
        );
        assert!(
            !day.due_today.is_empty(),
            "{} has work due today",
            manager.username
        );
        for task in day.overdue.iter().chain(&day.due_today) {
            assert_eq!(task.follow_up.status, FollowUpStatus::Pending);
            assert!(task.follow_up.created_at <= started);
        }
    }
    // Most past follow-ups were done after they fell due; some were cancelled.
    let follow_ups = crm
        .db()
        .read(|rx| -> Result<Vec<_>, StoreError> {
            let mut all = Vec::new();
            let customers = sarkar_crm::store::customers::list_customers(
                rx,
                &scope,
                &Default::default(),
                Default::default(),
                PageRequest::first(1_000),
            )?;
            for c in customers.items {
                all.extend(sarkar_crm::store::activity::follow_ups_of_customer(
                    rx, &scope, c.id, 1_000,
                )?);
            }
            Ok(all)
        })
        .unwrap();
    let done: Vec<_> = follow_ups
        .iter()
        .filter(|f| f.status == FollowUpStatus::Completed)
        .collect();
    assert!(!done.is_empty(), "some follow-ups were done");
    assert!(
        done.iter()
            .all(|f| f.completed_at.is_some_and(|at| at >= f.due_at))
    );
    assert!(
        follow_ups
            .iter()
            .any(|f| f.status == FollowUpStatus::Cancelled)
    );
    assert!(report.follow_ups > 0 && report.interactions == interactions.len());
}
