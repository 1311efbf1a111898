//! Indian mobile numbers, accepted as people type them and stored in E.164.

use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// An Indian mobile number in E.164 form (`+919830012345`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts `98300 12345`, `+91 98300 12345`, `098300-12345`, `0091 9830012345` and
    /// the like: spaces, dashes, dots and brackets are ignored, and a leading `+91`,
    /// `0091`, `91` or trunk `0` is dropped before checking the ten digits.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(InvalidValue::new(
                "is required: enter a 10-digit mobile number, e.g. 98300 12345",
            ));
        }
        let mut plus = false;
        let mut digits = String::with_capacity(trimmed.len());
        for ch in trimmed.chars() {
            match ch {
                '0'..='9' => digits.push(ch),
                ' ' | '-' | '.' | '(' | ')' => {}
                '+' if digits.is_empty() && !plus => plus = true,
                _ => {
                    return Err(InvalidValue::new(format!(
                        "contains '{ch}': enter only digits, e.g. 98300 12345"
                    )));
                }
            }
        }
        let national = if plus {
            digits.strip_prefix("91").ok_or_else(|| {
                InvalidValue::new("must be an Indian number starting +91, e.g. +91 98300 12345")
            })?
        } else if digits.len() == 14 && digits.starts_with("0091") {
            &digits[4..]
        } else if digits.len() == 12 && digits.starts_with("91") {
            &digits[2..]
        } else if digits.len() == 11 && digits.starts_with('0') {
            &digits[1..]
        } else {
            &digits
        };
        if national.len() != 10 {
            return Err(InvalidValue::new(format!(
                "has {} digits: an Indian mobile number has 10, e.g. 98300 12345",
                national.len()
            )));
        }
        if !matches!(national.as_bytes()[0], b'6'..=b'9') {
            return Err(InvalidValue::new(
                "is not a mobile number: Indian mobile numbers start with 6, 7, 8 or 9",
            ));
        }
        Ok(Self(format!("+91{national}")))
    }

    /// `+919830012345`.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The ten national digits (`9830012345`), as staff read them out.
    pub fn national(&self) -> &str {
        &self.0[3..]
    }

    /// `98300 12345`: the number as staff write it, without the `+91` that a
    /// spreadsheet would read as the start of a formula.
    pub fn national_spaced(&self) -> String {
        let n = self.national();
        format!("{} {}", &n[..5], &n[5..])
    }
}

/// `+91 98300 12345`.
impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "+91 {}", self.national_spaced())
    }
}

impl TryFrom<String> for Phone {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_people_type() {
        for input in [
            "98300 12345",
            "+91 98300 12345",
            "098300-12345",
            "9830012345",
            "919830012345",
            "0091 98300 12345",
            "(+91) 98300.12345",
        ] {
            let phone = Phone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(phone.e164(), "+919830012345", "{input}");
        }
        assert_eq!(
            Phone::parse("9830012345").unwrap().to_string(),
            "+91 98300 12345"
        );
    }

    #[test]
    fn refuses_what_is_not_an_indian_mobile() {
        for input in [
            "",
            "12345",
            "5830012345",
            "+1 415 555 0100",
            "98300x12345",
            "983001234567",
        ] {
            assert!(Phone::parse(input).is_err(), "{input} should be refused");
        }
    }
}
