//! GST for the accountant: a month's sales register (every invoice and every return
//! dated in it), the B2C summary by place of supply and the HSN summary, whose totals
//! tie out. GST is the store's return, so only a Business Admin reads it.
//!
//! The register reads the month's bills through the GST index (`store::gst_days`); the
//! two summaries read the owner's figures (`app::figures`). The index and the figures
//! are read in one transaction, so the three tables always describe the same moment;
//! the bills themselves are then loaded in short transactions of [`LOAD_BATCH`], which
//! cannot change what the rows say: an invoice's amounts are fixed when it is issued and
//! returns are only ever added after the ones before.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::figures::{FigureFilter, place_sums, sum_facet};
use super::gst_tax::{GstMonth, HsnRow, PlaceRow, ReturnRow, TaxSums};
use super::invoice::HSN_JEWELLERY;
use super::{Actor, Crm, Error, Permission};
use crate::domain::gst_states::StateCode;
use crate::domain::sale_facts::{Facet, invoiced, pieces, refund, sale_facts};
use crate::domain::{Area, CustomerId, Milligrams, Paise, Sale, SaleId, SaleStatus};
use crate::store::figures::Grain;
use crate::store::gst_days::{GstEntry, gst_entries};
use crate::store::{Scope, Tables, customers, org, sales};

/// Bills loaded per read transaction.
const LOAD_BATCH: usize = 256;

/// One invoice of the month's register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRow {
    pub sale_id: SaleId,
    pub invoice_no: String,
    pub date: Date,
    pub customer: String,
    pub place_of_supply: Option<StateCode>,
    pub tax: TaxSums,
    /// Taxable value and taxes together, before the round-off.
    pub total: Paise,
    pub round_off: Paise,
    /// What the customer paid: the total and its round-off.
    pub payable: Paise,
    pub status: SaleStatus,
}

/// A month's GST summary: the register, the B2C table, the HSN table and their totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GstSummary {
    pub month: GstMonth,
    pub store_name: String,
    pub store_gstin: Option<String>,
    /// The store's own state: supplies there are intra-state (CGST + SGST).
    pub store_state: Option<StateCode>,
    pub invoices: Vec<InvoiceRow>,
    /// Returns made in the month, of bills of this month or earlier: credit notes.
    pub returns: Vec<ReturnRow>,
    pub b2c: Vec<PlaceRow>,
    pub hsn: Vec<HsnRow>,
}

impl GstSummary {
    /// The register's total: invoices less returns.
    pub fn register_total(&self) -> Option<TaxSums> {
        let sold = TaxSums::sum(self.invoices.iter().map(|r| r.tax))?;
        let back = TaxSums::sum(self.returns.iter().map(|r| r.tax))?;
        sold.minus(back)
    }

    pub fn b2c_total(&self) -> Option<TaxSums> {
        TaxSums::sum(self.b2c.iter().map(PlaceRow::net))
    }

    pub fn hsn_total(&self) -> Option<TaxSums> {
        TaxSums::sum(self.hsn.iter().map(|r| r.tax))
    }

    /// The amount customers paid on the month's invoices, round-off included.
    pub fn invoiced_payable(&self) -> Paise {
        Paise::new(self.invoices.iter().map(|r| r.payable.get()).sum())
    }

    /// What was paid back on the month's returns.
    pub fn returned_amount(&self) -> Paise {
        Paise::new(self.returns.iter().map(|r| r.amount.get()).sum())
    }
}

/// The month's B2C and HSN tables and its register's index, read in one transaction.
struct Snapshot {
    entries: Vec<GstEntry>,
    b2c: Vec<PlaceRow>,
    hsn: Vec<HsnRow>,
    store: Option<crate::domain::Store>,
}

fn overflow() -> Error {
    Error::internal_message("the GST summary left the range of its sums")
}

