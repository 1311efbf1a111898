//! The owner's figures for a span of days: what was sold and received, by purity,
//! category, payment mode, floor and salesperson, what came back and what was
//! cancelled, read from the sums the store keeps with every write (`store::figures`),
//! never from the sales themselves. The opening report, the analytics pages and the GST
//! summary all add up through here, so they cannot disagree.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::Error;
use crate::domain::gst_states::StateCode;
use crate::domain::sale_facts::{
    Facet, Measures, add_measures, cancelled, interaction_of_member, invoiced, old_gold, payment,
    payment_of_member, pieces, place, purity_of_member, refund,
};
use crate::domain::{
    CategoryId, FloorId, InteractionType, Milligrams, Paise, PaymentMethod, Purity, UserId,
};
use crate::store::figures::{FigureRow, Grain, visit_figures};
use crate::store::{Scope, Tables};

/// Which of the scope's figures to add up: a floor, a salesperson, or both (`None`
/// leaves it open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FigureFilter {
    pub floor: Option<FloorId>,
    pub staff: Option<UserId>,
}

impl FigureFilter {
    fn admits(&self, row: &FigureRow) -> bool {
        self.floor.is_none_or(|f| f.as_u128() == row.floor)
            && self.staff.is_none_or(|s| s.as_u128() == row.staff)
    }
}

fn overflow() -> Error {
    Error::internal_message("the owner's figures left the range of their sums")
}

/// The sums of `facet` from `from` to `to` inside the scope and filter, grouped by
/// `group` (rows it answers `None` for are left out).
pub(crate) fn sum_facet<K: Ord>(
    tx: &impl Tables,
    scope: &Scope,
    facet: Facet,
    (from, to): (Date, Date),
    grain: Grain,
    filter: FigureFilter,
    group: impl Fn(&FigureRow) -> Option<K>,
) -> Result<BTreeMap<K, Measures>, Error> {
    let mut sums: BTreeMap<K, Measures> = BTreeMap::new();
    let mut failed = false;
    visit_figures(tx, scope, facet, (from, to), grain, &mut |row| {
        if !filter.admits(&row) {
            return;
        }
        if let Some(key) = group(&row) {
            failed |= add_measures(sums.entry(key).or_default(), &row.measures).is_none();
        }
    })?;
    if failed {
        return Err(overflow());
    }
    Ok(sums)
}

/// Invoiced bills: how many, their pieces, taxable value, taxes and amount payable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BillSums {
    pub bills: i64,
    pub pieces: i64,
    pub taxable: Paise,
    pub cgst: Paise,
    pub sgst: Paise,
    pub igst: Paise,
    /// What customers pay: taxable value, taxes and round-off.
    pub payable: Paise,
    /// Bills to customers who registered on the day of the bill.
    pub to_new_customers: i64,
}

impl BillSums {
    fn of(m: &Measures) -> Self {
        Self {
            bills: m[invoiced::BILLS],
            pieces: m[invoiced::PIECES],
            taxable: Paise::new(m[invoiced::TAXABLE]),
            cgst: Paise::new(m[invoiced::CGST]),
            sgst: Paise::new(m[invoiced::SGST]),
            igst: Paise::new(m[invoiced::IGST]),
            payable: Paise::new(m[invoiced::PAYABLE]),
            to_new_customers: m[invoiced::TO_NEW_CUSTOMERS],
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

    /// The amount payable per bill, to the paisa (rounded half up); zero without bills.
    pub fn average_bill(&self) -> Paise {
        average_bill(self.payable, self.bills)
    }
}

/// `payable` over `bills`, to the paisa (rounded half up); zero without bills.
pub(crate) fn average_bill(payable: Paise, bills: i64) -> Paise {
    if bills <= 0 {
        return Paise::ZERO;
    }
    let doubled = i128::from(payable.get()) * 2 + i128::from(bills);
    Paise::new(i64::try_from(doubled / (i128::from(bills) * 2)).unwrap_or(i64::MAX))
}

/// Pieces sold (by purity, category or product): how many, their weight and value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PieceSums {
    pub pieces: i64,
    pub net: Milligrams,
    pub gross: Milligrams,
    pub taxable: Paise,
    /// Bill lines they were sold on.
    pub lines: i64,
}

impl PieceSums {
    fn of(m: &Measures) -> Self {
        Self {
            pieces: m[pieces::PIECES],
            net: Milligrams::total(m[pieces::NET_MG]),
            gross: Milligrams::total(m[pieces::GROSS_MG]),
            taxable: Paise::new(m[pieces::TAXABLE]),
            lines: m[pieces::LINES],
        }
    }
}

/// Money received in one payment mode; cash is what the store kept after change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaymentSums {
    pub amount: Paise,
    pub payments: i64,
}

