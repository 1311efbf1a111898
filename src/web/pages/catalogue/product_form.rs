//! The product form, for adding and for editing: what it shows, and how what was typed
//! (grams, rupees, percent) becomes the same [`ProductInput`] the JSON API takes.
//!
//! The form's own fields are the draft: after a failed save the page is drawn again
//! from exactly what was sent, so nothing typed is lost.

use maud::{Markup, html};
use uuid::Uuid;

use crate::app::{Actor, MakingChargeInput, Permission, ProductInput};
use crate::domain::{BasisPoints, FieldErrors, MakingCharge, Metal, Milligrams, Paise, Product};
use crate::web::pages::catalogue::category_tree::category_options;
use crate::web::pages::shell::components::{Field, error_summary, select};
use crate::web::pages::shell::format::{grams_for_input, paise_for_input, percent_for_input};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::forms::{Choices, Target};
use crate::web::pages::shell::session::FormData;

/// Every field the form shows; errors for others are listed at the top.
const SHOWN: &[&str] = &[
    "sku",
    "name",
    "description",
    "category_id",
    "floor_id",
    "metal",
    "purity",
    "gross_weight",
    "stone_weight",
    "making_kind",
    "making_amount",
    "stone_value",
    "huid",
    "fixed_price",
    "stock_qty",
    "active",
];

const MAKING_KINDS: &[(&str, &str)] = &[
    ("per_gram", "Per gram (₹)"),
    ("percent", "Percent of metal value (%)"),
    ("flat", "Flat per piece (₹)"),
];

/// A stored product as form fields, for the edit page.
pub fn draft_of(p: &Product) -> FormData {
    let (kind, amount) = match p.making_charge {
        MakingCharge::PerGramPaise(v) => ("per_gram", paise_for_input(v.get())),
        MakingCharge::PercentBp(bp) => ("percent", percent_for_input(bp.get())),
        MakingCharge::FlatPaise(v) => ("flat", paise_for_input(v.get())),
    };
    let mut pairs: Vec<(String, String)> = vec![
        ("sku".into(), p.sku.as_str().into()),
        ("name".into(), p.name.as_str().into()),
        ("description".into(), p.description.as_str().into()),
        (
            "category_id".into(),
            p.category_id
                .map(|c| c.as_uuid().to_string())
                .unwrap_or_default(),
        ),
        ("floor_id".into(), p.floor_id.as_uuid().to_string()),
        ("metal".into(), p.metal.as_str().into()),
        ("purity".into(), p.purity.label()),
        ("gross_weight".into(), grams_for_input(p.gross_weight.get())),
        ("stone_weight".into(), grams_for_input(p.stone_weight.get())),
        ("making_kind".into(), kind.into()),
        ("making_amount".into(), amount),
        ("stone_value".into(), paise_for_input(p.stone_value.get())),
        (
            "huid".into(),
            p.huid
                .as_ref()
                .map(|h| h.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "fixed_price".into(),
            p.fixed_price
                .map(|f| paise_for_input(f.get()))
                .unwrap_or_default(),
        ),
        ("stock_qty".into(), p.stock_qty.to_string()),
    ];
    if p.active {
        pairs.push(("active".into(), "true".into()));
    }
    FormData::from_pairs(pairs)
}

/// The fields of a new product: on sale, one piece, gold, and the Floor Manager's floor.
pub fn new_draft(actor: &Actor) -> FormData {
    let mut pairs: Vec<(String, String)> = vec![
        ("metal".into(), Metal::Gold.as_str().into()),
        ("making_kind".into(), "per_gram".into()),
        ("stock_qty".into(), "1".into()),
        ("active".into(), "true".into()),
    ];
    if let Some(floor) = actor.floor_id {
        pairs.push(("floor_id".into(), floor.as_uuid().to_string()));
    }
    FormData::from_pairs(pairs)
}

fn id_field(form: &FormData, field: &str, errors: &mut FieldErrors, message: &str) -> Option<Uuid> {
    form.text(field)
        .and_then(|raw| match Uuid::parse_str(&raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add(field, message);
                None
            }
        })
}

