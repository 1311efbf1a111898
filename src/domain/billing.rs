//! A bill worked out before it is stored: each line priced from the day's rate and
//! locked, the bill's discount and GST, old gold valued at the counter, and the rules
//! of the Income-tax Act a jeweller must keep when taking the money.
//!
//! Everything here is arithmetic on paise and milligrams; the use cases in `app`
//! gather the inputs (the rate board, the customer's cash so far today) and store
//! the result.

pub use super::bill_limits::{MAX_QUANTITY, payments_total};
use super::bill_limits::{add_within_limit, times};
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

/// Adds amounts of one bill already checked against [`Paise::LIMIT`]: payments are
/// refused at drawing up once they reach it ([`payments_total`]) and the cash counted
/// earlier comes from checked sums, so these sums stay far from the 64-bit edge. The
/// saturation only keeps a bill stored before those checks from wrapping.
fn add(a: Paise, b: Paise) -> Paise {
    Paise::new(a.get().saturating_add(b.get()))
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
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(InvalidValue::new(format!(
            "quantity must be from 1 to {MAX_QUANTITY} pieces; {quantity} is more than a counter sells at once"
        )));
    }
    let line = "the line";
    let net = product.net_weight();
    let (rate_per_gram, metal, making, stones, gross_value) = match product.fixed_price {
        Some(fixed) => (
            Paise::ZERO,
            Paise::ZERO,
            Paise::ZERO,
            Paise::ZERO,
            times(fixed, quantity, line)?,
        ),
        None => {
            let rate = rate.ok_or_else(|| {
                InvalidValue::new(format!(
                    "no {} {} rate is set today",
                    product.purity,
                    product.metal.label().to_lowercase()
                ))
            })?;
            let metal = times(metal_value(rate, net), quantity, line)?;
            let making = times(
                product.making_charge.amount(net, metal_value(rate, net)),
                quantity,
                line,
            )?;
            let stones = times(product.stone_value, quantity, line)?;
            let gross = add_within_limit(add_within_limit(metal, making, line)?, stones, line)?;
            (rate, metal, making, stones, gross)
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

/// Why [`bill_totals`] refused a bill, which says which of its inputs to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillRefusal {
    /// The bill discount is negative or more than the lines.
    Discount(InvalidValue),
    /// The lines (or the total with GST) reach [`Paise::LIMIT`].
    TooLarge(InvalidValue),
}

/// Adds the lines, takes off the bill discount, and charges GST on the rest: CGST 1.5%
/// + SGST 1.5% within the shop's state, IGST 3% for a customer from another state.
pub fn bill_totals(
    lines: &[SaleLine],
    bill_discount: Paise,
    supply: Supply,
) -> Result<BillTotals, BillRefusal> {
    let bill = "the bill";
    let lines_total = lines
        .iter()
        .try_fold(Paise::ZERO, |sum, l| {
            add_within_limit(sum, l.taxable_value, bill)
        })
        .map_err(BillRefusal::TooLarge)?;
    if bill_discount.get() < 0 || bill_discount > lines_total {
        return Err(BillRefusal::Discount(InvalidValue::new(format!(
            "the bill discount must be between ₹0 and the lines' total of {lines_total}"
        ))));
    }
    let taxable = Paise::new(lines_total.get() - bill_discount.get());
    let gst = gst(taxable, supply);
    Ok(BillTotals {
        taxable,
        gst,
        total: add_within_limit(taxable, gst.total(), bill).map_err(BillRefusal::TooLarge)?,
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
    let tally = Tally::of(payable, payments);
    if let Some(rule) = tally.overpaid {
        return Err(rule);
    }
    if let Some(rule) = short_payment(tally.paid, payable) {
        return Err(rule);
    }
    if let Some(rule) = cash_limit(cash_earlier_today, tally.cash_kept) {
        return Err(rule);
    }
    if let Some(rule) = pan_rule(payable, has_pan_or_form60) {
        return Err(rule);
    }
    Ok(())
}

/// A bill's money as the counter's rules see it; [`check_counter_rules`] and
/// [`counter_findings`] both start from it, so they cannot count differently.
struct Tally {
    paid: Paise,
    /// Set when payments other than cash are more than is due.
    overpaid: Option<CounterRule>,
    /// The cash tendered less the change handed back (no change when overpaid).
    cash_kept: Paise,
}

impl Tally {
    fn of(payable: Paise, payments: &[Payment]) -> Self {
        let paid = payments
            .iter()
            .fold(Paise::ZERO, |sum, p| add(sum, p.amount));
        let (change, overpaid) = match change_due(payable, payments) {
            Ok(change) => (change, None),
            Err(rule) => (Paise::ZERO, Some(rule)),
        };
        Self {
            paid,
            overpaid,
            cash_kept: Paise::new(cash_in(payments).get().saturating_sub(change.get())),
        }
    }
}

fn short_payment(paid: Paise, payable: Paise) -> Option<CounterRule> {
    (paid < payable).then_some(CounterRule::PaymentsDoNotAddUp {
        paid,
        total: payable,
    })
}

fn cash_limit(cash_earlier_today: Paise, cash_kept: Paise) -> Option<CounterRule> {
    let today = add(cash_earlier_today, cash_kept);
    (today >= CASH_LIMIT_PER_DAY).then(|| CounterRule::CashLimit {
        limit: CASH_LIMIT_PER_DAY,
        today,
        over: Paise::new(today.get() - CASH_LIMIT_PER_DAY.get() + 1),
    })
}

fn pan_rule(payable: Paise, has_pan_or_form60: bool) -> Option<CounterRule> {
    (payable >= PAN_THRESHOLD && !has_pan_or_form60).then_some(CounterRule::PanRequired {
        threshold: PAN_THRESHOLD,
    })
}

/// What the store knows of the customer when the rules are worked out: read as
/// completing would read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterFacts {
    /// Cash kept from the customer in completed sales earlier the same day.
    pub cash_earlier_today: Paise,
    /// Cash kept from the customer in completed sales earlier this financial year.
    pub cash_earlier_this_year: Paise,
    /// Whether the customer has a PAN on file (or the bill a Form 60).
    pub has_pan_or_form60: bool,
}

/// One thing the counter's rules say about a bill before it is completed: a rule that
/// would refuse completing it as it stands, or the KYC flag it would raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterFinding {
    /// Payments other than cash are more than the amount payable.
    NonCashOverpaid { non_cash: Paise, payable: Paise },
    /// The payments fall short of the amount payable.
    PaymentsShort { paid: Paise, payable: Paise },
    /// s.269ST: the customer's cash today would reach the limit; `cash_room` is the most
    /// cash this bill may keep (zero when the day's limit is already used up).
    CashLimit {
        today: Paise,
        over: Paise,
        cash_room: Paise,
    },
    /// Rule 114B: ₹2,00,000 or more and no PAN on file.
    PanRequired,
    /// The customer's cash this financial year, this bill's included, reaches the KYC
    /// reporting threshold: flagged, never refused.
    KycReport { cash_this_year: Paise },
}

impl CounterFinding {
    /// The rule's name in the API: `CASH_LIMIT`, `PAN_REQUIRED`, `KYC_REPORT`…
    pub fn code(&self) -> &'static str {
        match self {
            Self::NonCashOverpaid { .. } => "NON_CASH_OVERPAID",
            Self::PaymentsShort { .. } => "PAYMENTS_SHORT",
            Self::CashLimit { .. } => "CASH_LIMIT",
            Self::PanRequired => "PAN_REQUIRED",
            Self::KycReport { .. } => "KYC_REPORT",
        }
    }

    /// Whether completing the bill as it stands would be refused.
    pub fn blocking(&self) -> bool {
        self.refusal().is_some()
    }

    /// The refusal completing would give, for a finding that blocks.
    pub fn refusal(&self) -> Option<CounterRule> {
        match *self {
            Self::NonCashOverpaid { non_cash, payable } => {
                Some(CounterRule::NonCashOverpaid { non_cash, payable })
            }
            Self::PaymentsShort { paid, payable } => Some(CounterRule::PaymentsDoNotAddUp {
                paid,
                total: payable,
            }),
            Self::CashLimit { today, over, .. } => Some(CounterRule::CashLimit {
                limit: CASH_LIMIT_PER_DAY,
                today,
                over,
            }),
            Self::PanRequired => Some(CounterRule::PanRequired {
                threshold: PAN_THRESHOLD,
            }),
            Self::KycReport { .. } => None,
        }
    }
}

