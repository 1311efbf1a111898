//! Metals and purities as stock lists write them: `Gold`, `G`, `Pt`; `22K`, `22 KT`,
//! `916`, `91.6%`, `0.916`, `925 silver`, `Sterling`.

use crate::domain::{Metal, Purity};

use super::SheetCell;
use super::cells::{CellProblem, excel_decimal, kind_of, shown};

/// Gold karats hallmarked by BIS and their fineness per thousand.
const KARATS: &[(u16, u16)] = &[
    (24, 999),
    (23, 958),
    (22, 916),
    (20, 833),
    (18, 750),
    (14, 585),
    (9, 375),
];

/// Words naming a metal, English and the usual short forms.
const METAL_WORDS: &[(&str, Metal)] = &[
    ("gold", Metal::Gold),
    ("gld", Metal::Gold),
    ("au", Metal::Gold),
    ("g", Metal::Gold),
    ("yellow gold", Metal::Gold),
    ("white gold", Metal::Gold),
    ("rose gold", Metal::Gold),
    ("silver", Metal::Silver),
    ("slv", Metal::Silver),
    ("ag", Metal::Silver),
    ("s", Metal::Silver),
    ("sterling", Metal::Silver),
    ("sterling silver", Metal::Silver),
    ("platinum", Metal::Platinum),
    ("plat", Metal::Platinum),
    ("pt", Metal::Platinum),
    ("p", Metal::Platinum),
    ("other", Metal::Other),
    ("others", Metal::Other),
    ("diamond", Metal::Other),
    ("stone", Metal::Other),
    ("gemstone", Metal::Other),
];

/// A metal: `Gold`, `GOLD`, `G`, `Silver`, `Ag`, `Platinum`, `Pt`, `Diamond`, `Other`.
pub fn parse_metal(cell: &SheetCell) -> Result<Option<Metal>, CellProblem> {
    let shown = shown(cell);
    let SheetCell::Text(text) = cell else {
        if cell.is_empty() {
            return Ok(None);
        }
        return Err(CellProblem::new(format!(
            "'{shown}' is {}, not a metal; write Gold, Silver, Platinum or Other",
            kind_of(cell)
        )));
    };
    let lower = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if lower.is_empty() {
        return Ok(None);
    }
    METAL_WORDS
        .iter()
        .find(|(word, _)| *word == lower)
        .map(|(_, metal)| Some(*metal))
        .ok_or_else(|| {
            CellProblem::new(format!(
                "'{shown}' is not a metal; write Gold, Silver, Platinum or Other (Diamond is read as Other)"
            ))
        })
}

/// A purity, checked against the grades hallmarked for `metal`. Without a metal, a
/// karat is gold, and a fineness is the metal it belongs to (999, fine gold and fine
/// silver alike, is read as gold, the common case in a jewellery shop).
pub fn parse_purity(cell: &SheetCell, metal: Option<Metal>) -> Result<Option<Purity>, CellProblem> {
    let shown = shown(cell);
    let accepted =
        "write it like 22K, 916, 91.6% or 0.916 for gold, 925 for silver, 950 for platinum";
    let text = match cell {
        SheetCell::Empty => return Ok(None),
        SheetCell::Text(s) if s.trim().is_empty() => return Ok(None),
        SheetCell::Text(s) => s.trim().to_lowercase(),
        SheetCell::Number(n) if n.is_finite() => excel_decimal(*n),
        other => {
            return Err(CellProblem::new(format!(
                "'{shown}' is {}, not a purity; {accepted}",
                kind_of(other)
            )));
        }
    };
    let not_a_purity = || CellProblem::new(format!("'{shown}' is not a purity; {accepted}"));
    let (named, rest) = metal_in(&text);
    let metal = match (metal, named) {
        (Some(given), Some(named)) if given != named => {
            return Err(CellProblem::new(format!(
                "'{shown}' is a {} purity but the item is {}; check the metal or the purity",
                named.label().to_lowercase(),
                given.label().to_lowercase()
            )));
        }
        (given, named) => given.or(named),
    };
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let (fineness, karat) = if compact.is_empty() && text.contains("sterling") {
        (925, false)
    } else if let Some((karats, stamped)) = strip_karat(&compact) {
        let karats: u16 = karats.parse().map_err(|_| not_a_purity())?;
        let fineness = KARATS
            .iter()
            .find(|(k, _)| *k == karats)
            .map(|(_, f)| stamped.unwrap_or(*f))
            // 24K is stamped 999 or 995; any other stamp must be the karat's own.
            .filter(|f| KARATS.contains(&(karats, *f)) || (karats, *f) == (24, 995));
        let Some(fineness) = fineness else {
            return Err(CellProblem::new(format!(
                "'{shown}' is not a hallmarked gold purity; use 24K, 23K, 22K, 20K, 18K, 14K or 9K (or the fineness, e.g. 916)"
            )));
        };
        (fineness, true)
    } else {
        // A bare 22 is karats only where the metal may be gold.
        let karats_allowed = metal.is_none_or(|m| m == Metal::Gold);
        (
            fineness_of(&compact, karats_allowed).ok_or_else(not_a_purity)?,
            false,
        )
    };
    let metal = match metal {
        Some(metal) if karat && metal != Metal::Gold => {
            return Err(CellProblem::new(format!(
                "'{shown}' is in karats, which apply to gold only; give {} purity as fineness, e.g. 925",
                metal.label().to_lowercase()
            )));
        }
        Some(metal) => metal,
        None => match metal_of_fineness(fineness) {
            Some(metal) => metal,
            None if fineness == 900 => {
                return Err(CellProblem::new(format!(
                    "'{shown}' is a purity of silver or platinum; fill in the metal column so it can be told which"
                )));
            }
            None => {
                return Err(CellProblem::new(format!(
                    "'{shown}' is not a hallmarked purity; {accepted}"
                )));
            }
        },
    };
    Purity::from_fineness(metal, fineness)
        .map(Some)
        .map_err(|err| {
            let advice = err
                .0
                .split_once("; ")
                .map_or(accepted, |(_, advice)| advice);
            CellProblem::new(format!(
                "'{shown}' is not a {} purity; {advice}",
                metal.label().to_lowercase()
            ))
        })
}

