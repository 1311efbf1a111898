//! The customer form, for adding and for editing: what it shows, and how what was
//! typed becomes the same [`CustomerInput`] the JSON API takes.
//!
//! The form's own fields are the draft: after a failed save the page is drawn again
//! from exactly what was sent, so nothing typed is lost.

use maud::{Markup, html};
use uuid::Uuid;

use crate::app::{AddressInput, CustomerInput, PreferencesInput};
use crate::domain::{Customer, CustomerId, CustomerStatus, FieldErrors, Gender, Metal, Paise};
use crate::web::pages::shell::components::{Field, error_summary, select, sentence};
use crate::web::pages::shell::format::{label, paise_for_input};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::{Choices, Target};
use crate::web::pages::shell::session::FormData;
use crate::web::paths;

const ADDRESS: &[(&str, &str)] = &[
    ("address.line1", "Address line 1"),
    ("address.line2", "Address line 2"),
    ("address.locality", "Locality"),
    ("address.city", "City"),
    ("address.state", "State"),
    ("address.pincode", "PIN code"),
];

/// Every field the form shows; errors for others are listed at the top.
const SHOWN: &[&str] = &[
    "name",
    "phone",
    "email",
    "gender",
    "date_of_birth",
    "anniversary",
    "status",
    "home_floor_id",
    "pan",
    "tags",
    "notes",
    "address.line1",
    "address.line2",
    "address.locality",
    "address.city",
    "address.state",
    "address.pincode",
    "preferences.metals",
    "preferences.purities",
    "preferences.category_ids",
    "preferences.budget_min",
    "preferences.budget_max",
];

/// A stored customer as form fields, for the edit page.
pub fn draft_of(c: &Customer) -> FormData {
    let mut pairs: Vec<(String, String)> = vec![
        ("name".into(), c.name.as_str().into()),
        ("phone".into(), c.phone.to_string()),
        (
            "email".into(),
            c.email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "gender".into(),
            c.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        ),
        (
            "date_of_birth".into(),
            c.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "anniversary".into(),
            c.anniversary.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("status".into(), c.status.as_str().into()),
        (
            "home_floor_id".into(),
            c.home_floor_id
                .map(|f| f.as_uuid().to_string())
                .unwrap_or_default(),
        ),
        (
            "pan".into(),
            c.pan
                .as_ref()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "tags".into(),
            c.tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("notes".into(), c.notes.as_str().into()),
        ("address.line1".into(), c.address.line1.as_str().into()),
        ("address.line2".into(), c.address.line2.as_str().into()),
        (
            "address.locality".into(),
            c.address.locality.as_str().into(),
        ),
        ("address.city".into(), c.address.city.as_str().into()),
        ("address.state".into(), c.address.state.as_str().into()),
        (
            "address.pincode".into(),
            c.address
                .pincode
                .as_ref()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "preferences.purities".into(),
            c.preferences
                .purities
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "preferences.budget_min".into(),
            c.preferences
                .budget_min
                .map(|p| paise_for_input(p.get()))
                .unwrap_or_default(),
        ),
        (
            "preferences.budget_max".into(),
            c.preferences
                .budget_max
                .map(|p| paise_for_input(p.get()))
                .unwrap_or_default(),
        ),
    ];
    pairs.extend(
        c.preferences
            .metals
            .iter()
            .map(|m| ("preferences.metals".into(), m.as_str().into())),
    );
    pairs.extend(
        c.preferences
            .categories
            .iter()
            .map(|id| ("preferences.category_ids".into(), id.as_uuid().to_string())),
    );
    FormData::from_pairs(pairs)
}

fn split_list(raw: Option<String>) -> Vec<String> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What was typed, as the API's input. Values a form cannot even express (a rupee
/// amount that is not a number, an unknown status) are reported in `errors`.
pub fn input_from(form: &FormData, errors: &mut FieldErrors) -> CustomerInput {
    let gender = form
        .text("gender")
        .and_then(|g| errors.check("gender", g.parse::<Gender>()));
    let status = form
        .text("status")
        .and_then(|s| errors.check("status", s.parse::<CustomerStatus>()));
    let floor = form
        .text("home_floor_id")
        .and_then(|raw| match Uuid::parse_str(&raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("home_floor_id", "choose a floor from the list");
                None
            }
        });
    let mut metals = Vec::new();
    for raw in form.all("preferences.metals") {
        if let Some(metal) = errors.check("preferences.metals", raw.parse::<Metal>()) {
            metals.push(metal);
        }
    }
    let mut category_ids = Vec::new();
    for raw in form.all("preferences.category_ids") {
        match Uuid::parse_str(&raw) {
            Ok(id) => category_ids.push(id),
            Err(_) => errors.add(
                "preferences.category_ids",
                "choose categories from the list",
            ),
        }
    }
    let mut budget = |field: &str| {
        form.text(field)
            .and_then(|raw| match Paise::parse_rupees(&raw) {
                Ok(paise) => Some(paise.get()),
                Err(message) => {
                    errors.add(field, message.to_string());
                    None
                }
            })
    };
    let budget_min_paise = budget("preferences.budget_min");
    let budget_max_paise = budget("preferences.budget_max");
    CustomerInput {
        name: form.get("name").unwrap_or("").to_owned(),
        phone: form.get("phone").unwrap_or("").to_owned(),
        email: form.text("email"),
        gender,
        date_of_birth: form.text("date_of_birth"),
        anniversary: form.text("anniversary"),
        address: Some(AddressInput {
            line1: form.text("address.line1"),
            line2: form.text("address.line2"),
            locality: form.text("address.locality"),
            city: form.text("address.city"),
            state: form.text("address.state"),
            pincode: form.text("address.pincode"),
        }),
        status,
        preferences: Some(PreferencesInput {
            category_ids,
            metals,
            purities: split_list(form.text("preferences.purities")),
            budget_min_paise,
            budget_max_paise,
        }),
        notes: form.text("notes"),
        home_floor_id: floor,
        tags: split_list(form.text("tags")),
        pan: form.text("pan"),
    }
}

/// The app names budget errors by the API's paise fields; the form asks in rupees.
pub fn form_errors(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, message) in errors.iter() {
        let field = match field.as_str() {
            "preferences.budget_min_paise" => "preferences.budget_min",
            "preferences.budget_max_paise" => "preferences.budget_max",
            other => other,
        };
        out.add(field, message.clone());
    }
    out
}

