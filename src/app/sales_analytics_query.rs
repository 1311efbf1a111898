//! What the sales analytics are asked for, as typed into a query string and as checked:
//! a span of days, how to group it, and the filters each grouping can honour. A filter
//! that the figures cannot apply to a grouping is refused by name, never ignored.

use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Error;
use super::query_text::{day_range, given};
use crate::domain::{CategoryId, FieldErrors, FloorId, Metal, PaymentMethod, Purity, UserId};

/// The longest span the analytics add up at once: three years and a leap day.
pub const MAX_SPAN_DAYS: i32 = 1_096;

/// How the rows of the analytics are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    Day,
    /// Weeks run Monday to Sunday.
    Week,
    #[default]
    Month,
    /// Financial years, 1 April to 31 March.
    FinancialYear,
    Floor,
    Staff,
    Category,
    /// Metal and purity together (22K gold, 925 silver).
    Metal,
    Payment,
}

impl GroupBy {
    pub const ALL: [GroupBy; 9] = [
        GroupBy::Day,
        GroupBy::Week,
        GroupBy::Month,
        GroupBy::FinancialYear,
        GroupBy::Floor,
        GroupBy::Staff,
        GroupBy::Category,
        GroupBy::Metal,
        GroupBy::Payment,
    ];

    /// The word the query string uses.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Day => "day",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
            GroupBy::FinancialYear => "fy",
            GroupBy::Floor => "floor",
            GroupBy::Staff => "staff",
            GroupBy::Category => "category",
            GroupBy::Metal => "metal",
            GroupBy::Payment => "payment",
        }
    }

    /// How a page names the grouping.
    pub fn label(self) -> &'static str {
        match self {
            GroupBy::Day => "Day",
            GroupBy::Week => "Week (Monday to Sunday)",
            GroupBy::Month => "Month",
            GroupBy::FinancialYear => "Financial year (April to March)",
            GroupBy::Floor => "Floor",
            GroupBy::Staff => "Salesperson",
            GroupBy::Category => "Category",
            GroupBy::Metal => "Metal and purity",
            GroupBy::Payment => "Payment mode",
        }
    }

    /// Whether the groups are spans of time, shown in order with empty ones kept.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            GroupBy::Day | GroupBy::Week | GroupBy::Month | GroupBy::FinancialYear
        )
    }

    fn parse(text: &str) -> Result<Self, String> {
        let wanted = text.trim();
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|g| g.as_str()).collect();
                format!("'{}' is not one of {}", text.trim(), names.join(", "))
            })
    }
}

/// Which of the owner's figures a grouping adds up, which decides its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Invoiced bills with their refunds: bills, pieces, grams, taxable value, GST,
    /// payable, refunds, net sales, average bill.
    Bills,
    /// Pieces sold by metal and purity: pieces, grams, taxable value.
    Purity,
    /// Pieces sold by category: pieces, grams, taxable value.
    Category,
    /// Money received by payment mode: payments and amount.
    Payments,
}

/// The analytics' query as typed, before it is checked.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsQueryText {
    /// First day, `YYYY-MM-DD` in the store's time zone (inclusive); by default the
    /// first day of the financial year of `to`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive); by default today. At most three years
    /// (1,096 days) from `from`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub to: Option<String>,
    /// `day`, `week` (Monday to Sunday), `month` (the default), `fy` (financial year,
    /// April to March), `floor`, `staff`, `category`, `metal` (metal and purity) or
    /// `payment`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(day|week|month|fy|floor|staff|category|metal|payment)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub group_by: Option<String>,
    /// A floor's id: every grouping takes it. A Floor Manager sees only their own
    /// floor; naming another is 403.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub floor_id: Option<String>,
    /// The salesperson's id (who drew the bill up): every grouping takes it.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub salesperson_id: Option<String>,
    /// A category's id; its sub-categories count with it. Not with `group_by=metal`
    /// or `payment`, nor beside `metal`, `purity` or `payment` (400).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub category_id: Option<String>,
    /// `GOLD`, `SILVER`, `PLATINUM` or `OTHER`. Not with `group_by=category` or
    /// `payment`, nor beside `category_id` or `payment` (400).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Gg][Oo][Ll][Dd]|[Ss][Ii][Ll][Vv][Ee][Rr]|[Pp][Ll][Aa][Tt][Ii][Nn][Uu][Mm]|[Oo][Tt][Hh][Ee][Rr])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub metal: Option<String>,
    /// One purity of `metal` (`22K`, `916`, `925`), which must be given too; the same
    /// groupings as `metal`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([+0-9]+[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Kk]|[Kk][Tt]|[Cc][Aa][Rr][Aa][Tt])?)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub purity: Option<String>,
    /// `CASH`, `UPI`, `CARD`, `BANK_TRANSFER` or `OLD_GOLD`: money received that way.
    /// Not with `group_by=category` or `metal`, nor beside `category_id`, `metal` or
    /// `purity` (400).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Cc][Aa][Ssſ][Hh]|[Uu][Pp][Iiı]|[Cc][Aa][Rr][Dd]|[Bb][Aa][Nn][Kk]_[Tt][Rr][Aa][Nn][Ssſ][Ff][Ee][Rr]|[Oo][Ll][Dd]_[Gg][Oo][Ll][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub payment: Option<String>,
}

