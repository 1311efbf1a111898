//! Demo customers: Bengali, Marwari and Hindi-speaking families of Kolkata and nearby
//! states, with valid mobile numbers, birthdays, anniversaries and addresses.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use rand::RngExt;
use rand::rngs::StdRng;

use crate::domain::gst_states::StateCode;
use crate::domain::{
    Address, Customer, CustomerId, CustomerPreferences, CustomerStatus, Email, FloorId, Gender,
    Metal, Pan, PersonName, Phone, Pincode, StoreId, Tag, Text, UserId,
};

struct Community {
    share: u32,
    men: &'static [&'static str],
    women: &'static [&'static str],
    surnames: &'static [&'static str],
}

const COMMUNITIES: &[Community] = &[
    Community {
        share: 60,
        men: &[
            "Subhajit",
            "Arindam",
            "Sourav",
            "Debashis",
            "Partha",
            "Abhijit",
            "Anirban",
            "Sayan",
            "Rajib",
            "Tapas",
            "Sandip",
            "Indranil",
            "Kaushik",
            "Suman",
            "Amitava",
            "Biswajit",
            "Pritam",
            "Arnab",
            "Sudipto",
            "Somnath",
            "Shubhojit",
            "Prosenjit",
        ],
        women: &[
            "Rina",
            "Moumita",
            "Sharmistha",
            "Paromita",
            "Sreeparna",
            "Anindita",
            "Tanushree",
            "Debjani",
            "Sudeshna",
            "Ishita",
            "Rituparna",
            "Swati",
            "Payel",
            "Mousumi",
            "Madhumita",
            "Sanchita",
            "Aparna",
            "Jayashree",
            "Riya",
            "Ankita",
            "Sohini",
            "Tithi",
        ],
        surnames: &[
            "Sarkar",
            "Chowdhury",
            "Banerjee",
            "Mukherjee",
            "Chatterjee",
            "Ganguly",
            "Bose",
            "Ghosh",
            "Das",
            "Dutta",
            "Sen",
            "Roy",
            "Mitra",
            "Bhattacharya",
            "Chakraborty",
            "Majumdar",
            "Paul",
            "Saha",
            "Dey",
            "Biswas",
            "Mondal",
            "Haldar",
            "Pal",
            "Kar",
            "Choudhury",
            "Sengupta",
        ],
    },
    Community {
        share: 22,
        men: &[
            "Ankit", "Nikhil", "Gaurav", "Pawan", "Sunil", "Mahesh", "Vivek", "Harsh", "Rakesh",
            "Manoj", "Ashish", "Kunal",
        ],
        women: &[
            "Sweta", "Sneha", "Kirti", "Payal", "Ritika", "Shikha", "Pooja", "Megha", "Nidhi",
            "Sakshi",
        ],
        surnames: &[
            "Agarwal",
            "Jain",
            "Maheshwari",
            "Khandelwal",
            "Goenka",
            "Bajaj",
            "Kothari",
            "Saraf",
            "Jhunjhunwala",
            "Poddar",
            "Bagri",
            "Somani",
        ],
    },
    Community {
        share: 18,
        men: &[
            "Rahul", "Amit", "Rohit", "Vikas", "Sanjay", "Rajesh", "Manish", "Anil", "Deepak",
            "Ashok", "Alok", "Prakash",
        ],
        women: &[
            "Priya", "Neha", "Sunita", "Kavita", "Anjali", "Rekha", "Meena", "Shweta", "Nisha",
            "Archana",
        ],
        surnames: &[
            "Sharma",
            "Gupta",
            "Singh",
            "Verma",
            "Yadav",
            "Mishra",
            "Tiwari",
            "Pandey",
            "Srivastava",
            "Jha",
            "Sinha",
            "Prasad",
        ],
    },
];

