//! Reading a list's filters as typed into a query string: a blank value is no filter,
//! days are written `2026-04-01`, and a range of days runs forward. Shared by the
//! sales register and the audit trail, so both say the same about the same mistake.

use jiff::civil::Date;

use crate::domain::FieldErrors;

/// The value, trimmed, or `None` when it is missing or blank.
pub(super) fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The `from` and `to` days, each noted in `errors` when it is not a day, and `to`
/// when it comes before `from`.
pub(super) fn day_range(
    errors: &mut FieldErrors,
    from: &Option<String>,
    to: &Option<String>,
) -> (Option<Date>, Option<Date>) {
    let mut day = |name: &str, text: &Option<String>| {
        given(text).and_then(|t| match t.parse::<Date>() {
            Ok(day) => Some(day),
            Err(_) => {
                errors.add(name, format!("'{t}' is not a date; write it as 2026-04-01"));
                None
            }
        })
    };
    let (from, to) = (day("from", from), day("to", to));
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add("to", "is before 'from'; the last day comes after the first");
    }
    (from, to)
}
