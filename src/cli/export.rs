//! `sarkar-crm export customers|products|sales|follow-ups --format csv|xlsx --out PATH`:
//! the same files as the lists' Download links, written by the owner at the console.
//!
//! The database is locked while the server runs, and a file is too big for the control
//! socket's one-line answers, so with a server running the command refuses and says to
//! use the Download link or stop the server. Wrong flags exit with code 2.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use sarkar_crm::app::{
    Crm, CustomerQuery, Error, FollowUpQuery, ListExport, ProductQuery, SalesFilterText,
};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::reports::{ExportFormat, write_list_export};
use sarkar_crm::store::Deleted;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListArg {
    Customers,
    Products,
    Sales,
    FollowUps,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Which list to export.
    #[arg(value_enum)]
    list: ListArg,
    /// `csv` or `xlsx` (Excel).
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// The file to write (replaced if it exists).
    #[arg(long)]
    out: PathBuf,
    /// Sales from this day, `YYYY-MM-DD` (inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Sales up to this day, `YYYY-MM-DD` (inclusive).
    #[arg(long)]
    to: Option<String>,
    /// A floor, by name or id: sales, products and follow-ups on it, customers whose
    /// home floor it is.
    #[arg(long)]
    floor: Option<String>,
    /// Status: a sale's (`COMPLETED`…), a customer's (`ACTIVE`…) or a follow-up's
    /// (`PENDING`…).
    #[arg(long)]
    status: Option<String>,
    /// Sales with a payment of this kind (`CASH`, `UPI`, `CARD`…).
    #[arg(long)]
    payment: Option<String>,
    /// Sales whose invoice number starts so, or has this serial.
    #[arg(long)]
    invoice: Option<String>,
    /// Sales drawn up by this member of staff (id).
    #[arg(long)]
    salesperson: Option<String>,
    /// Search text (customers, products).
    #[arg(long)]
    q: Option<String>,
    /// Customers with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Products of this metal (`GOLD`, `SILVER`…).
    #[arg(long)]
    metal: Option<String>,
    /// Follow-ups owned by this member of staff (id).
    #[arg(long)]
    owner: Option<Uuid>,
    /// Follow-ups due at or after this time (RFC 3339).
    #[arg(long)]
    due_after: Option<String>,
    /// Follow-ups due before this time (RFC 3339).
    #[arg(long)]
    due_before: Option<String>,
}