/// What was typed, as the API's input. Values a form cannot even express (a weight
/// that is not a number, an unknown making-charge kind) are reported in `errors`;
/// blanks pass through as zero so the app names what is missing.
pub fn input_from(form: &FormData, errors: &mut FieldErrors) -> ProductInput {
    let metal = match form.text("metal").map(|m| m.parse::<Metal>()) {
        Some(Ok(metal)) => metal,
        Some(Err(e)) => {
            errors.add("metal", e.0);
            Metal::Gold
        }
        None => {
            errors.add("metal", "choose the metal");
            Metal::Gold
        }
    };
    let mut number = |field: &str, read: &dyn Fn(&str) -> Result<i64, String>| {
        form.text(field).and_then(|raw| match read(&raw) {
            Ok(value) => Some(value),
            Err(message) => {
                errors.add(field, message);
                None
            }
        })
    };
    // The same readers as everywhere else; the form shows their messages as they are.
    let rupees = |raw: &str| {
        Paise::parse_rupees(raw)
            .map(Paise::get)
            .map_err(|e| e.to_string())
    };
    let grams = |raw: &str| {
        Milligrams::parse_grams(raw)
            .map(Milligrams::get)
            .map_err(|e| e.to_string())
    };
    let percent = |raw: &str| {
        BasisPoints::parse_percent(raw)
            .map(|bp| i64::from(bp.get()))
            .map_err(|e| e.to_string())
    };
    let gross_weight_mg = number("gross_weight", &grams).unwrap_or(0);
    let stone_weight_mg = number("stone_weight", &grams).unwrap_or(0);
    let stone_value_paise = number("stone_value", &rupees).unwrap_or(0);
    let fixed_price_paise = number("fixed_price", &rupees);
    let stock_qty = number("stock_qty", &|raw| {
        raw.parse::<i64>()
            .map_err(|_| format!("'{raw}' is not a count; write the number of pieces, like 1"))
    })
    .unwrap_or(0);
    let making_charge = match form.get("making_kind").unwrap_or("") {
        "per_gram" => number("making_amount", &rupees).map(MakingChargeInput::PerGramPaise),
        "percent" => number("making_amount", &percent).map(MakingChargeInput::PercentBp),
        "flat" => number("making_amount", &rupees).map(MakingChargeInput::FlatPaise),
        _ => {
            errors.add("making_kind", "choose how the making charge is counted");
            None
        }
    };
    if making_charge.is_none() && form.text("making_amount").is_none() {
        errors.add(
            "making_amount",
            "enter the making charge; write 0 if there is none",
        );
    }
    let category_id = id_field(
        form,
        "category_id",
        errors,
        "choose a category from the list",
    );
    let floor_id = id_field(form, "floor_id", errors, "choose a floor from the list");
    ProductInput {
        sku: form.get("sku").unwrap_or("").to_owned(),
        name: form.get("name").unwrap_or("").to_owned(),
        description: form.text("description"),
        category_id,
        floor_id,
        metal,
        purity: form.get("purity").unwrap_or("").to_owned(),
        gross_weight_mg,
        stone_weight_mg,
        making_charge: making_charge.unwrap_or(MakingChargeInput::FlatPaise(0)),
        stone_value_paise,
        huid: form.text("huid"),
        fixed_price_paise,
        stock_qty,
        active: Some(form.checked("active")),
    }
}

/// The app names errors by the API's fields (milligrams, paise); the form asks in
/// grams and rupees under its own names.
pub fn form_errors(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, message) in errors.iter() {
        let field = match field.as_str() {
            "gross_weight_mg" => "gross_weight",
            "stone_weight_mg" => "stone_weight",
            "making_charge" => "making_amount",
            "stone_value_paise" => "stone_value",
            "fixed_price_paise" => "fixed_price",
            other => other,
        };
        out.add(field, message.clone());
    }
    out
}

