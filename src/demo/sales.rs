//! Demo sales: priced at the day's rate, with GST, split payments, old-gold exchange,
//! and cash kept under the s.269ST limit per customer per day.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use rand::RngExt;
use rand::rngs::StdRng;

use super::calendar::rate_per_gram;
use super::clock::Clock;
use super::people::Made;
use crate::domain::billing;
use crate::domain::gst_states::StateCode;
use crate::domain::pricing::Supply;
use crate::domain::{
    BasisPoints, FloorId, Gstin, Metal, Milligrams, Paise, Payment, PaymentMethod, Product, Purity,
    Refund, RoundOff, Sale, SaleId, SaleLine, SaleStatus, SellerGst, StoreId, Text, UserId,
};

/// Cash from one customer on one day must stay below ₹2,00,000 (s.269ST).
const CASH_LIMIT: Paise = Paise::from_rupees(2_00_000);

/// Cash already taken per (customer, day), so two purchases on one day stay legal.
#[derive(Debug, Default)]
pub struct CashLedger(HashMap<(u128, Date), Paise>);

/// A line priced exactly as the counter prices it (`billing::price_line`), with a
/// festive offer knocking 10–30% off the making charge on some lines.
fn line(rng: &mut StdRng, product: &Product, day: Date) -> SaleLine {
    let rate = Some(rate_per_gram(product.purity, day));
    let quantity = if product.stock_qty > 5 && rng.random_bool(0.2) {
        2
    } else {
        1
    };
    // The demo always has a rate and a quantity, and takes less than the making charge
    // off, which is all `price_line` can refuse.
    let priced = |discount| {
        billing::price_line(product, quantity, rate, discount)
            .expect("a demo line has a rate and a discount within its value")
    };
    let full = priced(Paise::ZERO);
    if !rng.random_bool(0.2) {
        return full;
    }
    let off = BasisPoints::new(rng.random_range(10..=30) * 100).unwrap_or_default();
    priced(full.making_amount.percent(off))
}

fn old_gold(rng: &mut StdRng, day: Date, limit: Paise) -> Option<Payment> {
    let purity = Purity::parse(
        Metal::Gold,
        if rng.random_bool(0.7) { "22K" } else { "18K" },
    )
    .ok()?;
    let weight = Milligrams::new(rng.random_range(4_000..30_000)).ok()?;
    let deduction = BasisPoints::new(rng.random_range(2..=8) * 100).ok()?;
    let valued = billing::value_old_gold(weight, purity, rate_per_gram(purity, day), deduction);
    (valued.value < limit && valued.value.get() > 0).then(|| Payment {
        method: PaymentMethod::OldGold,
        amount: valued.value,
        reference: Text::default(),
        old_gold: Some(valued),
    })
}

fn reference(rng: &mut StdRng, method: PaymentMethod) -> Text<100> {
    let text = match method {
        PaymentMethod::Upi => format!(
            "UPI {}",
            rng.random_range(100_000_000_000u64..999_999_999_999)
        ),
        PaymentMethod::Card => format!("Card slip {}", rng.random_range(100_000..999_999)),
        PaymentMethod::BankTransfer => format!(
            "UTR SBIN{}",
            rng.random_range(10_000_000_000u64..99_999_999_999)
        ),
        _ => String::new(),
    };
    Text::parse(&text).unwrap_or_default()
}

/// Splits `due` across old gold, cash (within the day's limit) and electronic payments.
fn payments(
    rng: &mut StdRng,
    due: Paise,
    gold_bill: bool,
    day: Date,
    customer: u128,
    ledger: &mut CashLedger,
) -> Vec<Payment> {
    let mut out = Vec::new();
    let mut left = due;
    if gold_bill
        && rng.random_bool(0.22)
        && let Some(exchange) = old_gold(rng, day, Paise::new(due.get() * 6 / 10))
    {
        left = Paise::new(left.get() - exchange.amount.get());
        out.push(exchange);
    }
    let cash_taken = ledger.0.entry((customer, day)).or_default();
    let cash_room = Paise::new(CASH_LIMIT.get() - 100 - cash_taken.get());
    if rng.random_bool(0.55) && cash_room.get() > 0 && left.get() > 0 {
        let wanted = if left.get() < 50_000_00 {
            left.get()
        } else {
            rng.random_range(10_000_00..=left.get().min(1_90_000_00))
        };
        let cash = Paise::new(wanted.min(cash_room.get()).min(left.get()));
        *cash_taken = Paise::new(cash_taken.get() + cash.get());
        left = Paise::new(left.get() - cash.get());
        out.push(Payment {
            method: PaymentMethod::Cash,
            amount: cash,
            reference: Text::default(),
            old_gold: None,
        });
    }
    if left.get() > 0 {
        let method = match (left.get(), rng.random_range(0..10)) {
            (l, 0..=5) if l <= 1_00_000_00 => PaymentMethod::Upi,
            (_, 0..=6) => PaymentMethod::Card,
            _ => PaymentMethod::BankTransfer,
        };
        out.push(Payment {
            method,
            amount: left,
            reference: reference(rng, method),
            old_gold: None,
        });
    }
    out
}

