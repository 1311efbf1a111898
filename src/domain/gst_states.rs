//! India's GST state codes, to decide where a sale is supplied: a customer of the
//! shop's own state pays CGST + SGST, one from another state IGST.

use serde::{Deserialize, Serialize};

use super::pricing::Supply;

/// `(code, name, short forms people write)`, from the GST state-code list.
const STATES: &[(&str, &str, &[&str])] = &[
    ("01", "Jammu and Kashmir", &["J&K", "JK"]),
    ("02", "Himachal Pradesh", &["HP"]),
    ("03", "Punjab", &["PB"]),
    ("04", "Chandigarh", &["CH"]),
    ("05", "Uttarakhand", &["UK", "Uttaranchal"]),
    ("06", "Haryana", &["HR"]),
    ("07", "Delhi", &["DL", "New Delhi"]),
    ("08", "Rajasthan", &["RJ"]),
    ("09", "Uttar Pradesh", &["UP"]),
    ("10", "Bihar", &["BR"]),
    ("11", "Sikkim", &["SK"]),
    ("12", "Arunachal Pradesh", &["AR"]),
    ("13", "Nagaland", &["NL"]),
    ("14", "Manipur", &["MN"]),
    ("15", "Mizoram", &["MZ"]),
    ("16", "Tripura", &["TR"]),
    ("17", "Meghalaya", &["ML"]),
    ("18", "Assam", &["AS"]),
    ("19", "West Bengal", &["WB", "Bengal"]),
    ("20", "Jharkhand", &["JH"]),
    ("21", "Odisha", &["OD", "OR", "Orissa"]),
    ("22", "Chhattisgarh", &["CG"]),
    ("23", "Madhya Pradesh", &["MP"]),
    ("24", "Gujarat", &["GJ"]),
    (
        "26",
        "Dadra and Nagar Haveli and Daman and Diu",
        &["DNHDD", "Daman and Diu"],
    ),
    ("27", "Maharashtra", &["MH"]),
    ("29", "Karnataka", &["KA"]),
    ("30", "Goa", &["GA"]),
    ("31", "Lakshadweep", &["LD"]),
    ("32", "Kerala", &["KL"]),
    ("33", "Tamil Nadu", &["TN"]),
    ("34", "Puducherry", &["PY", "Pondicherry"]),
    ("35", "Andaman and Nicobar Islands", &["AN"]),
    ("36", "Telangana", &["TS", "TG"]),
    ("37", "Andhra Pradesh", &["AP"]),
    ("38", "Ladakh", &["LA"]),
];

fn simplify(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '&')
        .collect::<String>()
        .to_ascii_lowercase()
        .replace('&', "and")
}

/// The two-digit code of a state as people write it: `West Bengal`, `WB`, `19`.
pub fn state_code(written: &str) -> Option<&'static str> {
    let wanted = simplify(written);
    if wanted.is_empty() {
        return None;
    }
    STATES
        .iter()
        .find(|(code, name, short)| {
            *code == written.trim()
                || simplify(name) == wanted
                || short.iter().any(|s| simplify(s) == wanted)
        })
        .map(|(code, ..)| *code)
}

/// Every state and union territory as `(code, name)`, in code order, for a list to
/// choose the store's state from.
pub fn all_states() -> impl Iterator<Item = (&'static str, &'static str)> {
    STATES.iter().map(|(code, name, _)| (*code, *name))
}

/// The state's name for the invoice's place of supply.
pub fn state_name(code: &str) -> Option<&'static str> {
    STATES
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, name, _)| *name)
}

/// A state or union territory by its GST code (`19` is West Bengal): where a bill was
/// supplied, kept on the sale so the GST summary groups B2C supplies by place of supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StateCode(u8);

impl StateCode {
    /// The state as people write it (`West Bengal`, `WB`, `19`), if it is one.
    pub fn of(written: &str) -> Option<Self> {
        state_code(written)
            .and_then(|code| code.parse().ok())
            .map(Self)
    }

    /// The code as GST writes it: two digits.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// The code back from [`Self::number`], if it names a state.
    pub fn from_number(number: u8) -> Option<Self> {
        Self::of(&format!("{number:02}"))
    }

    /// `West Bengal (19)`, as the invoice and the GST summary show it.
    pub fn label(self) -> String {
        let code = self.code();
        state_name(&code).map_or_else(|| code.clone(), |name| format!("{name} ({code})"))
    }
}

/// Where a sale is supplied: a customer whose address names another state is
/// inter-state (IGST); one with no state, or an unknown one, is treated as local, as a
/// walk-in customer is.
pub fn supply_for(shop_state_code: &str, customer_state: &str) -> Supply {
    match state_code(customer_state) {
        Some(code) if code != shop_state_code => Supply::InterState,
        _ => Supply::IntraState,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_read_as_people_write_them() {
        assert_eq!(state_code("West Bengal"), Some("19"));
        assert_eq!(state_code(" wb "), Some("19"));
        assert_eq!(state_code("19"), Some("19"));
        assert_eq!(state_code("Jammu & Kashmir"), Some("01"));
        assert_eq!(state_code("Orissa"), Some("21"));
        assert_eq!(state_code("Atlantis"), None);
        assert_eq!(state_name("27"), Some("Maharashtra"));
        let bengal = StateCode::of("wb").unwrap();
        assert_eq!(
            (bengal.code(), bengal.label()),
            ("19".into(), "West Bengal (19)".into())
        );
        assert_eq!(StateCode::from_number(7).unwrap().label(), "Delhi (07)");
        assert_eq!(StateCode::from_number(25), None);
    }

    #[test]
    fn another_state_means_igst() {
        assert_eq!(supply_for("19", "Maharashtra"), Supply::InterState);
        assert_eq!(supply_for("19", "West Bengal"), Supply::IntraState);
        assert_eq!(supply_for("19", ""), Supply::IntraState);
    }
}
