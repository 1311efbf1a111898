//! The console commands that write the owner's files: `export` (the lists) and
//! `report` (the opening report). The rest of the CLI is wired in `main.rs`.

pub mod export;
pub mod report;