/// Old gold taken in as payment, of one purity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OldGoldSums {
    pub weight: Milligrams,
    pub value: Paise,
    pub lots: i64,
}

/// Returns: how many, the pieces and weight that came back, and what was paid back
/// with its taxable value and taxes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefundSums {
    pub returns: i64,
    pub pieces: i64,
    pub amount: Paise,
    pub taxable: Paise,
    pub cgst: Paise,
    pub sgst: Paise,
    pub igst: Paise,
    pub net: Milligrams,
}

impl RefundSums {
    fn of(m: &Measures) -> Self {
        Self {
            returns: m[refund::RETURNS],
            pieces: m[refund::PIECES],
            amount: Paise::new(m[refund::AMOUNT]),
            taxable: Paise::new(m[refund::TAXABLE]),
            cgst: Paise::new(m[refund::CGST]),
            sgst: Paise::new(m[refund::SGST]),
            igst: Paise::new(m[refund::IGST]),
            net: Milligrams::total(m[refund::NET_MG]),
        }
    }
}

/// Invoiced bills of one place of supply, for the GST summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlaceSums {
    pub bills: i64,
    pub taxable: Paise,
    pub cgst: Paise,
    pub sgst: Paise,
    pub igst: Paise,
    pub payable: Paise,
}

/// What a floor or a salesperson did: walk-ins and inquiries logged, bills and their
/// value, and what was paid back on their bills.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeopleSums {
    pub walk_ins: i64,
    pub inquiries: i64,
    pub bills: i64,
    pub payable: Paise,
    pub refunded: Paise,
}

impl PeopleSums {
    /// Bills per walk-in, in basis points (10,000 = one bill per walk-in); `None`
    /// without walk-ins.
    pub fn conversion_bp(&self) -> Option<i64> {
        (self.walk_ins > 0).then(|| self.bills.saturating_mul(10_000) / self.walk_ins)
    }
}

/// Everything the opening report and the analytics totals say about a span of days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodFigures {
    pub from: Date,
    pub to: Date,
    pub bills: BillSums,
    pub by_purity: Vec<(Purity, PieceSums)>,
    pub by_category: Vec<(Option<CategoryId>, PieceSums)>,
    /// The day book: money received by mode, in [`PaymentMethod::ALL`] order.
    pub payments: Vec<(PaymentMethod, PaymentSums)>,
    pub old_gold: Vec<(Purity, OldGoldSums)>,
    pub refunds: RefundSums,
    pub cancelled_bills: i64,
    pub cancelled_value: Paise,
    pub new_customers: i64,
    pub interactions: Vec<(InteractionType, i64)>,
    pub by_floor: Vec<(FloorId, PeopleSums)>,
    pub by_staff: Vec<(UserId, PeopleSums)>,
}

impl PeriodFigures {
    /// The cash the store kept in the span.
    pub fn cash(&self) -> Paise {
        self.payments
            .iter()
            .find(|(m, _)| *m == PaymentMethod::Cash)
            .map_or(Paise::ZERO, |(_, p)| p.amount)
    }

