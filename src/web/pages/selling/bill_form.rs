//! The counter's bill form: what staff type (a phone number, tag numbers, rupees,
//! grams, percentages) read into the [`SaleInput`] the JSON API takes, the app's
//! messages placed back on the right row, and the form itself with the worked-out
//! bill beside it.

use maud::{Markup, html};

use super::counter_rules;
use crate::app::{OldGoldInput, PaymentInput, SaleInput, SaleLineInput};
use crate::domain::billing::CounterFinding;
use crate::domain::{
    BasisPoints, FieldErrors, Metal, Milligrams, Paise, PaymentMethod, Sale, board_purities,
};
use crate::web::pages::shell::components::{Field, error_summary, icon, select};
use crate::web::pages::shell::forms::Choices;
use crate::web::pages::shell::session::{CSRF_FIELD, FormData};
use crate::web::paths::{self, Link};

/// Payment methods paid in money; old gold has its own rows.
const MONEY: [PaymentMethod; 4] = [
    PaymentMethod::Cash,
    PaymentMethod::Upi,
    PaymentMethod::Card,
    PaymentMethod::BankTransfer,
];

/// A submitted bill form read into the API's input, with the form row each line and
/// payment came from so the app's messages (`lines[1].sku`) land on the right row.
#[derive(Debug, Clone)]
pub struct ReadForm {
    pub input: SaleInput,
    pub errors: FieldErrors,
    line_rows: Vec<usize>,
    money_rows: Vec<usize>,
    gold_rows: Vec<usize>,
}

