//! Bills worked out by hand, to the paisa, and the counter's rules.

use super::*;
use crate::domain::{FloorId, MakingCharge, PersonName, ProductId, Sku, StoreId, Text};
use jiff::Timestamp;

fn piece(purity: &str, gross_mg: i64, stone_mg: i64, making: MakingCharge, stones: i64) -> Product {
    let metal = crate::domain::Metal::Gold;
    Product {
        id: ProductId::new(),
        store_id: StoreId::new(),
        floor_id: FloorId::new(),
        sku: Sku::parse("T-1").unwrap(),
        name: PersonName::parse("Test piece").unwrap(),
        description: Text::default(),
        category_id: None,
        metal,
        purity: Purity::parse(metal, purity).unwrap(),
        gross_weight: Milligrams::new(gross_mg).unwrap(),
        stone_weight: Milligrams::new(stone_mg).unwrap(),
        making_charge: making,
        stone_value: Paise::new(stones),
        huid: None,
        fixed_price: None,
        stock_qty: 1,
        active: true,
        created_at: Timestamp::UNIX_EPOCH,
        updated_at: Timestamp::UNIX_EPOCH,
        deleted_at: None,
    }
}

fn pay(method: PaymentMethod, paise: i64) -> Payment {
    Payment {
        method,
        amount: Paise::new(paise),
        reference: Text::default(),
        old_gold: None,
    }
}

#[test]
fn per_gram_making_with_stones_and_discounts() {
    // 25.000 g gross less 1.200 g of stones: 23.800 g of 22K at ₹6,800/g.
    let necklace = piece(
        "22K",
        25_000,
        1_200,
        MakingCharge::PerGramPaise(Paise::new(520_00)),
        8_500_00,
    );
    let line = price_line(
        &necklace,
        1,
        Some(Paise::new(6_800_00)),
        Paise::new(1_000_00),
    )
    .unwrap();
    assert_eq!(line.metal_value, Paise::new(1_61_840_00)); // 23.8 × 6,800
    assert_eq!(line.making_amount, Paise::new(12_376_00)); // 23.8 × 520
    assert_eq!(line.stone_value, Paise::new(8_500_00));
    assert_eq!(line.taxable_value, Paise::new(1_81_716_00)); // 1,82,716 − 1,000
    let bill = bill_totals(&[line], Paise::new(500_00), Supply::IntraState).unwrap();
    assert_eq!(bill.taxable, Paise::new(1_81_216_00));
    assert_eq!(bill.gst.cgst, Paise::new(2_718_24)); // 1.5% of 1,81,216
    assert_eq!(bill.gst.sgst, Paise::new(2_718_24));
    assert_eq!(bill.gst.igst, Paise::ZERO);
    assert_eq!(bill.total, Paise::new(1_86_652_48));
}

#[test]
fn percent_making_paid_partly_with_old_gold() {
    // 6.250 g of 18K at ₹5,565/g = ₹34,781.25; making 12% = ₹4,173.75.
    let ring = piece(
        "18K",
        6_250,
        0,
        MakingCharge::PercentBp(BasisPoints::new(1_200).unwrap()),
        0,
    );
    let line = price_line(&ring, 1, Some(Paise::new(5_565_00)), Paise::ZERO).unwrap();
    assert_eq!(line.metal_value, Paise::new(34_781_25));
    assert_eq!(line.making_amount, Paise::new(4_173_75));
    let bill = bill_totals(&[line], Paise::ZERO, Supply::IntraState).unwrap();
    assert_eq!(bill.taxable, Paise::new(38_955_00));
    assert_eq!(bill.gst.cgst, Paise::new(584_33)); // 584.325 rounds half away from zero
    assert_eq!(bill.total, Paise::new(40_123_66));

    // 4.000 g of old 22K at ₹6,800/g = ₹27,200, less 2% melting = ₹26,656.
    let old = value_old_gold(
        Milligrams::new(4_000).unwrap(),
        Purity::parse(crate::domain::Metal::Gold, "22K").unwrap(),
        Paise::new(6_800_00),
        BasisPoints::new(200).unwrap(),
    );
    assert_eq!(old.value, Paise::new(26_656_00));
    let mut exchange = pay(PaymentMethod::OldGold, old.value.get());
    exchange.old_gold = Some(old);
    let payments = [
        exchange,
        pay(PaymentMethod::Upi, 10_000_00),
        pay(PaymentMethod::Cash, 3_467_66),
    ];
    assert_eq!(
        check_counter_rules(bill.total, &payments, Paise::ZERO, false),
        Ok(())
    );
    assert_eq!(cash_in(&payments), Paise::new(3_467_66));
}

