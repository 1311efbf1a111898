//! The customer timeline and My day.

use jiff::{SignedDuration, Timestamp, ToSpan, ZonedDateTime};
use reqwest::StatusCode;
use serde_json::json;

use super::{ago, id, two_floors};
use crate::helpers::{customer, expect_json};

#[tokio::test]
async fn the_timeline_merges_everything_newest_first() {
    let (app, admin, ground, first) = two_floors().await;
    let created = admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await;
    let rupa = id(&created);
    admin
        .put(
            &format!("/api/customers/{rupa}"),
            &customer("Rupa Ghosh Roy", "9830011111"),
        )
        .await;
    let old_call = admin
        .create(
            "/api/interactions",
            &json!({"customer_id": rupa, "type": "PHONE_CALL", "floor_id": ground,
                "occurred_at": ago(SignedDuration::from_hours(48))}),
        )
        .await;
    let visit = admin
        .create(
            "/api/interactions",
            &json!({"customer_id": rupa, "type": "WALK_IN", "floor_id": first}),
        )
        .await;
    let due = (Timestamp::now() + SignedDuration::from_hours(24)).to_string();
    let follow_up = admin
        .create(
            "/api/follow-ups",
            &json!({"customer_id": rupa, "type": "DEMO", "due_at": due, "floor_id": ground}),
        )
        .await;

    let timeline = admin
        .get_json(&format!("/api/customers/{rupa}/timeline"))
        .await;
    let entries = timeline["items"].as_array().expect("entries");
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "FOLLOW_UP",
            "INTERACTION",
            "CUSTOMER_CHANGED",
            "CUSTOMER_ADDED",
            "INTERACTION"
        ],
        "{timeline}"
    );
    assert_eq!(entries[0]["follow_up"], follow_up);
    assert_eq!(entries[1]["interaction"], visit);
    assert_eq!(entries[3]["at"], created["created_at"]);
    assert_eq!(entries[4]["interaction"], old_call);
    let times: Vec<Timestamp> = entries
        .iter()
        .map(|e| e["at"].as_str().expect("at").parse().expect("time"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let two = admin
        .get_json(&format!("/api/customers/{rupa}/timeline?limit=2"))
        .await;
    assert_eq!(two["items"].as_array().expect("entries").len(), 2);

    // The first floor's manager sees the customer, and only their floor's entries.
    let ff = app.login("ff.manager").await;
    let theirs = ff
        .get_json(&format!("/api/customers/{rupa}/timeline"))
        .await;
    let kinds: Vec<&str> = theirs["items"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["INTERACTION", "CUSTOMER_CHANGED", "CUSTOMER_ADDED"]);
    let missing = admin
        .get(&format!(
            "/api/customers/{}/timeline",
            "0190f2c4-0000-7000-8000-000000000000"
        ))
        .await;
    expect_json(missing, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_completed_sale_shows_once_on_the_timeline() {
    let (_app, admin, ground, _) = two_floors().await;
    let rina = id(&admin
        .create("/api/customers", &customer("Rina Sinha", "9831000001"))
        .await);
    let tea_set = admin
        .create(
            "/api/products",
            &json!({"sku": "TS-1", "name": "Silver tea set", "metal": "SILVER", "purity": "925",
                "gross_weight_mg": 500_000, "making_charge": {"flat_paise": 0},
                "fixed_price_paise": 1_000_00, "stock_qty": 1, "floor_id": ground}),
        )
        .await;
    let bill = admin
        .create(
            "/api/sales",
            &json!({"customer_id": rina, "floor_id": ground,
                "lines": [{"product_id": id(&tea_set)}],
                "payments": [{"method": "UPI", "amount_paise": 1_030_00}]}),
        )
        .await;
    let sale = id(&bill);
    let completed = admin
        .post(&format!("/api/sales/{sale}/complete"), &json!({}))
        .await;
    expect_json(completed, StatusCode::OK).await;

    let logged = admin
        .get_json(&format!("/api/interactions?customer_id={rina}"))
        .await;
    assert_eq!(logged["items"][0]["type"], "SALE");
    assert_eq!(logged["items"][0]["sale_id"], sale);
    let timeline = admin
        .get_json(&format!("/api/customers/{rina}/timeline"))
        .await;
    let entries = timeline["items"].as_array().expect("entries");
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["SALE", "CUSTOMER_ADDED"], "{timeline}");
    assert_eq!(entries[0]["sale"]["id"], sale);
    assert_eq!(entries[0]["sale"]["status"], "COMPLETED");
}

/// `https://wa.me/<number>?text=<greeting>` as My day builds it.
fn wa(number: &str, greeting: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(greeting.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
        .replace('*', "%2A");
    format!("https://wa.me/{number}?text={encoded}")
}

#[tokio::test]
async fn my_day_lists_overdue_and_todays_follow_ups_and_this_weeks_occasions() {
    let (app, admin, ground, first) = two_floors().await;
    let gf = app.login("gf.manager").await;
    let store = admin.get_json("/api/store").await["name"]
        .as_str()
        .expect("store name")
        .to_owned();
    let now = ZonedDateTime::now().in_tz("Asia/Kolkata").expect("zone");
    let today = now.date();
    let midnight = today.in_tz("Asia/Kolkata").expect("midnight").timestamp();
    let in_days = |days: i64| today.checked_add(days.days()).expect("date");
    let dated = |name: &str, phone: &str, field: &str, date: jiff::civil::Date, floor: &str| {
        let mut body = customer(name, phone);
        let past = date.with().year(1992).build().expect("a past date");
        body[field] = json!(past.to_string());
        body["home_floor_id"] = json!(floor);
        body
    };
    let payel = gf
        .create(
            "/api/customers",
            &dated(
                "Payel Dey",
                "9830055555",
                "date_of_birth",
                in_days(3),
                &ground,
            ),
        )
        .await;
    gf.create(
        "/api/customers",
        &dated(
            "Mitali Bose",
            "9830066666",
            "anniversary",
            in_days(1),
            &ground,
        ),
    )
    .await;
    gf.create(
        "/api/customers",
        &dated(
            "Old Friend",
            "9830077777",
            "date_of_birth",
            in_days(-1),
            &ground,
        ),
    )
    .await;
    admin
        .create(
            "/api/customers",
            &dated(
                "Upstairs Person",
                "9830088888",
                "date_of_birth",
                in_days(2),
                &first,
            ),
        )
        .await;

    let payel_id = id(&payel);
    let follow_up = |due: Timestamp| json!({"customer_id": payel_id, "type": "PHONE_CALL", "due_at": due.to_string()});
    let overdue = gf
        .create(
            "/api/follow-ups",
            &follow_up(midnight - SignedDuration::from_hours(3)),
        )
        .await;
    let today_one = gf.create("/api/follow-ups", &follow_up(midnight)).await;
    let tomorrow = midnight + SignedDuration::from_hours(24);
    gf.create("/api/follow-ups", &follow_up(tomorrow)).await;

    let day = gf.get_json("/api/my-day").await;
    assert_eq!(day["date"], today.to_string());
    assert_eq!(day["overdue"].as_array().expect("overdue").len(), 1);
    assert_eq!(day["overdue"][0]["follow_up"], overdue);
    assert_eq!(day["due_today"][0]["follow_up"], today_one);
    assert_eq!(day["due_today"].as_array().expect("today").len(), 1);
    assert_eq!(
        day["due_today"][0]["customer"]["call_url"],
        "tel:+919830055555"
    );
    assert_eq!(day["occasions_total"], 2);
    let occasions = day["occasions"].as_array().expect("occasions");
    assert_eq!(occasions.len(), 2, "this week, this floor: {day}");
    assert_eq!(occasions[0]["kind"], "ANNIVERSARY");
    assert_eq!(occasions[0]["customer"]["name"], "Mitali Bose");
    let birthday = &occasions[1];
    assert_eq!(birthday["kind"], "BIRTHDAY");
    assert_eq!(birthday["date"], in_days(3).to_string());
    assert_eq!(birthday["years"], in_days(3).year() - 1992);
    assert_eq!(
        birthday["customer"]["whatsapp_url"],
        wa(
            "919830055555",
            &format!("Happy birthday, Payel! Warm wishes from {store}.")
        )
    );
    assert_eq!(birthday["customer"]["call_url"], "tel:+919830055555");

    // The admin's day: none of the manager's follow-ups, every floor's occasions.
    let theirs = admin.get_json("/api/my-day").await;
    assert_eq!(theirs["overdue"], json!([]));
    assert_eq!(theirs["due_today"], json!([]));
    assert_eq!(theirs["occasions"].as_array().expect("occasions").len(), 3);
}
