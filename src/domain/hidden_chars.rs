//! Invisible characters that make displayed text lie: bidirectional overrides and
//! isolates, zero-width spaces and joiners out of place, the byte-order mark and the
//! other Unicode format characters. Names and free text refuse them at the edge.
//!
//! Indic and Arabic scripts need two of them inside words: ZERO WIDTH NON-JOINER
//! (U+200C) and ZERO WIDTH JOINER (U+200D) choose how letters join (`ক্‌ষ` in Bengali,
//! `می‌خواهم` in Urdu and Persian). In names they are allowed only with a letter of those
//! scripts on both sides, where they shape a word; anywhere else in a name they only
//! hide something. Free text (notes) allows them anywhere: emoji are joined with ZWJ,
//! and a joiner cannot reorder or disguise what a note says.

/// Where a text allows the two joiners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Joiners {
    /// Only between letters of the scripts that join with them: names.
    InWords,
    /// Anywhere: free text.
    Anywhere,
}

/// The first character of `text` that is hidden or reorders what is shown, if any.
pub(crate) fn first_hidden(text: &str, joiners: Joiners) -> Option<char> {
    find_hidden(text, joiners).map(|(_, c)| c)
}

/// `text` without the characters [`first_hidden`] finds. Stored values are read back
/// through this, so a name saved before they were refused still opens, shown plainly.
pub(crate) fn without_hidden(text: &str, joiners: Joiners) -> String {
    let mut out = text.to_owned();
    while let Some((at, _)) = find_hidden(&out, joiners) {
        out.remove(at);
    }
    out
}

/// The byte offset and the character of the first hidden character of `text`.
fn find_hidden(text: &str, joiners: Joiners) -> Option<(usize, char)> {
    // Every stored text is read back through here; most have none of these characters.
    if !text.chars().any(|c| is_joiner(c) || is_format(c)) {
        return None;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let letter_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|(_, c)| joins(*c));
    chars.iter().enumerate().find_map(|(i, &(at, c))| {
        let hidden = if is_joiner(c) {
            joiners == Joiners::InWords && !(letter_at(i.checked_sub(1)) && letter_at(Some(i + 1)))
        } else {
            is_format(c)
        };
        hidden.then_some((at, c))
    })
}

/// How a refusal names the character: `U+202E`.
pub(crate) fn describe(c: char) -> String {
    format!(
        "contains an invisible character (U+{:04X}) that can disguise how it reads; type it again without it",
        u32::from(c)
    )
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Devanagari through Sinhala (Bengali, Gurmukhi, Gujarati, Odia, Tamil, Telugu,
/// Kannada and Malayalam lie between), and Arabic with its supplements (Urdu).
fn joins(c: char) -> bool {
    matches!(
        c,
        '\u{0900}'..='\u{0DFF}'
            | '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
    )
}

/// Unicode's format characters (general category Cf), listed here because the standard
/// library has no category table; joiners are judged by [`first_hidden`] instead.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_isolates_and_zero_widths_are_found() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{200E}', '\u{00AD}',
        ] {
            let text = format!("Ram{c}esh");
            assert_eq!(
                first_hidden(&text, Joiners::InWords),
                Some(c),
                "U+{:04X}",
                u32::from(c)
            );
            assert_eq!(without_hidden(&text, Joiners::InWords), "Ramesh");
        }
    }

    #[test]
    fn joiners_shape_indic_words_but_nothing_else() {
        // Bengali: ক + hasanta + ZWNJ + ষ keeps the hasanta visible.
        assert_eq!(first_hidden("ক্\u{200C}ষ", Joiners::InWords), None);
        assert_eq!(first_hidden("সুব্রত", Joiners::InWords), None);
        // Devanagari: क + virama + ZWJ + ष asks for the half form.
        assert_eq!(first_hidden("क्\u{200D}ष", Joiners::InWords), None);
        assert_eq!(
            first_hidden("Ram\u{200D}esh", Joiners::InWords),
            Some('\u{200D}')
        );
        assert_eq!(
            first_hidden("\u{200C}সুব্রত", Joiners::InWords),
            Some('\u{200C}')
        );
        assert_eq!(
            first_hidden("সুব্রত\u{200D}", Joiners::InWords),
            Some('\u{200D}')
        );
        assert_eq!(
            without_hidden("Ram\u{200C}\u{200D}esh", Joiners::InWords),
            "Ramesh"
        );
        // A joiner shaping a word stays when a stray one after it goes.
        assert_eq!(
            without_hidden("ক্\u{200C}ষ \u{200C}Das", Joiners::InWords),
            "ক্\u{200C}ষ Das"
        );
    }

    #[test]
    fn free_text_allows_joiners_anywhere_but_nothing_else() {
        let family = "Gift for 👨\u{200D}👩\u{200D}👧";
        assert_eq!(first_hidden(family, Joiners::InWords), Some('\u{200D}'));
        assert_eq!(first_hidden(family, Joiners::Anywhere), None);
        assert_eq!(
            first_hidden("Gift\u{202E}", Joiners::Anywhere),
            Some('\u{202E}')
        );
        assert_eq!(first_hidden("می\u{200C}خواهم", Joiners::InWords), None);
    }

    #[test]
    fn ordinary_text_passes() {
        for text in [
            "Subhajit Sarkar",
            "শুভজিৎ সরকার",
            "O'Brien-Das",
            "Line one\nline two",
        ] {
            assert_eq!(first_hidden(text, Joiners::InWords), None, "{text}");
        }
    }
}
