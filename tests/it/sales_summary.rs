//! The sales register's totals come from the per-day summary the store keeps with every
//! sale write. After a seeded run of bills drawn up, corrected, completed, cancelled and
//! refunded on a demo store, the summary's totals equal the sales added up one by one
//! for every combination of dates, floor, salesperson and status, for an admin and a
//! Floor Manager, and the page of rows is the one a full walk gives. A database opened
//! under another time zone has its summary dated again.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::app::{
    Actor, CompleteInput, Crm, CustomerQuery, LoginInput, PaymentInput, ProductQuery, RefundInput,
    RegisterTotals, SaleInput, SaleLineInput, SalesFilter,
};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::{DATABASE_FILE, open_database};
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::{
    FloorId, Paise, PaymentMethod, Product, Sale, SaleId, SaleStatus, UserId, UserRole,
};
use sarkar_crm::store::sales::{SaleCandidates, walk_sales};
use sarkar_crm::store::{Db, Scope, StoreError};

const PASSWORD: &str = "summary test passphrase";
const FLOOR: &str = "Ground Floor — Gold";

/// A small xorshift generator: the same seed gives the same run on every machine.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn demo_crm(dir: &std::path::Path, config: &Config) -> Crm {
    let crm = Crm::new(open_database(dir, config).unwrap(), config.clone());
    let options = DemoOptions {
        customers: 120,
        products: 80,
        sales: 260,
        seed: 23,
    };
    generate(&crm, &options, false).unwrap();
    crm
}

async fn actor(crm: &Crm, username: &str, role: UserRole, floor: Option<&str>) -> Actor {
    crm.add_user_from_cli(CliUser {
        username: username.into(),
        password: PASSWORD.into(),
        name: None,
        role,
        store: None,
        floor: floor.map(str::to_owned),
    })
    .await
    .unwrap();
    let input = LoginInput {
        username: username.into(),
        password: PASSWORD.into(),
    };
    let signed_in = crm.login(input, "summary test").await.unwrap();
    crm.authenticate(&signed_in.token).unwrap()
}

/// Every sale of the store, newest first, read straight from the sales table.
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

fn day_of(sale: &Sale, zone: &TimeZone) -> Date {
    sale.completed_at
        .unwrap_or(sale.created_at)
        .to_zoned_datetime(zone.clone())
        .date()
}

/// The sales `filter` matches within `floor_scope`, newest first, and their totals
/// added up field by field.
fn by_hand(
    sales: &[Sale],
    zone: &TimeZone,
    filter: &SalesFilter,
    floor_scope: Option<FloorId>,
) -> (RegisterTotals, Vec<SaleId>) {
    let mut totals = RegisterTotals::default();
    let mut ids = Vec::new();
    for sale in sales {
        let day = day_of(sale, zone);
        let matches = filter.from.is_none_or(|d| day >= d)
            && filter.to.is_none_or(|d| day <= d)
            && filter.floor.is_none_or(|f| f == sale.floor_id)
            && floor_scope.is_none_or(|f| f == sale.floor_id)
            && filter.salesperson.is_none_or(|u| u == sale.staff_id)
            && filter.status.is_none_or(|s| s == sale.status)
            && filter
                .payment
                .is_none_or(|m| sale.payments.iter().any(|p| p.method == m));
        if !matches {
            continue;
        }
        ids.push(sale.id);
        totals.bills += 1;
        if matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded) {
            let refunded: i64 = sale.refunds.iter().map(|r| r.amount.get()).sum();
            let cash_in: i64 = sale
                .payments
                .iter()
                .filter(|p| p.method == PaymentMethod::Cash)
                .map(|p| p.amount.get())
                .sum();
            totals.invoiced += 1;
            totals.payable = Paise::new(totals.payable.get() + sale.payable().get());
            totals.refunded = Paise::new(totals.refunded.get() + refunded);
            totals.cash = Paise::new(totals.cash.get() + cash_in - sale.change_given.get());
        }
    }
    (totals, ids)
}