#[test]
fn a_customer_from_another_state_pays_igst() {
    // 20.000 g net of 22K at ₹6,800/g = ₹1,36,000; flat making ₹7,500; stones ₹2,000.
    let bangle = piece(
        "22K",
        20_500,
        500,
        MakingCharge::FlatPaise(Paise::new(7_500_00)),
        2_000_00,
    );
    let line = price_line(&bangle, 1, Some(Paise::new(6_800_00)), Paise::ZERO).unwrap();
    let bill = bill_totals(&[line], Paise::ZERO, Supply::InterState).unwrap();
    assert_eq!(bill.taxable, Paise::new(1_45_500_00));
    assert_eq!(bill.gst.igst, Paise::new(4_365_00));
    assert_eq!((bill.gst.cgst, bill.gst.sgst), (Paise::ZERO, Paise::ZERO));
    assert_eq!(bill.total, Paise::new(1_49_865_00));
}

#[test]
fn quantity_multiplies_and_fixed_prices_ignore_the_rate() {
    let mut coin = piece(
        "24K",
        1_000,
        0,
        MakingCharge::FlatPaise(Paise::new(300_00)),
        0,
    );
    let two = price_line(&coin, 2, Some(Paise::new(7_420_00)), Paise::ZERO).unwrap();
    assert_eq!(two.taxable_value, Paise::new(2 * (7_420_00 + 300_00)));
    coin.fixed_price = Some(Paise::new(2_500_00));
    let fixed = price_line(&coin, 3, None, Paise::new(500_00)).unwrap();
    assert_eq!(fixed.taxable_value, Paise::new(7_000_00));
    assert!(
        price_line(
            &piece("22K", 1_000, 0, MakingCharge::FlatPaise(Paise::ZERO), 0),
            1,
            None,
            Paise::ZERO
        )
        .unwrap_err()
        .0
        .contains("no 22K gold rate")
    );
    assert!(price_line(&coin, 0, None, Paise::ZERO).is_err());
    assert!(
        price_line(&coin, 1, None, Paise::new(3_000_00)).is_err(),
        "discount above the value"
    );
}

#[test]
fn quantities_and_bills_beyond_belief_are_refused_not_saturated() {
    let mut crown = piece("22K", 1_000, 0, MakingCharge::FlatPaise(Paise::ZERO), 0);
    crown.fixed_price = Some(Paise::new(Paise::LIMIT.get() / 2));
    let most = price_line(&crown, u32::MAX, None, Paise::ZERO).unwrap_err();
    assert!(most.0.contains("from 1 to 1000"), "{most}");
    assert!(price_line(&crown, MAX_QUANTITY + 1, None, Paise::ZERO).is_err());
    let two = price_line(&crown, 2, None, Paise::ZERO).unwrap_err();
    assert!(two.0.contains("₹1,000 crore or more"), "{two}");
    let one = price_line(&crown, 1, None, Paise::ZERO).unwrap();
    assert!(matches!(
        bill_totals(&[one.clone(), one.clone()], Paise::ZERO, Supply::IntraState),
        Err(BillRefusal::TooLarge(_))
    ));
    // Half the limit plus 3% GST is believable; GST taking a bill to the limit is not.
    assert!(bill_totals(std::slice::from_ref(&one), Paise::ZERO, Supply::IntraState).is_ok());
    let mut nearly = one.clone();
    nearly.taxable_value = Paise::new(Paise::LIMIT.get() - 1_000_00);
    assert!(matches!(
        bill_totals(&[nearly], Paise::ZERO, Supply::IntraState),
        Err(BillRefusal::TooLarge(_))
    ));
    let cash = |paise| Payment {
        method: PaymentMethod::Cash,
        amount: Paise::new(paise),
        reference: Text::default(),
        old_gold: None,
    };
    let half = Paise::LIMIT.get() / 2;
    assert!(payments_total(&[cash(half - 1), cash(half)]).is_ok());
    assert!(payments_total(&[cash(half), cash(half)]).is_err());
    assert!(payments_total(&[cash(i64::MAX), cash(i64::MAX)]).is_err());
}