/// How many rows of `prefix` (`line`, `pay`, `gold`) the form had: one past the
/// highest index seen.
pub fn rows(form: &FormData, prefix: &str) -> usize {
    form.pairs()
        .iter()
        .filter_map(|(name, _)| {
            let rest = name.strip_prefix(prefix)?.strip_prefix('-')?;
            rest.split_once('-')?.0.parse::<usize>().ok()
        })
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

pub fn read(form: &FormData, every_floor: bool) -> ReadForm {
    let mut errors = FieldErrors::new();
    let amount = |name: String, errors: &mut FieldErrors| -> i64 {
        match form.text(&name).map(|raw| Paise::parse_rupees(&raw)) {
            Some(Ok(paise)) => paise.get(),
            Some(Err(message)) => {
                errors.add(name, message.to_string());
                0
            }
            None => 0,
        }
    };
    let (mut lines, mut line_rows) = (Vec::new(), Vec::new());
    for row in 0..rows(form, "line") {
        let Some(sku) = form.text(&format!("line-{row}-sku")) else {
            continue;
        };
        let qty_name = format!("line-{row}-qty");
        let quantity = match form.text(&qty_name).map(|q| q.parse::<u32>()) {
            None => None,
            Some(Ok(q)) if q > 0 => Some(q),
            Some(_) => {
                errors.add(qty_name, "write how many pieces, 1 or more");
                None
            }
        };
        let discount_paise = amount(format!("line-{row}-discount"), &mut errors);
        lines.push(SaleLineInput {
            product_id: None,
            sku: Some(sku),
            quantity,
            discount_paise,
        });
        line_rows.push(row);
    }
    let (mut payments, mut money_rows, mut gold_rows) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..rows(form, "pay") {
        let name = format!("pay-{row}-amount");
        if form.text(&name).is_none() {
            continue;
        }
        let method = form
            .get(&format!("pay-{row}-method"))
            .and_then(|m| MONEY.iter().find(|p| p.as_str() == m))
            .map_or(PaymentMethod::Cash, |p| *p);
        payments.push(PaymentInput {
            method,
            amount_paise: Some(amount(name, &mut errors)),
            reference: form.text(&format!("pay-{row}-reference")),
            old_gold: None,
        });
        money_rows.push(row);
    }
    for row in 0..rows(form, "gold") {
        let weight_name = format!("gold-{row}-weight");
        let Some(weight) = form.text(&weight_name) else {
            continue;
        };
        let weight_mg = Milligrams::parse_grams(&weight).map_or_else(
            |message| {
                errors.add(weight_name, message.to_string());
                0
            },
            Milligrams::get,
        );
        let deduction_name = format!("gold-{row}-deduction");
        let deduction_bp = match form
            .text(&deduction_name)
            .map(|d| BasisPoints::parse_percent(&d))
        {
            Some(Ok(bp)) => i64::from(bp.get()),
            Some(Err(message)) => {
                errors.add(deduction_name, message.to_string());
                0
            }
            None => 0,
        };
        payments.push(PaymentInput {
            method: PaymentMethod::OldGold,
            amount_paise: None,
            reference: form.text(&format!("gold-{row}-reference")),
            old_gold: Some(OldGoldInput {
                weight_mg,
                purity: form
                    .text(&format!("gold-{row}-purity"))
                    .unwrap_or_else(|| "22K".into()),
                deduction_bp,
            }),
        });
        gold_rows.push(row);
    }
    let bill_discount_paise = amount("bill_discount".into(), &mut errors);
    let input = SaleInput {
        customer_id: None,
        customer_phone: form.text("customer_phone"),
        floor_id: if every_floor {
            form.text("floor_id").and_then(|f| f.parse().ok())
        } else {
            None
        },
        lines,
        bill_discount_paise,
        payments,
        notes: form.text("notes"),
    };
    ReadForm {
        input,
        errors,
        line_rows,
        money_rows,
        gold_rows,
    }
}

impl ReadForm {
    /// The app's field names (the API's) as this form's: `lines[1].sku` → `line-3-sku`
    /// when the second filled line was the form's fourth row.
    pub fn rename(&self, app: FieldErrors) -> FieldErrors {
        let mut out = FieldErrors::new();
        for (field, message) in app.iter() {
            out.add(self.form_field(field), message.clone());
        }
        out
    }

    fn form_field(&self, field: &str) -> String {
        let indexed = |prefix: &str| -> Option<usize> {
            let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
            rest.split_once(']')?.0.parse().ok()
        };
        if let Some(i) = indexed("lines") {
            return format!("line-{}-sku", self.line_rows.get(i).copied().unwrap_or(0));
        }
        if let Some(i) = indexed("payments") {
            return match self.money_rows.get(i) {
                Some(row) => format!("pay-{row}-amount"),
                None => {
                    let row = self.gold_rows.get(i - self.money_rows.len()).copied();
                    format!("gold-{}-weight", row.unwrap_or(0))
                }
            };
        }
        match field {
            "lines" => "line-0-sku".into(),
            "customer_id" | "customer_phone" => "customer_phone".into(),
            "bill_discount_paise" => "bill_discount".into(),
            other => other.into(),
        }
    }
}

/// Where the bill form is sent and what its last buttons say: a new bill, or the
/// correction of a pending one.
pub struct BillFormTarget {
    pub action: Link,
    pub save_label: &'static str,
    pub leave: Link,
}

impl BillFormTarget {
    pub fn new_bill() -> Self {
        Self {
            action: paths::new_sale(),
            save_label: "Draw up the bill",
            leave: paths::sales(),
        }
    }
}

/// The form, with the bill worked out beside it once it has been, and what the
/// counter's rules say about completing it.
pub fn render(
    csrf: &str,
    draft: &FormData,
    errors: &FieldErrors,
    choices: &Choices,
    every_floor: bool,
    quote: Option<(&Sale, &[CounterFinding])>,
    target: &BillFormTarget,
) -> Markup {
    let count = |prefix: &str, min: usize| rows(draft, prefix).max(min);
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let floors: Vec<(String, String)> = std::iter::once((String::new(), "Choose a floor".into()))
        .chain(
            choices
                .floors
                .iter()
                .map(|f| (f.id.as_uuid().to_string(), f.name.to_string())),
        )
        .collect();
    let gold: Vec<(String, String)> = board_purities()
        .into_iter()
        .filter(|p| p.metal() == Metal::Gold)
        .map(|p| (p.label(), p.label()))
        .collect();
    let methods: Vec<(String, String)> = MONEY
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
        .collect();
    let shown: Vec<String> = errors.iter().map(|(f, _)| f.clone()).collect();
    let shown: Vec<&str> = shown
        .iter()
        .map(String::as_str)
        .filter(|f| *f != "status")
        .collect();
    html! {
        form.sale-form #sale-form method="post" action=(target.action) novalidate {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            (crate::web::pages::shell::forms::idempotency_field())
            (error_summary(errors, &shown))
            fieldset.card {
                legend { "Customer" }
                div.grid {
                    (Field::new("customer_phone", "Customer's phone", v("customer_phone")).kind("tel")
                        .required().attr("inputmode", "tel")
                        .hint("The number the customer is on file with.").render(errors))
                    @if every_floor {
                        (select("floor_id", "Floor making the sale", &floors, &v("floor_id"), errors))
                    }
                }
            }
            fieldset.card {
                legend { "Pieces" }
                @for row in 0..count("line", 1) {
                    @let (sku, qty, discount) = (format!("line-{row}-sku"), format!("line-{row}-qty"), format!("line-{row}-discount"));
                    div.form-row.sale-line {
                        (Field::new(&sku, "Tag number (SKU)", v(&sku)).attr("autocomplete", "off").render(errors))
                        (Field::new(&qty, "Pieces", v(&qty)).kind("number").attr("inputmode", "numeric").render(errors))
                        (Field::new(&discount, "Discount (₹)", v(&discount)).attr("inputmode", "decimal").render(errors))
                    }
                }
                button.button type="submit" name="action" value="add-line" formnovalidate { (icon("plus")) "Add another piece" }
            }
            fieldset.card {
                legend { "Payment" }
                @if let Some(message) = errors.get("payments") {
                    p.field-error role="alert" { (crate::web::pages::shell::components::sentence(message)) }
                }
                @for row in 0..count("pay", 1) {
                    @let (method, amount, reference) = (format!("pay-{row}-method"), format!("pay-{row}-amount"), format!("pay-{row}-reference"));
                    div.form-row.sale-payment {
                        (select(&method, "Paid by", &methods, &v(&method), errors))
                        (Field::new(&amount, "Amount (₹)", v(&amount)).attr("inputmode", "decimal").render(errors))
                        (Field::new(&reference, "Reference", v(&reference)).hint("UPI ref, card slip or UTR").render(errors))
                    }
                }
                button.button type="submit" name="action" value="add-payment" formnovalidate { (icon("plus")) "Add another payment" }
                h3 { "Old gold in exchange" }
                @for row in 0..count("gold", 1) {
                    @let (weight, purity, deduction) = (format!("gold-{row}-weight"), format!("gold-{row}-purity"), format!("gold-{row}-deduction"));
                    div.form-row.sale-gold {
                        (Field::new(&weight, "Weight (g)", v(&weight)).attr("inputmode", "decimal").render(errors))
                        (select(&purity, "Purity", &gold, draft.get(&purity).unwrap_or("22K"), errors))
                        (Field::new(&deduction, "Melting deduction (%)", v(&deduction)).attr("inputmode", "decimal").render(errors))
                    }
                }
                button.button type="submit" name="action" value="add-gold" formnovalidate { (icon("plus")) "Add more old gold" }
            }
            fieldset.card {
                legend { "Bill" }
                div.grid {
                    (Field::new("bill_discount", "Discount on the whole bill (₹)", v("bill_discount"))
                        .attr("inputmode", "decimal").render(errors))
                    (Field::new("notes", "Notes", v("notes")).kind("textarea").wide().render(errors))
                }
            }
            @if let Some((sale, rules)) = quote {
                (crate::web::pages::selling::sale_page::bill_summary(sale, true))
                (counter_rules::findings(rules))
            }
            div.form-actions {
                button.button type="submit" name="action" value="quote" { "Work out the bill" }
                button.button.primary type="submit" name="action" value="create" { (icon("receipt")) (target.save_label) }
                a.button.quiet href=(target.leave) { "Cancel" }
            }
        }
    }
}
