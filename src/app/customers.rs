//! Customers: every role looks any customer of the store up; changes stay with the
//! customer's home floor (or an admin).

use std::collections::HashMap;

use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::customer_input::{CustomerInput, Parsed, parse_customer};
use super::users::non_blank;
use super::{Actor, Crm, Error, Paging, Permission};
use crate::domain::Area;
use crate::domain::{
    Customer, CustomerId, CustomerStatus, CustomerValue, FieldErrors, FloorId, Tag,
};
use crate::search::CustomerSearch;
use crate::store::customer_values::{self, ValueOrder};
use crate::store::customers::{self as repo, CustomerFilter, CustomerOrder};
use crate::store::{ChangeOp, Deleted, IndexPosition, Page, PageRequest, StoreError, Walked, org};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Search text: a name (typos and spelling variants are forgiven), 4 or more phone
    /// digits, a customer code, email, locality or tag. Results come best first.
    pub q: Option<String>,
    pub status: Option<CustomerStatus>,
    pub home_floor_id: Option<Uuid>,
    pub tag: Option<String>,
    /// `true` lists removed customers instead (admins only), for restoring.
    pub deleted: Option<bool>,
    /// `newest` (default), `oldest`, `name` or `-name`; by the customer's totals,
    /// `-value` (highest lifetime value first) or `value`, `-last_purchase` (latest
    /// first) or `last_purchase`, `-visits` (most first) or `visits`. A search (`q`)
    /// comes best first whatever the order.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(newest|-created|oldest|created|name|-name|-value|value|-last_purchase|last_purchase|-visits|visits)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub sort: Option<String>,
    /// Items per page, 1 to 200 (default 25).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
    /// Older alias: a 1-based page number, instead of `cursor`.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u32>,
    /// Older alias of `limit`.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
}

/// How a customers list is read: a search through the index of names and numbers, or
/// a walk through one of the store's order indexes under a filter.
enum CustomerListing {
    Search(CustomerSearch),
    Index(CustomerFilter, CustomerOrder),
}

/// Reads a list's query once, with the checks it needs: who may see removed customers,
/// a tag that is a tag, no search among the removed.
fn customer_listing(actor: &Actor, query: &CustomerQuery) -> Result<CustomerListing, Error> {
    actor.require_read(Area::Customers)?;
    let order = parse_order(query.sort.as_deref())?;
    let deleted = if query.deleted == Some(true) {
        actor.require(Permission::SeeRemoved)?;
        Deleted::Only
    } else {
        Deleted::Hide
    };
    let tag = non_blank(query.tag.as_deref())
        .map(Tag::parse)
        .transpose()
        .map_err(|e| Error::field("tag", e.0))?;
    if let Some(text) = non_blank(query.q.as_deref()) {
        if deleted == Deleted::Only {
            return Err(Error::field(
                "q",
                "search finds live customers; leave out `deleted` to search",
            ));
        }
        return Ok(CustomerListing::Search(CustomerSearch {
            store: actor.store_id,
            text: text.to_owned(),
            status: query.status,
            floor: query.home_floor_id.map(FloorId::from_uuid),
            tag: tag.map(|t| t.as_str().to_owned()),
        }));
    }
    let filter = CustomerFilter {
        status: query.status,
        home_floor: query.home_floor_id.map(FloorId::from_uuid),
        tag,
        deleted,
    };
    Ok(CustomerListing::Index(filter, order))
}

fn parse_order(sort: Option<&str>) -> Result<CustomerOrder, Error> {
    match sort.map(str::trim).unwrap_or("newest") {
        "newest" | "-created" | "" => Ok(CustomerOrder::Newest),
        "oldest" | "created" => Ok(CustomerOrder::Oldest),
        "name" => Ok(CustomerOrder::Name),
        "-name" => Ok(CustomerOrder::NameDesc),
        "-value" => Ok(CustomerOrder::Totals(ValueOrder::LifetimeValue, true)),
        "value" => Ok(CustomerOrder::Totals(ValueOrder::LifetimeValue, false)),
        "-last_purchase" => Ok(CustomerOrder::Totals(ValueOrder::LastPurchase, true)),
        "last_purchase" => Ok(CustomerOrder::Totals(ValueOrder::LastPurchase, false)),
        "-visits" => Ok(CustomerOrder::Totals(ValueOrder::Visits, true)),
        "visits" => Ok(CustomerOrder::Totals(ValueOrder::Visits, false)),
        other => Err(Error::field(
            "sort",
            format!(
                "'{other}' is not a sort order; use newest, oldest, name, -name, -value, value, -last_purchase, last_purchase, -visits or visits"
            ),
        )),
    }
}

