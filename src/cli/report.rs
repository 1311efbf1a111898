//! `sarkar-crm report opening --date D --format pdf|xlsx|csv --out F`: the opening
//! report written to a file on the box, the same document the page offers.

use std::path::{Path, PathBuf};

use anyhow::Context;

use sarkar_crm::app::Crm;
use sarkar_crm::reports::{self, Cell, Column, CsvTable, Kind, LineKind, SummaryLine, Table};

/// The file formats the command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Pdf,
    Xlsx,
    /// The summary table alone: one row per span and the same span last year.
    Csv,
}

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// The owner's opening report of a day: PDF, Excel workbook, or the summary as CSV.
    Opening {
        /// The day, YYYY-MM-DD in the store's time zone (default: yesterday).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum)]
        format: ReportFormat,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs `sarkar-crm report …`.
pub fn run(crm: &Crm, command: ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Opening { date, format, out } => opening(crm, date.as_deref(), format, &out),
    }
}

/// Writes the opening report of `date` (yesterday when `None`) to `out`.
pub fn opening(
    crm: &Crm,
    date: Option<&str>,
    format: ReportFormat,
    out: &Path,
) -> anyhow::Result<()> {
    let report = crm.opening_report_for_cli(date)?;
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let zone = crm.config().time_zone();
    match format {
        ReportFormat::Pdf => {
            use std::io::Write;
            let mut file = file;
            file.write_all(&reports::opening_pdf(&report))?;
        }
        ReportFormat::Xlsx => {
            reports::opening_xlsx::opening_workbook(&report, zone, file)?;
        }
        ReportFormat::Csv => {
            let mut columns = vec![
                Column::new("Span", Kind::Text),
                Column::new("From", Kind::Date),
                Column::new("To", Kind::Date),
            ];
            columns.extend(SummaryLine::ALL.iter().map(|l| {
                let kind = match l.kind() {
                    LineKind::Money => Kind::Money,
                    LineKind::Weight => Kind::Weight,
                    LineKind::Count => Kind::Count,
                };
                Column::new(l.label(), kind)
            }));
            let mut csv = CsvTable::begin(file, Table::new("Opening report", columns), zone)?;
            for span in &report.spans {
                for (figures, suffix) in [(&span.this, ""), (&span.last_year, ", last year")] {
                    let mut cells = vec![
                        Cell::Text(format!("{}{suffix}", span.kind.title())),
                        Cell::Date(figures.from),
                        Cell::Date(figures.to),
                    ];
                    cells.extend(SummaryLine::ALL.iter().map(|l| {
                        let value = l.value(figures);
                        match l.kind() {
                            LineKind::Money => Cell::Money(sarkar_crm::domain::Paise::new(value)),
                            LineKind::Weight => {
                                Cell::Weight(sarkar_crm::domain::Milligrams::total(value))
                            }
                            LineKind::Count => Cell::Count(value),
                        }
                    }));
                    csv.row(&cells)?;
                }
            }
            csv.finish()?;
        }
    }
    println!(
        "Wrote the opening report of {} to {}.",
        report.day,
        out.display()
    );
    Ok(())
}
