//! One row of a stock file read into a product, through the same checks as the product
//! form, and a stored product brought up to date from a row.

use super::columns::{Columns, Problems, RowProblem};
use crate::app::Error;
use crate::app::products::{MakingChargeInput, ParsedProduct, ProductInput, parse_product};
use crate::domain::{BasisPoints, CategoryId, FloorId, MakingCharge, Milligrams, Paise, Product};
use crate::reports::import::{
    SheetRow, cell_text, parse_amount, parse_count, parse_metal, parse_purity, parse_weight,
    parse_yes_no,
};

/// What a product row needs besides its cells.
#[derive(Debug, Clone)]
pub struct ProductContext {
    /// The store's floors by lower-cased name.
    pub floors: Vec<(String, FloorId)>,
    /// The floor of rows that name none: the one chosen for the file, or the Floor
    /// Manager's own.
    pub default_floor: Option<FloorId>,
    /// The store's categories by lower-cased name and by "parent > child" path.
    pub categories: Vec<(String, CategoryId)>,
}

impl ProductContext {
    pub fn floor_name(&self, floor: FloorId) -> String {
        self.floors
            .iter()
            .find(|(_, id)| *id == floor)
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }

    pub fn category_name(&self, category: Option<CategoryId>) -> String {
        self.categories
            .iter()
            .find(|(_, id)| Some(*id) == category)
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }
}

/// A product row, checked.
#[derive(Debug)]
pub struct ProductRow {
    pub line: u32,
    pub parsed: ParsedProduct,
    pub floor: FloorId,
    pub given: Vec<&'static str>,
}

/// The product form's field names, as the columns a row's fields came from.
const FORM_FIELDS: &[(&str, &str)] = &[
    ("gross_weight_mg", "gross_weight"),
    ("stone_weight_mg", "stone_weight"),
    ("stone_value_paise", "stone_value"),
    ("fixed_price_paise", "fixed_price"),
    ("floor_id", "floor"),
    ("category_id", "category"),
];

fn import_field(form_field: &str) -> &str {
    FORM_FIELDS
        .iter()
        .find(|(form, _)| *form == form_field)
        .map_or(form_field, |(_, field)| field)
}

