//! One row of a customer file read into a customer, through the same checks as the
//! customer form, and a stored customer brought up to date from a row.

use jiff::civil::Date;

use super::columns::{Columns, Problems, RowProblem};
use crate::app::Error;
use crate::app::customer_input::{AddressInput, CustomerInput, Parsed, parse_customer};
use crate::domain::{Customer, CustomerStatus, FloorId, Gender, Phone, Tag, parse_customer_code};
use crate::reports::import::{DateOrder, SheetRow, cell_text, parse_date, parse_phone};

/// What a customer row needs besides its cells.
#[derive(Debug, Clone)]
pub struct CustomerContext {
    pub today: Date,
    /// The store's floors by lower-cased name.
    pub floors: Vec<(String, FloorId)>,
    /// How the file writes its dates, when its dates say (`None`: day first is assumed
    /// only where a date is not ambiguous).
    pub birth_order: Option<DateOrder>,
    pub anniversary_order: Option<DateOrder>,
}

impl CustomerContext {
    /// A floor's name as the file would write it (lower case), for the preview.
    pub fn floor_name(&self, floor: Option<FloorId>) -> String {
        self.floors
            .iter()
            .find(|(_, id)| Some(*id) == floor)
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }
}

/// A customer row, checked.
#[derive(Debug)]
pub struct CustomerRow {
    pub line: u32,
    /// The `C-000123` code the row names, when it names one (an exported file does).
    pub code: Option<u64>,
    pub parsed: Parsed,
    /// The fields the row has a value for.
    pub given: Vec<&'static str>,
}

impl CustomerRow {
    pub fn phone(&self) -> &Phone {
        &self.parsed.phone
    }
}

const TEXT_FIELDS: &[&str] = &[
    "name",
    "email",
    "address.line1",
    "address.line2",
    "address.locality",
    "address.city",
    "address.state",
    "address.pincode",
    "notes",
    "pan",
];

