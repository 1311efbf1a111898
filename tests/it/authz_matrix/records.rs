//! The records the matrix asks about, one set for each owner (floor 1 and floor 2 of
//! store A, and store B), made through the API by the owner's Business Admin when first
//! asked for. A write that succeeds may have changed or removed what it was given, so
//! the walk forgets that owner's set afterwards and the next request gets fresh records.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};

use super::Owner;
use super::table::Kind;
use crate::helpers::{Client, PASSWORD, Piece, placeholders};

/// Unique numbers for phones, SKUs, usernames and names across the walk.
static NEXT: AtomicU32 = AtomicU32::new(1);

fn next() -> u32 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// What one owner's records hang on: the admin who makes them and the floor they are on.
pub struct Ground {
    pub admin: Client,
    pub floor: String,
}

/// One owner's records, made as they are first asked for.
pub struct Records {
    ground: Ground,
    made: HashMap<&'static str, String>,
}

impl Records {
    pub fn new(ground: Ground) -> Self {
        Self {
            ground,
            made: HashMap::new(),
        }
    }

    /// Forgets every record made, so the next request gets new ones.
    pub fn forget(&mut self) {
        self.made.clear();
    }

    /// The record of `kind`, made now if this set has none yet.
    pub async fn record(&mut self, kind: Kind) -> String {
        let name = match kind {
            Kind::Customer => "customer",
            Kind::RemovedCustomer => "removed_customer",
            Kind::Product => "product",
            Kind::Category => "category",
            Kind::Floor => "floor",
            Kind::SpareFloor => "spare_floor",
            Kind::RemovedFloor => "removed_floor",
            Kind::Staff => "staff",
            Kind::PendingSale => "pending_sale",
            Kind::CompletedSale => "completed_sale",
            Kind::FollowUp => "follow_up",
            Kind::ApiKey => "api_key",
            Kind::Import => "import",
        };
        self.get(name).await
    }

