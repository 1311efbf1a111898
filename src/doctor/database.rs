//! Checks on the database and the search index: read directly when the server is
//! stopped, taken from the running server's answers when it holds the database.

use std::path::Path;

use jiff::Timestamp;

use super::{Check, Server};
use crate::config::Config;
use crate::data_dir::{DATABASE_FILE, INDEX_DIR};
use crate::store::{Db, LATEST_SCHEMA_VERSION, StoreError, schema_version};

const RESTART: &str = "`sudo systemctl restart sarkar-crm`";

/// What doctor could learn by opening the database itself.
#[derive(Debug)]
pub enum Local {
    /// No database file yet: the server makes it at first start.
    Missing,
    /// Another process (normally the server) holds it.
    Locked,
    /// It could not be opened or checked; why.
    Broken(String),
    Opened {
        /// Whether redb had to repair it (it was not closed cleanly).
        repaired: bool,
        schema: u64,
        last_change: u64,
        newest_change_at: Option<Timestamp>,
    },
}

impl Local {
    /// When the newest change was made, if the database could be read.
    pub fn newest_change(&self) -> Option<Timestamp> {
        match self {
            Local::Opened {
                newest_change_at, ..
            } => *newest_change_at,
            _ => None,
        }
    }
}

/// Opens the database (when nothing else holds it), runs redb's integrity check, and
/// reads its schema version and newest change. Opening runs pending migrations, as
/// every command that opens the database does.
pub fn open(config: &Config, data_dir: &Path) -> Local {
    let path = data_dir.join(DATABASE_FILE);
    if !path.exists() {
        return Local::Missing;
    }
    let cache = config.database.cache_mb * 1024 * 1024;
    let repaired = match redb::Database::builder().set_cache_size(cache).open(&path) {
        Ok(mut database) => match database.check_integrity() {
            Ok(clean) => !clean,
            Err(err) => return Local::Broken(format!("the integrity check failed: {err}")),
        },
        Err(redb::DatabaseError::DatabaseAlreadyOpen) => return Local::Locked,
        Err(err) => return Local::Broken(err.to_string()),
    };
    let db = match Db::open(&path, cache, &config.time_zone()) {
        Ok(db) => db,
        Err(StoreError::Locked { .. }) => return Local::Locked,
        Err(err) => return Local::Broken(err.to_string()),
    };
    let read = db.read(|rx| {
        let schema = schema_version(rx)?;
        let last_change = rx.last_change_seq()?;
        let newest = rx.changes_after(last_change.saturating_sub(1), 1)?;
        Ok::<_, StoreError>((schema, last_change, newest.first().map(|c| c.at)))
    });
    match read {
        Ok((schema, last_change, newest_change_at)) => Local::Opened {
            repaired,
            schema,
            last_change,
            newest_change_at,
        },
        Err(err) => Local::Broken(err.to_string()),
    }
}

pub fn check_database(data_dir: &Path, local: &Local, server: &Server) -> Check {
    const NAME: &str = "database";
    match (local, server) {
        (Local::Missing, _) => Check::warn(
            NAME,
            format!("there is no {DATABASE_FILE} yet; the server makes it at its first start"),
            "start the service: `sudo systemctl start sarkar-crm` (or check --data-dir points at the right folder)",
        ),
        (Local::Broken(why), _) => Check::fail(
            NAME,
            format!("{DATABASE_FILE} cannot be used: {why}"),
            format!(
                "stop the service (`sudo systemctl stop sarkar-crm`), keep a copy of the data directory (`sudo cp -a {dir} {dir}.copy`), then run doctor again as the service user (`sudo -u sarkar-crm sarkar-crm --data-dir {dir} doctor`); if it still fails, send this output to support",
                dir = data_dir.display()
            ),
        ),
        (
            Local::Opened {
                repaired, schema, ..
            },
            _,
        ) => {
            let version = format!(
                "schema version {schema} (this program knows up to {LATEST_SCHEMA_VERSION})"
            );
            if *repaired {
                Check::warn(
                    NAME,
                    format!(
                        "{DATABASE_FILE} had not been closed cleanly and was repaired; {version}"
                    ),
                    "nothing more to do now; if it happens again, the box is losing power: connect it to a UPS",
                )
            } else {
                Check::pass(
                    NAME,
                    format!("{DATABASE_FILE} passed the integrity check; {version}"),
                )
            }
        }
        (Local::Locked, Server::Running(answers)) => Check::pass(
            NAME,
            format!(
                "checked by the running server (version {}, newest change {})",
                answers.version, answers.last_change
            ),
        ),
        (Local::Locked, Server::Silent(why)) => Check::fail(
            NAME,
            format!("{DATABASE_FILE} is in use by another program, but no server answered: {why}"),
            format!(
                "if `sarkar-crm reindex` or `demo-data` is running, let it finish; otherwise read `journalctl -u sarkar-crm -n 50` and restart the service: {RESTART}"
            ),
        ),
        (Local::Locked, Server::Stopped) => Check::info(NAME, "in use by another program"),
    }
}

pub fn check_index(data_dir: &Path, local: &Local, server: &Server) -> Check {
    const NAME: &str = "search index";
    let reindex = format!(
        "start the server, which catches up by itself (`sudo systemctl start sarkar-crm`), or with the server stopped run `sudo -u sarkar-crm sarkar-crm reindex --data-dir {}`",
        data_dir.display()
    );
    match (local, server) {
        (_, Server::Running(answers)) => match answers.index_lag {
            Some(0) => Check::pass(NAME, "up to date (checked by the running server)"),
            Some(lag) => Check::warn(
                NAME,
                format!("{lag} changes are not searchable yet"),
                format!(
                    "the server is catching up: run doctor again in a minute; if the number does not fall, restart the service: {RESTART}"
                ),
            ),
            None => Check::warn(
                NAME,
                "the running server did not report how far its search index is behind",
                format!("restart the service: {RESTART}"),
            ),
        },
        (Local::Opened { last_change, .. }, _) => {
            match crate::search::SearchIndex::applied_on_disk(&data_dir.join(INDEX_DIR)) {
                Err(why) => Check::warn(NAME, format!("not usable: {why}"), reindex),
                Ok(applied) if applied == *last_change => Check::pass(
                    NAME,
                    format!("up to date (change {applied} of {last_change})"),
                ),
                Ok(applied) if applied < *last_change => Check::warn(
                    NAME,
                    format!(
                        "behind: it reflects change {applied}, the database is at {last_change}"
                    ),
                    reindex,
                ),
                Ok(applied) => Check::warn(
                    NAME,
                    format!(
                        "ahead of the database (change {applied}, the database is at {last_change}); the server rebuilds it at start"
                    ),
                    reindex,
                ),
            }
        }
        _ => Check::info(NAME, "not checked: the database could not be read"),
    }
}
