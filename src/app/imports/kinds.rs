//! What differs between importing customers and importing products: how a row is read,
//! how it finds the record it duplicates, and how a record is written and taken back.
//! The preview, commit and undo around them are the same for both.

use jiff::Timestamp;

use super::columns::{Columns, RowProblem};
use super::customer_rows::{CustomerContext, CustomerRow, read_customer, updated_customer};
use super::product_rows::{ProductContext, ProductRow, read_product, updated_product};
use crate::app::Actor;
use crate::app::products::build_product;
use crate::domain::{Customer, CustomerId, Product, ProductId};
use crate::reports::import::SheetRow;
use crate::store::{
    ChangeOp, Scope, StoreError, Tables, Writer, catalogue as products_repo,
    customers as customers_repo,
};

/// Why a row or an undo step cannot be written, said for the person.
pub type Refusal = String;

/// What an update wrote: the record's id and the record as it was before (encoded),
/// or `None` when the row changed nothing; `Err` refuses the row.
pub type Updated = Result<Option<(u128, Vec<u8>)>, Refusal>;

/// One kind of record an import writes.
pub trait ImportTarget {
    type Row;
    type Record: Clone;

    fn read(&self, row: &SheetRow, columns: &Columns) -> Result<Self::Row, Vec<RowProblem>>;
    fn line(row: &Self::Row) -> u32;
    /// The row's values for the preview, one per field in `fields`, as they will be stored.
    fn values(&self, row: &Self::Row, fields: &[&str]) -> Vec<String>;
    /// What identifies the record within the file (a phone number, a tag number), to
    /// find rows that repeat an earlier one.
    fn file_key(row: &Self::Row) -> String;
    /// The stored record the row is about, if any.
    fn find(&self, tx: &impl Tables, row: &Self::Row) -> Result<Option<Self::Record>, StoreError>;
    /// "C-000123 Subhajit Chowdhury".
    fn describe(record: &Self::Record) -> String;
    /// Something worth a second look before writing the row (not a problem).
    fn warning(row: &Self::Row, existing: &Self::Record) -> Option<String>;
    /// For a row that matches nothing: a stored record or an earlier row it looks like
    /// (a similar name in the same place), said as a warning.
    fn look_alike(
        &self,
        tx: &impl Tables,
        row: &Self::Row,
        earlier: &mut LookAlikes,
    ) -> Result<Option<String>, StoreError>;
    /// Writes a new record for a row that [`ImportTarget::find`] found no record for in
    /// the same transaction; `Err` refuses the row (nothing of it written).
    fn create(&self, w: &mut Writer, row: Self::Row) -> Result<Result<u128, Refusal>, StoreError>;
    /// Brings `old` up to date; `Ok(None)` when the row changes nothing. The record as
    /// it was is returned encoded, for undo.
    fn update(
        &self,
        w: &mut Writer,
        old: &Self::Record,
        row: &Self::Row,
        overwrite: bool,
    ) -> Result<Updated, StoreError>;
    /// Takes back a record the import created, unless something changed it since.
    fn take_back_created(
        &self,
        w: &mut Writer,
        id: u128,
        written_at: Timestamp,
    ) -> Result<Result<(), Refusal>, StoreError>;
    /// Puts back the record as it was before the import, unless something changed it since.
    fn put_back_updated(
        &self,
        w: &mut Writer,
        id: u128,
        before: &[u8],
        written_at: Timestamp,
    ) -> Result<Result<(), Refusal>, StoreError>;
    /// Whether taking back `id` would lose someone's work (a look, no writes): it was
    /// changed after the import last wrote it at `written_at`, or, when the import
    /// `created` it, it has gained history since.
    fn check_undo(
        &self,
        tx: &impl Tables,
        id: u128,
        written_at: Timestamp,
        created: bool,
    ) -> Result<Option<Refusal>, StoreError>;
}

/// Earlier rows of a file by surname sound and place, a few each, to tell a row that
/// looks like one before it. Bounded: past [`LookAlikes::MAX_PLACES`] places, new ones
/// are not remembered.
#[derive(Debug, Default)]
pub struct LookAlikes {
    places: std::collections::HashMap<String, Vec<(u32, String)>>,
}

impl LookAlikes {
    const MAX_PLACES: usize = 100_000;
    const PER_PLACE: usize = 2;
}

