//! What the bill form asks while staff type: the customer a phone number belongs to,
//! the pieces whose tag numbers start with what was typed, and today's price of the
//! products that lists and search results show.

use std::collections::HashMap;

use super::{Actor, Crm, Error};
use crate::domain::pricing::Supply;
use crate::domain::{Customer, Paise, Phone, PriceToday, Product, Purity, Sku, price_today};
use crate::store::{Scope, Tables, catalogue, customers, org, rates};

/// How many pieces the tag-number suggestions offer.
pub const TAG_SUGGESTIONS: usize = 8;
/// How many tag numbers a suggestion reads at most before it stops looking for pieces
/// in stock, so one typed letter in a big catalogue stays a short read.
const TAGS_SCANNED: usize = 200;

/// A product with its price at today's rates (`None` when its metal has no rate today
/// and it has no fixed price).
#[derive(Debug, Clone)]
pub struct PricedProduct {
    pub product: Product,
    pub price: Option<PriceToday>,
}

/// Today's rate per gram of each purity asked for, read once per purity, and whether
/// the store charges GST at all.
struct ShelfRates {
    per_gram: HashMap<Purity, Option<Paise>>,
    supply: Supply,
}

fn rates_of(tx: &impl Tables, actor: &Actor, products: &[Product]) -> Result<ShelfRates, Error> {
    let scope = actor.store_scope();
    let supply = shelf_supply(tx, &scope)?;
    let mut rates = HashMap::new();
    for p in products {
        if p.fixed_price.is_none() && !rates.contains_key(&p.purity) {
            let rate = rates::current_rate(tx, &scope, p.purity)?.map(|r| r.per_gram);
            rates.insert(p.purity, rate);
        }
    }
    Ok(ShelfRates {
        per_gram: rates,
        supply,
    })
}

/// The GST a price on the shelf includes: a customer of the store's own state when the
/// store is registered, none when it is not (its bills are bills of supply).
pub(super) fn shelf_supply(tx: &impl Tables, scope: &Scope) -> Result<Supply, Error> {
    let registered = org::store(tx, scope)?.is_some_and(|s| s.gstin.is_some());
    Ok(if registered {
        Supply::IntraState
    } else {
        Supply::ByUnregisteredSeller
    })
}

fn priced(product: &Product, rates: &ShelfRates) -> Option<PriceToday> {
    let rate = rates.per_gram.get(&product.purity).copied().flatten();
    price_today(product, rate, rates.supply)
}

impl Crm {
    /// The live customer of the actor's store on this phone number, if there is one.
    /// A number that cannot be read is refused with the reason, on `customer_phone`.
    pub fn customer_with_phone(
        &self,
        actor: &Actor,
        typed: &str,
    ) -> Result<Option<Customer>, Error> {
        let phone = Phone::parse(typed).map_err(|e| Error::field("customer_phone", e.0))?;
        let found = self
            .db
            .read(|rx| customers::customer_by_phone(rx, &actor.store_scope(), &phone))?;
        Ok(found.filter(|c| c.deleted_at.is_none()))
    }

    /// Pieces on sale and in stock whose tag number starts with `typed`, in tag-number
    /// order, each priced at today's rates. Nothing typed, nothing suggested; text that
    /// cannot be part of a tag number is refused with the reason, on `q`.
    pub fn tag_suggestions(&self, actor: &Actor, typed: &str) -> Result<Vec<PricedProduct>, Error> {
        if typed.trim().is_empty() {
            return Ok(Vec::new());
        }
        let prefix = Sku::parse(typed).map_err(|e| Error::field("q", e.0))?;
        self.db.read(|rx| -> Result<_, Error> {
            let found = catalogue::products_by_sku_prefix(
                rx,
                &actor.store_scope(),
                &prefix,
                TAG_SUGGESTIONS,
                TAGS_SCANNED,
                |p| p.deleted_at.is_none() && p.active && p.stock_qty > 0,
            )?;
            let rates = rates_of(rx, actor, &found)?;
            Ok(found
                .into_iter()
                .map(|product| PricedProduct {
                    price: priced(&product, &rates),
                    product,
                })
                .collect())
        })
    }

    /// Each product's price at today's rates, in the order given, the way the product's
    /// own page works it out ([`price_today`]); `None` where the metal has no rate today.
    pub fn prices_today(
        &self,
        actor: &Actor,
        products: &[Product],
    ) -> Result<Vec<Option<PriceToday>>, Error> {
        let rates = self.db.read(|rx| rates_of(rx, actor, products))?;
        Ok(products.iter().map(|p| priced(p, &rates)).collect())
    }
}
