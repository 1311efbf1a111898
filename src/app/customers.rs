//! Customers: every role looks any customer of the store up; changes stay with the
//! customer's home floor (or an admin).

use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::users::non_blank;
use super::{Actor, Crm, Error, PageQuery};
use crate::domain::{
    Address, CategoryId, Customer, CustomerId, CustomerPreferences, CustomerStatus, Email,
    FieldErrors, FloorId, Gender, InvalidValue, Metal, Paise, Pan, PersonName, Phone, Pincode,
    Purity, Tag, Text,
};
use crate::store::customers::{self as repo, CustomerFilter, CustomerOrder};
use crate::store::{ChangeOp, Deleted, Page, StoreError, org};

/// A customer as a form or API client sends it. `PUT` replaces the whole record, so
/// send every field you want to keep.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub name: String,
    /// As people type it: `98300 12345`, `+91 98300 12345`, `098300-12345`.
    pub phone: String,
    pub email: Option<String>,
    pub gender: Option<Gender>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// `YYYY-MM-DD`.
    pub anniversary: Option<String>,
    pub address: Option<AddressInput>,
    /// Defaults to `ACTIVE`.
    pub status: Option<CustomerStatus>,
    pub preferences: Option<PreferencesInput>,
    pub notes: Option<String>,
    pub home_floor_id: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub pan: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub locality: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
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

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    pub status: Option<CustomerStatus>,
    pub home_floor_id: Option<Uuid>,
    pub tag: Option<String>,
    /// `true` lists removed customers instead (admins only), for restoring.
    pub deleted: Option<bool>,
    /// `newest` (default), `oldest`, `name` or `-name`.
    pub sort: Option<String>,
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 25).
    pub per_page: Option<u32>,
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
struct Parsed {
    name: PersonName,
    phone: Phone,
    email: Option<Email>,
    gender: Option<Gender>,
    date_of_birth: Option<Date>,
    anniversary: Option<Date>,
    address: Address,
    status: CustomerStatus,
    preferences: CustomerPreferences,
    notes: Text<2000>,
    home_floor_id: Option<FloorId>,
    tags: Vec<Tag>,
    pan: Option<Pan>,
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

fn parse_customer(input: &CustomerInput, today: Date) -> Result<Parsed, Error> {
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

fn parse_order(sort: Option<&str>) -> Result<CustomerOrder, Error> {
    match sort.map(str::trim).unwrap_or("newest") {
        "newest" | "-created" | "" => Ok(CustomerOrder::Newest),
        "oldest" | "created" => Ok(CustomerOrder::Oldest),
        "name" => Ok(CustomerOrder::Name),
        "-name" => Ok(CustomerOrder::NameDesc),
        other => Err(Error::field(
            "sort",
            format!("'{other}' is not a sort order; use newest, oldest, name or -name"),
        )),
    }
}

impl Crm {
    /// Checks a parsed customer against the store: the home floor and preferred
    /// categories exist, and this person may file the customer under that floor.
    fn check_customer_refs(&self, actor: &Actor, parsed: &Parsed) -> Result<(), Error> {
        let scope = actor.store_scope();
        let mut errors = FieldErrors::new();
        self.db.read(|rx| {
            if let Some(floor) = parsed.home_floor_id
                && org::floor(rx, &scope, floor)?.is_none_or(|f| f.deleted_at.is_some())
            {
                errors.add("home_floor_id", "no such floor in this store");
            }
            for category in &parsed.preferences.categories {
                if crate::store::catalogue::category(rx, &scope, *category)?
                    .is_none_or(|c| c.deleted_at.is_some())
                {
                    errors.add(
                        "preferences.category_ids",
                        "names a category this store does not have",
                    );
                }
            }
            Ok(())
        })?;
        errors.into_result()?;
        actor.require_floor(parsed.home_floor_id, "customer")
    }

    /// Explains a phone clash by naming the customer who already has the number.
    fn phone_taken(&self, actor: &Actor, err: StoreError) -> Error {
        let StoreError::Duplicate { existing, .. } = err else {
            return err.into();
        };
        let id = CustomerId::from_u128(existing);
        match self
            .db
            .read(|rx| repo::customer(rx, &actor.store_scope(), id))
        {
            Ok(Some(other)) => Error::Conflict {
                message: format!(
                    "{} already has this phone number ({}); open that customer instead of adding a new one",
                    other.code(),
                    other.name
                ),
                field: Some("phone"),
                existing_id: Some(other.id.to_string()),
            },
            _ => Error::Conflict {
                message: "another customer already has this phone number".into(),
                field: Some("phone"),
                existing_id: None,
            },
        }
    }

    pub fn create_customer(&self, actor: &Actor, input: CustomerInput) -> Result<Customer, Error> {
        let mut parsed = parse_customer(&input, self.today())?;
        if parsed.home_floor_id.is_none() && !actor.is_admin() {
            parsed.home_floor_id = actor.floor_id;
        }
        self.check_customer_refs(actor, &parsed)?;
        let result = self.db.write(Some(actor.user_id), |w| {
            let customer = Customer {
                id: CustomerId::new(),
                store_id: actor.store_id,
                number: 0,
                name: parsed.name,
                phone: parsed.phone,
                email: parsed.email,
                gender: parsed.gender,
                date_of_birth: parsed.date_of_birth,
                anniversary: parsed.anniversary,
                address: parsed.address,
                status: parsed.status,
                preferences: parsed.preferences,
                notes: parsed.notes,
                home_floor_id: parsed.home_floor_id,
                tags: parsed.tags,
                pan: parsed.pan,
                created_by: actor.user_id,
                created_at: w.now(),
                updated_at: w.now(),
                deleted_at: None,
            };
            repo::insert_customer(w, customer)
        });
        result.map_err(|e| self.phone_taken(actor, e))
    }

    /// Any customer of the store; removed ones only for an admin.
    pub fn get_customer(&self, actor: &Actor, id: CustomerId) -> Result<Customer, Error> {
        self.db
            .read(|rx| repo::customer(rx, &actor.store_scope(), id))?
            .filter(|c| c.deleted_at.is_none() || actor.is_admin())
            .ok_or(Error::NotFound("customer"))
    }

    pub fn list_customers(
        &self,
        actor: &Actor,
        query: &CustomerQuery,
    ) -> Result<Page<Customer>, Error> {
        let request = PageQuery {
            page: query.page,
            per_page: query.per_page,
        }
        .parse()?;
        let order = parse_order(query.sort.as_deref())?;
        let deleted = if query.deleted == Some(true) {
            actor.require_admin("see removed customers")?;
            Deleted::Only
        } else {
            Deleted::Hide
        };
        let tag = non_blank(query.tag.as_deref())
            .map(Tag::parse)
            .transpose()
            .map_err(|e| Error::field("tag", e.0))?;
        let filter = CustomerFilter {
            status: query.status,
            home_floor: query.home_floor_id.map(FloorId::from_uuid),
            tag,
            deleted,
        };
        Ok(self
            .db
            .read(|rx| repo::list_customers(rx, &actor.store_scope(), &filter, order, request))?)
    }

    pub fn update_customer(
        &self,
        actor: &Actor,
        id: CustomerId,
        input: CustomerInput,
    ) -> Result<Customer, Error> {
        let parsed = parse_customer(&input, self.today())?;
        self.check_customer_refs(actor, &parsed)?;
        self.db.write(Some(actor.user_id), |w| {
            let old = repo::customer(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none())
                .ok_or(Error::NotFound("customer"))?;
            actor.require_floor(old.home_floor_id, "customer")?;
            let new = Customer {
                name: parsed.name,
                phone: parsed.phone,
                email: parsed.email,
                gender: parsed.gender,
                date_of_birth: parsed.date_of_birth,
                anniversary: parsed.anniversary,
                address: parsed.address,
                status: parsed.status,
                preferences: parsed.preferences,
                notes: parsed.notes,
                home_floor_id: parsed.home_floor_id,
                tags: parsed.tags,
                pan: parsed.pan,
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_customer(w, &old, &new, ChangeOp::Updated)
                .map_err(|e| self.phone_taken(actor, e))?;
            Ok(new)
        })
    }

    /// Removes a customer (soft delete): hidden from lists and search, kept for history.
    pub fn delete_customer(&self, actor: &Actor, id: CustomerId) -> Result<(), Error> {
        self.db.write(Some(actor.user_id), |w| {
            let old = repo::customer(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none())
                .ok_or(Error::NotFound("customer"))?;
            actor.require_floor(old.home_floor_id, "customer")?;
            let new = Customer {
                deleted_at: Some(w.now()),
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_customer(w, &old, &new, ChangeOp::Deleted)?;
            Ok(())
        })
    }

    /// Brings a removed customer back (admins only). Fails if their phone number has
    /// since been given to another customer.
    pub fn restore_customer(&self, actor: &Actor, id: CustomerId) -> Result<Customer, Error> {
        actor.require_admin("restore customers")?;
        self.db.write(Some(actor.user_id), |w| {
            let old = repo::customer(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_some())
                .ok_or(Error::NotFound("removed customer"))?;
            let new = Customer {
                deleted_at: None,
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_customer(w, &old, &new, ChangeOp::Restored)
                .map_err(|e| self.phone_taken(actor, e))?;
            Ok(new)
        })
    }
}
