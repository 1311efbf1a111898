//! The demo store's floors, managers, category tree and catalogue.

use rand::RngExt;
use rand::rngs::StdRng;

use crate::domain::{
    BasisPoints, Category, CategoryId, FloorId, Huid, MakingCharge, Metal, Milligrams, Paise,
    PersonName, Product, ProductId, Purity, Sku, StoreId, Text,
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

#[derive(Clone, Copy)]
enum Making {
    PerGram(i64, i64),
    Percent(i64, i64),
    Flat(i64, i64),
}

/// A kind of piece the store stocks, with the ranges its real pieces fall in.
struct Template {
    parent: &'static str,
    child: &'static str,
    names: &'static [&'static str],
    metal: Metal,
    purities: &'static [&'static str],
    grams: (f64, f64),
    making: Making,
    /// Stone weight in grams and value in rupees.
    stones: Option<((f64, f64), (i64, i64))>,
    floor: usize,
    prefix: &'static str,
    stock: (u32, u32),
    weight: u32,
    fixed_price: Option<(i64, i64)>,
}

const T: &[Template] = &[
    Template {
        parent: "Gold",
        child: "Necklaces",
        names: &[
            "Temple Necklace",
            "Antique Haar",
            "Rani Haar",
            "Lotus Necklace",
            "Peacock Necklace",
        ],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (18.0, 60.0),
        making: Making::PerGram(450, 750),
        stones: None,
        floor: 0,
        prefix: "NK",
        stock: (1, 2),
        weight: 10,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Bangles",
        names: &[
            "Kangan",
            "Plain Bala",
            "Filigree Bangle",
            "Meenakari Churi",
            "Pola Bangle",
        ],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (10.0, 40.0),
        making: Making::Percent(800, 1400),
        stones: None,
        floor: 0,
        prefix: "BG",
        stock: (1, 4),
        weight: 12,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Earrings",
        names: &[
            "Jhumka",
            "Kanbala",
            "Chandbali",
            "Stud Earrings",
            "Kaan Pasha",
        ],
        metal: Metal::Gold,
        purities: &["22K", "18K"],
        grams: (3.0, 15.0),
        making: Making::PerGram(500, 800),
        stones: None,
        floor: 0,
        prefix: "ER",
        stock: (1, 3),
        weight: 14,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Rings",
        names: &["Ladies Ring", "Gents Ring", "Nawab Ring", "Couple Band"],
        metal: Metal::Gold,
        purities: &["22K", "18K"],
        grams: (2.0, 10.0),
        making: Making::Percent(1000, 1500),
        stones: None,
        floor: 0,
        prefix: "RG",
        stock: (1, 5),
        weight: 12,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Chains",
        names: &["Rope Chain", "Box Chain", "Singapore Chain", "Curb Chain"],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (5.0, 25.0),
        making: Making::PerGram(300, 450),
        stones: None,
        floor: 0,
        prefix: "CH",
        stock: (2, 10),
        weight: 10,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Mangalsutra",
        names: &["Mangalsutra", "Diamond-cut Mangalsutra"],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (8.0, 25.0),
        making: Making::PerGram(500, 700),
        stones: Some(((0.5, 2.0), (300, 1_500))),
        floor: 0,
        prefix: "MS",
        stock: (1, 4),
        weight: 5,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Pendants",
        names: &[
            "Om Pendant",
            "Ganesh Pendant",
            "Heart Pendant",
            "Initial Pendant",
        ],
        metal: Metal::Gold,
        purities: &["22K", "18K"],
        grams: (1.5, 6.0),
        making: Making::PerGram(550, 850),
        stones: None,
        floor: 0,
        prefix: "PD",
        stock: (1, 6),
        weight: 8,
        fixed_price: None,
    },
    Template {
        parent: "Gold",
        child: "Nose Pins",
        names: &["Nath", "Nose Pin"],
        metal: Metal::Gold,
        purities: &["18K", "22K"],
        grams: (0.5, 3.0),
        making: Making::Flat(800, 2_000),
        stones: None,
        floor: 0,
        prefix: "NP",
        stock: (2, 12),
        weight: 5,
        fixed_price: None,
    },
    Template {
        parent: "Diamond",
        child: "Rings",
        names: &[
            "Solitaire Ring",
            "Cluster Ring",
            "Eternity Band",
            "Cocktail Ring",
        ],
        metal: Metal::Gold,
        purities: &["18K", "14K"],
        grams: (2.5, 8.0),
        making: Making::Percent(1200, 1800),
        stones: Some(((0.1, 1.2), (25_000, 6_00_000))),
        floor: 1,
        prefix: "DR",
        stock: (1, 2),
        weight: 9,
        fixed_price: None,
    },
    Template {
        parent: "Diamond",
        child: "Earrings",
        names: &["Diamond Studs", "Diamond Drops", "Diamond Jhumka"],
        metal: Metal::Gold,
        purities: &["18K"],
        grams: (3.0, 9.0),
        making: Making::Percent(1200, 1800),
        stones: Some(((0.2, 1.0), (30_000, 3_50_000))),
        floor: 1,
        prefix: "DE",
        stock: (1, 2),
        weight: 6,
        fixed_price: None,
    },
    Template {
        parent: "Diamond",
        child: "Pendants",
        names: &["Diamond Pendant", "Solitaire Pendant"],
        metal: Metal::Gold,
        purities: &["18K"],
        grams: (2.0, 6.0),
        making: Making::Percent(1200, 1800),
        stones: Some(((0.1, 0.6), (20_000, 2_00_000))),
        floor: 1,
        prefix: "DP",
        stock: (1, 2),
        weight: 5,
        fixed_price: None,
    },
    Template {
        parent: "Diamond",
        child: "Necklaces",
        names: &["Diamond Necklace", "Diamond Choker"],
        metal: Metal::Gold,
        purities: &["18K"],
        grams: (15.0, 40.0),
        making: Making::Percent(1400, 2000),
        stones: Some(((1.0, 4.0), (2_00_000, 15_00_000))),
        floor: 1,
        prefix: "DN",
        stock: (1, 1),
        weight: 2,
        fixed_price: None,
    },
    Template {
        parent: "Silver",
        child: "Anklets",
        names: &["Payel (Anklet) Pair", "Ghungroo Payel"],
        metal: Metal::Silver,
        purities: &["925"],
        grams: (20.0, 80.0),
        making: Making::PerGram(15, 30),
        stones: None,
        floor: 2,
        prefix: "SA",
        stock: (2, 15),
        weight: 10,
        fixed_price: None,
    },
    Template {
        parent: "Silver",
        child: "Toe Rings",
        names: &["Bichhiya Pair"],
        metal: Metal::Silver,
        purities: &["925"],
        grams: (4.0, 12.0),
        making: Making::Flat(150, 400),
        stones: None,
        floor: 2,
        prefix: "ST",
        stock: (5, 30),
        weight: 5,
        fixed_price: None,
    },
    Template {
        parent: "Silver",
        child: "Utensils",
        names: &["Silver Glass", "Bowl & Spoon Set", "Puja Thali"],
        metal: Metal::Silver,
        purities: &["999", "925"],
        grams: (50.0, 400.0),
        making: Making::PerGram(10, 20),
        stones: None,
        floor: 2,
        prefix: "SU",
        stock: (1, 6),
        weight: 5,
        fixed_price: None,
    },
    Template {
        parent: "Silver",
        child: "Coins",
        names: &["Lakshmi-Ganesh Coin", "Silver Coin"],
        metal: Metal::Silver,
        purities: &["999"],
        grams: (10.0, 20.0),
        making: Making::Flat(100, 250),
        stones: None,
        floor: 2,
        prefix: "SC",
        stock: (10, 50),
        weight: 6,
        fixed_price: None,
    },
    Template {
        parent: "Silver",
        child: "Idols",
        names: &["Lakshmi Idol", "Ganesh Idol", "Gift Box Set"],
        metal: Metal::Silver,
        purities: &["999"],
        grams: (30.0, 200.0),
        making: Making::PerGram(20, 40),
        stones: None,
        floor: 2,
        prefix: "SI",
        stock: (1, 5),
        weight: 3,
        fixed_price: Some((4_000, 45_000)),
    },
    Template {
        parent: "Platinum",
        child: "Bands",
        names: &["Platinum Couple Bands", "Platinum Men's Band"],
        metal: Metal::Platinum,
        purities: &["950"],
        grams: (4.0, 12.0),
        making: Making::Percent(1500, 2000),
        stones: None,
        floor: 2,
        prefix: "PB",
        stock: (1, 3),
        weight: 3,
        fixed_price: None,
    },
    Template {
        parent: "Platinum",
        child: "Chains",
        names: &["Platinum Chain"],
        metal: Metal::Platinum,
        purities: &["950"],
        grams: (8.0, 20.0),
        making: Making::Percent(1200, 1600),
        stones: None,
        floor: 2,
        prefix: "PC",
        stock: (1, 3),
        weight: 2,
        fixed_price: None,
    },
    Template {
        parent: "Bridal",
        child: "Sets",
        names: &["Bridal Necklace Set", "Kundan Bridal Set", "Polki Set"],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (60.0, 150.0),
        making: Making::PerGram(600, 900),
        stones: Some(((2.0, 10.0), (20_000, 2_00_000))),
        floor: 3,
        prefix: "BS",
        stock: (1, 1),
        weight: 4,
        fixed_price: None,
    },
    Template {
        parent: "Bridal",
        child: "Chokers",
        names: &["Choker", "Antique Choker"],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (25.0, 60.0),
        making: Making::PerGram(550, 850),
        stones: None,
        floor: 3,
        prefix: "BC",
        stock: (1, 2),
        weight: 4,
        fixed_price: None,
    },
    Template {
        parent: "Bridal",
        child: "Tikli & Matha Patti",
        names: &["Tikli", "Matha Patti", "Topor Crown"],
        metal: Metal::Gold,
        purities: &["22K"],
        grams: (5.0, 20.0),
        making: Making::PerGram(500, 800),
        stones: None,
        floor: 3,
        prefix: "BT",
        stock: (1, 3),
        weight: 3,
        fixed_price: None,
    },
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
    let total: u32 = T.iter().map(|t| t.weight).sum();
    let mut roll = rng.random_range(0..total);
    for template in T {
        if roll < template.weight {
            return template;
        }
        roll -= template.weight;
    }
    &T[0]
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
