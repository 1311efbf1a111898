//! The owner's figures are kept with every write; after any sequence of bills drawn up,
//! corrected, completed, cancelled, returned whole or in part (on the demo's back-dated
//! bills too), walk-ins and new customers, they equal a full recount of the records, and a
//! rebuild from the records gives them again (a property test over random sequences). The
//! recount here is the test's own: it adds up the sales, interactions and customers it reads,
//! and it checks the totals that matter against the bills themselves, not only against the
//! facts the store derives.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use proptest::prelude::*;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::app::{
    Actor, CompleteInput, Crm, CustomerQuery, LoginInput, PaymentInput, ProductQuery, RefundInput,
    RefundLineInput, SaleInput, SaleLineInput, WalkInInput,
};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::sale_facts::{
    Facet, Fact, Measures, customer_facts, interaction_facts, invoiced, payment, refund,
    registered_on, sale_facts,
};
use sarkar_crm::domain::{
    Customer, Interaction, PaymentMethod, Product, Sale, SaleStatus, UserRole,
};
use sarkar_crm::store::activity::{InteractionFilter, list_interactions};
use sarkar_crm::store::customers::for_each_for_indexing;
use sarkar_crm::store::figures::{StoredFigure, stored_figures};
use sarkar_crm::store::sales::{SaleCandidates, walk_sales};
use sarkar_crm::store::{PageRequest, Scope, StoreError};

const PASSWORD: &str = "figures test passphrase";

