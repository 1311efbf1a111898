//! The activity forms over HTTP: a walk-in from the counter's dialog form (or its page),
//! an interaction and follow-ups from the customer page, and the customer's timeline.
//! Refused forms come back with 422, what was typed and nothing stored.

use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use super::{PageClient, location};
use crate::activity::{ago, id, two_floors};
use crate::helpers::{TestApp, customer};

fn htmx(csrf: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    headers.insert("hx-request", HeaderValue::from_static("true"));
    headers.insert("x-csrf-token", HeaderValue::from_str(csrf).expect("token"));
    headers
}

/// The part of `html` inside the element with `id`, up to the next element of the same
/// kind's end: enough to tell which section something was drawn in.
pub(super) fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("#{id} on the page"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// Tomorrow in the store's zone at `hh:mm`, as a `datetime-local` input sends it.
pub(super) fn tomorrow_at(hh_mm: &str) -> String {
    let today = ZonedDateTime::now()
        .in_tz("Asia/Kolkata")
        .expect("zone")
        .date();
    format!("{}T{hh_mm}", today.tomorrow().expect("date"))
}

#[tokio::test]
async fn a_walk_in_adds_a_prospect_and_the_timeline_shows_it() {
    let (app, admin, ground, _) = two_floors().await;
    let pages = PageClient::sign_in(&app, "gf.manager").await;
    for path in ["/", "/customers"] {
        let (status, html) = pages.get(path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(r#"data-open-dialog="walk-in-dialog""#)
                && html.contains(r#"id="walk-in-form""#),
            "{path} offers the walk-in dialog"
        );
        assert!(
            !html.contains(r#"name="floor_id""#),
            "a manager's floor is theirs"
        );
    }

    let logged = pages
        .post_form(
            "/walk-ins",
            &[
                ("phone", "98300 44444"),
                ("name", "Payel Dey"),
                ("notes", "Looking at jhumkas"),
            ],
        )
        .await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    let to = location(&logged);
    assert!(to.ends_with("?done=prospect"), "{to}");
    let found = admin.get_json("/api/customers?q=Payel").await;
    let customers = admin.get_json("/api/customers").await;
    assert_eq!(customers["total"], 1, "{found}");
    let payel = &customers["items"][0];
    assert_eq!(payel["status"], "PROSPECT");
    assert_eq!(payel["home_floor_id"], ground);
    let (status, html) = pages.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("New prospect Payel Dey added and walk-in logged."));
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains("Walk-in") && timeline.contains("Looking at jhumkas"),
        "{timeline}"
    );

    // From the dialog (htmx): the known number is logged again and htmx is sent on.
    let again = pages
        .post_raw(
            "/walk-ins",
            &[
                ("_csrf", &pages.csrf),
                ("phone", "+91 98300-44444"),
                ("name", "Payel"),
            ],
            htmx(&pages.csrf),
        )
        .await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    let to = again.headers()["hx-redirect"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(to.ends_with("?done=walk-in"), "{to}");
    let (_, html) = pages.get(&to).await;
    assert!(html.contains("Walk-in logged for Payel Dey."));
    assert_eq!(admin.get_json("/api/customers").await["total"], 1);
}

#[tokio::test]
async fn a_walk_in_with_a_bad_phone_keeps_what_was_typed_and_stores_nothing() {
    let (app, admin, ground, _) = two_floors().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let before = app.crm().last_change().expect("seq");
    let fields = [
        ("phone", "12345"),
        ("name", "Rina Sinha"),
        ("notes", "Asked about bangles"),
    ];
    let refused = pages.post_form("/walk-ins", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(
        html.contains(r#"id="error-phone""#),
        "phone message by the field"
    );
    assert!(
        html.contains(r#"id="error-floor-id""#),
        "an admin chooses the floor"
    );
    assert!(html.contains(r#"id="form-errors""#), "the summary");
    assert!(html.contains(r#"value="12345""#) && html.contains(r#"value="Rina Sinha""#));
    assert!(html.contains("Asked about bangles"));
    assert!(
        html.contains("<h1>Log a walk-in</h1>"),
        "the page of its own"
    );

    // From the dialog, the form alone comes back to be swapped in.
    let mut with_floor = fields.to_vec();
    with_floor.push(("floor_id", &ground));
    with_floor.push(("_csrf", &pages.csrf));
    let refused = pages
        .post_raw("/walk-ins", &with_floor, htmx(&pages.csrf))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fragment = refused.text().await.expect("body");
    assert!(
        fragment.starts_with(r#"<form id="walk-in-form""#),
        "{fragment}"
    );
    assert!(fragment.contains(r#"id="error-phone""#) && !fragment.contains("error-floor-id"));
    assert!(fragment.contains(&format!(r#"value="{ground}" selected"#)));

    assert_eq!(app.crm().last_change().expect("seq"), before);
    assert_eq!(admin.get_json("/api/customers").await["total"], 0);
    let (status, html) = pages.get("/walk-ins/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="walk-in-form""#));
}

#[tokio::test]
async fn an_interaction_and_a_follow_up_are_added_from_the_customer_page() {
    let (app, admin, ground, _) = two_floors().await;
    let rupa = id(&admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await);
    let pages = PageClient::sign_in(&app, "gf.manager").await;
    let base = format!("/customers/{rupa}");
    let (status, html) = pages.get(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"href="/sales/new?customer={rupa}""#)),
        "New sale"
    );
    assert!(
        !html.contains(r#"<option value="SALE""#),
        "only a sale logs a sale"
    );
    assert!(html.contains("No follow-ups are open for this customer."));

    let logged = pages
        .post_form(
            &format!("{base}/interactions"),
            &[
                ("type", "PHONE_CALL"),
                ("notes", "Asked about the bangle price"),
                ("outcome", "Will visit"),
            ],
        )
        .await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    let (_, html) = pages.get(&location(&logged)).await;
    assert!(html.contains("Interaction logged"));
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains("Phone call")
            && timeline.contains("Asked about the bangle price — Will visit")
    );

    // Refusals: a SALE typed in, then a follow-up with no due time. Nothing is stored.
    let before = app.crm().last_change().expect("seq");
    let sale = pages
        .post_form(
            &format!("{base}/interactions"),
            &[("type", "SALE"), ("notes", "Sold it")],
        )
        .await;
    assert_eq!(sale.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = sale.text().await.expect("body");
    assert!(html.contains(r#"id="interaction-type-error""#) && html.contains("Sold it"));
    let no_due = pages
        .post_form(
            &format!("{base}/follow-ups"),
            &[
                ("type", "VISIT"),
                ("due_at", ""),
                ("notes", "Bring the catalogue"),
            ],
        )
        .await;
    assert_eq!(no_due.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = no_due.text().await.expect("body");
    let form = section(&html, "add-follow-up");
    assert!(
        form.contains(r#"id="follow-up-due-at-error""#) && form.contains("pick the day and time")
    );
    assert!(form.contains("Bring the catalogue") && form.contains(r#"value="VISIT" selected"#));
    assert_eq!(app.crm().last_change().expect("seq"), before);

    let due = tomorrow_at("11:00");
    let added = pages
        .post_form(
            &format!("{base}/follow-ups"),
            &[
                ("type", "VISIT"),
                ("due_at", &due),
                ("notes", "Bring the catalogue"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let open = admin
        .get_json(&format!("/api/follow-ups?customer_id={rupa}"))
        .await;
    let follow_up = &open["items"][0];
    assert_eq!(follow_up["floor_id"], ground);
    let stored: Timestamp = follow_up["due_at"]
        .as_str()
        .expect("due")
        .parse()
        .expect("time");
    assert_eq!(
        stored
            .in_tz("Asia/Kolkata")
            .expect("zone")
            .strftime("%Y-%m-%dT%H:%M")
            .to_string(),
        due,
        "the time picked is the store's wall clock"
    );
    let (_, html) = pages.get(&location(&added)).await;
    assert!(section(&html, "follow-ups").contains("Bring the catalogue"));

    // Rescheduled and then cancelled from the page.
    let path = format!("/follow-ups/{}", id(follow_up));
    let later = tomorrow_at("17:30");
    let moved = pages
        .post_form(&path, &[("action", "reschedule"), ("due_at", &later)])
        .await;
    assert_eq!(
        location(&moved),
        format!("{base}?done=follow-up-moved#follow-ups")
    );
    let api_path = format!("/api{path}");
    assert_eq!(admin.get_json(&api_path).await["status"], "RESCHEDULED");
    let cancelled = pages.post_form(&path, &[("action", "cancel")]).await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.get_json(&api_path).await["status"], "CANCELLED");
    let (_, html) = pages.get(&base).await;
    assert!(html.contains("No follow-ups are open for this customer."));
}

#[tokio::test]
async fn the_timeline_shows_older_entries_on_asking() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let rupa = id(&admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await);
    let floor = crate::helpers::floor(&admin, "Ground Floor", 0).await;
    for hours in 1..=25 {
        admin
            .create(
                "/api/interactions",
                &json!({"customer_id": rupa, "type": "INQUIRY", "floor_id": floor,
                    "notes": format!("Visit {hours}"), "occurred_at": ago(SignedDuration::from_hours(hours))}),
            )
            .await;
    }
    let pages = PageClient::sign_in(&app, "owner").await;
    let (_, html) = pages.get(&format!("/customers/{rupa}")).await;
    let timeline = section(&html, "timeline");
    assert!(timeline.contains("Visit 1<") && !timeline.contains("Visit 21<"));
    assert!(timeline.contains(r#"id="timeline-older""#));
    let more = pages
        .http
        .get(format!("{}/customers/{rupa}/timeline?shown=40", pages.base))
        .header("hx-request", "true")
        .send()
        .await
        .expect("request");
    assert_eq!(more.status(), StatusCode::OK);
    let fragment = more.text().await.expect("body");
    // The section inside its live region, which keeps the length it was drawn at.
    assert!(
        fragment.starts_with(r#"<div class="live-region" id="timeline-live""#),
        "{fragment}"
    );
    assert!(
        fragment.contains(r#"<section class="card wide" id="timeline">"#),
        "{fragment}"
    );
    assert!(fragment.contains("/timeline?shown=40"), "{fragment}");
    assert!(fragment.contains("Visit 25<") && fragment.contains("Added as a customer"));
    assert!(
        !fragment.contains(r#"id="timeline-older""#),
        "nothing older is left"
    );
}

/// The walk-in's notice says where its entry is, and the timeline agrees: first under
/// the "Now" line, with a follow-up still to come above that line.
#[tokio::test]
async fn the_walk_in_notice_and_the_timeline_agree_on_where_it_is() {
    let (app, admin, ground, _) = two_floors().await;
    let mut body = customer("Payel Dey", "9830044445");
    body["home_floor_id"] = json!(ground);
    let payel = id(&admin.create("/api/customers", &body).await);
    let due = (Timestamp::now() + SignedDuration::from_hours(30)).to_string();
    admin
        .create(
            "/api/follow-ups",
            &json!({"customer_id": payel, "type": "WHATSAPP", "due_at": due, "floor_id": ground,
                "notes": "Send the jhumka photos"}),
        )
        .await;
    let pages = PageClient::sign_in(&app, "gf.manager").await;
    let logged = pages
        .post_form(
            "/walk-ins",
            &[
                ("phone", "9830044445"),
                ("notes", "Came back for the jhumkas"),
            ],
        )
        .await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    let (_, html) = pages.get(&location(&logged)).await;
    assert!(
        html.contains(
            "Walk-in logged for Payel Dey. It is the first entry under “Now” on the timeline"
        ),
        "the notice says where"
    );
    let timeline = section(&html, "timeline");
    let now_line = timeline.find(r#"id="timeline-now""#).expect("the Now line");
    let (to_come, happened) = timeline.split_at(now_line);
    assert!(
        to_come.contains("Follow-up: WhatsApp") && to_come.contains("Send the jhumka photos"),
        "the follow-up still to come is above the line: {timeline}"
    );
    let first_entry = happened
        .split(r#"class="timeline-entry""#)
        .nth(1)
        .expect("an entry under the line");
    assert!(
        first_entry.contains("Walk-in") && first_entry.contains("Came back for the jhumkas"),
        "the walk-in is first under the line: {happened}"
    );
}
