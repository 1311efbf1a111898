//! Writes the database fixture that `tests/it/migrations.rs` opens: a small demo
//! store plus the admin `owner`, made with this build's schema. Run it once per
//! schema version and commit the file under a new name, e.g.
//!
//! `cargo run --example write_schema_fixture -- tests/fixtures/schema-v1.redb`
//!
//! Old fixtures stay in the repository so every later version must keep opening them.

use std::path::PathBuf;

use sarkar_crm::app::Crm;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::config::Config;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;
use sarkar_crm::store::Db;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let path: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: write_schema_fixture FILE"))?;
    anyhow::ensure!(
        !path.exists(),
        "{} exists; fixtures are never overwritten",
        path.display()
    );
    let crm = Crm::new(
        Db::open(&path, 4 << 20, &Config::defaults().time_zone())?,
        Config::defaults(),
    );
    let options = DemoOptions {
        customers: 20,
        products: 10,
        sales: 30,
        seed: 7,
    };
    let report = generate(&crm, &options, false)?;
    let owner = CliUser {
        username: "owner".into(),
        password: "correct horse battery".into(),
        name: Some("Tapan Sarkar".into()),
        role: UserRole::BusinessAdmin,
        store: None,
        floor: None,
    };
    crm.add_user_from_cli(owner).await?;
    println!("{report}");
    Ok(())
}
