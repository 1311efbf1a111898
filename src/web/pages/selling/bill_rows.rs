//! The bill form's rows (pieces, payments, old gold): which button was pressed, a new
//! empty row, a row taken out with the rows after it moved up, and the rows drawn.

use maud::{Markup, html};

use super::bill_form::{MONEY, rows};
use crate::domain::{FieldErrors, Metal, board_purities};
use crate::web::pages::shell::components::{Field, error_id, icon, select, sentence};
use crate::web::pages::shell::session::FormData;
use crate::web::paths;

/// A kind of row the bill form repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A piece: `line-N-sku`, `-qty`, `-discount`.
    Piece,
    /// A payment in money: `pay-N-method`, `-amount`, `-reference`.
    Payment,
    /// Old gold taken in exchange: `gold-N-weight`, `-purity`, `-deduction`.
    OldGold,
}

impl RowKind {
    const ALL: [RowKind; 3] = [RowKind::Piece, RowKind::Payment, RowKind::OldGold];

    /// The start of its fields' names.
    pub fn prefix(self) -> &'static str {
        match self {
            RowKind::Piece => "line",
            RowKind::Payment => "pay",
            RowKind::OldGold => "gold",
        }
    }

    /// The field a person fills first, which gets the focus in a new row.
    pub fn first_field(self) -> &'static str {
        match self {
            RowKind::Piece => "sku",
            RowKind::Payment => "method",
            RowKind::OldGold => "weight",
        }
    }

    /// The `action` of its "add another" button.
    pub fn add_action(self) -> &'static str {
        match self {
            RowKind::Piece => "add-line",
            RowKind::Payment => "add-payment",
            RowKind::OldGold => "add-gold",
        }
    }

    /// The `action` of the button that takes out row `row`: `remove-pay-2`.
    pub fn remove_action(self, row: usize) -> String {
        format!("remove-{}-{row}", self.prefix())
    }
}

/// What a press on one of the bill form's buttons asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillAction {
    /// One more empty row.
    Add(RowKind),
    /// Row `N` taken out.
    Remove(RowKind, usize),
    /// The bill worked out, nothing stored.
    WorkOut,
    /// The bill drawn up and stored.
    DrawUp,
}

impl BillAction {
    /// The pressed button's `action`; anything else (Enter in a field of an older
    /// page, a hand-made request) works the bill out, which stores nothing.
    pub fn of(form: &FormData) -> Self {
        let action = form.get("action").unwrap_or("quote");
        if action == "create" {
            return BillAction::DrawUp;
        }
        for kind in RowKind::ALL {
            if action == kind.add_action() {
                return BillAction::Add(kind);
            }
            let removed = action
                .strip_prefix("remove-")
                .and_then(|rest| rest.strip_prefix(kind.prefix()))
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|row| row.parse::<usize>().ok());
            if let Some(row) = removed {
                return BillAction::Remove(kind, row);
            }
        }
        BillAction::WorkOut
    }
}

/// The form with one more empty row of `kind`, and the index it took.
pub fn with_new_row(form: &FormData, kind: RowKind) -> (FormData, usize) {
    let next = rows(form, kind.prefix());
    let mut grown = form.clone();
    grown.push(
        format!("{}-{next}-{}", kind.prefix(), kind.first_field()),
        String::new(),
    );
    (grown, next)
}

/// The form without row `row` of `kind`; the rows after it move up one, so the form is
/// drawn with no gap.
pub fn without_row(form: &FormData, kind: RowKind, row: usize) -> FormData {
    let prefix = kind.prefix();
    let pairs = form
        .pairs()
        .iter()
        .filter_map(|(name, value)| {
            let index = name
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.split_once('-'))
                .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)));
            match index {
                Some((i, _)) if i == row => None,
                Some((i, field)) if i > row => {
                    Some((format!("{prefix}-{}-{field}", i - 1), value.clone()))
                }
                _ => Some((name.clone(), value.clone())),
            }
        })
        .collect();
    FormData::from_pairs(pairs)
}

/// A row's button that takes it out of the form.
fn remove_button(kind: RowKind, row: usize, what: &str) -> Markup {
    html! {
        button.button.quiet.remove-row type="submit" name="action" value=(kind.remove_action(row))
            formnovalidate aria-label=(format!("Take out {what} {}", row + 1)) title=(format!("Take out this {what}")) {
            (icon("x"))
        }
    }
}

/// The pieces: a tag number (with suggestions as it is typed), how many, a discount.
pub(super) fn pieces(draft: &FormData, errors: &FieldErrors) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    html! {
        fieldset.card {
            legend { "Pieces" }
            @for row in 0..rows(draft, "line").max(1) {
                @let (sku, qty, discount) = (format!("line-{row}-sku"), format!("line-{row}-qty"), format!("line-{row}-discount"));
                div.form-row.sale-line {
                    (tag_field(&sku, &v(&sku), row, errors))
                    (Field::new(&qty, "Pieces", v(&qty)).kind("number").attr("inputmode", "numeric").render(errors))
                    (Field::new(&discount, "Discount (₹)", v(&discount)).attr("inputmode", "decimal").render(errors))
                    (remove_button(RowKind::Piece, row, "piece"))
                }
            }
            button.button #(format!("add-{}", RowKind::Piece.prefix())) type="submit" name="action" value=(RowKind::Piece.add_action()) formnovalidate { (icon("plus")) "Add another piece" }
        }
    }
}

