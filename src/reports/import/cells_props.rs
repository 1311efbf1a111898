//! Property tests of the cell parsers: no input makes them panic, every problem names
//! its value, and every value written the usual ways reads back as itself. The case
//! counts add up to over 100,000; the whole set runs in seconds in a debug build.

use jiff::civil::Date;
use proptest::prelude::*;

use super::{
    CellProblem, DateOrder, SheetCell, cell_text, parse_amount, parse_count, parse_date,
    parse_metal, parse_phone, parse_purity, parse_weight, parse_yes_no,
};
use crate::domain::{Metal, Paise, Phone, group_indian};

const TEXT_CASES: u32 = 25_000;
const NUMBER_CASES: u32 = 20_000;
const ROUND_TRIP_CASES: u32 = 15_000;

/// Every parser's problem with `cell`, if it has one.
fn problems(cell: &SheetCell) -> Vec<CellProblem> {
    let mut found = Vec::new();
    let mut note = |result: Result<(), CellProblem>| {
        if let Err(problem) = result {
            found.push(problem);
        }
    };
    note(parse_phone(cell).map(drop));
    note(parse_date(cell, None).map(drop));
    note(parse_date(cell, Some(DateOrder::DayFirst)).map(drop));
    note(parse_date(cell, Some(DateOrder::MonthFirst)).map(drop));
    note(parse_amount(cell).map(drop));
    note(parse_weight(cell).map(drop));
    note(parse_purity(cell, None).map(drop));
    note(parse_purity(cell, Some(Metal::Gold)).map(drop));
    note(parse_purity(cell, Some(Metal::Silver)).map(drop));
    note(parse_metal(cell).map(drop));
    note(parse_count(cell).map(drop));
    note(parse_yes_no(cell).map(drop));
    found
}

/// A problem must name the value it is about, as the cell shows it, unless the value
/// is too long to quote whole or has control characters (shown as escapes).
fn check_named(cell: &SheetCell) -> Result<(), TestCaseError> {
    let value = cell_text(cell);
    let quotable = value.chars().count() <= 80 && !value.chars().any(char::is_control);
    for problem in problems(cell) {
        let message = problem.message();
        prop_assert!(!message.trim().is_empty(), "{cell:?} got an empty message");
        prop_assert!(!message.chars().any(char::is_control), "{message:?}");
        if quotable {
            prop_assert!(
                message.contains(&format!("'{value}'")),
                "{cell:?}: {message}"
            );
        }
    }
    Ok(())
}

/// Text near what people type in these columns, and anything at all.
fn cell_like_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 +()./,-]{0,20}",
        "[0-9]{1,3}[/.-][0-9]{1,3}[/.-][0-9]{0,5}",
        "(₹|Rs\\.?|INR)? ?[0-9,]{0,12}(\\.[0-9]{0,4})?(/-)?",
        "-?[0-9]{0,6}(\\.[0-9]{0,5})? ?(g|gm|gms|mg|kg|grams)?",
        "[0-9]{0,3}(\\.[0-9]{0,3})? ?(k|kt|ct|%|karat)? ?(gold|silver|pt)?",
        "[A-Za-z]{0,10}",
    ]
}

fn national() -> impl Strategy<Value = String> {
    (6_u64..=9, 0_u64..1_000_000_000).prop_map(|(first, rest)| format!("{first}{rest:09}"))
}

/// Days from 1900-01-01 to 2100-12-31.
fn any_date() -> impl Strategy<Value = Date> {
    (0_i64..73_414).prop_map(|days| {
        Date::constant(1900, 1, 1)
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(Date::constant(2100, 12, 31))
    })
}

/// The serial Excel stores for `date`: days since 1899-12-30, one fewer before the
/// 29 February 1900 Excel counts.
fn excel_serial(date: Date) -> f64 {
    let since = Date::constant(1899, 12, 30)
        .until(date)
        .map_or(0, |span| i64::from(span.get_days()));
    let serial = if date < Date::constant(1900, 3, 1) {
        since - 1
    } else {
        since
    };
    serial as f64
}