/// One step of a run; the numbers pick which customer, piece or bill it acts on.
#[derive(Debug, Clone)]
enum Step {
    DrawUp {
        customer: usize,
        piece: usize,
        paid: bool,
        change: bool,
    },
    Correct {
        bill: usize,
        customer: usize,
        piece: usize,
    },
    Complete {
        bill: usize,
    },
    Cancel {
        bill: usize,
    },
    ReturnWhole {
        bill: usize,
    },
    ReturnOnePiece {
        bill: usize,
    },
    WalkIn {
        customer: usize,
        new_phone: Option<u32>,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let n = || 0usize..1_000;
    prop_oneof![
        3 => (n(), n(), any::<bool>(), any::<bool>())
            .prop_map(|(customer, piece, paid, change)| Step::DrawUp { customer, piece, paid, change }),
        1 => (n(), n(), n()).prop_map(|(bill, customer, piece)| Step::Correct { bill, customer, piece }),
        3 => n().prop_map(|bill| Step::Complete { bill }),
        1 => n().prop_map(|bill| Step::Cancel { bill }),
        1 => n().prop_map(|bill| Step::ReturnWhole { bill }),
        2 => n().prop_map(|bill| Step::ReturnOnePiece { bill }),
        2 => (n(), proptest::option::of(0u32..1_000_000))
            .prop_map(|(customer, new_phone)| Step::WalkIn { customer, new_phone }),
    ]
}

async fn owner(crm: &Crm) -> Actor {
    crm.add_user_from_cli(CliUser {
        username: "owner".into(),
        password: PASSWORD.into(),
        name: None,
        role: UserRole::BusinessAdmin,
        store: None,
        floor: None,
    })
    .await
    .unwrap();
    let input = LoginInput {
        username: "owner".into(),
        password: PASSWORD.into(),
    };
    let signed_in = crm.login(input, "figures test").await.unwrap();
    crm.authenticate(&signed_in.token).unwrap()
}

fn every_sale(crm: &Crm, scope: &Scope) -> Vec<Sale> {
    let mut sales = Vec::new();
    crm.db()
        .read(|rx| {
            walk_sales(rx, scope, SaleCandidates::All, u128::MAX, &mut |s| {
                sales.push(s);
                Ok(true)
            })
        })
        .map_err(|e: StoreError| e.to_string())
        .unwrap();
    sales
}

fn every_customer(crm: &Crm) -> Vec<Customer> {
    let mut customers = Vec::new();
    crm.db()
        .read(|rx| {
            for_each_for_indexing(rx, &mut |c| {
                customers.push(c);
                Ok::<_, StoreError>(())
            })
        })
        .unwrap();
    customers
}

fn every_interaction(crm: &Crm, scope: &Scope) -> Vec<Interaction> {
    let mut all = Vec::new();
    for page in 1.. {
        let found = crm
            .db()
            .read(|rx| {
                list_interactions(
                    rx,
                    scope,
                    InteractionFilter::default(),
                    PageRequest::numbered(page, 200),
                )
            })
            .unwrap();
        let more = found.items.len() == 200;
        all.extend(found.items);
        if !more {
            break;
        }
    }
    all
}

type Key = (bool, u8, u32, u128, u128, u128);

fn add(sums: &mut BTreeMap<Key, Measures>, fact: &Fact) {
    let day = fact.day;
    let day_number = u32::try_from(
        i32::from(day.year()) * 10_000 + i32::from(day.month()) * 100 + i32::from(day.day()),
    )
    .unwrap();
    for (by_month, period) in [(false, day_number), (true, day_number / 100)] {
        let slot = sums
            .entry((
                by_month,
                fact.facet.number(),
                period,
                fact.floor,
                fact.staff,
                fact.member,
            ))
            .or_default();
        for (s, m) in slot.iter_mut().zip(fact.measures) {
            *s += m;
        }
    }
}

/// The figures worked out by the test from every record of the store.
fn recount(crm: &Crm, scope: &Scope, zone: &TimeZone) -> BTreeMap<Key, Measures> {
    let customers = every_customer(crm);
    let registered: BTreeMap<_, _> = customers
        .iter()
        .map(|c| (c.id, registered_on(c, zone)))
        .collect();
    let mut sums = BTreeMap::new();
    for sale in every_sale(crm, scope) {
        for fact in sale_facts(&sale, zone, registered.get(&sale.customer_id).copied()).unwrap() {
            add(&mut sums, &fact);
        }
    }
    for interaction in every_interaction(crm, scope) {
        for fact in interaction_facts(&interaction, zone) {
            add(&mut sums, &fact);
        }
    }
    for customer in &customers {
        for fact in customer_facts(customer, zone) {
            add(&mut sums, &fact);
        }
    }
    sums.retain(|_, m| *m != Measures::default());
    sums
}

fn stored(crm: &Crm, scope: &Scope) -> BTreeMap<Key, Measures> {
    let rows: Vec<StoredFigure> = crm
        .db()
        .read(|rx| stored_figures(rx, scope.store_id()))
        .unwrap();
    rows.into_iter()
        .map(|f| {
            (
                (f.by_month, f.facet, f.period, f.floor, f.staff, f.member),
                f.measures,
            )
        })
        .collect()
}

/// The sum of one measure of a facet over every day row.
fn total(figures: &BTreeMap<Key, Measures>, facet: Facet, measure: usize) -> i64 {
    figures
        .iter()
        .filter(|((by_month, f, ..), _)| !by_month && *f == facet.number())
        .map(|(_, m)| m[measure])
        .sum()
}

/// The totals an accountant would add up from the bills themselves.
fn check_against_the_bills(figures: &BTreeMap<Key, Measures>, sales: &[Sale]) {
    let invoiced_sales: Vec<&Sale> = sales
        .iter()
        .filter(|s| matches!(s.status, SaleStatus::Completed | SaleStatus::Refunded))
        .collect();
    let sum = |f: &dyn Fn(&Sale) -> i64| invoiced_sales.iter().map(|s| f(s)).sum::<i64>();
    assert_eq!(
        total(figures, Facet::Invoiced, invoiced::BILLS),
        invoiced_sales.len() as i64
    );
    assert_eq!(
        total(figures, Facet::Invoiced, invoiced::TAXABLE),
        sum(&|s| s.taxable_value.get())
    );
    assert_eq!(
        total(figures, Facet::Invoiced, invoiced::CGST),
        sum(&|s| s.cgst.get())
    );
    assert_eq!(
        total(figures, Facet::Invoiced, invoiced::IGST),
        sum(&|s| s.igst.get())
    );
    assert_eq!(
        total(figures, Facet::Invoiced, invoiced::PAYABLE),
        sum(&|s| s.payable().get())
    );
    let cash = sum(&|s| {
        let tendered: i64 = s
            .payments
            .iter()
            .filter(|p| p.method == PaymentMethod::Cash)
            .map(|p| p.amount.get())
            .sum();
        tendered - s.change_given.get()
    });
    let cash_member = u128::from(0u8);
    let cash_in_figures: i64 = figures
        .iter()
        .filter(|((by_month, f, _, _, _, member), _)| {
            !by_month && *f == Facet::Payment.number() && *member == cash_member
        })
        .map(|(_, m)| m[payment::AMOUNT])
        .sum();
    assert_eq!(cash_in_figures, cash, "cash kept");
    assert_eq!(
        total(figures, Facet::Refund, refund::AMOUNT),
        sum(&|s| s.refunds.iter().map(|r| r.amount.get()).sum())
    );
    // A bill returned whole gives back exactly the taxes it charged.
    let whole: Vec<&&Sale> = invoiced_sales
        .iter()
        .filter(|s| s.status == SaleStatus::Refunded)
        .collect();
    let paid_back_in_full: i64 = whole
        .iter()
        .map(|s| s.refunds.iter().map(|r| r.amount.get()).sum::<i64>())
        .sum();
    let whole_payable: i64 = whole.iter().map(|s| s.payable().get()).sum();
    assert_eq!(paid_back_in_full, whole_payable);
    let cancelled = sales
        .iter()
        .filter(|s| s.status == SaleStatus::Cancelled)
        .count() as i64;
    assert_eq!(total(figures, Facet::Cancelled, 0), cancelled);
}

struct Store {
    crm: Crm,
    owner: Actor,
    zone: TimeZone,
    _dir: tempfile::TempDir,
}

async fn small_store(seed: u64) -> Store {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config.clone());
    let options = DemoOptions {
        customers: 40,
        products: 40,
        sales: 90,
        seed,
    };
    generate(&crm, &options, false).unwrap();
    let owner = owner(&crm).await;
    Store {
        crm,
        owner,
        zone: config.time_zone(),
        _dir: dir,
    }
}