/// Checks the register against `by_hand` for every combination of a few date ranges,
/// each floor, a few salespeople, each status and paid by UPI or not; returns how many combinations matched
/// at least one sale.
fn check_every_filter(crm: &Crm, actor: &Actor, sales: &[Sale], zone: &TimeZone) -> usize {
    let mut days: Vec<Date> = sales.iter().map(|s| day_of(s, zone)).collect();
    days.sort();
    let (first, middle, last) = (days[0], days[days.len() / 2], days[days.len() - 1]);
    let month_before = middle.checked_sub(jiff::Span::new().days(30)).unwrap();
    let ranges = [
        (None, None),
        (Some(middle), None),
        (None, Some(middle)),
        (Some(month_before), Some(middle)),
        (Some(last), Some(last)),
        (Some(first), Some(first)),
    ];
    let floors: BTreeSet<FloorId> = sales.iter().map(|s| s.floor_id).collect();
    let staff: BTreeSet<UserId> = sales.iter().map(|s| s.staff_id).collect();
    let floors = std::iter::once(None).chain(floors.into_iter().map(Some));
    let staff: Vec<Option<UserId>> = std::iter::once(None)
        .chain(staff.into_iter().take(3).map(Some))
        .collect();
    let statuses = [
        None,
        Some(SaleStatus::Pending),
        Some(SaleStatus::Completed),
        Some(SaleStatus::Cancelled),
        Some(SaleStatus::Refunded),
    ];
    // The payment filter is not in the summary: its totals are added up as the sales
    // are read, the walk ending once the summary says every candidate has been seen.
    let payments = [None, Some(PaymentMethod::Upi)];
    let mut matched = 0;
    for floor in floors {
        if actor.floor_id.zip(floor).is_some_and(|(own, f)| own != f) {
            let filter = SalesFilter {
                floor,
                ..SalesFilter::default()
            };
            assert!(crm.sales_register(actor, &filter, None, 50).is_err());
            continue;
        }
        for (from, to) in ranges {
            for salesperson in &staff {
                for (status, payment) in statuses.into_iter().flat_map(|s| payments.map(|p| (s, p)))
                {
                    let filter = SalesFilter {
                        from,
                        to,
                        floor,
                        salesperson: *salesperson,
                        status,
                        payment,
                        invoice: None,
                    };
                    let (totals, ids) = by_hand(sales, zone, &filter, actor.floor_id);
                    let register = crm.sales_register(actor, &filter, None, 50).unwrap();
                    assert_eq!(register.totals, totals, "{filter:?}");
                    let rows: Vec<SaleId> = register.rows.iter().map(|r| r.sale.id).collect();
                    assert_eq!(rows, ids[..ids.len().min(50)], "{filter:?}");
                    assert_eq!(register.older.is_some(), ids.len() > 50, "{filter:?}");
                    matched += usize::from(totals.bills > 0);
                }
            }
        }
    }
    matched
}

fn in_stock(crm: &Crm, actor: &Actor) -> Vec<Product> {
    let query = ProductQuery {
        limit: Some(200),
        ..ProductQuery::default()
    };
    let page = crm.list_products(actor, &query).unwrap();
    page.items
        .into_iter()
        .filter(|p| p.stock_qty > 0 && p.active)
        .collect()
}

/// A bill for one piece, paid in full (a little cash, the rest by UPI) or in part.
fn bill_for(
    crm: &Crm,
    actor: &Actor,
    customer: uuid::Uuid,
    piece: &Product,
    paid: bool,
) -> SaleInput {
    let mut input = SaleInput {
        customer_id: Some(customer),
        customer_phone: None,
        floor_id: Some(piece.floor_id.as_uuid()),
        lines: vec![SaleLineInput {
            product_id: Some(piece.id.as_uuid()),
            sku: None,
            quantity: None,
            discount_paise: 0,
        }],
        bill_discount_paise: 0,
        payments: Vec::new(),
        notes: None,
    };
    let payable = crm
        .quote_sale(actor, input.clone())
        .unwrap()
        .payable()
        .get();
    let cash = (payable / 4).min(20_000_00);
    let upi = if paid { payable - cash } else { payable / 3 };
    let payment = |method, amount| PaymentInput {
        method,
        amount_paise: Some(amount),
        reference: Some("summary test".into()),
        old_gold: None,
    };
    input.payments = vec![
        payment(PaymentMethod::Cash, cash),
        payment(PaymentMethod::Upi, upi),
    ];
    input
}