    /// `text` with every `{name}` of a record or value replaced by it; `{n}` and
    /// `{phone}` are new each time.
    pub async fn fill(&mut self, text: &str) -> String {
        let mut out = String::new();
        for piece in placeholders(text) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Name(name) => {
                    let value = match name {
                        "n" => next().to_string(),
                        "phone" => format!("98{:08}", next()),
                        _ => self.get(name).await,
                    };
                    out.push_str(&value);
                }
            }
        }
        out
    }

    async fn get(&mut self, name: &str) -> String {
        if let Some(value) = self.made.get(name) {
            return value.clone();
        }
        let (key, value) = Box::pin(self.make(name)).await;
        self.made.insert(key, value.clone());
        value
    }

    async fn make(&mut self, name: &str) -> (&'static str, String) {
        let admin = self.ground.admin.clone();
        let floor = self.ground.floor.clone();
        let n = next();
        match name {
            "floor" => ("floor", floor),
            "customer" | "customer_phone" => {
                let phone = format!("97{n:08}");
                let body = json!({"name": "Rina Sinha", "phone": phone, "home_floor_id": floor});
                let customer = id(&admin.create("/api/customers", &body).await);
                self.made.insert("customer", customer.clone());
                self.made.insert("customer_phone", phone.clone());
                if name == "customer" {
                    ("customer", customer)
                } else {
                    ("customer_phone", phone)
                }
            }
            "removed_customer" => {
                let body = json!({"name": "Tapan Das", "phone": format!("96{n:08}"), "home_floor_id": floor});
                let customer = id(&admin.create("/api/customers", &body).await);
                let gone = admin.delete(&format!("/api/customers/{customer}")).await;
                assert!(gone.status().is_success(), "customer removed");
                ("removed_customer", customer)
            }
            "product" | "product_sku" => {
                let sku = format!("SL-{n}");
                let body = json!({
                    "sku": sku, "name": "Silver tea set", "floor_id": floor,
                    "metal": "SILVER", "purity": "925", "gross_weight_mg": 500_000,
                    "making_charge": {"flat_paise": 0}, "fixed_price_paise": 10_000_00,
                    "stock_qty": 50,
                });
                let product = id(&admin.create("/api/products", &body).await);
                self.made.insert("product", product.clone());
                self.made.insert("product_sku", sku.clone());
                if name == "product" {
                    ("product", product)
                } else {
                    ("product_sku", sku)
                }
            }
            "category" => {
                let body = json!({"name": format!("Necklaces {n}")});
                (
                    "category",
                    id(&admin.create("/api/categories", &body).await),
                )
            }
            "spare_floor" | "removed_floor" => {
                let body = json!({"name": format!("Floor {n}"), "level": 3});
                let spare = id(&admin.create("/api/floors", &body).await);
                if name == "spare_floor" {
                    return ("spare_floor", spare);
                }
                let gone = admin.delete(&format!("/api/floors/{spare}")).await;
                assert!(gone.status().is_success(), "floor removed");
                ("removed_floor", spare)
            }
            "staff" => {
                let body = json!({
                    "username": format!("staff.{n}"), "password": PASSWORD, "name": "Mitali Pal",
                    "role": "FLOOR_MANAGER", "floor_id": floor,
                });
                ("staff", id(&admin.create("/api/users", &body).await))
            }
            "pending_sale" => ("pending_sale", self.sale(false).await),
            "completed_sale" => ("completed_sale", self.sale(true).await),
            "follow_up" => {
                let customer = self.get("customer").await;
                let body = json!({
                    "customer_id": customer, "type": "PHONE_CALL",
                    "due_at": "2030-01-15T05:30:00Z", "floor_id": floor,
                });
                (
                    "follow_up",
                    id(&admin.create("/api/follow-ups", &body).await),
                )
            }
            "api_key" => {
                let body = json!({"name": format!("Head office {n}"), "scope": "read_only"});
                let made = admin.create("/api/api-keys", &body).await;
                ("api_key", id(&made["key"]))
            }
            // A photo of the set's product, and the name it is served under.
            "image_id" | "name" => {
                let product = self.get("product").await;
                let photo = crate::files::add_photo(
                    &admin,
                    &product,
                    "front.jpg",
                    crate::files::jpeg(320, 240, u8::try_from(n % 251).unwrap_or(0)),
                )
                .await;
                let smallest = photo["srcset"]
                    .as_str()
                    .expect("srcset")
                    .split(' ')
                    .next()
                    .expect("a URL");
                let served = smallest.trim_start_matches("/api/media/").to_owned();
                self.made.insert("image_id", id(&photo));
                self.made.insert("name", served.clone());
                if name == "name" {
                    ("name", served)
                } else {
                    ("image_id", id(&photo))
                }
            }
            "document_id" => {
                let customer = self.get("customer").await;
                let sent = crate::files::upload(
                    &admin,
                    &format!("/api/customers/{customer}/documents"),
                    "pan.pdf",
                    crate::files::pdf(2000),
                    &[("kind", "pan_card")],
                )
                .await;
                let document =
                    crate::helpers::expect_json(sent, reqwest::StatusCode::CREATED).await;
                ("document_id", id(&document))
            }
            "import" => {
                let file = format!("Name,Phone\nImported {n},95{n:08}\n");
                let draft = crate::helpers::draft_customer_import(&admin, "one.csv", &file).await;
                ("import", id(&draft))
            }
            other => panic!("no record named {other}"),
        }
    }

    /// A bill on the owner's floor for one piece, paid in full in cash; completed if asked.
    async fn sale(&mut self, complete: bool) -> String {
        let (customer, product) = (self.get("customer").await, self.get("product").await);
        crate::helpers::paid_bill(
            &self.ground.admin,
            &customer,
            &self.ground.floor,
            &product,
            complete,
        )
        .await
    }
}

/// The records of each owner.
pub struct AllRecords {
    pub floor_1: Records,
    pub floor_2: Records,
    pub store_b: Records,
}

impl AllRecords {
    pub fn of(&mut self, owner: Owner) -> &mut Records {
        match owner {
            Owner::Floor1 => &mut self.floor_1,
            Owner::Floor2 => &mut self.floor_2,
            Owner::StoreB => &mut self.store_b,
        }
    }
}
