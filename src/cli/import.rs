//! `sarkar-crm import customers|products FILE [--mapping NAME] [--on-duplicate …]
//! [--dry-run] [--strict]`: the page's import at the console, through the same checks,
//! with a progress bar and a summary. Rows with problems are left out, listed by row
//! and column, and written to `FILE.problems.csv` to fix and import again.
//!
//! Like `export`, it needs the database to itself: with the server running it refuses
//! and says to use the Import page or stop the server. Exit codes: 0 imported (or
//! previewed with `--dry-run`), 2 the file or a flag is wrong (nothing stored), 1 a
//! failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use sarkar_crm::app::imports::{ImportSettings, ImportView};
use sarkar_crm::app::{Actor, Crm, Error};
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::{open_database, open_search_index};
use sarkar_crm::domain::{DuplicateAction, ImportId, ImportKind, ImportState};
use sarkar_crm::search::SearchIndex;
use sarkar_crm::store::Deleted;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Customers,
    Products,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DuplicateArg {
    /// Add the row as a new record (refused when its phone or tag number is taken).
    Create,
    /// Fill the stored record's empty fields from the row.
    Update,
    /// Write the row's values over the stored record's.
    Overwrite,
    /// Leave the stored record alone (the default).
    Skip,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    kind: KindArg,
    /// A CSV (any separator; UTF-8, UTF-16 or Windows-1252) or Excel (.xlsx, .xls) file.
    file: PathBuf,
    /// Use the column mapping saved under this name on the Import page.
    #[arg(long)]
    mapping: Option<String>,
    /// What to do with a row that matches a stored record or an earlier row.
    #[arg(long, value_enum, default_value = "skip")]
    on_duplicate: DuplicateArg,
    /// Products: the floor (by name) of rows that name none.
    #[arg(long)]
    floor: Option<String>,
    /// Read and check the whole file, say what would happen, and store nothing.
    #[arg(long)]
    dry_run: bool,
    /// Refuse the whole file if any row has a problem.
    #[arg(long)]
    strict: bool,
}

enum Failure {
    /// The file or a flag is wrong: nothing was stored.
    Refused(String),
    App(Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        match err {
            Error::Invalid(_)
            | Error::Conflict { .. }
            | Error::NotFound(_)
            | Error::Forbidden(_) => Failure::Refused(err_text(&err)),
            other => Failure::App(other),
        }
    }
}