proptest! {
    #![proptest_config(ProptestConfig { cases: TEXT_CASES, ..ProptestConfig::default() })]

    #[test]
    fn prop_cells_any_text_is_read_or_named(text in cell_like_text()) {
        check_named(&SheetCell::Text(text))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: NUMBER_CASES, ..ProptestConfig::default() })]

    #[test]
    fn prop_cells_any_number_is_read_or_named(n in prop_oneof![
        proptest::num::f64::ANY,
        -1e15..1e15_f64,
        (0_i64..10_000_000_000_000).prop_map(|i| i as f64 / 1000.0),
    ]) {
        check_named(&SheetCell::Number(n))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ROUND_TRIP_CASES, ..ProptestConfig::default() })]

    #[test]
    fn prop_cells_phone_round_trips(digits in national()) {
        let phone = Phone::parse(&digits).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (head, tail) = digits.split_at(5);
        let number: f64 = digits.parse().unwrap_or_default();
        for cell in [
            SheetCell::Text(digits.clone()),
            SheetCell::Text(format!("+91 {head} {tail}")),
            SheetCell::Text(format!("+91-{digits}")),
            SheetCell::Text(format!("0{head}-{tail}")),
            SheetCell::Text(format!("91{digits}")),
            SheetCell::Text(format!("0091 {digits}")),
            SheetCell::Text(phone.to_string()),
            SheetCell::Number(number),
            SheetCell::Number(number + 91e10),
        ] {
            prop_assert_eq!(parse_phone(&cell), Ok(Some(phone.clone())), "{:?}", cell);
        }
    }

    #[test]
    fn prop_cells_date_round_trips(date in any_date()) {
        let (d, m, y) = (date.day(), date.month(), date.year());
        let day_first = SheetCell::Text(format!("{d:02}/{m:02}/{y}"));
        prop_assert_eq!(parse_date(&day_first, Some(DateOrder::DayFirst)), Ok(Some(date)));
        let iso = SheetCell::Text(date.to_string());
        prop_assert_eq!(parse_date(&iso, None), Ok(Some(date)));
        let named = SheetCell::Text(date.strftime("%d %b %Y").to_string());
        prop_assert_eq!(parse_date(&named, None), Ok(Some(date)), "{:?}", named);
        let serial = excel_serial(date);
        prop_assert_eq!(parse_date(&SheetCell::Number(serial), None), Ok(Some(date)), "{}", serial);
        prop_assert_eq!(parse_date(&SheetCell::Number(serial + 0.75), None), Ok(Some(date)));
    }

    #[test]
    fn prop_cells_amount_round_trips(paise in 0..Paise::LIMIT.get()) {
        let (rupees, fraction) = (paise / 100, paise % 100);
        let grouped = group_indian(rupees as u64);
        let want = Ok(Some(Paise::new(paise)));
        for text in [
            format!("₹ {grouped}.{fraction:02}"),
            format!("Rs. {grouped}.{fraction:02}"),
            format!("INR {rupees}.{fraction:02}"),
            Paise::new(paise).to_string(),
        ] {
            prop_assert_eq!(parse_amount(&SheetCell::Text(text.clone())), want.clone(), "{}", text);
        }
        let number = SheetCell::Number(paise as f64 / 100.0);
        prop_assert_eq!(parse_amount(&number), want.clone(), "{:?}", number);
    }

    #[test]
    fn prop_cells_weight_round_trips(mg in 0_i64..=100_000_000) {
        let want = Ok(Some(crate::domain::Milligrams::new(mg).map_err(|e| TestCaseError::fail(e.0))?));
        let grams = format!("{}.{:03}", mg / 1000, mg % 1000);
        for text in [grams.clone(), format!("{grams} g"), format!("{grams}gms"), format!("{mg} mg")] {
            prop_assert_eq!(parse_weight(&SheetCell::Text(text.clone())), want.clone(), "{}", text);
        }
        let number = SheetCell::Number(mg as f64 / 1000.0);
        prop_assert_eq!(parse_weight(&number), want.clone(), "{:?}", number);
    }

    #[test]
    fn prop_cells_purity_round_trips(
        (metal, fineness) in prop_oneof![
            proptest::sample::select(vec![999_u16, 995, 958, 916, 833, 750, 585, 375]).prop_map(|f| (Metal::Gold, f)),
            proptest::sample::select(vec![999_u16, 970, 925, 900, 835, 800]).prop_map(|f| (Metal::Silver, f)),
            proptest::sample::select(vec![999_u16, 950, 900, 850]).prop_map(|f| (Metal::Platinum, f)),
            (1_u16..=1000).prop_map(|f| (Metal::Other, f)),
        ],
    ) {
        let purity = crate::domain::Purity::from_fineness(metal, fineness)
            .map_err(|e| TestCaseError::fail(e.0))?;
        let want = Ok(Some(purity));
        let label = SheetCell::Text(purity.label());
        prop_assert_eq!(parse_purity(&label, Some(metal)), want.clone(), "{:?}", label);
        let text = SheetCell::Text(fineness.to_string());
        prop_assert_eq!(parse_purity(&text, Some(metal)), want.clone());
        prop_assert_eq!(parse_purity(&SheetCell::Number(f64::from(fineness)), Some(metal)), want.clone());
        if fineness >= 10 && fineness % 10 != 0 || fineness >= 100 {
            let percent = SheetCell::Text(format!("{}.{}%", fineness / 10, fineness % 10));
            prop_assert_eq!(parse_purity(&percent, Some(metal)), want.clone(), "{:?}", percent);
        }
        let fraction = SheetCell::Text(format!("0.{fineness:03}"));
        if fineness < 1000 {
            prop_assert_eq!(parse_purity(&fraction, Some(metal)), want.clone(), "{:?}", fraction);
        }
    }
}
