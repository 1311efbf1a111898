//! The opening report's summary lines, written once for the page, the PDF and the
//! Excel file: each line's name, what it holds and how it is read from a span's figures.

use crate::app::figures::PeriodFigures;
use crate::domain::{Milligrams, Paise};

/// What a summary line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Money,
    Count,
    Weight,
}

/// One line of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryLine {
    Sales,
    Taxable,
    Gst,
    Bills,
    Pieces,
    GramsSold,
    AverageBill,
    Cash,
    OldGoldWeight,
    OldGoldValue,
    Returns,
    Refunded,
    GramsBack,
    Cancelled,
    CancelledValue,
    NetSales,
    NewCustomers,
    BillsToNewCustomers,
    BillsToReturningCustomers,
    WalkIns,
}

impl SummaryLine {
    pub const ALL: [SummaryLine; 20] = [
        SummaryLine::Sales,
        SummaryLine::Taxable,
        SummaryLine::Gst,
        SummaryLine::Bills,
        SummaryLine::Pieces,
        SummaryLine::GramsSold,
        SummaryLine::AverageBill,
        SummaryLine::Cash,
        SummaryLine::OldGoldWeight,
        SummaryLine::OldGoldValue,
        SummaryLine::Returns,
        SummaryLine::Refunded,
        SummaryLine::GramsBack,
        SummaryLine::Cancelled,
        SummaryLine::CancelledValue,
        SummaryLine::NetSales,
        SummaryLine::NewCustomers,
        SummaryLine::BillsToNewCustomers,
        SummaryLine::BillsToReturningCustomers,
        SummaryLine::WalkIns,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SummaryLine::Sales => "Sales (with GST)",
            SummaryLine::Taxable => "Taxable value",
            SummaryLine::Gst => "GST",
            SummaryLine::Bills => "Bills",
            SummaryLine::Pieces => "Pieces sold",
            SummaryLine::GramsSold => "Grams sold (net)",
            SummaryLine::AverageBill => "Average bill",
            SummaryLine::Cash => "Cash in hand",
            SummaryLine::OldGoldWeight => "Old gold taken in",
            SummaryLine::OldGoldValue => "Old gold value",
            SummaryLine::Returns => "Returns",
            SummaryLine::Refunded => "Refunded",
            SummaryLine::GramsBack => "Grams back",
            SummaryLine::Cancelled => "Bills cancelled",
            SummaryLine::CancelledValue => "Cancelled value",
            SummaryLine::NetSales => "Sales less refunds",
            SummaryLine::NewCustomers => "New customers",
            SummaryLine::BillsToNewCustomers => "Bills to new customers",
            SummaryLine::BillsToReturningCustomers => "Bills to returning customers",
            SummaryLine::WalkIns => "Walk-ins",
        }
    }

    pub fn kind(self) -> LineKind {
        match self {
            SummaryLine::Sales
            | SummaryLine::Taxable
            | SummaryLine::Gst
            | SummaryLine::AverageBill
            | SummaryLine::Cash
            | SummaryLine::OldGoldValue
            | SummaryLine::Refunded
            | SummaryLine::CancelledValue
            | SummaryLine::NetSales => LineKind::Money,
            SummaryLine::GramsSold | SummaryLine::OldGoldWeight | SummaryLine::GramsBack => {
                LineKind::Weight
            }
            SummaryLine::Bills
            | SummaryLine::Pieces
            | SummaryLine::Returns
            | SummaryLine::Cancelled
            | SummaryLine::NewCustomers
            | SummaryLine::BillsToNewCustomers
            | SummaryLine::BillsToReturningCustomers
            | SummaryLine::WalkIns => LineKind::Count,
        }
    }

    /// The line's value in its unit: paise, milligrams or a count.
    pub fn value(self, f: &PeriodFigures) -> i64 {
        let b = &f.bills;
        match self {
            SummaryLine::Sales => b.payable.get(),
            SummaryLine::Taxable => b.taxable.get(),
            SummaryLine::Gst => b.gst().get(),
            SummaryLine::Bills => b.bills,
            SummaryLine::Pieces => b.pieces,
            SummaryLine::GramsSold => f
                .by_purity
                .iter()
                .fold(0_i64, |sum, (_, p)| sum.saturating_add(p.net.get())),
            SummaryLine::AverageBill => b.average_bill().get(),
            SummaryLine::Cash => f.cash().get(),
            SummaryLine::OldGoldWeight => f
                .old_gold
                .iter()
                .fold(0_i64, |sum, (_, g)| sum.saturating_add(g.weight.get())),
            SummaryLine::OldGoldValue => f
                .old_gold
                .iter()
                .fold(0_i64, |sum, (_, g)| sum.saturating_add(g.value.get())),
            SummaryLine::Returns => f.refunds.returns,
            SummaryLine::Refunded => f.refunds.amount.get(),
            SummaryLine::GramsBack => f.refunds.net.get(),
            SummaryLine::Cancelled => f.cancelled_bills,
            SummaryLine::CancelledValue => f.cancelled_value.get(),
            SummaryLine::NetSales => f.net_sales().get(),
            SummaryLine::NewCustomers => f.new_customers,
            SummaryLine::BillsToNewCustomers => b.to_new_customers,
            SummaryLine::BillsToReturningCustomers => b.bills.saturating_sub(b.to_new_customers),
            SummaryLine::WalkIns => f.interactions_of(crate::domain::InteractionType::WalkIn),
        }
    }

    /// The value as people read it: `₹1,23,456.00`, `12.345 g` or `7`.
    pub fn text(self, f: &PeriodFigures) -> String {
        let value = self.value(f);
        match self.kind() {
            LineKind::Money => Paise::new(value).to_string(),
            LineKind::Weight => Milligrams::total(value).to_string(),
            LineKind::Count => crate::domain::group_indian(value.unsigned_abs()),
        }
    }
}