/// The tag number field, whose suggestions (pieces in stock, with weight and price
/// today) are fetched as it is typed into the list beside it.
fn tag_field(name: &str, value: &str, row: usize, errors: &FieldErrors) -> Markup {
    let error = errors.get(name);
    let id = format!("field-{name}");
    let list = format!("tags-{row}");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { "Tag number (SKU)" }
            input #(id) type="text" name=(name) value=(value) autocomplete="off" list=(list)
                autocapitalize="characters" spellcheck="false"
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id(name))]
                hx-get=(paths::bill_tags()) hx-trigger="input changed delay:250ms"
                hx-target=(format!("#{list}")) hx-swap="innerHTML" hx-sync="this:replace";
            datalist #(list) {}
            @if let Some(message) = error {
                p.field-error #(error_id(name)) role="alert" { (sentence(message)) }
            }
        }
    }
}

/// Money paid, and old gold taken in exchange.
pub(super) fn payments(draft: &FormData, errors: &FieldErrors) -> Markup {
    let v = |name: &str| draft.get(name).unwrap_or("").to_owned();
    let gold: Vec<(String, String)> = board_purities()
        .into_iter()
        .filter(|p| p.metal() == Metal::Gold)
        .map(|p| (p.label(), p.label()))
        .collect();
    let methods: Vec<(String, String)> = MONEY
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
        .collect();
    html! {
        fieldset.card {
            legend { "Payment" }
            @if let Some(message) = errors.get("payments") {
                p.field-error role="alert" { (sentence(message)) }
            }
            @for row in 0..rows(draft, "pay").max(1) {
                @let (method, amount, reference) = (format!("pay-{row}-method"), format!("pay-{row}-amount"), format!("pay-{row}-reference"));
                div.form-row.sale-payment {
                    (select(&method, "Paid by", &methods, &v(&method), errors))
                    (Field::new(&amount, "Amount (₹)", v(&amount)).attr("inputmode", "decimal").render(errors))
                    (Field::new(&reference, "Reference", v(&reference)).hint("UPI ref, card slip or UTR").render(errors))
                    (remove_button(RowKind::Payment, row, "payment"))
                }
            }
            button.button #(format!("add-{}", RowKind::Payment.prefix())) type="submit" name="action" value=(RowKind::Payment.add_action()) formnovalidate { (icon("plus")) "Add another payment" }
            h3 { "Old gold in exchange" }
            @for row in 0..rows(draft, "gold").max(1) {
                @let (weight, purity, deduction) = (format!("gold-{row}-weight"), format!("gold-{row}-purity"), format!("gold-{row}-deduction"));
                div.form-row.sale-gold {
                    (Field::new(&weight, "Weight (g)", v(&weight)).attr("inputmode", "decimal").render(errors))
                    (select(&purity, "Purity", &gold, draft.get(&purity).unwrap_or("22K"), errors))
                    (Field::new(&deduction, "Melting deduction (%)", v(&deduction)).attr("inputmode", "decimal").render(errors))
                    (remove_button(RowKind::OldGold, row, "old gold"))
                }
            }
            button.button #(format!("add-{}", RowKind::OldGold.prefix())) type="submit" name="action" value=(RowKind::OldGold.add_action()) formnovalidate { (icon("plus")) "Add more old gold" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn each_button_is_read_as_what_it_asks() {
        let press = |action: &str| BillAction::of(&form(&[("action", action)]));
        assert_eq!(press("create"), BillAction::DrawUp);
        assert_eq!(press("quote"), BillAction::WorkOut);
        assert_eq!(press("add-gold"), BillAction::Add(RowKind::OldGold));
        assert_eq!(
            press("remove-pay-2"),
            BillAction::Remove(RowKind::Payment, 2)
        );
        assert_eq!(
            press("remove-line-0"),
            BillAction::Remove(RowKind::Piece, 0)
        );
        assert_eq!(press("remove-line-x"), BillAction::WorkOut);
        assert_eq!(press("remove-pay2"), BillAction::WorkOut);
        assert_eq!(BillAction::of(&form(&[])), BillAction::WorkOut);
        assert_eq!(RowKind::Payment.remove_action(3), "remove-pay-3");
    }

    #[test]
    fn a_new_row_takes_the_next_index() {
        let (grown, row) = with_new_row(
            &form(&[("line-0-sku", "RG-1"), ("line-1-sku", "RG-2")]),
            RowKind::Piece,
        );
        assert_eq!(row, 2);
        assert_eq!(grown.get("line-2-sku"), Some(""));
        assert_eq!(grown.get("line-0-sku"), Some("RG-1"));
        let (_, first) = with_new_row(&form(&[]), RowKind::OldGold);
        assert_eq!(first, 0);
    }

    #[test]
    fn a_row_taken_out_closes_the_gap_and_leaves_other_rows_alone() {
        let before = form(&[
            ("customer_phone", "98311 22334"),
            ("pay-0-amount", "100"),
            ("pay-0-method", "UPI"),
            ("pay-1-amount", "200"),
            ("pay-2-amount", "300"),
            ("pay-2-method", "CARD"),
            ("payment-note", "kept"),
            ("line-1-sku", "RG-2"),
        ]);
        let after = without_row(&before, RowKind::Payment, 1);
        assert_eq!(rows(&after, "pay"), 2);
        assert_eq!(after.get("pay-0-amount"), Some("100"));
        assert_eq!(after.get("pay-1-amount"), Some("300"));
        assert_eq!(after.get("pay-1-method"), Some("CARD"));
        assert_eq!(after.get("pay-2-amount"), None);
        assert_eq!(after.get("line-1-sku"), Some("RG-2"));
        assert_eq!(after.get("payment-note"), Some("kept"));
        assert_eq!(after.get("customer_phone"), Some("98311 22334"));
        let none_left = without_row(&form(&[("gold-0-weight", "2")]), RowKind::OldGold, 0);
        assert_eq!(rows(&none_left, "gold"), 0);
    }
}
