//! A `backup run` killed in the middle of its upload leaves no backup behind, spoils
//! none of the earlier ones, and the next run finishes the job.

use std::os::unix::process::ExitStatusExt;

use tokio::io::AsyncBufReadExt;

use super::{Fixture, Outcome};

/// The ids `backup list` shows as whole backups, and the lines of unfinished uploads.
fn listed(list: &Outcome) -> (Vec<String>, Vec<String>) {
    list.succeeded("backup list");
    let stdout = list.stdout();
    let whole = stdout
        .lines()
        .filter(|l| l.contains(" taken "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    let unfinished = stdout
        .lines()
        .filter(|l| l.contains("unfinished"))
        .map(str::to_owned)
        .collect();
    (whole, unfinished)
}

#[tokio::test]
async fn a_run_killed_mid_upload_leaves_only_whole_backups_and_the_next_run_succeeds() {
    let store = Fixture::new().await;
    let first = store.back_up().await;

    // At 16 KiB/s the payload of a few hundred KiB takes many seconds after its first
    // part, so the kill lands inside the upload, before the manifest is written.
    let mut slow = store
        .backup(&["run"])
        .env("SARKAR__BACKUP__UPLOAD_LIMIT_KIB_PER_SEC", "16")
        .spawn()
        .expect("backup run starts");
    let stderr = slow.stderr.take().expect("stderr");
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    let second = loop {
        let line = lines
            .next_line()
            .await
            .expect("read stderr")
            .expect("`backup run` reports part 1 before it ends");
        if let Some(rest) = line.strip_prefix("uploading ")
            && line.contains("part 1 done")
        {
            break rest.split_whitespace().next().expect("an id").to_owned();
        }
    };
    assert!(
        slow.try_wait().expect("status").is_none(),
        "the slow run was still uploading when it was killed"
    );
    slow.start_kill().expect("kill");
    let status = slow.wait().await.expect("wait");
    assert_eq!(status.signal(), Some(9), "it died of the kill: {status}");
    assert_ne!(second, first);

    let (whole, unfinished) = listed(&store.run(&["list"]).await);
    assert_eq!(
        whole,
        std::slice::from_ref(&first),
        "only the first backup is whole"
    );
    assert!(
        unfinished.iter().all(|l| l.contains(&second)),
        "nothing but the killed upload is unfinished: {unfinished:?}"
    );
    store
        .verify(Some(&first))
        .await
        .succeeded("verify of the first backup");

    let third = store.back_up().await;
    let (whole, unfinished) = listed(&store.run(&["list"]).await);
    assert!(
        unfinished.is_empty(),
        "no unfinished uploads: {unfinished:?}"
    );
    assert_eq!(
        whole.last(),
        Some(&third),
        "the newest backup is the third run's"
    );
    let verified = store.verify(None).await;
    verified.succeeded("verify of the newest backup");
    assert!(verified.stdout().contains(&third), "{}", verified.stdout());
}
