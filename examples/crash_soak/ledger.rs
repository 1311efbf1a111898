//! What the crash soak's writers were told was stored (every 2xx they got), and the
//! checks that find each of those records again after a `kill -9`: with its data, with
//! the invoice series unbroken, and in the search index.

use std::collections::BTreeMap;

use serde_json::Value;

use super::server::Api;

/// A customer the server acknowledged creating.
#[derive(Debug, Clone)]
pub struct AckedCustomer {
    pub id: String,
    pub code: String,
    pub name: String,
    /// The ten digits sent; the server stores them in E.164 (`+91…`).
    pub phone: String,
}

/// A bill the server acknowledged drawing up, and its invoice number once it
/// acknowledged completing it.
#[derive(Debug, Clone)]
pub struct AckedSale {
    pub id: String,
    pub customer_id: String,
    pub invoice_no: Option<String>,
}

/// Every acknowledged write, and which cycle it came in.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    pub customers: Vec<(u32, AckedCustomer)>,
    pub sales: BTreeMap<String, (u32, AckedSale)>,
    /// Acknowledged writes of every kind (customers, bills, completions).
    pub writes: usize,
}

impl Ledger {
    pub fn customer(&mut self, cycle: u32, customer: AckedCustomer) {
        self.writes += 1;
        self.customers.push((cycle, customer));
    }

    pub fn sale(&mut self, cycle: u32, sale: AckedSale) {
        self.writes += 1;
        self.sales.insert(sale.id.clone(), (cycle, sale));
    }

    pub fn completed(&mut self, sale_id: &str, invoice_no: String) {
        self.writes += 1;
        if let Some((_, sale)) = self.sales.get_mut(sale_id) {
            sale.invoice_no = Some(invoice_no);
        }
    }
}

/// Which acknowledged records a check reads back.
#[derive(Debug, Clone, Copy)]
pub enum Reach {
    /// Those of this cycle, and every `stride`-th older one from `offset` (a seeded
    /// sample, so a long soak does not reread everything every cycle).
    Cycle {
        cycle: u32,
        stride: usize,
        offset: usize,
    },
    /// Every one.
    All,
}

impl Reach {
    fn includes(self, index: usize, cycle_of_record: u32) -> bool {
        match self {
            Reach::All => true,
            Reach::Cycle {
                cycle,
                stride,
                offset,
            } => cycle_of_record == cycle || index % stride.max(1) == offset % stride.max(1),
        }
    }
}

/// Reads back the acknowledged records `reach` picks; answers what is missing or wrong.
pub async fn check_records(api: &Api, ledger: &Ledger, reach: Reach) -> Vec<String> {
    let mut lost = Vec::new();
    for (index, (cycle, acked)) in ledger.customers.iter().enumerate() {
        if !reach.includes(index, *cycle) {
            continue;
        }
        match api.get_json(&format!("/api/customers/{}", acked.id)).await {
            Ok(found)
                if found["name"] == acked.name.as_str()
                    && found["code"] == acked.code.as_str()
                    && found["phone"]
                        .as_str()
                        .is_some_and(|phone| phone.ends_with(&acked.phone)) => {}
            Ok(found) => lost.push(format!(
                "customer {} came back changed: {found}",
                acked.code
            )),
            Err(status) => lost.push(format!(
                "customer {} ({}) is gone: {status}",
                acked.code, acked.id
            )),
        }
    }
    for (index, (cycle, acked)) in ledger.sales.values().enumerate() {
        if !reach.includes(index, *cycle) {
            continue;
        }
        match api.get_json(&format!("/api/sales/{}", acked.id)).await {
            Ok(found) => {
                let status = found["status"].as_str().unwrap_or("");
                let right = match &acked.invoice_no {
                    Some(invoice) => {
                        status == "COMPLETED" && found["invoice_no"] == invoice.as_str()
                    }
                    // A completion may have been stored without its answer reaching us.
                    None => status == "PENDING" || status == "COMPLETED",
                };
                if !right || found["customer_id"] != acked.customer_id.as_str() {
                    lost.push(format!(
                        "bill {} came back as {status} {}",
                        acked.id, found["invoice_no"]
                    ));
                }
            }
            Err(status) => lost.push(format!("bill {} is gone: {status}", acked.id)),
        }
    }
    lost
}

/// The invoice numbers of every completed bill: each series (the number before its
/// serial) counts 1, 2, 3… with no gap and no number twice.
pub async fn check_invoice_series(api: &Api) -> Result<usize, Vec<String>> {
    let mut series: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut next = "/api/sales?status=COMPLETED&limit=200".to_owned();
    loop {
        let page = api
            .get_json(&next)
            .await
            .map_err(|status| vec![format!("the sales list answers {status}")])?;
        for sale in page["items"].as_array().into_iter().flatten() {
            let invoice = sale["invoice_no"].as_str().unwrap_or_default();
            let (prefix, serial) = invoice.rsplit_once('/').unwrap_or(("", invoice));
            let Ok(serial) = serial.parse::<u64>() else {
                return Err(vec![format!(
                    "completed bill {} has invoice number {invoice:?}",
                    sale["id"]
                )]);
            };
            series.entry(prefix.to_owned()).or_default().push(serial);
        }
        match page["next"].as_str() {
            Some(cursor) => next = format!("/api/sales?status=COMPLETED&limit=200&cursor={cursor}"),
            None => break,
        }
    }
    let mut problems = Vec::new();
    let mut count = 0;
    for (prefix, mut serials) in series {
        serials.sort_unstable();
        count += serials.len();
        for (expected, serial) in (1..).zip(&serials) {
            if *serial != expected {
                problems.push(format!(
                    "invoice series {prefix}/ has {serial} where {expected} belongs (a gap or a number twice)"
                ));
                break;
            }
        }
    }
    if problems.is_empty() {
        Ok(count)
    } else {
        Err(problems)
    }
}

/// Searches for each acknowledged customer `reach` picks by their code, once the
/// index has caught up; answers those it does not find.
pub async fn check_search(api: &Api, ledger: &Ledger, reach: Reach) -> Vec<String> {
    if let Err(problem) = api.index_caught_up().await {
        return vec![problem];
    }
    let mut missing = Vec::new();
    for (index, (cycle, acked)) in ledger.customers.iter().enumerate() {
        if !reach.includes(index, *cycle) {
            continue;
        }
        let found = api
            .get_json(&format!("/api/customers?q={}", acked.code))
            .await;
        let page: Value = match found {
            Ok(page) => page,
            Err(err) => {
                missing.push(format!("a search for {} failed: {err}", acked.code));
                continue;
            }
        };
        let listed = page["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|c| c["id"] == acked.id.as_str()));
        if !listed {
            missing.push(format!("a search for {} does not find it", acked.code));
        }
    }
    missing
}