/// Reads one row into a product, or says everything wrong with it.
pub fn read_product(
    row: &SheetRow,
    columns: &Columns,
    ctx: &ProductContext,
) -> Result<ProductRow, Vec<RowProblem>> {
    if let Err(problem) = columns.check_width(row) {
        return Err(vec![problem]);
    }
    let errors = columns.excel_errors(row);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut p = Problems::new(row.line);
    let text = |field: &str| cell_text(columns.cell(row, field));
    let mut given: Vec<&'static str> = ["sku", "name", "description", "huid"]
        .into_iter()
        .filter(|f| !text(f).is_empty())
        .collect();
    let metal = p.cell(columns, "metal", parse_metal(columns.cell(row, "metal")));
    let purity = p.cell(
        columns,
        "purity",
        parse_purity(columns.cell(row, "purity"), metal),
    );
    let gross = p.cell(
        columns,
        "gross_weight",
        parse_weight(columns.cell(row, "gross_weight")),
    );
    let stone = p.cell(
        columns,
        "stone_weight",
        parse_weight(columns.cell(row, "stone_weight")),
    );
    let net = p.cell(
        columns,
        "net_weight",
        parse_weight(columns.cell(row, "net_weight")),
    );
    let stone = stone_weight(&mut p, columns, gross, stone, net);
    let making = match text("making_charge") {
        raw if raw.is_empty() => None,
        raw => match read_making(&raw, columns.header("making_charge")) {
            Ok(m) => Some(m),
            Err(message) => {
                p.add(columns.header("making_charge"), message);
                None
            }
        },
    };
    let amount = |p: &mut Problems, field: &str| {
        p.cell(columns, field, parse_amount(columns.cell(row, field)))
    };
    let stone_value = amount(&mut p, "stone_value");
    let fixed_price = amount(&mut p, "fixed_price");
    let stock = p.cell(
        columns,
        "stock_qty",
        parse_count(columns.cell(row, "stock_qty")),
    );
    let active = p.cell(columns, "active", parse_yes_no(columns.cell(row, "active")));
    let floor = match text("floor") {
        raw if raw.is_empty() => ctx.default_floor,
        raw => {
            given.push("floor");
            let found = lookup(&ctx.floors, &raw);
            if found.is_none() {
                let names: Vec<&str> = ctx.floors.iter().map(|(n, _)| n.as_str()).collect();
                p.add(
                    columns.header("floor"),
                    format!(
                        "the store has no floor '{raw}'; its floors are {}",
                        names.join(", ")
                    ),
                );
            }
            found
        }
    };
    let category = match text("category") {
        raw if raw.is_empty() => None,
        raw => {
            given.push("category");
            let found = lookup(&ctx.categories, &raw);
            if found.is_none() {
                p.add(
                    columns.header("category"),
                    format!("the catalogue has no category '{raw}'; add it under Catalogue first, or leave the cell empty"),
                );
            }
            found
        }
    };
    for (field, present) in [
        ("metal", metal.is_some()),
        ("purity", purity.is_some()),
        ("gross_weight", gross.is_some()),
        ("stone_weight", stone.is_some()),
        ("making_charge", making.is_some()),
        ("stone_value", stone_value.is_some()),
        ("fixed_price", fixed_price.is_some()),
        ("stock_qty", stock.is_some()),
        ("active", active.is_some()),
    ] {
        if present {
            given.push(field);
        }
    }
    if floor.is_none() && !columns.is_mapped("floor") {
        p.add(
            "",
            "says no floor: choose the floor these products are kept on, or map a Floor column",
        );
    }
    let (Some(purity), Some(gross), Some(floor)) = (purity, gross, floor) else {
        if purity.is_none() && p.is_empty() {
            p.add(
                columns.header("purity"),
                "is empty; every product needs its purity (22K, 18K, 925…)",
            );
        }
        if gross.is_none() && p.is_empty() {
            p.add(
                columns.header("gross_weight"),
                "is empty; every product needs its gross weight in grams",
            );
        }
        return Err(p.into_vec());
    };
    let input = ProductInput {
        sku: text("sku"),
        name: text("name"),
        description: Some(text("description")),
        category_id: category.map(|c| c.as_uuid()),
        floor_id: Some(floor.as_uuid()),
        metal: metal.unwrap_or(purity.metal()),
        purity: purity.to_string(),
        gross_weight_mg: gross.get(),
        stone_weight_mg: stone.map_or(0, Milligrams::get),
        making_charge: match making.unwrap_or(MakingCharge::PerGramPaise(Paise::ZERO)) {
            MakingCharge::PerGramPaise(v) => MakingChargeInput::PerGramPaise(v.get()),
            MakingCharge::PercentBp(bp) => MakingChargeInput::PercentBp(i64::from(bp.get())),
            MakingCharge::FlatPaise(v) => MakingChargeInput::FlatPaise(v.get()),
        },
        stone_value_paise: stone_value.map_or(0, Paise::get),
        huid: Some(text("huid")),
        fixed_price_paise: fixed_price.map(Paise::get),
        stock_qty: i64::from(stock.unwrap_or(1)),
        active: Some(active.unwrap_or(true)),
    };
    match parse_product(&input) {
        Ok(parsed) if p.is_empty() => Ok(ProductRow {
            line: row.line,
            parsed,
            floor,
            given,
        }),
        Ok(_) => Err(p.into_vec()),
        Err(Error::Invalid(errors)) => {
            for (field, message) in errors.iter() {
                let field = import_field(field);
                let header = columns.header(field);
                let label = super::fields::spec(columns.kind(), field).map_or(field, |s| s.label);
                p.add(
                    if header.is_empty() { label } else { header },
                    message.clone(),
                );
            }
            Err(p.into_vec())
        }
        Err(other) => {
            p.add("", other.to_string());
            Err(p.into_vec())
        }
    }
}

