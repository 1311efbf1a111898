//! The cell parsers on the values stores really type, and the messages they answer.

use jiff::civil::date;

use super::{
    CellProblem, DateOrder, SheetCell, cell_text, excel_serial_to_date, infer_date_order,
    parse_amount, parse_count, parse_date, parse_metal, parse_phone, parse_purity, parse_weight,
    parse_yes_no,
};
use crate::domain::Metal;

fn t(s: &str) -> SheetCell {
    SheetCell::Text(s.to_owned())
}

fn n(x: f64) -> SheetCell {
    SheetCell::Number(x)
}

fn problem<T: std::fmt::Debug>(result: Result<Option<T>, CellProblem>) -> String {
    match result {
        Ok(value) => panic!("expected a problem, got {value:?}"),
        Err(problem) => {
            assert_eq!(problem.to_string(), problem.message());
            problem.message().to_owned()
        }
    }
}

#[test]
fn phones_in_every_indian_form() {
    for cell in [
        t("+91 98300 12345"),
        t("098300-12345"),
        t("919830012345"),
        t("9830012345.0"),
        n(9830012345.0),
        n(919830012345.0),
    ] {
        let phone = parse_phone(&cell).unwrap_or_else(|e| panic!("{cell:?}: {e}"));
        assert_eq!(
            phone.map(|p| p.e164().to_owned()),
            Some("+919830012345".into()),
            "{cell:?}"
        );
    }
    assert_eq!(parse_phone(&SheetCell::Empty), Ok(None));
    assert_eq!(parse_phone(&t("  ")), Ok(None));
}

#[test]
fn phones_that_cannot_be_read_say_why() {
    assert_eq!(
        problem(parse_phone(&t("98300 1234"))),
        "'98300 1234' has 9 digits: an Indian mobile number has 10, e.g. 98300 12345"
    );
    let scientific = problem(parse_phone(&t("9.83E+09")));
    assert!(
        scientific.starts_with("'9.83E+09' is a number in scientific notation"),
        "{scientific}"
    );
    assert!(
        scientific.contains("format the column as Text"),
        "{scientific}"
    );
    let two = problem(parse_phone(&t("98300 12345 / 94330 11111")));
    assert!(two.contains("has two numbers"), "{two}");
    let date = problem(parse_phone(&SheetCell::Date(date(1990, 1, 1))));
    assert!(
        date.starts_with("'1990-01-01' is a date, not a mobile number"),
        "{date}"
    );
    assert!(problem(parse_phone(&n(98300.5))).contains("98300.5"));
}

#[test]
fn dates_in_the_forms_offices_type() {
    let aug15 = Some(date(1990, 8, 15));
    for text in [
        "1990-08-15",
        "15/08/1990",
        "15-08-1990",
        "15.08.1990",
        "15/8/90",
        "15 Aug 1990",
        "15-Aug-1990",
        "15-aug-90",
        "Aug 15, 1990",
        "15 August 1990",
        "15th August 1990",
        "15/08/1990 00:00:00",
    ] {
        assert_eq!(parse_date(&t(text), None), Ok(aug15), "{text}");
    }
    assert_eq!(
        parse_date(&t("08/15/1990"), Some(DateOrder::MonthFirst)),
        Ok(aug15)
    );
    assert_eq!(
        parse_date(&t("03/04/1990"), Some(DateOrder::DayFirst)),
        Ok(Some(date(1990, 4, 3)))
    );
    assert_eq!(
        parse_date(&t("03/04/1990"), Some(DateOrder::MonthFirst)),
        Ok(Some(date(1990, 3, 4)))
    );
    assert_eq!(
        parse_date(&t("05/05/1990"), None),
        Ok(Some(date(1990, 5, 5)))
    );
    assert_eq!(parse_date(&t("1/1/30"), None), Ok(Some(date(2030, 1, 1))));
    assert_eq!(parse_date(&t("1/1/31"), None), Ok(Some(date(1931, 1, 1))));
    assert_eq!(parse_date(&n(33100.0), None), Ok(Some(date(1990, 8, 15))));
    assert_eq!(
        parse_date(&SheetCell::Date(date(1990, 8, 15)), None),
        Ok(aug15)
    );
    assert_eq!(parse_date(&t(""), None), Ok(None));
}

