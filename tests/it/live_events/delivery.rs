//! A change reaches other sessions' streams; a reconnect is given exactly what it
//! missed; a quiet stream stays open; a stream ends with its session.

use reqwest::StatusCode;
use sarkar_crm::config::Config;
use serde_json::json;

use super::reader::{EventReader, about};
use crate::helpers::{TestApp, customer, expect_json};

fn id(value: &serde_json::Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn a_change_made_by_one_session_reaches_another_sessions_stream() {
    let app = TestApp::spawn().await;
    let (tablet, counter) = (app.admin().await, app.admin().await);
    let mut stream = EventReader::open(&tablet, None).await;
    let made = id(&counter
        .create("/api/customers", &customer("Rina Sinha", "9830012345"))
        .await);
    let event = stream.next().await.expect("the new customer arrives");
    assert_eq!(event.name, "customer");
    assert_eq!(event.data["op"], "created");
    assert_eq!(event.data["id"], made.as_str());
    assert_eq!(event.data["name"], "Rina Sinha");
    let newest = app.changes().last().expect("a change").seq;
    assert_eq!(event.id, Some(newest), "the id is the change's sequence");
    assert_eq!(event.data["seq"], newest);
}

#[tokio::test]
async fn reconnecting_with_last_event_id_delivers_exactly_the_missed_events_in_order() {
    let app = TestApp::spawn().await;
    let (tablet, counter) = (app.admin().await, app.admin().await);
    let mut stream = EventReader::open(&tablet, None).await;
    let first = id(&counter
        .create("/api/customers", &customer("Rina Sinha", "9830012345"))
        .await);
    let seen = stream.next().await.expect("the first customer");
    assert!(about(&seen, &first));
    let last_seen = seen.id.expect("an id");
    drop(stream);

    let mut missed = Vec::new();
    for (n, name) in ["Tapan Das", "Mitali Pal", "Sourav Ghosh"]
        .iter()
        .enumerate()
    {
        let made = counter
            .create("/api/customers", &customer(name, &format!("983001234{n}")))
            .await;
        missed.push(id(&made));
    }
    let renamed = counter
        .put(
            &format!("/api/customers/{first}"),
            &customer("Rina Sen", "9830012345"),
        )
        .await;
    expect_json(renamed, StatusCode::OK).await;
    missed.push(first.clone());

    let mut again = EventReader::open(&tablet, Some(last_seen)).await;
    let mut replayed = Vec::new();
    for _ in 0..missed.len() {
        replayed.push(again.next().await.expect("a missed event"));
    }
    let ids: Vec<&str> = replayed
        .iter()
        .map(|e| e.data["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        missed.iter().map(String::as_str).collect::<Vec<_>>(),
        "in order"
    );
    let seqs: Vec<u64> = replayed.iter().map(|e| e.id.unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "increasing: {seqs:?}");
    assert!(seqs[0] > last_seen, "nothing seen before comes again");
    let expected: Vec<u64> = app
        .changes()
        .iter()
        .filter(|c| c.seq > last_seen && c.kind == sarkar_crm::store::EntityKind::Customer)
        .map(|c| c.seq)
        .collect();
    assert_eq!(
        seqs, expected,
        "exactly the customer changes after the last seen"
    );

    // Then live, with nothing twice.
    let later = id(&counter
        .create("/api/customers", &customer("Ananya Roy", "9830099999"))
        .await);
    let next = again.next().await.expect("the next change");
    assert!(about(&next, &later), "{next:?}");
    assert!(next.id.unwrap() > *seqs.last().unwrap());
}

#[tokio::test]
async fn after_a_restart_the_missed_events_are_read_again_from_the_change_log() {
    let app = TestApp::spawn().await;
    let counter = app.admin().await;
    let first = counter
        .create("/api/customers", &customer("Rina Sinha", "9830012345"))
        .await;
    let last_seen = app.changes().last().unwrap().seq;
    let second = id(&counter
        .create("/api/customers", &customer("Tapan Das", "9830012346"))
        .await);
    assert!(first["id"].is_string());
    let app = app.restart().await;
    let tablet = app.admin().await;
    let mut stream = EventReader::open(&tablet, Some(last_seen)).await;
    let event = stream
        .next()
        .await
        .expect("the change made before the restart");
    assert!(about(&event, &second), "{event:?}");
}

#[tokio::test]
async fn a_reconnect_from_further_back_than_the_box_keeps_is_told_to_resync() {
    let mut config = Config::defaults();
    config.live.replay_limit = 2;
    let app = TestApp::spawn_with(config.clone()).await;
    let counter = app.admin().await;
    let before = app.changes().last().unwrap().seq;
    for n in 0..4 {
        counter
            .create(
                "/api/customers",
                &customer("Rina Sinha", &format!("983001234{n}")),
            )
            .await;
    }
    // A restart empties the hub's memory, so only the log could answer.
    let app = app.restart_with(config).await;
    let tablet = app.admin().await;
    let newest = app.changes().last().unwrap().seq;
    let mut stream = EventReader::open(&tablet, Some(before)).await;
    let event = stream.next().await.expect("an event");
    assert_eq!(event.name, "resync");
    assert_eq!(event.id, Some(newest), "carries on from the newest change");

    // An id the box never gave (a box restored from an older backup) resyncs too.
    let mut stream = EventReader::open(&tablet, Some(newest + 1_000)).await;
    assert_eq!(stream.next().await.expect("an event").name, "resync");

    let bad = tablet
        .request(reqwest::Method::GET, "/api/events")
        .header("Last-Event-ID", "yesterday")
        .send()
        .await
        .expect("answered");
    let problem = expect_json(bad, StatusCode::BAD_REQUEST).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Last-Event-ID")
    );
}

#[tokio::test]
async fn a_quiet_stream_sends_heartbeats_and_outlives_the_idle_timeout() {
    let mut config = Config::defaults();
    config.server.request_timeout_secs = 1;
    config.server.idle_timeout_secs = 2;
    config.live.heartbeat_secs = 1;
    let app = TestApp::spawn_with(config).await;
    let (tablet, counter) = (app.admin().await, app.admin().await);
    let mut stream = EventReader::open(&tablet, None).await;
    // Twice the idle timeout with nothing to say.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let made = id(&counter
        .create("/api/customers", &customer("Rina Sinha", "9830012345"))
        .await);
    let event = stream.next().await.expect("the stream is still open");
    assert!(about(&event, &made));
    assert!(stream.comments >= 2, "heartbeats came: {}", stream.comments);
}

