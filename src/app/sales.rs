//! Selling: a bill is drawn up (PENDING) with its lines priced from the day's rates and
//! locked, then completed (the counter's rules checked, stock taken, an invoice number
//! given, all in one write transaction) or cancelled.

use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::users::non_blank;
use super::{Actor, Crm, Error, Permission};
use crate::domain::Area;
use crate::domain::billing::{self, BillRefusal, CounterRule};
use crate::domain::gst_states::{StateCode, supply_for};
use crate::domain::pricing::Supply;
use crate::domain::{
    BasisPoints, Customer, CustomerId, FieldErrors, FinancialYear, FloorId, Interaction,
    InteractionId, InteractionType, InvoiceNo, Milligrams, Paise, Payment, PaymentMethod, Phone,
    Product, ProductId, Purity, Sale, SaleId, SaleStatus, SellerGst, Sku, Store, Text,
};
use crate::store::{
    ChangeOp, Scope, Tables, activity, catalogue, customer_cash, customers, org, rates,
    sales as repo,
};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleInput {
    /// The customer; or give `customer_phone` instead.
    pub customer_id: Option<Uuid>,
    /// The customer's phone as typed, for a counter that knows the number, not the id.
    pub customer_phone: Option<String>,
    /// Required for an admin; a Floor Manager sells on their own floor.
    pub floor_id: Option<Uuid>,
    pub lines: Vec<SaleLineInput>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 999_999_999_999_i64)]
    pub bill_discount_paise: i64,
    #[serde(default)]
    pub payments: Vec<PaymentInput>,
    #[schema(schema_with = super::field_schemas::optional_text::<1000>)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleLineInput {
    /// The piece; or give its tag number as `sku` instead.
    pub product_id: Option<Uuid>,
    pub sku: Option<String>,
    /// From 1 to 1,000 pieces; defaults to 1.
    #[schema(minimum = 1, maximum = 1000)]
    pub quantity: Option<u32>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 999_999_999_999_i64)]
    pub discount_paise: i64,
}

/// One part of the payment. Old gold gives its weight, purity and melting deduction
/// instead of an amount: it is valued at today's rate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    pub method: PaymentMethod,
    pub amount_paise: Option<i64>,
    #[schema(schema_with = super::field_schemas::optional_text::<100>)]
    pub reference: Option<String>,
    pub old_gold: Option<OldGoldInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OldGoldInput {
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub weight_mg: i64,
    /// `22K`, `18K`…
    pub purity: String,
    /// Melting deduction in basis points (200 = 2%).
    #[schema(minimum = 0, maximum = 10_000)]
    pub deduction_bp: i64,
}

/// What completing a bill may add: the reference of the Form 60 a customer without a
/// PAN signed, for a bill of ₹2,00,000 or more.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    #[schema(schema_with = super::field_schemas::optional_text::<100>)]
    pub form60_reference: Option<String>,
}

/// Pieces coming back. Without `lines`, everything not yet returned comes back.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    pub lines: Option<Vec<RefundLineInput>>,
    #[schema(schema_with = super::field_schemas::required_text::<500>)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundLineInput {
    /// Position of the line on the bill, from 0.
    pub line: u32,
    pub quantity: u32,
}

impl Crm {
    /// Draws up a bill: lines priced at the rates in force now and locked into it.
    pub fn create_sale(&self, actor: &Actor, input: SaleInput) -> Result<Sale, Error> {
        actor.require_write(Area::Sales)?;
        let floor = sale_floor(actor, &input)?;
        let scope = actor.store_scope();
        self.db.write(actor.author(), |w| {
            let sale = self.draw_up(w, &scope, actor, floor, &input, w.now())?;
            repo::insert_sale(w, &sale)?;
            Ok(sale)
        })
    }

    /// The bill `create_sale` would draw up, priced and checked the same way but not
    /// stored: the counter shows it to the customer before anyone commits to it.
    pub fn quote_sale(&self, actor: &Actor, input: SaleInput) -> Result<Sale, Error> {
        actor.require_read(Area::Sales)?;
        let floor = sale_floor(actor, &input)?;
        let scope = actor.store_scope();
        let now = jiff::Timestamp::now();
        self.db
            .read(|rx| self.draw_up(rx, &scope, actor, floor, &input, now))
    }

