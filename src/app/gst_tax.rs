//! The pieces of the GST summary (`gst_summary`): the month it is for, a taxable value
//! with its three taxes, and the rows of its B2C, HSN and credit-note tables.

use jiff::civil::Date;

use super::Error;
use crate::domain::gst_states::StateCode;
use crate::domain::{BasisPoints, FieldErrors, Milligrams, Paise, SaleId};

/// A calendar month, as the GST return is filed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GstMonth {
    first: Date,
}

impl GstMonth {
    /// Reads `YYYY-MM` (surrounding blanks allowed); anything else is a 400 naming
    /// `month`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let refuse = || {
            let mut errors = FieldErrors::new();
            errors.add(
                "month",
                format!(
                    "'{}' is not a month; write it as YYYY-MM, e.g. 2026-11",
                    text.trim().chars().take(20).collect::<String>()
                ),
            );
            Error::BadQuery(errors)
        };
        let text = text.trim();
        let (year, month) = text.split_once('-').ok_or_else(refuse)?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(refuse());
        }
        let year: i16 = year.parse().map_err(|_| refuse())?;
        let month: i8 = month.parse().map_err(|_| refuse())?;
        // Bills are dated after 1970, the earliest day the stores' day numbers write.
        if year < 1970 {
            return Err(refuse());
        }
        let first = Date::new(year, month, 1).map_err(|_| refuse())?;
        Ok(Self { first })
    }

    /// The month asked for, or the one before `today`'s when none is given (or it is
    /// blank).
    pub fn asked(text: Option<&str>, today: Date) -> Result<Self, Error> {
        match text.filter(|m| !m.trim().is_empty()) {
            Some(text) => Self::parse(text),
            None => Ok(Self::before(today)),
        }
    }

    /// The month before the one `today` falls in: what the accountant files next.
    pub fn before(today: Date) -> Self {
        let first = today.first_of_month();
        Self {
            first: first
                .yesterday()
                .map_or(first, |last_of_previous| last_of_previous.first_of_month()),
        }
    }

    /// The first and last day (inclusive).
    pub fn span(self) -> (Date, Date) {
        (self.first, self.first.last_of_month())
    }

    pub fn first_day(self) -> Date {
        self.first
    }

    /// The month before and after, for the page's arrows.
    pub fn previous(self) -> Self {
        Self::before(self.first)
    }

    pub fn next(self) -> Self {
        self.first
            .last_of_month()
            .tomorrow()
            .map_or(self, |first| Self { first })
    }

    /// `2026-11`, as the query string and file names write it.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.first.year(), self.first.month())
    }

    /// `November 2026`, as the page heads it.
    pub fn label(self) -> String {
        self.first.strftime("%B %Y").to_string()
    }
}

/// A taxable value and the GST charged on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaxSums {
    pub taxable: Paise,
    pub cgst: Paise,
    pub sgst: Paise,
    pub igst: Paise,
}

impl TaxSums {
    pub fn new(taxable: Paise, cgst: Paise, sgst: Paise, igst: Paise) -> Self {
        Self {
            taxable,
            cgst,
            sgst,
            igst,
        }
    }

    /// CGST, SGST and IGST together.
    pub fn gst(&self) -> Paise {
        Paise::new(
            self.cgst
                .get()
                .saturating_add(self.sgst.get())
                .saturating_add(self.igst.get()),
        )
    }

    /// The taxable value and its taxes together.
    pub fn total(&self) -> Paise {
        Paise::new(self.taxable.get().saturating_add(self.gst().get()))
    }

    pub fn plus(self, other: Self) -> Option<Self> {
        Some(Self {
            taxable: self.taxable.checked_add(other.taxable)?,
            cgst: self.cgst.checked_add(other.cgst)?,
            sgst: self.sgst.checked_add(other.sgst)?,
            igst: self.igst.checked_add(other.igst)?,
        })
    }

    pub fn minus(self, other: Self) -> Option<Self> {
        Some(Self {
            taxable: self.taxable.checked_sub(other.taxable)?,
            cgst: self.cgst.checked_sub(other.cgst)?,
            sgst: self.sgst.checked_sub(other.sgst)?,
            igst: self.igst.checked_sub(other.igst)?,
        })
    }