impl Crm {
    /// Checks a parsed customer against the store: the home floor and preferred
    /// categories exist, and this person may file the customer under that floor.
    fn check_customer_refs(&self, actor: &Actor, parsed: &Parsed) -> Result<(), Error> {
        let scope = actor.store_scope();
        let mut errors = FieldErrors::new();
        self.db.read(|rx| -> Result<(), Error> {
            if let Some(floor) = parsed.home_floor_id
                && org::floor(rx, &scope, floor)?.is_none_or(|f| f.deleted_at.is_some())
            {
                errors.add("home_floor_id", "no such floor in this store");
            }
            for category in &parsed.preferences.categories {
                if crate::store::catalogue::category(rx, &scope, *category)?
                    .is_none_or(|c| c.deleted_at.is_some())
                {
                    errors.add(
                        "preferences.category_ids",
                        "names a category this store does not have",
                    );
                }
            }
            Ok(())
        })?;
        errors.into_result()?;
        actor.require_floor(parsed.home_floor_id, "customer")
    }

    /// Explains a phone clash by naming the customer who already has the number.
    fn phone_taken(&self, actor: &Actor, err: StoreError) -> Error {
        let StoreError::Duplicate { existing, .. } = err else {
            return err.into();
        };
        let id = CustomerId::from_u128(existing);
        match self
            .db
            .read(|rx| repo::customer(rx, &actor.store_scope(), id))
        {
            Ok(Some(other)) => Error::Conflict {
                message: format!(
                    "{} already has this phone number ({}); open that customer instead of adding a new one",
                    other.code(),
                    other.name
                ),
                field: Some("phone"),
                existing_id: Some(other.id.to_string()),
            },
            _ => Error::Conflict {
                message: "another customer already has this phone number".into(),
                field: Some("phone"),
                existing_id: None,
            },
        }
    }

    /// Checks a customer's details without saving anything, so a form that already
    /// found a problem of its own can still show every other problem at once.
    pub fn check_customer(&self, actor: &Actor, input: &CustomerInput) -> Result<(), Error> {
        let parsed = parse_customer(input, self.today())?;
        self.check_customer_refs(actor, &parsed)
    }

    pub fn create_customer(&self, actor: &Actor, input: CustomerInput) -> Result<Customer, Error> {
        actor.require_write(Area::Customers)?;
        let mut parsed = parse_customer(&input, self.today())?;
        if parsed.home_floor_id.is_none() && !actor.may(Permission::EveryFloor) {
            parsed.home_floor_id = actor.floor_id;
        }
        self.check_customer_refs(actor, &parsed)?;
        let result = self.db.write(actor.author(), |w| {
            let customer = parsed.into_customer(actor.store_id, actor.user_id, w.now());
            repo::insert_customer(w, customer)
        });
        result.map_err(|e| self.phone_taken(actor, e))
    }

    /// Any customer of the store; removed ones only for an admin.
    pub fn get_customer(&self, actor: &Actor, id: CustomerId) -> Result<Customer, Error> {
        actor.require_read(Area::Customers)?;
        self.db
            .read(|rx| repo::customer(rx, &actor.store_scope(), id))?
            .filter(|c| c.deleted_at.is_none() || actor.may(Permission::SeeRemoved))
            .ok_or(Error::NotFound("customer"))
    }

    pub fn list_customers(
        &self,
        actor: &Actor,
        query: &CustomerQuery,
    ) -> Result<Page<Customer>, Error> {
        actor.require_read(Area::Customers)?;
        let request = Paging {
            limit: query.limit,
            cursor: query.cursor.as_deref(),
            page: query.page,
            per_page: query.per_page,
        }
        .request()?;
        self.customers_page(actor, query, request)
    }