/// The metal a purity's text names ("925 silver", "Pt 950", "22K gold"), and the text
/// without it.
fn metal_in(text: &str) -> (Option<Metal>, String) {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .collect();
    let mut metal = None;
    let mut rest = Vec::new();
    for word in words {
        let named = if ["gold", "silver", "sterling", "platinum", "pt"].contains(&word) {
            METAL_WORDS
                .iter()
                .find(|(w, _)| *w == word)
                .map(|(_, m)| *m)
        } else {
            None
        };
        match named {
            Some(m) if metal.is_none_or(|seen| seen == m) => metal = Some(m),
            _ => rest.push(word),
        }
    }
    // "pt950" is written without a space as often as with one.
    if metal.is_none() && rest.len() == 1 {
        let only = rest.first().copied().unwrap_or_default();
        if let Some(number) = only.strip_prefix("pt") {
            return (Some(Metal::Platinum), number.to_owned());
        }
    }
    (metal, rest.join(" "))
}

/// The karats of `22k`, `22kt`, `22ct`, `22carat`, `22karat`, `22kdm` (916 soldered with
/// cadmium, as Indian shops still label it), and the fineness stamped after them in
/// `22k916` or `24k995`.
fn strip_karat(compact: &str) -> Option<(&str, Option<u16>)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((karats, stamp)) = compact.split_once('k')
        && digits(karats)
        && stamp.len() == 3
        && digits(stamp)
    {
        return Some((karats, stamp.parse().ok()));
    }
    ["karat", "carat", "kdm", "kt", "ct", "k"]
        .iter()
        .find_map(|suffix| compact.strip_suffix(suffix))
        .filter(|k| digits(k))
        .map(|k| (k, None))
}

/// Fineness per thousand from `916`, `91.6%`, `91.6`, `0.916`, `.916`, or (when
/// `karats` allows it) `22`/`24` written as karats without the K.
fn fineness_of(compact: &str, karats: bool) -> Option<u16> {
    let (number, percent) = match compact.strip_suffix('%') {
        Some(n) => (n, true),
        None => (compact, false),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    // Parts per thousand = value × 1000 (a fraction), × 10 (a percent) or × 1.
    let scale: u32 = if percent || (fraction.len() == 1 && whole >= 10) {
        10
    } else if whole == 0 && !fraction.is_empty() {
        1000
    } else if fraction.is_empty() {
        if karats && !percent && (1..=24).contains(&whole) {
            return KARATS
                .iter()
                .find(|(k, _)| u32::from(*k) == whole)
                .map(|(_, f)| *f);
        }
        1
    } else {
        return None;
    };
    let places = fraction.len() as u32;
    let divisor = 10_u32.checked_pow(places)?;
    let frac: u32 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let scaled = whole
        .checked_mul(scale)?
        .checked_add(frac.checked_mul(scale)? / divisor)?;
    if frac.checked_mul(scale)? % divisor != 0 || scaled == 0 || scaled > 1000 {
        return None;
    }
    u16::try_from(scaled).ok()
}

/// The metal a fineness belongs to when the file does not say; `None` for 900, which
/// silver and platinum share.
fn metal_of_fineness(fineness: u16) -> Option<Metal> {
    match fineness {
        999 | 995 | 958 | 916 | 833 | 750 | 585 | 375 => Some(Metal::Gold),
        970 | 925 | 835 | 800 => Some(Metal::Silver),
        950 | 850 => Some(Metal::Platinum),
        _ => None,
    }
}
