//! The Indian jewellery year as a Kolkata store lives it: the festival days that move
//! sales (Dhanteras and Diwali, Akshaya Tritiya, Dussehra, Poila Baishakh) for
//! 2019–2032, and the wedding seasons and monsoon lull by date.
//!
//! Where the dates come from: 2019–2026 are the dates published in the Drik Panchang
//! and newspaper festival lists for each year (Kolkata; Diwali is the Kali Puja /
//! Lakshmi Puja night). 2027–2032 are worked out, not copied: the new moons were
//! computed with Meeus' lunar-phase series (Astronomical Algorithms, ch. 49), Diwali
//! put on the amavasya that spans the evening in the lunar month of the Sun's entry
//! into Tula, Dhanteras two days before it, Akshaya Tritiya on the third day of the
//! bright half of the month holding the Sun's entry into Vrishabha, and Dussehra on
//! the tenth day of the bright half before Diwali's month. Tithis that end near
//! sunrise can move a festival by a day, so each of those later dates may be a day
//! off; Poila Baishakh is a solar date (14 or 15 April) and equally may be a day off
//! after 2026. For a sales forecast a day's error is harmless: effects are estimated
//! relative to the festival, and the run-up spans days. Guru Pushya Nakshatra is not
//! listed: it needs the Moon's nakshatra at sunrise, which this table cannot date
//! reliably.

use jiff::civil::{Date, date};

/// A day in the year that moves a jeweller's sales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Festival {
    /// The biggest gold-buying day of the year, two days before Diwali.
    Dhanteras,
    Diwali,
    /// Vijaya Dashami, the last day of Durga Puja and Navratri.
    Dussehra,
    AkshayaTritiya,
    /// The Bengali new year, a traditional day to buy gold in Kolkata.
    PoilaBaishakh,
}

impl Festival {
    pub const ALL: [Festival; 5] = [
        Festival::Dhanteras,
        Festival::Diwali,
        Festival::Dussehra,
        Festival::AkshayaTritiya,
        Festival::PoilaBaishakh,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Festival::Dhanteras => "Dhanteras",
            Festival::Diwali => "Diwali",
            Festival::Dussehra => "Dussehra",
            Festival::AkshayaTritiya => "Akshaya Tritiya",
            Festival::PoilaBaishakh => "Poila Baishakh",
        }
    }
}

/// One year's festival dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FestivalYear {
    pub year: i16,
    pub dhanteras: Date,
    pub diwali: Date,
    pub dussehra: Date,
    pub akshaya_tritiya: Date,
    pub poila_baishakh: Date,
}

impl FestivalYear {
    pub fn date_of(&self, festival: Festival) -> Date {
        match festival {
            Festival::Dhanteras => self.dhanteras,
            Festival::Diwali => self.diwali,
            Festival::Dussehra => self.dussehra,
            Festival::AkshayaTritiya => self.akshaya_tritiya,
            Festival::PoilaBaishakh => self.poila_baishakh,
        }
    }

    /// The first day of Navratri (Ghatasthapana), nine days before Dussehra.
    pub fn navratri_begins(&self) -> Date {
        self.dussehra
            .checked_sub(jiff::Span::new().days(9))
            .unwrap_or(self.dussehra)
    }
}

pub const FIRST_YEAR: i16 = 2019;
pub const LAST_YEAR: i16 = 2032;

const fn year(
    year: i16,
    dhanteras: Date,
    diwali: Date,
    dussehra: Date,
    akshaya_tritiya: Date,
    poila_baishakh: Date,
) -> FestivalYear {
    FestivalYear {
        year,
        dhanteras,
        diwali,
        dussehra,
        akshaya_tritiya,
        poila_baishakh,
    }
}

/// The table, one row a year; see the module comment for sources and certainty.
/// 2020 and 2022 had trayodashi and amavasya a day apart, so Dhanteras is the day
/// before Diwali there.
#[rustfmt::skip]
const TABLE: [FestivalYear; 14] = [
    year(2019, date(2019, 10, 25), date(2019, 10, 27), date(2019, 10, 8), date(2019, 5, 7), date(2019, 4, 15)),
    year(2020, date(2020, 11, 13), date(2020, 11, 14), date(2020, 10, 25), date(2020, 4, 26), date(2020, 4, 14)),
    year(2021, date(2021, 11, 2), date(2021, 11, 4), date(2021, 10, 15), date(2021, 5, 14), date(2021, 4, 14)),
    year(2022, date(2022, 10, 23), date(2022, 10, 24), date(2022, 10, 5), date(2022, 5, 3), date(2022, 4, 15)),
    year(2023, date(2023, 11, 10), date(2023, 11, 12), date(2023, 10, 24), date(2023, 4, 22), date(2023, 4, 15)),
    year(2024, date(2024, 10, 29), date(2024, 10, 31), date(2024, 10, 12), date(2024, 5, 10), date(2024, 4, 14)),
    year(2025, date(2025, 10, 18), date(2025, 10, 20), date(2025, 10, 2), date(2025, 4, 30), date(2025, 4, 15)),
    year(2026, date(2026, 11, 6), date(2026, 11, 8), date(2026, 10, 20), date(2026, 4, 19), date(2026, 4, 15)),
    // Worked out from computed new moons; each may be a day off.
    year(2027, date(2027, 10, 27), date(2027, 10, 29), date(2027, 10, 9), date(2027, 5, 9), date(2027, 4, 15)),
    year(2028, date(2028, 10, 15), date(2028, 10, 17), date(2028, 9, 28), date(2028, 4, 27), date(2028, 4, 14)),
    year(2029, date(2029, 11, 3), date(2029, 11, 5), date(2029, 10, 17), date(2029, 5, 16), date(2029, 4, 14)),
    year(2030, date(2030, 10, 24), date(2030, 10, 26), date(2030, 10, 6), date(2030, 5, 5), date(2030, 4, 15)),
    year(2031, date(2031, 11, 12), date(2031, 11, 14), date(2031, 10, 25), date(2031, 4, 24), date(2031, 4, 15)),
    year(2032, date(2032, 10, 31), date(2032, 11, 2), date(2032, 10, 14), date(2032, 5, 12), date(2032, 4, 14)),
];

