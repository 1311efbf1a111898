//! How alike two customers' names are, for finding likely duplicates: romanised Indian
//! names are spelt many ways ("Subhajit Chowdhury", "Shubhojit Choudhury", "S.
//! Chowdhury"), so names are folded to a common spelling before they are compared.

use strsim::jaro_winkler;

/// A score at or above this says two names are likely the same person's.
pub const LIKELY_DUPLICATE: f32 = 0.85;

/// Titles written before a name, which say nothing about who the person is.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "smt", "sri", "shri", "shree", "sm", "dr", "kumari", "km",
];

/// What an initial scores against a word that starts with it: close, not certain.
const INITIAL_MATCH: f64 = 0.9;

/// How alike `a` and `b` are, from 0 (nothing alike) to 1 (the same once folded).
/// Each word of the shorter name is matched to its best partner in the other (an
/// initial matches a word it begins); those matches count three times as much as the
/// two names compared whole, so a shared surname alone does not make a match.
pub fn name_similarity(a: &str, b: &str) -> f32 {
    let (a, b) = (name_words(a), name_words(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let best: Vec<f64> = short
        .iter()
        .map(|word| {
            long.iter()
                .map(|other| word_similarity(word, other))
                .fold(0.0, f64::max)
        })
        .collect();
    // Half the weakest word, half the mean: one word quite unlike ("Rakesh" and
    // "Mukesh" beside the same surname) pulls the score down more than a mean would.
    let weakest = best.iter().copied().fold(1.0, f64::min);
    let by_word = 0.5 * weakest + 0.5 * best.iter().sum::<f64>() / best.len() as f64;
    let whole = jaro_winkler(&a.join(" "), &b.join(" "));
    // The score is a ranking aid, never money: f32 is precise enough.
    (0.75 * by_word + 0.25 * whole) as f32
}

/// A short key that names spelt alike share: the folded surname (the last word that is
/// not an initial) without its vowels after the first letter, four letters at most.
/// Customers are only compared with others of the same key, never with the whole store.
pub fn sound_key(name: &str) -> Option<String> {
    let words = name_words(name);
    let surname = words.iter().rev().find(|w| w.chars().count() > 1)?;
    let mut key = String::new();
    for (i, ch) in surname.chars().enumerate() {
        let vowel = matches!(ch, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w' | 'h');
        if (i == 0 || !vowel) && !key.ends_with(ch) {
            key.push(ch);
        }
        if key.len() == 4 {
            break;
        }
    }
    Some(key)
}

/// The name's words, lower-cased and folded, titles left out.
fn name_words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !HONORIFICS.contains(w))
        .map(fold)
        .collect()
}

/// One common spelling for the ways a sound is written in romanised Indian names:
/// sh/s, ph/f, th/t, bh/b (aspirates), w/v, ee/i, oo/u, ou/ow/o/u, doubled letters.
fn fold(word: &str) -> String {
    let mut w = word.to_owned();
    for (from, to) in [
        ("sh", "s"),
        ("ph", "f"),
        ("th", "t"),
        ("bh", "b"),
        ("dh", "d"),
        ("kh", "k"),
        ("gh", "g"),
        ("jh", "j"),
        ("ee", "i"),
        ("oo", "u"),
        ("ou", "u"),
        ("ow", "u"),
        ("aa", "a"),
        ("w", "v"),
        ("o", "u"),
        ("y", "i"),
        ("z", "j"),
    ] {
        w = w.replace(from, to);
    }
    let mut out = String::with_capacity(w.len());
    for ch in w.chars() {
        if !out.ends_with(ch) {
            out.push(ch);
        }
    }
    out
}

fn word_similarity(a: &str, b: &str) -> f64 {
    let initial = |short: &str, long: &str| short.chars().count() == 1 && long.starts_with(short);
    if a == b {
        1.0
    } else if initial(a, b) || initial(b, a) {
        INITIAL_MATCH
    } else {
        jaro_winkler(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn likely(a: &str, b: &str) -> bool {
        name_similarity(a, b) >= LIKELY_DUPLICATE
    }

    #[test]
    fn spellings_of_one_name_are_likely_duplicates() {
        let names = ["Subhajit Chowdhury", "Shubhojit Choudhury", "S. Chowdhury"];
        for a in names {
            for b in names {
                assert!(likely(a, b), "{a} / {b}: {}", name_similarity(a, b));
            }
        }
        assert!(likely("Mrs. Ananya Das", "Ananya Das"));
        assert!(likely("Sri Rajib Banerjee", "Rajeeb Banerji"));
        assert!(likely("Priya Sharma", "priya  sarma"));
    }

    #[test]
    fn different_people_are_not() {
        for (a, b) in [
            ("Subhajit Chowdhury", "Ananya Das"),
            ("Subhajit Chowdhury", "Subhajit Das"),
            ("Ananya Das", "Ankita Dey"),
            ("Rakesh Gupta", "Mukesh Gupta"),
        ] {
            assert!(!likely(a, b), "{a} / {b}: {}", name_similarity(a, b));
        }
        assert_eq!(name_similarity("", "Ananya Das"), 0.0);
        assert_eq!(name_similarity("Mr.", "Ananya Das"), 0.0);
    }

    #[test]
    fn spellings_share_a_sound_key() {
        let key = sound_key("Subhajit Chowdhury");
        assert_eq!(key.as_deref(), Some("cdr"));
        assert_eq!(sound_key("Shubhojit Choudhury"), key);
        assert_eq!(sound_key("S. Chowdhury"), key);
        assert_ne!(sound_key("Ananya Das"), key);
        assert_eq!(sound_key("Dr."), None);
    }
}
