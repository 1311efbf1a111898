//! What two records of one person share (an e-mail, the sound of a surname), kept as
//! an index of live customers, and the possible duplicates found through it.
//!
//! Customers are compared only with others under the same key, a few at a time, and a
//! page stops after a bounded walk: finding duplicates never compares every customer
//! with every other, nor reads the whole store in one request.

use std::collections::HashSet;

use redb::{ReadableTable, WriteTransaction};

use super::codec::decode;
use super::repo::{Tables, decode_from};
use super::{Scope, StoreError, Writer, tables};
use crate::domain::name_match::{LIKELY_DUPLICATE, name_similarity, sound_key};
use crate::domain::{Customer, CustomerId, Email, StoreId};

/// Customers of one key compared with each other at most; a key shared by more (a
/// common surname in a big store) is looked at through its first ones only.
const GROUP_CAP: usize = 40;
/// Index entries one page reads at most, whatever it finds.
const MAX_WALK: usize = 20_000;

fn email_key(email: &Email) -> String {
    format!("e:{}", email.as_str().to_lowercase())
}

/// The keys of a customer: none once removed.
fn keys_of(c: &Customer) -> Vec<String> {
    if c.deleted_at.is_some() {
        return Vec::new();
    }
    let mut keys: Vec<String> = c.email.iter().map(email_key).collect();
    keys.extend(sound_key(c.name.as_str()).map(|k| format!("n:{k}")));
    keys
}

/// Brings a customer's keys in line with the record as now saved (`old` as it was).
pub(super) fn customer_saved(
    w: &Writer,
    old: Option<&Customer>,
    new: &Customer,
) -> Result<(), StoreError> {
    let (before, after) = (old.map(keys_of).unwrap_or_default(), keys_of(new));
    if before == after {
        return Ok(());
    }
    let mut index = w.tx.open_table(tables::CUSTOMERS_BY_MATCH_KEY)?;
    let (s, id) = (new.store_id.as_u128(), new.id.as_u128());
    for key in &before {
        index.remove((s, key.as_str(), id))?;
    }
    for key in &after {
        index.insert((s, key.as_str(), id), ())?;
    }
    Ok(())
}

/// Files a survivor under its alias e-mails too (`add`), or takes it out.
pub(super) fn alias_emails(
    w: &Writer,
    store: StoreId,
    customer: CustomerId,
    emails: &[Email],
    add: bool,
) -> Result<(), StoreError> {
    let mut index = w.tx.open_table(tables::CUSTOMERS_BY_MATCH_KEY)?;
    let (s, id) = (store.as_u128(), customer.as_u128());
    for key in emails.iter().map(email_key) {
        if add {
            index.insert((s, key.as_str(), id), ())?;
        } else {
            index.remove((s, key.as_str(), id))?;
        }
    }
    Ok(())
}

/// Why two customers are listed as possible duplicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DuplicateReason {
    /// One's e-mail is the other's, or one of its aliases.
    SameEmail,
    /// Names alike (the score, 0 to 1) and no address that tells them apart.
    SimilarName(f32),
}

#[derive(Debug, Clone)]
pub struct DuplicatePair {
    pub a: Customer,
    pub b: Customer,
    pub reason: DuplicateReason,
}

/// A page of possible duplicates, and the key to go on from when more may follow.
#[derive(Debug, Clone)]
pub struct DuplicatePage {
    pub pairs: Vec<DuplicatePair>,
    pub next: Option<String>,
}

