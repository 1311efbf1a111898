//! The JSON shapes the API answers with: snake_case fields, enums spelled as in the
//! seed, money as integer `*_paise`, weights as integer `*_mg`, times as RFC 3339 UTC.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{
    Category, Customer, CustomerStatus, CustomerValue, Floor, Gender, MakingCharge, Metal, Product,
    User, UserRole,
};
use crate::store::{Page, PageRequest};

/// One page of a list: what every list route answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListJson<T> {
    pub items: Vec<T>,
    /// How many items match in all, when that is known without reading them all (an
    /// unfiltered list, a search, a list that comes whole); `null` otherwise.
    pub total: Option<u64>,
    /// Pass back as `?cursor=` (with the same filters) for the next page; `null` on the
    /// last page.
    pub next: Option<String>,
}

impl<T> ListJson<T> {
    pub fn from_page<R>(page: Page<R>, view: impl Fn(R) -> T) -> Self {
        Self {
            next: crate::app::next_cursor(&page),
            items: page.items.into_iter().map(view).collect(),
            total: page.total,
        }
    }

    /// The page `request` asks for of a list that was read whole (so its total is known).
    pub fn whole<R>(all: Vec<R>, request: PageRequest, view: impl Fn(R) -> T) -> Self {
        let total = Some(all.len() as u64);
        Self::from_page(request.slice(all, total), view)
    }
}

fn time(at: jiff::Timestamp) -> String {
    at.to_string()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserJson {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: UserRole,
    pub floor_id: Option<Uuid>,
    pub store_id: Uuid,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl From<User> for UserJson {
    fn from(u: User) -> Self {
        Self {
            id: u.id.as_uuid(),
            username: u.username.to_string(),
            name: u.name.to_string(),
            email: u.email.map(|e| e.to_string()),
            phone: u.phone.map(|p| p.e164().to_owned()),
            role: u.role,
            floor_id: u.floor_id.map(|f| f.as_uuid()),
            store_id: u.store_id.as_uuid(),
            active: u.active,
            created_at: time(u.created_at),
            updated_at: time(u.updated_at),
            deleted_at: u.deleted_at.map(time),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FloorJson {
    pub id: Uuid,
    pub name: String,
    pub level: i16,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl From<Floor> for FloorJson {
    fn from(f: Floor) -> Self {
        Self {
            id: f.id.as_uuid(),
            name: f.name.to_string(),
            level: f.level,
            description: f.description.to_string(),
            created_at: time(f.created_at),
            updated_at: time(f.updated_at),
            deleted_at: f.deleted_at.map(time),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryJson {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Category> for CategoryJson {
    fn from(c: Category) -> Self {
        Self {
            id: c.id.as_uuid(),
            name: c.name.to_string(),
            parent_id: c.parent_id.map(|p| p.as_uuid()),
            description: c.description.to_string(),
            created_at: time(c.created_at),
            updated_at: time(c.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductJson {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub floor_id: Uuid,
    pub metal: Metal,
    /// `22K` for gold, fineness (`925`) for other metals.
    pub purity: String,
    pub fineness: u16,
    pub gross_weight_mg: i64,
    pub stone_weight_mg: i64,
    pub net_weight_mg: i64,
    pub making_charge: MakingCharge,
    pub stone_value_paise: i64,
    pub huid: Option<String>,
    pub fixed_price_paise: Option<i64>,
    pub stock_qty: u32,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl From<Product> for ProductJson {
    fn from(p: Product) -> Self {
        Self {
            id: p.id.as_uuid(),
            net_weight_mg: p.net_weight().get(),
            sku: p.sku.to_string(),
            name: p.name.to_string(),
            description: p.description.to_string(),
            category_id: p.category_id.map(|c| c.as_uuid()),
            floor_id: p.floor_id.as_uuid(),
            metal: p.metal,
            purity: p.purity.label(),
            fineness: p.purity.fineness(),
            gross_weight_mg: p.gross_weight.get(),
            stone_weight_mg: p.stone_weight.get(),
            making_charge: p.making_charge,
            stone_value_paise: p.stone_value.get(),
            huid: p.huid.map(|h| h.to_string()),
            fixed_price_paise: p.fixed_price.map(|f| f.get()),
            stock_qty: p.stock_qty,
            active: p.active,
            created_at: time(p.created_at),
            updated_at: time(p.updated_at),
            deleted_at: p.deleted_at.map(time),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressJson {
    pub line1: String,
    pub line2: String,
    pub locality: String,
    pub city: String,
    pub state: String,
    pub pincode: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesJson {
    pub category_ids: Vec<Uuid>,
    pub metals: Vec<Metal>,
    pub purities: Vec<String>,
    pub budget_min_paise: Option<i64>,
    pub budget_max_paise: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerJson {
    pub id: Uuid,
    /// `C-000123`.
    pub code: String,
    pub name: String,
    /// E.164, e.g. `+919830012345`.
    pub phone: String,
    pub email: Option<String>,
    pub gender: Option<Gender>,
    pub date_of_birth: Option<String>,
    pub anniversary: Option<String>,
    pub address: AddressJson,
    pub status: CustomerStatus,
    pub preferences: PreferencesJson,
    pub notes: String,
    pub home_floor_id: Option<Uuid>,
    pub tags: Vec<String>,
    pub pan: Option<String>,
    pub created_by: Uuid,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    /// What the customer's completed bills were payable, less what refunds paid back.
    /// Pending and cancelled bills count for nothing.
    pub lifetime_value_paise: i64,
    /// When the customer's latest bill was completed; null if they have not bought.
    pub last_purchase_at: Option<String>,
    /// Completed bills (refunded ones included).
    pub purchases: u64,
    /// Visits to the store: each walk-in logged plus each completed bill.
    pub visits: u64,
}

impl CustomerJson {
    /// A customer as the API shows them, with their totals.
    pub fn new(c: Customer, value: CustomerValue) -> Self {
        Self {
            id: c.id.as_uuid(),
            code: c.code(),
            name: c.name.to_string(),
            phone: c.phone.e164().to_owned(),
            email: c.email.map(|e| e.to_string()),
            gender: c.gender,
            date_of_birth: c.date_of_birth.map(|d| d.to_string()),
            anniversary: c.anniversary.map(|d| d.to_string()),
            address: AddressJson {
                line1: c.address.line1.to_string(),
                line2: c.address.line2.to_string(),
                locality: c.address.locality.to_string(),
                city: c.address.city.to_string(),
                state: c.address.state.to_string(),
                pincode: c.address.pincode.map(|p| p.to_string()),
            },
            status: c.status,
            preferences: PreferencesJson {
                category_ids: c
                    .preferences
                    .categories
                    .iter()
                    .map(|id| id.as_uuid())
                    .collect(),
                metals: c.preferences.metals.clone(),
                purities: c.preferences.purities.iter().map(|p| p.label()).collect(),
                budget_min_paise: c.preferences.budget_min.map(|p| p.get()),
                budget_max_paise: c.preferences.budget_max.map(|p| p.get()),
            },
            notes: c.notes.to_string(),
            home_floor_id: c.home_floor_id.map(|f| f.as_uuid()),
            tags: c.tags.iter().map(|t| t.to_string()).collect(),
            pan: c.pan.map(|p| p.to_string()),
            created_by: c.created_by.as_uuid(),
            created_at: time(c.created_at),
            updated_at: time(c.updated_at),
            deleted_at: c.deleted_at.map(time),
            lifetime_value_paise: value.lifetime_value.get(),
            last_purchase_at: value.last_purchase.map(time),
            purchases: value.purchases,
            visits: value.visits(),
        }
    }
}