    pub(super) fn draw_up(
        &self,
        tx: &impl Tables,
        scope: &Scope,
        actor: &Actor,
        floor: FloorId,
        input: &SaleInput,
        now: jiff::Timestamp,
    ) -> Result<Sale, Error> {
        let mut errors = FieldErrors::new();
        if org::floor(tx, scope, floor)?.is_none_or(|f| f.deleted_at.is_some()) {
            errors.add("floor_id", "no such floor in this store");
        }
        let customer = find_customer(tx, scope, input, &mut errors)?;
        if input.lines.is_empty() {
            errors.add("lines", "add at least one piece to the bill");
        }
        let mut lines = Vec::new();
        let mut line_categories = Vec::new();
        for (i, line) in input.lines.iter().enumerate() {
            let Some(product) = find_product(tx, scope, line, i, &mut errors)? else {
                continue;
            };
            let rate = rates::current_rate(tx, scope, product.purity)?.map(|r| r.per_gram);
            if rate.is_none() && product.fixed_price.is_none() {
                // Without a rate the advice depends on who may set one.
                errors.add(
                    format!("lines[{i}]"),
                    format!(
                        "no {} {} rate is set today; {}",
                        product.purity,
                        product.metal.label().to_lowercase(),
                        missing_rate_advice(actor)
                    ),
                );
                continue;
            }
            let quantity = line.quantity.unwrap_or(1);
            if !(1..=billing::MAX_QUANTITY).contains(&quantity) {
                errors.add(
                    format!("lines[{i}].quantity"),
                    format!(
                        "write how many pieces, from 1 to {}; {quantity} is more than a counter sells at once",
                        billing::MAX_QUANTITY
                    ),
                );
                continue;
            }
            let discount = match Paise::non_negative(line.discount_paise) {
                Ok(discount) => discount,
                Err(e) => {
                    errors.add(
                        format!("lines[{i}].discount_paise"),
                        format!("the discount {}", e.0),
                    );
                    continue;
                }
            };
            match billing::price_line(&product, quantity, rate, discount) {
                Ok(priced) => {
                    lines.push(priced);
                    line_categories.push(product.category_id);
                }
                Err(e) => errors.add(format!("lines[{i}]"), e.0),
            }
        }
        let mut payments = Vec::new();
        for (i, p) in input.payments.iter().enumerate() {
            match parse_payment(tx, scope, p, missing_rate_advice(actor)) {
                Ok(payment) => payments.push(payment),
                Err(e) => errors.add(format!("payments[{i}]"), e),
            }
        }
        if let Err(e) = billing::payments_total(&payments) {
            errors.add("payments", e.0);
        }
        let bill_discount = match Paise::non_negative(input.bill_discount_paise) {
            Ok(d) => d,
            Err(e) => {
                errors.add("bill_discount_paise", format!("the bill discount {}", e.0));
                Paise::ZERO
            }
        };
        let notes = match Text::parse(input.notes.as_deref().unwrap_or("")) {
            Ok(n) => n,
            Err(e) => {
                errors.add("notes", e.0);
                Text::default()
            }
        };
        errors.clone().into_result()?;
        let (Some(customer), Some(store)) = (customer, org::store(tx, scope)?) else {
            return Err(errors.into());
        };
        // A store without a GSTIN is not registered under GST and may not collect it:
        // its bills charge none and are bills of supply. The registration is kept on
        // the sale, so registering later never changes a bill already drawn up.
        let (supply, seller_gst) = match &store.gstin {
            Some(gstin) => (
                supply_for(store.state_code.as_str(), customer.address.state.as_str()),
                SellerGst::Registered(gstin.clone()),
            ),
            None => (Supply::ByUnregisteredSeller, SellerGst::Unregistered),
        };
        let totals =
            billing::bill_totals(&lines, bill_discount, supply).map_err(
                |refusal| match refusal {
                    BillRefusal::Discount(e) => Error::field("bill_discount_paise", e.0),
                    BillRefusal::TooLarge(e) => Error::field("lines", e.0),
                },
            )?;
        // The amount payable is rounded under the store's setting of today and kept on
        // the sale, so a later change of setting never alters a bill already drawn up.
        let rounded = store.round_off.apply(totals.total).ok_or_else(|| {
            Error::field(
                "lines",
                "the bill is too large to work out; split it into smaller bills",
            )
        })?;
        // Payments may still fall short (completing refuses that), but only cash may be
        // more than is due: the excess is the change handed back.
        let change_given = billing::change_due(rounded.payable, &payments)
            .map_err(|rule| counter_refusal(&rule))?;
        Ok(Sale {
            id: SaleId::new(),
            store_id: actor.store_id,
            floor_id: floor,
            customer_id: customer.id,
            status: SaleStatus::Pending,
            invoice_no: None,
            lines,
            bill_discount,
            taxable_value: totals.taxable,
            cgst: totals.gst.cgst,
            sgst: totals.gst.sgst,
            igst: totals.gst.igst,
            total: totals.total,
            payments,
            staff_id: actor.user_id,
            notes,
            created_at: now,
            completed_at: None,
            updated_at: now,
            refunds: Vec::new(),
            form60: None,
            round_off: rounded.round_off,
            change_given,
            seller_gst,
            corrections: Vec::new(),
            line_categories,
            place_of_supply: place_of_supply(&customer, &store),
        })
    }

