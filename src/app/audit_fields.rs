//! How the audit trail reads a change: its kind of record by name, its fields (money in
//! rupees, weights in grams, times in the store's zone) and which changes an owner looks
//! for first.
//!
//! The change log keeps fields as plain text (paise, milligrams, basis points,
//! microseconds), named as the record names them; the unit is read from the name here,
//! so the log never needs rewriting when a page learns to show a field better.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::domain::{Paise, format_date_time};
use crate::store::{ChangeOp, EntityKind, FieldChange};

/// What a field's value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldUnit {
    /// Rupees, kept as paise.
    Money,
    /// Grams, kept as milligrams.
    Weight,
    /// A percentage, kept in basis points.
    Percent,
    /// A moment, kept as microseconds since 1970.
    Time,
    Text,
}

impl FieldUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldUnit::Money => "MONEY",
            FieldUnit::Weight => "WEIGHT",
            FieldUnit::Percent => "PERCENT",
            FieldUnit::Time => "TIME",
            FieldUnit::Text => "TEXT",
        }
    }
}

/// One field of a change, before and after, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditField {
    /// Where the field sits in the record: `fixed_price`, `lines[0].discount`.
    pub field: String,
    pub unit: FieldUnit,
    /// `None`: empty or not there.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Fields kept as paise whose names do not say so.
const MONEY_FIELDS: [&str; 21] = [
    "amount",
    "bill_discount",
    "budget_max",
    "budget_min",
    "cgst",
    "change_given",
    "discount",
    "fixed_price",
    "igst",
    "making_amount",
    "metal_value",
    "payable_after",
    "payable_before",
    "per_gram",
    "rate_per_gram",
    "round_off",
    "sgst",
    "stone_value",
    "taxable_value",
    "total",
    "value",
];
/// Fields kept as milligrams whose names do not say so.
const WEIGHT_FIELDS: [&str; 4] = ["gross_weight", "net_weight", "stone_weight", "weight"];

/// The unit of the field at `path`, read from its last name (`lines[2].discount` →
/// `discount`).
pub fn unit_of(path: &str) -> FieldUnit {
    let last = path.rsplit('.').next().unwrap_or(path);
    let name = last.split('[').next().unwrap_or(last);
    if name.ends_with("_paise") || MONEY_FIELDS.contains(&name) {
        FieldUnit::Money
    } else if name.ends_with("_mg") || WEIGHT_FIELDS.contains(&name) {
        FieldUnit::Weight
    } else if name.ends_with("_bp") || name == "deduction" {
        FieldUnit::Percent
    } else if name.ends_with("_at") || name == "at" {
        FieldUnit::Time
    } else {
        FieldUnit::Text
    }
}

/// Every kept field of a change in the units a person reads.
pub fn readable_fields(fields: &[FieldChange], zone: &TimeZone) -> Vec<AuditField> {
    fields
        .iter()
        .map(|field| {
            let unit = unit_of(&field.field);
            let show = |value: &Option<String>| value.as_deref().map(|v| readable(v, unit, zone));
            AuditField {
                field: field.field.clone(),
                unit,
                before: show(&field.before),
                after: show(&field.after),
            }
        })
        .collect()
}

/// `450000` paise → `₹4,500.00`; `12345` mg → `12.345 g`; `1250` bp → `12.5%`; a time
/// in the store's zone. A value that is not the number its unit expects (a redacted
/// secret, say) shows as it is.
fn readable(value: &str, unit: FieldUnit, zone: &TimeZone) -> String {
    let Ok(number) = value.parse::<i64>() else {
        return value.to_owned();
    };
    match unit {
        FieldUnit::Money => Paise::new(number).to_string(),
        FieldUnit::Weight => {
            let sign = if number < 0 { "-" } else { "" };
            let mg = number.unsigned_abs();
            format!("{sign}{}.{:03} g", mg / 1000, mg % 1000)
        }
        FieldUnit::Percent => {
            let text = format!("{}.{:02}", number / 100, (number % 100).abs());
            format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
        }
        FieldUnit::Time => Timestamp::from_microsecond(number)
            .map_or_else(|_| value.to_owned(), |at| format_date_time(at, zone)),
        FieldUnit::Text => value.to_owned(),
    }
}

const KINDS: [(EntityKind, &str); 17] = [
    (EntityKind::Sale, "SALE"),
    (EntityKind::Product, "PRODUCT"),
    (EntityKind::Customer, "CUSTOMER"),
    (EntityKind::Rate, "RATE"),
    (EntityKind::User, "USER"),
    (EntityKind::Session, "SESSION"),
    (EntityKind::Interaction, "INTERACTION"),
    (EntityKind::FollowUp, "FOLLOW_UP"),
    (EntityKind::Category, "CATEGORY"),
    (EntityKind::Floor, "FLOOR"),
    (EntityKind::Store, "STORE"),
    (EntityKind::Preference, "PREFERENCE"),
    (EntityKind::ApiKey, "API_KEY"),
    (EntityKind::Notification, "NOTIFICATION"),
    (EntityKind::Import, "IMPORT"),
    (EntityKind::CustomerMerge, "CUSTOMER_MERGE"),
    (EntityKind::File, "FILE"),
];

/// Every kind's name, as the filter takes it.
pub const KIND_NAMES: [&str; KINDS.len()] = {
    let mut names = [""; KINDS.len()];
    let mut at = 0;
    while at < KINDS.len() {
        names[at] = KINDS[at].1;
        at += 1;
    }
    names
};

/// The name the filter and the API give a kind of record (`FOLLOW_UP`).
pub fn kind_name(kind: EntityKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("RECORD", |(_, name)| name)
}