impl std::fmt::Display for CounterFinding {
    /// What the rule says and what to change, for the person at the counter.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NonCashOverpaid { non_cash, payable } => write!(
                f,
                "The UPI, card, bank and old-gold payments come to {non_cash} but the amount payable is {payable}: lower them, and take any excess in cash (the change is handed back)"
            ),
            Self::PaymentsShort { paid, payable } => write!(
                f,
                "The payments come to {paid} of the {payable} payable: add the remaining {} before completing",
                Paise::new(payable.get().saturating_sub(paid.get()))
            ),
            Self::CashLimit { cash_room, .. } if cash_room.get() == 0 => write!(
                f,
                "Cash of {CASH_LIMIT_PER_DAY} or more from one customer in a day is not allowed (s.269ST), and their cash earlier today leaves no room: take this bill by UPI, card or bank transfer"
            ),
            Self::CashLimit {
                today, cash_room, ..
            } => write!(
                f,
                "Cash of {CASH_LIMIT_PER_DAY} or more from one customer in a day is not allowed (s.269ST); with this bill it would be {today}: take at most {cash_room} in cash and the rest by UPI, card or bank transfer"
            ),
            Self::PanRequired => write!(
                f,
                "A bill of {PAN_THRESHOLD} or more needs the customer's PAN or a Form 60 at completion (Rule 114B): add the PAN on the customer's page, or take a signed Form 60 when completing"
            ),
            Self::KycReport { cash_this_year } => write!(
                f,
                "Cash from this customer this financial year comes to {cash_this_year} with this bill, {KYC_CASH_THRESHOLD} or more: the sale will be flagged for KYC reporting; keep their PAN and ID on file"
            ),
        }
    }
}