fn pieces_in_stock(crm: &Crm, actor: &Actor) -> Vec<Product> {
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

fn bill(
    crm: &Crm,
    actor: &Actor,
    customer: uuid::Uuid,
    piece: &Product,
    paid: bool,
    change: bool,
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
    let upi = if paid { payable / 2 } else { payable / 3 };
    // With `change`, the cash handed over is rounded up to the next ₹500 note.
    let cash_due = payable - upi;
    let cash = if paid && change {
        (cash_due / 500_00 + 1) * 500_00
    } else {
        cash_due / 2
    };
    let pay = |method, amount| PaymentInput {
        method,
        amount_paise: Some(amount),
        reference: Some("figures test".into()),
        old_gold: None,
    };
    input.payments = vec![
        pay(PaymentMethod::Upi, upi),
        pay(PaymentMethod::Cash, cash.min(1_99_000_00)),
    ];
    input
}

/// Runs the steps; returns how many were done (the others were refused or had nothing
/// to act on).
fn run(store: &Store, steps: &[Step]) -> usize {
    let (crm, owner) = (&store.crm, &store.owner);
    let customers = crm
        .list_customers(
            owner,
            &CustomerQuery {
                limit: Some(50),
                ..CustomerQuery::default()
            },
        )
        .unwrap()
        .items;
    let scope = Scope::store(owner.store_id);
    let mut done = 0;
    for step in steps {
        let sales = every_sale(crm, &scope);
        let with = |status: SaleStatus| -> Vec<&Sale> {
            sales.iter().filter(|s| s.status == status).collect()
        };
        let pick = |list: &[&Sale], i: usize| list.get(i % list.len().max(1)).map(|s| s.id);
        let pieces = pieces_in_stock(crm, owner);
        // Refusals (a piece sold out meanwhile, cash over the limit) are part of the run:
        // they must change nothing, which the recount checks too.
        let outcome = match step {
            Step::DrawUp {
                customer,
                piece,
                paid,
                change,
            } if !pieces.is_empty() => {
                let c = customers[customer % customers.len()].id.as_uuid();
                let input = bill(crm, owner, c, &pieces[piece % pieces.len()], *paid, *change);
                crm.create_sale(owner, input).map(drop)
            }
            Step::Correct {
                bill: b,
                customer,
                piece,
            } if !pieces.is_empty() => match pick(&with(SaleStatus::Pending), *b) {
                Some(id) => {
                    let c = customers[customer % customers.len()].id.as_uuid();
                    let input = bill(crm, owner, c, &pieces[piece % pieces.len()], true, false);
                    crm.correct_sale(owner, id, input).map(drop)
                }
                None => Err(sarkar_crm::app::Error::NotFound("a bill to act on")),
            },
            Step::Complete { bill: b } => match pick(&with(SaleStatus::Pending), *b) {
                Some(id) => crm
                    .complete_sale(
                        owner,
                        id,
                        CompleteInput {
                            form60_reference: None,
                        },
                    )
                    .map(drop),
                None => Err(sarkar_crm::app::Error::NotFound("a bill to act on")),
            },
            Step::Cancel { bill: b } => match pick(&with(SaleStatus::Pending), *b) {
                Some(id) => crm.cancel_sale(owner, id).map(drop),
                None => Err(sarkar_crm::app::Error::NotFound("a bill to act on")),
            },
            Step::ReturnWhole { bill: b } => match pick(&with(SaleStatus::Completed), *b) {
                Some(id) => crm
                    .refund_sale(
                        owner,
                        id,
                        RefundInput {
                            lines: None,
                            reason: "figures test: whole".into(),
                        },
                    )
                    .map(drop),
                None => Err(sarkar_crm::app::Error::NotFound("a bill to act on")),
            },
            Step::ReturnOnePiece { bill: b } => {
                let several: Vec<&Sale> = with(SaleStatus::Completed)
                    .into_iter()
                    .filter(|s| s.lines.len() > 1 && s.refunds.is_empty())
                    .collect();
                match pick(&several, *b) {
                    Some(id) => {
                        let input = RefundInput {
                            lines: Some(vec![RefundLineInput {
                                line: 1,
                                quantity: 1,
                            }]),
                            reason: "figures test: one piece".into(),
                        };
                        crm.refund_sale(owner, id, input).map(drop)
                    }
                    None => Err(sarkar_crm::app::Error::NotFound("a bill to act on")),
                }
            }
            Step::WalkIn {
                customer,
                new_phone,
            } => {
                let known = &customers[customer % customers.len()];
                let (name, phone) = match new_phone {
                    Some(n) => (Some(format!("Walk-in {n}")), format!("98{n:08}")),
                    None => (None, known.phone.e164().to_owned()),
                };
                let floor = known.home_floor_id.map(|f| f.as_uuid());
                let floor = floor.or_else(|| pieces.first().map(|p| p.floor_id.as_uuid()));
                crm.log_walk_in(
                    owner,
                    WalkInInput {
                        name,
                        phone,
                        notes: None,
                        floor_id: floor,
                    },
                )
                .map(drop)
            }
            _ => Err(sarkar_crm::app::Error::NotFound("a piece in stock")),
        };
        done += usize::from(outcome.is_ok());
    }
    done
}

fn check(store: &Store) {
    let scope = Scope::store(store.owner.store_id);
    let kept = stored(&store.crm, &scope);
    let counted = recount(&store.crm, &scope, &store.zone);
    assert_eq!(kept.len(), counted.len(), "rows kept and rows counted");
    for (key, measures) in &counted {
        assert_eq!(kept.get(key), Some(measures), "figure {key:?}");
    }
    check_against_the_bills(&kept, &every_sale(&store.crm, &scope));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_figures_equal_a_recount_after_any_sequence_of_changes_and_after_a_rebuild(
        seed in 1u64..1_000,
        steps in proptest::collection::vec(step(), 20..45),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let store = runtime.block_on(small_store(seed));
        check(&store);
        let done = run(&store, &steps);
        prop_assert!(done * 2 >= steps.len(), "{done} of {} steps were done", steps.len());
        check(&store);
        store.crm.db().rebuild_figures().unwrap();
        check(&store);
    }
}
