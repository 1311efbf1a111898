//! A bill worked out before it is stored: each line priced from the day's rate and
//! locked, the bill's discount and GST, old gold valued at the counter, and the rules
//! of the Income-tax Act a jeweller must keep when taking the money.
//!
//! Everything here is arithmetic on paise and milligrams; the use cases in `app`
//! gather the inputs (the rate board, the customer's cash so far today) and store
//! the result.

use super::pricing::{GstSplit, Supply, gst, metal_value};
use super::{
    BasisPoints, InvalidValue, Milligrams, OldGold, Paise, Payment, PaymentMethod, Product, Purity,
    SaleLine,
};

/// s.269ST: cash from one person in one day must stay below ₹2,00,000.
pub const CASH_LIMIT_PER_DAY: Paise = Paise::from_rupees(2_00_000);
/// Rule 114B: a sale of ₹2,00,000 or more needs the buyer's PAN or a Form 60.
pub const PAN_THRESHOLD: Paise = Paise::from_rupees(2_00_000);
/// Cash purchases of ₹10,00,000 or more in a financial year are reported (KYC).
pub const KYC_CASH_THRESHOLD: Paise = Paise::from_rupees(10_00_000);

fn add(a: Paise, b: Paise) -> Paise {
    Paise::new(a.get().saturating_add(b.get()))
}

fn times(amount: Paise, quantity: u32) -> Paise {
    Paise::new(amount.get().saturating_mul(i64::from(quantity)))
}

/// Prices `quantity` pieces of `product` at `rate` (paise per gram of its purity) less
/// `discount`, copying what the invoice must show so later changes to the catalogue or
/// the rate never alter it. A fixed-price piece ignores the rate.
pub fn price_line(
    product: &Product,
    quantity: u32,
    rate: Option<Paise>,
    discount: Paise,
) -> Result<SaleLine, InvalidValue> {
    if quantity == 0 {
        return Err(InvalidValue::new("quantity must be at least 1"));
    }
    let net = product.net_weight();
    let (rate_per_gram, metal, making, stones, gross_value) = match product.fixed_price {
        Some(fixed) => (
            Paise::ZERO,
            Paise::ZERO,
            Paise::ZERO,
            Paise::ZERO,
            times(fixed, quantity),
        ),
        None => {
            let rate = rate.ok_or_else(|| {
                InvalidValue::new(format!(
                    "no {} {} rate is set today",
                    product.purity,
                    product.metal.label().to_lowercase()
                ))
            })?;
            let metal = times(metal_value(rate, net), quantity);
            let making = times(
                product.making_charge.amount(net, metal_value(rate, net)),
                quantity,
            );
            let stones = times(product.stone_value, quantity);
            (rate, metal, making, stones, add(add(metal, making), stones))
        }
    };
    if discount.get() < 0 || discount > gross_value {
        return Err(InvalidValue::new(format!(
            "the discount must be between ₹0 and the line's value of {gross_value}"
        )));
    }
    Ok(SaleLine {
        product_id: product.id,
        sku: product.sku.clone(),
        description: product.name.clone(),
        metal: product.metal,
        purity: product.purity,
        huid: product.huid.clone(),
        quantity,
        gross_weight: product.gross_weight,
        net_weight: net,
        rate_per_gram,
        metal_value: metal,
        making_charge: product.making_charge,
        making_amount: making,
        stone_value: stones,
        discount,
        taxable_value: Paise::new(gross_value.get() - discount.get()),
    })
}

/// The bill's totals as the invoice prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillTotals {
    /// Lines less the bill discount: what GST is charged on.
    pub taxable: Paise,
    pub gst: GstSplit,
    pub total: Paise,
}

/// Adds the lines, takes off the bill discount, and charges GST on the rest: CGST 1.5%
/// + SGST 1.5% within the shop's state, IGST 3% for a customer from another state.
pub fn bill_totals(
    lines: &[SaleLine],
    bill_discount: Paise,
    supply: Supply,
) -> Result<BillTotals, InvalidValue> {
    let lines_total = lines
        .iter()
        .fold(Paise::ZERO, |sum, l| add(sum, l.taxable_value));
    if bill_discount.get() < 0 || bill_discount > lines_total {
        return Err(InvalidValue::new(format!(
            "the bill discount must be between ₹0 and the lines' total of {lines_total}"
        )));
    }
    let taxable = Paise::new(lines_total.get() - bill_discount.get());
    let gst = gst(taxable, supply);
    Ok(BillTotals {
        taxable,
        gst,
        total: add(taxable, gst.total()),
    })
}

