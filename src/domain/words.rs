//! Amounts in words the Indian way, as a GST invoice states them:
//! "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy Paise Only";
//! and counts with their noun in the right number ("1 year", "2 years").

use super::Paise;

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

/// 0 to 99: "Seventy", "Twenty-Three".
fn two_digits(n: u64) -> String {
    match n {
        0..=19 => ONES[n as usize].to_owned(),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
        _ => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
    }
}

/// 1 to 999: "Four Hundred Fifty-Six".
fn three_digits(n: u64) -> String {
    match (n / 100, n % 100) {
        (0, rest) => two_digits(rest),
        (h, 0) => format!("{} Hundred", ONES[h as usize]),
        (h, rest) => format!("{} Hundred {}", ONES[h as usize], two_digits(rest)),
    }
}

/// A whole number in Indian units: crore, lakh, thousand, hundred.
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return "Zero".to_owned();
    }
    let mut parts = Vec::new();
    let crore = n / 1_00_00_000;
    if crore > 0 {
        parts.push(format!("{} Crore", number_in_words(crore)));
    }
    let rest = n % 1_00_00_000;
    for (unit, name) in [
        (rest / 1_00_000, "Lakh"),
        ((rest / 1_000) % 100, "Thousand"),
    ] {
        if unit > 0 {
            parts.push(format!("{} {name}", two_digits(unit)));
        }
    }
    if !rest.is_multiple_of(1_000) {
        parts.push(three_digits(rest % 1_000));
    }
    parts.join(" ")
}

/// "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy Paise Only".
pub fn amount_in_words(amount: Paise) -> String {
    let abs = amount.get().unsigned_abs();
    let (rupees, paise) = (abs / 100, abs % 100);
    let minus = if amount.get() < 0 { "Minus " } else { "" };
    if paise == 0 {
        format!("{minus}Rupees {} Only", number_in_words(rupees))
    } else {
        format!(
            "{minus}Rupees {} and {} Paise Only",
            number_in_words(rupees),
            two_digits(paise)
        )
    }
}

/// A count with its noun, singular for exactly one: `plural(1, "year", "years")` is
/// "1 year", `plural(0, "piece", "pieces")` is "0 pieces".
pub fn plural(count: impl Into<i64>, one: &str, many: &str) -> String {
    let count = count.into();
    if count == 1 || count == -1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_in_lakh_and_crore() {
        assert_eq!(
            amount_in_words(Paise::new(1_23_456_70)),
            "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy Paise Only"
        );
        assert_eq!(
            amount_in_words(Paise::new(2_00_000_00)),
            "Rupees Two Lakh Only"
        );
        assert_eq!(
            amount_in_words(Paise::new(12_05_00_011_05)),
            "Rupees Twelve Crore Five Lakh Eleven and Five Paise Only"
        );
        assert_eq!(
            amount_in_words(Paise::new(99)),
            "Rupees Zero and Ninety-Nine Paise Only"
        );
        assert_eq!(number_in_words(100), "One Hundred");
        assert_eq!(number_in_words(1_000), "One Thousand");
        assert_eq!(number_in_words(90_017), "Ninety Thousand Seventeen");
    }

    #[test]
    fn a_count_of_one_takes_the_singular() {
        assert_eq!(plural(1, "year", "years"), "1 year");
        assert_eq!(plural(2i16, "year", "years"), "2 years");
        assert_eq!(plural(0u32, "piece", "pieces"), "0 pieces");
        assert_eq!(plural(25u8, "customer", "customers"), "25 customers");
    }
}