#[tokio::test]
async fn the_summary_adds_up_as_the_sales_do_after_every_kind_of_change() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let zone = config.time_zone();
    let crm = demo_crm(dir.path(), &config);
    let owner = actor(&crm, "owner", UserRole::BusinessAdmin, None).await;
    let manager = actor(&crm, "fm.summary", UserRole::FloorManager, Some(FLOOR)).await;

    let customers = crm
        .list_customers(
            &owner,
            &CustomerQuery {
                limit: Some(50),
                ..CustomerQuery::default()
            },
        )
        .unwrap()
        .items;
    let mut rng = Seeded(0x5a1e_da75);
    let mut done = [0_usize; 5];
    let mut drawn: Vec<(SaleId, uuid::Uuid)> = Vec::new();
    for _ in 0..80 {
        let sales = every_sale(&crm, &owner);
        let pending: Vec<&Sale> = sales
            .iter()
            .filter(|s| s.status == SaleStatus::Pending)
            .collect();
        let completed: Vec<&Sale> = sales
            .iter()
            .filter(|s| s.status == SaleStatus::Completed)
            .collect();
        let pieces = in_stock(&crm, &owner);
        let customer = customers[rng.below(customers.len())].id.as_uuid();
        let kind = rng.below(5);
        let ok = match kind {
            0 => {
                let piece = &pieces[rng.below(pieces.len())];
                let input = bill_for(&crm, &owner, customer, piece, rng.below(3) > 0);
                crm.create_sale(&owner, input)
                    .map(|s| drawn.push((s.id, customer)))
                    .is_ok()
            }
            // A bill drawn up in this run, corrected to another piece and customer.
            1 => drawn
                .iter()
                .rev()
                .find(|(id, _)| pending.iter().any(|p| p.id == *id))
                .is_some_and(|(id, _)| {
                    let piece = &pieces[rng.below(pieces.len())];
                    let input = bill_for(&crm, &owner, customer, piece, true);
                    crm.correct_sale(&owner, *id, input).is_ok()
                }),
            2 if !pending.is_empty() => {
                let sale = pending[rng.below(pending.len())];
                let input = CompleteInput {
                    form60_reference: None,
                };
                crm.complete_sale(&owner, sale.id, input).is_ok()
            }
            3 if !pending.is_empty() => {
                let sale = pending[rng.below(pending.len())];
                crm.cancel_sale(&owner, sale.id).is_ok()
            }
            4 if !completed.is_empty() => {
                let sale = completed[rng.below(completed.len())];
                let input = RefundInput {
                    lines: None,
                    reason: "summary test: changed their mind".into(),
                };
                crm.refund_sale(&owner, sale.id, input).is_ok()
            }
            _ => false,
        };
        done[kind] += usize::from(ok);
    }
    assert!(
        done.iter().all(|n| *n >= 2),
        "each kind of change happened: {done:?}"
    );

    let sales = every_sale(&crm, &owner);
    let matched = check_every_filter(&crm, &owner, &sales, &zone);
    assert!(matched > 100, "combinations with sales: {matched}");
    let on_the_floor = check_every_filter(&crm, &manager, &sales, &zone);
    assert!(
        on_the_floor > 20,
        "the Floor Manager's combinations: {on_the_floor}"
    );
}

#[tokio::test]
async fn a_database_opened_under_another_zone_has_its_days_dated_again() {
    let dir = tempfile::tempdir().unwrap();
    let kolkata = Config::defaults();
    let crm = demo_crm(dir.path(), &kolkata);
    let owner = actor(&crm, "owner", UserRole::BusinessAdmin, None).await;
    drop(crm);
    let path = dir.path().join(DATABASE_FILE);
    let cache = 16 << 20;

    // The demo's counter hours in Kolkata fall on the evening before in Los Angeles.
    let mut los_angeles = Config::defaults();
    los_angeles.store.time_zone = "America/Los_Angeles".into();
    for config in [&los_angeles, &kolkata] {
        let zone = config.time_zone();
        let crm = Crm::new(Db::open(&path, cache, &zone).unwrap(), config.clone());
        let sales = every_sale(&crm, &owner);
        let moved = sales
            .iter()
            .filter(|s| day_of(s, &los_angeles.time_zone()) != day_of(s, &kolkata.time_zone()))
            .count();
        assert!(moved > 0, "some sale is on another day in the other zone");
        assert!(check_every_filter(&crm, &owner, &sales, &zone) > 100);
    }

    // A Crm whose zone is not the database's adds the sales up as it reads them.
    let crm = Crm::new(
        Db::open(&path, cache, &los_angeles.time_zone()).unwrap(),
        kolkata.clone(),
    );
    let sales = every_sale(&crm, &owner);
    assert!(check_every_filter(&crm, &owner, &sales, &kolkata.time_zone()) > 100);
}