#[test]
fn dates_that_cannot_be_read_say_why() {
    assert_eq!(
        problem(parse_date(&t("31/02/1990"), None)),
        "'31/02/1990' is not a date: February 1990 has 28 days"
    );
    assert_eq!(
        problem(parse_date(&t("03/04/1990"), None)),
        "'03/04/1990' is unclear: 3 April or March 4 — the column's other dates do not say which; write it as 1990-04-03"
    );
    assert!(
        problem(parse_date(&t("15/13/1990"), None)).contains("neither 15 nor 13 can be a month")
    );
    assert!(
        problem(parse_date(&t("15/08/1850"), None)).contains("the year 1850 is outside 1900–2100")
    );
    assert!(problem(parse_date(&t("1990-13-01"), None)).contains("there is no month 13"));
    assert!(problem(parse_date(&t("tomorrow"), None)).starts_with("'tomorrow' is not a date"));
    assert!(
        problem(parse_date(&n(700019.0), None)).starts_with("'700019' is a number, not a date")
    );
}

#[test]
fn the_column_decides_which_part_is_the_day() {
    let cells = [t("03/04/1990"), t("15/08/1990"), SheetCell::Empty];
    assert_eq!(infer_date_order(cells.iter()), Some(DateOrder::DayFirst));
    let cells = [t("03/04/1990"), t("08/15/1990")];
    assert_eq!(infer_date_order(cells.iter()), Some(DateOrder::MonthFirst));
    let cells = [t("03/04/1990"), t("1990-08-15"), n(33100.0)];
    assert_eq!(infer_date_order(cells.iter()), None);
}

