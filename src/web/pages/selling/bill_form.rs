//! The counter's bill form: what staff type (a phone number, tag numbers, rupees,
//! grams, percentages) read into the [`SaleInput`] the JSON API takes, the app's
//! messages placed back on the right row, and the form itself with the worked-out
//! bill beside it. How its buttons change the rows is in `bill_rows`.

use maud::{Markup, html};

use super::bill_rows;
use super::counter_rules;
use super::lookups::{PhoneLookup, customer_line};
use crate::app::{OldGoldInput, PaymentInput, SaleInput, SaleLineInput};
use crate::domain::billing::CounterFinding;
use crate::domain::{BasisPoints, FieldErrors, Milligrams, Paise, PaymentMethod, Sale};
use crate::web::pages::shell::components::{Field, error_summary, icon, select};
use crate::web::pages::shell::forms::{Choices, form_keys};
use crate::web::pages::shell::session::FormData;
use crate::web::paths::{self, Link};

/// Payment methods paid in money; old gold has its own rows.
pub(super) const MONEY: [PaymentMethod; 4] = [
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
            let row = self.line_rows.get(i).copied().unwrap_or(0);
            let input = match field.rsplit_once('.') {
                Some((_, "quantity")) => "qty",
                Some((_, "discount_paise")) => "discount",
                _ => "sku",
            };
            return format!("line-{row}-{input}");
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
#[derive(Debug, Clone)]
pub struct BillFormTarget {
    pub action: Link,
    pub save_label: &'static str,
    pub leave: Link,
}

/// What the bill form is drawn from. The target says where it posts (the new bill, or
/// a bill being corrected); `quote` is the worked-out bill with what the counter's
/// rules say about it; `customer` is who the phone typed belongs to; `focus` names the
/// field that takes the focus when the form is redrawn in place.
#[derive(Debug, Clone, Copy)]
pub struct BillForm<'a> {
    pub target: &'a BillFormTarget,
    pub csrf: &'a str,
    pub draft: &'a FormData,
    pub errors: &'a FieldErrors,
    pub choices: &'a Choices,
    pub every_floor: bool,
    pub quote: Option<(&'a Sale, &'a [CounterFinding])>,
    pub customer: &'a PhoneLookup,
    pub focus: Option<&'a str>,
}

/// The form, with the bill worked out beside it (above the buttons on a tablet) once it
/// has been. With htmx every button but "Draw up the bill" redraws it in place; without
/// script the same buttons post the form and the page comes back the same.
pub fn render(form: &BillForm<'_>) -> Markup {
    let BillForm {
        target,
        csrf,
        draft,
        errors,
        choices,
        every_floor,
        quote,
        customer,
        focus,
    } = *form;
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let floors: Vec<(String, String)> = std::iter::once((String::new(), "Choose a floor".into()))
        .chain(
            choices
                .floors
                .iter()
                .map(|f| (f.id.as_uuid().to_string(), f.name.to_string())),
        )
        .collect();
    let shown: Vec<String> = errors.iter().map(|(f, _)| f.clone()).collect();
    let shown: Vec<&str> = shown
        .iter()
        .map(String::as_str)
        .filter(|f| *f != "status")
        .collect();
    html! {
        // One request at a time (a second press is dropped), every button disabled while
        // it runs, and the answer replaces the whole form; the fields' own look-ups do
        // not inherit any of this.
        form.sale-form #sale-form method="post" action=(target.action) novalidate
            hx-post=(target.action) hx-target="this" hx-swap="outerHTML" hx-sync="this:drop"
            hx-disabled-elt="#sale-form button" hx-disinherit="*" data-focus=[focus] {
            (form_keys(csrf))
            (crate::web::pages::shell::forms::idempotency_field())
            (error_summary(errors, &shown))
            div.bill-entry {
                fieldset.card {
                    legend { "Customer" }
                    div.grid {
                        div {
                            (Field::new("customer_phone", "Customer's phone", v("customer_phone")).kind("tel")
                                .required().attr("inputmode", "tel")
                                .hint("The number the customer is on file with.").render(errors))
                            div #customer-found aria-live="polite"
                                hx-get=(paths::bill_customer()) hx-include="#field-customer-phone"
                                hx-trigger="input changed delay:300ms from:#field-customer-phone"
                                hx-sync="this:replace" {
                                (customer_line(customer))
                            }
                        }
                        @if every_floor {
                            (select("floor_id", "Floor making the sale", &floors, &v("floor_id"), errors))
                        }
                    }
                }
                (bill_rows::pieces(draft, errors))
                (bill_rows::payments(draft, errors))
                fieldset.card {
                    legend { "Bill" }
                    div.grid {
                        (Field::new("bill_discount", "Discount on the whole bill (₹)", v("bill_discount"))
                            .attr("inputmode", "decimal").render(errors))
                        (Field::new("notes", "Notes", v("notes")).kind("textarea").wide().render(errors))
                    }
                }
            }
            aside.bill-side aria-label="The bill" {
                @if let Some((sale, rules)) = quote {
                    div #quote-view tabindex="-1" {
                        (crate::web::pages::selling::sale_page::bill_summary(sale, true))
                        (counter_rules::findings(rules))
                    }
                } @else {
                    p.bill-pending.muted { "Work out the bill to see the prices, GST and what is still to pay." }
                }
                div.form-actions.bill-actions {
                    @if let Some((sale, _)) = quote {
                        p.bill-payable { "Payable " strong.nowrap #bar-payable { (sale.payable()) } }
                    }
                    button.button type="submit" name="action" value="quote" { "Work out the bill" }
                    button.button.primary type="submit" name="action" value="create" { (icon("receipt")) (target.save_label) }
                    a.button.quiet href=(target.leave) { "Cancel" }
                }
            }
        }
    }
}