fn snapshot(tx: &impl Tables, scope: &Scope, span: (Date, Date)) -> Result<Snapshot, Error> {
    let store = org::store(tx, scope)?;
    let store_state = store
        .as_ref()
        .and_then(|s| StateCode::of(s.state_code.as_str()));
    let b2c = place_sums(tx, scope, span)?
        .into_iter()
        .map(|(place, sold, back)| PlaceRow {
            place,
            inter_state: place.is_some() && place != store_state,
            sold: TaxSums::new(sold.taxable, sold.cgst, sold.sgst, sold.igst),
            returned: TaxSums::new(back.taxable, back.cgst, back.sgst, back.igst),
        })
        .collect();
    let whole = |_: &crate::store::figures::FigureRow| Some(());
    let filter = FigureFilter::default();
    let measures = |facet| -> Result<_, Error> {
        let sums = sum_facet(tx, scope, facet, span, Grain::Months, filter, whole)?;
        Ok(sums.into_values().next().unwrap_or_default())
    };
    let bills = measures(Facet::Invoiced)?;
    let lines = measures(Facet::Purity)?;
    let back = measures(Facet::Refund)?;
    let sold = TaxSums::new(
        Paise::new(bills[invoiced::TAXABLE]),
        Paise::new(bills[invoiced::CGST]),
        Paise::new(bills[invoiced::SGST]),
        Paise::new(bills[invoiced::IGST]),
    );
    let returned = TaxSums::new(
        Paise::new(back[refund::TAXABLE]),
        Paise::new(back[refund::CGST]),
        Paise::new(back[refund::SGST]),
        Paise::new(back[refund::IGST]),
    );
    let net_mg = lines[pieces::NET_MG]
        .checked_sub(back[refund::NET_MG])
        .ok_or_else(overflow)?;
    let tax = sold.minus(returned).ok_or_else(overflow)?;
    // Every piece the catalogue can hold (gold, silver and platinum jewellery, with or
    // without stones) is an article of jewellery of precious metal, HSN 7113; the table
    // has a row only when the month sold or took back something.
    let hsn = if tax == TaxSums::default() && net_mg == 0 {
        Vec::new()
    } else {
        vec![HsnRow {
            hsn: HSN_JEWELLERY,
            description: "Articles of jewellery of precious metal",
            net_weight: Milligrams::total(net_mg),
            tax,
        }]
    };
    Ok(Snapshot {
        entries: gst_entries(tx, scope, span)?,
        b2c,
        hsn,
        store,
    })
}

fn day_in(at: jiff::Timestamp, zone: &TimeZone) -> Date {
    at.to_zoned_datetime(zone.clone()).date()
}

/// The register's row of an invoiced bill.
fn invoice_row(sale: &Sale, customer: String, zone: &TimeZone) -> InvoiceRow {
    let total = Paise::new(
        sale.taxable_value
            .get()
            .saturating_add(sale.cgst.get())
            .saturating_add(sale.sgst.get())
            .saturating_add(sale.igst.get()),
    );
    InvoiceRow {
        sale_id: sale.id,
        invoice_no: sale
            .invoice_no
            .as_ref()
            .map_or_else(String::new, |n| n.as_str().to_owned()),
        date: day_in(sale.completed_at.unwrap_or(sale.created_at), zone),
        customer,
        place_of_supply: sale.place_of_supply,
        tax: TaxSums::new(sale.taxable_value, sale.cgst, sale.sgst, sale.igst),
        total,
        round_off: sale.round_off,
        payable: sale.payable(),
        status: sale.status,
    }
}

