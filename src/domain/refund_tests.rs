//! Returns worked out by hand, to the paisa, with no database.

use super::*;

fn line(quantity: u32, taxable_paise: i64) -> SoldLine {
    SoldLine {
        quantity,
        taxable_value: Paise::new(taxable_paise),
    }
}

/// A completed bill of `lines` less `bill_discount`, with 3% GST (intra-state, rounded
/// per half as the bill rounds) and no returns yet.
fn bill(lines: Vec<SoldLine>, bill_discount: i64) -> RefundBasis {
    let taxable: i64 = lines.iter().map(|l| l.taxable_value.get()).sum::<i64>() - bill_discount;
    let taxable = Paise::new(taxable);
    let gst = gst(taxable, Supply::IntraState).total();
    RefundBasis {
        returned: vec![0; lines.len()],
        lines,
        bill_discount: Paise::new(bill_discount),
        supply: Supply::IntraState,
        total: taxable.checked_add(gst).unwrap(),
        paid_back: Paise::ZERO,
    }
}

/// The basis after `plan` was paid back, as the stored sale would show it.
fn after(mut basis: RefundBasis, plan: &RefundPlan) -> RefundBasis {
    for (line, quantity) in &plan.lines {
        basis.returned[*line as usize] += quantity;
    }
    basis.paid_back = basis.paid_back.checked_add(plan.amount).unwrap();
    basis
}

fn field(errors: &FieldErrors) -> Vec<String> {
    errors.iter().map(|(f, _)| f.clone()).collect()
}

#[test]
fn one_line_all_back_pays_the_whole_bill() {
    let basis = bill(vec![line(1, 1_00_000_00)], 0);
    let plan = plan_refund(&basis, None).unwrap();
    assert_eq!(plan.lines, [(0, 1)]);
    assert!(plan.all_back);
    // ₹1,00,000 + CGST ₹1,500 + SGST ₹1,500.
    assert_eq!(plan.amount, Paise::new(1_03_000_00));
}

#[test]
fn one_piece_of_several_lines_pays_its_share_of_the_discount_and_gst() {
    // Two bangles at ₹20,000 taxable and a ring at ₹10,000, ₹300 off the bill.
    let basis = bill(vec![line(2, 20_000_00), line(1, 10_000_00)], 300_00);
    let plan = plan_refund(&basis, Some(&[(0, 1)])).unwrap();
    assert!(!plan.all_back);
    // ₹10,000 less ₹100 (a third of the discount) = ₹9,900; GST 3% = ₹297.
    assert_eq!(plan.amount, Paise::new(10_197_00));
    let interstate = RefundBasis {
        supply: Supply::InterState,
        ..basis.clone()
    };
    let igst = plan_refund(&interstate, Some(&[(0, 1)])).unwrap();
    assert_eq!(
        igst.amount,
        Paise::new(10_197_00),
        "IGST 3% equals CGST + SGST"
    );
    let both = plan_refund(&basis, Some(&[(0, 1), (1, 1)])).unwrap();
    // ₹20,000 less ₹200 = ₹19,800; GST ₹594.
    assert_eq!(both.amount, Paise::new(20_394_00));
}

#[test]
fn part_back_twice_then_the_rest_pays_exactly_what_is_left() {
    let basis = bill(vec![line(3, 1_000)], 0);
    // A third of ₹10 is 333.33 paise, so 333; GST 1.5% of 333 is 4.995, so 5 each.
    let first = plan_refund(&basis, Some(&[(0, 1)])).unwrap();
    assert_eq!(first.amount, Paise::new(343));
    let basis = after(basis, &first);
    let second = plan_refund(&basis, Some(&[(0, 1)])).unwrap();
    assert_eq!(second.amount, Paise::new(343));
    assert!(!second.all_back);
    let basis = after(basis, &second);
    let last = plan_refund(&basis, None).unwrap();
    assert_eq!(last.lines, [(0, 1)]);
    assert!(last.all_back);
    // The bill was ₹10 + 30 paise GST; 686 paise came back before.
    assert_eq!(basis.total, Paise::new(1_030));
    assert_eq!(last.amount, Paise::new(1_030 - 686));
    let nothing_left = after(basis, &last);
    let errors = plan_refund(&nothing_left, None).unwrap_err();
    assert_eq!(field(&errors), ["lines"]);
}