    /// The sum of `all`, checked.
    pub fn sum(all: impl IntoIterator<Item = Self>) -> Option<Self> {
        all.into_iter()
            .try_fold(Self::default(), |sum, each| sum.plus(each))
    }
}

/// GST on articles of jewellery: 3% (CGST 1.5% + SGST 1.5%, or IGST 3%).
pub const JEWELLERY_RATE: BasisPoints = crate::domain::pricing::GST_RATE;

/// One place of supply in the B2C summary: what was sold there in the month and what
/// came back (returns dated in the month, of bills of any month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceRow {
    /// `None` for bills of an old version the migration could not place.
    pub place: Option<StateCode>,
    /// Supplied in another state than the store's (IGST).
    pub inter_state: bool,
    pub sold: TaxSums,
    pub returned: TaxSums,
}

impl PlaceRow {
    /// Sold less returned: what the return reports for this place.
    pub fn net(&self) -> TaxSums {
        self.sold.minus(self.returned).unwrap_or_default()
    }
}

/// One HSN code in the HSN summary, its quantity in grams (UQC `GMS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HsnRow {
    pub hsn: &'static str,
    pub description: &'static str,
    /// Net weight sold less net weight returned.
    pub net_weight: Milligrams,
    pub tax: TaxSums,
}

impl HsnRow {
    /// The unit GST's HSN summary counts jewellery in.
    pub const UQC: &'static str = "GMS";
}

/// A return made in the month: a credit note against the bill it came from, whose
/// taxable value and taxes are paid back (the register shows them negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRow {
    pub sale_id: SaleId,
    /// The original invoice's number and day.
    pub invoice_no: String,
    pub invoiced_on: Date,
    /// The day of the return.
    pub date: Date,
    pub customer: String,
    pub place_of_supply: Option<StateCode>,
    /// The return's share of the bill's taxable value and taxes, as paid back.
    pub tax: TaxSums,
    /// Paid back, GST and round-off included.
    pub amount: Paise,
    pub pieces: i64,
    pub net_weight: Milligrams,
}

impl ReturnRow {
    /// The part of the amount paid back that is the bill's round-off.
    pub fn round_off(&self) -> Paise {
        Paise::new(self.amount.get().saturating_sub(self.tax.total().get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_month_is_read_from_year_and_month_alone() {
        let month = GstMonth::parse(" 2026-11 ").unwrap();
        assert_eq!(month.span(), (date(2026, 11, 1), date(2026, 11, 30)));
        assert_eq!(month.code(), "2026-11");
        assert_eq!(month.label(), "November 2026");
        assert_eq!(
            GstMonth::parse("2028-02").unwrap().span().1,
            date(2028, 2, 29)
        );
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-00",
            "26-11",
            "2026-1",
            "2026/11",
            "२०२६-११",
            "1969-12",
            "2026-11-01",
        ] {
            assert!(
                matches!(GstMonth::parse(bad), Err(Error::BadQuery(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_month_to_file_is_the_one_before() {
        assert_eq!(GstMonth::before(date(2026, 12, 7)).code(), "2026-11");
        assert_eq!(GstMonth::before(date(2027, 1, 1)).code(), "2026-12");
        let march = GstMonth::parse("2027-03").unwrap();
        assert_eq!(march.previous().code(), "2027-02");
        assert_eq!(march.next().code(), "2027-04");
    }

    #[test]
    fn sums_add_and_take_away_checked() {
        let a = TaxSums::new(
            Paise::new(100_00),
            Paise::new(150),
            Paise::new(150),
            Paise::ZERO,
        );
        let b = TaxSums::new(Paise::new(40_00), Paise::ZERO, Paise::ZERO, Paise::new(120));
        let sum = TaxSums::sum([a, b]).unwrap();
        assert_eq!(sum.total(), Paise::new(140_00 + 420));
        assert_eq!(sum.minus(b), Some(a));
        let huge = TaxSums::new(Paise::new(i64::MAX), Paise::ZERO, Paise::ZERO, Paise::ZERO);
        assert_eq!(huge.plus(a), None);
    }
}