/// What a demo sale needs from its surroundings.
#[derive(Debug)]
pub struct SaleContext<'a> {
    pub store: StoreId,
    /// The demo store's GSTIN: it is registered, so its bills charge GST.
    pub gstin: Gstin,
    pub products: &'a [Product],
    /// Indexes into `products` by floor, and who sells on each floor.
    pub by_floor: HashMap<FloorId, (Vec<usize>, UserId)>,
    pub clock: &'a Clock,
}

/// Makes one sale at `at` (on `day`, the store's date) for `customer`; the invoice
/// number is filled in by the caller, in date order.
pub fn sale(
    rng: &mut StdRng,
    ctx: &SaleContext<'_>,
    customer: Made,
    at: Timestamp,
    day: Date,
    ledger: &mut CashLedger,
) -> Sale {
    let first = &ctx.products[rng.random_range(0..ctx.products.len())];
    let mut lines = vec![line(rng, first, day)];
    let mut line_categories = vec![first.category_id];
    let extra = match rng.random_range(0..100) {
        0..=64 => 0,
        65..=89 => 1,
        _ => 2,
    };
    for _ in 0..extra {
        // Second pieces tend to come from the same floor.
        let pick = match ctx.by_floor.get(&first.floor_id) {
            Some((indexes, _)) if !indexes.is_empty() => {
                &ctx.products[indexes[rng.random_range(0..indexes.len())]]
            }
            _ => first,
        };
        lines.push(line(rng, pick, day));
        line_categories.push(pick.category_id);
    }
    let lines_total: i64 = lines.iter().map(|l| l.taxable_value.get()).sum();
    let bill_discount =
        Paise::new((lines_total % 100_00).min(500_00) * i64::from(rng.random_bool(0.3)));
    let supply = if customer.out_of_state {
        Supply::InterState
    } else {
        Supply::IntraState
    };
    let totals = billing::bill_totals(&lines, bill_discount, supply)
        .expect("the demo's bill discount is below the lines' total, and its bills are small");
    let (taxable, tax, total) = (totals.taxable, totals.gst, totals.total);
    // The demo store keeps the default setting: bills are paid to the nearest rupee.
    let rounded = RoundOff::NearestRupee
        .apply(total)
        .expect("the demo's bills are far below the largest amount in paise");
    let days_ago: i64 = (ctx.clock.today - day).get_days().into();
    let status = match rng.random_range(0..100) {
        _ if days_ago <= 2 && rng.random_bool(0.3) => SaleStatus::Pending,
        0..=2 => SaleStatus::Cancelled,
        3..=5 => SaleStatus::Refunded,
        _ => SaleStatus::Completed,
    };
    let gold_bill = lines.iter().any(|l| l.metal == Metal::Gold);
    let payments = if matches!(status, SaleStatus::Completed | SaleStatus::Refunded) {
        payments(
            rng,
            rounded.payable,
            gold_bill,
            day,
            customer.id.as_u128(),
            ledger,
        )
    } else {
        Vec::new()
    };
    let staff_id = ctx
        .by_floor
        .get(&first.floor_id)
        .map(|(_, staff)| *staff)
        .unwrap_or_default();
    // A refunded demo bill came back whole within a week (never after yesterday).
    let refunds = if status == SaleStatus::Refunded {
        const REASONS: &[&str] = &[
            "Returned by the customer",
            "Size did not fit; customer chose a refund",
            "Family preferred another design",
            "Stone setting loose; returned",
        ];
        vec![Refund {
            lines: (0u32..).zip(lines.iter().map(|l| l.quantity)).collect(),
            amount: rounded.payable,
            reason: Text::parse(REASONS[rng.random_range(0..REASONS.len())]).unwrap_or_default(),
            staff_id,
            at: ctx.clock.later_moment(rng, at, 7),
        }]
    } else {
        Vec::new()
    };
    let updated_at = refunds.last().map_or(at, |r| r.at);
    Sale {
        id: SaleId::created_at(at),
        store_id: ctx.store,
        floor_id: first.floor_id,
        customer_id: customer.id,
        status,
        invoice_no: None,
        lines,
        bill_discount,
        taxable_value: taxable,
        cgst: tax.cgst,
        sgst: tax.sgst,
        igst: tax.igst,
        total,
        payments,
        staff_id,
        notes: Text::default(),
        created_at: at,
        completed_at: matches!(status, SaleStatus::Completed | SaleStatus::Refunded).then_some(at),
        updated_at,
        refunds,
        form60: None,
        round_off: rounded.round_off,
        change_given: Paise::ZERO,
        seller_gst: SellerGst::Registered(ctx.gstin.clone()),
        corrections: Vec::new(),
        line_categories,
        place_of_supply: customer.state.or_else(|| StateCode::of("West Bengal")),
    }
}
