//! What each sale, return, cancellation, interaction and new customer adds to the owner's
//! figures: a list of facts, each a few counts and sums dated on a day of the store's
//! zone, on a floor, for a member of staff, under one facet (invoiced bills, metal and
//! purity, category, payment mode…) and one member of it (which purity, which category).
//!
//! The store keeps the sums of these facts per day and per month in the write
//! transaction of every change (`store::figures`), taking away the facts of a record's
//! state before the change and adding those of its state after. Because the facts are
//! worked out from the record alone (and the day its customer registered), the sums
//! stay exact across refunds, cancellations and back-dated sales, and a rebuild from the
//! records gives the same sums.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Customer, Interaction, Metal, Paise, PaymentMethod, Purity, Sale, SaleStatus};

/// How many sums a fact carries; what each means depends on its [`Facet`].
pub const MEASURES: usize = 8;
pub type Measures = [i64; MEASURES];

/// What a fact is about, and what its measures are. Stored as its number: only ever
/// append facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    /// Invoiced bills, dated on completion, member 0.
    Invoiced,
    /// Pieces sold by metal and purity (member: [`purity_member`]).
    Purity,
    /// Pieces sold by the category they were sold under (member: category id, 0 for none).
    Category,
    /// Money received by payment mode (member: [`payment_member`]), on completion.
    Payment,
    /// Old gold taken in, by purity (member: [`purity_member`]).
    OldGold,
    /// Returns, dated on the day of the return, by place of supply (member: state code, 0
    /// when not known).
    Refund,
    /// Bills cancelled before payment, dated on the cancellation, member 0.
    Cancelled,
    /// Pieces sold by product (member: product id).
    Product,
    /// Invoiced bills by place of supply (member: state code, 0 when not known).
    PlaceOfSupply,
    /// Interactions by kind (member: [`interaction_member`]), dated when they happened.
    Interaction,
    /// Customers registered, dated on registration, on their home floor, member 0.
    NewCustomer,
}

impl Facet {
    pub const ALL: [Facet; 11] = [
        Facet::Invoiced,
        Facet::Purity,
        Facet::Category,
        Facet::Payment,
        Facet::OldGold,
        Facet::Refund,
        Facet::Cancelled,
        Facet::Product,
        Facet::PlaceOfSupply,
        Facet::Interaction,
        Facet::NewCustomer,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.get(usize::from(n)).copied()
    }
}

/// Measures of [`Facet::Invoiced`].
pub mod invoiced {
    pub const BILLS: usize = 0;
    pub const PIECES: usize = 1;
    pub const TAXABLE: usize = 2;
    pub const CGST: usize = 3;
    pub const SGST: usize = 4;
    pub const IGST: usize = 5;
    /// The amount payable, round-off included.
    pub const PAYABLE: usize = 6;
    /// Bills to customers who registered on the day of the bill.
    pub const TO_NEW_CUSTOMERS: usize = 7;
}

/// Measures of [`Facet::Purity`], [`Facet::Category`] and [`Facet::Product`].
pub mod pieces {
    pub const PIECES: usize = 0;
    pub const NET_MG: usize = 1;
    pub const GROSS_MG: usize = 2;
    pub const TAXABLE: usize = 3;
    pub const LINES: usize = 4;
}

/// Measures of [`Facet::Payment`]: cash is what the store kept (tendered less change).
pub mod payment {
    pub const AMOUNT: usize = 0;
    pub const PAYMENTS: usize = 1;
}

/// Measures of [`Facet::OldGold`].
pub mod old_gold {
    pub const WEIGHT_MG: usize = 0;
    pub const VALUE: usize = 1;
    pub const LOTS: usize = 2;
}

/// Measures of [`Facet::Refund`]: the return's share of the bill's taxable value and
/// taxes, worked out so that a bill returned whole gives back exactly what it charged.
pub mod refund {
    pub const RETURNS: usize = 0;
    pub const PIECES: usize = 1;
    /// Paid back, GST and round-off included.
    pub const AMOUNT: usize = 2;
    pub const TAXABLE: usize = 3;
    pub const CGST: usize = 4;
    pub const SGST: usize = 5;
    pub const IGST: usize = 6;
    pub const NET_MG: usize = 7;
}

