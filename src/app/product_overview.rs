//! Everything a product's page shows, read in one call: the product, its price at
//! today's rate, and the floors and categories its details name.

use super::{Actor, Crm, Error};
use crate::domain::{Category, Floor, PriceToday, Product, ProductId};
use crate::store::Deleted;

/// What a product's page shows.
#[derive(Debug, Clone)]
pub struct ProductOverview {
    pub product: Product,
    /// Its price at today's rate for its purity; `None` while no such rate is set.
    pub price: Option<PriceToday>,
    /// The store's floors (to name the one the piece is kept on).
    pub floors: Vec<Floor>,
    /// The store's categories (to name the piece's category with its parents).
    pub categories: Vec<Category>,
}

impl Crm {
    /// The product's page: the product, what it costs today, and the names its
    /// details refer to.
    pub fn product_overview(&self, actor: &Actor, id: ProductId) -> Result<ProductOverview, Error> {
        let product = self.get_product(actor, id)?;
        let floors = self.list_floors(actor, Deleted::Hide)?;
        let price = self.price_of(actor, &product)?;
        Ok(ProductOverview {
            categories: self.list_categories(actor)?,
            product,
            price,
            floors,
        })
    }
}