#[test]
fn cash_from_one_customer_stays_below_two_lakh_a_day() {
    let total = Paise::new(60_000_00);
    let payments = [pay(PaymentMethod::Cash, 60_000_00)];
    // ₹1,50,000 in cash earlier today: with this sale ₹2,10,000.
    let err = check_counter_rules(total, &payments, Paise::new(1_50_000_00), true).unwrap_err();
    assert_eq!(
        err,
        CounterRule::CashLimit {
            limit: CASH_LIMIT_PER_DAY,
            today: Paise::new(2_10_000_00),
            over: Paise::new(10_000_01),
        }
    );
    assert!(err.to_string().starts_with("s.269ST"), "{err}");
    // Exactly ₹2,00,000 is already too much; a paisa less is fine.
    let at_limit = check_counter_rules(total, &payments, Paise::new(1_40_000_00), true);
    assert!(matches!(at_limit, Err(CounterRule::CashLimit { .. })));
    let below = check_counter_rules(total, &payments, Paise::new(1_39_999_99), true);
    assert_eq!(below, Ok(()));
}

#[test]
fn two_lakh_bills_need_a_pan_or_form_60_and_payments_must_add_up() {
    let total = Paise::from_rupees(2_00_000);
    let payments = [pay(PaymentMethod::Card, total.get())];
    let err = check_counter_rules(total, &payments, Paise::ZERO, false).unwrap_err();
    assert_eq!(
        err,
        CounterRule::PanRequired {
            threshold: PAN_THRESHOLD
        }
    );
    assert!(err.to_string().contains("Form 60"));
    assert_eq!(
        check_counter_rules(total, &payments, Paise::ZERO, true),
        Ok(())
    );
    let short = [pay(PaymentMethod::Card, total.get() - 1)];
    assert!(matches!(
        check_counter_rules(total, &short, Paise::ZERO, true),
        Err(CounterRule::PaymentsDoNotAddUp { .. })
    ));
    assert!(!needs_kyc_report(Paise::from_rupees(9_99_999)));
    assert!(needs_kyc_report(Paise::from_rupees(10_00_000)));
}

#[test]
fn cash_above_the_amount_due_is_change_and_nothing_else_may_be() {
    let payable = Paise::from_rupees(2_648);
    let cash = [pay(PaymentMethod::Cash, 3_000_00)];
    assert_eq!(change_due(payable, &cash), Ok(Paise::from_rupees(352)));
    let exact = [pay(PaymentMethod::Cash, 2_648_00)];
    assert_eq!(change_due(payable, &exact), Ok(Paise::ZERO));
    let short = [pay(PaymentMethod::Cash, 2_000_00)];
    assert_eq!(change_due(payable, &short), Ok(Paise::ZERO));
    // Cash on top of a card payment: the change never exceeds the cash.
    let split = [
        pay(PaymentMethod::Card, 2_000_00),
        pay(PaymentMethod::Cash, 700_00),
    ];
    assert_eq!(change_due(payable, &split), Ok(Paise::from_rupees(52)));
    let upi_over = [pay(PaymentMethod::Upi, 2_648_01)];
    let err = change_due(payable, &upi_over).unwrap_err();
    assert_eq!(
        err,
        CounterRule::NonCashOverpaid {
            non_cash: Paise::new(2_648_01),
            payable
        }
    );
    assert!(err.to_string().contains("₹2,648.00"), "{err}");
    assert!(matches!(
        check_counter_rules(payable, &upi_over, Paise::ZERO, true),
        Err(CounterRule::NonCashOverpaid { .. })
    ));
    assert_eq!(
        check_counter_rules(payable, &cash, Paise::ZERO, false),
        Ok(())
    );
    let err = check_counter_rules(payable, &short, Paise::ZERO, false).unwrap_err();
    assert!(
        err.to_string().contains("amount due is ₹2,648.00") && err.to_string().contains("₹648.00"),
        "{err}"
    );
}

#[test]
fn the_day_s_cash_limit_counts_the_cash_kept_not_the_cash_tendered() {
    let payable = Paise::from_rupees(60_000);
    // ₹61,000 handed over, ₹1,000 back: ₹60,000 kept.
    let payments = [pay(PaymentMethod::Cash, 61_000_00)];
    // With ₹1,39,000 earlier the tendered cash would reach ₹2,00,000; the kept does not.
    assert_eq!(
        check_counter_rules(payable, &payments, Paise::from_rupees(1_39_000), true),
        Ok(())
    );
    let err = check_counter_rules(payable, &payments, Paise::from_rupees(1_40_000), true);
    assert_eq!(
        err,
        Err(CounterRule::CashLimit {
            limit: CASH_LIMIT_PER_DAY,
            today: Paise::from_rupees(2_00_000),
            over: Paise::new(1),
        })
    );
}