    pub fn get_sale(&self, actor: &Actor, id: SaleId) -> Result<Sale, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        self.db
            .read(|rx| repo::sale(rx, &scope, id))?
            .ok_or(Error::NotFound("sale"))
    }

    /// The newest sales a person may see: their floor's, or the whole store's for an admin.
    pub fn recent_sales(
        &self,
        actor: &Actor,
        before: Option<SaleId>,
        limit: usize,
    ) -> Result<Vec<Sale>, Error> {
        let scope = actor.floor_scope()?;
        Ok(self
            .db
            .read(|rx| repo::recent_sales(rx, &scope, before, limit))?)
    }

    /// Completes a pending bill today.
    pub fn complete_sale(
        &self,
        actor: &Actor,
        id: SaleId,
        input: CompleteInput,
    ) -> Result<Sale, Error> {
        self.complete_sale_on(actor, id, input, self.today())
    }

    /// Completes a pending bill as of `day` (which decides the financial year of its
    /// invoice number and the day the cash limit counts): the counter's rules, stock
    /// taken, the invoice number given and the customer converted, in one transaction.
    pub fn complete_sale_on(
        &self,
        actor: &Actor,
        id: SaleId,
        input: CompleteInput,
        day: Date,
    ) -> Result<Sale, Error> {
        actor.require_write(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let form60 = non_blank(input.form60_reference.as_deref())
            .map(Text::<100>::parse)
            .transpose()
            .map_err(|e| Error::field("form60_reference", e.0))?;
        let prefix = self.config.store.invoice_prefix.clone();
        self.db.write(actor.author(), |w| {
            let old = repo::sale(w, &scope, id)?.ok_or(Error::NotFound("sale"))?;
            if old.status != SaleStatus::Pending {
                return Err(Error::field("status", format!("this sale is {} already; only a pending sale can be completed", old.status)));
            }
            let customer = customers::customer(w, &scope.store_only(), old.customer_id)?
                .ok_or(Error::NotFound("customer"))?;
            let cash_earlier = customer_cash::cash_kept(w, &scope.store_only(), customer.id, day)?.on_day;
            billing::check_counter_rules(old.payable(), &old.payments, cash_earlier, customer.pan.is_some() || form60.is_some())
                .map_err(|rule| counter_refusal(&rule))?;
            for line in &old.lines {
                let product = catalogue::product(w, &scope.store_only(), line.product_id)?
                    .ok_or(Error::NotFound("product"))?;
                let Some(left) = product.stock_qty.checked_sub(line.quantity) else {
                    return Err(Error::Conflict {
                        message: format!("{} ({}) has {} in stock, fewer than the {} on this bill; it may have just been sold", product.name, product.sku.as_str(), product.stock_qty, line.quantity),
                        field: Some("lines"),
                        existing_id: None,
                    });
                };
                let new = crate::domain::Product { stock_qty: left, updated_at: w.now(), ..product.clone() };
                catalogue::update_product(w, &product, &new, ChangeOp::Updated)?;
            }
            let year = FinancialYear::containing(day);
            let serial = repo::next_invoice_serial(w, old.store_id, year)?;
            let invoice = InvoiceNo::new(&prefix, year, u32::try_from(serial).unwrap_or(u32::MAX))
                .map_err(|e| Error::internal("numbering the invoice", e))?;
            let now = w.now();
            let sale = Sale {
                status: SaleStatus::Completed,
                invoice_no: Some(invoice),
                completed_at: Some(now),
                updated_at: now,
                form60,
                ..old.clone()
            };
            let bought_before = crate::store::customer_values::customer_value(w, &scope.store_only(), customer.id)?.purchases > 0;
            repo::update_sale(w, &old, &sale)?;
            // The customer's timeline shows the sale as it shows a walk-in or a call.
            let logged = Interaction {
                id: InteractionId::new(),
                store_id: sale.store_id,
                floor_id: sale.floor_id,
                customer_id: sale.customer_id,
                kind: InteractionType::Sale,
                notes: Text::parse(&format!(
                    "Invoice {} for {}",
                    sale.invoice_no.as_ref().map_or("", |n| n.as_str()),
                    sale.payable()
                ))
                .unwrap_or_default(),
                outcome: Text::default(),
                sale_id: Some(sale.id),
                staff_id: actor.user_id,
                occurred_at: now,
                created_at: now,
            };
            activity::insert_interaction(w, &logged)?;
            // The floor's managers hear of it on their tablets.
            super::notifications::sale_completed(w, &sale, &customer, actor)?;
            let status = crate::domain::status_after_purchase(customer.status, bought_before);
            if status != customer.status {
                let converted = crate::domain::Customer { status, updated_at: now, ..customer.clone() };
                customers::update_customer(w, &customer, &converted, ChangeOp::Updated)?;
            }
            Ok(sale)
        })
    }

    /// Cancels a pending bill; nothing was taken from stock and no invoice was issued.
    pub fn cancel_sale(&self, actor: &Actor, id: SaleId) -> Result<Sale, Error> {
        actor.require_write(Area::Sales)?;
        let scope = actor.floor_scope()?;
        self.db.write(actor.author(), |w| {
            let old = repo::sale(w, &scope, id)?.ok_or(Error::NotFound("sale"))?;
            if old.status != SaleStatus::Pending {
                return Err(Error::field("status", format!("this sale is {}; only a pending sale can be cancelled (a completed one is refunded)", old.status)));
            }
            let sale = Sale { status: SaleStatus::Cancelled, updated_at: w.now(), ..old.clone() };
            repo::update_sale(w, &old, &sale)?;
            Ok(sale)
        })
    }
}

