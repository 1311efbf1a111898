//! Exports of the lists: every record a list shows under its current filters, read a
//! page at a time and handed to a visitor that writes it out.
//!
//! Each page is read through the list's own page function (the same permission,
//! floor scope and filter checks as the list), in its own short read transaction, so an
//! export of any size never holds a long transaction or the whole list in memory. The
//! names beside each record (floors, categories, staff, customers) are looked up per
//! page; floors, categories and staff are few and kept for the whole export.

use std::collections::HashMap;

use super::sales_register::{SaleRow, SalesFilter, Totals};
use super::{Actor, Crm, CustomerQuery, Error, FollowUpQuery, ProductQuery};
use crate::domain::{
    CategoryId, Customer, CustomerId, CustomerValue, FloorId, FollowUp, Product, UserId, UserRole,
};
use crate::store::{
    Deleted, Origin, PageRequest, Scope, Tables, catalogue, customer_values, customers, org, people,
};

/// Records read per page (and per read transaction) of an export.
pub const EXPORT_PAGE: u32 = 500;

/// A list to export, with the filters it is shown under.
#[derive(Debug, Clone)]
pub enum ListExport {
    Customers(CustomerQuery),
    Products(ProductQuery),
    Sales(SalesFilter),
    FollowUps(FollowUpQuery),
}

/// A customer as exported: with their totals and home floor's name.
#[derive(Debug, Clone)]
pub struct CustomerExportRow {
    pub customer: Customer,
    pub value: CustomerValue,
    pub home_floor: String,
}

/// A product as exported: with its floor's and category's names.
#[derive(Debug, Clone)]
pub struct ProductExportRow {
    pub product: Product,
    pub floor: String,
    pub category: String,
}

/// A follow-up as exported: with whom to call and who owns it.
#[derive(Debug, Clone)]
pub struct FollowUpExportRow {
    pub follow_up: FollowUp,
    pub customer_name: String,
    pub customer_code: String,
    pub customer_phone: String,
    pub owner: String,
    pub floor: String,
}

/// Names of the few things every row refers to, gathered as the pages go by.
#[derive(Debug, Default)]
struct Names {
    floors: HashMap<FloorId, String>,
    categories: HashMap<CategoryId, String>,
    staff: HashMap<UserId, String>,
}

impl Names {
    fn floor(&mut self, tx: &impl Tables, scope: &Scope, id: FloorId) -> Result<String, Error> {
        if let Some(name) = self.floors.get(&id) {
            return Ok(name.clone());
        }
        let name = org::floor(tx, scope, id)?.map_or_else(String::new, |f| f.name.to_string());
        self.floors.insert(id, name.clone());
        Ok(name)
    }

    fn category(
        &mut self,
        tx: &impl Tables,
        scope: &Scope,
        id: CategoryId,
    ) -> Result<String, Error> {
        if let Some(name) = self.categories.get(&id) {
            return Ok(name.clone());
        }
        let found = catalogue::category(tx, scope, id)?;
        let name = found.map_or_else(String::new, |c| c.name.to_string());
        self.categories.insert(id, name.clone());
        Ok(name)
    }

    fn person(&mut self, tx: &impl Tables, scope: &Scope, id: UserId) -> Result<String, Error> {
        if let Some(name) = self.staff.get(&id) {
            return Ok(name.clone());
        }
        let name = people::user(tx, scope, id)?.map_or_else(String::new, |u| u.name.to_string());
        self.staff.insert(id, name.clone());
        Ok(name)
    }
}

impl Crm {
    /// The owner at the console (`sarkar-crm export`): the store's first active Business
    /// Admin, so a console export holds what the owner's Download link would. Reads only.
    pub fn console_actor(&self) -> Result<Actor, Error> {
        let store = self.db.read(org::only_store)?.ok_or_else(|| {
            Error::NotFound("a single store in this data directory (set it up first)")
        })?;
        let scope = Scope::store(store.id);
        let owner = self
            .db
            .read(|rx| people::users(rx, &scope, Deleted::Hide))?
            .into_iter()
            .filter(|u| u.active && u.role == UserRole::BusinessAdmin)
            .min_by_key(|u| u.id)
            .ok_or(Error::NotFound(
                "a Business Admin of the store (add the owner with `sarkar-crm user add`)",
            ))?;
        Ok(Actor {
            user_id: owner.id,
            username: owner.username,
            name: owner.name,
            role: owner.role,
            store_id: owner.store_id,
            floor_id: None,
            origin: Origin {
                address: None,
                device: "console".into(),
                api_key: None,
            },
            key: None,
        })
    }

    /// Checks that `actor` may export `list` with its filters, exactly as the list
    /// itself would refuse them, and says how many rows it holds when that is known
    /// without reading them all.
    pub fn check_export(&self, actor: &Actor, list: &ListExport) -> Result<Option<u64>, Error> {
        let first = PageRequest::first(1);
        match list {
            ListExport::Customers(query) => Ok(self.customers_page(actor, query, first)?.total),
            ListExport::Products(query) => Ok(self.products_page(actor, query, first)?.total),
            ListExport::FollowUps(query) => Ok(self.follow_ups_page(actor, query, first)?.total),
            ListExport::Sales(filter) => {
                let register = self.register_page(actor, filter, None, 0, Totals::Counted)?;
                Ok(Some(register.totals.bills))
            }
        }
    }

