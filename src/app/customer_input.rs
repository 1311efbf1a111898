//! A customer as forms and API clients send it, and its parsing into domain values
//! with every field error collected at once.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Error;
use super::users::non_blank;
use crate::domain::{
    Address, CategoryId, Customer, CustomerId, CustomerPreferences, CustomerStatus, Email,
    FieldErrors, FloorId, Gender, InvalidValue, Metal, Paise, Pan, PersonName, Phone, Pincode,
    Purity, StoreId, Tag, Text, UserId,
};

/// A customer as a form or API client sends it. `PUT` replaces the whole record, so
/// send every field you want to keep.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    /// As people type it: `98300 12345`, `+91 98300 12345`, `098300-12345`.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[ .()\-]*(?:\+[ .()\-]*9[ .()\-]*1[ .()\-]*|0[ .()\-]*0[ .()\-]*9[ .()\-]*1[ .()\-]*|9[ .()\-]*1[ .()\-]*|0[ .()\-]*)?[6-9](?:[ .()\-]*[0-9]){9}[ .()\-]*[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub phone: String,
    /// Blank or left out for none.
    /// At most 254 bytes.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^@\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+@(?:[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+\.)+[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub email: Option<String>,
    pub gender: Option<Gender>,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub date_of_birth: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub anniversary: Option<String>,
    pub address: Option<AddressInput>,
    /// Defaults to `ACTIVE`.
    pub status: Option<CustomerStatus>,
    pub preferences: Option<PreferencesInput>,
    #[schema(schema_with = super::field_schemas::optional_text::<2000>)]
    pub notes: Option<String>,
    pub home_floor_id: Option<Uuid>,
    #[serde(default)]
    #[schema(schema_with = super::field_schemas::tags)]
    pub tags: Vec<String>,
    /// Ten characters, e.g. `ABCPK1234F`; blank or left out for none.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([A-Za-z]{3}[ABCFGHJLPTabcfghjlpt][A-Za-z][0-9]{4}[A-Za-z])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub pan: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[schema(schema_with = super::field_schemas::optional_text::<200>)]
    pub line1: Option<String>,
    #[schema(schema_with = super::field_schemas::optional_text::<200>)]
    pub line2: Option<String>,
    #[schema(schema_with = super::field_schemas::optional_text::<100>)]
    pub locality: Option<String>,
    #[schema(schema_with = super::field_schemas::optional_text::<100>)]
    pub city: Option<String>,
    #[schema(schema_with = super::field_schemas::optional_text::<100>)]
    pub state: Option<String>,
    /// Six digits, not starting with 0; blank or left out for none.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([1-9](?:[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[0-9]){5})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub pincode: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesInput {
    #[serde(default)]
    pub category_ids: Vec<Uuid>,
    #[serde(default)]
    pub metals: Vec<Metal>,
    /// Purities such as `22K` or `925`; each must fit one of `metals`.
    #[serde(default)]
    pub purities: Vec<String>,
    pub budget_min_paise: Option<i64>,
    pub budget_max_paise: Option<i64>,
}

fn parse_date(
    field: &str,
    value: Option<&str>,
    today: Date,
    errors: &mut FieldErrors,
) -> Option<Date> {
    let raw = non_blank(value)?;
    let parsed = raw
        .trim()
        .parse::<Date>()
        .map_err(|_| InvalidValue::new("is not a date; use YYYY-MM-DD, e.g. 1990-08-15"));
    let date = errors.check(field, parsed)?;
    if date > today {
        errors.add(field, "is in the future");
        return None;
    }
    if date.year() < 1900 {
        errors.add(field, "is before 1900; check the year");
        return None;
    }
    Some(date)
}

fn text<const N: usize>(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Text<N> {
    errors
        .check(field, Text::parse(value.unwrap_or("")))
        .unwrap_or_default()
}

/// Everything in a customer record that comes from the input, parsed.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) name: PersonName,
    pub(super) phone: Phone,
    pub(super) email: Option<Email>,
    pub(super) gender: Option<Gender>,
    pub(super) date_of_birth: Option<Date>,
    pub(super) anniversary: Option<Date>,
    pub(super) address: Address,
    pub(super) status: CustomerStatus,
    pub(super) preferences: CustomerPreferences,
    pub(super) notes: Text<2000>,
    pub(super) home_floor_id: Option<FloorId>,
    pub(super) tags: Vec<Tag>,
    pub(super) pan: Option<Pan>,
}