/// The whole form, filled from `draft`.
pub fn render(
    target: Target,
    csrf: &str,
    draft: &FormData,
    errors: &FieldErrors,
    existing: Option<CustomerId>,
    choices: &Choices,
) -> Markup {
    let Target {
        action,
        cancel,
        submit,
        watched,
    } = target;
    let (floors, categories) = (&choices.floors, &choices.categories);
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let mut floor_options = vec![(String::new(), "No particular floor".to_owned())];
    floor_options.extend(
        floors
            .iter()
            .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
    );
    let mut gender_options = vec![(String::new(), "Not given".to_owned())];
    gender_options.extend(
        Gender::ALL
            .iter()
            .map(|g| (g.as_str().to_owned(), label(g.as_str()))),
    );
    let status_options: Vec<(String, String)> = CustomerStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), label(s.as_str())))
        .collect();
    let chosen_metals = draft.all("preferences.metals");
    let chosen_categories = draft.all("preferences.category_ids");
    html! {
        form #customer-form .form-card method="post" action=(action) novalidate
            data-live-record=[watched.as_ref().map(|w| w.id)]
            data-live-kind=[watched.as_ref().map(|w| w.kind.name())]
            data-live-noun=[watched.as_ref().map(|w| w.noun)]
            data-live-edit=[watched.as_ref().map(|w| &w.edit)] {
            (form_keys(csrf))
            (error_summary(errors, SHOWN))
            fieldset {
                legend { "Contact" }
                div.grid {
                    (Field::new("name", "Full name", v("name")).required().attr("autocomplete", "off").render(errors))
                    (Field::new("phone", "Mobile number", v("phone")).kind("tel").required()
                        .hint("10 digits; +91 and spaces are fine").attr("inputmode", "tel").render(errors))
                    @if let Some(id) = existing {
                        p.field-link #existing-customer {
                            a.button href=(paths::customer(id)) { "Open the customer with this number" }
                        }
                    }
                    (Field::new("email", "Email", v("email")).kind("email").attr("inputmode", "email").render(errors))
                    (select("gender", "Gender", &gender_options, &v("gender"), errors))
                    (Field::new("date_of_birth", "Date of birth", v("date_of_birth")).kind("date").render(errors))
                    (Field::new("anniversary", "Anniversary", v("anniversary")).kind("date").render(errors))
                }
            }
            fieldset {
                legend { "With the store" }
                div.grid {
                    (select("status", "Status", &status_options, draft.get("status").unwrap_or("ACTIVE"), errors))
                    (select("home_floor_id", "Home floor", &floor_options, &v("home_floor_id"), errors))
                    (Field::new("pan", "PAN", v("pan")).hint("Needed for bills of ₹2,00,000 or more").render(errors))
                    (Field::new("tags", "Tags", v("tags")).hint("Separate with commas: wedding, vip").render(errors))
                    (Field::new("notes", "Notes", v("notes")).kind("textarea").wide().render(errors))
                }
            }
            fieldset {
                legend { "Address" }
                div.grid {
                    @for (name, text) in ADDRESS {
                        (Field::new(name, text, v(name)).render(errors))
                    }
                }
            }
            fieldset {
                legend { "Likes" }
                div.grid {
                    div.field.wide.invalid[errors.get("preferences.metals").is_some()] {
                        span.label { "Metals" }
                        div.chips {
                            @for metal in Metal::ALL {
                                label.chip {
                                    input type="checkbox" name="preferences.metals" value=(metal.as_str())
                                        checked[chosen_metals.iter().any(|m| m == metal.as_str())];
                                    span { (label(metal.as_str())) }
                                }
                            }
                        }
                        @if let Some(message) = errors.get("preferences.metals") { p.field-error role="alert" { (sentence(message)) } }
                    }
                    @if !categories.is_empty() {
                        div.field.wide.invalid[errors.get("preferences.category_ids").is_some()] {
                            span.label { "Categories" }
                            div.chips {
                                @for category in categories {
                                    label.chip {
                                        input type="checkbox" name="preferences.category_ids" value=(category.id.as_uuid())
                                            checked[chosen_categories.iter().any(|c| *c == category.id.as_uuid().to_string())];
                                        span { (category.name.as_str()) }
                                    }
                                }
                            }
                            @if let Some(message) = errors.get("preferences.category_ids") { p.field-error role="alert" { (sentence(message)) } }
                        }
                    }
                    (Field::new("preferences.purities", "Purities", v("preferences.purities")).hint("e.g. 22K, 18K, 925").wide().render(errors))
                    (Field::new("preferences.budget_min", "Budget from (₹)", v("preferences.budget_min")).attr("inputmode", "decimal").render(errors))
                    (Field::new("preferences.budget_max", "Budget up to (₹)", v("preferences.budget_max")).attr("inputmode", "decimal").render(errors))
                }
            }
            div.form-actions.sticky {
                a.button href=(cancel) { "Cancel" }
                button.button.primary type="submit" { (submit) }
            }
        }
    }
}
