//! The sales analytics against the sales themselves: on a demo store with refunds on
//! later days and cancelled bills, every grouping (and a few filters) adds up to what
//! the sales give when walked one by one and added up here; weeks, months and financial
//! years split where the calendar does; a Floor Manager sees their own floor alone.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use sarkar_crm::app::{
    Actor, AnalyticsQuery, Crm, Error, Group, GroupBy, GroupFigures, LoginInput, SalesAnalytics,
};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::{
    FinancialYear, FloorId, Metal, Milligrams, Paise, PaymentMethod, Sale, SaleStatus, UserRole,
};
use sarkar_crm::store::sales::{SaleCandidates, walk_sales};
use sarkar_crm::store::{Scope, StoreError};

use crate::helpers::{PASSWORD, TestApp};

const FLOOR: &str = "Ground Floor — Gold";

/// A data directory with a small demo store: sales over the demo's two years, some
/// cancelled, some returned within a week.
pub fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let options = DemoOptions {
        customers: 120,
        products: 80,
        sales: 300,
        seed: 31,
    };
    generate(&crm, &options, false).unwrap();
    dir
}

pub async fn actor(app: &TestApp, username: &str, role: UserRole, floor: Option<&str>) -> Actor {
    app.add_user(username, role, floor, None).await;
    let input = LoginInput {
        username: username.into(),
        password: PASSWORD.into(),
    };
    let signed_in = app.crm().login(input, "analytics test").await.unwrap();
    app.crm().authenticate(&signed_in.token).unwrap()
}

fn every_sale(crm: &Crm, actor: &Actor) -> Vec<Sale> {
    let mut sales = Vec::new();
    let scope = Scope::store(actor.store_id);
    crm.db()
        .read(|rx| {
            walk_sales(rx, &scope, SaleCandidates::All, u128::MAX, &mut |s| {
                sales.push(s);
                Ok(true)
            })
        })
        .map_err(|e: StoreError| e.to_string())
        .unwrap();
    sales
}

fn day_of(at: jiff::Timestamp, zone: &TimeZone) -> Date {
    at.to_zoned_datetime(zone.clone()).date()
}

/// The first day of the span of time holding `day`, worked out here from the
/// calendar: weeks from Monday, financial years from 1 April; cut to `from`.
fn period_key(group_by: GroupBy, day: Date, from: Date) -> String {
    let start = match group_by {
        GroupBy::Week => {
            let back = i64::from(day.weekday().to_monday_zero_offset());
            day.checked_sub(jiff::Span::new().days(back)).unwrap()
        }
        GroupBy::Month => date(day.year(), day.month(), 1),
        GroupBy::FinancialYear => date(FinancialYear::containing(day).start_year(), 4, 1),
        _ => day,
    };
    start.max(from).to_string()
}

fn group_key(group: &Group) -> String {
    match group {
        Group::Period { from, .. } => from.to_string(),
        Group::Floor(id) => id.to_string(),
        Group::Staff(id) => id.to_string(),
        Group::Category(id) => id.map_or("none".into(), |c| c.to_string()),
        Group::Purity(p) => format!("{}-{}", p.metal().as_str(), p.fineness()),
        Group::Payment(m) => m.as_str().to_owned(),
    }
}

fn money(sum: &mut Paise, add: i64) {
    *sum = Paise::new(sum.get() + add);
}