/// Where a customer lives, as far as telling two people apart goes: the PIN code, else
/// the locality; `None` when the row says neither.
fn place_of(address: &crate::domain::Address) -> Option<String> {
    match (&address.pincode, address.locality.as_str()) {
        (Some(pin), _) => Some(pin.to_string()),
        (None, locality) if !locality.trim().is_empty() => Some(locality.trim().to_lowercase()),
        _ => None,
    }
}

/// Customers, read with [`read_customer`].
#[derive(Debug)]
pub struct Customers<'a> {
    pub actor: &'a Actor,
    pub ctx: CustomerContext,
}

impl Customers<'_> {
    fn scope(&self) -> Scope {
        self.actor.store_scope()
    }

    fn changed_since(customer: &Customer, written_at: Timestamp) -> Option<Refusal> {
        (customer.updated_at != written_at).then(|| {
            format!(
                "{} {} was changed after the import; undo would overwrite that change",
                customer.code(),
                customer.name
            )
        })
    }
}

impl ImportTarget for Customers<'_> {
    type Row = CustomerRow;
    type Record = Customer;

    fn read(&self, row: &SheetRow, columns: &Columns) -> Result<CustomerRow, Vec<RowProblem>> {
        let mut read = read_customer(row, columns, &self.ctx)?;
        // A Floor Manager's customers are filed under their floor, as the form does.
        if read.parsed.home_floor_id.is_none()
            && !self.actor.may(crate::app::Permission::EveryFloor)
        {
            read.parsed.home_floor_id = self.actor.floor_id;
        }
        if !self.actor.may_work_on(read.parsed.home_floor_id) {
            return Err(vec![RowProblem {
                line: read.line,
                column: columns.header("home_floor").to_owned(),
                message:
                    "is another floor; a Floor Manager imports customers of their own floor only"
                        .into(),
            }]);
        }
        Ok(read)
    }

    fn line(row: &CustomerRow) -> u32 {
        row.line
    }

    fn values(&self, row: &CustomerRow, fields: &[&str]) -> Vec<String> {
        let p = &row.parsed;
        let date =
            |d: Option<jiff::civil::Date>| d.map(crate::domain::format_date).unwrap_or_default();
        fields
            .iter()
            .map(|field| match *field {
                "name" => p.name.to_string(),
                "phone" => p.phone.national_spaced(),
                "code" => row
                    .code
                    .map(crate::domain::customer_code)
                    .unwrap_or_default(),
                "email" => p
                    .email
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                "gender" => p.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
                "date_of_birth" => date(p.date_of_birth),
                "anniversary" => date(p.anniversary),
                "address.line1" => p.address.line1.to_string(),
                "address.line2" => p.address.line2.to_string(),
                "address.locality" => p.address.locality.to_string(),
                "address.city" => p.address.city.to_string(),
                "address.state" => p.address.state.to_string(),
                "address.pincode" => p
                    .address
                    .pincode
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                "status" => p.status.as_str().to_owned(),
                "home_floor" => self.ctx.floor_name(p.home_floor_id),
                "tags" => p
                    .tags
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                "pan" => p.pan.as_ref().map(ToString::to_string).unwrap_or_default(),
                "notes" => p.notes.to_string(),
                _ => String::new(),
            })
            .collect()
    }

    fn file_key(row: &CustomerRow) -> String {
        row.phone().e164().to_owned()
    }

    fn find(&self, tx: &impl Tables, row: &CustomerRow) -> Result<Option<Customer>, StoreError> {
        let scope = self.scope();
        // A code matches only the customer it was exported with: the same number, or
        // a name close to it, so a code column from another program (its own `C-1`)
        // cannot land on a stranger.
        if let Some(number) = row.code
            && let Some(found) = customers_repo::customer_by_number(tx, &scope, number)?
            && found.deleted_at.is_none()
            && (found.phone == *row.phone()
                || crate::domain::name_match::name_similarity(
                    found.name.as_str(),
                    row.parsed.name.as_str(),
                ) >= crate::domain::name_match::LIKELY_DUPLICATE)
        {
            return Ok(Some(found));
        }
        customers_repo::customer_by_phone(tx, &scope, row.phone())
    }

    fn describe(c: &Customer) -> String {
        format!("{} {}", c.code(), c.name)
    }

    fn warning(row: &CustomerRow, existing: &Customer) -> Option<String> {
        let similar = crate::domain::name_match::name_similarity(
            row.parsed.name.as_str(),
            existing.name.as_str(),
        );
        (similar < crate::domain::name_match::LIKELY_DUPLICATE).then(|| {
            format!(
                "the number is {}'s, but the names differ ({} here); a family member sharing a phone?",
                Self::describe(existing),
                row.parsed.name
            )
        })
    }

    fn look_alike(
        &self,
        tx: &impl Tables,
        row: &CustomerRow,
        earlier: &mut LookAlikes,
    ) -> Result<Option<String>, StoreError> {
        use crate::domain::name_match::{LIKELY_DUPLICATE, name_similarity, sound_key};
        let p = &row.parsed;
        let (Some(place), Some(key)) = (place_of(&p.address), sound_key(p.name.as_str())) else {
            return Ok(None);
        };
        // Names are compared in full only when their first letters agree (an initial
        // agrees with the word it stands for): a cheap test that spares most pairs.
        let initial = |name: &str| {
            name.trim()
                .chars()
                .next()
                .map(|c| c.to_lowercase().to_string())
        };
        let mine = initial(p.name.as_str());
        let alike = |name: &str| {
            initial(name) == mine && name_similarity(name, p.name.as_str()) >= LIKELY_DUPLICATE
        };
        for stored in customers_repo_match(tx, &self.scope(), p.name.as_str())? {
            if place_of(&stored.address).as_deref() == Some(place.as_str())
                && alike(stored.name.as_str())
            {
                return Ok(Some(format!(
                    "looks like {} ({}, {}) with another number: the same person? Skip this row if so",
                    Self::describe(&stored),
                    place,
                    stored.phone.national_spaced()
                )));
            }
        }
        let bucket = format!("{key}|{place}");
        let found = earlier
            .places
            .get(&bucket)
            .and_then(|rows| rows.iter().find(|(_, name)| alike(name)))
            .map(|(line, name)| format!("looks like row {line} ({name}, {place}) with another number: the same person? Skip this row if so"));
        let room = earlier.places.len() < LookAlikes::MAX_PLACES;
        match earlier.places.get_mut(&bucket) {
            Some(rows) if rows.len() < LookAlikes::PER_PLACE => {
                rows.push((row.line, p.name.to_string()))
            }
            Some(_) => {}
            None if room => drop(
                earlier
                    .places
                    .insert(bucket, vec![(row.line, p.name.to_string())]),
            ),
            None => {}
        }
        Ok(found)
    }

    fn create(
        &self,
        w: &mut Writer,
        row: CustomerRow,
    ) -> Result<Result<u128, Refusal>, StoreError> {
        // `find` looked the number up in this transaction and found nobody.
        let customer = row
            .parsed
            .into_customer(self.actor.store_id, self.actor.user_id, w.now());
        let stored = customers_repo::insert_customer(w, customer)?;
        Ok(Ok(stored.id.as_u128()))
    }

    fn update(
        &self,
        w: &mut Writer,
        old: &Customer,
        row: &CustomerRow,
        overwrite: bool,
    ) -> Result<Updated, StoreError> {
        if !self.actor.may_work_on(old.home_floor_id) {
            return Ok(Err(format!(
                "{} belongs to another floor; a Floor Manager updates their own floor's customers only",
                Self::describe(old)
            )));
        }
        let mut new = updated_customer(old, row, overwrite);
        if new.phone != old.phone
            && let Some(other) = customers_repo::customer_by_phone(w, &self.scope(), &new.phone)?
            && other.id != old.id
        {
            return Ok(Err(format!(
                "{} already has this row's phone number",
                Self::describe(&other)
            )));
        }
        new.updated_at = old.updated_at;
        if new == *old {
            return Ok(Ok(None));
        }
        new.updated_at = w.now();
        let before = crate::store::encode_record(old)?;
        customers_repo::update_customer(w, old, &new, ChangeOp::Updated)?;
        Ok(Ok(Some((old.id.as_u128(), before))))
    }

    fn take_back_created(
        &self,
        w: &mut Writer,
        id: u128,
        written_at: Timestamp,
    ) -> Result<Result<(), Refusal>, StoreError> {
        if let Some(refusal) = self.check_undo(w, id, written_at, true)? {
            return Ok(Err(refusal));
        }
        if let Some(customer) =
            customers_repo::customer(w, &self.scope(), CustomerId::from_u128(id))?
        {
            customers_repo::purge_customer(w, &customer)?;
        }
        Ok(Ok(()))
    }

    fn put_back_updated(
        &self,
        w: &mut Writer,
        id: u128,
        before: &[u8],
        written_at: Timestamp,
    ) -> Result<Result<(), Refusal>, StoreError> {
        let Some(now) = customers_repo::customer(w, &self.scope(), CustomerId::from_u128(id))?
        else {
            return Ok(Ok(()));
        };
        if let Some(refusal) = Self::changed_since(&now, written_at) {
            return Ok(Err(refusal));
        }
        let before: Customer = crate::store::decode_record(before)?;
        customers_repo::update_customer(w, &now, &before, ChangeOp::Updated)?;
        Ok(Ok(()))
    }

    fn check_undo(
        &self,
        tx: &impl Tables,
        id: u128,
        written_at: Timestamp,
        created: bool,
    ) -> Result<Option<Refusal>, StoreError> {
        let id = CustomerId::from_u128(id);
        let Some(customer) = customers_repo::customer(tx, &self.scope(), id)? else {
            return Ok(None);
        };
        if let Some(refusal) = Self::changed_since(&customer, written_at) {
            return Ok(Some(refusal));
        }
        let lost = created && customers_repo::customer_has_history(tx, customer.store_id, id)?;
        Ok(lost.then(|| {
            format!(
                "{} {} has a bill, a visit or a follow-up since the import; undo would lose it",
                customer.code(),
                customer.name
            )
        }))
    }
}

