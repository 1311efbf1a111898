//! The dashboard: today's figures for the store and each floor, the customers added
//! most recently, and the pieces running out.

use jiff::Timestamp;

use super::{Actor, Crm, Error};
use crate::domain::{Customer, Floor, FloorId, Product};
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

impl Crm {
    pub fn dashboard(&self, actor: &Actor) -> Result<Dashboard, Error> {
        let scope = actor.store_scope();
        let midnight = self
            .today()
            .to_zoned_datetime(self.config.time_zone())
            .map_err(|e| Error::Internal(e.to_string()))?
            .timestamp();
        let (floors, total, today, recent, products) = self.db.read(|rx| -> Result<_, Error> {
            Ok((
                org::floors(rx, &scope, Deleted::Hide)?,
                customers::customer_count(rx, &scope)?,
                customers::customers_added_since(rx, &scope, midnight, COUNT_CAP)?,
                customers::customers_added_since(rx, &scope, Timestamp::UNIX_EPOCH, 8)?,
                catalogue::live_products(rx, &scope)?,
            ))
        })?;
        let mut figures: Vec<FloorFigures> = floors
            .into_iter()
            .map(|floor| FloorFigures {
                floor,
                added_today: 0,
                lines: 0,
                pieces: 0,
                low_stock: 0,
            })
            .collect();
        let floor_of = |figures: &mut Vec<FloorFigures>, id: Option<FloorId>| {
            id.and_then(|id| figures.iter().position(|f| f.floor.id == id))
        };
        for customer in &today {
            if let Some(i) = floor_of(&mut figures, customer.home_floor_id) {
                figures[i].added_today += 1;
            }
        }
        let mut low_stock = Vec::new();
        for product in products.into_iter().filter(|p| p.active) {
            let low = product.stock_qty <= LOW_STOCK;
            if let Some(i) = floor_of(&mut figures, Some(product.floor_id)) {
                let f = &mut figures[i];
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
        Ok(Dashboard {
            customers_total: total,
            added_today: today.len(),
            recent,
            floors: figures,
            low_stock,
            low_stock_total,
        })
    }
}
