//! Turning what staff type into tantivy queries, and running them.

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};
use uuid::Uuid;

use super::index::{SearchError, SearchIndex};
use super::schema::{ORDER, customer_scope, product_scope};
use super::text::{phone_digits, singular, skeleton, words};
use crate::domain::{
    CategoryId, CustomerStatus, FloorId, Metal, StoreId, customer_code, parse_customer_code,
};

/// Words that carry no meaning in a search ("Sarkar from Salt Lake", "bangle around 20 grams").
const FILLER: &[&str] = &[
    "from",
    "of",
    "the",
    "in",
    "at",
    "near",
    "and",
    "around",
    "about",
    "approx",
    "approximately",
    "with",
    "for",
    "a",
    "an",
];

#[derive(Debug, Clone)]
pub struct CustomerSearch {
    pub store: StoreId,
    pub text: String,
    pub status: Option<CustomerStatus>,
    pub floor: Option<FloorId>,
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProductSearch {
    pub store: StoreId,
    pub text: String,
    pub floor: Option<FloorId>,
    pub metal: Option<Metal>,
    /// A purity label (`22k`) or fineness (`916`), lower-case.
    pub purity: Option<String>,
    pub category: Option<CategoryId>,
    /// Gross weight bounds in milligrams, inclusive.
    pub weight_mg: (Option<i64>, Option<i64>),
    pub in_stock: Option<bool>,
}

impl ProductSearch {
    /// A plain text search of a store's products, with no filters.
    pub fn text(store: StoreId, text: &str) -> Self {
        Self {
            store,
            text: text.to_owned(),
            floor: None,
            metal: None,
            purity: None,
            category: None,
            weight_mg: (None, None),
            in_stock: None,
        }
    }
}

/// Matching record ids, best first, and how many matched in all.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub ids: Vec<Uuid>,
    pub total: usize,
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::union(queries))
}

/// How one typed word may match a name, cheapest first. A word that is a known name
/// word matches exactly or by sound (Sarkar finds Sarker); an unknown one is a typo,
/// so edits are allowed. Only the word being typed (the last) matches as a prefix:
/// earlier words are finished. Fewer alternatives keep a million-customer search fast.
fn name_word(
    index: &SearchIndex,
    searcher: &Searcher,
    word: &str,
    last: bool,
) -> Vec<Box<dyn Query>> {
    let f = &index.fields;
    let exact = Term::from_field_text(f.name, word);
    let doc_freq = |field, text: &str| {
        searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    };
    let exact_freq = doc_freq(f.name, word);
    // A word known as a name, or as a locality, tag or category word, is no typo.
    let known = exact_freq > 0 || doc_freq(f.other, word) > 0;
    let mut alternatives = vec![boosted(term(f.name, word), 4.0)];
    // Every document with the word also has it as a prefix and has its skeleton, so
    // when those terms are in no more documents than the word itself they would only
    // score the same documents again: leave them out (common surnames get cheaper).
    if last && doc_freq(f.name_prefix, word) > exact_freq {
        alternatives.push(boosted(term(f.name_prefix, word), 2.0));
    }
    // Skeletons of words of three letters or fewer say too little (Sen and Sinha are
    // both `sn`), so short words match by spelling and prefix only.
    if word.chars().count() >= 4
        && let Some(sound) = skeleton(word)
        && doc_freq(f.name_sound, &sound) > exact_freq
    {
        alternatives.push(boosted(term(f.name_sound, &sound), 2.0));
    }
    let typos = match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    if typos > 0 && !known {
        let fuzzy = FuzzyTermQuery::new(exact, typos, true);
        alternatives.push(boosted(Box::new(fuzzy), 1.0));
    }
    alternatives
}

/// Every meaningful word must match somewhere (one may miss when there are three or more).
fn all_words(groups: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match groups.len() {
        0 => None,
        1 | 2 => Some(Box::new(BooleanQuery::intersection(groups))),
        n => Some(Box::new(BooleanQuery::union_with_minimum_required_clauses(
            groups,
            n - 1,
        ))),
    }
}

