//! Reading one sale for people: the sale with everything its page shows, including
//! whether the customer's cash this financial year is to be reported for KYC.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::sale_corrections::findings_for;
use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::billing::{self, CounterFinding};
use crate::domain::{Correction, Customer, Paise, Sale, SaleId};
use crate::store::{Scope, Tables, customer_cash, customers, org, people, sales as repo};

/// One sale and what its page shows beside it.
#[derive(Debug, Clone)]
pub struct SaleDetail {
    pub sale: Sale,
    pub customer: Customer,
    pub floor_name: String,
    pub staff_name: String,
    /// The customer's cash in completed sales of the sale's financial year, up to and
    /// including this one.
    pub cash_this_year: Paise,
    /// Cash purchases of ₹10,00,000 or more in a year are reported (SFT / KYC); the
    /// sale is flagged, not refused.
    pub kyc_report_due: bool,
    /// For a pending bill, what the counter's rules say if it were completed today.
    pub counter_rules: Vec<CounterFinding>,
    /// The bill's corrections, oldest first, with who made each.
    pub corrections: Vec<CorrectionRow>,
}

/// One correction of a bill, with the name of who made it.
#[derive(Debug, Clone)]
pub struct CorrectionRow {
    pub correction: Correction,
    pub staff_name: String,
}

impl Crm {
    /// One sale the person may see, with its customer, floor, salesperson and KYC flag.
    pub fn sale_detail(&self, actor: &Actor, id: SaleId) -> Result<SaleDetail, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let (tz, today) = (self.config.time_zone(), self.today());
        self.db.read(|rx| load_detail(rx, &scope, id, &tz, today))
    }
}

/// A sale the scope covers, with its customer, floor name and salesperson's name: what
/// the sale's page and its invoice both show.
pub(super) struct SaleParts {
    pub sale: Sale,
    pub customer: Customer,
    pub floor_name: String,
    pub staff_name: String,
}

pub(super) fn load_parts(tx: &impl Tables, scope: &Scope, id: SaleId) -> Result<SaleParts, Error> {
    let sale = repo::sale(tx, scope, id)?.ok_or(Error::NotFound("sale"))?;
    let store = scope.store_only();
    let customer =
        customers::customer(tx, &store, sale.customer_id)?.ok_or(Error::NotFound("customer"))?;
    let floor_name = org::floor(tx, &store, sale.floor_id)?
        .map(|f| f.name.to_string())
        .unwrap_or_default();
    let staff_name = people::user(tx, &store, sale.staff_id)?
        .map(|u| u.name.to_string())
        .unwrap_or_default();
    Ok(SaleParts {
        sale,
        customer,
        floor_name,
        staff_name,
    })
}

fn load_detail(
    tx: &impl Tables,
    scope: &Scope,
    id: SaleId,
    tz: &TimeZone,
    today: Date,
) -> Result<SaleDetail, Error> {
    let SaleParts {
        sale,
        customer,
        floor_name,
        staff_name,
    } = load_parts(tx, scope, id)?;
    let store = scope.store_only();
    // The year's cash up to the end of the bill's day, from the per-day rows rather
    // than the customer's every sale; a later bill on the same day counts too.
    let cash_this_year = match sale.completed_at {
        Some(done) => {
            let day = done.to_zoned_datetime(tz.clone()).date();
            customer_cash::cash_kept(tx, &store, customer.id, day)?.in_year
        }
        None => Paise::ZERO,
    };
    let counter_rules = findings_for(tx, &store, &sale, &customer, today)?;
    let mut corrections = Vec::with_capacity(sale.corrections.len());
    for correction in &sale.corrections {
        let staff_name = people::user(tx, &store, correction.staff_id)?
            .map(|u| u.name.to_string())
            .unwrap_or_default();
        corrections.push(CorrectionRow {
            correction: correction.clone(),
            staff_name,
        });
    }
    Ok(SaleDetail {
        counter_rules,
        corrections,
        kyc_report_due: billing::needs_kyc_report(cash_this_year),
        cash_this_year,
        sale,
        customer,
        floor_name,
        staff_name,
    })
}
