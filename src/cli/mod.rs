//! The console commands that move the owner's files: `export` (the lists), `import`
//! (customers and products from CSV or Excel) and `report` (the opening report). The rest of the CLI is wired in `main.rs`.

pub mod export;
pub mod import;
pub mod report;
