//! Products: every role reads the whole catalogue; each floor keeps its own stock.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::users::non_blank;
use super::{Actor, Crm, Error, Paging, Permission};
use crate::domain::Area;
use crate::domain::{
    BasisPoints, CategoryId, FieldErrors, FloorId, Huid, MakingCharge, Metal, Milligrams, Paise,
    PersonName, Product, ProductId, Purity, Sku, Text,
};
use crate::search::ProductSearch;
use crate::store::catalogue::{self as repo, ProductFilter, ProductOrder};
use crate::store::{ChangeOp, Deleted, Page, PageRequest, StoreError, org};

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MakingChargeInput {
    PerGramPaise(i64),
    PercentBp(i64),
    FlatPaise(i64),
}

/// A product as a form or API client sends it; `PUT` replaces the whole record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// The tag number, unique in the store: letters, digits, `-`, `/` and `.`.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9./-]{1,32}[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub sku: String,
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    #[schema(schema_with = super::field_schemas::optional_text::<2000>)]
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    /// Required for an admin; a Floor Manager's products go on their own floor.
    pub floor_id: Option<Uuid>,
    pub metal: Metal,
    /// `22K`, `18K`, `925`, `950`…
    pub purity: String,
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub gross_weight_mg: i64,
    /// At most the gross weight.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub stone_weight_mg: i64,
    pub making_charge: MakingChargeInput,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 999_999_999_999_i64)]
    pub stone_value_paise: i64,
    /// BIS HUID, six letters and digits; required for gold pieces of 2 g or more.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([A-Za-z0-9]{6})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub huid: Option<String>,
    #[schema(minimum = 0, maximum = 999_999_999_999_i64)]
    pub fixed_price_paise: Option<i64>,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub stock_qty: i64,
    /// Defaults to `true`.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Search text: name, tag number (SKU), HUID, category, metal or purity, with
    /// weights and karats read as filters ("22 carat bangle around 20 grams").
    pub q: Option<String>,
    /// `22K`, `18K`, `925`… (searches the index).
    pub purity: Option<String>,
    /// Gross weight bounds in milligrams, inclusive (searches the index).
    pub min_weight_mg: Option<i64>,
    pub max_weight_mg: Option<i64>,
    pub floor_id: Option<Uuid>,
    pub metal: Option<Metal>,
    pub category_id: Option<Uuid>,
    pub in_stock: Option<bool>,
    /// `true` lists removed products instead (admins only).
    pub deleted: Option<bool>,
    /// `newest` (default), `oldest`, `name`, `-name`, `sku` or `-sku`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(newest|-created|oldest|created|name|-name|sku|-sku)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
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

#[derive(Debug)]
pub(super) struct ParsedProduct {
    pub(super) sku: Sku,
    pub(super) name: PersonName,
    pub(super) description: Text<2000>,
    pub(super) category_id: Option<CategoryId>,
    pub(super) floor_id: Option<FloorId>,
    pub(super) metal: Metal,
    pub(super) purity: Purity,
    pub(super) gross_weight: Milligrams,
    pub(super) stone_weight: Milligrams,
    pub(super) making_charge: MakingCharge,
    pub(super) stone_value: Paise,
    pub(super) huid: Option<Huid>,
    pub(super) fixed_price: Option<Paise>,
    pub(super) stock_qty: u32,
    pub(super) active: bool,
}

fn parse_making(errors: &mut FieldErrors, input: MakingChargeInput) -> Option<MakingCharge> {
    let field = "making_charge";
    match input {
        MakingChargeInput::PerGramPaise(v) => errors
            .check(field, Paise::non_negative(v))
            .map(MakingCharge::PerGramPaise),
        MakingChargeInput::PercentBp(v) => errors
            .check(field, BasisPoints::new(v))
            .map(MakingCharge::PercentBp),
        MakingChargeInput::FlatPaise(v) => errors
            .check(field, Paise::non_negative(v))
            .map(MakingCharge::FlatPaise),
    }
}

