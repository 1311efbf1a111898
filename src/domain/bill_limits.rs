//! How large a bill may be: the most pieces on a line, and sums of a line, a bill or
//! its payments refused at [`Paise::LIMIT`] (₹1,000 crore) with a message saying so,
//! instead of saturating into a bill no page can add up.

use super::{InvalidValue, Paise, Payment};

/// The most pieces of one design a bill line may carry: more than a counter sells at
/// once, so a larger number is a slip of the keyboard.
pub const MAX_QUANTITY: u32 = 1_000;

/// `a + b`, refused at [`Paise::LIMIT`] or beyond: no bill, line or payment comes near it.
pub(super) fn add_within_limit(a: Paise, b: Paise, what: &str) -> Result<Paise, InvalidValue> {
    a.checked_add(b)
        .filter(|sum| *sum < Paise::LIMIT)
        .ok_or_else(|| too_large(what))
}

/// `amount × quantity`, refused at [`Paise::LIMIT`] or beyond.
pub(super) fn times(amount: Paise, quantity: u32, what: &str) -> Result<Paise, InvalidValue> {
    amount
        .get()
        .checked_mul(i64::from(quantity))
        .map(Paise::new)
        .filter(|product| *product < Paise::LIMIT)
        .ok_or_else(|| too_large(what))
}

fn too_large(what: &str) -> InvalidValue {
    InvalidValue::new(format!(
        "{what} would come to ₹1,000 crore or more, far beyond any bill; check the quantity and the amounts"
    ))
}

/// What `payments` add up to, refused at [`Paise::LIMIT`] or beyond.
pub fn payments_total(payments: &[Payment]) -> Result<Paise, InvalidValue> {
    payments.iter().try_fold(Paise::ZERO, |sum, p| {
        add_within_limit(sum, p.amount, "the payments")
    })
}
