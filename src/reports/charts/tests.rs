//! Chart tests: every label and figure is in the SVG and its table, bars are
//! proportional, empty and negative data draw sensibly, and a gallery is written
//! to `target/screenshots/charts/` to look at.

use jiff::civil::{Date, date};

use super::scale::{Axis, Tenths, share};
use super::*;
use crate::domain::Paise;

const TEXT: ChartText<'static> = ChartText {
    id: "test-chart",
    title: "Sales by floor",
    description: "Takings of each floor this month",
};

fn named(id: &'static str, title: &'static str) -> ChartText<'static> {
    ChartText {
        id,
        title,
        description: "A chart drawn for the gallery",
    }
}

fn bar(label: &str, rupees: i64, href: Option<&str>) -> Bar {
    Bar {
        label: label.to_owned(),
        amount: Paise::from_rupees(rupees),
        href: href.map(str::to_owned),
    }
}

/// The `width` attribute of each `<rect class="chart-bar…">`, in order.
fn bar_widths(svg: &str) -> Vec<String> {
    svg.split("<rect class=\"chart-bar")
        .skip(1)
        .map(|rest| {
            let start = rest.find("width=\"").unwrap() + 7;
            rest[start..start + rest[start..].find('"').unwrap()].to_owned()
        })
        .collect()
}

fn days(from: Date, amounts: &[i64]) -> Vec<SeriesPoint> {
    std::iter::successors(Some(from), |d| d.tomorrow().ok())
        .zip(amounts)
        .map(|(day, rupees)| SeriesPoint {
            day,
            amount: Paise::from_rupees(*rupees),
            band: None,
            forecast: false,
        })
        .collect()
}

#[test]
fn amounts_are_labelled_in_lakh_and_crore() {
    assert_eq!(rupees_short(Paise::from_rupees(45_000)), "₹45,000");
    assert_eq!(rupees_short(Paise::new(99_949)), "₹999");
    assert_eq!(rupees_short(Paise::from_rupees(1_00_000)), "₹1 L");
    assert_eq!(rupees_short(Paise::from_rupees(12_50_000)), "₹12.5 L");
    assert_eq!(rupees_short(Paise::from_rupees(2_25_00_000)), "₹2.25 Cr");
    assert_eq!(
        rupees_short(Paise::from_rupees(1_250_00_00_000)),
        "₹1,250 Cr"
    );
    assert_eq!(rupees_short(Paise::from_rupees(-3_40_000)), "-₹3.4 L");
    assert_eq!(percent(1_250), "12.5%");
    assert_eq!(percent(-300), "-3.0%");
}

#[test]
fn axes_are_round_and_hold_zero() {
    assert_eq!(
        Axis::around(0, 9_00_000_00),
        Axis {
            low: 0,
            high: 10_00_000_00,
            step: 2_50_000_00
        }
    );
    let mixed = Axis::around(-30_000_00, 1_10_000_00);
    assert!(
        mixed.low <= -30_000_00 && mixed.high >= 1_10_000_00 && mixed.ticks().contains(&0),
        "{mixed:?}"
    );
    let flat = Axis::around(0, 0);
    assert!(flat.high > flat.low);
    assert_eq!(share(1, 3, Tenths(100)), Tenths(33));
    assert_eq!(share(-2, 3, Tenths(100)), Tenths(-67));
}

#[test]
fn a_bar_chart_shows_each_label_and_figure_with_proportional_bars() {
    let bars = [
        bar("Ground floor", 4_00_000, Some("/reports/sales?floor=1")),
        bar("First floor <Bridal>", 2_00_000, None),
        bar("Online", 1_00_000, None),
    ];
    let svg = bar_chart(&TEXT, &bars).into_string();
    for label in [
        "Ground floor",
        "First floor &lt;Bridal&gt;",
        "Online",
        "₹4 L",
        "₹2 L",
        "₹1 L",
    ] {
        assert!(svg.contains(label), "{label} missing");
    }
    assert!(!svg.contains("<Bridal>"));
    // The table has the exact figures.
    for figure in ["₹4,00,000.00", "₹2,00,000.00", "₹1,00,000.00"] {
        assert!(svg.contains(figure), "{figure} missing");
    }
    assert_eq!(bar_widths(&svg), ["464", "232", "116"]);
    assert!(svg.contains("<a href=\"/reports/sales?floor=1\">"));
    assert!(
        svg.contains("role=\"img\"")
            && svg.contains("<title id=\"test-chart-title\">Sales by floor</title>")
    );
    assert!(svg.contains("<desc id=\"test-chart-desc\">") && svg.contains("<details"));
    assert!(svg.contains("width=\"100%\"") && svg.contains("viewBox=\"0 0 480 "));
}

#[test]
fn text_is_at_least_twelve_pixels_on_a_phone() {
    let svg = bar_chart(&TEXT, &[bar("Cash", 10, None)]).into_string();
    assert!(svg.contains(&format!("font-size=\"{FONT_SIZE}\"")));
}

#[test]
fn empty_data_says_so_instead_of_drawing_axes() {
    for svg in [
        bar_chart(&TEXT, &[]).into_string(),
        line_chart(&TEXT, &[], None).into_string(),
        comparison_chart(&TEXT, ("2026", "2025"), &[]).into_string(),
    ] {
        assert!(svg.contains(NO_SALES), "{svg}");
        assert!(!svg.contains("<rect") && !svg.contains("<path"), "{svg}");
    }
    let funnel = funnel_chart(&TEXT, &[]).into_string();
    assert!(funnel.contains("No walk-ins in this period"));
}