pub(super) fn parse_product(input: &ProductInput) -> Result<ParsedProduct, Error> {
    let mut e = FieldErrors::new();
    let sku = e.check("sku", Sku::parse(&input.sku));
    let name = e.check("name", PersonName::parse(&input.name));
    let description = e.check(
        "description",
        Text::parse(input.description.as_deref().unwrap_or("")),
    );
    let purity = e.check("purity", Purity::parse(input.metal, &input.purity));
    let gross = e.check(
        "gross_weight_mg",
        Milligrams::positive(input.gross_weight_mg),
    );
    let stone = e.check("stone_weight_mg", Milligrams::new(input.stone_weight_mg));
    if let (Some(g), Some(s)) = (gross, stone)
        && s > g
    {
        e.add("stone_weight_mg", "cannot be more than the gross weight");
    }
    let making = parse_making(&mut e, input.making_charge);
    let stone_value = e.check(
        "stone_value_paise",
        Paise::non_negative(input.stone_value_paise),
    );
    let huid = non_blank(input.huid.as_deref()).and_then(|h| e.check("huid", Huid::parse(h)));
    if let Some(g) = gross
        && huid.is_none()
        && !e.iter().any(|(f, _)| f == "huid")
        && Product::needs_huid(input.metal, g)
    {
        e.add("huid", "is required: gold jewellery of 2 g or more is sold hallmarked; enter the 6-character HUID");
    }
    let fixed_price = input
        .fixed_price_paise
        .and_then(|p| e.check("fixed_price_paise", Paise::non_negative(p)));
    if !(0..=1_000_000).contains(&input.stock_qty) {
        e.add("stock_qty", "must be between 0 and 1000000");
    }
    let (
        Some(sku),
        Some(name),
        Some(description),
        Some(purity),
        Some(gross_weight),
        Some(stone_weight),
        Some(making_charge),
        Some(stone_value),
    ) = (
        sku,
        name,
        description,
        purity,
        gross,
        stone,
        making,
        stone_value,
    )
    else {
        return Err(e.into());
    };
    e.clone().into_result()?;
    Ok(ParsedProduct {
        sku,
        name,
        description,
        category_id: input.category_id.map(CategoryId::from_uuid),
        floor_id: input.floor_id.map(FloorId::from_uuid),
        metal: input.metal,
        purity,
        gross_weight,
        stone_weight,
        making_charge,
        stone_value,
        huid,
        fixed_price,
        stock_qty: input.stock_qty as u32,
        active: input.active.unwrap_or(true),
    })
}

fn parse_product_order(sort: Option<&str>) -> Result<ProductOrder, Error> {
    Ok(match sort.map(str::trim).unwrap_or("newest") {
        "newest" | "-created" | "" => ProductOrder::Newest,
        "oldest" | "created" => ProductOrder::Oldest,
        "name" => ProductOrder::Name,
        "-name" => ProductOrder::NameDesc,
        "sku" => ProductOrder::Sku,
        "-sku" => ProductOrder::SkuDesc,
        other => {
            return Err(Error::field(
                "sort",
                format!(
                    "'{other}' is not a sort order; use newest, oldest, name, -name, sku or -sku"
                ),
            ));
        }
    })
}

fn sku_taken(err: StoreError) -> Error {
    match err {
        StoreError::Duplicate { existing, .. } => Error::Conflict {
            message: "another product already has this tag number; check the tag or choose another"
                .into(),
            field: Some("sku"),
            existing_id: Some(ProductId::from_u128(existing).to_string()),
        },
        other => other.into(),
    }
}

impl Crm {
    pub fn get_product(&self, actor: &Actor, id: ProductId) -> Result<Product, Error> {
        actor.require_read(Area::Catalogue)?;
        self.db
            .read(|rx| repo::product(rx, &actor.store_scope(), id))?
            .filter(|p| p.deleted_at.is_none() || actor.may(Permission::SeeRemoved))
            .ok_or(Error::NotFound("product"))
    }

    pub fn list_products(
        &self,
        actor: &Actor,
        query: &ProductQuery,
    ) -> Result<Page<Product>, Error> {
        actor.require_read(Area::Catalogue)?;
        let request = Paging {
            limit: query.limit,
            cursor: query.cursor.as_deref(),
            page: query.page,
            per_page: query.per_page,
        }
        .request()?;
        self.products_page(actor, query, request)
    }

    /// One page of the products list under `query`'s filters, wherever `request` says
    /// (the list's own paging fields are not read): what the list and its export share.
    pub(super) fn products_page(
        &self,
        actor: &Actor,
        query: &ProductQuery,
        request: PageRequest,
    ) -> Result<Page<Product>, Error> {
        actor.require_read(Area::Catalogue)?;
        let order = parse_product_order(query.sort.as_deref())?;
        let deleted = if query.deleted == Some(true) {
            actor.require(Permission::SeeRemoved)?;
            Deleted::Only
        } else {
            Deleted::Hide
        };
        let text = non_blank(query.q.as_deref());
        let purity = non_blank(query.purity.as_deref()).map(|p| p.trim().to_lowercase());
        if let Some(purity) = &purity
            && !Metal::ALL.iter().any(|m| Purity::parse(*m, purity).is_ok())
        {
            return Err(Error::field(
                "purity",
                "is not a purity; use e.g. 22K, 18K, 925 or 950",
            ));
        }
        let weights = (query.min_weight_mg, query.max_weight_mg);
        if weights.0.is_some_and(|w| w < 0) || weights.1.is_some_and(|w| w < 0) {
            return Err(Error::field(
                "min_weight_mg",
                "weights must not be negative",
            ));
        }
        if let (Some(low), Some(high)) = weights
            && low > high
        {
            return Err(Error::field(
                "max_weight_mg",
                "must not be below min_weight_mg",
            ));
        }
        if text.is_some() || purity.is_some() || weights.0.is_some() || weights.1.is_some() {
            if deleted == Deleted::Only {
                return Err(Error::field(
                    "q",
                    "search finds live products; leave out `deleted` to search",
                ));
            }
            let search = ProductSearch {
                store: actor.store_id,
                text: text.unwrap_or_default().to_owned(),
                floor: query.floor_id.map(FloorId::from_uuid),
                metal: query.metal,
                purity,
                category: query.category_id.map(CategoryId::from_uuid),
                weight_mg: weights,
                in_stock: query.in_stock,
            };
            return self.search_products(actor, search, request);
        }
        let filter = ProductFilter {
            floor: query.floor_id.map(FloorId::from_uuid),
            metal: query.metal,
            category: query.category_id.map(CategoryId::from_uuid),
            in_stock: query.in_stock,
            deleted,
        };
        Ok(self
            .db
            .read(|rx| repo::list_products(rx, &actor.store_scope(), &filter, order, request))?)
    }

