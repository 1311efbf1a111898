//! The dashboard: today's figures for the store and each floor, the customers added
//! most recently, and the pieces running out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;

use super::{Actor, Crm, Error};
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

/// One store's catalogue stock per floor and the lines running out, as of one
/// change-log sequence. Worked out from every live product (a store has thousands), so it is kept
/// until the next change rather than recounted for each look at the dashboard.
#[derive(Debug, Default)]
pub(super) struct StockCache(Mutex<Option<(StoreId, u64, Arc<Stock>)>>);

#[derive(Debug, Default)]
struct Stock {
    /// Floor → (lines, pieces, lines running out).
    floors: HashMap<FloorId, (usize, u64, usize)>,
    /// Lines running out, fewest pieces first.
    low: Vec<Product>,
}

impl Stock {
    fn of(products: Vec<Product>) -> Self {
        let mut stock = Stock::default();
        for product in products.into_iter().filter(|p| p.active) {
            let low = product.stock_qty <= LOW_STOCK;
            let floor = stock.floors.entry(product.floor_id).or_default();
            floor.0 += 1;
            floor.1 += u64::from(product.stock_qty);
            floor.2 += usize::from(low);
            if low {
                stock.low.push(product);
            }
        }
        stock.low.sort_by(|a, b| {
            a.stock_qty
                .cmp(&b.stock_qty)
                .then_with(|| a.name.as_str().cmp(b.name.as_str()))
        });
        stock
    }
}

impl Crm {
    pub fn dashboard(&self, actor: &Actor) -> Result<Dashboard, Error> {
        let scope = actor.store_scope();
        let midnight = self
            .today()
            .to_zoned_datetime(self.config.time_zone())
            .map_err(|e| Error::Internal(e.to_string()))?
            .timestamp();
        let (floors, total, today, recent, stock) = self.db.read(|rx| -> Result<_, Error> {
            let seq = rx.last_change_seq()?;
            let cached = self.stock.0.lock().ok().and_then(|c| {
                c.as_ref()
                    .filter(|(store, at, _)| *store == actor.store_id && *at == seq)
                    .map(|(_, _, stock)| stock.clone())
            });
            let stock = match cached {
                Some(stock) => stock,
                None => {
                    let stock = Arc::new(Stock::of(catalogue::live_products(rx, &scope)?));
                    if let Ok(mut cache) = self.stock.0.lock() {
                        *cache = Some((actor.store_id, seq, stock.clone()));
                    }
                    stock
                }
            };
            Ok((
                org::floors(rx, &scope, Deleted::Hide)?,
                customers::customer_count(rx, &scope)?,
                customers::customers_added_since(rx, &scope, midnight, COUNT_CAP)?,
                customers::customers_added_since(rx, &scope, Timestamp::UNIX_EPOCH, 8)?,
                stock,
            ))
        })?;
        let figures: Vec<FloorFigures> = floors
            .into_iter()
            .map(|floor| {
                let (lines, pieces, low_stock) =
                    stock.floors.get(&floor.id).copied().unwrap_or_default();
                let added_today = today
                    .iter()
                    .filter(|c| c.home_floor_id == Some(floor.id))
                    .count();
                FloorFigures {
                    floor,
                    added_today,
                    lines,
                    pieces,
                    low_stock,
                }
            })
            .collect();
        Ok(Dashboard {
            customers_total: total,
            added_today: today.len(),
            recent,
            floors: figures,
            low_stock: stock.low.iter().take(12).cloned().collect(),
            low_stock_total: stock.low.len(),
        })
    }
}