fn meaningful(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .collect()
}

impl SearchIndex {
    fn customer_match(&self, text: &str) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        if let Some(number) = parse_customer_code(trimmed) {
            return Some(term(f.key, &customer_code(number).to_lowercase()));
        }
        if let Some(digits) = phone_digits(trimmed) {
            // The whole number first, then numbers ending so, then any run of digits.
            return Some(any_of(vec![
                boosted(term(f.key, &digits), 50.0),
                boosted(term(f.phone_end, &digits), 5.0),
                term(f.phone_run, &digits),
            ]));
        }
        let exact_key = boosted(term(f.key, &trimmed.to_lowercase()), 50.0);
        let searcher = self.reader.searcher();
        let words = meaningful(trimmed);
        let groups = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut alternatives = name_word(self, &searcher, w, i + 1 == words.len());
                alternatives.push(boosted(term(f.other, w), 1.5));
                alternatives.push(term(f.tag, w));
                any_of(alternatives)
            })
            .collect();
        Some(match all_words(groups) {
            Some(words) => any_of(vec![exact_key, words]),
            None => exact_key,
        })
    }

    fn product_match(
        &self,
        text: &str,
        purity: &mut Option<String>,
        weight: &mut (Option<i64>, Option<i64>),
    ) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let exact_key = boosted(term(f.key, &trimmed.to_lowercase()), 50.0);
        let mut rest = Vec::new();
        let all = meaningful(trimmed);
        let mut i = 0;
        while i < all.len() {
            let word = &all[i];
            let next = all.get(i + 1).map(String::as_str);
            if let Some((grams, used)) = weight_words(word, next) {
                // "around 20 grams" means within about 15% either way.
                let mg = (grams * 1000.0).round() as i64;
                *weight = (Some(mg * 85 / 100), Some(mg * 115 / 100));
                i += used;
                continue;
            }
            if let Some((label, used)) = karat_words(word, next) {
                *purity = Some(label);
                i += used;
                continue;
            }
            rest.push(singular(word));
            i += 1;
        }
        let searcher = self.reader.searcher();
        let groups: Vec<Box<dyn Query>> = rest
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut alternatives = name_word(self, &searcher, w, i + 1 == rest.len());
                alternatives.push(boosted(term(f.other, w), 2.0));
                alternatives.push(boosted(term(f.key, w), 10.0));
                alternatives.push(term(f.purity, w));
                any_of(alternatives)
            })
            .collect();
        match all_words(groups) {
            Some(words) => Some(any_of(vec![exact_key, words])),
            // Only a weight or a purity was asked for: the filters do the work.
            None if purity.is_some() || weight.0.is_some() => None,
            None => Some(exact_key),
        }
    }

    fn run(&self, query: &dyn Query, offset: usize, limit: usize) -> Result<Hits, SearchError> {
        let searcher = self.reader.searcher();
        // Equal scores are ordered newest first, so a result list never reshuffles
        // between identical searches or after a rebuild.
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .tweak_score(|segment: &SegmentReader| {
                let order = segment
                    .fast_fields()
                    .u64(ORDER)
                    .ok()
                    .map(|column| column.first_or_default_col(0));
                move |doc: DocId, score: Score| {
                    (
                        score,
                        order.as_ref().map_or(0, |column| column.get_val(doc)),
                    )
                }
            });
        let collector = (top, Count);
        let (top, total) = searcher.search(query, &collector)?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_str())
                .and_then(|s| Uuid::parse_str(s).ok())
            {
                ids.push(id);
            }
        }
        Ok(Hits { ids, total })
    }

    /// Customers of `search.store` matching the text and filters, best first.
    pub fn search_customers(
        &self,
        search: &CustomerSearch,
        offset: usize,
        limit: usize,
    ) -> Result<Hits, SearchError> {
        let f = &self.fields;
        let mut must: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, term(f.scope, &customer_scope(search.store)))];
        if let Some(status) = search.status {
            must.push((Occur::Must, term(f.status, status.as_str())));
        }
        if let Some(floor) = search.floor {
            must.push((Occur::Must, term(f.floor, &floor.to_string())));
        }
        if let Some(tag) = &search.tag {
            must.push((Occur::Must, term(f.tag, tag)));
        }
        match self.customer_match(&search.text) {
            Some(matching) => must.push((Occur::Must, matching)),
            None => must.push((Occur::Must, Box::new(AllQuery))),
        }
        self.run(&BooleanQuery::new(must), offset, limit)
    }

    /// Products of `search.store` matching the text and filters, best first. Weights
    /// ("20 g") and karats ("22 carat") in the text become filters.
    pub fn search_products(
        &self,
        search: &ProductSearch,
        offset: usize,
        limit: usize,
    ) -> Result<Hits, SearchError> {
        let f = &self.fields;
        let mut purity = search.purity.clone();
        let mut weight = search.weight_mg;
        let matching = self.product_match(&search.text, &mut purity, &mut weight);
        let mut must: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, term(f.scope, &product_scope(search.store)))];
        if let Some(floor) = search.floor {
            must.push((Occur::Must, term(f.floor, &floor.to_string())));
        }
        if let Some(metal) = search.metal {
            must.push((Occur::Must, term(f.metal, metal.as_str())));
        }
        if let Some(purity) = &purity {
            must.push((Occur::Must, term(f.purity, purity)));
        }
        if let Some(category) = search.category {
            must.push((Occur::Must, term(f.category, &category.to_string())));
        }
        if let Some(in_stock) = search.in_stock {
            let t = Term::from_field_u64(f.in_stock, u64::from(in_stock));
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
            ));
        }
        if weight.0.is_some() || weight.1.is_some() {
            let bound = |v: Option<i64>| {
                v.map_or(Bound::Unbounded, |mg| {
                    Bound::Included(Term::from_field_i64(f.weight_mg, mg))
                })
            };
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(weight.0), bound(weight.1))),
            ));
        }
        must.push((Occur::Must, matching.unwrap_or_else(|| Box::new(AllQuery))));
        self.run(&BooleanQuery::new(must), offset, limit)
    }
}