/// Locality, PIN code, city, state; the last few are out of state (IGST customers).
const PLACES: &[(&str, &str, &str, &str)] = &[
    ("Salt Lake", "700091", "Kolkata", "West Bengal"),
    ("Behala", "700034", "Kolkata", "West Bengal"),
    ("Gariahat", "700019", "Kolkata", "West Bengal"),
    ("Ballygunge", "700019", "Kolkata", "West Bengal"),
    ("New Town", "700156", "Kolkata", "West Bengal"),
    ("Dum Dum", "700028", "Kolkata", "West Bengal"),
    ("Tollygunge", "700033", "Kolkata", "West Bengal"),
    ("Jadavpur", "700032", "Kolkata", "West Bengal"),
    ("Shyambazar", "700004", "Kolkata", "West Bengal"),
    ("Park Street", "700016", "Kolkata", "West Bengal"),
    ("Alipore", "700027", "Kolkata", "West Bengal"),
    ("Kasba", "700042", "Kolkata", "West Bengal"),
    ("Garia", "700084", "Kolkata", "West Bengal"),
    ("Baranagar", "700036", "Kolkata", "West Bengal"),
    ("Bhowanipore", "700025", "Kolkata", "West Bengal"),
    ("Lake Town", "700089", "Kolkata", "West Bengal"),
    ("Rajarhat", "700135", "Kolkata", "West Bengal"),
    ("Burrabazar", "700007", "Kolkata", "West Bengal"),
    ("Howrah Maidan", "711101", "Howrah", "West Bengal"),
    ("Shibpur", "711102", "Howrah", "West Bengal"),
    ("Barasat", "700124", "Barasat", "West Bengal"),
    ("Chandannagar", "712136", "Chandannagar", "West Bengal"),
    ("Bistupur", "831001", "Jamshedpur", "Jharkhand"),
    ("Saheed Nagar", "751007", "Bhubaneswar", "Odisha"),
    ("Boring Road", "800001", "Patna", "Bihar"),
    ("Zoo Road", "781024", "Guwahati", "Assam"),
];
/// How many of `PLACES`, from the end, lie outside West Bengal.
const OUT_OF_STATE: usize = 4;

const STREETS: &[&str] = &[
    "Hindustan Park",
    "Rashbehari Avenue",
    "Jessore Road",
    "Diamond Harbour Road",
    "Prince Anwar Shah Road",
    "Southern Avenue",
    "Bidhan Sarani",
    "Lake Road",
    "Rajdanga Main Road",
    "Sarat Bose Road",
    "Hazra Road",
    "Bondel Road",
    "Canal Street",
    "VIP Road",
    "Purna Das Road",
];
const TAGS: &[&str] = &[
    "vip",
    "wedding-2026",
    "bridal",
    "gold-scheme",
    "diamond-lover",
    "nri",
    "corporate-gifting",
    "akshaya-tritiya",
    "referral",
];
const MAIL_DOMAINS: &[&str] = &["gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"];

pub fn is_out_of_state(state: &str) -> bool {
    state != "West Bengal"
}

/// A valid Indian mobile number not handed out before.
fn unique_phone(rng: &mut StdRng, used: &mut HashSet<u64>) -> Phone {
    loop {
        let first = [9u64, 9, 9, 8, 8, 7, 6][rng.random_range(0..7)];
        let number = first * 1_000_000_000 + rng.random_range(0..1_000_000_000u64);
        if used.insert(number) {
            return Phone::parse(&number.to_string())
                .expect("10 digits starting 6-9 make a mobile number");
        }
    }
}

fn pan(rng: &mut StdRng, surname: &str) -> Pan {
    let letter = |rng: &mut StdRng| (b'A' + rng.random_range(0..26u8)) as char;
    let initial = surname.chars().next().unwrap_or('X').to_ascii_uppercase();
    let text = format!(
        "{}{}{}P{initial}{:04}{}",
        letter(rng),
        letter(rng),
        letter(rng),
        rng.random_range(0..10_000),
        letter(rng)
    );
    Pan::parse(&text).expect("demo PANs follow the PAN pattern")
}

fn date_between(rng: &mut StdRng, from: Date, to: Date) -> Date {
    let days: i64 = (to - from).get_days().into();
    from.checked_add(jiff::Span::new().days(rng.random_range(0..=days.max(0))))
        .unwrap_or(from)
}

/// What the rest of the demo needs to know about a customer it made.
#[derive(Debug, Clone, Copy)]
pub struct Made {
    pub id: CustomerId,
    pub out_of_state: bool,
    /// Their state, where their bills are supplied.
    pub state: Option<StateCode>,
    /// Their home floor, where their walk-ins and calls are logged.
    pub floor: FloorId,
    pub arrived: Timestamp,
}