/// Measures of [`Facet::Cancelled`].
pub mod cancelled {
    pub const BILLS: usize = 0;
    pub const PAYABLE: usize = 1;
}

/// Measures of [`Facet::PlaceOfSupply`].
pub mod place {
    pub const BILLS: usize = 0;
    pub const TAXABLE: usize = 1;
    pub const CGST: usize = 2;
    pub const SGST: usize = 3;
    pub const IGST: usize = 4;
    pub const PAYABLE: usize = 5;
}

/// The one measure of [`Facet::Interaction`] and [`Facet::NewCustomer`].
pub const COUNT: usize = 0;

/// One fact: sums to add on a day, floor and member of staff under a facet's member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub day: Date,
    /// Floor id as a number; 0 for a customer without a home floor.
    pub floor: u128,
    pub staff: u128,
    pub facet: Facet,
    pub member: u128,
    pub measures: Measures,
}

/// A purity as a facet member: the metal's place in [`Metal::ALL`] and the fineness.
pub fn purity_member(purity: Purity) -> u128 {
    let metal = Metal::ALL
        .iter()
        .position(|m| *m == purity.metal())
        .unwrap_or(0);
    ((metal as u128) << 16) | u128::from(purity.fineness())
}

/// The purity a member of [`Facet::Purity`] or [`Facet::OldGold`] stands for.
pub fn purity_of_member(member: u128) -> Option<Purity> {
    let metal = *Metal::ALL.get(usize::try_from(member >> 16).ok()?)?;
    Purity::from_fineness(metal, u16::try_from(member & 0xFFFF).ok()?).ok()
}

pub fn payment_member(method: PaymentMethod) -> u128 {
    PaymentMethod::ALL
        .iter()
        .position(|m| *m == method)
        .unwrap_or(0) as u128
}

pub fn payment_of_member(member: u128) -> Option<PaymentMethod> {
    PaymentMethod::ALL
        .get(usize::try_from(member).ok()?)
        .copied()
}

pub fn interaction_member(kind: super::InteractionType) -> u128 {
    super::InteractionType::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u128
}

pub fn interaction_of_member(member: u128) -> Option<super::InteractionType> {
    super::InteractionType::ALL
        .get(usize::try_from(member).ok()?)
        .copied()
}

fn day_of(at: Timestamp, zone: &TimeZone) -> Date {
    at.to_zoned_datetime(zone.clone()).date()
}

/// `whole × part / of`, rounded half up; zero when `of` is zero. `None` past i64.
fn share(whole: i64, part: i64, of: i64) -> Option<i64> {
    if of == 0 {
        return Some(0);
    }
    let exact = i128::from(whole).checked_mul(i128::from(part))?;
    let of = i128::from(of);
    let rounded = exact
        .checked_mul(2)?
        .checked_add(of)?
        .div_euclid(of.checked_mul(2)?);
    i64::try_from(rounded).ok()
}

/// Adds `measures` into `sum`, checked.
pub fn add_measures(sum: &mut Measures, measures: &Measures) -> Option<()> {
    for (s, m) in sum.iter_mut().zip(measures) {
        *s = s.checked_add(*m)?;
    }
    Some(())
}