pub(super) fn kind_named(text: &str) -> Option<EntityKind> {
    let wanted = text.trim().to_uppercase().replace(['-', ' '], "_");
    KINDS
        .iter()
        .find(|(_, name)| *name == wanted)
        .map(|(kind, _)| *kind)
}

/// The changes an owner picks out first. Exports and document views join this list
/// when the app records them (they are not changes to a record today).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notable {
    /// A product's fixed price, making charge or stone value changed.
    PriceChanges,
    /// A bill given, changed or lost a discount.
    Discounts,
    /// A metal rate was set.
    RateChanges,
    /// Money was paid back on a bill.
    Refunds,
    /// A bill was cancelled.
    Cancellations,
    SignIns,
}

impl Notable {
    pub const ALL: [Notable; 6] = [
        Notable::PriceChanges,
        Notable::Discounts,
        Notable::RateChanges,
        Notable::Refunds,
        Notable::Cancellations,
        Notable::SignIns,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Notable::PriceChanges => "PRICE_CHANGES",
            Notable::Discounts => "DISCOUNTS",
            Notable::RateChanges => "RATE_CHANGES",
            Notable::Refunds => "REFUNDS",
            Notable::Cancellations => "CANCELLATIONS",
            Notable::SignIns => "SIGN_INS",
        }
    }

    /// What the quick pick is called on the page.
    pub fn label(self) -> &'static str {
        match self {
            Notable::PriceChanges => "Price changes",
            Notable::Discounts => "Discounts",
            Notable::RateChanges => "Rate changes",
            Notable::Refunds => "Refunds",
            Notable::Cancellations => "Cancellations",
            Notable::SignIns => "Sign-ins",
        }
    }

    pub fn named(text: &str) -> Option<Self> {
        let wanted = text.trim().to_uppercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|n| n.as_str() == wanted)
    }
}

/// The product fields that make its price.
const PRICE_FIELDS: [&str; 3] = ["fixed_price", "making_charge", "stone_value"];

/// The quick picks a change belongs to, read from what it changed.
pub fn notable_in(kind: EntityKind, op: ChangeOp, fields: &[FieldChange]) -> Vec<Notable> {
    let mut found = Vec::new();
    let root = |field: &FieldChange| {
        field
            .field
            .split(['.', '['])
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    match (kind, op) {
        (EntityKind::Product, ChangeOp::Updated)
            if fields
                .iter()
                .any(|f| PRICE_FIELDS.contains(&root(f).as_str())) =>
        {
            found.push(Notable::PriceChanges);
        }
        (EntityKind::Rate, ChangeOp::Created) => found.push(Notable::RateChanges),
        (EntityKind::Session, ChangeOp::SignedIn) => found.push(Notable::SignIns),
        (EntityKind::Sale, _) => {
            let nonzero = |v: &Option<String>| v.as_deref().is_some_and(|v| v != "0");
            if fields.iter().any(|f| {
                let last = f.field.rsplit('.').next().unwrap_or_default();
                (last == "discount" || last == "bill_discount")
                    && (nonzero(&f.before) || nonzero(&f.after))
            }) {
                found.push(Notable::Discounts);
            }
            if fields.iter().any(|f| root(f) == "refunds") {
                found.push(Notable::Refunds);
            }
            if fields
                .iter()
                .any(|f| f.field == "status" && f.after.as_deref() == Some("CANCELLED"))
            {
                found.push(Notable::Cancellations);
            }
        }
        _ => {}
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(path: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange {
            field: path.into(),
            before: before.map(Into::into),
            after: after.map(Into::into),
        }
    }

    #[test]
    fn units_are_read_from_the_field_names() {
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let shown = readable_fields(
            &[
                field("fixed_price", Some("450000"), Some("12345678")),
                field("lines[1].gross_weight", None, Some("12345")),
                field("making_charge.percent_bp", Some("1250"), None),
                field("refunds[0].at", None, Some("1795000000000000")),
                field("name", Some("Ring"), Some("Bangle")),
            ],
            &zone,
        );
        let pairs: Vec<(Option<&str>, Option<&str>)> = shown
            .iter()
            .map(|f| (f.before.as_deref(), f.after.as_deref()))
            .collect();
        assert_eq!(pairs[0], (Some("₹4,500.00"), Some("₹1,23,456.78")));
        assert_eq!(pairs[1], (None, Some("12.345 g")));
        assert_eq!(pairs[2], (Some("12.5%"), None));
        assert_eq!(pairs[3].1, Some("18 Nov 2026, 16:36"));
        assert_eq!(pairs[4], (Some("Ring"), Some("Bangle")));
    }

    #[test]
    fn quick_picks_follow_what_changed() {
        let price = [field("making_charge.per_gram_paise", Some("1"), Some("2"))];
        assert_eq!(
            notable_in(EntityKind::Product, ChangeOp::Updated, &price),
            [Notable::PriceChanges]
        );
        let renamed = [field("name", Some("a"), Some("b"))];
        assert!(notable_in(EntityKind::Product, ChangeOp::Updated, &renamed).is_empty());
        let undiscounted = [field("lines[0].discount", None, Some("0"))];
        assert!(notable_in(EntityKind::Sale, ChangeOp::Created, &undiscounted).is_empty());
        let cancelled = [
            field("status", Some("PENDING"), Some("CANCELLED")),
            field("bill_discount", Some("0"), Some("500")),
        ];
        assert_eq!(
            notable_in(EntityKind::Sale, ChangeOp::Updated, &cancelled),
            [Notable::Discounts, Notable::Cancellations]
        );
        let refunded = [field("refunds[0].amount", None, Some("100"))];
        assert_eq!(
            notable_in(EntityKind::Sale, ChangeOp::Updated, &refunded),
            [Notable::Refunds]
        );
        assert_eq!(Notable::named("sign-ins"), Some(Notable::SignIns));
    }
}