/// Makes one customer. `sales` is how many purchases the demo will give them, which
/// decides their status; buyers always have a PAN on file.
#[allow(clippy::too_many_arguments)]
pub fn customer(
    rng: &mut StdRng,
    used_phones: &mut HashSet<u64>,
    store: StoreId,
    floors: &[FloorId],
    created_by: UserId,
    created_at: Timestamp,
    today: Date,
    sales: u32,
) -> (Customer, Made) {
    let mut roll = rng.random_range(0..100);
    let community = COMMUNITIES.iter().find(|c| {
        let hit = roll < c.share;
        roll = roll.saturating_sub(c.share);
        hit
    });
    let community = community.unwrap_or(&COMMUNITIES[0]);
    let female = rng.random_bool(0.62);
    let first = if female {
        community.women
    } else {
        community.men
    };
    let first = first[rng.random_range(0..first.len())];
    let surname = community.surnames[rng.random_range(0..community.surnames.len())];
    let phone = unique_phone(rng, used_phones);
    let place = if rng.random_bool(0.05) {
        PLACES[PLACES.len() - 1 - rng.random_range(0..OUT_OF_STATE)]
    } else {
        PLACES[rng.random_range(0..PLACES.len() - OUT_OF_STATE)]
    };
    let born = date_between(
        rng,
        today.saturating_sub(jiff::Span::new().years(70)),
        today.saturating_sub(jiff::Span::new().years(22)),
    );
    let married = rng
        .random_bool(0.65)
        .then(|| date_between(rng, born.saturating_add(jiff::Span::new().years(21)), today));
    let email = rng.random_bool(0.4).then(|| {
        let domain = MAIL_DOMAINS[rng.random_range(0..MAIL_DOMAINS.len())];
        Email::parse(&format!(
            "{}.{}{}@{domain}",
            first.to_lowercase(),
            surname.to_lowercase(),
            rng.random_range(1..99)
        ))
        .expect("demo emails are valid")
    });
    let roll = rng.random_range(0..10);
    let status = if sales == 0 {
        match roll {
            0..=5 => CustomerStatus::Prospect,
            6..=8 => CustomerStatus::Active,
            _ => CustomerStatus::Inactive,
        }
    } else if roll <= 6 {
        CustomerStatus::Converted
    } else {
        CustomerStatus::Active
    };
    let metals: Vec<Metal> = match rng.random_range(0..6) {
        0..=2 => vec![Metal::Gold],
        3 => vec![Metal::Gold, Metal::Silver],
        4 => vec![Metal::Silver],
        _ => vec![Metal::Platinum],
    };
    let tags: Vec<Tag> = (0..rng.random_range(0..3))
        .map(|_| Tag::parse(TAGS[rng.random_range(0..TAGS.len())]).expect("demo tags are valid"))
        .fold(Vec::new(), |mut acc, t| {
            if !acc.contains(&t) {
                acc.push(t);
            }
            acc
        });
    let out_of_state = is_out_of_state(place.3);
    let id = CustomerId::created_at(created_at);
    let floor = floors[rng.random_range(0..floors.len())];
    let customer = Customer {
        id,
        store_id: store,
        number: 0,
        name: PersonName::parse(&format!("{first} {surname}")).expect("demo names are valid"),
        phone,
        email,
        gender: Some(if female { Gender::Female } else { Gender::Male }),
        date_of_birth: rng.random_bool(0.8).then_some(born),
        anniversary: married,
        address: Address {
            line1: Text::parse(&format!(
                "{}/{} {}",
                rng.random_range(1..200),
                rng.random_range(1..20),
                STREETS[rng.random_range(0..STREETS.len())]
            ))
            .unwrap_or_default(),
            line2: Text::default(),
            locality: Text::parse(place.0).unwrap_or_default(),
            city: Text::parse(place.2).unwrap_or_default(),
            state: Text::parse(place.3).unwrap_or_default(),
            pincode: Pincode::parse(place.1).ok(),
        },
        status,
        preferences: CustomerPreferences {
            metals,
            ..CustomerPreferences::default()
        },
        notes: Text::default(),
        home_floor_id: Some(floor),
        tags,
        pan: (sales > 0 || rng.random_bool(0.3)).then(|| pan(rng, surname)),
        created_by,
        created_at,
        updated_at: created_at,
        deleted_at: None,
    };
    (
        customer,
        Made {
            id,
            out_of_state,
            state: StateCode::of(place.3),
            floor,
            arrived: created_at,
        },
    )
}