/// The whole form, filled from `draft`. A Floor Manager is offered only their own floor.
pub fn render(
    target: Target,
    viewer: &Actor,
    csrf: &str,
    draft: &FormData,
    errors: &FieldErrors,
    choices: &Choices,
) -> Markup {
    let Target {
        action,
        cancel,
        submit,
        watched,
    } = target;
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let mut floor_options = Vec::new();
    if viewer.may(Permission::EveryFloor) {
        floor_options.push((String::new(), "Choose a floor…".to_owned()));
    }
    floor_options.extend(
        choices
            .floors
            .iter()
            .filter(|f| viewer.may_work_on(Some(f.id)))
            .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
    );
    let category_options = category_options(&choices.categories, "No category");
    let metal_options: Vec<(String, String)> = Metal::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
        .collect();
    let kind_options: Vec<(String, String)> = MAKING_KINDS
        .iter()
        .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
        .collect();
    html! {
        form #product-form .form-card method="post" action=(action) novalidate
            data-live-record=[watched.as_ref().map(|w| w.id)]
            data-live-kind=[watched.as_ref().map(|w| w.kind.name())]
            data-live-noun=[watched.as_ref().map(|w| w.noun)]
            data-live-edit=[watched.as_ref().map(|w| &w.edit)] {
            (form_keys(csrf))
            (error_summary(errors, SHOWN))
            fieldset {
                legend { "The piece" }
                div.grid {
                    (Field::new("sku", "Tag number (SKU)", v("sku")).required()
                        .hint("As printed on the tag, e.g. NK-22-0042").attr("autocomplete", "off").render(errors))
                    (Field::new("name", "Name", v("name")).required().attr("autocomplete", "off").render(errors))
                    (select("category_id", "Category", &category_options, &v("category_id"), errors))
                    (select("floor_id", "Floor", &floor_options, &v("floor_id"), errors))
                    (Field::new("description", "Description", v("description")).kind("textarea").wide().render(errors))
                }
            }
            fieldset {
                legend { "Metal and weight" }
                div.grid {
                    (select("metal", "Metal", &metal_options, &v("metal"), errors))
                    (Field::new("purity", "Purity", v("purity")).required()
                        .hint("22K, 18K for gold; 925 for silver; 950 for platinum").render(errors))
                    (Field::new("gross_weight", "Gross weight (g)", v("gross_weight")).required()
                        .hint("Grams, up to 3 decimals: 12.345").attr("inputmode", "decimal").render(errors))
                    (Field::new("stone_weight", "Stone weight (g)", v("stone_weight"))
                        .hint("Leave empty if there are no stones").attr("inputmode", "decimal").render(errors))
                    (Field::new("huid", "HUID", v("huid"))
                        .hint("6 letters and digits; needed for gold of 2 g or more").attr("autocomplete", "off").render(errors))
                }
            }
            fieldset {
                legend { "Price" }
                div.grid {
                    (select("making_kind", "Making charge counted", &kind_options, &v("making_kind"), errors))
                    (Field::new("making_amount", "Making charge", v("making_amount")).required()
                        .hint("Rupees, or a percentage when counted as percent").attr("inputmode", "decimal").render(errors))
                    (Field::new("stone_value", "Stone value (₹)", v("stone_value")).attr("inputmode", "decimal").render(errors))
                    (Field::new("fixed_price", "Fixed price (₹)", v("fixed_price"))
                        .hint("Only for pieces not priced by the day's metal rate").attr("inputmode", "decimal").render(errors))
                }
            }
            fieldset {
                legend { "Stock" }
                div.grid {
                    (Field::new("stock_qty", "Pieces in stock", v("stock_qty")).required().attr("inputmode", "numeric").render(errors))
                    div.field {
                        span.label { "On sale" }
                        div.chips {
                            label.chip.toggle {
                                input #field-active type="checkbox" name="active" value="true" checked[draft.checked("active")];
                                span { "Active: shown to staff for selling" }
                            }
                        }
                    }
                }
            }
            div.form-actions.sticky {
                a.button href=(cancel) { "Cancel" }
                button.button.primary type="submit" { (submit) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_percentages_fill_input_boxes_plainly() {
        assert_eq!(grams_for_input(25_450), "25.45");
        assert_eq!(grams_for_input(4_000), "4");
        assert_eq!(percent_for_input(1_250), "12.5");
        assert_eq!(percent_for_input(1_200), "12");
    }
}
