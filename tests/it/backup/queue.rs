//! The internet goes down: a backup taken while the bucket cannot be reached waits in
//! the queue on the box, and the next run, with the bucket back, uploads it as well as
//! its own.

use super::Fixture;

/// An address nothing answers on, as a bucket looks with the internet down.
const UNREACHABLE: &str = "http://127.0.0.1:9";

/// The backups waiting in the box's queue, by id.
fn queued(store: &Fixture) -> Vec<String> {
    let dir = store
        .data
        .join(sarkar_crm::backup::BACKUP_DIR)
        .join("queue");
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "age"))
                .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_backup_taken_offline_waits_on_the_box_and_the_next_run_uploads_it() {
    let store = Fixture::new().await;
    let online = std::fs::read_to_string(&store.config).expect("config");
    let offline = online.replace(&store.moto.endpoint(), UNREACHABLE);
    assert_ne!(online, offline);
    std::fs::write(&store.config, offline).expect("config");

    let failed = store.run(&["run"]).await;
    failed.failed_with(
        "a backup with the bucket unreachable",
        &["Could not upload to s3", "waits in the queue"],
    );
    let waiting = failed.backup_id();
    assert_eq!(
        queued(&store),
        std::slice::from_ref(&waiting),
        "the snapshot is kept"
    );

    std::fs::write(&store.config, online).expect("config");
    let caught_up = store.run(&["run"]).await;
    caught_up.succeeded("the next run, online again");
    let newest = caught_up.backup_id();
    let out = caught_up.stdout();
    for id in [&waiting, &newest] {
        assert!(out.contains(&format!("Uploaded {id} to s3.")), "{out}");
    }
    assert!(
        queued(&store).is_empty(),
        "the queue is empty once uploaded"
    );
    let verified = store.verify(Some(&newest)).await;
    verified.succeeded("verify of the newest backup");
}