    /// Resolves where a product goes and checks its references against the store.
    pub(super) fn place_product(
        &self,
        actor: &Actor,
        parsed: &ParsedProduct,
    ) -> Result<FloorId, Error> {
        let floor = match (parsed.floor_id, actor.floor_id) {
            (Some(floor), _) => floor,
            (None, Some(own)) if !actor.may(Permission::EveryFloor) => own,
            _ => {
                return Err(Error::field(
                    "floor_id",
                    "choose the floor this product is kept on",
                ));
            }
        };
        let scope = actor.store_scope();
        let mut e = FieldErrors::new();
        self.db.read(|rx| -> Result<(), Error> {
            if org::floor(rx, &scope, floor)?.is_none_or(|f| f.deleted_at.is_some()) {
                e.add("floor_id", "no such floor in this store");
            }
            if let Some(category) = parsed.category_id
                && repo::category(rx, &scope, category)?.is_none_or(|c| c.deleted_at.is_some())
            {
                e.add("category_id", "no such category in this store");
            }
            Ok(())
        })?;
        e.into_result()?;
        actor.require_floor(Some(floor), "product")?;
        Ok(floor)
    }

    /// Checks a product's details without saving anything, so a form that already
    /// found a problem of its own can still show every other problem at once.
    pub fn check_product(&self, actor: &Actor, input: &ProductInput) -> Result<(), Error> {
        let parsed = parse_product(input)?;
        self.place_product(actor, &parsed).map(|_| ())
    }

    pub fn create_product(&self, actor: &Actor, input: ProductInput) -> Result<Product, Error> {
        actor.require_write(Area::Catalogue)?;
        let parsed = parse_product(&input)?;
        let floor_id = self.place_product(actor, &parsed)?;
        self.db.write(actor.author(), |w| {
            let product = build_product(ProductId::new(), actor, floor_id, parsed, w.now());
            repo::insert_product(w, &product).map_err(sku_taken)?;
            Ok(product)
        })
    }

    pub fn update_product(
        &self,
        actor: &Actor,
        id: ProductId,
        input: ProductInput,
    ) -> Result<Product, Error> {
        actor.require_write(Area::Catalogue)?;
        let parsed = parse_product(&input)?;
        let floor_id = self.place_product(actor, &parsed)?;
        self.db.write(actor.author(), |w| {
            let old = repo::product(w, &actor.store_scope(), id)?
                .filter(|p| p.deleted_at.is_none())
                .ok_or(Error::NotFound("product"))?;
            actor.require_floor(Some(old.floor_id), "product")?;
            let new = Product {
                created_at: old.created_at,
                ..build_product(id, actor, floor_id, parsed, w.now())
            };
            repo::update_product(w, &old, &new, ChangeOp::Updated).map_err(sku_taken)?;
            Ok(new)
        })
    }

    pub fn delete_product(&self, actor: &Actor, id: ProductId) -> Result<(), Error> {
        actor.require_write(Area::Catalogue)?;
        self.db.write(actor.author(), |w| {
            let old = repo::product(w, &actor.store_scope(), id)?
                .filter(|p| p.deleted_at.is_none())
                .ok_or(Error::NotFound("product"))?;
            actor.require_floor(Some(old.floor_id), "product")?;
            let new = Product {
                deleted_at: Some(w.now()),
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_product(w, &old, &new, ChangeOp::Deleted)?;
            Ok(())
        })
    }
}

pub(super) fn build_product(
    id: ProductId,
    actor: &Actor,
    floor_id: FloorId,
    p: ParsedProduct,
    now: jiff::Timestamp,
) -> Product {
    Product {
        id,
        store_id: actor.store_id,
        floor_id,
        sku: p.sku,
        name: p.name,
        description: p.description,
        category_id: p.category_id,
        metal: p.metal,
        purity: p.purity,
        gross_weight: p.gross_weight,
        stone_weight: p.stone_weight,
        making_charge: p.making_charge,
        stone_value: p.stone_value,
        huid: p.huid,
        fixed_price: p.fixed_price,
        stock_qty: p.stock_qty,
        active: p.active,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}
