//! Under the invoice's totals: the payments received (old gold with its weight, purity
//! and melting deduction) and a short note for each return against the sale.

use jiff::civil::Date;

use crate::app::Invoice;
use crate::domain::{Paise, Payment, Refund, Sale, format_date};

use super::invoice_pdf::{BODY, HEADING, LABEL, STRONG, TOTALS_WIDTH};
use super::pdf::{Align, Document, MARGIN, RIGHT};

/// Left edges of the method, details and reference columns; the amount is right-aligned.
const COLUMNS: [f32; 3] = [MARGIN, MARGIN + 80.0, MARGIN + 300.0];
const DETAILS_WIDTH: f32 = COLUMNS[2] - COLUMNS[1] - 8.0;
/// The reference column stops short of the amount.
const REFERENCE_WIDTH: f32 = RIGHT - COLUMNS[2] - 80.0;

fn details(payment: &Payment) -> String {
    match &payment.old_gold {
        Some(gold) => format!(
            "{} of {} less {} melting, valued {}",
            gold.weight, gold.purity, gold.deduction, gold.value
        ),
        None => String::new(),
    }
}

/// The payments table and what was received in all.
pub fn payments(doc: &mut Document, sale: &Sale, continued: &dyn Fn(&mut Document)) {
    if sale.payments.is_empty() {
        return;
    }
    doc.keep_together(
        2.0 * HEADING.line_height() + 2.0 * BODY.line_height(),
        continued,
    );
    doc.y += 8.0;
    doc.paragraph(MARGIN, RIGHT - MARGIN, HEADING, "Payments received");
    doc.y += 2.0;
    for (label, x) in ["Method", "Details", "Reference"].into_iter().zip(COLUMNS) {
        doc.on_line(x, Align::Left, LABEL, label);
    }
    doc.on_line(RIGHT, Align::Right, LABEL, "Amount");
    doc.y += LABEL.line_height() + 1.0;
    doc.rule(MARGIN, RIGHT, doc.y, 0.4, 0.6);
    doc.y += 1.0;
    for payment in &sale.payments {
        let details = details(payment);
        let lines = BODY.wrap(&details, DETAILS_WIDTH).len() as f32;
        doc.keep_together(lines * BODY.line_height() + 2.0, continued);
        let top = doc.y;
        doc.on_line(COLUMNS[0], Align::Left, BODY, payment.method.label());
        let reference = payment.reference.as_str();
        let fitted = BODY.fitted(reference, REFERENCE_WIDTH);
        doc.on_line(COLUMNS[2], Align::Left, fitted, reference);
        doc.on_line(RIGHT, Align::Right, BODY, &payment.amount.to_string());
        doc.paragraph(COLUMNS[1], DETAILS_WIDTH, BODY, &details);
        doc.y = doc.y.max(top + BODY.line_height()) + 2.0;
    }
    let received: i64 = sale.payments.iter().map(|p| p.amount.get()).sum();
    doc.y += 2.0;
    doc.rule(RIGHT - TOTALS_WIDTH, RIGHT, doc.y, 0.4, 0.6);
    doc.y += 2.0;
    doc.on_line(RIGHT - TOTALS_WIDTH, Align::Left, STRONG, "Total received");
    let received = Paise::new(received).to_string();
    doc.on_line(RIGHT, Align::Right, STRONG, &received);
    doc.y += STRONG.line_height();
    if sale.change_given.get() > 0 {
        doc.keep_together(BODY.line_height(), continued);
        doc.on_line(
            RIGHT - TOTALS_WIDTH,
            Align::Left,
            BODY,
            "Change given (cash)",
        );
        let change = format!("\u{2212}{}", sale.change_given);
        doc.on_line(RIGHT, Align::Right, BODY, &change);
        doc.y += BODY.line_height();
    }
}

fn refund_note(sale: &Sale, refund: &Refund, on: Option<Date>) -> String {
    let pieces: Vec<String> = refund
        .lines
        .iter()
        .map(|&(index, quantity)| match sale.lines.get(index as usize) {
            Some(line) => format!("{quantity} × {} ({})", line.description, line.sku),
            None => format!("{quantity} × line {}", index + 1),
        })
        .collect();
    let when = on.map_or_else(String::new, |day| format!(" on {}", format_date(day)));
    let mut note = format!(
        "Returned{when}: {}; {} paid back.",
        pieces.join(", "),
        refund.amount
    );
    if !refund.reason.is_empty() {
        note.push_str(&format!(" Reason: {}", refund.reason));
    }
    note
}

/// One line per return, oldest first. The credit note itself is a separate document.
pub fn refunds(doc: &mut Document, invoice: &Invoice, continued: &dyn Fn(&mut Document)) {
    let sale = &invoice.sale;
    for (i, refund) in sale.refunds.iter().enumerate() {
        let note = refund_note(sale, refund, invoice.refunded_on.get(i).copied());
        let lines = BODY.wrap(&note, RIGHT - MARGIN).len() as f32;
        doc.keep_together(lines * BODY.line_height() + 6.0, continued);
        doc.y += 6.0;
        doc.paragraph(MARGIN, RIGHT - MARGIN, BODY, &note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Text, UserId, now};
    use crate::reports::invoice_pdf::tests as fixture;

    #[test]
    fn a_return_names_its_pieces_and_the_money() {
        let lines = vec![fixture::line(1, "Temple necklace")];
        let sale = fixture::invoice("Rina Sinha", lines).sale;
        let refund = Refund {
            lines: vec![(0, 1), (5, 2)],
            amount: Paise::new(1_86_652_48),
            reason: Text::parse("Size did not fit").expect("reason"),
            staff_id: UserId::new(),
            at: now(),
        };
        assert_eq!(
            refund_note(&sale, &refund, Some(jiff::civil::date(2026, 11, 25))),
            "Returned on 25 Nov 2026: 1 × Temple necklace (NK-1), 2 × line 6; ₹1,86,652.48 paid back. Reason: Size did not fit"
        );
    }
}
