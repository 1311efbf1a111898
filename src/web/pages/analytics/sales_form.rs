//! The sales analytics' query as a GET form: the span, the grouping and the filters,
//! read from and kept in the address, so a view can be bookmarked, exported and shared.

use maud::{Markup, html};

use crate::app::{AnalyticsQueryText, GroupBy, StaffNames};
use crate::domain::{Category, FieldErrors, Floor, Metal, PaymentMethod};
use crate::web::pages::shell::components::{icon, select};
use crate::web::pages::shell::session::FormData;
use crate::web::paths::{self, Link};

/// The parameters the page, its exports and the API share.
pub const FIELDS: [&str; 9] = [
    "from",
    "to",
    "group_by",
    "floor_id",
    "salesperson_id",
    "category_id",
    "metal",
    "purity",
    "payment",
];

pub fn query_text(params: &FormData) -> AnalyticsQueryText {
    AnalyticsQueryText {
        from: params.text("from"),
        to: params.text("to"),
        group_by: params.text("group_by"),
        floor_id: params.text("floor_id"),
        salesperson_id: params.text("salesperson_id"),
        category_id: params.text("category_id"),
        metal: params.text("metal"),
        purity: params.text("purity"),
        payment: params.text("payment"),
    }
}

/// The page's own query (its parameters that are given), encoded.
pub fn kept_query(params: &FormData) -> String {
    super::report_form::kept_query(params, &FIELDS)
}

/// `link` with the page's query.
pub fn with_query(link: Link, params: &FormData) -> Link {
    link.with_query(&kept_query(params))
}

/// What the form offers to choose from.
pub struct Choices<'a> {
    pub floors: &'a [Floor],
    pub categories: &'a [Category],
    pub staff: &'a StaffNames,
    pub every_floor: bool,
}

fn options(any: &str, all: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(all)
        .collect()
}

pub fn form(params: &FormData, choices: &Choices<'_>, errors: &FieldErrors) -> Markup {
    let value = |k: &str| params.get(k).unwrap_or("").to_owned();
    let groups: Vec<(String, String)> = GroupBy::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), g.label().to_owned()))
        .collect();
    let group = params
        .text("group_by")
        .unwrap_or_else(|| GroupBy::default().as_str().to_owned());
    let floors = options(
        "All floors",
        choices
            .floors
            .iter()
            .map(|f| (f.id.to_string(), f.name.as_str().to_owned())),
    );
    let staff = options(
        "Anyone",
        choices
            .staff
            .by_name()
            .into_iter()
            .map(|(id, name)| (id.to_string(), name.to_owned())),
    );
    let categories = options(
        "Any category",
        choices
            .categories
            .iter()
            .map(|c| (c.id.to_string(), c.name.as_str().to_owned())),
    );
    let metals = options(
        "Any metal",
        Metal::ALL
            .iter()
            .map(|m| (m.as_str().to_owned(), m.label().to_owned())),
    );
    let payments = options(
        "Any payment",
        PaymentMethod::ALL
            .iter()
            .map(|m| (m.as_str().to_owned(), m.label().to_owned())),
    );
    let date = |name: &str, text: &str| {
        let error = errors.get(name);
        html! {
            div.field.invalid[error.is_some()] {
                label for=(format!("filter-{name}")) { (text) }
                input #(format!("filter-{name}")) type="date" name=(name) value=(value(name));
                @if let Some(message) = error { p.field-error role="alert" { (message) } }
            }
        }
    };
    let purity_error = errors.get("purity");
    html! {
        form.filters #analytics-filters method="get" action=(paths::reports_sales()) {
            (date("from", "From"))
            (date("to", "To"))
            (select("group_by", "Group by", &groups, &group, errors))
            @if choices.every_floor {
                (select("floor_id", "Floor", &floors, &value("floor_id"), errors))
            }
            (select("salesperson_id", "Salesperson", &staff, &value("salesperson_id"), errors))
            (select("category_id", "Category", &categories, &value("category_id"), errors))
            (select("metal", "Metal", &metals, &value("metal"), errors))
            div.field.invalid[purity_error.is_some()] {
                label for="filter-purity" { "Purity" }
                input #filter-purity name="purity" value=(value("purity")) placeholder="22K, 925" size="6";
                @if let Some(message) = purity_error { p.field-error role="alert" { (message) } }
            }
            (select("payment", "Payment", &payments, &value("payment"), errors))
            div.field.filter-buttons {
                button.button.primary type="submit" { (icon("search")) "Show" }
                " "
                a.button href=(paths::reports_sales()) { "Clear" }
            }
        }
        p.hint {
            "Use one of category, metal and payment at a time: pieces are counted by metal and, apart, by category, and money received by payment mode. "
            "Weeks run Monday to Sunday; financial years April to March. Bills count on the day they were completed, refunds on the day they were paid back."
        }
    }
}