/// The stone weight a row gives, or works out from its gross and net weights.
fn stone_weight(
    p: &mut Problems,
    columns: &Columns,
    gross: Option<Milligrams>,
    stone: Option<Milligrams>,
    net: Option<Milligrams>,
) -> Option<Milligrams> {
    let (Some(gross), Some(net)) = (gross, net) else {
        return stone;
    };
    let Some(worked_out) = gross.checked_sub(net) else {
        p.add(
            columns.header("net_weight"),
            format!("{net} is more than the gross weight {gross}; net weight is gross less stones"),
        );
        return None;
    };
    match stone {
        Some(stone) if stone != worked_out => {
            p.add(
                columns.header("stone_weight"),
                format!("{stone} does not agree with gross {gross} less net {net} ({worked_out}); correct one of the three"),
            );
            None
        }
        _ => Some(worked_out),
    }
}

fn lookup<T: Copy>(named: &[(String, T)], raw: &str) -> Option<T> {
    let wanted = raw.trim().to_lowercase();
    named
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, id)| *id)
}

/// A making charge as stock lists write it: `₹450/g`, `450 per gram`, `12%`,
/// `₹2,000 flat`. A bare number is per gram, or a percentage when the column's header
/// says so ("MC %").
pub fn read_making(raw: &str, header: &str) -> Result<MakingCharge, String> {
    let lower = raw.trim().to_lowercase();
    let explain = || {
        format!(
            "'{}' is not a making charge; write it as 450/g (per gram), 12% or 2000 flat",
            raw.trim()
        )
    };
    let amount = |text: &str| Paise::parse_rupees(text).map_err(|_| explain());
    if let Some(percent) = lower.strip_suffix('%') {
        return BasisPoints::parse_percent(percent)
            .map(MakingCharge::PercentBp)
            .map_err(|_| explain());
    }
    for suffix in ["/g", "/gm", "/gram", " per gram", " per g", "pg", " /g"] {
        if let Some(rate) = lower.strip_suffix(suffix) {
            return amount(rate).map(MakingCharge::PerGramPaise);
        }
    }
    for suffix in [" flat", "flat", " fixed", " per piece", "/pc", "/piece"] {
        if let Some(flat) = lower.strip_suffix(suffix) {
            return amount(flat).map(MakingCharge::FlatPaise);
        }
    }
    let header = super::fields::normalise(header);
    if header.contains("percent") || header.contains('%') || header.ends_with("pc") {
        return BasisPoints::parse_percent(&lower)
            .map(MakingCharge::PercentBp)
            .map_err(|_| explain());
    }
    amount(&lower).map(MakingCharge::PerGramPaise)
}

/// How an export writes a making charge, so the file reads back the same.
pub fn write_making(charge: MakingCharge) -> String {
    match charge {
        MakingCharge::PerGramPaise(rate) => format!("{rate}/g"),
        MakingCharge::PercentBp(bp) => bp.to_string(),
        MakingCharge::FlatPaise(flat) => format!("{flat} flat"),
    }
}

/// `old` brought up to date from a row (see `customer_rows::updated_customer`). The
/// tag number stays: it is how the row found the product.
pub fn updated_product(old: &Product, row: &ProductRow, overwrite: bool) -> Product {
    let mut new = old.clone();
    let p = &row.parsed;
    let given = |field: &str| row.given.contains(&field);
    let set = |field: &str, empty: bool| given(field) && (overwrite || empty);
    if set("name", false) {
        new.name = p.name.clone();
    }
    if set("description", old.description.is_empty()) {
        new.description = p.description.clone();
    }
    if set("category", old.category_id.is_none()) {
        new.category_id = p.category_id;
    }
    if set("floor", false) {
        new.floor_id = row.floor;
    }
    if set("metal", false) || set("purity", false) {
        new.metal = p.metal;
        new.purity = p.purity;
    }
    if set("gross_weight", false) {
        new.gross_weight = p.gross_weight;
    }
    if set("stone_weight", old.stone_weight.get() == 0) {
        new.stone_weight = p.stone_weight;
    }
    if set("making_charge", false) {
        new.making_charge = p.making_charge;
    }
    if set("stone_value", old.stone_value.get() == 0) {
        new.stone_value = p.stone_value;
    }
    if set("huid", old.huid.is_none()) {
        new.huid = p.huid.clone();
    }
    if set("fixed_price", old.fixed_price.is_none()) {
        new.fixed_price = p.fixed_price;
    }
    if set("stock_qty", false) {
        new.stock_qty = p.stock_qty;
    }
    if set("active", false) {
        new.active = p.active;
    }
    new
}
