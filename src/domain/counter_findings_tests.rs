//! The counter's rules worked out before completing: every finding with what to change,
//! and never a different answer from the check completing makes.

use proptest::prelude::*;

use super::*;
use crate::domain::Text;

fn pay(method: PaymentMethod, paise: i64) -> Payment {
    Payment {
        method,
        amount: Paise::new(paise),
        reference: Text::default(),
        old_gold: None,
    }
}

fn facts(earlier_today: i64, earlier_this_year: i64, has_pan: bool) -> CounterFacts {
    CounterFacts {
        cash_earlier_today: Paise::new(earlier_today),
        cash_earlier_this_year: Paise::new(earlier_this_year),
        has_pan_or_form60: has_pan,
    }
}

#[test]
fn a_bill_within_every_rule_has_no_findings() {
    let payable = Paise::from_rupees(60_000);
    let payments = [pay(PaymentMethod::Cash, 60_000_00)];
    assert_eq!(
        counter_findings(payable, &payments, &facts(0, 0, false)),
        []
    );
}

#[test]
fn cash_over_the_day_s_limit_says_how_much_cash_is_still_allowed() {
    let payable = Paise::from_rupees(80_000);
    let payments = [pay(PaymentMethod::Cash, 80_000_00)];
    // ₹1,50,000 kept in cash earlier today: ₹49,999.99 more is the most allowed.
    let found = counter_findings(payable, &payments, &facts(1_50_000_00, 1_50_000_00, true));
    assert_eq!(
        found,
        [CounterFinding::CashLimit {
            today: Paise::from_rupees(2_30_000),
            over: Paise::new(30_000_01),
            cash_room: Paise::new(49_999_99),
        }]
    );
    assert!(found[0].blocking());
    assert_eq!(found[0].code(), "CASH_LIMIT");
    let message = found[0].to_string();
    assert!(
        message.contains("s.269ST") && message.contains("take at most ₹49,999.99 in cash"),
        "{message}"
    );
    // The day's limit already used up: no cash at all on this bill.
    let used_up = counter_findings(payable, &payments, &facts(2_00_000_00, 0, true));
    assert!(
        used_up[0]
            .to_string()
            .contains("by UPI, card or bank transfer"),
        "{}",
        used_up[0]
    );
}

#[test]
fn a_two_lakh_bill_without_a_pan_is_found_before_completing() {
    let payable = Paise::from_rupees(2_00_000);
    let payments = [pay(PaymentMethod::Card, payable.get())];
    let found = counter_findings(payable, &payments, &facts(0, 0, false));
    assert_eq!(found, [CounterFinding::PanRequired]);
    assert!(found[0].blocking());
    assert!(found[0].to_string().contains("Form 60"), "{}", found[0]);
    assert_eq!(counter_findings(payable, &payments, &facts(0, 0, true)), []);
}

#[test]
fn the_kyc_flag_is_found_but_does_not_block() {
    let payable = Paise::from_rupees(1_00_000);
    let payments = [pay(PaymentMethod::Cash, 1_00_000_00)];
    let found = counter_findings(payable, &payments, &facts(0, 9_00_000_00, true));
    assert_eq!(
        found,
        [CounterFinding::KycReport {
            cash_this_year: Paise::from_rupees(10_00_000)
        }]
    );
    assert!(!found[0].blocking());
    assert_eq!(found[0].refusal(), None);
    assert!(found[0].to_string().contains("KYC"), "{}", found[0]);
    assert_eq!(
        check_counter_rules(payable, &payments, Paise::ZERO, true),
        Ok(())
    );
}

#[test]
fn every_broken_rule_is_listed_not_only_the_first() {
    let payable = Paise::from_rupees(2_50_000);
    // ₹2,10,000 in cash and nothing else: short, over the cash limit and no PAN.
    let payments = [pay(PaymentMethod::Cash, 2_10_000_00)];
    let codes: Vec<&str> = counter_findings(payable, &payments, &facts(0, 9_00_000_00, false))
        .iter()
        .map(CounterFinding::code)
        .collect();
    assert_eq!(
        codes,
        ["PAYMENTS_SHORT", "CASH_LIMIT", "PAN_REQUIRED", "KYC_REPORT"]
    );
}

fn method() -> impl Strategy<Value = PaymentMethod> {
    prop_oneof![
        Just(PaymentMethod::Cash),
        Just(PaymentMethod::Upi),
        Just(PaymentMethod::Card),
        Just(PaymentMethod::BankTransfer),
        Just(PaymentMethod::OldGold),
    ]
}

proptest! {
    /// Completing refuses exactly when a finding blocks, and with the first such
    /// finding's refusal: the rules shown early never disagree with completing.
    #[test]
    fn findings_agree_with_the_check_at_completion(
        payable in 0..5_00_000_00_i64,
        payments in prop::collection::vec((method(), 0..3_00_000_00_i64), 0..4),
        earlier_today in 0..3_00_000_00_i64,
        earlier_this_year in 0..20_00_000_00_i64,
        has_pan in any::<bool>(),
    ) {
        let payable = Paise::new(payable);
        let payments: Vec<Payment> = payments.into_iter().map(|(m, a)| pay(m, a)).collect();
        let found = counter_findings(
            payable,
            &payments,
            &facts(earlier_today, earlier_this_year, has_pan),
        );
        let first_refusal = found.iter().find_map(CounterFinding::refusal);
        let checked = check_counter_rules(payable, &payments, Paise::new(earlier_today), has_pan);
        prop_assert_eq!(checked, first_refusal.map_or(Ok(()), Err));
        // Every finding is one a blocking flag and a message can be shown for.
        for finding in &found {
            prop_assert_eq!(finding.blocking(), finding.refusal().is_some());
            prop_assert!(!finding.to_string().is_empty());
        }
    }
}