/// The facts of a sale as it stands: an invoiced bill (completed, or refunded since)
/// counts on its completion day with its pieces, purities, categories, products,
/// payments, old gold and place of supply, and each of its returns on the return's
/// day; a cancelled bill counts as cancelled on the day it was cancelled; a pending
/// bill counts for nothing yet. `registered` is the day its customer registered.
/// `None` only when a sum leaves the range of i64, which damaged data alone can cause.
pub fn sale_facts(sale: &Sale, zone: &TimeZone, registered: Option<Date>) -> Option<Vec<Fact>> {
    let floor = sale.floor_id.as_u128();
    let staff = sale.staff_id.as_u128();
    let place = sale.place_of_supply.map_or(0, |p| u128::from(p.number()));
    let mut facts = Vec::new();
    let fact = |day, facet, member, measures| Fact {
        day,
        floor,
        staff,
        facet,
        member,
        measures,
    };
    match sale.status {
        SaleStatus::Pending => return Some(facts),
        SaleStatus::Cancelled => {
            let mut m = Measures::default();
            m[cancelled::BILLS] = 1;
            m[cancelled::PAYABLE] = sale.payable().get();
            facts.push(fact(day_of(sale.updated_at, zone), Facet::Cancelled, 0, m));
            return Some(facts);
        }
        SaleStatus::Completed | SaleStatus::Refunded => {}
    }
    let day = day_of(sale.completed_at.unwrap_or(sale.created_at), zone);
    let mut pieces_sold: i64 = 0;
    for (i, line) in sale.lines.iter().enumerate() {
        let quantity = i64::from(line.quantity);
        pieces_sold = pieces_sold.checked_add(quantity)?;
        let mut m = Measures::default();
        m[pieces::PIECES] = quantity;
        m[pieces::NET_MG] = line.net_weight.get().checked_mul(quantity)?;
        m[pieces::GROSS_MG] = line.gross_weight.get().checked_mul(quantity)?;
        m[pieces::TAXABLE] = line.taxable_value.get();
        m[pieces::LINES] = 1;
        facts.push(fact(day, Facet::Purity, purity_member(line.purity), m));
        let category = sale.line_category(i).map_or(0, |c| c.as_u128());
        facts.push(fact(day, Facet::Category, category, m));
        facts.push(fact(day, Facet::Product, line.product_id.as_u128(), m));
    }
    let mut bill = Measures::default();
    bill[invoiced::BILLS] = 1;
    bill[invoiced::PIECES] = pieces_sold;
    bill[invoiced::TAXABLE] = sale.taxable_value.get();
    bill[invoiced::CGST] = sale.cgst.get();
    bill[invoiced::SGST] = sale.sgst.get();
    bill[invoiced::IGST] = sale.igst.get();
    bill[invoiced::PAYABLE] = sale.payable().get();
    bill[invoiced::TO_NEW_CUSTOMERS] = i64::from(registered == Some(day));
    facts.push(fact(day, Facet::Invoiced, 0, bill));
    let mut by_place = Measures::default();
    by_place[place::BILLS] = 1;
    by_place[place::TAXABLE] = sale.taxable_value.get();
    by_place[place::CGST] = sale.cgst.get();
    by_place[place::SGST] = sale.sgst.get();
    by_place[place::IGST] = sale.igst.get();
    by_place[place::PAYABLE] = sale.payable().get();
    facts.push(fact(day, Facet::PlaceOfSupply, place, by_place));
    for p in &sale.payments {
        let mut m = Measures::default();
        m[payment::AMOUNT] = p.amount.get();
        m[payment::PAYMENTS] = 1;
        facts.push(fact(day, Facet::Payment, payment_member(p.method), m));
        if let Some(old) = &p.old_gold {
            let mut g = Measures::default();
            g[old_gold::WEIGHT_MG] = old.weight.get();
            g[old_gold::VALUE] = old.value.get();
            g[old_gold::LOTS] = 1;
            facts.push(fact(day, Facet::OldGold, purity_member(old.purity), g));
        }
    }
    if sale.change_given.get() != 0 {
        // The change came out of the cash: the cash the day kept is the cash tendered
        // less the change handed back.
        let mut m = Measures::default();
        m[payment::AMOUNT] = sale.change_given.get().checked_neg()?;
        facts.push(fact(
            day,
            Facet::Payment,
            payment_member(PaymentMethod::Cash),
            m,
        ));
    }
    refund_facts(sale, zone, place, &mut facts)?;
    Some(facts)
}

