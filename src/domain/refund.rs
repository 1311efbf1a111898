//! Taking pieces back from a completed sale: which lines and how many may come back,
//! and what each return pays back, its share of the bill discount and GST included.
//!
//! Pure arithmetic on what the sale recorded; `app` loads the sale, asks here, and
//! stores the return and the restocked pieces in one transaction.

use super::pricing::{Supply, gst};
use super::{FieldErrors, Paise, Sale};

/// One line of the bill as sold: how many pieces, and their taxable value after the
/// line's own discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoldLine {
    pub quantity: u32,
    pub taxable_value: Paise,
}

/// What a return is worked out from: the completed bill and the returns so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundBasis {
    pub lines: Vec<SoldLine>,
    pub bill_discount: Paise,
    pub supply: Supply,
    /// What the customer paid and the store kept: the bill's total with its round-off
    /// (the amount payable). Partial returns pay back their share of the exact total;
    /// the return that brings back the last pieces pays back the rest of this, so a
    /// full refund returns the amount payable to the paisa, round-off included.
    pub total: Paise,
    /// Pieces of each line already taken back.
    pub returned: Vec<u32>,
    /// Money already paid back, GST included.
    pub paid_back: Paise,
}

impl RefundBasis {
    /// The basis of a stored sale. The sale's figures were checked when it was priced,
    /// so sums that would not fit are capped rather than trusted to wrap.
    pub fn of(sale: &Sale) -> Self {
        let mut returned = vec![0u32; sale.lines.len()];
        for refund in &sale.refunds {
            for (line, quantity) in &refund.lines {
                if let Some(n) = returned.get_mut(*line as usize) {
                    *n = n.saturating_add(*quantity);
                }
            }
        }
        let paid_back = sale
            .refunds
            .iter()
            .fold(0i64, |sum, r| sum.saturating_add(r.amount.get()));
        Self {
            lines: sale
                .lines
                .iter()
                .map(|l| SoldLine {
                    quantity: l.quantity,
                    taxable_value: l.taxable_value,
                })
                .collect(),
            bill_discount: sale.bill_discount,
            // A bill of supply charged no GST, so its returns pay none back; a tax
            // invoice charged IGST only when the customer was in another state.
            supply: if !sale.seller_gst.charges_gst() {
                Supply::ByUnregisteredSeller
            } else if sale.igst.get() > 0 {
                Supply::InterState
            } else {
                Supply::IntraState
            },
            total: sale.payable(),
            returned,
            paid_back: Paise::new(paid_back),
        }
    }
}

/// A return that may be made: the `(line, quantity)` pairs as they were named, what it
/// pays back, and whether it brings back the last pieces of the bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPlan {
    pub lines: Vec<(u32, u32)>,
    pub amount: Paise,
    pub all_back: bool,
}

/// `amount × part / whole`, rounded half away from zero, as the bill itself rounds.
fn share(amount: Paise, part: i64, whole: i64) -> Option<Paise> {
    if whole == 0 {
        return Some(Paise::ZERO);
    }
    let exact = i128::from(amount.get()).checked_mul(i128::from(part))?;
    let whole = i128::from(whole);
    let rounded = exact
        .checked_mul(2)?
        .checked_add(whole)?
        .checked_div(whole.checked_mul(2)?)?;
    i64::try_from(rounded).ok().map(Paise::new)
}

fn too_large() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(
        "lines",
        "the bill's amounts are too large to work a return out; ask the technician to check this sale",
    );
    errors
}

/// Works out a return of `wanted` (`(line, quantity)` pairs; `None` for every piece not
/// yet back). Each field error names the pair at fault, and a line named twice counts
/// both times, so it cannot bring back more pieces than were sold. The return that
/// brings back the last pieces pays back exactly what is left, so rounding never drifts.
pub fn plan_refund(
    basis: &RefundBasis,
    wanted: Option<&[(u32, u32)]>,
) -> Result<RefundPlan, FieldErrors> {
    let left = |i: usize| {
        basis.lines[i]
            .quantity
            .saturating_sub(basis.returned.get(i).copied().unwrap_or(0))
    };
    let wanted: Vec<(u32, u32)> = match wanted {
        Some(lines) => lines.to_vec(),
        None => (0..basis.lines.len())
            .filter(|i| left(*i) > 0)
            .filter_map(|i| Some((u32::try_from(i).ok()?, left(i))))
            .collect(),
    };
    let mut errors = FieldErrors::new();
    if wanted.is_empty() {
        errors.add("lines", "name at least one line to take back");
    }
    let mut taking: Vec<u32> = (0..basis.lines.len())
        .map(|i| basis.lines[i].quantity - left(i))
        .collect();
    for (i, (line, quantity)) in wanted.iter().enumerate() {
        let index = *line as usize;
        let Some(sold) = basis.lines.get(index) else {
            errors.add(
                format!("lines[{i}].line"),
                "there is no such line on the bill",
            );
            continue;
        };
        let still_out = sold.quantity.saturating_sub(taking[index]);
        if *quantity == 0 || *quantity > still_out {
            errors.add(
                format!("lines[{i}].quantity"),
                format!("can be 1 to {still_out} (the pieces not yet returned)"),
            );
        } else {
            taking[index] += quantity;
        }
    }
    errors.into_result()?;
    let all_back = basis
        .lines
        .iter()
        .zip(&taking)
        .all(|(l, n)| *n == l.quantity);
    let amount = if all_back {
        // What is left of the amount payable; never below nothing, should the shares
        // already paid back have come to more than a bill rounded down.
        basis
            .total
            .checked_sub(basis.paid_back)
            .map(|left| left.max(Paise::ZERO))
    } else {
        pro_rata(basis, &wanted)
    };
    let amount = amount.ok_or_else(too_large)?;
    Ok(RefundPlan {
        lines: wanted,
        amount,
        all_back,
    })
}

/// The pieces' share of their lines' taxable value, less their share of the bill
/// discount, plus GST on what remains.
fn pro_rata(basis: &RefundBasis, wanted: &[(u32, u32)]) -> Option<Paise> {
    let lines_total = basis
        .lines
        .iter()
        .try_fold(Paise::ZERO, |sum, l| sum.checked_add(l.taxable_value))?;
    let mut taxable = Paise::ZERO;
    for (line, quantity) in wanted {
        let sold = basis.lines.get(*line as usize)?;
        let value = share(
            sold.taxable_value,
            i64::from(*quantity),
            i64::from(sold.quantity),
        )?;
        let discount = share(basis.bill_discount, value.get(), lines_total.get())?;
        taxable = taxable.checked_add(value.checked_sub(discount)?)?;
    }
    taxable.checked_add(checked_gst(taxable, basis.supply)?)
}

fn checked_gst(taxable: Paise, supply: Supply) -> Option<Paise> {
    // GST is 3% at most, so it cannot overflow where the taxable value fits; the split
    // is added up checked all the same.
    let split = gst(taxable, supply);
    split.cgst.checked_add(split.sgst)?.checked_add(split.igst)
}

#[cfg(test)]
#[path = "refund_tests.rs"]
mod tests;
