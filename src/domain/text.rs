//! Text values with rules: names, usernames, email, PAN, pincode, SKU, tags,
//! and bounded free text.

use serde::{Deserialize, Serialize};

use super::InvalidValue;
use super::hidden_chars::{Joiners, describe, first_hidden, without_hidden};

/// Implements the string conversions every text newtype shares: `try_from = "String"`
/// for decoding (so a stored or deserialised value is re-checked, less the invisible
/// characters `parse` now refuses, so a value saved before that still opens), `as_str`
/// and `Display`.
macro_rules! text_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = InvalidValue;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&without_hidden(&value, Joiners::InWords))
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Collapses runs of whitespace to one space and trims the ends.
fn tidy(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Free text of at most `MAX` characters (notes, descriptions, addresses). May be empty.
/// Invisible characters that disguise how it reads are refused, as in names (notes and
/// addresses are shown beside names on the same lines); the zero-width joiners are
/// allowed anywhere, as emoji and joined scripts use them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let trimmed = input.trim();
        let count = trimmed.chars().count();
        if count > MAX {
            return Err(InvalidValue::new(format!(
                "is {count} characters long; shorten it to {MAX} or fewer"
            )));
        }
        if let Some(hidden) = first_hidden(trimmed, Joiners::Anywhere) {
            return Err(InvalidValue::new(describe(hidden)));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Decoding (stored records, JSON) drops the invisible characters `parse` refuses, so
/// text saved before they were refused still opens.
impl<const MAX: usize> TryFrom<String> for Text<MAX> {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&without_hidden(&value, Joiners::Anywhere))
    }
}

impl<const MAX: usize> From<Text<MAX>> for String {
    fn from(value: Text<MAX>) -> String {
        value.0
    }
}

impl<const MAX: usize> std::fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's or thing's display name: 1 to 100 characters, whitespace tidied. Any
/// script is allowed (Bengali and Devanagari names are common), but not the invisible
/// characters that make one name pass for another (a right-to-left override, a
/// zero-width space, a byte-order mark).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);
text_newtype!(PersonName);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let name = tidy(input);
        if name.is_empty() {
            return Err(InvalidValue::new("is required"));
        }
        if name.chars().count() > 100 {
            return Err(InvalidValue::new(
                "is too long; use 100 characters or fewer",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidValue::new("contains control characters"));
        }
        if let Some(hidden) = first_hidden(&name, Joiners::InWords) {
            return Err(InvalidValue::new(describe(hidden)));
        }
        Ok(Self(name))
    }
}

/// A sign-in name: 3 to 32 characters of lowercase letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);
text_newtype!(Username);

impl Username {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let name = input.trim().to_lowercase();
        if !(3..=32).contains(&name.len()) {
            return Err(InvalidValue::new("must be 3 to 32 characters long"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(InvalidValue::new(
                "may use only letters a-z, digits and . _ - (no spaces)",
            ));
        }
        Ok(Self(name))
    }
}

/// An email address, lower-cased. Checked for shape only; delivery is not attempted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);
text_newtype!(Email);

impl Email {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let email = input.trim().to_lowercase();
        let bad = || InvalidValue::new("is not an email address; use the form name@example.com");
        if email.len() > 254
            || email.chars().any(char::is_whitespace)
            || first_hidden(&email, Joiners::InWords).is_some()
        {
            return Err(bad());
        }
        let (local, domain) = email.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || !domain_ok {
            return Err(bad());
        }
        Ok(Self(email))
    }
}

/// Permanent Account Number: five letters, four digits, a letter (`ABCPK1234F`). The
/// fourth letter is the holder type (P = person, C = company, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pan(String);
text_newtype!(Pan);

impl Pan {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let pan: String = input.trim().to_ascii_uppercase();
        let b = pan.as_bytes();
        let shape_ok = b.len() == 10
            && b[..5].iter().all(u8::is_ascii_uppercase)
            && b[5..9].iter().all(u8::is_ascii_digit)
            && b[9].is_ascii_uppercase();
        if !shape_ok {
            return Err(InvalidValue::new(
                "is not a PAN: it has 5 letters, 4 digits and a letter, e.g. ABCPK1234F",
            ));
        }
        if !b"ABCFGHJLPT".contains(&b[3]) {
            return Err(InvalidValue::new(
                "is not a PAN: its 4th letter must be a holder type such as P (person) or C (company)",
            ));
        }
        Ok(Self(pan))
    }

    /// `ABCPK****F`: enough of a PAN to recognise it on a printed invoice, not enough
    /// to misuse it. A parsed PAN is always ten ASCII characters.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..5], &self.0[9..])
    }
}

