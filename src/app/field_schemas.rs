//! The rules of the text fields clients send, as OpenAPI schemas for the input types'
//! `#[schema(schema_with = …)]`: names, free text, tags and the like.
//!
//! Each pattern accepts exactly the values the field's parser in `domain` accepts,
//! with one documented exception: a name's joiners (U+200C, U+200D), which the parser
//! allows only between two letters of an Indic or Arabic script, are left out of the
//! pattern. Characters are written as what is refused (negated classes), which keeps
//! the patterns short for validators and generators alike. Shorter rules are written in
//! place on the fields (`pattern = "^[1-9][0-9]{5}$"`).

use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::{Array, ArrayBuilder, Object, ObjectBuilder, Type};

/// Unicode's format characters that `domain::hidden_chars` refuses. Those beyond the
/// first plane are written as the characters themselves: a regular expression's `\u`
/// escape reaches only the first.
const FORMAT: &str = concat!(
    r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f",
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb",
    "\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}",
    "\u{E0001}\u{E0020}-\u{E007F}",
);

/// The two joiners, which free text allows anywhere (names only inside a word).
const JOINERS: &str = r"\u200c\u200d";

/// Whitespace (Unicode's `White_Space`, as Rust's `trim` reads it): names collapse
/// runs of it to one space, and every text trims it from the ends.
const WHITESPACE: &str =
    r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Control characters that are not whitespace: free text keeps them, names refuse them.
const CONTROLS: &str = r"\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f";

/// The characters a name holds: anything but control, format and joining characters
/// (and, at its ends, whitespace). `extra` is refused too (a tag's comma).
fn name_characters(extra: &str) -> (String, String) {
    let inside = format!("[^{CONTROLS}{FORMAT}{JOINERS}{extra}]");
    let ends = format!("[^{WHITESPACE}{CONTROLS}{FORMAT}{JOINERS}{extra}]");
    (ends, inside)
}

/// Text that the parser trims: any whitespace at the ends, then one to `max` characters
/// that start and end with one of `ends` and hold `inside` between; or, when `empty`,
/// nothing but whitespace. The bound is in the pattern, not a `maxLength`, because the
/// whitespace trimmed away does not count.
fn trimmed(max: usize, (ends, inside): (String, String), empty: bool) -> String {
    let optional = if empty { "?" } else { "" };
    format!(
        "^[{WHITESPACE}]*(?:{ends}(?:{inside}{{0,{}}}{ends})?[{WHITESPACE}]*){optional}$",
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
        .pattern(Some(trimmed(100, name_characters(""), false)))
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

/// The characters of free text: anything but format characters (whitespace at the
/// ends is trimmed).
fn text_characters() -> (String, String) {
    (format!("[^{WHITESPACE}{FORMAT}]"), format!("[^{FORMAT}]"))
}

/// Free text ([`crate::domain::Text`]) of at most `MAX` characters once trimmed, that
/// may be left out or empty.
pub fn optional_text<const MAX: usize>() -> Object {
    string(true)
        .pattern(Some(trimmed(MAX, text_characters(), true)))
        .description(Some(format!(
            "Free text of at most {MAX} characters (spaces at the ends not counted); may be empty"
        )))
        .build()
}

/// Free text that must say something: 1 to `MAX` characters, not only spaces.
pub fn required_text<const MAX: usize>() -> Object {
    string(false)
        .min_length(Some(1))
        .pattern(Some(trimmed(MAX, text_characters(), false)))
        .description(Some(format!("1 to {MAX} characters")))
        .build()
}

/// A customer's tag ([`crate::domain::Tag`]): 1 to 32 characters, no commas.
pub fn tag() -> Object {
    string(false)
        .min_length(Some(1))
        .pattern(Some(trimmed(32, name_characters(","), false)))
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

    /// A character class of the patterns (`[^\u0020\u0085-\u0086,]`, escapes or the
    /// characters themselves), read once to look many characters up in.
    struct Class {
        negated: bool,
        ranges: Vec<(u32, u32)>,
    }

    impl Class {
        fn of(class: &str) -> Self {
            let inner = class.strip_prefix('[').and_then(|c| c.strip_suffix(']'));
            let inner = inner.expect("a bracketed class");
            let (negated, inner) = match inner.strip_prefix('^') {
                Some(rest) => (true, rest),
                None => (false, inner),
            };
            let mut codes = Vec::new();
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                let code = if c == '\\' {
                    assert_eq!(chars.next(), Some('u'), "{class}");
                    let hex: String = chars.by_ref().take(4).collect();
                    u32::from_str_radix(&hex, 16).unwrap()
                } else {
                    u32::from(c)
                };
                let to_follow = chars.peek() == Some(&'-');
                if to_follow {
                    chars.next();
                }
                codes.push((code, to_follow));
            }
            let mut ranges = Vec::new();
            let mut start = None;
            for (code, to_follow) in codes {
                match start.take() {
                    Some(from) => ranges.push((from, code)),
                    None if to_follow => start = Some(code),
                    None => ranges.push((code, code)),
                }
            }
            Self { negated, ranges }
        }

        fn has(&self, c: char) -> bool {
            let listed = self
                .ranges
                .iter()
                .any(|&(start, end)| (start..=end).contains(&u32::from(c)));
            listed != self.negated
        }
    }

    #[test]
    fn every_character_of_the_documented_classes_passes_the_parsers() {
        let (name_ends, name_inside) = name_characters("");
        let (name_ends, name_inside) = (Class::of(&name_ends), Class::of(&name_inside));
        let (text_ends, text_inside) = text_characters();
        let (text_ends, text_inside) = (Class::of(&text_ends), Class::of(&text_inside));
        let whitespace = Class::of(&format!("[{WHITESPACE}]"));
        let controls = Class::of(&format!("[{CONTROLS}]"));
        for code in 0..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let between = format!("a{c}b");
            if name_inside.has(c) {
                assert!(
                    crate::domain::PersonName::parse(&between).is_ok(),
                    "U+{code:04X} in a name"
                );
            }
            if name_ends.has(c) {
                assert!(
                    crate::domain::PersonName::parse(&c.to_string()).is_ok(),
                    "U+{code:04X} alone is a name"
                );
            }
            assert_eq!(
                text_inside.has(c),
                crate::domain::Text::<10>::parse(&between).is_ok(),
                "U+{code:04X} in text"
            );
            assert_eq!(
                text_ends.has(c),
                crate::domain::Text::<10>::parse(&c.to_string()).is_ok_and(|t| !t.is_empty()),
                "U+{code:04X} alone is text"
            );
            assert_eq!(
                whitespace.has(c),
                c.is_whitespace(),
                "U+{code:04X} is whitespace"
            );
            if controls.has(c) {
                assert!(c.is_control() && !c.is_whitespace(), "U+{code:04X}");
            }
        }
    }

    #[test]
    fn a_name_refuses_what_disguises_it_and_a_tag_a_comma() {
        let (ends, inside) = name_characters("");
        let (ends, inside) = (Class::of(&ends), Class::of(&inside));
        for c in [
            '\u{202E}', '\u{200B}', '\u{FEFF}', '\u{00AD}', '\u{200D}', '\u{0007}',
        ] {
            assert!(!inside.has(c) && !ends.has(c), "U+{:04X}", u32::from(c));
        }
        assert!(inside.has(' ') && !ends.has(' '));
        let (tag_ends, _) = name_characters(",");
        assert!(!Class::of(&tag_ends).has(','));
    }
}