/// Every rule the bill would break, or flag it would raise, if it were completed now,
/// in the order completing checks them: the first that blocks is the refusal
/// [`check_counter_rules`] gives for the same bill and facts.
pub fn counter_findings(
    payable: Paise,
    payments: &[Payment],
    facts: &CounterFacts,
) -> Vec<CounterFinding> {
    let tally = Tally::of(payable, payments);
    let mut found = Vec::new();
    if let Some(CounterRule::NonCashOverpaid { non_cash, payable }) = tally.overpaid {
        found.push(CounterFinding::NonCashOverpaid { non_cash, payable });
    }
    if let Some(CounterRule::PaymentsDoNotAddUp { paid, total }) =
        short_payment(tally.paid, payable)
    {
        found.push(CounterFinding::PaymentsShort {
            paid,
            payable: total,
        });
    }
    if let Some(CounterRule::CashLimit { today, over, .. }) =
        cash_limit(facts.cash_earlier_today, tally.cash_kept)
    {
        let room = (CASH_LIMIT_PER_DAY.get() - 1).saturating_sub(facts.cash_earlier_today.get());
        found.push(CounterFinding::CashLimit {
            today,
            over,
            cash_room: Paise::new(room.max(0)),
        });
    }
    if pan_rule(payable, facts.has_pan_or_form60).is_some() {
        found.push(CounterFinding::PanRequired);
    }
    let cash_this_year = add(facts.cash_earlier_this_year, tally.cash_kept);
    if needs_kyc_report(cash_this_year) {
        found.push(CounterFinding::KycReport { cash_this_year });
    }
    found
}

/// Whether the customer's cash purchases this financial year (this sale included) are to
/// be reported for KYC. It flags; it does not refuse.
pub fn needs_kyc_report(cash_this_year: Paise) -> bool {
    cash_this_year >= KYC_CASH_THRESHOLD
}

#[cfg(test)]
#[path = "billing_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "counter_findings_tests.rs"]
mod findings_tests;