    /// Hands every customer the list shows under `query` to `visit`, a page at a time,
    /// and says how many there were.
    pub fn export_customers(
        &self,
        actor: &Actor,
        query: &CustomerQuery,
        visit: &mut dyn FnMut(Vec<CustomerExportRow>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        let (mut names, mut done) = (Names::default(), 0_u64);
        let scope = actor.store_scope();
        let (mut skip, mut after) = (0, None);
        loop {
            // A list walks on from where the last page ended; a search's results are
            // few, and paged by number.
            let (customers, more) =
                match self.customers_after(actor, query, after.as_ref(), EXPORT_PAGE as usize)? {
                    Some(walked) => {
                        let more = walked.next.is_some();
                        after = walked.next;
                        (walked.items, more)
                    }
                    None => {
                        let page = self.customers_page(actor, query, page_at(skip))?;
                        (page.items, page.has_more)
                    }
                };
            let rows = self.db.read(|rx| -> Result<_, Error> {
                let ids: Vec<CustomerId> = customers.iter().map(|c| c.id).collect();
                let values = customer_values::customer_values(rx, &scope, &ids)?;
                let mut rows = Vec::with_capacity(customers.len());
                for customer in customers {
                    let home_floor = match customer.home_floor_id {
                        Some(floor) => names.floor(rx, &scope, floor)?,
                        None => String::new(),
                    };
                    let value = values.get(&customer.id).copied().unwrap_or_default();
                    rows.push(CustomerExportRow {
                        customer,
                        value,
                        home_floor,
                    });
                }
                Ok(rows)
            })?;
            skip += rows.len();
            done += rows.len() as u64;
            visit(rows)?;
            if !more {
                return Ok(done);
            }
        }
    }

    /// Hands every product the list shows under `query` to `visit`, a page at a time.
    pub fn export_products(
        &self,
        actor: &Actor,
        query: &ProductQuery,
        visit: &mut dyn FnMut(Vec<ProductExportRow>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        let (mut names, mut done) = (Names::default(), 0_u64);
        let scope = actor.store_scope();
        let mut skip = 0;
        loop {
            let page = self.products_page(actor, query, page_at(skip))?;
            let rows = self.db.read(|rx| -> Result<_, Error> {
                let mut rows = Vec::with_capacity(page.items.len());
                for product in page.items {
                    let floor = names.floor(rx, &scope, product.floor_id)?;
                    let category = match product.category_id {
                        Some(id) => names.category(rx, &scope, id)?,
                        None => String::new(),
                    };
                    rows.push(ProductExportRow {
                        product,
                        floor,
                        category,
                    });
                }
                Ok(rows)
            })?;
            skip += rows.len();
            done += rows.len() as u64;
            visit(rows)?;
            if !page.has_more {
                return Ok(done);
            }
        }
    }

    /// Hands every sale the register shows under `filter` to `visit`, newest first, a
    /// page at a time (each page read from where the last one ended, by id).
    pub fn export_sales(
        &self,
        actor: &Actor,
        filter: &SalesFilter,
        visit: &mut dyn FnMut(Vec<SaleRow>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        let (mut before, mut done) = (None, 0_u64);
        loop {
            let page = EXPORT_PAGE as usize;
            let register = self.register_page(actor, filter, before, page, Totals::Skipped)?;
            done += register.rows.len() as u64;
            let last = register.rows.last().map(|r| r.sale.id);
            visit(register.rows)?;
            match (register.older, last) {
                (Some(_), Some(last)) => before = Some(last),
                _ => return Ok(done),
            }
        }
    }

    /// Hands every follow-up the list shows under `query` to `visit`, a page at a time.
    pub fn export_follow_ups(
        &self,
        actor: &Actor,
        query: &FollowUpQuery,
        visit: &mut dyn FnMut(Vec<FollowUpExportRow>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        let (mut names, mut done) = (Names::default(), 0_u64);
        let scope = actor.store_scope();
        let mut skip = 0;
        loop {
            let page = self.follow_ups_page(actor, query, page_at(skip))?;
            let rows = self.db.read(|rx| -> Result<_, Error> {
                let mut rows = Vec::with_capacity(page.items.len());
                for follow_up in page.items {
                    let customer = customers::customer(rx, &scope, follow_up.customer_id)?;
                    let (customer_name, customer_code, customer_phone) = customer
                        .map_or_else(Default::default, |c| {
                            (c.name.to_string(), c.code(), c.phone.national_spaced())
                        });
                    rows.push(FollowUpExportRow {
                        owner: names.person(rx, &scope, follow_up.owner_id)?,
                        floor: names.floor(rx, &scope, follow_up.floor_id)?,
                        customer_name,
                        customer_code,
                        customer_phone,
                        follow_up,
                    });
                }
                Ok(rows)
            })?;
            skip += rows.len();
            done += rows.len() as u64;
            visit(rows)?;
            if !page.has_more {
                return Ok(done);
            }
        }
    }
}

/// The export page that starts after `skip` records.
fn page_at(skip: usize) -> PageRequest {
    PageRequest {
        skip,
        per_page: EXPORT_PAGE,
    }
}
