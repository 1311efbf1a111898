//! Taking pieces back from a completed sale: all of them or some, the money worked out
//! in proportion (the bill discount and GST included, by `domain::refund`), and the
//! pieces back in stock.

use super::sales::RefundInput;
use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::refund::{RefundBasis, plan_refund};
use crate::domain::{Product, Refund, Sale, SaleId, SaleStatus, Text};
use crate::store::{ChangeOp, catalogue, sales as repo};

impl Crm {
    /// Takes pieces back from a completed sale and pays their share of the bill back.
    /// When every piece has come back the sale is REFUNDED; its invoice number stays.
    pub fn refund_sale(
        &self,
        actor: &Actor,
        id: SaleId,
        input: RefundInput,
    ) -> Result<Sale, Error> {
        actor.require_write(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let reason = Text::<500>::parse(input.reason.trim())
            .map_err(|e| Error::field("reason", e.0))
            .and_then(|r| {
                if r.as_str().is_empty() {
                    Err(Error::field("reason", "say why the pieces came back"))
                } else {
                    Ok(r)
                }
            })?;
        self.db.write(actor.author(), |w| {
            let old = repo::sale(w, &scope, id)?.ok_or(Error::NotFound("sale"))?;
            if old.status != SaleStatus::Completed {
                return Err(Error::field(
                    "status",
                    format!(
                        "this sale is {}; only a completed sale can be refunded",
                        old.status
                    ),
                ));
            }
            let wanted: Option<Vec<(u32, u32)>> = input
                .lines
                .as_ref()
                .map(|lines| lines.iter().map(|l| (l.line, l.quantity)).collect());
            let plan = plan_refund(&RefundBasis::of(&old), wanted.as_deref())?;
            for (line, qty) in &plan.lines {
                let l = &old.lines[*line as usize];
                if let Some(product) = catalogue::product(w, &scope.store_only(), l.product_id)? {
                    let restocked = Product {
                        stock_qty: product.stock_qty.saturating_add(*qty),
                        updated_at: w.now(),
                        ..product.clone()
                    };
                    catalogue::update_product(w, &product, &restocked, ChangeOp::Updated)?;
                }
            }
            let mut refunds = old.refunds.clone();
            refunds.push(Refund {
                lines: plan.lines,
                amount: plan.amount,
                reason,
                staff_id: actor.user_id,
                at: w.now(),
            });
            let sale = Sale {
                status: if plan.all_back {
                    SaleStatus::Refunded
                } else {
                    SaleStatus::Completed
                },
                refunds,
                updated_at: w.now(),
                ..old.clone()
            };
            repo::update_sale(w, &old, &sale)?;
            Ok(sale)
        })
    }
}