/// An Indian postal PIN code: six digits, not starting with 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pincode(String);
text_newtype!(Pincode);

impl Pincode {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let pin: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if pin.len() != 6 || !pin.bytes().all(|c| c.is_ascii_digit()) || pin.starts_with('0') {
            return Err(InvalidValue::new(
                "is not a PIN code: use 6 digits, e.g. 700019",
            ));
        }
        Ok(Self(pin))
    }
}

/// A product's tag number / SKU: 1 to 32 characters of letters, digits, `-`, `/`, `.`,
/// upper-cased so that `nk-22-0042` and `NK-22-0042` are the same tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sku(String);
text_newtype!(Sku);

impl Sku {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let sku = input.trim().to_ascii_uppercase();
        if sku.is_empty() || sku.len() > 32 {
            return Err(InvalidValue::new(
                "must be 1 to 32 characters, e.g. NK-22-0042",
            ));
        }
        if !sku
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.'))
        {
            return Err(InvalidValue::new("may use only letters, digits and - / ."));
        }
        Ok(Self(sku))
    }
}

/// A short label on a customer (`wedding-2026`, `vip`): lower-case, 1 to 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);
text_newtype!(Tag);

impl Tag {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let tag = tidy(input).to_lowercase();
        if tag.is_empty() || tag.chars().count() > 32 {
            return Err(InvalidValue::new("each tag must be 1 to 32 characters"));
        }
        if tag.chars().any(|c| c == ',' || c.is_control()) {
            return Err(InvalidValue::new("a tag may not contain commas"));
        }
        if let Some(hidden) = first_hidden(&tag, Joiners::InWords) {
            return Err(InvalidValue::new(describe(hidden)));
        }
        Ok(Self(tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_shapes() {
        assert_eq!(Pan::parse(" abcpk1234f ").unwrap().as_str(), "ABCPK1234F");
        assert!(Pan::parse("ABCXK1234F").is_err());
        assert!(Pan::parse("ABCPK12345").is_err());
    }

    #[test]
    fn names_and_emails() {
        assert_eq!(
            PersonName::parse("  Subhajit   Sarkar ").unwrap().as_str(),
            "Subhajit Sarkar"
        );
        assert!(PersonName::parse("   ").is_err());
        assert_eq!(
            PersonName::parse("শুভজিৎ সরকার").unwrap().as_str(),
            "শুভজিৎ সরকার"
        );
        assert!(Email::parse("a@b.in").is_ok());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a b@c.in").is_err());
        assert!(Username::parse("Floor.2").is_ok());
        assert!(Username::parse("a b").is_err());
        assert!(Text::<5>::parse("123456").is_err());
    }

    #[test]
    fn names_refuse_what_disguises_them() {
        for spoof in [
            "Ramesh\u{202E}hsemaR",
            "Ram\u{200B}esh",
            "\u{FEFF}Ramesh",
            "Ram\u{2060}esh",
            "\u{2067}Ramesh\u{2069}",
        ] {
            let refused = PersonName::parse(spoof).unwrap_err();
            assert!(
                refused.0.contains("invisible character"),
                "{spoof:?}: {refused}"
            );
            assert!(Text::<50>::parse(spoof).is_err(), "{spoof:?}");
            assert!(Tag::parse(spoof).is_err(), "{spoof:?}");
        }
        for bengali in ["সুব্রত", "ক্\u{200C}ষ", "শুভজিৎ সরকার"]
        {
            assert_eq!(PersonName::parse(bengali).unwrap().as_str(), bengali);
        }
        assert!(Email::parse("rina\u{202E}@example.in").is_err());
        // A name stored before the refusal opens without the hidden character.
        let stored: PersonName = serde_json::from_str("\"Ram\\u200besh\"").unwrap();
        assert_eq!(stored.as_str(), "Ramesh");
    }

    #[test]
    fn pincode_sku_tag() {
        assert!(Pincode::parse("700 019").is_ok());
        assert!(Pincode::parse("070019").is_err());
        assert_eq!(Sku::parse("nk-22-0042").unwrap().as_str(), "NK-22-0042");
        assert_eq!(Pan::parse("abcpk1234f").unwrap().masked(), "ABCPK****F");
        assert!(Sku::parse("NK 22").is_err());
        assert_eq!(
            Tag::parse(" Wedding  2026 ").unwrap().as_str(),
            "wedding 2026"
        );
    }
}