fn err_text(err: &Error) -> String {
    match err {
        Error::Invalid(errors) => errors
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// Runs the import; see the module's documentation for the exit codes.
pub fn run(config: Config, data_dir: &Path, args: ImportArgs) -> ExitCode {
    if !args.file.is_file() {
        eprintln!("error: {} is not a file", args.file.display());
        return ExitCode::from(2);
    }
    let db = match open_database(data_dir, &config) {
        Ok(db) => db,
        Err(err) if err.to_string().contains("in use by another") => {
            eprintln!(
                "error: the server is running and holds the database; import on the Import page (Customers → Import) or stop the server and run this again"
            );
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let crm = Crm::new(db.clone(), config).with_uploads(data_dir.join("uploads"));
    let started = Instant::now();
    // The search index follows the import as it is written, on the other core, so the
    // new records are searchable as soon as the server starts.
    let index = match open_search_index(data_dir, &db, &|_, _| {}) {
        Ok(index) => Some(index),
        Err(err) => {
            eprintln!("warning: the search index will catch up when the server starts ({err})");
            None
        }
    };
    let outcome = import(&crm, &args, index.as_ref());
    match outcome {
        Ok(Some(view)) => {
            let indexing = Instant::now();
            if let Some(index) = &index {
                match index.catch_up(&db) {
                    Ok(_) => eprintln!(
                        "Search index up to date {:.1} s later.",
                        indexing.elapsed().as_secs_f64()
                    ),
                    Err(err) => eprintln!(
                        "warning: the search index will catch up when the server starts ({err})"
                    ),
                }
            }
            summary(&view, started.elapsed());
            if view.state == ImportState::Committed {
                ExitCode::SUCCESS
            } else {
                eprintln!("error: {}", view.message);
                ExitCode::FAILURE
            }
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(Failure::Refused(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::App(err)) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn import(
    crm: &Crm,
    args: &ImportArgs,
    index: Option<&SearchIndex>,
) -> Result<Option<ImportView>, Failure> {
    let actor = crm.console_actor()?;
    let kind = match args.kind {
        KindArg::Customers => ImportKind::Customers,
        KindArg::Products => ImportKind::Products,
    };
    if args.floor.is_some() && kind == ImportKind::Customers {
        return Err(Failure::Refused(
            "--floor is for products; a customer file names each customer's home floor in a column"
                .into(),
        ));
    }
    let default_floor_id = match &args.floor {
        None => None,
        Some(wanted) => Some(
            crm.list_floors(&actor, Deleted::Hide)?
                .into_iter()
                .find(|f| f.name.as_str().eq_ignore_ascii_case(wanted.trim()))
                .map(|f| f.id.as_uuid())
                .ok_or_else(|| {
                    Failure::Refused(format!("--floor: no floor is called '{wanted}'"))
                })?,
        ),
    };
    let staged = crm.staging_path()?;
    std::fs::copy(&args.file, &staged)
        .map_err(|e| Failure::Refused(format!("cannot read {}: {e}", args.file.display())))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let settings = ImportSettings {
        mapping_name: args.mapping.clone(),
        on_duplicate: Some(match args.on_duplicate {
            DuplicateArg::Create => DuplicateAction::Create,
            DuplicateArg::Update => DuplicateAction::Update,
            DuplicateArg::Overwrite => DuplicateAction::Overwrite,
            DuplicateArg::Skip => DuplicateAction::Skip,
        }),
        default_floor_id,
        ..ImportSettings::default()
    };
    eprintln!("Reading {}…", args.file.display());
    let reading = Instant::now();
    let draft = crm.draft_import_at_console(&actor, kind, &file_name, &staged, settings)?;
    eprintln!(
        "Read and checked in {:.1} s.",
        reading.elapsed().as_secs_f64()
    );
    let id = ImportId::from_uuid(draft.id);
    let kept = report_draft(crm, &actor, &draft, args);
    let stop_here = match kept {
        Err(failure) => Some(Err(failure)),
        Ok(()) if args.dry_run => Some(Ok(None)),
        Ok(()) => None,
    };
    if let Some(result) = stop_here {
        // A dry run, a refused strict file or a mapping to fix: nothing stays stored.
        crm.discard_import(&actor, id)?;
        if args.dry_run && result.is_ok() {
            eprintln!("Dry run: nothing was stored.");
        }
        return result;
    }
    crm.begin_import_commit(&actor, id, args.strict)?;
    let writing_since = Instant::now();
    let bar = progress_bar(
        draft
            .preview
            .as_ref()
            .map_or(0, |p| u64::from(p.counts.rows)),
    );
    let writing = AtomicBool::new(true);
    let view = std::thread::scope(|scope| {
        scope.spawn(|| {
            while writing.load(Ordering::Relaxed) {
                if let Some(p) = crm.import_progress(id) {
                    bar.set_position(u64::from(p.done));
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        if let Some(index) = index {
            scope.spawn(|| {
                while writing.load(Ordering::Relaxed) {
                    if let Err(err) = index.catch_up(crm.db()) {
                        eprintln!(
                            "warning: the search index will catch up when the server starts ({err})"
                        );
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
            });
        }
        let view = crm.run_import_commit_alone(&actor, id);
        writing.store(false, Ordering::Relaxed);
        view
    })?;
    bar.finish_and_clear();
    eprintln!("Written in {:.1} s.", writing_since.elapsed().as_secs_f64());
    Ok(Some(view))
}

/// Prints the preview's counts and problems, writes the problem rows next to the file,
/// and says whether to go on.
fn report_draft(
    crm: &Crm,
    actor: &Actor,
    draft: &ImportView,
    args: &ImportArgs,
) -> Result<(), Failure> {
    eprintln!("{}: {}", draft.file_name, draft.format);
    let mapped: Vec<String> = draft
        .mapping
        .iter()
        .map(|m| format!("{} ← \"{}\"", m.field, m.header))
        .collect();
    eprintln!("Columns: {}", mapped.join(", "));
    if !draft.mapping_problems.is_empty() {
        return Err(Failure::Refused(format!(
            "{}\nThe file's columns are: {}. Map them on the Import page and save the mapping by name, then run this again with --mapping NAME.",
            draft.mapping_problems.join("\n"),
            draft.headers.join(", ")
        )));
    }
    let Some(plan) = &draft.preview else {
        return Err(Failure::Refused("the file could not be previewed".into()));
    };
    let c = plan.counts;
    eprintln!(
        "{} rows: {} to add, {} to update, {} to skip, {} with problems ({} match a stored record or an earlier row).",
        c.rows, c.create, c.update, c.skip, c.refuse, c.duplicates
    );
    for p in plan.problems.iter().take(20) {
        let column = if p.column.is_empty() {
            String::new()
        } else {
            format!(", {}", p.column)
        };
        eprintln!("  row {}{column}: {}", p.line, p.message);
    }
    if plan.problems_total > 20 {
        eprintln!("  … and {} more", plan.problems_total - 20);
    }
    if c.refuse > 0 {
        let rows = crm.import_problems_csv(actor, ImportId::from_uuid(draft.id))?;
        let out = problems_path(&args.file);
        match std::fs::write(&out, rows) {
            Ok(()) => eprintln!(
                "The rows with problems are in {}: fix them there and import that file.",
                out.display()
            ),
            Err(e) => eprintln!("warning: cannot write {}: {e}", out.display()),
        }
        if args.strict {
            return Err(Failure::Refused(format!(
                "--strict: {} of {} rows have problems; nothing was imported",
                c.refuse, c.rows
            )));
        }
    }
    Ok(())
}

/// `customers.csv` → `customers.problems.csv`, beside it.
fn problems_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.problems.csv"))
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn summary(view: &ImportView, took: Duration) {
    let c = view.counts;
    println!(
        "Imported {}: {} added, {} updated, {} skipped, {} left out for problems ({:.1} s).",
        view.file_name,
        c.created,
        c.updated,
        c.skipped,
        c.refused,
        took.as_secs_f64()
    );
    if view.state == ImportState::Committed {
        println!(
            "If it was a mistake, undo it as a whole on the Imports page (/imports/{}).",
            view.id
        );
    }
}
