//! Demo data: a believable Kolkata jewellery store with floors and managers, a
//! catalogue, customers, two years of seasonal sales with a few returns, a year of
//! daily rate boards, timelines of walk-ins and calls, and follow-ups (some overdue,
//! some due today). Everything is dated before the run: the store looks as it would
//! on the morning after yesterday's trading. The same seed always makes the same store.
//!
//! Like an import, it writes through the store's repositories in large batches (one
//! write transaction per few thousand records), so every record still gets its
//! change-log entry and indexes. It does not go through `app`'s one-record use cases,
//! which would mean one durable commit per record.

mod activity;
mod calendar;
mod catalogue;
mod clock;
mod people;
mod sales;
mod templates;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::app::{Crm, Error, StoreRegistration};
use crate::domain::{
    Account, CategoryId, FinancialYear, FloorId, Gstin, InvoiceNo, PersonName, Product, SaleStatus,
    Store, Text, User, UserId, UserRole, Username,
};
use crate::store::{
    ChangeOp, Scope, catalogue as catalogue_repo, customers, org, people as people_repo,
    sales as sales_repo,
};
use activity::Staff;
use clock::Clock;

pub use calendar::{demand, rate_per_gram};

/// The password of the demo floor managers, printed when the demo is made.
pub const DEMO_PASSWORD: &str = "sarkar-demo";
pub(crate) const BATCH: usize = 5_000;

/// The usernames of the demo's floor managers, who all get [`DEMO_PASSWORD`].
pub fn manager_usernames() -> impl Iterator<Item = &'static str> {
    catalogue::FLOORS.iter().map(|(_, username)| *username)
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub customers: u32,
    pub products: u32,
    pub sales: u32,
    pub seed: u64,
}

#[derive(Debug)]
pub struct DemoReport {
    pub store: String,
    pub floors: usize,
    pub customers: u32,
    pub products: u32,
    pub sales: u32,
    /// Interactions (walk-ins, calls…), follow-ups and rates written.
    pub interactions: usize,
    pub follow_ups: usize,
    pub rates: usize,
    /// When the run started: every record it wrote is dated at or before this.
    pub started_at: Timestamp,
    pub seconds: f64,
    pub managers: Vec<String>,
}

impl std::fmt::Display for DemoReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Filled \"{}\" in {:.1} s: {} floors, {} products, {} customers, {} sales, {} interactions, {} follow-ups, {} rates.",
            self.store,
            self.seconds,
            self.floors,
            self.products,
            self.customers,
            self.sales,
            self.interactions,
            self.follow_ups,
            self.rates
        )?;
        write!(
            f,
            "Floor managers {} can sign in with the password \"{DEMO_PASSWORD}\"; add yourself with `sarkar-crm user add --role business-admin`.",
            self.managers.join(", ")
        )
    }
}

fn progress(show: bool, total: u64) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg:<10} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// Registers the demo store under GST if it is not yet, as a jeweller of its size must
/// be, so its bills are tax invoices: a GSTIN of its state (PAN AAACS1234F, made up)
/// and a Kolkata address.
fn register_demo_store(crm: &Crm, store: Store) -> Result<Store, Error> {
    if store.gstin.is_some() {
        return Ok(store);
    }
    let gstin = Gstin::with_check_character(&format!("{}AAACS1234F1Z", store.state_code))
        .map_err(|e| Error::internal("the demo store's GSTIN", e))?;
    let address = if store.address.is_empty() {
        Text::parse("45 Bowbazar Street, Kolkata 700012")
            .map_err(|e| Error::internal("the demo store's address", e))?
    } else {
        store.address.clone()
    };
    let registration = StoreRegistration {
        gstin: Some(gstin),
        state_code: store.state_code.clone(),
        address,
    };
    crm.register_store(store.id, registration)
}

