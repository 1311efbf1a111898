//! The key store's rules: a finished answer is replayed to the same request of the same
//! user, refused to a different one, forgotten after its time, and the store never
//! holds more than its limits.

use super::*;

fn slot(user: u128, key: &str) -> Slot {
    Slot {
        user: UserId::from_uuid(uuid::Uuid::from_u128(user)),
        key: key.to_owned(),
    }
}

fn answer(body: &str) -> Answer {
    Answer {
        status: StatusCode::CREATED,
        headers: HeaderMap::new(),
        body: Bytes::from(body.to_owned()),
    }
}

fn run(begin: Begin) -> Ticket {
    match begin {
        Begin::Run(ticket) => ticket,
        other => panic!("expected to run, got {other:?}"),
    }
}

#[test]
fn the_same_request_is_replayed_and_a_different_one_refused() {
    let store = KeyStore::new(Limits::default());
    let now = Instant::now();
    run(store.begin(slot(1, "k"), [1; 32], now)).finish(Some(answer("first")), now);
    match store.begin(slot(1, "k"), [1; 32], now) {
        Begin::Replay(kept) => {
            assert_eq!(kept.status, StatusCode::CREATED);
            assert_eq!(kept.body, "first");
        }
        other => panic!("expected a replay, got {other:?}"),
    }
    assert!(matches!(
        store.begin(slot(1, "k"), [2; 32], now),
        Begin::Mismatch
    ));
}

#[test]
fn another_users_key_is_their_own() {
    let store = KeyStore::new(Limits::default());
    let now = Instant::now();
    run(store.begin(slot(1, "k"), [1; 32], now)).finish(Some(answer("a")), now);
    run(store.begin(slot(2, "k"), [1; 32], now)).finish(Some(answer("b")), now);
    assert_eq!(store.kept(), 2);
}

#[test]
fn a_running_request_makes_others_wait_and_frees_the_key_when_dropped() {
    let store = KeyStore::new(Limits::default());
    let now = Instant::now();
    let ticket = run(store.begin(slot(1, "k"), [1; 32], now));
    let Begin::Wait(finished) = store.begin(slot(1, "k"), [1; 32], now) else {
        panic!("a repeat while running waits");
    };
    assert!(
        matches!(store.begin(slot(1, "k"), [9; 32], now), Begin::Wait(_)),
        "a different request waits too, to learn whether the key is spent"
    );
    drop(ticket);
    assert!(
        finished.has_changed().is_err(),
        "the waiter learns the first request ended"
    );
    run(store.begin(slot(1, "k"), [1; 32], now));
}

#[test]
fn an_answer_not_kept_frees_the_key() {
    let store = KeyStore::new(Limits::default());
    let now = Instant::now();
    run(store.begin(slot(1, "k"), [1; 32], now)).finish(None, now);
    assert_eq!(store.kept(), 0);
    run(store.begin(slot(1, "k"), [2; 32], now));
}

#[test]
fn answers_expire() {
    let limits = Limits {
        keep_for: Duration::from_secs(60),
        ..Limits::default()
    };
    let store = KeyStore::new(limits);
    let then = Instant::now();
    run(store.begin(slot(1, "k"), [1; 32], then)).finish(Some(answer("a")), then);
    let later = then + Duration::from_secs(61);
    run(store.begin(slot(1, "k"), [2; 32], later));
}

#[test]
fn the_oldest_answers_make_room_for_new_ones() {
    let limits = Limits {
        entries: 3,
        ..Limits::default()
    };
    let store = KeyStore::new(limits);
    let start = Instant::now();
    for i in 0..5u64 {
        let at = start + Duration::from_secs(i);
        run(store.begin(slot(1, &i.to_string()), [1; 32], at)).finish(Some(answer("x")), at);
    }
    assert_eq!(store.kept(), 3);
    let at = start + Duration::from_secs(10);
    assert!(matches!(
        store.begin(slot(1, "0"), [2; 32], at),
        Begin::Run(_)
    ));
    assert!(matches!(
        store.begin(slot(1, "4"), [1; 32], at),
        Begin::Replay(_)
    ));
}

#[test]
fn bodies_are_bounded_one_by_one_and_together() {
    let limits = Limits {
        total_bytes: 10,
        answer_bytes: 6,
        ..Limits::default()
    };
    let store = KeyStore::new(limits);
    let now = Instant::now();
    run(store.begin(slot(1, "big"), [1; 32], now)).finish(Some(answer("1234567")), now);
    assert_eq!(store.kept(), 0, "an answer over its own limit is not kept");
    for key in ["a", "b", "c"] {
        run(store.begin(slot(1, key), [1; 32], now)).finish(Some(answer("12345")), now);
    }
    assert_eq!(store.kept(), 2, "ten bytes hold two five-byte answers");
}
