//! The passphrase way in: `backup keygen --passphrase` seals the recovery key, the box
//! uploads the sealed copy beside its backups, and `verify`/`restore --passphrase` open
//! them with the passphrase alone; a wrong passphrase is told so and restores nothing.

use super::{Dump, Fixture, Outcome};
use crate::helpers::binary;

const PASSPHRASE: &str = "mango monsoon ledger lantern";

/// `backup keygen --passphrase`: the `recipients` and `sealed_keys` lines it prints.
async fn keygen_with_passphrase() -> (String, String) {
    let made = Outcome(
        binary()
            .args(["backup", "keygen", "--passphrase"])
            .env("SARKAR_BACKUP_PASSPHRASE", PASSPHRASE)
            .output()
            .await
            .expect("keygen runs"),
    );
    made.succeeded("keygen --passphrase");
    let stdout = made.stdout();
    let line = |key: &str| {
        stdout
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("keygen prints `{key}`: {stdout}"))
            .to_owned()
    };
    (line("recipients = "), line("sealed_keys = "))
}

#[tokio::test]
async fn the_passphrase_alone_verifies_and_restores_and_a_wrong_one_is_refused() {
    let store = Fixture::new().await;
    let (recipients, sealed_keys) = keygen_with_passphrase().await;
    let config = std::fs::read_to_string(&store.config).expect("config");
    let old = config
        .lines()
        .find(|l| l.starts_with("recipients = "))
        .expect("the fixture's recipients")
        .to_owned();
    let config = config.replace(&old, &format!("{recipients}\n{sealed_keys}"));
    std::fs::write(&store.config, config).expect("config");
    let id = store.back_up().await;

    let with = |passphrase: &str, args: &[&str]| {
        let mut command = store.backup(args);
        command.env("SARKAR_BACKUP_PASSPHRASE", passphrase);
        command
    };
    let verified = Outcome(
        with(
            PASSPHRASE,
            &["verify", "--destination", "s3", "--passphrase"],
        )
        .output()
        .await
        .expect("verify runs"),
    );
    verified.succeeded("verify --passphrase");
    assert!(verified.stdout().contains(&id), "{}", verified.stdout());

    let restored = store.temp.path().join("restored");
    let to = restored.to_str().expect("path");
    let refused = Outcome(
        with(
            "mango monsoon ledger lamp",
            &["restore", "--destination", "s3", "--passphrase", "--to", to],
        )
        .output()
        .await
        .expect("restore runs"),
    );
    refused.failed_with(
        "restore with a wrong passphrase",
        &["opens none of the 1 sealed recovery keys"],
    );
    assert!(
        !restored.join("sarkar.redb").exists(),
        "nothing was restored"
    );

    let restore = Outcome(
        with(
            PASSPHRASE,
            &["restore", "--destination", "s3", "--passphrase", "--to", to],
        )
        .output()
        .await
        .expect("restore runs"),
    );
    restore.succeeded("restore --passphrase");
    let (original, copy) = (Dump::of(&store.data), Dump::of(&restored));
    for (table, entries) in &original.tables {
        assert!(
            copy.tables.get(table) == Some(entries),
            "`{table}` differs after a restore with the passphrase"
        );
    }
}