/// Reads one row into a customer, or says everything wrong with it.
pub fn read_customer(
    row: &SheetRow,
    columns: &Columns,
    ctx: &CustomerContext,
) -> Result<CustomerRow, Vec<RowProblem>> {
    if let Err(problem) = columns.check_width(row) {
        return Err(vec![problem]);
    }
    let errors = columns.excel_errors(row);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut problems = Problems::new(row.line);
    let text = |field: &str| cell_text(columns.cell(row, field));
    let optional = |field: &str| Some(text(field)).filter(|t| !t.is_empty());
    let mut given: Vec<&'static str> = TEXT_FIELDS
        .iter()
        .copied()
        .filter(|f| !text(f).is_empty())
        .collect();
    // A field whose cell could not be read is reported once, not again by the form checks.
    let mut unread: Vec<&str> = Vec::new();

    let phone = match parse_phone(columns.cell(row, "phone")) {
        Ok(Some(phone)) => {
            given.push("phone");
            phone.e164().to_owned()
        }
        Ok(None) => String::new(),
        Err(problem) => {
            problems.add(columns.header("phone"), problem.message());
            unread.push("phone");
            String::new()
        }
    };
    let code = match optional("code") {
        None => None,
        Some(raw) => match parse_customer_code(&raw) {
            Some(number) => Some(number),
            None => {
                problems.add(
                    columns.header("code"),
                    format!("'{raw}' is not a customer code; codes look like C-000123"),
                );
                None
            }
        },
    };
    let mut date = |field: &'static str, order: Option<DateOrder>| -> Option<String> {
        match parse_date(columns.cell(row, field), order) {
            Ok(Some(day)) => {
                given.push(field);
                Some(day.to_string())
            }
            Ok(None) => None,
            Err(problem) => {
                problems.add(columns.header(field), problem.message());
                unread.push(field);
                None
            }
        }
    };
    let date_of_birth = date("date_of_birth", ctx.birth_order);
    let anniversary = date("anniversary", ctx.anniversary_order);
    let gender = optional("gender").and_then(|raw| match read_gender(&raw) {
        Some(g) => Some(g),
        None => {
            problems.add(
                columns.header("gender"),
                format!("'{raw}' is not a gender; use Male, Female or Other (or M, F)"),
            );
            None
        }
    });
    let status = optional("status").and_then(|raw| match raw.parse::<CustomerStatus>() {
        Ok(s) => Some(s),
        Err(err) => {
            problems.add(columns.header("status"), err.0);
            None
        }
    });
    let home_floor_id = optional("home_floor").and_then(|raw| {
        let wanted = raw.trim().to_lowercase();
        match ctx.floors.iter().find(|(name, _)| *name == wanted) {
            Some((_, id)) => Some(id.as_uuid()),
            None => {
                let names: Vec<&str> = ctx.floors.iter().map(|(n, _)| n.as_str()).collect();
                problems.add(
                    columns.header("home_floor"),
                    format!(
                        "the store has no floor '{raw}'; its floors are {}",
                        names.join(", ")
                    ),
                );
                None
            }
        }
    });
    let tags: Vec<String> = optional("tags")
        .map(|raw| {
            raw.split([';', ','])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    for (field, present) in [
        ("gender", gender.is_some()),
        ("status", status.is_some()),
        ("home_floor", home_floor_id.is_some()),
        ("tags", !tags.is_empty()),
    ] {
        if present {
            given.push(field);
        }
    }
    let input = CustomerInput {
        name: text("name"),
        phone,
        email: optional("email"),
        gender,
        date_of_birth,
        anniversary,
        address: Some(AddressInput {
            line1: optional("address.line1"),
            line2: optional("address.line2"),
            locality: optional("address.locality"),
            city: optional("address.city"),
            state: optional("address.state"),
            pincode: optional("address.pincode"),
        }),
        status,
        preferences: None,
        notes: optional("notes"),
        home_floor_id,
        tags,
        pan: optional("pan"),
    };
    match parse_customer(&input, ctx.today) {
        Ok(parsed) if problems.is_empty() => Ok(CustomerRow {
            line: row.line,
            code,
            parsed,
            given,
        }),
        Ok(_) => Err(problems.into_vec()),
        Err(Error::Invalid(mut errors)) => {
            let mut kept = crate::domain::FieldErrors::new();
            for (field, message) in errors.iter() {
                if !unread.contains(&field.as_str()) {
                    kept.add(field.clone(), message.clone());
                }
            }
            errors = kept;
            problems.fields(columns, &errors);
            Err(problems.into_vec())
        }
        Err(other) => {
            problems.add("", other.to_string());
            Err(problems.into_vec())
        }
    }
}

fn read_gender(raw: &str) -> Option<Gender> {
    match raw.trim().to_lowercase().as_str() {
        "m" | "male" | "man" | "mr" => Some(Gender::Male),
        "f" | "female" | "woman" | "mrs" | "ms" | "smt" => Some(Gender::Female),
        "o" | "other" => Some(Gender::Other),
        other => other.parse().ok(),
    }
}

/// `old` brought up to date from a row: with `overwrite`, every field the row has a
/// value for replaces the stored one; otherwise only empty fields are filled. Tags are
/// added either way; the number, phone history and dates of the record stay.
pub fn updated_customer(old: &Customer, row: &CustomerRow, overwrite: bool) -> Customer {
    let mut new = old.clone();
    let p = &row.parsed;
    let given = |field: &str| row.given.contains(&field);
    macro_rules! put {
        ($field:literal, $target:expr, $value:expr, $empty:expr) => {
            if given($field) && (overwrite || $empty) {
                $target = $value;
            }
        };
    }
    put!("name", new.name, p.name.clone(), false);
    put!("phone", new.phone, p.phone.clone(), false);
    put!("email", new.email, p.email.clone(), old.email.is_none());
    put!("gender", new.gender, p.gender, old.gender.is_none());
    put!(
        "date_of_birth",
        new.date_of_birth,
        p.date_of_birth,
        old.date_of_birth.is_none()
    );
    put!(
        "anniversary",
        new.anniversary,
        p.anniversary,
        old.anniversary.is_none()
    );
    let (a, b) = (&mut new.address, &p.address);
    put!(
        "address.line1",
        a.line1,
        b.line1.clone(),
        old.address.line1.is_empty()
    );
    put!(
        "address.line2",
        a.line2,
        b.line2.clone(),
        old.address.line2.is_empty()
    );
    put!(
        "address.locality",
        a.locality,
        b.locality.clone(),
        old.address.locality.is_empty()
    );
    put!(
        "address.city",
        a.city,
        b.city.clone(),
        old.address.city.is_empty()
    );
    put!(
        "address.state",
        a.state,
        b.state.clone(),
        old.address.state.is_empty()
    );
    put!(
        "address.pincode",
        a.pincode,
        b.pincode.clone(),
        old.address.pincode.is_none()
    );
    put!("status", new.status, p.status, false);
    put!(
        "home_floor",
        new.home_floor_id,
        p.home_floor_id,
        old.home_floor_id.is_none()
    );
    put!("pan", new.pan, p.pan.clone(), old.pan.is_none());
    put!("notes", new.notes, p.notes.clone(), old.notes.is_empty());
    for tag in &p.tags {
        if !new.tags.contains(tag) && new.tags.len() < 20 {
            new.tags.push(Tag::clone(tag));
        }
    }
    new
}