/// Every year the table knows, oldest first.
pub fn festival_years() -> &'static [FestivalYear] {
    &TABLE
}

/// The festival dates of `year`, or `None` outside 2019–2032.
pub fn festival_year(year: i16) -> Option<&'static FestivalYear> {
    TABLE.iter().find(|row| row.year == year)
}

/// Every date of `festival` the table knows, oldest first.
pub fn festival_dates(festival: Festival) -> impl Iterator<Item = Date> {
    TABLE.iter().map(move |row| row.date_of(festival))
}

/// How many days `day` is after the nearest known date of `festival` (negative
/// before it), or `None` when no known date lies within `reach` days.
pub fn days_from(festival: Festival, day: Date, reach: i64) -> Option<i64> {
    festival_dates(festival)
        .map(|on| i64::from((day - on).get_days()))
        .filter(|offset| offset.abs() <= reach)
        .min_by_key(|offset| offset.abs())
}

/// The part of the jewellery year a day falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Season {
    /// Mid-November to mid-December: the first Hindu wedding muhurats after Diwali.
    WinterWeddings,
    /// Mid-January (after Makar Sankranti) to early March.
    SpringWeddings,
    /// Mid-April (after Poila Baishakh) to the end of June.
    SummerWeddings,
    /// July and August: rain, Chaturmas, no weddings; the slowest months.
    MonsoonLull,
    /// Everything else: ordinary trade, and the festival run-up of autumn.
    Ordinary,
}

impl Season {
    pub fn of(day: Date) -> Season {
        let (m, d) = (day.month(), day.day());
        match (m, d) {
            (11, 15..) | (12, ..=15) => Season::WinterWeddings,
            (1, 15..) | (2, _) | (3, ..=10) => Season::SpringWeddings,
            (4, 15..) | (5 | 6, _) => Season::SummerWeddings,
            (7 | 8, _) => Season::MonsoonLull,
            _ => Season::Ordinary,
        }
    }

    pub fn is_wedding_season(self) -> bool {
        matches!(
            self,
            Season::WinterWeddings | Season::SpringWeddings | Season::SummerWeddings
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_covers_each_year_once_in_order() {
        let years: Vec<i16> = festival_years().iter().map(|row| row.year).collect();
        assert_eq!(years, (FIRST_YEAR..=LAST_YEAR).collect::<Vec<_>>());
        for row in festival_years() {
            for festival in Festival::ALL {
                assert_eq!(row.date_of(festival).year(), row.year, "{row:?}");
            }
        }
    }

    #[test]
    fn each_festival_falls_in_its_own_part_of_the_year() {
        for row in festival_years() {
            let before_diwali = i64::from((row.diwali - row.dhanteras).get_days());
            assert!((1..=2).contains(&before_diwali), "{row:?}");
            let dussehra_gap = i64::from((row.diwali - row.dussehra).get_days());
            assert!((17..=22).contains(&dussehra_gap), "{row:?}");
            assert!(row.diwali >= date(row.year, 10, 15) && row.diwali <= date(row.year, 11, 16));
            let tritiya = row.akshaya_tritiya;
            assert!(tritiya >= date(row.year, 4, 15) && tritiya <= date(row.year, 5, 20));
            assert!(matches!(row.poila_baishakh.day(), 14 | 15) && row.poila_baishakh.month() == 4);
        }
    }

    #[test]
    fn dhanteras_moves_by_up_to_three_weeks() {
        let days_into_year: Vec<i16> = festival_dates(Festival::Dhanteras)
            .map(|d| d.day_of_year())
            .collect();
        let spread = days_into_year.iter().max().unwrap() - days_into_year.iter().min().unwrap();
        assert!((18..=30).contains(&spread), "{spread}");
    }

    #[test]
    fn offsets_are_counted_from_the_nearest_festival() {
        assert_eq!(
            days_from(Festival::Dhanteras, date(2025, 10, 18), 10),
            Some(0)
        );
        assert_eq!(
            days_from(Festival::Dhanteras, date(2025, 10, 8), 10),
            Some(-10)
        );
        assert_eq!(
            days_from(Festival::Dhanteras, date(2025, 10, 21), 10),
            Some(3)
        );
        assert_eq!(days_from(Festival::Dhanteras, date(2025, 7, 1), 10), None);
        assert_eq!(days_from(Festival::Dhanteras, date(2040, 10, 18), 10), None);
    }

    #[test]
    fn seasons_follow_the_muhurat_windows() {
        assert_eq!(Season::of(date(2026, 11, 14)), Season::Ordinary);
        assert_eq!(Season::of(date(2026, 11, 15)), Season::WinterWeddings);
        assert_eq!(Season::of(date(2026, 12, 16)), Season::Ordinary);
        assert_eq!(Season::of(date(2027, 1, 15)), Season::SpringWeddings);
        assert_eq!(Season::of(date(2027, 3, 11)), Season::Ordinary);
        assert_eq!(Season::of(date(2027, 4, 15)), Season::SummerWeddings);
        assert_eq!(Season::of(date(2027, 7, 1)), Season::MonsoonLull);
        assert!(!Season::MonsoonLull.is_wedding_season());
    }
}