/// Each return of the sale, on its own day. Its taxable value and taxes are the
/// returned share of the bill's, worked out on the running total paid back (share of
/// everything paid back so far, less the share of what was paid back before), so the
/// returns of a bill returned whole add up to exactly what the bill charged.
fn refund_facts(sale: &Sale, zone: &TimeZone, place: u128, facts: &mut Vec<Fact>) -> Option<()> {
    let payable = sale.payable().get();
    let mut paid_before: i64 = 0;
    for refund in &sale.refunds {
        let paid_after = paid_before.checked_add(refund.amount.get())?;
        let slice = |whole: Paise| -> Option<i64> {
            share(whole.get(), paid_after, payable)?.checked_sub(share(
                whole.get(),
                paid_before,
                payable,
            )?)
        };
        let mut m = Measures::default();
        m[refund::RETURNS] = 1;
        m[refund::AMOUNT] = refund.amount.get();
        m[refund::TAXABLE] = slice(sale.taxable_value)?;
        m[refund::CGST] = slice(sale.cgst)?;
        m[refund::SGST] = slice(sale.sgst)?;
        m[refund::IGST] = slice(sale.igst)?;
        for (line, quantity) in &refund.lines {
            let index = usize::try_from(*line).ok()?;
            let Some(sold) = sale.lines.get(index) else {
                continue;
            };
            let quantity = i64::from(*quantity);
            m[refund::PIECES] = m[refund::PIECES].checked_add(quantity)?;
            m[refund::NET_MG] =
                m[refund::NET_MG].checked_add(sold.net_weight.get().checked_mul(quantity)?)?;
        }
        facts.push(Fact {
            day: day_of(refund.at, zone),
            floor: sale.floor_id.as_u128(),
            staff: sale.staff_id.as_u128(),
            facet: Facet::Refund,
            member: place,
            measures: m,
        });
        paid_before = paid_after;
    }
    Some(())
}

/// An interaction counts once, on the day it happened, by its kind.
pub fn interaction_facts(interaction: &Interaction, zone: &TimeZone) -> Vec<Fact> {
    let mut m = Measures::default();
    m[COUNT] = 1;
    vec![Fact {
        day: day_of(interaction.occurred_at, zone),
        floor: interaction.floor_id.as_u128(),
        staff: interaction.staff_id.as_u128(),
        facet: Facet::Interaction,
        member: interaction_member(interaction.kind),
        measures: m,
    }]
}

/// A customer counts once, on the day they registered, on their home floor.
pub fn customer_facts(customer: &Customer, zone: &TimeZone) -> Vec<Fact> {
    let mut m = Measures::default();
    m[COUNT] = 1;
    vec![Fact {
        day: day_of(customer.created_at, zone),
        floor: customer.home_floor_id.map_or(0, |f| f.as_u128()),
        staff: customer.created_by.as_u128(),
        facet: Facet::NewCustomer,
        member: 0,
        measures: m,
    }]
}