/// Where a bill is supplied: the customer's state, or the store's when the customer's
/// address names none (a walk-in buys over the counter, in the store's state).
pub(super) fn place_of_supply(customer: &Customer, store: &Store) -> Option<StateCode> {
    StateCode::of(customer.address.state.as_str())
        .or_else(|| StateCode::of(store.state_code.as_str()))
}

/// The floor a bill is drawn up on: a Floor Manager's own, or the one an admin names.
fn sale_floor(actor: &Actor, input: &SaleInput) -> Result<FloorId, Error> {
    let floor = match (actor.floor_id, input.floor_id) {
        (Some(own), None) => own,
        (_, Some(given)) => FloorId::from_uuid(given),
        (None, None) => {
            return Err(Error::field("floor_id", "choose the floor making the sale"));
        }
    };
    actor.require_floor(Some(floor), "sale")?;
    Ok(floor)
}

/// The live customer named by id or by phone; a problem with either is noted in `errors`.
fn find_customer(
    tx: &impl Tables,
    scope: &Scope,
    input: &SaleInput,
    errors: &mut FieldErrors,
) -> Result<Option<Customer>, Error> {
    let phone = non_blank(input.customer_phone.as_deref());
    let found = match (input.customer_id, phone) {
        (Some(id), _) => customers::customer(tx, scope, CustomerId::from_uuid(id))?,
        (None, Some(typed)) => match Phone::parse(typed) {
            Ok(phone) => {
                let found = customers::customer_by_phone(tx, scope, &phone)?;
                if found.is_none() {
                    errors.add(
                        "customer_phone",
                        format!("no customer has the phone {typed}; add them as a customer first"),
                    );
                    return Ok(None);
                }
                found
            }
            Err(e) => {
                errors.add("customer_phone", e.0);
                return Ok(None);
            }
        },
        (None, None) => {
            errors.add("customer_phone", "give the customer's phone number");
            return Ok(None);
        }
    };
    let live = found.filter(|c| c.deleted_at.is_none());
    if live.is_none() {
        errors.add("customer_id", "no such customer in this store");
    }
    Ok(live)
}

