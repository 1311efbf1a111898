//! Correcting a bill while it is PENDING (re-priced from what the counter enters again,
//! each correction kept on the sale), and the counter's rules worked out for a bill
//! before it is completed, from the same facts completing reads.

use jiff::civil::Date;

use super::sales::SaleInput;
use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::billing::{self, CounterFacts, CounterFinding};
use crate::domain::{Correction, Customer, FloorId, Sale, SaleId, SaleStatus};
use crate::store::{Scope, Tables, customer_cash, customers, sales as repo};

impl Crm {
    /// Corrects a pending bill: its pieces, payments, old gold, discount, notes, customer
    /// or floor, from the same input that draws one up. The lines are priced at the
    /// rates in force now, at the correction, not those of the first drawing up. The
    /// bill keeps its id, its salesperson and when it was drawn up; each correction is
    /// added to its history with who made it, when, and the amount payable before and
    /// after. A Floor Manager corrects their own floor's bills and cannot move one to
    /// another floor; without `floor_id` the bill stays on its floor.
    pub fn correct_sale(&self, actor: &Actor, id: SaleId, input: SaleInput) -> Result<Sale, Error> {
        actor.require_write(Area::Sales)?;
        let scope = actor.floor_scope()?;
        self.db.write(actor.author(), |w| {
            let old = repo::sale(w, &scope, id)?.ok_or(Error::NotFound("sale"))?;
            if old.status != SaleStatus::Pending {
                return Err(Error::field(
                    "status",
                    format!(
                        "this sale is {} already; only a pending bill can be corrected",
                        old.status
                    ),
                ));
            }
            let floor = input.floor_id.map_or(old.floor_id, FloorId::from_uuid);
            if !actor.may_work_on(Some(floor)) {
                return Err(Error::Forbidden(
                    "a Floor Manager keeps their bills on their own floor; ask the store owner to move this bill to another floor".into(),
                ));
            }
            let now = w.now();
            let drawn = self.draw_up(w, &actor.store_scope(), actor, floor, &input, now)?;
            let mut corrections = old.corrections.clone();
            corrections.push(Correction {
                staff_id: actor.user_id,
                at: now,
                payable_before: old.payable(),
                payable_after: drawn.payable(),
            });
            let sale = Sale {
                id: old.id,
                staff_id: old.staff_id,
                created_at: old.created_at,
                form60: old.form60.clone(),
                corrections,
                ..drawn
            };
            repo::update_sale(w, &old, &sale)?;
            Ok(sale)
        })
    }

    /// What the counter's rules say about `sale` (a quote, or a bill drawn up or
    /// corrected) if it were completed today: the customer's cash earlier today and
    /// this financial year and their PAN, read as completing reads them. A sale no
    /// longer pending has none: its rules were checked when it was completed.
    pub fn counter_rules(&self, actor: &Actor, sale: &Sale) -> Result<Vec<CounterFinding>, Error> {
        actor.require_read(Area::Sales)?;
        if sale.status != SaleStatus::Pending {
            return Ok(Vec::new());
        }
        let scope = actor.store_scope();
        let day = self.today();
        self.db.read(|rx| {
            let customer = customers::customer(rx, &scope, sale.customer_id)?
                .ok_or(Error::NotFound("customer"))?;
            findings_for(rx, &scope, sale, &customer, day)
        })
    }
}

/// The counter's findings for a pending `sale` of `customer` completed on `day`.
pub(super) fn findings_for(
    tx: &impl Tables,
    scope: &Scope,
    sale: &Sale,
    customer: &Customer,
    day: Date,
) -> Result<Vec<CounterFinding>, Error> {
    if sale.status != SaleStatus::Pending {
        return Ok(Vec::new());
    }
    let kept = customer_cash::cash_kept(tx, &scope.store_only(), customer.id, day)?;
    let facts = CounterFacts {
        cash_earlier_today: kept.on_day,
        cash_earlier_this_year: kept.in_year,
        has_pan_or_form60: customer.pan.is_some() || sale.form60.is_some(),
    };
    Ok(billing::counter_findings(
        sale.payable(),
        &sale.payments,
        &facts,
    ))
}