/// What the analytics should say, added up from the sales within `floor_scope`.
fn by_hand(
    sales: &[Sale],
    zone: &TimeZone,
    q: &AnalyticsQuery,
    (from, to): (Date, Date),
    floor_scope: Option<FloorId>,
) -> BTreeMap<String, GroupFigures> {
    let mut out: BTreeMap<String, GroupFigures> = BTreeMap::new();
    let within = |d: Date| d >= from && d <= to;
    for sale in sales {
        let admitted = floor_scope.is_none_or(|f| f == sale.floor_id)
            && q.floor.is_none_or(|f| f == sale.floor_id)
            && q.salesperson.is_none_or(|s| s == sale.staff_id);
        if !admitted || !matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded) {
            continue;
        }
        let key = |day: Date, member: String| match q.group_by {
            GroupBy::Floor => sale.floor_id.to_string(),
            GroupBy::Staff => sale.staff_id.to_string(),
            GroupBy::Category | GroupBy::Metal | GroupBy::Payment => member,
            g => period_key(g, day, from),
        };
        let sold = day_of(sale.completed_at.unwrap(), zone);
        let source = q.source();
        use sarkar_crm::app::Source;
        if source == Source::Bills {
            for refund in &sale.refunds {
                let back = day_of(refund.at, zone);
                if within(back) {
                    money(
                        &mut out.entry(key(back, String::new())).or_default().refunds,
                        refund.amount.get(),
                    );
                }
            }
        }
        if !within(sold) {
            continue;
        }
        match source {
            Source::Bills => {
                let g = out.entry(key(sold, String::new())).or_default();
                g.bills += 1;
                for line in &sale.lines {
                    let quantity = i64::from(line.quantity);
                    g.pieces += quantity;
                    g.net = Milligrams::total(g.net.get() + line.net_weight.get() * quantity);
                }
                money(&mut g.taxable, sale.taxable_value.get());
                money(
                    &mut g.gst,
                    sale.cgst.get() + sale.sgst.get() + sale.igst.get(),
                );
                money(&mut g.payable, sale.payable().get());
            }
            Source::Purity | Source::Category => {
                for (i, line) in sale.lines.iter().enumerate() {
                    let member = if source == Source::Purity {
                        let wanted = q.purity.is_none_or(|p| p == line.purity)
                            && q.metal.is_none_or(|m| m == line.purity.metal());
                        if !wanted {
                            continue;
                        }
                        format!(
                            "{}-{}",
                            line.purity.metal().as_str(),
                            line.purity.fineness()
                        )
                    } else {
                        let category = sale.line_category(i);
                        if q.category.is_some() && q.category != category {
                            continue;
                        }
                        category.map_or("none".into(), |c| c.to_string())
                    };
                    let quantity = i64::from(line.quantity);
                    let g = out.entry(key(sold, member)).or_default();
                    g.pieces += quantity;
                    g.net = Milligrams::total(g.net.get() + line.net_weight.get() * quantity);
                    money(&mut g.taxable, line.taxable_value.get());
                }
            }
            Source::Payments => {
                for p in &sale.payments {
                    if q.payment.is_some_and(|m| m != p.method) {
                        continue;
                    }
                    let g = out
                        .entry(key(sold, p.method.as_str().to_owned()))
                        .or_default();
                    g.payments += 1;
                    money(&mut g.received, p.amount.get());
                }
                if q.payment.is_none_or(|m| m == PaymentMethod::Cash)
                    && sale.change_given.get() != 0
                {
                    let cash = PaymentMethod::Cash.as_str().to_owned();
                    money(
                        &mut out.entry(key(sold, cash)).or_default().received,
                        -sale.change_given.get(),
                    );
                }
            }
        }
    }
    out.retain(|_, g| *g != GroupFigures::default());
    out
}

fn as_found(a: &SalesAnalytics) -> BTreeMap<String, GroupFigures> {
    a.rows
        .iter()
        .filter(|r| r.figures != GroupFigures::default())
        .map(|r| (group_key(&r.group), r.figures))
        .collect()
}

fn check(crm: &Crm, actor: &Actor, sales: &[Sale], q: AnalyticsQuery) -> SalesAnalytics {
    let zone = crm.config().time_zone();
    let found = crm.sales_analytics(actor, &q).unwrap();
    let expected = by_hand(sales, &zone, &q, (found.from, found.to), actor.floor_id);
    assert_eq!(as_found(&found), expected, "{q:?}");
    let mut total = GroupFigures::default();
    for g in expected.values() {
        total.bills += g.bills;
        total.pieces += g.pieces;
        total.net = Milligrams::total(total.net.get() + g.net.get());
        for (sum, add) in [
            (&mut total.taxable, g.taxable),
            (&mut total.gst, g.gst),
            (&mut total.payable, g.payable),
            (&mut total.refunds, g.refunds),
            (&mut total.received, g.received),
        ] {
            money(sum, add.get());
        }
        total.payments += g.payments;
    }
    assert_eq!(found.total, total, "{q:?}");
    found
}

/// The span the checks use: the demo's last 1,000 days, inside the three-year limit.
fn demo_span(sales: &[Sale], zone: &TimeZone) -> (Date, Date) {
    let last = sales
        .iter()
        .flat_map(|s| s.refunds.iter().map(|r| r.at).chain([s.updated_at]))
        .map(|at| day_of(at, zone))
        .max()
        .unwrap();
    (
        last.checked_sub(jiff::Span::new().days(1_000)).unwrap(),
        last,
    )
}