fn parse_address(errors: &mut FieldErrors, input: &AddressInput) -> Address {
    Address {
        line1: text(errors, "address.line1", input.line1.as_deref()),
        line2: text(errors, "address.line2", input.line2.as_deref()),
        locality: text(errors, "address.locality", input.locality.as_deref()),
        city: text(errors, "address.city", input.city.as_deref()),
        state: text(errors, "address.state", input.state.as_deref()),
        pincode: non_blank(input.pincode.as_deref())
            .and_then(|p| errors.check("address.pincode", Pincode::parse(p))),
    }
}

fn parse_preferences(errors: &mut FieldErrors, input: &PreferencesInput) -> CustomerPreferences {
    let mut purities = Vec::new();
    for raw in &input.purities {
        let fits = input
            .metals
            .iter()
            .find_map(|m| Purity::parse(*m, raw).ok());
        match fits {
            Some(purity) => purities.push(purity),
            None => errors.add(
                "preferences.purities",
                format!("'{raw}' does not fit any of the chosen metals"),
            ),
        }
    }
    let budget = |field: &str, value: Option<i64>, errors: &mut FieldErrors| {
        value.and_then(|v| errors.check(field, Paise::non_negative(v)))
    };
    let budget_min = budget(
        "preferences.budget_min_paise",
        input.budget_min_paise,
        errors,
    );
    let budget_max = budget(
        "preferences.budget_max_paise",
        input.budget_max_paise,
        errors,
    );
    if let (Some(min), Some(max)) = (budget_min, budget_max)
        && min > max
    {
        errors.add(
            "preferences.budget_max_paise",
            "must not be below the minimum budget",
        );
    }
    CustomerPreferences {
        categories: input
            .category_ids
            .iter()
            .copied()
            .map(CategoryId::from_uuid)
            .collect(),
        metals: input.metals.clone(),
        purities,
        budget_min,
        budget_max,
    }
}

pub(super) fn parse_customer(input: &CustomerInput, today: Date) -> Result<Parsed, Error> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", PersonName::parse(&input.name));
    let phone = errors.check("phone", Phone::parse(&input.phone));
    let email =
        non_blank(input.email.as_deref()).and_then(|e| errors.check("email", Email::parse(e)));
    let date_of_birth = parse_date(
        "date_of_birth",
        input.date_of_birth.as_deref(),
        today,
        &mut errors,
    );
    let anniversary = parse_date(
        "anniversary",
        input.anniversary.as_deref(),
        today,
        &mut errors,
    );
    let address = parse_address(&mut errors, &input.address.clone().unwrap_or_default());
    let preferences =
        parse_preferences(&mut errors, &input.preferences.clone().unwrap_or_default());
    let notes = text(&mut errors, "notes", input.notes.as_deref());
    let mut tags: Vec<Tag> = Vec::new();
    for raw in &input.tags {
        if let Some(tag) = errors.check("tags", Tag::parse(raw))
            && !tags.contains(&tag)
        {
            tags.push(tag);
        }
    }
    if tags.len() > 20 {
        errors.add("tags", "use at most 20 tags");
    }
    let pan = non_blank(input.pan.as_deref()).and_then(|p| errors.check("pan", Pan::parse(p)));
    match (name, phone) {
        (Some(name), Some(phone)) if errors.is_empty() => Ok(Parsed {
            name,
            phone,
            email,
            gender: input.gender,
            date_of_birth,
            anniversary,
            address,
            status: input.status.unwrap_or(CustomerStatus::Active),
            preferences,
            notes,
            home_floor_id: input.home_floor_id.map(FloorId::from_uuid),
            tags,
            pan,
        }),
        _ => Err(errors.into()),
    }
}

impl Parsed {
    /// A new customer of `store` with these details, numbered when it is stored.
    pub(super) fn into_customer(
        self,
        store_id: StoreId,
        created_by: UserId,
        now: Timestamp,
    ) -> Customer {
        Customer {
            id: CustomerId::new(),
            store_id,
            number: 0,
            name: self.name,
            phone: self.phone,
            email: self.email,
            gender: self.gender,
            date_of_birth: self.date_of_birth,
            anniversary: self.anniversary,
            address: self.address,
            status: self.status,
            preferences: self.preferences,
            notes: self.notes,
            home_floor_id: self.home_floor_id,
            tags: self.tags,
            pan: self.pan,
            created_by,
            created_at: now,
            updated_at: now,
            deleted_at: None,
        }
    }

    /// `old` with these details written over it; its identity, number and history stay.
    pub(super) fn replace(self, old: &Customer, now: Timestamp) -> Customer {
        Customer {
            id: old.id,
            number: old.number,
            created_at: old.created_at,
            deleted_at: old.deleted_at,
            ..self.into_customer(old.store_id, old.created_by, now)
        }
    }
}
