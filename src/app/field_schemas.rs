//! The rules of the text fields clients send, as OpenAPI schemas for the input types'
//! `#[schema(schema_with = …)]`: names, free text, tags and the like.
//!
//! Each pattern accepts only values the field's parser in `domain` accepts. Where the
//! parser's rule cannot be written as a regular expression (names in any script, but
//! no invisible character that disguises them; a joiner only inside an Indic word) the
//! pattern is the documented subset that generators can draw from: the Basic
//! Multilingual Plane without Unicode format characters or the two joiners (and, in
//! names, without control characters). The parsers accept more: emoji, a joiner
//! inside a Bengali word.
//! Shorter rules are written in place on the fields (`pattern = "^[1-9][0-9]{5}$"`).

use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::{Array, ArrayBuilder, Object, ObjectBuilder, Type};

/// Characters of the documented subset that are neither control nor whitespace
/// characters, nor the space: what every text may hold, and a name start and end with.
const VISIBLE: &str = r"\u0021-\u007e\u00a1-\u00ac\u00ae-\u05ff\u0606-\u061b\u061d-\u06dc\u06de-\u070e\u0710-\u088f\u0892-\u08e1\u08e3-\u167f\u1681-\u180d\u180f-\u1fff\u2010-\u2027\u2030-\u205e\u2070-\u2fff\u3001-\ud7ff\ue000-\ufefe\uff00-\ufff8\ufffc-\ufffd";

/// Whitespace (Unicode's `White_Space`, as Rust's `trim` reads it): names collapse
/// runs of it to one space, and every text trims it from the ends.
const WHITESPACE: &str =
    r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Control characters that are not whitespace: free text keeps them, names refuse them.
const CONTROLS: &str = r"\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f";

/// Text that the parser trims: any whitespace at the ends, then one to `max` characters
/// that start and end with one of `ends` and hold `ends` or whitespace between. The
/// bound is in the pattern, not a `maxLength`, because the whitespace trimmed away
/// does not count.
fn trimmed(max: usize, ends: &str) -> String {
    format!(
        "^[{WHITESPACE}]*[{ends}](?:[{ends}{WHITESPACE}]{{0,{}}}[{ends}])?[{WHITESPACE}]*$",
        max.saturating_sub(2)
    )
}

fn string(nullable: bool) -> ObjectBuilder {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::from(Type::String)
    };
    ObjectBuilder::new().schema_type(kind)
}

fn name_schema(nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(1))
        .pattern(Some(trimmed(100, VISIBLE)))
        .description(Some(
            "1 to 100 characters, any script; no invisible characters that disguise the name",
        ))
        .build()
}

/// A person's or thing's name ([`crate::domain::PersonName`]).
pub fn person_name() -> Object {
    name_schema(false)
}

/// A name that may be left out.
pub fn optional_person_name() -> Object {
    name_schema(true)
}

/// Free text ([`crate::domain::Text`]) of at most `MAX` characters once trimmed, that
/// may be left out or empty.
pub fn optional_text<const MAX: usize>() -> Object {
    let ends = format!("{VISIBLE}{CONTROLS}");
    string(true)
        .pattern(Some(format!(
            "^[{WHITESPACE}]*(?:[{ends}](?:[{ends}{WHITESPACE}]{{0,{}}}[{ends}])?[{WHITESPACE}]*)?$",
            MAX.saturating_sub(2)
        )))
        .description(Some(format!(
            "Free text of at most {MAX} characters (spaces at the ends not counted); may be empty"
        )))
        .build()
}

/// Free text that must say something: 1 to `MAX` characters, not only spaces.
pub fn required_text<const MAX: usize>() -> Object {
    string(false)
        .min_length(Some(1))
        .pattern(Some(trimmed(MAX, VISIBLE)))
        .description(Some(format!("1 to {MAX} characters")))
        .build()
}

/// A customer's tag ([`crate::domain::Tag`]): 1 to 32 characters, no commas.
pub fn tag() -> Object {
    let visible = VISIBLE.replacen(r"\u0021-\u007e", r"\u0021-\u002b\u002d-\u007e", 1);
    string(false)
        .min_length(Some(1))
        .pattern(Some(trimmed(32, &visible)))
        .description(Some("1 to 32 characters, no commas; kept in lower case"))
        .build()
}

/// A customer's tags: at most 20, each a [`tag`].
pub fn tags() -> Array {
    ArrayBuilder::new()
        .items(tag())
        .max_items(Some(20))
        .description(Some("At most 20 tags"))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A character class of the patterns (`\u0020\u0085-\u0086`) as ranges of code points.
    fn ranges(class: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut start = None;
        for part in class.split(r"\u").filter(|part| !part.is_empty()) {
            let code = u32::from_str_radix(part.trim_end_matches('-'), 16).unwrap();
            match start.take() {
                Some(from) => out.push((from, code)),
                None if part.ends_with('-') => start = Some(code),
                None => out.push((code, code)),
            }
        }
        out
    }

    fn in_class(class: &str, c: char) -> bool {
        ranges(class)
            .iter()
            .any(|&(start, end)| (start..=end).contains(&u32::from(c)))
    }

    #[test]
    fn every_character_of_the_documented_classes_passes_the_parsers() {
        let name_inside = format!("{VISIBLE}{WHITESPACE}");
        let free_text = format!("{VISIBLE}{WHITESPACE}{CONTROLS}");
        for code in 0..=0xFFFF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let between = format!("a{c}b");
            if in_class(&name_inside, c) {
                assert!(
                    crate::domain::PersonName::parse(&between).is_ok(),
                    "U+{code:04X} in a name"
                );
            }
            if in_class(&free_text, c) {
                assert!(
                    crate::domain::Text::<10>::parse(&between).is_ok(),
                    "U+{code:04X} in text"
                );
            }
            if in_class(VISIBLE, c) {
                assert!(
                    crate::domain::PersonName::parse(&c.to_string()).is_ok(),
                    "U+{code:04X} alone is a name"
                );
            }
            assert_eq!(
                in_class(WHITESPACE, c),
                c.is_whitespace(),
                "U+{code:04X} is whitespace"
            );
            if in_class(CONTROLS, c) {
                assert!(c.is_control() && !c.is_whitespace(), "U+{code:04X}");
            }
        }
    }

    #[test]
    fn the_refused_characters_are_outside_the_documented_classes() {
        let free_text = format!("{VISIBLE}{WHITESPACE}{CONTROLS}");
        for c in [
            '\u{202E}', '\u{200B}', '\u{FEFF}', '\u{00AD}', '\u{2066}', '\u{200D}',
        ] {
            assert!(!in_class(&free_text, c), "U+{:04X}", u32::from(c));
        }
    }
}