/// Fills the configured default store, which must not have customers yet.
pub fn generate(
    crm: &Crm,
    options: &DemoOptions,
    show_progress: bool,
) -> Result<DemoReport, Error> {
    let started = Instant::now();
    let now = crate::domain::now();
    let clock = Clock::new(now, crm.config().time_zone());
    let today = clock.today;
    // The store opened a little before its first customers arrived, three years ago.
    let opened = clock.at(today.saturating_sub(Span::new().years(3).days(30)), 10, 0);
    let mut rng = StdRng::seed_from_u64(options.seed);
    let store = crm.default_store()?;
    let scope = Scope::store(store.id);
    let db = crm.db();
    let existing = db.read(|rx| customers::customer_count(rx, &scope))?;
    if existing > 0 {
        return Err(Error::Conflict {
            message: format!(
                "\"{}\" already has {existing} customers; demo data goes into an empty store, so use a new --data-dir",
                store.name
            ),
            field: None,
            existing_id: None,
        });
    }
    // Registered only once the store is known to be empty: a refused run changes nothing.
    let store = register_demo_store(crm, store)?;
    let bar = progress(
        show_progress,
        u64::from(options.products) + u64::from(options.customers) + u64::from(options.sales),
    );
    // A store or floor made by this run is dated the day the store opened.
    bar.set_message("store");
    if store.created_at > now {
        let backdated = crate::domain::Store {
            created_at: opened,
            ..store.clone()
        };
        db.write(None, |w| org::update_store(w, &backdated))?;
    }
    let mut floors = Vec::new();
    let mut by_floor: HashMap<FloorId, (Vec<usize>, UserId)> = HashMap::new();
    let mut manager_names = Vec::new();
    let mut staff = Vec::new();
    let password_hash = crm.hash_password_blocking(DEMO_PASSWORD)?;
    for (index, (name, username)) in catalogue::FLOORS.iter().enumerate() {
        let mut floor = crm.ensure_floor(store.id, name)?;
        if floor.created_at > now {
            let backdated = crate::domain::Floor {
                created_at: opened,
                updated_at: opened,
                ..floor.clone()
            };
            db.write(None, |w| {
                org::update_floor(w, &floor, &backdated, ChangeOp::Updated)
            })?;
            floor = backdated;
        }
        let username =
            Username::parse(username).map_err(|e| Error::internal("a demo username", e))?;
        let manager =
            match db.read(|rx| people_repo::find_user_by_username(rx, username.as_str()))? {
                Some(user) => user,
                None => {
                    let user = User {
                        id: UserId::new(),
                        store_id: store.id,
                        username: username.clone(),
                        name: PersonName::parse(catalogue::MANAGER_NAMES[index])
                            .map_err(|e| Error::internal("a demo manager's name", e))?,
                        email: None,
                        phone: None,
                        role: UserRole::FloorManager,
                        floor_id: Some(floor.id),
                        active: true,
                        created_at: opened,
                        updated_at: opened,
                        deleted_at: None,
                    };
                    let account = Account {
                        user_id: user.id,
                        password_hash: password_hash.clone(),
                        password_changed_at: now,
                    };
                    db.write(None, |w| people_repo::insert_user(w, &user, &account))?;
                    user
                }
            };
        manager_names.push(manager.username.to_string());
        by_floor.insert(floor.id, (Vec::new(), manager.id));
        staff.push(Staff {
            floor: floor.id,
            manager: manager.id,
        });
        floors.push(floor.id);
    }
    let mut categories: HashMap<(&str, &str), CategoryId> = HashMap::new();
    db.write(None, |w| {
        let existing = catalogue_repo::categories(w, &scope, crate::store::Deleted::Hide)?;
        for (parent, children) in catalogue::CATEGORY_TREE {
            let top = match existing
                .iter()
                .find(|c| c.parent_id.is_none() && c.name.as_str() == *parent)
            {
                Some(c) => c.id,
                None => {
                    let c = catalogue::category(store.id, parent, None, opened);
                    catalogue_repo::insert_category(w, &c)?;
                    c.id
                }
            };
            for child in *children {
                let id = match existing
                    .iter()
                    .find(|c| c.parent_id == Some(top) && c.name.as_str() == *child)
                {
                    Some(c) => c.id,
                    None => {
                        let c = catalogue::category(store.id, child, Some(top), opened);
                        catalogue_repo::insert_category(w, &c)?;
                        c.id
                    }
                };
                categories.insert((parent, child), id);
            }
        }
        Ok::<_, Error>(())
    })?;

    // The catalogue.
    bar.set_message("products");
    let mut products: Vec<Product> = Vec::with_capacity(options.products as usize);
    for n in 1..=options.products {
        let product = catalogue::product(
            &mut rng,
            n,
            store.id,
            &floors,
            |p, c| categories.get(&(p, c)).copied(),
            opened,
        );
        if let Some((indexes, _)) = by_floor.get_mut(&product.floor_id) {
            indexes.push(products.len());
        }
        products.push(product);
    }
    for chunk in products.chunks(BATCH) {
        db.write(None, |w| {
            chunk
                .iter()
                .try_for_each(|p| catalogue_repo::insert_product(w, p))
        })?;
        bar.inc(chunk.len() as u64);
    }

    // When customers arrived (over three years) and when sales happened (over two),
    // each sale going to a customer who had arrived by then. Both run up to
    // yesterday's closing, so nothing is dated after the run.
    let first_day = today.saturating_sub(Span::new().years(3));
    let sales_from = today.saturating_sub(Span::new().years(2));
    let mut arrivals: Vec<Timestamp> = (0..options.customers)
        .map(|_| clock.shop_moment_between(&mut rng, first_day, clock.yesterday))
        .collect();
    arrivals.sort();
    let sale_days = calendar::seasonal_days(
        &mut rng,
        sales_from,
        clock.yesterday,
        options.sales as usize,
    );
    let mut sale_plan: Vec<(Timestamp, Date, usize)> = Vec::with_capacity(sale_days.len());
    let mut sales_per_customer = vec![0u32; arrivals.len()];
    for day in sale_days {
        let at = clock.shop_moment(&mut rng, day);
        let arrived = arrivals.partition_point(|t| *t <= at);
        if arrived == 0 {
            continue;
        }
        // Half the buyers are recent arrivals; the rest are returning customers.
        let who = if rng.random_bool(0.5) {
            arrived - 1 - rng.random_range(0..arrived.min(50))
        } else {
            rng.random_range(0..arrived)
        };
        sales_per_customer[who] += 1;
        sale_plan.push((at, day, who));
    }

    // Customers, in order of arrival so their numbers follow it.
    bar.set_message("customers");
    let mut used_phones = HashSet::with_capacity(arrivals.len());
    let mut made = Vec::with_capacity(arrivals.len());
    let admin = UserId::from_u128(0);
    for (start, chunk) in arrivals
        .chunks(BATCH)
        .enumerate()
        .map(|(i, c)| (i * BATCH, c))
    {
        let batch: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let creator = by_floor
                    .values()
                    .nth((start + i) % by_floor.len())
                    .map_or(admin, |(_, u)| *u);
                people::customer(
                    &mut rng,
                    &mut used_phones,
                    store.id,
                    &floors,
                    creator,
                    *at,
                    today,
                    sales_per_customer[start + i],
                )
            })
            .collect();
        db.write(None, |w| {
            for (customer, info) in batch {
                customers::insert_customer(w, customer)?;
                made.push(info);
            }
            Ok::<_, Error>(())
        })?;
        bar.inc(chunk.len() as u64);
    }

    // Sales, in date order so invoice serials run with time, per financial year.
    bar.set_message("sales");
    let gstin = store
        .gstin
        .clone()
        .ok_or_else(|| Error::internal_message("the demo store was registered without a GSTIN"))?;
    let ctx = sales::SaleContext {
        store: store.id,
        gstin,
        products: &products,
        by_floor,
        clock: &clock,
    };
    let mut ledger = sales::CashLedger::default();
    let mut written = 0u32;
    for chunk in sale_plan.chunks(BATCH) {
        if products.is_empty() {
            break;
        }
        let batch: Vec<_> = chunk
            .iter()
            .map(|(at, day, who)| {
                (
                    sales::sale(&mut rng, &ctx, made[*who], *at, *day, &mut ledger),
                    *day,
                )
            })
            .collect();
        db.write(None, |w| {
            for (mut sale, day) in batch {
                if matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded) {
                    let year = FinancialYear::containing(day);
                    let serial = sales_repo::next_invoice_serial(w, store.id, year)?;
                    let number = InvoiceNo::new(
                        &crm.config().store.invoice_prefix,
                        year,
                        u32::try_from(serial).unwrap_or(u32::MAX),
                    )
                    .map_err(|e| Error::internal("numbering a demo invoice", e))?;
                    sale.invoice_no = Some(number);
                }
                sales_repo::insert_sale(w, &sale)?;
            }
            Ok::<_, Error>(())
        })?;
        written += chunk.len() as u32;
        bar.inc(chunk.len() as u64);
    }

    // A year of rate boards, the timelines and the follow-ups.
    bar.set_message("activity");
    let written_activity = activity::write_all(
        db,
        &mut rng,
        &clock,
        activity::Setting {
            store: store.id,
            customers: &made,
            staff: &staff,
            owner: admin,
        },
    )?;
    bar.finish_and_clear();
    let floor_count = db
        .read(|rx| org::floors(rx, &scope, crate::store::Deleted::Hide))?
        .len();
    Ok(DemoReport {
        store: store.name.to_string(),
        floors: floor_count,
        customers: options.customers,
        products: options.products,
        sales: written,
        interactions: written_activity.interactions,
        follow_ups: written_activity.follow_ups,
        rates: written_activity.rates,
        started_at: now,
        seconds: started.elapsed().as_secs_f64(),
        managers: manager_names,
    })
}