#[tokio::test]
async fn a_stream_ends_when_its_session_signs_out_or_locks_and_cannot_be_reopened() {
    let app = TestApp::spawn().await;
    let tablet = app.admin().await;
    let mut stream = EventReader::open(&tablet, None).await;
    let out = tablet.post("/api/auth/logout", &json!({})).await;
    assert!(out.status().is_success(), "signed out");
    assert!(stream.ends().await, "the stream ends with the session");
    let refused = tablet.get("/api/events").await;
    expect_json(refused, StatusCode::UNAUTHORIZED).await;

    let locked = app.admin().await;
    let mut stream = EventReader::open(&locked, None).await;
    let token = locked.token.clone().unwrap();
    app.crm().lock_session(&token).expect("locked");
    assert!(stream.ends().await, "the stream ends when the screen locks");
    expect_json(locked.get("/api/events").await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn metrics_count_the_events_and_the_open_streams() {
    let app = TestApp::spawn().await;
    let (tablet, counter) = (app.admin().await, app.admin().await);
    let gauge = |text: &str, name: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in /metrics"))
            .trim()
            .parse()
            .expect("a number")
    };
    let text = app.anonymous().get("/metrics").await.text().await.unwrap();
    assert_eq!(gauge(&text, "sarkar_live_streams_open"), 0);
    let before = gauge(&text, "sarkar_live_events_total");
    let mut stream = EventReader::open(&tablet, None).await;
    counter
        .create("/api/customers", &customer("Rina Sinha", "9830012345"))
        .await;
    stream.next().await.expect("the event");
    let text = app.anonymous().get("/metrics").await.text().await.unwrap();
    assert_eq!(gauge(&text, "sarkar_live_streams_open"), 1);
    assert!(gauge(&text, "sarkar_live_events_total") > before);
    drop(stream);
    // The server notices the hang-up at its next write; a change makes one.
    counter
        .create("/api/customers", &customer("Tapan Das", "9830012346"))
        .await;
    let mut open = 1;
    for _ in 0..200 {
        let text = app.anonymous().get("/metrics").await.text().await.unwrap();
        open = gauge(&text, "sarkar_live_streams_open");
        if open == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(open, 0, "a closed stream is no longer counted");
}

#[tokio::test]
async fn a_stream_that_falls_behind_its_group_catches_up_without_a_gap() {
    use futures_util::StreamExt;
    use sarkar_crm::live::{Audience, LiveEvent, Who};

    let app = TestApp::spawn().await;
    let tablet = app.admin().await;
    let token = tablet.token.clone().unwrap();
    let actor = app.crm().authenticate(&token).expect("signed in");
    let stream = app
        .crm()
        .open_event_stream(&actor, &token, None)
        .await
        .expect("a stream");
    let mut stream = Box::pin(stream);
    let hub = app.crm().live_hub();
    let first = hub.published() + 1;
    // Far more than a group's buffer holds, published while the stream reads nothing.
    let events: Vec<LiveEvent> = (first..first + 1_000)
        .map(|seq| LiveEvent {
            seq,
            audience: Audience {
                store: actor.store_id,
                who: Who::Everyone,
                area: None,
            },
            frame: format!("id: {seq}\nevent: test\ndata: {{}}\n\n").into(),
        })
        .collect();
    hub.publish(events, first + 999);
    let mut ids = Vec::new();
    while ids.len() < 1_000 {
        let frame = tokio::time::timeout(super::reader::PATIENCE, stream.next())
            .await
            .expect("frames keep coming")
            .expect("the stream goes on");
        let text = String::from_utf8(frame.to_vec()).unwrap();
        ids.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("id: "))
                .map(|v| v.parse::<u64>().unwrap()),
        );
    }
    let expected: Vec<u64> = (first..first + 1_000).collect();
    assert_eq!(ids, expected, "every event once, in order");
}
