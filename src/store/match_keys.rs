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

/// Where a page of possible duplicates ended: in the pairs of one key, after `skip` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateCursor {
    pub key: String,
    pub skip: usize,
}

impl DuplicateCursor {
    /// As text for an address: the count, a dash, the key in hex (an e-mail may hold
    /// characters an address would need escaped).
    pub fn encode(&self) -> String {
        let hex: String = self.key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{}-{hex}", self.skip)
    }

    /// A cursor from [`Self::encode`]; `None` for any other text.
    pub fn decode(text: &str) -> Option<Self> {
        let (skip, hex) = text.split_once('-')?;
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let key = String::from_utf8(bytes).ok()?;
        (key.starts_with("e:") || key.starts_with("n:")).then_some(())?;
        Some(Self {
            key,
            skip: skip.parse().ok()?,
        })
    }
}

/// A page of possible duplicates, and where to go on from when more may follow.
#[derive(Debug, Clone)]
pub struct DuplicatePage {
    pub pairs: Vec<DuplicatePair>,
    pub next: Option<DuplicateCursor>,
}

/// Up to `limit` pairs of the scope's live customers who may be one person, from just
/// past `after`, both of each pair accepted by `keep` (the caller's floor).
pub fn duplicate_pairs(
    tx: &impl Tables,
    scope: &Scope,
    after: Option<&DuplicateCursor>,
    limit: usize,
    keep: &dyn Fn(&Customer) -> bool,
) -> Result<DuplicatePage, StoreError> {
    let index = tx.open(tables::CUSTOMERS_BY_MATCH_KEY)?;
    let records = tx.open(tables::CUSTOMERS)?;
    let s = scope.store_id().as_u128();
    let start = match after {
        Some(at) => std::ops::Bound::Included((s, at.key.as_str(), 0)),
        None => std::ops::Bound::Included((s, "", 0)),
    };
    // Store ids are UUIDv7, whose top bits are never all ones, so `s + 1` cannot overflow.
    let end = std::ops::Bound::Excluded((s + 1, "", 0));
    // One pair more than asked for says whether another page follows, and where.
    let mut found: Vec<Found> = Vec::new();
    let mut seen = HashSet::new();
    let skip_in = |key: &str| after.filter(|at| at.key == key).map_or(0, |at| at.skip);
    let mut group: (String, Vec<Customer>) = (String::new(), Vec::new());
    let mut stopped = None;
    for (walked, entry) in index.range((start, end))?.enumerate() {
        let entry = entry?;
        let (_, key, id) = entry.0.value();
        if key != group.0 {
            let done = std::mem::replace(&mut group, (key.to_owned(), Vec::new()));
            if pairs_of(&done, skip_in(&done.0), &mut found, &mut seen, limit + 1) {
                break;
            }
            if walked >= MAX_WALK {
                stopped = Some(DuplicateCursor {
                    key: key.to_owned(),
                    skip: 0,
                });
                break;
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
    if found.len() <= limit && stopped.is_none() {
        pairs_of(&group, skip_in(&group.0), &mut found, &mut seen, limit + 1);
    }
    let next = if found.len() > limit {
        found.pop().map(|extra| DuplicateCursor {
            key: extra.key,
            skip: extra.counted - 1,
        })
    } else {
        stopped
    };
    Ok(DuplicatePage {
        pairs: found.into_iter().map(|f| f.pair).collect(),
        next,
    })
}

/// A pair found, with its place among its key's pairs (from 1).
struct Found {
    pair: DuplicatePair,
    key: String,
    counted: usize,
}

/// Adds the pairs of one key's customers, past the first `skip` of them (an earlier
/// page's); `true` once `out` holds `limit`.
fn pairs_of(
    (key, members): &(String, Vec<Customer>),
    skip: usize,
    out: &mut Vec<Found>,
    seen: &mut HashSet<(u128, u128)>,
    limit: usize,
) -> bool {
    let by_email = key.starts_with("e:");
    let mut counted = 0;
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
            counted += 1;
            let (x, y) = (
                a.id.as_u128().min(b.id.as_u128()),
                a.id.as_u128().max(b.id.as_u128()),
            );
            if counted <= skip || !seen.insert((x, y)) {
                continue;
            }
            // The older record first: the one usually kept.
            let (a, b) = if a.id < b.id { (a, b) } else { (b, a) };
            out.push(Found {
                pair: DuplicatePair {
                    a: a.clone(),
                    b: b.clone(),
                    reason,
                },
                key: key.clone(),
                counted,
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

/// Up to `limit` live customers of the scope's store filed under the same surname sound
/// as `name` (see [`sound_key`]): the ones an import compares a new row with.
pub fn customers_sounding_like(
    tx: &impl Tables,
    scope: &Scope,
    name: &str,
    limit: usize,
) -> Result<Vec<Customer>, StoreError> {
    let Some(key) = sound_key(name) else {
        return Ok(Vec::new());
    };
    let key = format!("n:{key}");
    let index = tx.open(tables::CUSTOMERS_BY_MATCH_KEY)?;
    let records = tx.open(tables::CUSTOMERS)?;
    let s = scope.store_id().as_u128();
    let mut out = Vec::new();
    for entry in index
        .range((s, key.as_str(), 0)..=(s, key.as_str(), u128::MAX))?
        .take(limit)
    {
        let id = entry?.0.value().2;
        if let Some(customer) = decode_from::<Customer>(&records, id)?
            && customer.deleted_at.is_none()
        {
            out.push(customer);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::DuplicateCursor;

    #[test]
    fn a_cursor_reads_back_as_written_and_other_text_is_refused() {
        let at = DuplicateCursor {
            key: "e:rina+gold@example.in".into(),
            skip: 3,
        };
        assert_eq!(DuplicateCursor::decode(&at.encode()), Some(at));
        for text in ["not-a-cursor", "3", "x-6e3a", "1-7a3a", "1-6e3"] {
            assert_eq!(DuplicateCursor::decode(text), None, "{text}");
        }
    }
}
