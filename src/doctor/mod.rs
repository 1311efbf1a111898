//! `sarkar-crm doctor`: the checks a technician runs on an installed box, each printed
//! with what was found and, when something is wrong, a fix they can follow without
//! knowing anything about the program's insides.
//!
//! Doctor works whether the server is stopped or running. Stopped, it opens the
//! database and the search index itself; running (the database is then locked), it
//! asks the server over HTTPS instead, trusting only the box's own CA.

mod certificate;
mod database;
mod files;
mod server;

use std::fmt;
use std::path::Path;

use crate::config::Config;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    /// Worth a look, but the store can work.
    Warn,
    /// The store cannot work properly until it is fixed.
    Fail,
    /// Nothing to judge (yet); says why.
    Info,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
            Status::Info => "INFO",
        })
    }
}

/// One line of the report, with its fix when it did not pass.
#[derive(Debug, Clone)]
pub struct Check {
    pub status: Status,
    pub name: &'static str,
    pub found: String,
    pub fix: Option<String>,
}

impl Check {
    pub fn pass(name: &'static str, found: impl Into<String>) -> Self {
        Self::new(Status::Pass, name, found, None)
    }

    pub fn info(name: &'static str, found: impl Into<String>) -> Self {
        Self::new(Status::Info, name, found, None)
    }

    pub fn warn(name: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Warn, name, found, Some(fix.into()))
    }

    pub fn fail(name: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Fail, name, found, Some(fix.into()))
    }

    fn new(
        status: Status,
        name: &'static str,
        found: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        Self {
            status,
            name,
            found: found.into(),
            fix,
        }
    }
}

/// Every check's outcome, in the order they ran.
#[derive(Debug, Clone)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether nothing failed (warnings and notes allowed): the exit code follows it.
    pub fn healthy(&self) -> bool {
        !self.checks.iter().any(|c| c.status == Status::Fail)
    }

    /// The check called `name`, if it ran.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            writeln!(f, "{} {}: {}", check.status, check.name, check.found)?;
            if let Some(fix) = &check.fix {
                writeln!(f, "     Fix: {fix}")?;
            }
        }
        let count = |status| self.checks.iter().filter(|c| c.status == status).count();
        let (failed, warned, passed) = (
            count(Status::Fail),
            count(Status::Warn),
            count(Status::Pass),
        );
        let problems = failed + warned;
        match problems {
            0 => writeln!(f, "{passed} checks passed"),
            1 => writeln!(
                f,
                "1 problem needs fixing ({failed} failing, {warned} warning)"
            ),
            n => writeln!(
                f,
                "{n} problems need fixing ({failed} failing, {warned} warnings)"
            ),
        }
    }
}

/// Whether the server holds the database, and what it answered when asked.
#[derive(Debug)]
pub(crate) enum Server {
    /// Nothing holds the database: doctor reads it itself.
    Stopped,
    /// Another process holds the database and the server answered `/healthz`.
    Running(server::Answers),
    /// Another process holds the database but no server answered; why.
    Silent(String),
}

/// Runs every check against the install in `data_dir` configured by `config`.
pub fn run(config: &Config, data_dir: &Path) -> Report {
    let mut checks = vec![files::data_dir(data_dir)];
    let local = database::open(config, data_dir);
    let running = match &local {
        database::Local::Locked => match server::ask(config, data_dir) {
            Ok(answers) => Server::Running(answers),
            Err(why) => Server::Silent(why),
        },
        _ => Server::Stopped,
    };
    checks.push(database::check_database(data_dir, &local, &running));
    checks.push(database::check_index(data_dir, &local, &running));
    let certificate = certificate::read(data_dir);
    checks.push(certificate::check(config, &certificate));
    checks.extend(server::check_ports(config, &running));
    checks.push(server::check_mdns(config, &running));
    checks.push(certificate::check_clock(
        &certificate,
        local.newest_change(),
        jiff::Timestamp::now(),
    ));
    checks.push(files::free_disk(data_dir));
    checks.push(files::stored_files(data_dir));
    checks.extend(files::backups(config, data_dir, jiff::Timestamp::now()));
    Report { checks }
}