/// The day a customer registered, in the store's zone: what [`sale_facts`] is given.
pub fn registered_on(customer: &Customer, zone: &TimeZone) -> Date {
    day_of(customer.created_at, zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        CustomerId, FloorId, MakingCharge, Milligrams, Payment, PersonName, ProductId, Refund,
        SaleId, SaleLine, SellerGst, Sku, StoreId, Text, UserId,
    };

    fn line(taxable: i64, net_mg: i64) -> SaleLine {
        SaleLine {
            product_id: ProductId::new(),
            sku: Sku::parse("GR-1").unwrap(),
            description: PersonName::parse("Ring").unwrap(),
            metal: Metal::Gold,
            purity: Purity::from_fineness(Metal::Gold, 916).unwrap(),
            huid: None,
            quantity: 1,
            gross_weight: Milligrams::new(net_mg).unwrap(),
            net_weight: Milligrams::new(net_mg).unwrap(),
            rate_per_gram: Paise::new(6_000_00),
            metal_value: Paise::new(taxable),
            making_charge: MakingCharge::FlatPaise(Paise::ZERO),
            making_amount: Paise::ZERO,
            stone_value: Paise::ZERO,
            discount: Paise::ZERO,
            taxable_value: Paise::new(taxable),
        }
    }

    fn at(day: i8, hour: i8) -> Timestamp {
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        zone.to_timestamp(jiff::civil::date(2026, 12, day).at(hour, 0, 0, 0))
            .unwrap()
    }

    /// Two rings, ₹33,333.33 and ₹66,666.67 taxable, CGST and SGST of ₹1,500.00 each,
    /// payable ₹1,03,000.00; paid ₹1,05,000 in cash with ₹2,000 change.
    fn bill() -> Sale {
        let cash = |amount| Payment {
            method: PaymentMethod::Cash,
            amount: Paise::new(amount),
            reference: Text::default(),
            old_gold: None,
        };
        Sale {
            id: SaleId::new(),
            store_id: StoreId::new(),
            floor_id: FloorId::new(),
            customer_id: CustomerId::new(),
            status: SaleStatus::Completed,
            invoice_no: None,
            lines: vec![line(33_333_33, 5_250), line(66_666_67, 10_500)],
            bill_discount: Paise::ZERO,
            taxable_value: Paise::new(1_00_000_00),
            cgst: Paise::new(1_500_00),
            sgst: Paise::new(1_500_00),
            igst: Paise::ZERO,
            total: Paise::new(1_03_000_00),
            payments: vec![cash(1_05_000_00)],
            staff_id: UserId::new(),
            notes: Text::default(),
            created_at: at(5, 11),
            completed_at: Some(at(5, 12)),
            updated_at: at(5, 12),
            refunds: Vec::new(),
            form60: None,
            round_off: Paise::ZERO,
            change_given: Paise::new(2_000_00),
            seller_gst: SellerGst::NotKept,
            corrections: Vec::new(),
            line_categories: Vec::new(),
            place_of_supply: None,
        }
    }

    fn facts_of(sale: &Sale, facet: Facet) -> Vec<Fact> {
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let facts = sale_facts(sale, &zone, None).unwrap();
        facts.into_iter().filter(|f| f.facet == facet).collect()
    }

    #[test]
    fn cash_counts_what_the_store_kept() {
        let cash: i64 = facts_of(&bill(), Facet::Payment)
            .iter()
            .map(|f| f.measures[payment::AMOUNT])
            .sum();
        assert_eq!(cash, 1_03_000_00);
    }

    #[test]
    fn returns_in_two_parts_give_back_exactly_the_taxes_charged_each_on_its_own_day() {
        let mut sale = bill();
        let back = |amount, day, line| Refund {
            lines: vec![(line, 1)],
            amount: Paise::new(amount),
            reason: Text::default(),
            staff_id: UserId::new(),
            at: at(day, 17),
        };
        // The first ring's share of ₹1,03,000.00 is ₹34,333.33; the second return pays
        // back the rest.
        sale.refunds = vec![back(34_333_33, 6, 0), back(68_666_67, 9, 1)];
        sale.status = SaleStatus::Refunded;
        let returns = facts_of(&sale, Facet::Refund);
        let days: Vec<i8> = returns.iter().map(|f| f.day.day()).collect();
        assert_eq!(days, [6, 9]);
        let sum = |m: usize| returns.iter().map(|f| f.measures[m]).sum::<i64>();
        assert_eq!(sum(refund::TAXABLE), 1_00_000_00);
        assert_eq!((sum(refund::CGST), sum(refund::SGST)), (1_500_00, 1_500_00));
        assert_eq!(sum(refund::NET_MG), 15_750);
        // The first return's taxable share: 1,00,000.00 × 34,333.33 / 1,03,000.00.
        assert_eq!(returns[0].measures[refund::TAXABLE], 33_333_33);
        assert_eq!(returns[0].measures[refund::CGST], 500_00);
        // The bill still counts as sold on the day it was invoiced.
        let sold = facts_of(&sale, Facet::Invoiced);
        assert_eq!(sold.len(), 1);
        assert_eq!(sold[0].day.day(), 5);
    }

    #[test]
    fn a_cancelled_bill_counts_on_the_day_it_was_cancelled_and_a_pending_one_not_at_all() {
        let mut sale = bill();
        sale.status = SaleStatus::Pending;
        sale.completed_at = None;
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        assert!(sale_facts(&sale, &zone, None).unwrap().is_empty());
        sale.status = SaleStatus::Cancelled;
        sale.updated_at = at(7, 10);
        let facts = sale_facts(&sale, &zone, None).unwrap();
        assert_eq!(facts.len(), 1);
        assert_eq!((facts[0].facet, facts[0].day.day()), (Facet::Cancelled, 7));
        assert_eq!(facts[0].measures[cancelled::PAYABLE], 1_03_000_00);
    }

    #[test]
    fn members_read_back_as_what_they_stand_for() {
        let purity = Purity::from_fineness(Metal::Silver, 925).unwrap();
        assert_eq!(purity_of_member(purity_member(purity)), Some(purity));
        for method in PaymentMethod::ALL {
            assert_eq!(payment_of_member(payment_member(*method)), Some(*method));
        }
        for facet in Facet::ALL {
            assert_eq!(Facet::from_number(facet.number()), Some(facet));
        }
    }
}
