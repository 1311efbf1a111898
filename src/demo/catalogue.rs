//! The demo store's floors, managers, category tree and catalogue.

use rand::RngExt;
use rand::rngs::StdRng;

use super::templates::{Making, TEMPLATES, Template};
use crate::domain::{
    BasisPoints, Category, CategoryId, FloorId, Huid, MakingCharge, Milligrams, Paise, PersonName,
    Product, ProductId, Purity, Sku, StoreId, Text,
};

/// Floor names and the username of each floor's manager.
pub const FLOORS: &[(&str, &str)] = &[
    ("Ground Floor — Gold", "ananya.gf"),
    ("First Floor — Diamond", "rohit.ff"),
    ("Second Floor — Silver & Platinum", "moumita.sf"),
    ("Third Floor — Bridal", "sudipto.tf"),
];

pub const MANAGER_NAMES: &[&str] = &[
    "Ananya Bose",
    "Rohit Agarwal",
    "Moumita Saha",
    "Sudipto Banerjee",
];

/// Top-level categories and their children.
pub const CATEGORY_TREE: &[(&str, &[&str])] = &[
    (
        "Gold",
        &[
            "Necklaces",
            "Bangles",
            "Earrings",
            "Rings",
            "Chains",
            "Mangalsutra",
            "Pendants",
            "Nose Pins",
        ],
    ),
    ("Diamond", &["Rings", "Earrings", "Pendants", "Necklaces"]),
    (
        "Silver",
        &["Anklets", "Toe Rings", "Utensils", "Coins", "Idols"],
    ),
    ("Platinum", &["Bands", "Chains"]),
    ("Bridal", &["Sets", "Chokers", "Tikli & Matha Patti"]),
];

const DESIGNS: &[&str] = &[
    "Lotus",
    "Peacock",
    "Paisley",
    "Kolka",
    "Rajwadi",
    "Meenakari",
    "Filigree",
    "Temple",
    "Antique",
    "Jaali",
    "Mayur",
    "Shankh",
    "Bela",
    "Kadam",
];

fn grams_to_mg(rng: &mut StdRng, (low, high): (f64, f64)) -> i64 {
    (rng.random_range(low..high) * 1000.0).round() as i64
}

fn huid(rng: &mut StdRng) -> Huid {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let text: String = (0..6)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect();
    Huid::parse(&text).expect("six alphanumerics make a HUID")
}

fn pick_template(rng: &mut StdRng) -> &'static Template {
    let total: u32 = TEMPLATES.iter().map(|t| t.weight).sum();
    let mut roll = rng.random_range(0..total);
    for template in TEMPLATES {
        if roll < template.weight {
            return template;
        }
        roll -= template.weight;
    }
    &TEMPLATES[0]
}

/// Makes the `n`-th demo product (1-based serial used in its tag number).
pub fn product(
    rng: &mut StdRng,
    n: u32,
    store: StoreId,
    floors: &[FloorId],
    category_of: impl Fn(&str, &str) -> Option<CategoryId>,
    now: jiff::Timestamp,
) -> Product {
    let t = pick_template(rng);
    let purity_text = t.purities[rng.random_range(0..t.purities.len())];
    let purity = Purity::parse(t.metal, purity_text).expect("template purities are valid");
    let gross =
        Milligrams::positive(grams_to_mg(rng, t.grams)).expect("template weights are positive");
    let (stone_weight, stone_value) = match t.stones {
        Some((grams, (low, high))) => {
            let mg = grams_to_mg(rng, grams).min(gross.get() / 3);
            (
                Milligrams::new(mg).unwrap_or(Milligrams::ZERO),
                Paise::from_rupees(rng.random_range(low..=high)),
            )
        }
        None => (Milligrams::ZERO, Paise::ZERO),
    };
    let making = match t.making {
        Making::PerGram(low, high) => {
            MakingCharge::PerGramPaise(Paise::from_rupees(rng.random_range(low..=high)))
        }
        Making::Percent(low, high) => MakingCharge::PercentBp(
            BasisPoints::new(rng.random_range(low..=high) / 25 * 25).unwrap_or_default(),
        ),
        Making::Flat(low, high) => {
            MakingCharge::FlatPaise(Paise::from_rupees(rng.random_range(low..=high) / 50 * 50))
        }
    };
    let design = DESIGNS[rng.random_range(0..DESIGNS.len())];
    let base = t.names[rng.random_range(0..t.names.len())];
    let name = format!("{} {design} {base}", purity.label());
    let sku = format!(
        "{}-{}-{n:05}",
        t.prefix,
        purity.label().trim_end_matches('K')
    );
    Product {
        id: ProductId::new(),
        store_id: store,
        floor_id: floors[t.floor.min(floors.len() - 1)],
        sku: Sku::parse(&sku).expect("demo tag numbers are valid"),
        name: PersonName::parse(&name).expect("demo names are valid"),
        description: Text::parse(&format!(
            "{} {} with {} finish.",
            purity.label(),
            base.to_lowercase(),
            design
        ))
        .unwrap_or_default(),
        category_id: category_of(t.parent, t.child),
        metal: t.metal,
        purity,
        gross_weight: gross,
        stone_weight,
        making_charge: making,
        stone_value,
        huid: Product::needs_huid(t.metal, gross).then(|| huid(rng)),
        fixed_price: t
            .fixed_price
            .map(|(low, high)| Paise::from_rupees(rng.random_range(low..=high) / 100 * 100)),
        stock_qty: rng.random_range(t.stock.0..=t.stock.1),
        active: true,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

pub fn category(
    store: StoreId,
    name: &str,
    parent: Option<CategoryId>,
    now: jiff::Timestamp,
) -> Category {
    Category {
        id: CategoryId::new(),
        store_id: store,
        name: PersonName::parse(name).expect("demo category names are valid"),
        parent_id: parent,
        description: Text::default(),
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}
