//! Fixed-point arithmetic for the forecast: factors in parts per million, sums in i128.
//!
//! The project keeps floats away from money, so every factor is an integer count of
//! millionths (1.0 = 1,000,000 ppm) and every product is taken in i128 before it is
//! divided back down, rounding half away from zero like invoice tax. A day's value
//! is at most ₹1,000 crore (10^13 paise) and a factor at most [`MAX_FACTOR`]
//! (5×10^7 ppm), so `paise × factor × factor` stays below 10^29, far inside i128;
//! results are clamped, not wrapped, when they return to i64.

use crate::domain::money::round_div;

/// One, in parts per million.
pub const PPM: i64 = 1_000_000;

/// No fitted factor goes above ×50 or below zero: a wild ratio from a nearly empty
/// month must not blow a forecast up.
pub const MAX_FACTOR: i64 = 50 * PPM;

/// `numerator / denominator` in ppm, rounded; `None` when the denominator is not
/// positive (nothing to compare with).
pub fn ratio_ppm(numerator: i128, denominator: i128) -> Option<i64> {
    if denominator <= 0 {
        return None;
    }
    Some(clamp_i64(round_div(
        numerator.saturating_mul(i128::from(PPM)),
        denominator,
    )))
}

/// `value × factor / 1,000,000`, rounded.
pub fn scale(value: i128, factor_ppm: i64) -> i128 {
    round_div(
        value.saturating_mul(i128::from(factor_ppm)),
        i128::from(PPM),
    )
}

/// A factor kept between zero and [`MAX_FACTOR`].
pub fn clamp_factor(factor_ppm: i64) -> i64 {
    factor_ppm.clamp(0, MAX_FACTOR)
}

/// An i128 brought back to i64, saturating at the ends.
pub fn clamp_i64(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// Moves a factor measured from a single occurrence two-thirds of the way from 1.0
/// to what was measured: one year can be a fluke (a family wedding, a rate crash),
/// so an effect seen once is trusted less than one seen every year.
pub fn shrink_single(factor_ppm: i64, occurrences: usize) -> i64 {
    if occurrences >= 2 {
        return factor_ppm;
    }
    PPM + clamp_i64(round_div(i128::from(factor_ppm - PPM) * 2, 3))
}

/// The `share_bp` quantile (in basis points, 1,000 = 10%) of `sorted`, by nearest
/// rank: the smallest value with at least that share of values at or below it.
pub fn quantile(sorted: &[i64], share_bp: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (share_bp * sorted.len()).div_ceil(10_000).max(1);
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_scaling_round_to_the_nearest() {
        assert_eq!(ratio_ppm(1, 3), Some(333_333));
        assert_eq!(ratio_ppm(2, 3), Some(666_667));
        assert_eq!(ratio_ppm(5, 0), None);
        assert_eq!(scale(1_000, 1_500_000), 1_500);
        assert_eq!(scale(-1_000, 1_500_000), -1_500);
        assert_eq!(scale(3, 500_000), 2);
    }

    #[test]
    fn a_single_occurrence_is_shrunk_towards_one() {
        assert_eq!(shrink_single(4 * PPM, 1), 3 * PPM);
        assert_eq!(shrink_single(PPM / 4, 1), PPM / 2);
        assert_eq!(shrink_single(4 * PPM, 2), 4 * PPM);
    }

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let values: Vec<i64> = (1..=10).collect();
        assert_eq!(quantile(&values, 1_000), Some(1));
        assert_eq!(quantile(&values, 9_000), Some(9));
        assert_eq!(quantile(&values, 10_000), Some(10));
        assert_eq!(quantile(&[7], 1_000), Some(7));
        assert_eq!(quantile(&[], 5_000), None);
    }
}