    /// Sales less what was paid back in the span.
    pub fn net_sales(&self) -> Paise {
        Paise::new(
            self.bills
                .payable
                .get()
                .saturating_sub(self.refunds.amount.get()),
        )
    }

    /// How many interactions of `kind` were logged.
    pub fn interactions_of(&self, kind: InteractionType) -> i64 {
        self.interactions
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }
}

/// The scope's figures from `from` to `to` (inclusive), within `filter`.
pub(crate) fn period_figures(
    tx: &impl Tables,
    scope: &Scope,
    (from, to): (Date, Date),
    filter: FigureFilter,
) -> Result<PeriodFigures, Error> {
    let span = (from, to);
    let sum = |facet, group: &dyn Fn(&FigureRow) -> Option<u128>| {
        sum_facet(tx, scope, facet, span, Grain::Months, filter, group)
    };
    let member = |r: &FigureRow| Some(r.member);
    let whole = |_: &FigureRow| Some(0_u128);
    let bills = sum(Facet::Invoiced, &whole)?
        .values()
        .next()
        .map(BillSums::of)
        .unwrap_or_default();
    let by_purity = sum(Facet::Purity, &member)?
        .iter()
        .filter_map(|(m, v)| Some((purity_of_member(*m)?, PieceSums::of(v))))
        .collect();
    let by_category = sum(Facet::Category, &member)?
        .iter()
        .map(|(m, v)| {
            let id = (*m != 0).then(|| CategoryId::from_uuid(uuid::Uuid::from_u128(*m)));
            (id, PieceSums::of(v))
        })
        .collect();
    let received = sum(Facet::Payment, &member)?;
    let payments = PaymentMethod::ALL
        .iter()
        .map(|method| {
            let m = received
                .iter()
                .find(|(k, _)| payment_of_member(**k) == Some(*method))
                .map(|(_, v)| *v)
                .unwrap_or_default();
            let sums = PaymentSums {
                amount: Paise::new(m[payment::AMOUNT]),
                payments: m[payment::PAYMENTS],
            };
            (*method, sums)
        })
        .collect();
    let old_gold = sum(Facet::OldGold, &member)?
        .iter()
        .filter_map(|(m, v)| {
            let sums = OldGoldSums {
                weight: Milligrams::total(v[old_gold::WEIGHT_MG]),
                value: Paise::new(v[old_gold::VALUE]),
                lots: v[old_gold::LOTS],
            };
            Some((purity_of_member(*m)?, sums))
        })
        .collect();
    let refunds = sum(Facet::Refund, &whole)?
        .values()
        .next()
        .map(RefundSums::of)
        .unwrap_or_default();
    let cancelled = sum(Facet::Cancelled, &whole)?
        .values()
        .next()
        .copied()
        .unwrap_or_default();
    let new_customers = sum(Facet::NewCustomer, &whole)?
        .values()
        .next()
        .map_or(0, |m| m[crate::domain::sale_facts::COUNT]);
    let interactions = sum(Facet::Interaction, &member)?
        .iter()
        .filter_map(|(m, v)| {
            Some((
                interaction_of_member(*m)?,
                v[crate::domain::sale_facts::COUNT],
            ))
        })
        .collect();
    let by_floor = people_sums(tx, scope, span, filter, |r| r.floor)?
        .into_iter()
        .filter(|(f, _)| *f != 0)
        .map(|(f, s)| (FloorId::from_uuid(uuid::Uuid::from_u128(f)), s))
        .collect();
    let by_staff = people_sums(tx, scope, span, filter, |r| r.staff)?
        .into_iter()
        .map(|(u, s)| (UserId::from_uuid(uuid::Uuid::from_u128(u)), s))
        .collect();
    Ok(PeriodFigures {
        from,
        to,
        bills,
        by_purity,
        by_category,
        payments,
        old_gold,
        refunds,
        cancelled_bills: cancelled[cancelled::BILLS],
        cancelled_value: Paise::new(cancelled[cancelled::PAYABLE]),
        new_customers,
        interactions,
        by_floor,
        by_staff,
    })
}