#[tokio::test]
async fn every_grouping_adds_up_to_the_sales_counted_one_by_one() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    let admin = actor(&app, "owner", UserRole::BusinessAdmin, None).await;
    let crm = app.crm();
    let sales = every_sale(crm, &admin);
    assert!(
        sales.iter().any(|s| s.status == SaleStatus::Cancelled),
        "the demo cancels bills"
    );
    assert!(
        sales.iter().any(|s| !s.refunds.is_empty()),
        "the demo refunds bills"
    );
    let refunded_later = sales.iter().any(|s| {
        s.refunds.iter().any(|r| {
            r.at.to_zoned_datetime(TimeZone::UTC).date()
                != s.completed_at
                    .unwrap()
                    .to_zoned_datetime(TimeZone::UTC)
                    .date()
        })
    });
    assert!(refunded_later, "a refund on a later day than its bill");
    let zone = crm.config().time_zone();
    let (from, to) = demo_span(&sales, &zone);
    for group_by in GroupBy::ALL {
        let found = check(
            crm,
            &admin,
            &sales,
            AnalyticsQuery {
                from: Some(from),
                to: Some(to),
                group_by,
                ..Default::default()
            },
        );
        assert!(
            found.total != GroupFigures::default(),
            "{group_by:?} found sales"
        );
        if group_by.is_time() {
            let shares: i64 = found.rows.iter().filter_map(|r| r.share_bp).sum();
            assert!(
                (9_990..=10_010).contains(&shares),
                "{group_by:?} shares add up to 100%: {shares}"
            );
        }
    }
    // A filter narrows each grouping it fits.
    let someone = sales
        .iter()
        .find(|s| s.status == SaleStatus::Completed)
        .unwrap();
    let span = (Some(from), Some(to));
    let queries = [
        AnalyticsQuery {
            group_by: GroupBy::Month,
            metal: Some(Metal::Gold),
            ..Default::default()
        },
        AnalyticsQuery {
            group_by: GroupBy::Staff,
            payment: Some(PaymentMethod::Upi),
            ..Default::default()
        },
        AnalyticsQuery {
            group_by: GroupBy::Payment,
            floor: Some(someone.floor_id),
            ..Default::default()
        },
        AnalyticsQuery {
            group_by: GroupBy::Week,
            salesperson: Some(someone.staff_id),
            ..Default::default()
        },
        AnalyticsQuery {
            group_by: GroupBy::Floor,
            category: someone.line_category(0),
            ..Default::default()
        },
        AnalyticsQuery {
            group_by: GroupBy::Metal,
            purity: Some(someone.lines[0].purity),
            metal: Some(someone.lines[0].purity.metal()),
            ..Default::default()
        },
    ];
    for q in queries {
        check(
            crm,
            &admin,
            &sales,
            AnalyticsQuery {
                from: span.0,
                to: span.1,
                ..q
            },
        );
    }
}

#[tokio::test]
async fn a_floor_manager_sees_their_own_floor_alone() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    let admin = actor(&app, "owner", UserRole::BusinessAdmin, None).await;
    let manager = actor(&app, "ground", UserRole::FloorManager, Some(FLOOR)).await;
    let crm = app.crm();
    let sales = every_sale(crm, &admin);
    let (from, to) = demo_span(&sales, &crm.config().time_zone());
    let own = manager.floor_id.unwrap();
    for group_by in [GroupBy::Floor, GroupBy::Month, GroupBy::Payment] {
        let found = check(
            crm,
            &manager,
            &sales,
            AnalyticsQuery {
                from: Some(from),
                to: Some(to),
                group_by,
                ..Default::default()
            },
        );
        if group_by == GroupBy::Floor {
            let floors: Vec<Group> = found.rows.iter().map(|r| r.group).collect();
            assert_eq!(floors, vec![Group::Floor(own)]);
        }
    }
    let other = sales
        .iter()
        .map(|s| s.floor_id)
        .find(|f| *f != own)
        .unwrap();
    let asked = AnalyticsQuery {
        floor: Some(other),
        ..Default::default()
    };
    assert!(matches!(
        crm.sales_analytics(&manager, &asked),
        Err(Error::Forbidden(_))
    ));
    let funnel = crm.floor_funnel(&manager, Some(from), Some(to)).unwrap();
    assert!(
        funnel.floors.iter().all(|f| f.id == own),
        "{:?}",
        funnel.floors
    );
    let everyone = crm.floor_funnel(&admin, Some(from), Some(to)).unwrap();
    let mine = everyone.floors.iter().find(|f| f.id == own).unwrap();
    assert_eq!(funnel.total, mine.sums);
}

#[tokio::test]
async fn weeks_months_and_financial_years_split_where_the_calendar_does() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    let admin = actor(&app, "owner", UserRole::BusinessAdmin, None).await;
    // Thursday 27 March to Tuesday 8 April 2025: the financial year turns on 1 April,
    // the week on Monday 31 March and 7 April.
    let span = (Some(date(2025, 3, 27)), Some(date(2025, 4, 8)));
    let periods = |group_by| -> Vec<(Date, Date)> {
        let q = AnalyticsQuery {
            from: span.0,
            to: span.1,
            group_by,
            ..Default::default()
        };
        app.crm()
            .sales_analytics(&admin, &q)
            .unwrap()
            .rows
            .iter()
            .map(|r| match r.group {
                Group::Period { from, to } => (from, to),
                other => panic!("{other:?} is not a span of time"),
            })
            .collect()
    };
    let d = |m, day| date(2025, m, day);
    assert_eq!(
        periods(GroupBy::Week),
        vec![
            (d(3, 27), d(3, 30)),
            (d(3, 31), d(4, 6)),
            (d(4, 7), d(4, 8))
        ]
    );
    assert_eq!(
        periods(GroupBy::Month),
        vec![(d(3, 27), d(3, 31)), (d(4, 1), d(4, 8))]
    );
    assert_eq!(
        periods(GroupBy::FinancialYear),
        vec![(d(3, 27), d(3, 31)), (d(4, 1), d(4, 8))]
    );
    assert_eq!(periods(GroupBy::Day).len(), 13);
}
