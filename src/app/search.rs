//! Searching customers and products through the index. Every hit is read back from
//! the store through the actor's scope, so a lagging or stale index can never show a
//! record the actor may not see, or one that was just removed.

use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::{Customer, CustomerId, Product, ProductId};
use crate::search::{CustomerSearch, Hits, ProductSearch};
use crate::store::{Page, PageRequest, catalogue, customers};

/// The most a search box may hold; longer text is refused rather than searched.
const MAX_QUERY: usize = 200;
const SUGGESTIONS: usize = 5;

/// What the global search box offers while someone types.
#[derive(Debug, Clone, Default)]
pub struct Suggestions {
    pub customers: Vec<Customer>,
    pub products: Vec<Product>,
}

pub(super) fn check_query(text: &str) -> Result<(), Error> {
    if text.chars().count() > MAX_QUERY {
        return Err(Error::field(
            "q",
            format!("is too long; search with at most {MAX_QUERY} characters"),
        ));
    }
    Ok(())
}

fn page_of<T>(items: Vec<T>, hits: &Hits, request: PageRequest) -> Page<T> {
    let has_more = request.offset() + hits.ids.len() < hits.total;
    Page {
        items,
        page: request.page_number(),
        per_page: request.per_page,
        offset: request.offset(),
        total: Some(hits.total as u64),
        has_more,
    }
}

impl Crm {
    /// Customers of the actor's store matching `search` (whose store is set here).
    pub(super) fn search_customers(
        &self,
        actor: &Actor,
        mut search: CustomerSearch,
        request: PageRequest,
    ) -> Result<Page<Customer>, Error> {
        check_query(&search.text)?;
        search.store = actor.store_id;
        let hits = self.search_index()?.search_customers(
            &search,
            request.offset(),
            request.per_page as usize,
        )?;
        let scope = actor.store_scope();
        let items = self.db.read(|rx| -> Result<Vec<Customer>, Error> {
            let mut items = Vec::with_capacity(hits.ids.len());
            for id in &hits.ids {
                if let Some(c) = customers::customer(rx, &scope, CustomerId::from_uuid(*id))?
                    && c.deleted_at.is_none()
                {
                    items.push(c);
                }
            }
            Ok(items)
        })?;
        Ok(page_of(items, &hits, request))
    }

    /// Products of the actor's store matching `search` (whose store is set here).
    pub(super) fn search_products(
        &self,
        actor: &Actor,
        mut search: ProductSearch,
        request: PageRequest,
    ) -> Result<Page<Product>, Error> {
        check_query(&search.text)?;
        search.store = actor.store_id;
        let hits = self.search_index()?.search_products(
            &search,
            request.offset(),
            request.per_page as usize,
        )?;
        let scope = actor.store_scope();
        let items = self.db.read(|rx| -> Result<Vec<Product>, Error> {
            let mut items = Vec::with_capacity(hits.ids.len());
            for id in &hits.ids {
                if let Some(p) = catalogue::product(rx, &scope, ProductId::from_uuid(*id))?
                    && p.deleted_at.is_none()
                {
                    items.push(p);
                }
            }
            Ok(items)
        })?;
        Ok(page_of(items, &hits, request))
    }

    /// The best few customers and products for what has been typed so far.
    pub fn suggest(&self, actor: &Actor, text: &str) -> Result<Suggestions, Error> {
        if text.trim().is_empty() {
            return Ok(Suggestions::default());
        }
        // A key sees the suggestions of the areas it may read, and needs one of them.
        let see_customers = actor.require_read(Area::Customers);
        let see_products = actor.require_read(Area::Catalogue);
        if let (Err(refused), Err(_)) = (&see_customers, &see_products) {
            return Err(Error::Forbidden(refused.to_string()));
        }
        let request = PageRequest::first(SUGGESTIONS as u32);
        let customers = self.search_customers(
            actor,
            CustomerSearch {
                store: actor.store_id,
                text: text.to_owned(),
                status: None,
                floor: None,
                tag: None,
            },
            request,
        )?;
        let products =
            self.search_products(actor, ProductSearch::text(actor.store_id, text), request)?;
        Ok(Suggestions {
            customers: if see_customers.is_ok() {
                customers.items
            } else {
                Vec::new()
            },
            products: if see_products.is_ok() {
                products.items
            } else {
                Vec::new()
            },
        })
    }
}
