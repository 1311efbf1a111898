//! Turning names, phones and queries into the terms the index holds: words, word
//! prefixes (for typing-as-you-go), sound-alike skeletons (for Indian spelling
//! variants) and phone-digit runs.

/// Lower-cased words of a text. Letters of any script stay together with their
/// combining marks (Bengali and Devanagari vowel signs are marks, not letters).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in text.chars() {
        if ch.is_alphanumeric() || is_mark(ch) {
            current.extend(ch.to_lowercase());
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Combining marks of the Indic scripts staff may type names in.
fn is_mark(ch: char) -> bool {
    matches!(ch as u32, 0x0900..=0x0903 | 0x093A..=0x094F | 0x0962..=0x0963 | 0x0980..=0x0983 | 0x09BC..=0x09D7 | 0x09E2..=0x09E3)
}

/// The singular of an English catalogue word ("bangles" → "bangle", "earrings" →
/// "earring", "watches" → "watch"), so that "bangle" finds the "Bangles" category.
/// Used for products only: people's names are left as they are.
pub fn singular(word: &str) -> String {
    let n = word.len();
    if !word.is_ascii() || n <= 3 || word.ends_with("ss") || word.ends_with("us") {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["ches", "shes", "xes"] {
        if word.ends_with(ending) {
            return word[..n - 2].to_owned();
        }
    }
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

/// Prefixes of a word from 2 characters up to 15, for matching what is half typed.
pub fn prefixes(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = word.chars().collect();
    (2..=chars.len().min(15)).map(move |n| chars[..n].iter().collect())
}

/// A sound-alike skeleton of a romanised Indian name, so that spellings which sound
/// the same meet: Subhajit and Shubhojit are both `sbjt`; Chowdhury and Choudhury
/// both `cdr`; Banerjee and Banerji both `bnrj`. Aspirated pairs (bh, dh, sh, kh…)
/// fold to their plain letter, vowels and semivowels after the first letter drop,
/// and doubled consonants collapse. Words in other scripts have no skeleton.
pub fn skeleton(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.is_empty() || !lower.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let folded = lower
        .replace("ph", "f")
        .replace("sh", "s")
        .replace("bh", "b")
        .replace("dh", "d")
        .replace("th", "t")
        .replace("kh", "k")
        .replace("gh", "g")
        .replace("ch", "c")
        .replace("jh", "j")
        .replace('z', "j")
        .replace('q', "k")
        .replace('v', "b")
        .replace('x', "ks");
    let mut out = String::new();
    let mut last: Option<char> = None;
    for (i, c) in folded.chars().enumerate() {
        let vowelish = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w' | 'h');
        if i == 0 {
            // A leading vowel sound still tells names apart (Arindam, Indranil).
            out.push(if vowelish { 'a' } else { c });
            last = Some(c);
            continue;
        }
        if vowelish {
            last = None;
            continue;
        }
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
    (out.len() >= 2).then_some(out)
}

/// The ten national digits of an Indian phone number as typed in a search, or the
/// digit run typed so far: `+91 98300`, `098300 12345`, `2345`.
pub fn phone_digits(query: &str) -> Option<String> {
    let trimmed = query.trim();
    if trimmed.is_empty()
        || !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.'))
    {
        return None;
    }
    let mut digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if trimmed.starts_with('+') {
        digits = digits
            .strip_prefix("91")
            .map(str::to_owned)
            .unwrap_or(digits);
    } else if digits.len() == 12 && digits.starts_with("91") {
        digits.drain(..2);
    } else if digits.len() == 14 && digits.starts_with("0091") {
        digits.drain(..4);
    } else if digits.len() == 11 && digits.starts_with('0') {
        digits.drain(..1);
    }
    if digits.len() > 10 {
        digits = digits[digits.len() - 10..].to_owned();
    }
    (digits.len() >= 4).then_some(digits)
}

/// Every run of 4 or more consecutive digits of a ten-digit number, so a search for a
/// prefix, the last four digits or any middle part finds it.
pub fn phone_runs(national: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    for start in 0..national.len() {
        for end in (start + 4)..=national.len() {
            runs.push(&national[start..end]);
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_skeleton() {
        for (a, b) in [
            ("Subhajit", "Shubhojit"),
            ("Chowdhury", "Choudhury"),
            ("Banerjee", "Banerji"),
            ("Mukherjee", "Mukherji"),
            ("Sourav", "Saurav"),
            ("Ganguly", "Ganguli"),
            ("Chatterjee", "Chaterji"),
            ("Bhattacharya", "Bhattacharyya"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
        assert_ne!(skeleton("Sarkar"), skeleton("Sen"));
        assert_eq!(skeleton("শুভজিৎ"), None);
    }

    #[test]
    fn words_keep_indic_vowel_signs() {
        assert_eq!(words("Rina  Das-Sarkar"), ["rina", "das", "sarkar"]);
        assert_eq!(words("শুভজিৎ সরকার").len(), 2);
    }

    #[test]
    fn phone_queries_are_normalised() {
        assert_eq!(
            phone_digits("+91 98300 12345").as_deref(),
            Some("9830012345")
        );
        assert_eq!(phone_digits("098300-12345").as_deref(), Some("9830012345"));
        assert_eq!(phone_digits("98300 1").as_deref(), Some("983001"));
        assert_eq!(phone_digits("2345").as_deref(), Some("2345"));
        assert_eq!(phone_digits("234"), None);
        assert_eq!(phone_digits("Rina 2345"), None);
        assert_eq!(phone_runs("9830012345").len(), 28);
        assert!(phone_runs("9830012345").contains(&"2345"));
    }

    #[test]
    fn catalogue_words_are_made_singular() {
        assert_eq!(singular("bangles"), "bangle");
        assert_eq!(singular("earrings"), "earring");
        assert_eq!(singular("watches"), "watch");
        assert_eq!(singular("accessories"), "accessory");
        assert_eq!(singular("brass"), "brass");
        assert_eq!(singular("set"), "set");
    }

    #[test]
    fn prefixes_for_typing() {
        let p: Vec<String> = prefixes("sarkar").collect();
        assert_eq!(p, ["sa", "sar", "sark", "sarka", "sarkar"]);
    }
}
