//! The records the permission walk asks about, made by the owner through the API on
//! first use: a customer and a product of floor A (with a document and a photo), a
//! category, a pending and a completed sale on floor A, a follow-up, an interaction, a
//! member of staff, a spare floor and removed records to restore. Cases that change something get a fresh set each time,
//! so that the page and its API twin each find the record as the other found it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, Piece, placeholders};

/// Unique numbers for phones, SKUs and names across every set of one test.
static NEXT: AtomicU32 = AtomicU32::new(1);

fn next() -> u32 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What every set shares: the two floors, and who is asking.
#[derive(Clone)]
pub struct Store {
    pub admin: Client,
    pub floor_a: String,
    pub floor_b: String,
}

/// One set of records, made as they are first asked for.
pub struct Fixtures<'s> {
    store: &'s Store,
    made: HashMap<String, String>,
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

impl<'s> Fixtures<'s> {
    pub fn new(store: &'s Store) -> Self {
        Self {
            store,
            made: HashMap::new(),
        }
    }

    /// `text` with every `{name}` replaced by the record it names (made if need be), and
    /// `{me}` by `me`.
    pub async fn fill(&mut self, text: &str, me: &str) -> String {
        let mut out = String::new();
        for piece in placeholders(text) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Name(name) => {
                    let value = if name == "me" {
                        me.to_owned()
                    } else {
                        self.get(name).await
                    };
                    out.push_str(&value);
                }
            }
        }
        out
    }

    /// The record `name`, made now if this set has none yet.
    pub async fn get(&mut self, name: &str) -> String {
        if let Some(value) = self.made.get(name) {
            return value.clone();
        }
        let value = Box::pin(self.make(name)).await;
        self.made.insert(name.to_owned(), value.clone());
        value
    }

    async fn make(&mut self, name: &str) -> String {
        let admin = self.store.admin.clone();
        let n = next();
        match name {
            "floor_a" => self.store.floor_a.clone(),
            "floor_b" => self.store.floor_b.clone(),
            "n" => n.to_string(),
            "phone" => format!("98{n:08}"),
            "customer_phone" => {
                self.get("customer").await;
                self.made["customer_phone"].clone()
            }
            "customer" => {
                let phone = format!("97{n:08}");
                let body = json!({"name": "Rina Sinha", "phone": phone, "home_floor_id": self.store.floor_a});
                let customer = admin.create("/api/customers", &body).await;
                self.made.insert("customer_phone".to_owned(), phone);
                id(&customer)
            }
            "removed_customer" => {
                let body = json!({"name": "Tapan Das", "phone": format!("96{n:08}"), "home_floor_id": self.store.floor_a});
                let customer = id(&admin.create("/api/customers", &body).await);
                let gone = admin.delete(&format!("/api/customers/{customer}")).await;
                assert!(gone.status().is_success(), "customer removed");
                customer
            }
            "product_sku" => {
                self.get("product").await;
                self.made["product_sku"].clone()
            }
            "product" => {
                let sku = format!("SL-{n}");
                let body = json!({
                    "sku": sku, "name": "Silver tea set", "floor_id": self.store.floor_a,
                    "metal": "SILVER", "purity": "925", "gross_weight_mg": 500_000,
                    "making_charge": {"flat_paise": 0}, "fixed_price_paise": 10_000_00,
                    "stock_qty": 50,
                });
                let product = admin.create("/api/products", &body).await;
                self.made.insert("product_sku".to_owned(), sku);
                id(&product)
            }
            "photo" => {
                let product = self.get("product").await;
                let seed = u8::try_from(n % 250).unwrap_or(0);
                let photo = crate::files::add_photo(
                    &admin,
                    &product,
                    "front.jpg",
                    crate::files::jpeg(64, 48, seed),
                )
                .await;
                id(&photo)
            }
            "document" => {
                let customer = self.get("customer").await;
                let response = crate::files::upload(
                    &admin,
                    &format!("/api/customers/{customer}/documents"),
                    "pan.pdf",
                    crate::files::pdf(2_000),
                    &[("kind", "pan_card")],
                )
                .await;
                id(&crate::helpers::expect_json(response, reqwest::StatusCode::CREATED).await)
            }
            "api_key" => {
                let body = json!({"name": format!("Gateway {n}"), "scope": "read_only"});
                let made = admin.create("/api/api-keys", &body).await;
                made["key"]["id"].as_str().expect("the key's id").to_owned()
            }
            "import" => {
                let file = format!("Name,Phone\nImported {n},95{n:08}\n");
                let draft = crate::helpers::draft_customer_import(&admin, "one.csv", &file).await;
                id(&draft)
            }
            "category" => {
                let body = json!({"name": format!("Necklaces {n}")});
                id(&admin.create("/api/categories", &body).await)
            }
            "spare_floor" | "removed_floor" => {
                let body = json!({"name": format!("Floor {n}"), "level": 3});
                let floor = id(&admin.create("/api/floors", &body).await);
                if name == "removed_floor" {
                    let gone = admin.delete(&format!("/api/floors/{floor}")).await;
                    assert!(gone.status().is_success(), "floor removed");
                }
                floor
            }
            "staff" => {
                let body = json!({
                    "username": format!("staff.{n}"), "password": PASSWORD, "name": "Mitali Pal",
                    "role": "FLOOR_MANAGER", "floor_id": self.store.floor_a,
                });
                id(&admin.create("/api/users", &body).await)
            }
            "pending" => self.sale(false).await,
            "completed" => self.sale(true).await,
            "follow_up" => {
                let customer = self.get("customer").await;
                let body = json!({
                    "customer_id": customer, "type": "PHONE_CALL",
                    "due_at": "2030-01-15T05:30:00Z", "floor_id": self.store.floor_a,
                });
                id(&admin.create("/api/follow-ups", &body).await)
            }
            "interaction" => {
                let customer = self.get("customer").await;
                let body = json!({"customer_id": customer, "type": "WALK_IN", "floor_id": self.store.floor_a});
                id(&admin.create("/api/interactions", &body).await)
            }
            other => panic!("no fixture named {other}"),
        }
    }

    /// A bill on floor A for one piece, paid in full in cash; completed if asked.
    async fn sale(&mut self, complete: bool) -> String {
        let (customer, product) = (self.get("customer").await, self.get("product").await);
        crate::helpers::paid_bill(
            &self.store.admin,
            &customer,
            &self.store.floor_a,
            &product,
            complete,
        )
        .await
    }
}