#[test]
fn shares_round_half_away_from_zero() {
    // Half of 101 paise is 50.5, which rounds to 51; GST 1.5% of 51 is 0.765, so 1 each.
    let basis = bill(vec![line(2, 101)], 0);
    let plan = plan_refund(&basis, Some(&[(0, 1)])).unwrap();
    assert_eq!(plan.amount, Paise::new(53));
    assert_eq!(share(Paise::new(5), 1, 2), Some(Paise::new(3)));
    assert_eq!(share(Paise::new(4), 1, 3), Some(Paise::new(1)));
    assert_eq!(share(Paise::new(7), 1, 0), Some(Paise::ZERO));
}

#[test]
fn a_line_named_twice_cannot_bring_back_more_than_was_sold() {
    let basis = bill(vec![line(1, 5_000_00)], 0);
    let errors = plan_refund(&basis, Some(&[(0, 1), (0, 1)])).unwrap_err();
    assert_eq!(field(&errors), ["lines[1].quantity"]);
    assert_eq!(
        errors.get("lines[1].quantity"),
        Some("can be 1 to 0 (the pieces not yet returned)")
    );
}

#[test]
fn more_than_sold_no_such_line_and_nothing_named_are_refused_by_field() {
    let basis = bill(vec![line(2, 5_000_00)], 0);
    let errors = plan_refund(&basis, Some(&[(0, 3), (7, 1), (0, 0)])).unwrap_err();
    assert_eq!(
        field(&errors),
        ["lines[0].quantity", "lines[1].line", "lines[2].quantity"]
    );
    assert_eq!(
        errors.get("lines[0].quantity"),
        Some("can be 1 to 2 (the pieces not yet returned)")
    );
    let errors = plan_refund(&basis, Some(&[])).unwrap_err();
    assert_eq!(field(&errors), ["lines"]);
}

#[test]
fn amounts_that_would_overflow_are_refused_not_wrapped() {
    let huge = RefundBasis {
        lines: vec![line(2, i64::MAX), line(1, i64::MAX)],
        bill_discount: Paise::ZERO,
        supply: Supply::IntraState,
        total: Paise::new(i64::MAX),
        returned: vec![0, 0],
        paid_back: Paise::ZERO,
    };
    let errors = plan_refund(&huge, Some(&[(0, 1)])).unwrap_err();
    assert_eq!(field(&errors), ["lines"]);
    let overpaid = RefundBasis {
        paid_back: Paise::new(i64::MIN),
        ..bill(vec![line(1, 100)], 0)
    };
    assert!(plan_refund(&overpaid, None).is_err());
    assert_eq!(share(Paise::new(i64::MAX), i64::MAX, 1), None);
}

#[test]
fn the_last_return_of_a_rounded_bill_pays_back_the_round_off_too() {
    // ₹1,000 and ₹1,570.54 taxable: GST ₹77.12, total ₹2,647.66, paid as ₹2,648.00.
    let mut basis = bill(vec![line(1, 1_000_00), line(1, 1_570_54)], 0);
    assert_eq!(basis.total, Paise::new(2_647_66));
    basis.total = Paise::new(2_648_00);
    let first = plan_refund(&basis, Some(&[(0, 1)])).unwrap();
    // The first piece pays back its share of the exact total: ₹1,000 + 3%.
    assert_eq!(first.amount, Paise::new(1_030_00));
    let basis = after(basis, &first);
    let last = plan_refund(&basis, None).unwrap();
    assert!(last.all_back);
    assert_eq!(last.amount, Paise::new(1_618_00));
    assert_eq!(
        first.amount.checked_add(last.amount),
        Some(Paise::new(2_648_00)),
        "everything back returns exactly what was kept"
    );
}

#[test]
fn a_piece_back_from_a_bill_of_supply_pays_back_no_gst() {
    // The same bangles and ring sold by a store not registered under GST: no tax was
    // charged, so a bangle back pays its ₹10,000 less its ₹100 of the discount.
    let basis = RefundBasis {
        supply: Supply::ByUnregisteredSeller,
        total: Paise::new(49_700_00),
        ..bill(vec![line(2, 20_000_00), line(1, 10_000_00)], 300_00)
    };
    let plan = plan_refund(&basis, Some(&[(0, 1)])).unwrap();
    assert_eq!(plan.amount, Paise::new(9_900_00));
}