#[test]
fn excel_serials_count_the_leap_day_that_never_was() {
    assert_eq!(excel_serial_to_date(1.0), Some(date(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59.0), Some(date(1900, 2, 28)));
    assert_eq!(excel_serial_to_date(60.0), None);
    assert_eq!(excel_serial_to_date(61.0), Some(date(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(45_658.75), Some(date(2025, 1, 1)));
    assert_eq!(excel_serial_to_date(73_415.0), Some(date(2100, 12, 31)));
    assert_eq!(excel_serial_to_date(73_416.0), None);
    assert_eq!(excel_serial_to_date(0.0), None);
    assert_eq!(excel_serial_to_date(f64::NAN), None);
}

#[test]
fn amounts_as_shops_write_them() {
    for (cell, paise) in [
        (t("₹ 1,23,456.50"), 1_23_456_50),
        (t("Rs. 1234"), 1_234_00),
        (t("Rs 1,234/-"), 1_234_00),
        (t("INR 1234"), 1_234_00),
        (t("1234.5"), 1_234_50),
        (n(1234.5), 1_234_50),
        (n(0.1 + 0.2), 30),
    ] {
        assert_eq!(
            parse_amount(&cell).map(|p| p.map(|p| p.get())),
            Ok(Some(paise)),
            "{cell:?}"
        );
    }
    assert!(problem(parse_amount(&t("-500"))).contains("below zero"));
    assert!(problem(parse_amount(&n(-500.0))).starts_with("'-500' is below zero"));
    assert!(problem(parse_amount(&t("12.345"))).starts_with("'12.345' has more than 2 decimals"));
    assert!(problem(parse_amount(&n(12.345))).starts_with("'12.345' has more than 2 decimals"));
    assert!(problem(parse_amount(&t("99999999999999"))).contains("too large"));
    assert!(problem(parse_amount(&t("€ 120"))).starts_with("'€ 120' is not an amount in rupees"));
}

#[test]
fn weights_in_grams_unless_they_say_otherwise() {
    for (cell, mg) in [
        (t("12.345"), 12_345),
        (t("12.345 g"), 12_345),
        (t("12.345gm"), 12_345),
        (t("12.345 gms"), 12_345),
        (t("12.345 Grams"), 12_345),
        (t("12345 mg"), 12_345),
        (t("1.2 kg"), 1_200_000),
        (n(12.345), 12_345),
        (t("0"), 0),
        (n(0.0), 0),
    ] {
        assert_eq!(
            parse_weight(&cell).map(|w| w.map(|w| w.get())),
            Ok(Some(mg)),
            "{cell:?}"
        );
    }
    assert!(problem(parse_weight(&t("12.3456"))).starts_with("'12.3456' has more than 3 decimals"));
    assert!(
        problem(parse_weight(&t("12.3456 g"))).starts_with("'12.3456 g' has more than 3 decimals")
    );
    assert!(problem(parse_weight(&t("-2"))).contains("below zero"));
    assert!(problem(parse_weight(&t("12.5 mg"))).contains("fraction of a milligram"));
    assert!(problem(parse_weight(&t("200 kg"))).contains("100 kg"));
    assert!(problem(parse_weight(&t("heavy"))).starts_with("'heavy' is not a weight"));
}

#[test]
fn purities_in_karats_fineness_and_percent() {
    let fine = |cell: SheetCell, metal: Option<Metal>| {
        parse_purity(&cell, metal)
            .unwrap_or_else(|e| panic!("{cell:?}: {e}"))
            .map(|p| (p.metal(), p.fineness()))
    };
    for text in [
        "22K", "22 KT", "22ct", "916", "91.6%", "0.916", "22K916", "22 kdm", "22",
    ] {
        assert_eq!(fine(t(text), None), Some((Metal::Gold, 916)), "{text}");
    }
    assert_eq!(fine(t("18K"), Some(Metal::Gold)), Some((Metal::Gold, 750)));
    assert_eq!(fine(t("999"), None), Some((Metal::Gold, 999)));
    assert_eq!(
        fine(t("999"), Some(Metal::Silver)),
        Some((Metal::Silver, 999))
    );
    assert_eq!(fine(t("925 silver"), None), Some((Metal::Silver, 925)));
    assert_eq!(fine(t("Sterling"), None), Some((Metal::Silver, 925)));
    assert_eq!(
        fine(t("Sterling Silver"), Some(Metal::Silver)),
        Some((Metal::Silver, 925))
    );
    assert_eq!(fine(t("Pt950"), None), Some((Metal::Platinum, 950)));
    assert_eq!(fine(n(0.916), None), Some((Metal::Gold, 916)));
    assert_eq!(fine(n(916.0), None), Some((Metal::Gold, 916)));
    assert_eq!(fine(t(""), None), None);
    assert!(
        problem(parse_purity(&t("21K"), None)).starts_with("'21K' is not a hallmarked gold purity")
    );
    assert!(
        problem(parse_purity(&t("22K"), Some(Metal::Silver)))
            .contains("karats, which apply to gold only")
    );
    assert!(
        problem(parse_purity(&t("925"), Some(Metal::Gold)))
            .starts_with("'925' is not a gold purity; use one of")
    );
    assert!(
        problem(parse_purity(&t("925 silver"), Some(Metal::Gold)))
            .contains("is a silver purity but the item is gold")
    );
    assert!(problem(parse_purity(&t("900"), None)).contains("silver or platinum"));
    assert!(
        problem(parse_purity(&t("shiny"), None))
            .starts_with("'shiny' is not a purity; write it like 22K")
    );
}

#[test]
fn metals_counts_and_yes_no() {
    for (text, metal) in [
        ("Gold", Metal::Gold),
        ("GOLD", Metal::Gold),
        ("G", Metal::Gold),
        ("Silver", Metal::Silver),
        ("Platinum", Metal::Platinum),
        ("pt", Metal::Platinum),
        ("Diamond", Metal::Other),
    ] {
        assert_eq!(parse_metal(&t(text)), Ok(Some(metal)), "{text}");
    }
    assert_eq!(parse_metal(&SheetCell::Empty), Ok(None));
    assert!(problem(parse_metal(&t("copper"))).starts_with("'copper' is not a metal"));
    for (cell, count) in [
        (t("3"), 3),
        (n(3.0), 3),
        (t("3 pcs"), 3),
        (t("12 Nos"), 12),
        (t("1,200"), 1200),
    ] {
        assert_eq!(parse_count(&cell), Ok(Some(count)), "{cell:?}");
    }
    assert!(problem(parse_count(&t("2.5"))).starts_with("'2.5' is not a number of pieces"));
    assert!(problem(parse_count(&n(-1.0))).starts_with("'-1' is not a number of pieces"));
    for (cell, yes) in [
        (t("Yes"), true),
        (t("n"), false),
        (t("TRUE"), true),
        (t("0"), false),
        (t("Active"), true),
        (t("Inactive"), false),
        (SheetCell::Bool(true), true),
        (n(1.0), true),
    ] {
        assert_eq!(parse_yes_no(&cell), Ok(Some(yes)), "{cell:?}");
    }
    assert!(problem(parse_yes_no(&t("maybe"))).starts_with("'maybe' is not yes or no"));
}

#[test]
fn cell_text_is_what_a_person_would_read() {
    assert_eq!(cell_text(&n(700019.0)), "700019");
    assert_eq!(cell_text(&n(9830012345.0)), "9830012345");
    assert_eq!(cell_text(&n(12.5)), "12.5");
    assert_eq!(cell_text(&SheetCell::Date(date(1990, 8, 15))), "1990-08-15");
    assert_eq!(
        cell_text(&SheetCell::DateTime(date(1990, 8, 15).at(10, 30, 0, 0))),
        "1990-08-15 10:30"
    );
    assert_eq!(cell_text(&t("  Gariahat ")), "Gariahat");
    assert_eq!(cell_text(&SheetCell::Empty), "");
    assert_eq!(cell_text(&SheetCell::Bool(false)), "FALSE");
}
