//! The GST identification number (GSTIN), checked character by character the way the
//! GST portal checks it, so a typing mistake is caught at the counter with a message
//! that says which character is wrong.

use serde::{Deserialize, Serialize};

use super::InvalidValue;
use super::gst_states::state_name;

/// The characters a GSTIN is made of, in the order that gives each its value (0–35)
/// in the check-character sum.
const CODE_POINTS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A valid GSTIN, as the settings page's hint shows it.
pub const EXAMPLE_GSTIN: &str = "19AAACS1234F1ZP";

/// GST identification number: 2-digit state code, the holder's 10-character PAN, an
/// entity number (1–9, then A–Z), `Z`, and a check character. Stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gstin(String);

fn ordinal(position: usize) -> String {
    let suffix = match (position % 10, position % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{position}{suffix}")
}

/// The GSTN check character of the first 14 characters: each character's value times
/// 1 or 2 (alternately, from the left), each product split as `q × 36 + r` and `q + r`
/// added up; the check is what brings the sum to a multiple of 36.
pub fn check_character(first_14: &[u8]) -> Option<char> {
    let mut sum = 0usize;
    for (i, c) in first_14.iter().enumerate() {
        let value = CODE_POINTS.iter().position(|x| x == c)?;
        let product = value * if i % 2 == 0 { 1 } else { 2 };
        sum += product / 36 + product % 36;
    }
    Some(char::from(CODE_POINTS[(36 - sum % 36) % 36]))
}

impl Gstin {
    /// Reads a GSTIN as typed or copied: spaces anywhere are dropped and lower case is
    /// read as upper case. Each rule broken is named with the character that breaks it.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let gstin: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bad = |message: String| Err(InvalidValue::new(message));
        if let Some((i, c)) = gstin
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            return bad(format!(
                "the {} character is '{c}'; a GSTIN has only letters and digits",
                ordinal(i + 1)
            ));
        }
        let b = gstin.as_bytes();
        if b.len() != 15 {
            return bad(format!(
                "a GSTIN has 15 characters and this has {}; it looks like {EXAMPLE_GSTIN}",
                b.len()
            ));
        }
        if !b[..2].iter().all(u8::is_ascii_digit) {
            return bad(
                "the first two characters should be the state code in digits, e.g. 19 for West Bengal".into(),
            );
        }
        if state_name(&gstin[..2]).is_none() {
            return bad(format!(
                "the first two characters, {}, are not a GST state code (19 is West Bengal, 27 Maharashtra)",
                &gstin[..2]
            ));
        }
        // Characters 3 to 12 are the holder's PAN: five letters, four digits, a letter.
        for (i, &c) in b.iter().enumerate().take(12).skip(2) {
            let wants_digit = (7..11).contains(&i);
            let fits = if wants_digit {
                c.is_ascii_digit()
            } else {
                c.is_ascii_uppercase()
            };
            if !fits {
                return bad(format!(
                    "the {} character should be a {}, not '{}': characters 3 to 12 are the PAN (5 letters, 4 digits, a letter)",
                    ordinal(i + 1),
                    if wants_digit { "digit" } else { "letter" },
                    char::from(c),
                ));
            }
        }
        if b[12] == b'0' {
            return bad(
                "the 13th character should be 1 to 9 or a letter (the registration number under this PAN), not 0".into(),
            );
        }
        if b[13] != b'Z' {
            return bad(format!(
                "the 14th character should be Z, not '{}'",
                char::from(b[13])
            ));
        }
        let check = check_character(&b[..14]).unwrap_or('?');
        if char::from(b[14]) != check {
            return bad(format!(
                "the last character should be {check} for this GSTIN; check for a typing mistake against the registration certificate"
            ));
        }
        Ok(Self(gstin))
    }

    /// The GSTIN whose first 14 characters are `first_14`, with its check character
    /// worked out (for a demo store, say); refused as `parse` would refuse it.
    pub fn with_check_character(first_14: &str) -> Result<Self, InvalidValue> {
        let check = check_character(first_14.as_bytes()).unwrap_or('?');
        Self::parse(&format!("{first_14}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit state code (`19` is West Bengal).
    pub fn state_code(&self) -> &str {
        &self.0[..2]
    }
}

impl TryFrom<String> for Gstin {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Gstin> for String {
    fn from(value: Gstin) -> String {
        value.0
    }
}

impl std::fmt::Display for Gstin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(input: &str) -> String {
        Gstin::parse(input).expect_err(input).0
    }

    #[test]
    fn a_gstin_built_from_a_pan_has_the_check_character_worked_by_hand() {
        // 27 (Maharashtra) + PAN AAACR5055K + entity 1 + Z. Values 2,7,10,10,10,12,27,
        // 5,0,5,5,20,1,35 times 1,2,1,2,… give 2,14,10,20,10,24,27,10,0,10,5,40,1,70;
        // q + r of each (40 = 36 + 4 → 5, 70 = 36 + 34 → 35) sums to 173; 173 % 36 = 29,
        // 36 − 29 = 7, so the check character is 7.
        let gstin = Gstin::parse("27AAACR5055K1Z7").expect("valid");
        assert_eq!(gstin.as_str(), "27AAACR5055K1Z7");
        assert_eq!(gstin.state_code(), "27");
        // The hint's example: 19 + AAACS1234F + 1 + Z. Values 1,9,10,10,10,12,28,1,2,3,4,
        // 15,1,35 give products 1,18,10,20,10,24,28,2,2,6,4,30,1,70 and a sum of 191;
        // 191 % 36 = 11, 36 − 11 = 25, the character P.
        assert!(Gstin::parse(EXAMPLE_GSTIN).is_ok());
        assert_eq!(check_character(b"19AAACS1234F1Z"), Some('P'));
        assert!(Gstin::parse("27AAPFU0939F1ZV").is_ok());
        assert_eq!(
            Gstin::with_check_character("27AAACR5055K1Z").unwrap(),
            gstin
        );
    }

    #[test]
    fn lower_case_and_spaces_are_read_as_the_certificate_prints_it() {
        assert_eq!(
            Gstin::parse(" 27aaacr5055k1z7 ").unwrap().as_str(),
            "27AAACR5055K1Z7"
        );
        assert_eq!(
            Gstin::parse("27 AAACR 5055K 1Z7").unwrap().as_str(),
            "27AAACR5055K1Z7"
        );
    }

    #[test]
    fn a_wrong_check_character_names_the_right_one() {
        assert_eq!(
            refused("27AAACR5055K1Z8"),
            "the last character should be 7 for this GSTIN; check for a typing mistake against the registration certificate"
        );
        // One digit of the PAN mistyped changes the sum, so the check catches it.
        assert!(refused("27AAACR5056K1Z7").starts_with("the last character should be"));
    }

    #[test]
    fn each_broken_rule_says_which_character() {
        assert_eq!(
            refused("27AAACR5055K1Z"),
            "a GSTIN has 15 characters and this has 14; it looks like 19AAACS1234F1ZP"
        );
        assert!(refused("27AAACR5055K1Z77").contains("this has 16"));
        assert!(refused("").contains("this has 0"));
        assert!(refused("27AAACR-5055K1Z7").starts_with("the 8th character is '-'"));
        assert!(refused("2XAAACR5055K1Z7").starts_with("the first two characters should be"));
        assert!(refused("00AAACR5055K1Z7").starts_with("the first two characters, 00, are not"));
        assert!(
            refused("27AAAC15055K1Z7").starts_with("the 7th character should be a letter, not '1'")
        );
        assert!(refused("27AAACRS055K1Z7").starts_with("the 8th character should be a digit"));
        assert!(refused("27AAACR505591Z7").starts_with("the 12th character should be a letter"));
        assert!(refused("27AAACR5055K0Z7").starts_with("the 13th character should be 1 to 9"));
        assert_eq!(
            refused("27AAACR5055K1Y7"),
            "the 14th character should be Z, not 'Y'"
        );
    }

    #[test]
    fn ordinals_read_as_english() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 15].map(ordinal).to_vec();
        assert_eq!(
            words,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "15th"]
        );
    }
}