/// The live piece on sale named by id or tag number; a problem is noted in `errors`.
fn find_product(
    tx: &impl Tables,
    scope: &Scope,
    line: &SaleLineInput,
    i: usize,
    errors: &mut FieldErrors,
) -> Result<Option<Product>, Error> {
    let found = match (line.product_id, non_blank(line.sku.as_deref())) {
        (Some(id), _) => catalogue::product(tx, scope, ProductId::from_uuid(id))?,
        (None, Some(typed)) => match Sku::parse(typed) {
            Ok(sku) => catalogue::product_by_sku(tx, scope, &sku)?,
            Err(e) => {
                errors.add(format!("lines[{i}].sku"), e.0);
                return Ok(None);
            }
        },
        (None, None) => {
            errors.add(format!("lines[{i}].sku"), "give the piece's tag number");
            return Ok(None);
        }
    };
    let on_sale = found.filter(|p| p.deleted_at.is_none() && p.active);
    if on_sale.is_none() {
        let field = if line.product_id.is_some() {
            "product_id"
        } else {
            "sku"
        };
        errors.add(
            format!("lines[{i}].{field}"),
            "no such piece on sale in this store",
        );
    }
    Ok(on_sale)
}

/// What to do about a missing rate: the owner sets it; anyone else asks them to.
fn missing_rate_advice(actor: &Actor) -> &'static str {
    if actor.may(Permission::SetRates) {
        "set it on the rates page first"
    } else {
        "ask the owner to set today's rates"
    }
}

fn parse_payment(
    tx: &impl Tables,
    scope: &Scope,
    input: &PaymentInput,
    rate_advice: &str,
) -> Result<Payment, String> {
    let reference = Text::parse(input.reference.as_deref().unwrap_or("")).map_err(|e| e.0)?;
    if input.method == PaymentMethod::OldGold {
        let old = input
            .old_gold
            .as_ref()
            .ok_or("old gold needs its weight, purity and deduction")?;
        let weight = Milligrams::positive(old.weight_mg).map_err(|e| format!("weight {}", e.0))?;
        let purity = Purity::parse(crate::domain::Metal::Gold, &old.purity).map_err(|e| e.0)?;
        let deduction =
            BasisPoints::new(old.deduction_bp).map_err(|e| format!("deduction {}", e.0))?;
        let rate = rates::current_rate(tx, scope, purity)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| {
                format!("no {purity} gold rate is set today to value old gold; {rate_advice}")
            })?;
        let valued = billing::value_old_gold(weight, purity, rate.per_gram, deduction);
        return Ok(Payment {
            method: PaymentMethod::OldGold,
            amount: valued.value,
            reference,
            old_gold: Some(valued),
        });
    }
    if input.old_gold.is_some() {
        return Err("only an OLD_GOLD payment describes old gold".into());
    }
    let amount = input
        .amount_paise
        .ok_or("give the amount in paise")
        .map_err(str::to_owned)
        .and_then(|a| Paise::non_negative(a).map_err(|e| format!("the amount {}", e.0)))?;
    Ok(Payment {
        method: input.method,
        amount,
        reference,
        old_gold: None,
    })
}

fn counter_refusal(rule: &CounterRule) -> Error {
    let field = match rule {
        CounterRule::CashLimit { .. }
        | CounterRule::PaymentsDoNotAddUp { .. }
        | CounterRule::NonCashOverpaid { .. } => "payments",
        CounterRule::PanRequired { .. } => "customer.pan",
    };
    Error::field(field, rule.to_string())
}