#[test]
fn refunds_grow_left_of_a_zero_line_without_breaking_the_scale() {
    let bars = [
        bar("Sales", 3_00_000, None),
        bar("Refunds", -1_00_000, None),
    ];
    let svg = bar_chart(&TEXT, &bars).into_string();
    // 4 lakh of span over 464 units: zero at 8 + 116, the sale 348 wide, the refund 116.
    assert_eq!(bar_widths(&svg), ["348", "116"]);
    assert!(svg.contains("chart-bar chart-bar-negative\" x=\"8\""));
    assert!(svg.contains("x1=\"124\" x2=\"124\""));
    assert!(svg.contains("-₹1 L"));

    let line = line_chart(
        &TEXT,
        &days(date(2026, 3, 1), &[50_000, -20_000, 80_000]),
        None,
    )
    .into_string();
    assert!(line.contains("-₹") && !line.contains("NaN"), "{line}");
}

#[test]
fn a_line_chart_draws_history_forecast_band_and_today() {
    let mut points = days(date(2026, 10, 1), &[40_000, 60_000, 50_000, 0, 70_000]);
    for point in &mut points[3..] {
        point.forecast = true;
        point.band = Some((Paise::from_rupees(30_000), Paise::from_rupees(90_000)));
    }
    let svg = line_chart(&TEXT, &points, Some(date(2026, 10, 4))).into_string();
    for needle in [
        "chart-line\"",
        "chart-line-forecast",
        "chart-band",
        "Today",
        "1 Oct 2026",
        "5 Oct 2026",
        "₹40,000.00",
        "₹90,000.00",
        "4 Oct 2026 (forecast)",
        "Likely from",
    ] {
        assert!(svg.contains(needle), "{needle} missing");
    }
}

#[test]
fn a_funnel_shows_counts_and_conversions() {
    let stages = [
        FunnelStage {
            label: "Walk-ins".to_owned(),
            count: 1_200,
        },
        FunnelStage {
            label: "Inquiries".to_owned(),
            count: 480,
        },
        FunnelStage {
            label: "Sales".to_owned(),
            count: 120,
        },
    ];
    let svg = funnel_chart(&TEXT, &stages).into_string();
    for needle in [
        "Walk-ins: 1,200",
        "Inquiries: 480",
        "Sales: 120",
        "40.0% of Walk-ins",
        "25.0% of Inquiries",
        "10.0%",
    ] {
        assert!(svg.contains(needle), "{needle} missing");
    }
    assert_eq!(bar_widths(&svg), ["464", "185.6", "46.4"]);
}

#[test]
fn this_period_is_compared_with_last_year() {
    let rows = [
        ComparisonRow {
            label: "Sales".to_owned(),
            this_period: Paise::from_rupees(11_25_000),
            last_year: Paise::from_rupees(10_00_000),
        },
        ComparisonRow {
            label: "Old gold".to_owned(),
            this_period: Paise::from_rupees(50_000),
            last_year: Paise::ZERO,
        },
    ];
    let svg = comparison_chart(&TEXT, ("Dec 2026", "Dec 2025"), &rows).into_string();
    for needle in [
        "+12.5%",
        "new this year",
        "Dec 2026: ₹11.25 L",
        "Dec 2025: ₹10 L",
        "₹11,25,000.00",
    ] {
        assert!(svg.contains(needle), "{needle} missing");
    }
    assert_eq!(bar_widths(&svg)[..2], ["464", "412.4"]);
}

/// Writes each chart into one HTML page with the app's stylesheets, to look at.
#[test]
fn gallery_is_written_for_looking_at() {
    let mut points = days(
        date(2026, 11, 1),
        &[
            90_000, 1_20_000, 80_000, 2_50_000, 9_00_000, 3_00_000, 60_000,
        ],
    );
    for point in &mut points[4..] {
        point.forecast = true;
        point.band = Some((
            point
                .amount
                .percent(crate::domain::BasisPoints::new(8_000).unwrap()),
            Paise::new(point.amount.get() * 13 / 10),
        ));
    }
    let charts = [
        line_chart(
            &named("trend", "Sales, last days and forecast"),
            &points,
            Some(date(2026, 11, 5)),
        ),
        bar_chart(
            &named("floors", "Sales by floor"),
            &[
                bar("Ground floor", 12_40_000, Some("#")),
                bar("First floor", 8_10_000, None),
                bar("Refunds", -1_20_000, None),
            ],
        ),
        funnel_chart(
            &named("funnel", "Walk-ins to sales"),
            &[
                FunnelStage {
                    label: "Walk-ins".into(),
                    count: 300,
                },
                FunnelStage {
                    label: "Sales".into(),
                    count: 45,
                },
            ],
        ),
        comparison_chart(
            &named("last-year", "This month against last year"),
            ("This month", "Last year"),
            &[ComparisonRow {
                label: "Sales".into(),
                this_period: Paise::from_rupees(42_00_000),
                last_year: Paise::from_rupees(38_00_000),
            }],
        ),
        bar_chart(&named("empty", "Sales by payment mode"), &[]),
    ];
    let page = maud::html! {
        (maud::DOCTYPE)
        html { head { meta charset="utf-8"; link rel="stylesheet" href="../../../assets/app.css"; link rel="stylesheet" href="../../../assets/charts.css"; }
        body { main { @for chart in &charts { (chart) } } } }
    };
    let page = page.into_string();
    for id in ["trend", "floors", "funnel", "last-year", "empty"] {
        assert_eq!(
            page.matches(&format!("id=\"{id}-title\"")).count(),
            1,
            "{id}"
        );
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/charts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("gallery.html"), page).unwrap();
}