/// Up to `limit` pairs of the scope's live customers who may be one person, from the
/// keys past `after`, both of each pair accepted by `keep` (the caller's floor).
pub fn duplicate_pairs(
    tx: &impl Tables,
    scope: &Scope,
    after: Option<&str>,
    limit: usize,
    keep: &dyn Fn(&Customer) -> bool,
) -> Result<DuplicatePage, StoreError> {
    let index = tx.open(tables::CUSTOMERS_BY_MATCH_KEY)?;
    let records = tx.open(tables::CUSTOMERS)?;
    let s = scope.store_id().as_u128();
    let start = match after {
        Some(key) => std::ops::Bound::Excluded((s, key, u128::MAX)),
        None => std::ops::Bound::Included((s, "", 0)),
    };
    // Store ids are UUIDv7, whose top bits are never all ones, so `s + 1` cannot overflow.
    let end = std::ops::Bound::Excluded((s + 1, "", 0));
    let mut page = DuplicatePage {
        pairs: Vec::new(),
        next: None,
    };
    let mut seen = HashSet::new();
    let mut group: (String, Vec<Customer>) = (String::new(), Vec::new());
    for (walked, entry) in index.range((start, end))?.enumerate() {
        let entry = entry?;
        let (_, key, id) = entry.0.value();
        if key != group.0 {
            let done = std::mem::replace(&mut group, (key.to_owned(), Vec::new()));
            if pairs_of(&done, &mut page.pairs, &mut seen, limit) {
                page.next = Some(done.0);
                return Ok(page);
            }
            if walked >= MAX_WALK {
                page.next = Some(done.0);
                return Ok(page);
            }
        }
        if group.1.len() < GROUP_CAP
            && let Some(customer) = decode_from::<Customer>(&records, id)?
            && customer.deleted_at.is_none()
            && keep(&customer)
        {
            group.1.push(customer);
        }
    }
    if pairs_of(&group, &mut page.pairs, &mut seen, limit) {
        page.next = Some(group.0);
    }
    Ok(page)
}

/// Adds the pairs of one key's customers; `true` once the page is full.
fn pairs_of(
    (key, members): &(String, Vec<Customer>),
    out: &mut Vec<DuplicatePair>,
    seen: &mut HashSet<(u128, u128)>,
    limit: usize,
) -> bool {
    let by_email = key.starts_with("e:");
    for (i, a) in members.iter().enumerate() {
        for b in &members[i + 1..] {
            if a.id == b.id {
                continue;
            }
            let reason = if by_email {
                DuplicateReason::SameEmail
            } else {
                let score = name_similarity(a.name.as_str(), b.name.as_str());
                if score < LIKELY_DUPLICATE || !addresses_agree(a, b) {
                    continue;
                }
                DuplicateReason::SimilarName(score)
            };
            let (x, y) = (
                a.id.as_u128().min(b.id.as_u128()),
                a.id.as_u128().max(b.id.as_u128()),
            );
            if !seen.insert((x, y)) {
                continue;
            }
            // The older record first: the one usually kept.
            let (a, b) = if a.id < b.id { (a, b) } else { (b, a) };
            out.push(DuplicatePair {
                a: a.clone(),
                b: b.clone(),
                reason,
            });
            if out.len() >= limit {
                return true;
            }
        }
    }
    false
}

/// Whether nothing in two addresses says they are different people: the same PIN code
/// and locality wherever both gave one.
fn addresses_agree(a: &Customer, b: &Customer) -> bool {
    let (x, y) = (&a.address, &b.address);
    let pins = match (&x.pincode, &y.pincode) {
        (Some(p), Some(q)) => p == q,
        _ => true,
    };
    let (l, m) = (x.locality.as_str().trim(), y.locality.as_str().trim());
    let localities = l.is_empty() || m.is_empty() || l.eq_ignore_ascii_case(m);
    pins && localities
}

/// Schema version 13: the index, filled from the live customers already stored.
pub(super) fn create_table(tx: &WriteTransaction) -> Result<(), StoreError> {
    let mut index = tx.open_table(tables::CUSTOMERS_BY_MATCH_KEY)?;
    for entry in tx.open_table(tables::CUSTOMERS)?.iter()? {
        let customer: Customer = decode(entry?.1.value())?;
        let s = customer.store_id.as_u128();
        for key in keys_of(&customer) {
            index.insert((s, key.as_str(), customer.id.as_u128()), ())?;
        }
    }
    Ok(())
}