/// The stored customers an import row's name is compared with: those of the same
/// surname sound, a few.
fn customers_repo_match(
    tx: &impl Tables,
    scope: &Scope,
    name: &str,
) -> Result<Vec<Customer>, StoreError> {
    crate::store::match_keys::customers_sounding_like(tx, scope, name, 10)
}

/// Products, read with [`read_product`].
#[derive(Debug)]
pub struct Products<'a> {
    pub actor: &'a Actor,
    pub ctx: ProductContext,
}

impl Products<'_> {
    fn changed_since(product: &Product, written_at: Timestamp) -> Option<Refusal> {
        (product.updated_at != written_at).then(|| {
            format!(
                "{} ({}) was changed after the import (a sale, an edit); undo would overwrite that",
                product.sku, product.name
            )
        })
    }
}

impl ImportTarget for Products<'_> {
    type Row = ProductRow;
    type Record = Product;

    fn read(&self, row: &SheetRow, columns: &Columns) -> Result<ProductRow, Vec<RowProblem>> {
        let read = read_product(row, columns, &self.ctx)?;
        if !self.actor.may_work_on(Some(read.floor)) {
            return Err(vec![RowProblem {
                line: read.line,
                column: columns.header("floor").to_owned(),
                message: "is another floor; a Floor Manager imports their own floor's stock only"
                    .into(),
            }]);
        }
        Ok(read)
    }

    fn line(row: &ProductRow) -> u32 {
        row.line
    }

    fn values(&self, row: &ProductRow, fields: &[&str]) -> Vec<String> {
        let p = &row.parsed;
        fields
            .iter()
            .map(|field| match *field {
                "sku" => p.sku.to_string(),
                "name" => p.name.to_string(),
                "description" => p.description.to_string(),
                "category" => self.ctx.category_name(p.category_id),
                "floor" => self.ctx.floor_name(row.floor),
                "metal" => p.metal.as_str().to_owned(),
                "purity" => p.purity.to_string(),
                "gross_weight" => p.gross_weight.to_string(),
                "stone_weight" => p.stone_weight.to_string(),
                "net_weight" => p
                    .gross_weight
                    .checked_sub(p.stone_weight)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                "making_charge" => super::product_rows::write_making(p.making_charge),
                "stone_value" => p.stone_value.to_string(),
                "huid" => p.huid.as_ref().map(ToString::to_string).unwrap_or_default(),
                "fixed_price" => p.fixed_price.map(|v| v.to_string()).unwrap_or_default(),
                "stock_qty" => p.stock_qty.to_string(),
                "active" => {
                    if p.active {
                        "Yes".into()
                    } else {
                        "No".into()
                    }
                }
                _ => String::new(),
            })
            .collect()
    }

    fn file_key(row: &ProductRow) -> String {
        row.parsed.sku.as_str().to_uppercase()
    }

    fn find(&self, tx: &impl Tables, row: &ProductRow) -> Result<Option<Product>, StoreError> {
        products_repo::product_by_sku(tx, &self.actor.store_scope(), &row.parsed.sku)
    }

    fn describe(p: &Product) -> String {
        format!("{} ({})", p.sku, p.name)
    }

    fn warning(_: &ProductRow, _: &Product) -> Option<String> {
        None
    }

    fn look_alike(
        &self,
        _: &impl Tables,
        _: &ProductRow,
        _: &mut LookAlikes,
    ) -> Result<Option<String>, StoreError> {
        // A piece is its tag number: two tags are two pieces, however alike their names.
        Ok(None)
    }

    fn create(&self, w: &mut Writer, row: ProductRow) -> Result<Result<u128, Refusal>, StoreError> {
        let scope = self.actor.store_scope();
        if let Some(other) = products_repo::product_by_sku(w, &scope, &row.parsed.sku)? {
            return Ok(Err(format!(
                "{} already has this tag number; choose update or skip for this row",
                Self::describe(&other)
            )));
        }
        let product = build_product(ProductId::new(), self.actor, row.floor, row.parsed, w.now());
        products_repo::insert_product(w, &product)?;
        Ok(Ok(product.id.as_u128()))
    }

    fn update(
        &self,
        w: &mut Writer,
        old: &Product,
        row: &ProductRow,
        overwrite: bool,
    ) -> Result<Updated, StoreError> {
        if !self.actor.may_work_on(Some(old.floor_id)) {
            return Ok(Err(format!(
                "{} is on another floor; a Floor Manager updates their own floor's stock only",
                Self::describe(old)
            )));
        }
        let mut new = updated_product(old, row, overwrite);
        if new.stone_weight > new.gross_weight {
            return Ok(Err(format!(
                "the stone weight {} would be more than the gross weight {}",
                new.stone_weight, new.gross_weight
            )));
        }
        if new.huid.is_none() && Product::needs_huid(new.metal, new.gross_weight) {
            return Ok(Err(
                "gold of 2 g or more needs its HUID; add a HUID column".into()
            ));
        }
        new.updated_at = old.updated_at;
        if new == *old {
            return Ok(Ok(None));
        }
        new.updated_at = w.now();
        let before = crate::store::encode_record(old)?;
        products_repo::update_product(w, old, &new, ChangeOp::Updated)?;
        Ok(Ok(Some((old.id.as_u128(), before))))
    }

    fn take_back_created(
        &self,
        w: &mut Writer,
        id: u128,
        written_at: Timestamp,
    ) -> Result<Result<(), Refusal>, StoreError> {
        let scope = self.actor.store_scope();
        let Some(product) = products_repo::product(w, &scope, ProductId::from_u128(id))? else {
            return Ok(Ok(()));
        };
        if let Some(refusal) = Self::changed_since(&product, written_at) {
            return Ok(Err(refusal));
        }
        products_repo::purge_product(w, &product)?;
        Ok(Ok(()))
    }

    fn put_back_updated(
        &self,
        w: &mut Writer,
        id: u128,
        before: &[u8],
        written_at: Timestamp,
    ) -> Result<Result<(), Refusal>, StoreError> {
        let scope = self.actor.store_scope();
        let Some(now) = products_repo::product(w, &scope, ProductId::from_u128(id))? else {
            return Ok(Ok(()));
        };
        if let Some(refusal) = Self::changed_since(&now, written_at) {
            return Ok(Err(refusal));
        }
        let before: Product = crate::store::decode_record(before)?;
        products_repo::update_product(w, &now, &before, ChangeOp::Updated)?;
        Ok(Ok(()))
    }

    fn check_undo(
        &self,
        tx: &impl Tables,
        id: u128,
        written_at: Timestamp,
        _created: bool,
    ) -> Result<Option<Refusal>, StoreError> {
        let scope = self.actor.store_scope();
        let found = products_repo::product(tx, &scope, ProductId::from_u128(id))?;
        Ok(found.and_then(|p| Self::changed_since(&p, written_at)))
    }
}