/// Old gold handed over the counter: its metal at today's rate for its purity, less
/// the melting deduction agreed with the customer.
pub fn value_old_gold(
    weight: Milligrams,
    purity: Purity,
    rate_per_gram: Paise,
    deduction: BasisPoints,
) -> OldGold {
    let gross = metal_value(rate_per_gram, weight);
    let value = Paise::new(gross.get() - gross.percent(deduction).get());
    OldGold {
        weight,
        purity,
        deduction,
        value,
    }
}

/// How much of `payments` is cash.
pub fn cash_in(payments: &[Payment]) -> Paise {
    payments
        .iter()
        .filter(|p| p.method == PaymentMethod::Cash)
        .fold(Paise::ZERO, |sum, p| add(sum, p.amount))
}

/// A rule of the counter that stops a sale, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CounterRule {
    #[error(
        "s.269ST: cash from one customer in a day must stay below {limit}; with this sale their cash today would be {today}. Take {over} or more by UPI, card or bank transfer instead"
    )]
    CashLimit {
        limit: Paise,
        today: Paise,
        over: Paise,
    },
    #[error(
        "Rule 114B: a sale of {threshold} or more needs the customer's PAN or a signed Form 60; add the PAN to the customer or record the Form 60"
    )]
    PanRequired { threshold: Paise },
    /// `total` is the amount payable: the bill's total with its round-off.
    #[error(
        "the payments add up to {paid} but the amount due is {total}; take the remaining {short}",
        short = Paise::new(.total.get().saturating_sub(.paid.get()))
    )]
    PaymentsDoNotAddUp { paid: Paise, total: Paise },
    #[error(
        "the UPI, card, bank and old-gold payments come to {non_cash} but the amount due is {payable}; only cash can be more than the amount due (the change is handed back)"
    )]
    NonCashOverpaid { non_cash: Paise, payable: Paise },
}

/// The change to hand back: how far the payments exceed `payable`. Only cash may be
/// more than is due, so the change is never more than the cash tendered; payments by
/// UPI, card, bank transfer or old gold above the amount due are refused. Payments
/// short of it give no change (completing such a bill is refused later).
pub fn change_due(payable: Paise, payments: &[Payment]) -> Result<Paise, CounterRule> {
    let paid = payments
        .iter()
        .fold(Paise::ZERO, |sum, p| add(sum, p.amount));
    let non_cash = Paise::new(paid.get().saturating_sub(cash_in(payments).get()));
    if non_cash > payable {
        return Err(CounterRule::NonCashOverpaid { non_cash, payable });
    }
    Ok(Paise::new(paid.get().saturating_sub(payable.get()).max(0)))
}

/// Checks a bill against the counter's rules before it is completed. `payable` is the
/// bill's total with its round-off; cash above it is change handed back, and only the
/// cash kept counts towards the day's limit. `cash_earlier_today` is the cash the store
/// kept from the customer in its other sales of the same day.
pub fn check_counter_rules(
    payable: Paise,
    payments: &[Payment],
    cash_earlier_today: Paise,
    has_pan_or_form60: bool,
) -> Result<(), CounterRule> {
    let paid = payments
        .iter()
        .fold(Paise::ZERO, |sum, p| add(sum, p.amount));
    let change = change_due(payable, payments)?;
    if paid < payable {
        return Err(CounterRule::PaymentsDoNotAddUp {
            paid,
            total: payable,
        });
    }
    let kept = Paise::new(cash_in(payments).get().saturating_sub(change.get()));
    let today = add(cash_earlier_today, kept);
    if today >= CASH_LIMIT_PER_DAY {
        let over = Paise::new(today.get() - CASH_LIMIT_PER_DAY.get() + 1);
        return Err(CounterRule::CashLimit {
            limit: CASH_LIMIT_PER_DAY,
            today,
            over,
        });
    }
    if payable >= PAN_THRESHOLD && !has_pan_or_form60 {
        return Err(CounterRule::PanRequired {
            threshold: PAN_THRESHOLD,
        });
    }
    Ok(())
}

/// Whether the customer's cash purchases this financial year (this sale included) are to
/// be reported for KYC. It flags; it does not refuse.
pub fn needs_kyc_report(cash_this_year: Paise) -> bool {
    cash_this_year >= KYC_CASH_THRESHOLD
}

#[cfg(test)]
#[path = "billing_tests.rs"]
mod tests;
