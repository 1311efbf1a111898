//! A few cycles of the crash soak (`examples/crash_soak`) in the suite: the same code
//! as the 1,000-cycle run, with a fixed seed, against the binary built for the tests.
//! Which writes get acknowledged before each `kill -9` varies from run to run; the
//! assertion does not: every acknowledged one is found again.

#[path = "../../examples/crash_soak/ledger.rs"]
mod ledger;
#[path = "../../examples/crash_soak/server.rs"]
mod server;
#[path = "../../examples/crash_soak/soak.rs"]
mod soak;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_write_is_lost_to_kill_9() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = soak::Options {
        binary: env!("CARGO_BIN_EXE_sarkar-crm").into(),
        data_dir: dir.path().to_owned(),
        cycles: 4,
        seed: 15,
        writers: 3,
        kill_window_ms: (100, 400),
        series_every: 1,
    };
    let mut cycles = 0;
    let report = soak::run(&options, |cycle| {
        cycles += 1;
        println!("{}", cycle.line());
    })
    .await
    .expect("the soak runs");
    println!("{}", report.summary());
    assert_eq!(
        (report.cycles, cycles),
        (4, 4),
        "every cycle ran and was reported"
    );
    assert!(
        report.acknowledged > 0,
        "the writers got answers: {report:?}"
    );
    assert!(
        report.lost.is_empty(),
        "acknowledged writes lost to kill -9:\n{}",
        report.lost.join("\n")
    );
}