/// The register's row of return `place` of a bill: its share of the bill's taxable
/// value and taxes, exactly as the figures count it (`domain::sale_facts`).
fn return_row(
    sale: &Sale,
    place: usize,
    customer: String,
    zone: &TimeZone,
) -> Result<Option<(Timestamp, ReturnRow)>, Error> {
    let Some(returned) = sale.refunds.get(place) else {
        return Ok(None);
    };
    let facts = sale_facts(sale, zone, None).ok_or_else(overflow)?;
    let Some(fact) = facts.iter().filter(|f| f.facet == Facet::Refund).nth(place) else {
        return Ok(None);
    };
    let m = &fact.measures;
    let row = ReturnRow {
        sale_id: sale.id,
        invoice_no: sale
            .invoice_no
            .as_ref()
            .map_or_else(String::new, |n| n.as_str().to_owned()),
        invoiced_on: day_in(sale.completed_at.unwrap_or(sale.created_at), zone),
        date: fact.day,
        customer,
        place_of_supply: sale.place_of_supply,
        tax: TaxSums::new(
            Paise::new(m[refund::TAXABLE]),
            Paise::new(m[refund::CGST]),
            Paise::new(m[refund::SGST]),
            Paise::new(m[refund::IGST]),
        ),
        amount: returned.amount,
        pieces: m[refund::PIECES],
        net_weight: Milligrams::total(m[refund::NET_MG]),
    };
    Ok(Some((returned.at, row)))
}

impl Crm {
    /// The GST summary of `month` for the actor's store. Only a Business Admin (or an
    /// API key of one that may read sales) reads it: it is the whole store's return.
    pub fn gst_summary(&self, actor: &Actor, month: GstMonth) -> Result<GstSummary, Error> {
        actor.require_read(Area::Sales)?;
        if !actor.may(Permission::EveryFloor) {
            return Err(Error::Forbidden(
                "the GST summary is the whole store's return, so only a Business Admin can see it; ask the store owner".into(),
            ));
        }
        let scope = actor.store_scope();
        let span = month.span();
        let zone = self.config.time_zone();
        let snap = self.db.read(|rx| snapshot(rx, &scope, span))?;
        let mut names: HashMap<CustomerId, String> = HashMap::new();
        // Each row with the moment it was made, which orders the register as the
        // serials were issued (a seven-digit serial sorts before six as text).
        let mut invoices: Vec<(Timestamp, InvoiceRow)> = Vec::new();
        let mut returns: Vec<(Timestamp, ReturnRow)> = Vec::new();
        for batch in snap.entries.chunks(LOAD_BATCH) {
            self.db.read(|rx| -> Result<(), Error> {
                for entry in batch {
                    let (GstEntry::Invoice(id) | GstEntry::Return(id, _)) = *entry;
                    let sale = sales::sale(rx, &scope, id)?.ok_or_else(|| {
                        Error::internal_message("the GST index names a missing sale")
                    })?;
                    let customer = match names.get(&sale.customer_id) {
                        Some(name) => name.clone(),
                        None => {
                            let name = customers::customer(rx, &scope, sale.customer_id)?
                                .map_or_else(String::new, |c| c.name.as_str().to_owned());
                            names.insert(sale.customer_id, name.clone());
                            name
                        }
                    };
                    match *entry {
                        GstEntry::Invoice(_) => {
                            let at = sale.completed_at.unwrap_or(sale.created_at);
                            invoices.push((at, invoice_row(&sale, customer, &zone)));
                        }
                        GstEntry::Return(_, place) => {
                            returns.extend(return_row(&sale, place, customer, &zone)?);
                        }
                    }
                }
                Ok(())
            })?;
        }
        invoices.sort_by_key(|(at, _)| *at);
        returns.sort_by_key(|(at, _)| *at);
        Ok(GstSummary {
            month,
            store_name: snap
                .store
                .as_ref()
                .map_or_else(String::new, |s| s.name.as_str().to_owned()),
            store_gstin: snap
                .store
                .as_ref()
                .and_then(|s| s.gstin.as_ref())
                .map(ToString::to_string),
            store_state: snap
                .store
                .as_ref()
                .and_then(|s| StateCode::of(s.state_code.as_str())),
            invoices: invoices.into_iter().map(|(_, row)| row).collect(),
            returns: returns.into_iter().map(|(_, row)| row).collect(),
            b2c: snap.b2c,
            hsn: snap.hsn,
        })
    }
}
