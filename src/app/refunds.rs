//! Taking pieces back from a completed sale: all of them or some, the money worked out
//! in proportion (the bill discount and GST included), and the pieces back in stock.

use super::sales::RefundInput;
use super::{Actor, Crm, Error};
use crate::domain::pricing::{Supply, gst};
use crate::domain::{FieldErrors, Paise, Product, Refund, Sale, SaleId, SaleStatus, Text};
use crate::store::{ChangeOp, catalogue, sales as repo};

fn share(amount: Paise, part: i64, whole: i64) -> Paise {
    if whole == 0 {
        return Paise::ZERO;
    }
    let exact = i128::from(amount.get()) * i128::from(part);
    let whole = i128::from(whole);
    // Half away from zero, as the bill itself rounds.
    let rounded = (exact * 2 + whole) / (whole * 2);
    Paise::new(i64::try_from(rounded).unwrap_or(i64::MAX))
}

/// How many of each line have already come back.
fn returned(sale: &Sale) -> Vec<u32> {
    let mut back = vec![0u32; sale.lines.len()];
    for refund in &sale.refunds {
        for (line, qty) in &refund.lines {
            if let Some(n) = back.get_mut(*line as usize) {
                *n += qty;
            }
        }
    }
    back
}

impl Crm {
    /// Takes pieces back from a completed sale and pays their share of the bill back.
    /// When every piece has come back the sale is REFUNDED; its invoice number stays.
    pub fn refund_sale(
        &self,
        actor: &Actor,
        id: SaleId,
        input: RefundInput,
    ) -> Result<Sale, Error> {
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
        self.db.write(Some(actor.user_id), |w| {
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
            let back = returned(&old);
            let wanted: Vec<(u32, u32)> = match &input.lines {
                None => (0..old.lines.len())
                    .filter_map(|i| {
                        let left = old.lines[i].quantity - back[i];
                        (left > 0).then(|| (u32::try_from(i).unwrap_or(u32::MAX), left))
                    })
                    .collect(),
                Some(lines) => lines.iter().map(|l| (l.line, l.quantity)).collect(),
            };
            let mut errors = FieldErrors::new();
            if wanted.is_empty() {
                errors.add("lines", "name at least one line to take back");
            }
            // Counted as they are named, so one line named twice cannot return more
            // pieces than were sold.
            let mut taking = back.clone();
            for (i, (line, qty)) in wanted.iter().enumerate() {
                match old.lines.get(*line as usize) {
                    None => errors.add(
                        format!("lines[{i}].line"),
                        "there is no such line on the bill",
                    ),
                    Some(l) if *qty == 0 || *qty > l.quantity - taking[*line as usize] => errors
                        .add(
                            format!("lines[{i}].quantity"),
                            format!(
                                "can be 1 to {} (the pieces not yet returned)",
                                l.quantity - taking[*line as usize]
                            ),
                        ),
                    Some(_) => taking[*line as usize] += qty,
                }
            }
            errors.into_result()?;
            let all_back = old.lines.iter().zip(&taking).all(|(l, n)| *n == l.quantity);
            let paid_back: i64 = old.refunds.iter().map(|r| r.amount.get()).sum();
            let amount = if all_back {
                // The last return pays back exactly what is left, so rounding never drifts.
                Paise::new(old.total.get() - paid_back)
            } else {
                let lines_total: i64 = old.lines.iter().map(|l| l.taxable_value.get()).sum();
                let mut taxable = 0i64;
                for (line, qty) in &wanted {
                    let l = &old.lines[*line as usize];
                    let value = share(l.taxable_value, i64::from(*qty), i64::from(l.quantity));
                    let discount = share(old.bill_discount, value.get(), lines_total);
                    taxable += value.get() - discount.get();
                }
                let supply = if old.igst.get() > 0 {
                    Supply::InterState
                } else {
                    Supply::IntraState
                };
                Paise::new(taxable + gst(Paise::new(taxable), supply).total().get())
            };
            for (line, qty) in &wanted {
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
                lines: wanted,
                amount,
                reason,
                staff_id: actor.user_id,
                at: w.now(),
            });
            let sale = Sale {
                status: if all_back {
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
