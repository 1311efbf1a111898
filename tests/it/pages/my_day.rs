//! My day and the pipeline over HTTP: follow-ups done and moved from My day, the week's
//! birthdays with a WhatsApp greeting, each floor's open work on the pipeline, and a
//! Floor Manager never shown another floor's.

use jiff::{SignedDuration, ToSpan, ZonedDateTime};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::{section, tomorrow_at};
use super::{PageClient, location};
use crate::activity::{ago, id, two_floors};
use crate::helpers::{Client, customer};

/// A customer with a follow-up owned by `who`, due `due` (API), returning the follow-up.
async fn follow_up_for(api: &Client, name: &str, phone: &str, floor: &str, due: &str) -> Value {
    let mut body = customer(name, phone);
    body["home_floor_id"] = json!(floor);
    let person = id(&api.create("/api/customers", &body).await);
    api.create(
        "/api/follow-ups",
        &json!({"customer_id": person, "type": "PHONE_CALL", "due_at": due, "notes": "Ask about the necklace"}),
    )
    .await
}

#[tokio::test]
async fn a_follow_up_is_completed_from_my_day_and_other_floors_stay_out() {
    let (app, _admin, ground, first) = two_floors().await;
    let (gf, ff) = (app.login("gf.manager").await, app.login("ff.manager").await);
    let two_days_ago = ago(SignedDuration::from_hours(48));
    let mine = follow_up_for(&gf, "Rupa Ghosh", "9830011111", &ground, &two_days_ago).await;
    let other = follow_up_for(&gf, "Mitali Bose", "9830022222", &ground, &two_days_ago).await;
    follow_up_for(&ff, "Tania Sen", "9830033333", &first, &two_days_ago).await;

    let pages = PageClient::sign_in(&app, "gf.manager").await;
    let (status, html) = pages.get("/my-day").await;
    assert_eq!(status, StatusCode::OK);
    let overdue = section(&html, "overdue");
    assert!(
        overdue.contains("Rupa Ghosh") && overdue.contains("Mitali Bose"),
        "{overdue}"
    );
    assert!(!html.contains("Tania Sen"), "another floor's follow-up");
    assert!(overdue.contains(r#"href="tel:+919830011111""#));
    assert!(overdue.contains(r#"href="https://wa.me/919830011111?text=Namaste%20Rupa"#));
    assert!(overdue.contains(r#"target="_blank" rel="noopener""#));
    assert!(section(&html, "due-today").contains("Nothing due today."));

    // Done needs an outcome: My day comes back with the message by that follow-up.
    let path = format!("/follow-ups/{}", id(&mine));
    let before = app.crm().last_change().expect("seq");
    let refused = pages
        .post_form(
            &path,
            &[("action", "complete"), ("back", "my-day"), ("outcome", "")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(html.contains(&format!(r#"id="task-{}-outcome-error""#, id(&mine))));
    assert_eq!(app.crm().last_change().expect("seq"), before);

    let done = pages
        .post_form(
            &path,
            &[
                ("action", "complete"),
                ("back", "my-day"),
                ("outcome", "Coming on Sunday"),
            ],
        )
        .await;
    assert_eq!(location(&done), "/my-day?done=follow-up-done");
    let stored = gf.get_json(&format!("/api{path}")).await;
    assert_eq!(
        (stored["status"].clone(), stored["outcome"].clone()),
        (json!("COMPLETED"), json!("Coming on Sunday"))
    );

    let tomorrow = tomorrow_at("10:00");
    let moved = pages
        .post_form(
            &format!("/follow-ups/{}", id(&other)),
            &[
                ("action", "reschedule"),
                ("back", "my-day"),
                ("due_at", &tomorrow),
            ],
        )
        .await;
    assert_eq!(location(&moved), "/my-day?done=follow-up-moved");
    let (_, html) = pages.get("/my-day?done=follow-up-moved").await;
    assert!(html.contains("Follow-up rescheduled."));
    assert!(section(&html, "overdue").contains("Nothing overdue."));

    // Another floor's manager cannot touch it.
    let theirs = PageClient::sign_in(&app, "ff.manager").await;
    let refused = theirs
        .post_form(
            &format!("/follow-ups/{}", id(&other)),
            &[("action", "cancel")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn my_day_offers_a_whatsapp_greeting_for_a_birthday_this_week() {
    let (app, admin, ground, first) = two_floors().await;
    let today = ZonedDateTime::now()
        .in_tz("Asia/Kolkata")
        .expect("zone")
        .date();
    let birthday = today
        .checked_add(2.days())
        .expect("date")
        .with()
        .year(1990)
        .build()
        .expect("date");
    for (name, phone, floor) in [
        ("Payel Dey", "9830055555", &ground),
        ("Tania Sen", "9830066666", &first),
    ] {
        let mut body = customer(name, phone);
        body["date_of_birth"] = json!(birthday.to_string());
        body["home_floor_id"] = json!(floor);
        admin.create("/api/customers", &body).await;
    }
    let pages = PageClient::sign_in(&app, "gf.manager").await;
    let (status, html) = pages.get("/my-day").await;
    assert_eq!(status, StatusCode::OK);
    let occasions = section(&html, "occasions");
    assert!(
        occasions.contains("Payel Dey") && occasions.contains("Birthday: turns"),
        "{occasions}"
    );
    assert!(
        occasions.contains(r#"href="https://wa.me/919830055555?text=Happy%20birthday%2C%20Payel"#)
    );
    assert!(
        !occasions.contains("Tania Sen"),
        "a customer of another floor"
    );
    assert!(section(&html, "overdue").contains("Nothing overdue."));
}

/// A pending bill for a new customer on `floor`, drawn up by the admin.
async fn pending_bill(admin: &Client, floor: &str, name: &str, phone: &str, sku: &str) -> Value {
    let mut body = customer(name, phone);
    body["home_floor_id"] = json!(floor);
    let buyer = id(&admin.create("/api/customers", &body).await);
    let tea_set = admin
        .create(
            "/api/products",
            &json!({"sku": sku, "name": "Silver tea set", "metal": "SILVER", "purity": "925",
                "gross_weight_mg": 500_000, "making_charge": {"flat_paise": 0},
                "fixed_price_paise": 1_000_00, "stock_qty": 1, "floor_id": floor}),
        )
        .await;
    admin
        .create(
            "/api/sales",
            &json!({"customer_id": buyer, "floor_id": floor, "lines": [{"product_id": id(&tea_set)}]}),
        )
        .await
}

fn stage<'a>(pipeline: &'a Value, floor: &str, stage: &str) -> &'a Value {
    pipeline["floors"]
        .as_array()
        .expect("floors")
        .iter()
        .find(|f| f["floor_id"] == floor)
        .and_then(|f| {
            f["stages"]
                .as_array()
                .expect("stages")
                .iter()
                .find(|s| s["stage"] == stage)
        })
        .unwrap_or_else(|| panic!("{stage} of {floor} in {pipeline}"))
}

#[tokio::test]
async fn the_pipeline_shows_each_floor_its_own_open_work() {
    let (app, admin, ground, first) = two_floors().await;
    let bill = pending_bill(&admin, &ground, "Rina Sinha", "9831000001", "TS-1").await;
    let gf = app.login("gf.manager").await;
    let overdue = ago(SignedDuration::from_hours(3));
    follow_up_for(&gf, "Rupa Ghosh", "9830011111", &ground, &overdue).await;

    let doc = app.anonymous().get_json("/api/openapi.json").await;
    assert!(
        doc["paths"]["/api/pipeline"]["get"].is_object(),
        "documented"
    );
    assert!(doc["components"]["schemas"]["PipelineJson"].is_object());
    let all = admin.get_json("/api/pipeline").await;
    assert_eq!(all["floors"].as_array().expect("floors").len(), 2, "{all}");
    let waiting = stage(&all, &ground, "AWAITING_PAYMENT");
    assert_eq!(waiting["count"], 1);
    assert_eq!(waiting["total_paise"], bill["total_paise"]);
    assert_eq!(waiting["items"][0]["sale"]["id"], bill["id"]);
    assert_eq!(waiting["items"][0]["customer_name"], "Rina Sinha");
    assert_eq!(stage(&all, &ground, "FOLLOW_UP_OVERDUE")["count"], 1);
    assert_eq!(stage(&all, &ground, "FOLLOW_UP_SOON")["count"], 0);
    assert_eq!(stage(&all, &first, "AWAITING_PAYMENT")["total_paise"], 0);
    let ff_api = app
        .login("ff.manager")
        .await
        .get_json("/api/pipeline")
        .await;
    let floors: Vec<&Value> = ff_api["floors"]
        .as_array()
        .expect("floors")
        .iter()
        .collect();
    assert_eq!(floors.len(), 1);
    assert_eq!(floors[0]["floor_id"], first);

    let pages = PageClient::sign_in(&app, "gf.manager").await;
    let (status, html) = pages.get("/pipeline").await;
    assert_eq!(status, StatusCode::OK);
    let column = section(&html, &format!("pipeline-{ground}"));
    assert!(
        column.contains("Rina Sinha") && column.contains("Rupa Ghosh"),
        "{column}"
    );
    let bills = &column[column.find("awaiting-payment").expect("bills column")..];
    assert!(bills.contains("Rina Sinha") && bills.contains(&format!("/sales/{}", id(&bill))));
    let theirs = PageClient::sign_in(&app, "ff.manager").await;
    let (_, html) = theirs.get("/pipeline").await;
    assert!(html.contains(&format!("pipeline-{first}")));
    assert!(
        !html.contains("Rina Sinha") && !html.contains("Rupa Ghosh") && !html.contains(&ground)
    );

    // A cancelled bill leaves the pipeline with its index entry.
    let cancelled = admin
        .post(&format!("/api/sales/{}/cancel", id(&bill)), &json!({}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let all = admin.get_json("/api/pipeline").await;
    assert_eq!(stage(&all, &ground, "AWAITING_PAYMENT")["count"], 0);
}

/// A follow-up to be done on WhatsApp is offered as such: its kind reads "WhatsApp" and
/// My day puts the WhatsApp link first, as the main action.
#[tokio::test]
async fn a_whatsapp_follow_up_leads_with_the_whatsapp_link() {
    let (app, _admin, ground, _) = two_floors().await;
    let gf = app.login("gf.manager").await;
    let mut body = customer("Rupa Ghosh", "9830011112");
    body["home_floor_id"] = json!(ground);
    let person = id(&gf.create("/api/customers", &body).await);
    let due = ago(SignedDuration::from_hours(30));
    let made = gf
        .create(
            "/api/follow-ups",
            &json!({"customer_id": person, "type": "WHATSAPP", "due_at": due, "notes": "Send the bangle photos"}),
        )
        .await;
    assert_eq!(made["type"], "WHATSAPP");
    let pages = PageClient::sign_in(&app, "gf.manager").await;
    let (status, html) = pages.get("/my-day").await;
    assert_eq!(status, StatusCode::OK);
    let overdue = section(&html, "overdue");
    assert!(overdue.contains("WhatsApp · due"), "{overdue}");
    let whatsapp = overdue
        .find("https://wa.me/919830011112")
        .expect("WhatsApp link");
    let call = overdue.find("tel:+919830011112").expect("call link");
    assert!(whatsapp < call, "WhatsApp comes first: {overdue}");
    assert!(
        overdue.contains(r#"class="button whatsapp primary""#),
        "{overdue}"
    );
    // The customer page offers WhatsApp among the kinds of follow-up.
    let (_, page) = pages.get(&format!("/customers/{person}")).await;
    assert!(page.contains(r#"value="WHATSAPP""#) && page.contains(">WhatsApp<"));
}