/// Runs the export; 2 for wrong flags or filters, 1 when it could not be written.
pub fn run(config: Config, data_dir: &std::path::Path, args: ExportArgs) -> ExitCode {
    if let Err(message) = unused_flags(&args) {
        return refuse(&message);
    }
    let db = match open_database(data_dir, &config) {
        Ok(db) => db,
        Err(err) if err.to_string().contains("in use by another") => {
            eprintln!(
                "error: the server is running and holds the database; download the file from the list's page (Download CSV / Download Excel) or stop the server and run this again"
            );
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let crm = Crm::new(db, config);
    match export(&crm, &args) {
        Ok(rows) => {
            println!("Wrote {rows} rows to {}.", args.out.display());
            ExitCode::SUCCESS
        }
        Err(Failure::Flags(message)) => refuse(&message),
        Err(Failure::App(err @ (Error::BadQuery(_) | Error::Invalid(_) | Error::Forbidden(_)))) => {
            refuse(&err.to_string())
        }
        Err(Failure::App(err)) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
        Err(Failure::File(err)) => {
            eprintln!("error: cannot write {}: {err}", args.out.display());
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Flags(String),
    App(Error),
    File(std::io::Error),
}

fn refuse(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// A filter flag the chosen list does not take is a mistake, not something to ignore.
fn unused_flags(args: &ExportArgs) -> Result<(), String> {
    use ListArg::{Customers, FollowUps, Products, Sales};
    let flags: [(&str, bool, &[ListArg]); 13] = [
        ("--from", args.from.is_some(), &[Sales]),
        ("--to", args.to.is_some(), &[Sales]),
        (
            "--floor",
            args.floor.is_some(),
            &[Customers, Products, Sales, FollowUps],
        ),
        (
            "--status",
            args.status.is_some(),
            &[Customers, Sales, FollowUps],
        ),
        ("--payment", args.payment.is_some(), &[Sales]),
        ("--invoice", args.invoice.is_some(), &[Sales]),
        ("--salesperson", args.salesperson.is_some(), &[Sales]),
        ("--q", args.q.is_some(), &[Customers, Products]),
        ("--tag", args.tag.is_some(), &[Customers]),
        ("--metal", args.metal.is_some(), &[Products]),
        ("--owner", args.owner.is_some(), &[FollowUps]),
        ("--due-after", args.due_after.is_some(), &[FollowUps]),
        ("--due-before", args.due_before.is_some(), &[FollowUps]),
    ];
    for (flag, given, lists) in flags {
        if given && !lists.contains(&args.list) {
            return Err(format!("{flag} does not filter this list"));
        }
    }
    Ok(())
}

/// A value of one of the lists' enums, spelt as the API spells it (any case).
fn parse<T: serde::de::DeserializeOwned>(
    flag: &str,
    text: &Option<String>,
) -> Result<Option<T>, Failure> {
    let Some(text) = text else {
        return Ok(None);
    };
    let spelt = serde_json::Value::String(text.trim().to_uppercase());
    serde_json::from_value(spelt)
        .map(Some)
        .map_err(|_| Failure::Flags(format!("{flag}: '{text}' is not one of its values")))
}

fn export(crm: &Crm, args: &ExportArgs) -> Result<u64, Failure> {
    let actor = crm.console_actor().map_err(Failure::App)?;
    let floor = match &args.floor {
        None => None,
        Some(wanted) => Some(match Uuid::try_parse(wanted.trim()) {
            Ok(id) => id,
            Err(_) => crm
                .list_floors(&actor, Deleted::Hide)
                .map_err(Failure::App)?
                .into_iter()
                .find(|f| f.name.as_str().eq_ignore_ascii_case(wanted.trim()))
                .map(|f| f.id.as_uuid())
                .ok_or_else(|| Failure::Flags(format!("--floor: no floor is called '{wanted}'")))?,
        }),
    };
    let list = match args.list {
        ListArg::Customers => ListExport::Customers(CustomerQuery {
            q: args.q.clone(),
            status: parse("--status", &args.status)?,
            home_floor_id: floor,
            tag: args.tag.clone(),
            ..CustomerQuery::default()
        }),
        ListArg::Products => ListExport::Products(ProductQuery {
            q: args.q.clone(),
            floor_id: floor,
            metal: parse("--metal", &args.metal)?,
            ..ProductQuery::default()
        }),
        ListArg::Sales => ListExport::Sales(
            SalesFilterText {
                from: args.from.clone(),
                to: args.to.clone(),
                floor_id: floor.map(|f| f.to_string()),
                salesperson_id: args.salesperson.clone(),
                status: args.status.clone(),
                payment: args.payment.clone(),
                invoice: args.invoice.clone(),
            }
            .parse()
            .map_err(Failure::App)?,
        ),
        ListArg::FollowUps => ListExport::FollowUps(FollowUpQuery {
            owner_id: args.owner,
            floor_id: floor,
            status: parse("--status", &args.status)?,
            due_after: args.due_after.clone(),
            due_before: args.due_before.clone(),
            ..FollowUpQuery::default()
        }),
    };
    crm.check_export(&actor, &list).map_err(Failure::App)?;
    let format = match args.format {
        FormatArg::Csv => ExportFormat::Csv,
        FormatArg::Xlsx => ExportFormat::Xlsx,
    };
    // Written beside the destination and moved into place, so a failed export never
    // leaves a half-written file under the name asked for.
    let folder = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let file = tempfile::NamedTempFile::new_in(folder).map_err(Failure::File)?;
    let out = std::io::BufWriter::new(file.as_file());
    let rows = write_list_export(crm, &actor, &list, format, out).map_err(Failure::App)?;
    file.persist(&args.out)
        .map_err(|e| Failure::File(e.error))?;
    Ok(rows)
}