/// `20g`, `20.5 gm`, `20 grams` → grams, and how many words it took.
fn weight_words(word: &str, next: Option<&str>) -> Option<(f64, usize)> {
    const UNITS: &[&str] = &["g", "gm", "gms", "gram", "grams", "gr"];
    let split = word
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(word.len());
    let (number, unit) = word.split_at(split);
    let value: f64 = number.parse().ok().filter(|v: &f64| *v > 0.0)?;
    if !unit.is_empty() {
        return UNITS.contains(&unit).then_some((value, 1));
    }
    next.filter(|n| UNITS.contains(n)).map(|_| (value, 2))
}

/// `22k`, `22kt`, `22 carat` → `22k`, and how many words it took.
fn karat_words(word: &str, next: Option<&str>) -> Option<(String, usize)> {
    const UNITS: &[&str] = &["k", "kt", "ct", "carat", "karat", "carats", "karats", "kr"];
    let split = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    let (number, unit) = word.split_at(split);
    let karat: u8 = number.parse().ok().filter(|k| (9..=24).contains(k))?;
    if !unit.is_empty() {
        return UNITS.contains(&unit).then(|| (format!("{karat}k"), 1));
    }
    next.filter(|n| UNITS.contains(n))
        .map(|_| (format!("{karat}k"), 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_karats_are_read_from_words() {
        assert_eq!(weight_words("20g", None), Some((20.0, 1)));
        assert_eq!(weight_words("20", Some("grams")), Some((20.0, 2)));
        assert_eq!(weight_words("20", Some("bangles")), None);
        assert_eq!(karat_words("22", Some("carat")), Some(("22k".into(), 2)));
        assert_eq!(karat_words("18k", None), Some(("18k".into(), 1)));
        assert_eq!(karat_words("925", None), None);
    }
}