/// Walk-ins, inquiries, bills and refunds grouped by floor or by salesperson.
pub(crate) fn people_sums(
    tx: &impl Tables,
    scope: &Scope,
    span: (Date, Date),
    filter: FigureFilter,
    who: impl Fn(&FigureRow) -> u128 + Copy,
) -> Result<BTreeMap<u128, PeopleSums>, Error> {
    let mut out: BTreeMap<u128, PeopleSums> = BTreeMap::new();
    let walk_in = crate::domain::sale_facts::interaction_member(InteractionType::WalkIn);
    let inquiry = crate::domain::sale_facts::interaction_member(InteractionType::Inquiry);
    let count = crate::domain::sale_facts::COUNT;
    let activity = sum_facet(
        tx,
        scope,
        Facet::Interaction,
        span,
        Grain::Months,
        filter,
        |r| Some((who(r), r.member)),
    )?;
    for ((id, kind), m) in activity {
        let slot = out.entry(id).or_default();
        if kind == walk_in {
            slot.walk_ins = slot.walk_ins.saturating_add(m[count]);
        } else if kind == inquiry {
            slot.inquiries = slot.inquiries.saturating_add(m[count]);
        }
    }
    let bills = sum_facet(
        tx,
        scope,
        Facet::Invoiced,
        span,
        Grain::Months,
        filter,
        |r| Some(who(r)),
    )?;
    for (id, m) in bills {
        let slot = out.entry(id).or_default();
        slot.bills = m[invoiced::BILLS];
        slot.payable = Paise::new(m[invoiced::PAYABLE]);
    }
    let refunds = sum_facet(tx, scope, Facet::Refund, span, Grain::Months, filter, |r| {
        Some(who(r))
    })?;
    for (id, m) in refunds {
        out.entry(id).or_default().refunded = Paise::new(m[refund::AMOUNT]);
    }
    Ok(out)
}

/// Invoiced bills and returns by place of supply (the GST summary's B2C table).
pub fn place_sums(
    tx: &impl Tables,
    scope: &Scope,
    span: (Date, Date),
) -> Result<Vec<(Option<StateCode>, PlaceSums, RefundSums)>, Error> {
    let filter = FigureFilter::default();
    let member = |r: &FigureRow| Some(r.member);
    let sold = sum_facet(
        tx,
        scope,
        Facet::PlaceOfSupply,
        span,
        Grain::Months,
        filter,
        member,
    )?;
    let back = sum_facet(
        tx,
        scope,
        Facet::Refund,
        span,
        Grain::Months,
        filter,
        member,
    )?;
    let mut places: Vec<u128> = sold.keys().chain(back.keys()).copied().collect();
    places.sort_unstable();
    places.dedup();
    Ok(places
        .into_iter()
        .map(|m| {
            let s = sold.get(&m).copied().unwrap_or_default();
            let sums = PlaceSums {
                bills: s[place::BILLS],
                taxable: Paise::new(s[place::TAXABLE]),
                cgst: Paise::new(s[place::CGST]),
                sgst: Paise::new(s[place::SGST]),
                igst: Paise::new(s[place::IGST]),
                payable: Paise::new(s[place::PAYABLE]),
            };
            let r = back.get(&m).map(RefundSums::of).unwrap_or_default();
            let state = u8::try_from(m).ok().and_then(StateCode::from_number);
            (state, sums, r)
        })
        .collect())
}

impl super::Crm {
    /// The figures of the days from `span.0` to `span.1` that `actor` may see: a Floor
    /// Manager's floor only (the scope), within `filter`.
    pub fn period_figures(
        &self,
        actor: &super::Actor,
        span: (Date, Date),
        filter: FigureFilter,
    ) -> Result<PeriodFigures, Error> {
        actor.require_read(crate::domain::Area::Sales)?;
        let scope = actor.floor_scope()?;
        self.db.read(|rx| period_figures(rx, &scope, span, filter))
    }
}