    /// One page of the customers list under `query`'s filters, wherever `request` says
    /// (the list's own paging fields are not read): what the list and its export share.
    pub(super) fn customers_page(
        &self,
        actor: &Actor,
        query: &CustomerQuery,
        request: PageRequest,
    ) -> Result<Page<Customer>, Error> {
        match customer_listing(actor, query)? {
            CustomerListing::Search(search) => self.search_customers(actor, search, request),
            CustomerListing::Index(filter, order) => Ok(self.db.read(|rx| {
                repo::list_customers(rx, &actor.store_scope(), &filter, order, request)
            })?),
        }
    }

    /// Up to `per_page` customers of the list under `query`, from just past `after`,
    /// with where to go on from when more may follow; `None` when `query` is a search,
    /// whose results are few and paged by number instead. Exports walk a list of any
    /// size this way, a short read each page, without counting past the pages before.
    pub(super) fn customers_after(
        &self,
        actor: &Actor,
        query: &CustomerQuery,
        after: Option<&IndexPosition>,
        per_page: usize,
    ) -> Result<Option<Walked<Customer>>, Error> {
        match customer_listing(actor, query)? {
            CustomerListing::Search(_) => Ok(None),
            CustomerListing::Index(filter, order) => Ok(Some(self.db.read(|rx| {
                repo::customers_after(rx, &actor.store_scope(), &filter, order, after, per_page)
            })?)),
        }
    }

    /// A customer's lifetime value, last purchase and visits.
    pub fn customer_value(&self, actor: &Actor, id: CustomerId) -> Result<CustomerValue, Error> {
        actor.require_read(Area::Customers)?;
        Ok(self
            .db
            .read(|rx| customer_values::customer_value(rx, &actor.store_scope(), id))?)
    }

    /// The totals of the customers on one page of a list.
    pub fn customer_values(
        &self,
        actor: &Actor,
        ids: &[CustomerId],
    ) -> Result<HashMap<CustomerId, CustomerValue>, Error> {
        actor.require_read(Area::Customers)?;
        Ok(self
            .db
            .read(|rx| customer_values::customer_values(rx, &actor.store_scope(), ids))?)
    }

    pub fn update_customer(
        &self,
        actor: &Actor,
        id: CustomerId,
        input: CustomerInput,
    ) -> Result<Customer, Error> {
        actor.require_write(Area::Customers)?;
        let parsed = parse_customer(&input, self.today())?;
        self.check_customer_refs(actor, &parsed)?;
        self.db.write(actor.author(), |w| {
            let old = repo::customer(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none())
                .ok_or(Error::NotFound("customer"))?;
            actor.require_floor(old.home_floor_id, "customer")?;
            let new = parsed.replace(&old, w.now());
            repo::update_customer(w, &old, &new, ChangeOp::Updated)
                .map_err(|e| self.phone_taken(actor, e))?;
            Ok(new)
        })
    }

    /// Removes a customer (soft delete): hidden from lists and search, kept for history.
    pub fn delete_customer(&self, actor: &Actor, id: CustomerId) -> Result<(), Error> {
        actor.require_write(Area::Customers)?;
        self.db.write(actor.author(), |w| {
            let old = repo::customer(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none())
                .ok_or(Error::NotFound("customer"))?;
            actor.require_floor(old.home_floor_id, "customer")?;
            let new = Customer {
                deleted_at: Some(w.now()),
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_customer(w, &old, &new, ChangeOp::Deleted)?;
            Ok(())
        })
    }

    /// Brings a removed customer back (admins only). Fails if their phone number has
    /// since been given to another customer.
    pub fn restore_customer(&self, actor: &Actor, id: CustomerId) -> Result<Customer, Error> {
        actor.require_write(Area::Customers)?;
        actor.require(Permission::RestoreCustomers)?;
        self.db.write(actor.author(), |w| {
            let old = repo::customer(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_some())
                .ok_or(Error::NotFound("removed customer"))?;
            // A merged-away record comes back only with its own sales and numbers,
            // which undoing the merge gives it; restoring alone would split nothing.
            if crate::store::customer_merges::merged_into(w, actor.store_id, id)?.is_some() {
                return Err(Error::Conflict {
                    message: format!(
                        "{} was merged into another customer; undo the merge from that customer's timeline instead",
                        old.code()
                    ),
                    field: None,
                    existing_id: None,
                });
            }
            let new = Customer {
                deleted_at: None,
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_customer(w, &old, &new, ChangeOp::Restored)
                .map_err(|e| self.phone_taken(actor, e))?;
            Ok(new)
        })
    }
}
