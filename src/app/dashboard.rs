//! The dashboard: today's figures for the store and each floor, the customers added
//! most recently, and the pieces running out.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;

use super::backups::BackupStatus;
use super::figures::{BillSums, FigureFilter};
use super::kept::KeptUntilChange;
use super::{Actor, Crm, Error, Permission};
use crate::domain::{Customer, Floor, FloorId, Product, StoreId};
use crate::store::{Deleted, catalogue, customers, org};

/// A line with this many pieces or fewer in stock is shown as running low.
pub const LOW_STOCK: u32 = 1;
/// At most this many of today's new customers are counted exactly.
const COUNT_CAP: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub customers_total: u64,
    /// Customers added since midnight in the store's time zone (capped at 10,000).
    pub added_today: usize,
    pub recent: Vec<Customer>,
    pub floors: Vec<FloorFigures>,
    /// Active lines with [`LOW_STOCK`] pieces or fewer, fewest first.
    pub low_stock: Vec<Product>,
    pub low_stock_total: usize,
}

#[derive(Debug, Clone)]
pub struct FloorFigures {
    pub floor: Floor,
    pub added_today: usize,
    /// Active catalogue lines kept on this floor and the pieces they hold.
    pub lines: usize,
    pub pieces: u64,
    pub low_stock: usize,
}

/// What the dashboard page shows: the figures, and where backups stand for the one
/// person who can act on them.
#[derive(Debug, Clone)]
pub struct DashboardOverview {
    pub board: Arc<Dashboard>,
    /// Set only for a Business Admin: only the owner can act on backups, so only the
    /// owner is told about them.
    pub backups: Option<BackupStatus>,
    /// The bills invoiced today that this person may see (a Floor Manager's floor
    /// only), from the kept figures; `None` for someone who sees no sales.
    pub sold_today: Option<BillSums>,
}

/// The last dashboard worked out for each store. Its figures read every live product
/// and today's customers, so it is kept until the next change (or the next day) rather
/// than worked out for each look.
pub(super) type DashboardCache = KeptUntilChange<StoreId, Arc<Dashboard>>;

impl Crm {
    /// The dashboard of the actor's store; every role sees the whole store's figures.
    pub fn dashboard(&self, actor: &Actor) -> Result<Arc<Dashboard>, Error> {
        let today = self.today();
        let midnight = today
            .to_zoned_datetime(self.config.time_zone())
            .map_err(|e| Error::internal("finding midnight of today", e))?
            .timestamp();
        self.db.read(|rx| -> Result<_, Error> {
            let seq = rx.last_change_seq()?;
            if let Some(board) = self.dashboard_cache.get(&actor.store_id, seq, today) {
                return Ok(board);
            }
            let scope = actor.store_scope();
            let board = Arc::new(work_out(
                org::floors(rx, &scope, Deleted::Hide)?,
                customers::customer_count(rx, &scope)?,
                customers::customers_added_since(rx, &scope, midnight, COUNT_CAP)?,
                customers::customers_added_since(rx, &scope, Timestamp::UNIX_EPOCH, 8)?,
                catalogue::live_products(rx, &scope)?,
            ));
            self.dashboard_cache
                .keep(actor.store_id, seq, today, board.clone());
            Ok(board)
        })
    }

    /// The dashboard page: the store's figures, today's bills as far as the actor may
    /// see them, and the backup status for an admin.
    pub fn dashboard_overview(&self, actor: &Actor) -> Result<DashboardOverview, Error> {
        let backups = actor
            .may(Permission::ManageBackups)
            .then(|| self.backup_status(actor))
            .transpose()?;
        let today = self.today();
        let sold_today = match self.period_figures(actor, (today, today), FigureFilter::default()) {
            Ok(figures) => Some(figures.bills),
            // A Floor Manager not yet given a floor sees no sales, and the page says so
            // by leaving the tiles out rather than failing.
            Err(Error::Forbidden(_)) => None,
            Err(other) => return Err(other),
        };
        Ok(DashboardOverview {
            board: self.dashboard(actor)?,
            backups,
            sold_today,
        })
    }
}

fn work_out(
    floors: Vec<Floor>,
    customers_total: u64,
    today: Vec<Customer>,
    recent: Vec<Customer>,
    products: Vec<Product>,
) -> Dashboard {
    let mut floors: Vec<FloorFigures> = floors
        .into_iter()
        .map(|floor| FloorFigures {
            floor,
            added_today: 0,
            lines: 0,
            pieces: 0,
            low_stock: 0,
        })
        .collect();
    let mut index: HashMap<FloorId, usize> = HashMap::new();
    for (i, f) in floors.iter().enumerate() {
        index.insert(f.floor.id, i);
    }
    for customer in &today {
        if let Some(&i) = customer.home_floor_id.and_then(|f| index.get(&f)) {
            floors[i].added_today += 1;
        }
    }
    let mut low_stock = Vec::new();
    for product in products.into_iter().filter(|p| p.active) {
        let low = product.stock_qty <= LOW_STOCK;
        if let Some(&i) = index.get(&product.floor_id) {
            let f = &mut floors[i];
            f.lines += 1;
            f.pieces += u64::from(product.stock_qty);
            f.low_stock += usize::from(low);
        }
        if low {
            low_stock.push(product);
        }
    }
    low_stock.sort_by(|a, b| {
        a.stock_qty
            .cmp(&b.stock_qty)
            .then_with(|| a.name.as_str().cmp(b.name.as_str()))
    });
    let low_stock_total = low_stock.len();
    low_stock.truncate(12);
    Dashboard {
        customers_total,
        added_today: today.len(),
        recent,
        floors,
        low_stock,
        low_stock_total,
    }
}
