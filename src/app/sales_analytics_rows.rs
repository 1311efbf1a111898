//! The rows of the sales analytics: what a group stands for, what it adds up to, and
//! which of those figures (the [`Measure`]s) a grouping fills in, in the order pages,
//! exports and the API show them.

use jiff::civil::Date;

use super::sales_analytics_query::Source;
use crate::domain::{CategoryId, FloorId, Milligrams, Paise, PaymentMethod, Purity, UserId};

/// What one group stands for: a span of days, or one floor, person, category, purity
/// or payment mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// A day, week, month or financial year, cut to the span asked for.
    Period {
        from: Date,
        to: Date,
    },
    Floor(FloorId),
    Staff(UserId),
    /// `None`: pieces sold without a category.
    Category(Option<CategoryId>),
    Purity(Purity),
    Payment(PaymentMethod),
}

/// What a group adds up to. Which of these a grouping fills in is its [`Source`]'s
/// business; the rest stay zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupFigures {
    pub bills: i64,
    pub pieces: i64,
    /// Net weight of the pieces sold.
    pub net: Milligrams,
    pub taxable: Paise,
    /// CGST, SGST and IGST together.
    pub gst: Paise,
    pub payable: Paise,
    /// Paid back by returns dated in the group.
    pub refunds: Paise,
    pub payments: i64,
    /// Money received; cash is what was kept after change.
    pub received: Paise,
}

impl GroupFigures {
    /// Sales less what was paid back.
    pub fn net_sales(&self) -> Paise {
        Paise::new(self.payable.get().saturating_sub(self.refunds.get()))
    }

    /// The amount payable per bill, rounded half up; zero without bills.
    pub fn average_bill(&self) -> Paise {
        super::figures::average_bill(self.payable, self.bills)
    }

    /// The amount a group's share is a share of.
    pub fn main_amount(&self, source: Source) -> i64 {
        match source {
            Source::Bills => self.net_sales().get(),
            Source::Purity | Source::Category => self.taxable.get(),
            Source::Payments => self.received.get(),
        }
    }

    pub(super) fn add(&mut self, other: &GroupFigures) -> Option<()> {
        let money = |a: Paise, b: Paise| a.get().checked_add(b.get()).map(Paise::new);
        self.bills = self.bills.checked_add(other.bills)?;
        self.pieces = self.pieces.checked_add(other.pieces)?;
        self.net = Milligrams::total(self.net.get().checked_add(other.net.get())?);
        self.taxable = money(self.taxable, other.taxable)?;
        self.gst = money(self.gst, other.gst)?;
        self.payable = money(self.payable, other.payable)?;
        self.refunds = money(self.refunds, other.refunds)?;
        self.payments = self.payments.checked_add(other.payments)?;
        self.received = money(self.received, other.received)?;
        Some(())
    }
}

/// One group's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub group: Group,
    /// How people name it: `Apr 2026`, `Ground floor`, `22K gold`.
    pub label: String,
    pub figures: GroupFigures,
    /// Its part of the total's main amount, in basis points; `None` when the total
    /// is not above zero.
    pub share_bp: Option<i64>,
}

/// `part` of `whole` in basis points, rounded half up; `None` unless `whole` > 0.
pub fn share_bp(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| {
        let exact = i128::from(part) * 20_000 + i128::from(whole);
        i64::try_from(exact.div_euclid(i128::from(whole) * 2)).unwrap_or(i64::MAX)
    })
}

/// One figure a grouping can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Bills,
    Pieces,
    Grams,
    Taxable,
    Gst,
    Payable,
    Refunds,
    NetSales,
    AverageBill,
    Payments,
    Received,
}

/// A figure's value, typed for display and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureValue {
    Count(i64),
    Money(Paise),
    Weight(Milligrams),
}

impl Measure {
    /// Its column heading.
    pub fn title(self) -> &'static str {
        match self {
            Measure::Bills => "Bills",
            Measure::Pieces => "Pieces",
            Measure::Grams => "Grams (net)",
            Measure::Taxable => "Taxable value",
            Measure::Gst => "GST",
            Measure::Payable => "Sales (payable)",
            Measure::Refunds => "Refunds",
            Measure::NetSales => "Net sales",
            Measure::AverageBill => "Average bill",
            Measure::Payments => "Payments",
            Measure::Received => "Received",
        }
    }

    pub fn value(self, figures: &GroupFigures) -> MeasureValue {
        use MeasureValue::{Count, Money, Weight};
        match self {
            Measure::Bills => Count(figures.bills),
            Measure::Pieces => Count(figures.pieces),
            Measure::Grams => Weight(figures.net),
            Measure::Taxable => Money(figures.taxable),
            Measure::Gst => Money(figures.gst),
            Measure::Payable => Money(figures.payable),
            Measure::Refunds => Money(figures.refunds),
            Measure::NetSales => Money(figures.net_sales()),
            Measure::AverageBill => Money(figures.average_bill()),
            Measure::Payments => Count(figures.payments),
            Measure::Received => Money(figures.received),
        }
    }
}

impl Source {
    /// The figures a grouping of this source shows, in order.
    pub fn measures(self) -> &'static [Measure] {
        match self {
            Source::Bills => &[
                Measure::Bills,
                Measure::Pieces,
                Measure::Grams,
                Measure::Taxable,
                Measure::Gst,
                Measure::Payable,
                Measure::Refunds,
                Measure::NetSales,
                Measure::AverageBill,
            ],
            Source::Purity | Source::Category => {
                &[Measure::Pieces, Measure::Grams, Measure::Taxable]
            }
            Source::Payments => &[Measure::Payments, Measure::Received],
        }
    }

    /// The figure each group's share is of, which the charts draw.
    pub fn main_measure(self) -> Measure {
        match self {
            Source::Bills => Measure::NetSales,
            Source::Purity | Source::Category => Measure::Taxable,
            Source::Payments => Measure::Received,
        }
    }

    /// `bills`, `purity`, `category` or `payments`, as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Bills => "bills",
            Source::Purity => "purity",
            Source::Category => "category",
            Source::Payments => "payments",
        }
    }
}
