//! The index's schema and the documents built from customers and products.
//!
//! Every text field is tokenised on whitespace only: this module does its own word
//! splitting (see `text`), so what is indexed and what is searched are made the same
//! way.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{TantivyDocument, Term};

use super::text::{phone_runs, prefixes, singular, skeleton, words};
use crate::domain::{Customer, Email, Product, StoreId};
use crate::store::customer_merges::Aliases;

/// Bumped whenever fields or their analysis change; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 1;
/// The fast field that breaks ties between equal scores.
pub const ORDER: &str = "order";
/// The tokenizer every text field uses: split on whitespace, lower-case.
pub const WORDS: &str = "sarkar_words";

/// The `scope` term of a store's customers: one term instead of a kind and a store, so
/// every search intersects one posting list fewer.
pub fn customer_scope(store: StoreId) -> String {
    format!("c:{store}")
}

pub fn product_scope(store: StoreId) -> String {
    format!("p:{store}")
}

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// Record id (UUID text); the key for replacing and deleting a document.
    pub id: Field,
    /// `c:<store>` or `p:<store>`: what kind of record, of which store.
    pub scope: Field,
    pub floor: Field,
    pub status: Field,
    /// Words of the name.
    pub name: Field,
    /// Prefixes of the name's words, for half-typed words.
    pub name_prefix: Field,
    /// Sound-alike skeletons of the name's words.
    pub name_sound: Field,
    /// Exact keys: customer code, phone, email, SKU, HUID (lower-case).
    pub key: Field,
    /// Runs of four or more phone digits.
    pub phone_run: Field,
    /// The last 4 to 10 digits of the phone, so "the last four digits" rank first.
    pub phone_end: Field,
    /// Words of the locality, city, tags, email, category path, metal and purity.
    pub other: Field,
    pub tag: Field,
    pub metal: Field,
    pub purity: Field,
    pub category: Field,
    pub weight_mg: Field,
    pub in_stock: Field,
    /// Breaks ties between equal scores: newer records first, the same way every time.
    pub order: Field,
}

impl Fields {
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let words_with = |record: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(record),
            )
        };
        let id = b.add_text_field("id", STRING | STORED);
        let scope = b.add_text_field("scope", STRING);
        let floor = b.add_text_field("floor", STRING);
        let status = b.add_text_field("status", STRING);
        let name = b.add_text_field("name", words_with(IndexRecordOption::WithFreqs));
        let name_prefix = b.add_text_field("name_prefix", words_with(IndexRecordOption::Basic));
        let name_sound = b.add_text_field("name_sound", words_with(IndexRecordOption::Basic));
        let key = b.add_text_field("key", STRING);
        let phone_run = b.add_text_field("phone_run", STRING);
        let phone_end = b.add_text_field("phone_end", STRING);
        let other = b.add_text_field("other", words_with(IndexRecordOption::WithFreqs));
        let tag = b.add_text_field("tag", STRING);
        let metal = b.add_text_field("metal", STRING);
        let purity = b.add_text_field("purity", STRING);
        let category = b.add_text_field("category", STRING);
        let weight_mg = b.add_i64_field("weight_mg", INDEXED | FAST);
        let in_stock = b.add_u64_field("in_stock", INDEXED | FAST);
        let order = b.add_u64_field(ORDER, FAST);
        let schema = b.build();
        Self {
            schema,
            id,
            scope,
            floor,
            status,
            name,
            name_prefix,
            name_sound,
            key,
            phone_run,
            phone_end,
            other,
            tag,
            metal,
            purity,
            category,
            weight_mg,
            in_stock,
            order,
        }
    }

    pub fn id_term(&self, id: uuid::Uuid) -> Term {
        Term::from_field_text(self.id, &id.to_string())
    }

    fn add_name(&self, doc: &mut TantivyDocument, words: Vec<String>) {
        doc.add_text(self.name, words.join(" "));
        let prefixes: Vec<String> = words.iter().flat_map(|w| prefixes(w)).collect();
        doc.add_text(self.name_prefix, prefixes.join(" "));
        let sounds: Vec<String> = words.iter().filter_map(|w| skeleton(w)).collect();
        doc.add_text(self.name_sound, sounds.join(" "));
    }

    /// A customer's document; `aliases` (numbers and e-mails of customers merged into
    /// this one) are found as the customer's own are.
    pub fn customer_doc(&self, c: &Customer, aliases: &Aliases) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, c.id.to_string());
        doc.add_text(self.scope, customer_scope(c.store_id));
        doc.add_u64(self.order, c.number);
        if let Some(floor) = c.home_floor_id {
            doc.add_text(self.floor, floor.to_string());
        }
        doc.add_text(self.status, c.status.as_str());
        self.add_name(&mut doc, words(c.name.as_str()));
        doc.add_text(self.key, c.code().to_lowercase());
        let emails: Vec<&Email> = c.email.iter().chain(&aliases.emails).collect();
        for email in &emails {
            doc.add_text(self.key, email.as_str());
        }
        for phone in std::iter::once(&c.phone).chain(&aliases.phones) {
            let national = phone.national();
            doc.add_text(self.key, national);
            for run in phone_runs(national) {
                doc.add_text(self.phone_run, run);
            }
            for start in 0..=national.len().saturating_sub(4) {
                doc.add_text(self.phone_end, &national[start..]);
            }
        }
        let mut other = words(c.address.locality.as_str());
        other.extend(words(c.address.city.as_str()));
        for email in &emails {
            other.extend(words(email.as_str().split('@').next().unwrap_or("")));
        }
        for tag in &c.tags {
            doc.add_text(self.tag, tag.as_str());
            other.extend(words(tag.as_str()));
        }
        doc.add_text(self.other, other.join(" "));
        doc
    }

    /// `category_path` is the product's category and its ancestors' names.
    pub fn product_doc(&self, p: &Product, category_path: &[String]) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, p.id.to_string());
        doc.add_text(self.scope, product_scope(p.store_id));
        doc.add_u64(
            self.order,
            u64::try_from(p.created_at.as_microsecond()).unwrap_or(0),
        );
        doc.add_text(self.floor, p.floor_id.to_string());
        let singular_words =
            |text: &str| words(text).iter().map(|w| singular(w)).collect::<Vec<_>>();
        self.add_name(&mut doc, singular_words(p.name.as_str()));
        doc.add_text(self.key, p.sku.as_str().to_lowercase());
        if let Some(huid) = &p.huid {
            doc.add_text(self.key, huid.as_str().to_lowercase());
        }
        doc.add_text(self.metal, p.metal.as_str());
        doc.add_text(self.purity, p.purity.label().to_lowercase());
        doc.add_text(self.purity, p.purity.fineness().to_string());
        if let Some(category) = p.category_id {
            doc.add_text(self.category, category.to_string());
        }
        let mut other: Vec<String> = category_path
            .iter()
            .flat_map(|c| singular_words(c))
            .collect();
        other.push(p.metal.as_str().to_lowercase());
        other.push(p.purity.label().to_lowercase());
        other.extend(singular_words(p.description.as_str()));
        doc.add_text(self.other, other.join(" "));
        doc.add_i64(self.weight_mg, p.gross_weight.get());
        doc.add_u64(self.in_stock, u64::from(p.stock_qty > 0));
        doc
    }
}

impl Default for Fields {
    fn default() -> Self {
        Self::new()
    }
}