/// The analytics' query, checked: what [`super::Crm::sales_analytics`] takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalyticsQuery {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub group_by: GroupBy,
    pub floor: Option<FloorId>,
    pub salesperson: Option<UserId>,
    pub category: Option<CategoryId>,
    pub metal: Option<Metal>,
    pub purity: Option<Purity>,
    pub payment: Option<PaymentMethod>,
}

impl AnalyticsQueryText {
    /// Checks every parameter at once; each mistake is a 400 naming its parameter.
    pub fn parse(&self) -> Result<AnalyticsQuery, Error> {
        let mut errors = FieldErrors::new();
        let (from, to) = day_range(&mut errors, &self.from, &self.to);
        let group_by = match given(&self.group_by).map(GroupBy::parse) {
            None => GroupBy::default(),
            Some(Ok(group)) => group,
            Some(Err(message)) => {
                errors.add("group_by", message);
                GroupBy::default()
            }
        };
        let floor = given(&self.floor_id).and_then(|t| errors.check("floor_id", FloorId::parse(t)));
        let salesperson = given(&self.salesperson_id)
            .and_then(|t| errors.check("salesperson_id", UserId::parse(t)));
        let category = given(&self.category_id)
            .and_then(|t| errors.check("category_id", CategoryId::parse(t)));
        let metal = given(&self.metal).and_then(|t| errors.check("metal", t.parse::<Metal>()));
        let purity = match (given(&self.purity), metal) {
            (None, _) => None,
            (Some(_), None) => {
                if errors.get("metal").is_none() {
                    errors.add(
                        "purity",
                        "say which metal it is a purity of too (metal=GOLD)",
                    );
                }
                None
            }
            (Some(t), Some(metal)) => errors.check("purity", Purity::parse(metal, t)),
        };
        let payment = given(&self.payment)
            .and_then(|t| errors.check("payment", t.to_uppercase().parse::<PaymentMethod>()));
        let query = AnalyticsQuery {
            from,
            to,
            group_by,
            floor,
            salesperson,
            category,
            metal,
            purity,
            payment,
        };
        if errors.is_empty() {
            query.source_checked(&mut errors);
        }
        if !errors.is_empty() {
            return Err(Error::BadQuery(errors));
        }
        Ok(query)
    }
}

impl AnalyticsQuery {
    /// The figures this query adds up.
    pub fn source(&self) -> Source {
        match self.group_by {
            GroupBy::Metal => Source::Purity,
            GroupBy::Category => Source::Category,
            GroupBy::Payment => Source::Payments,
            _ if self.metal.is_some() => Source::Purity,
            _ if self.category.is_some() => Source::Category,
            _ if self.payment.is_some() => Source::Payments,
            _ => Source::Bills,
        }
    }

    /// Notes each filter the query's figures cannot apply. Pieces are kept by metal
    /// and purity and, apart, by category; money received by payment mode apart again:
    /// so at most one of these three narrows a query, and only one that fits its
    /// grouping.
    fn source_checked(&self, errors: &mut FieldErrors) {
        let source = self.source();
        let why = |what: &str| match self.group_by {
            GroupBy::Metal | GroupBy::Category | GroupBy::Payment => format!(
                "cannot narrow figures grouped by {}: {what}; group by day, week, month, fy, floor or staff to use it",
                self.group_by.as_str()
            ),
            _ => format!(
                "cannot be used together with another of category_id, metal and payment: {what}"
            ),
        };
        if self.category.is_some() && source != Source::Category {
            errors.add(
                "category_id",
                why("pieces are counted by category apart from metal and payment"),
            );
        }
        if self.metal.is_some() && source != Source::Purity {
            errors.add(
                "metal",
                why("pieces are counted by metal apart from category and payment"),
            );
        }
        if self.payment.is_some() && source != Source::Payments {
            errors.add(
                "payment",
                why("money received is counted by payment mode apart from what was sold"),
            );
        }
    }
}
