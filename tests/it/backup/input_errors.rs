//! Mistakes on the command line or in the configuration get a message that says what
//! to fix, and a non-zero exit, never a panic. Nothing here reaches a server.

use super::{Outcome, keygen, write_config};
use crate::helpers::binary;

/// An endpoint nothing listens on: these commands must fail before they call it.
const NOWHERE: &str = "http://127.0.0.1:9";

async fn backup(config: &std::path::Path, data: &std::path::Path, args: &[&str]) -> Outcome {
    Outcome(
        binary()
            .arg("--data-dir")
            .arg(data)
            .arg("--config")
            .arg(config)
            .arg("backup")
            .args(args)
            .output()
            .await
            .expect("the binary runs"),
    )
}

#[tokio::test]
async fn an_unknown_destination_a_missing_recipient_and_a_keyless_identity_are_explained() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let key = temp.path().join("key.txt");
    let public = keygen(&key).await;
    let config = temp.path().join("config.toml");
    write_config(&config, &[&public], Some(NOWHERE));
    let key = key.to_str().expect("path");

    backup(
        &config,
        &data,
        &["verify", "--destination", "nope", "--identity", key],
    )
    .await
    .failed_with(
        "verify of an unknown destination",
        &["no backup destination `nope`", "configured: s3"],
    );

    let not_a_key = temp.path().join("notes.txt");
    std::fs::write(&not_a_key, "the locker is at the bank\n").expect("write");
    let not_a_key = not_a_key.to_str().expect("path");
    backup(
        &config,
        &data,
        &["verify", "--destination", "s3", "--identity", not_a_key],
    )
    .await
    .failed_with(
        "verify with a file that holds no key",
        &[not_a_key, "AGE-SECRET-KEY-1"],
    );

    let missing = temp.path().join("no-such-key.txt");
    let missing = missing.to_str().expect("path");
    let restored = temp.path().join("restored");
    let to = restored.to_str().expect("path");
    backup(
        &config,
        &data,
        &[
            "restore",
            "--destination",
            "s3",
            "--identity",
            missing,
            "--to",
            to,
        ],
    )
    .await
    .failed_with("restore with a key file that is not there", &[missing]);
    assert!(!restored.exists(), "the refused restore made no folder");

    let unreadable = temp.path().join("no-recipients.toml");
    write_config(&unreadable, &[], Some(NOWHERE));
    for command in [&["run"][..], &["list"]] {
        backup(&unreadable, &data, command)
            .await
            .failed_with("a destination without recipients", &["backup.recipients"]);
    }
    assert!(
        !data.exists(),
        "no data directory was made by the refused commands"
    );
}
