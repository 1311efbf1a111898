//! What the customer's page, the product's page and the dashboard each load in one
//! `app` call, and what each role is given there.

use sarkar_crm::app::{Actor, FIRST_SHOWN, LoginInput, MAX_SHOWN};
use sarkar_crm::domain::{CustomerId, ProductId};
use serde_json::json;

use super::{id, two_floors};
use crate::helpers::{PASSWORD, TestApp, customer, product};

/// The actor a page request by `username` would carry.
async fn actor(app: &TestApp, username: &str) -> Actor {
    let login = LoginInput {
        username: username.into(),
        password: PASSWORD.into(),
    };
    let signed_in = app.crm().login(login, "test").await.expect("login");
    app.crm().authenticate(&signed_in.token).expect("session")
}

#[tokio::test]
async fn the_customer_page_gives_each_person_the_activity_they_may_see() {
    let (app, admin, ground, _) = two_floors().await;
    let rupa = id(&admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await);
    admin
        .create(
            "/api/interactions",
            &json!({"customer_id": rupa, "type": "WALK_IN", "floor_id": ground}),
        )
        .await;
    let rupa = CustomerId::from_uuid(rupa.parse().expect("uuid"));
    let crm = app.crm();

    let owner = actor(&app, "owner").await;
    let seen = crm
        .customer_overview(&owner, rupa, FIRST_SHOWN)
        .expect("the page loads");
    assert_eq!(seen.customer.id, rupa);
    assert!(
        seen.floors
            .iter()
            .any(|f| f.id.as_uuid().to_string() == ground)
    );
    let activity = seen.activity.expect("the owner sees the activity");
    assert_eq!(activity.entries.len(), 2, "the walk-in and the adding");
    assert!(!activity.more);
    assert!(
        !activity.staff.is_empty(),
        "an admin may give a follow-up to staff"
    );

    let manager = actor(&app, "gf.manager").await;
    let theirs = crm
        .customer_overview(&manager, rupa, 1)
        .expect("the page loads")
        .activity
        .expect("their floor's activity");
    assert_eq!((theirs.entries.len(), theirs.more), (1, true));
    assert!(theirs.staff.is_empty(), "only an admin assigns follow-ups");

    // A Floor Manager who has lost their floor still sees the customer, and why the
    // activity is not shown, instead of an error page.
    let mut floorless = manager.clone();
    floorless.floor_id = None;
    let seen = crm
        .customer_overview(&floorless, rupa, FIRST_SHOWN)
        .expect("the details still load");
    assert_eq!(seen.customer.id, rupa);
    let why = seen.activity.expect_err("no activity without a floor");
    assert!(why.contains("no floor assigned"), "{why}");

    for (asked, shown) in [(0, 1), (u32::MAX, MAX_SHOWN)] {
        let activity = crm
            .customer_activity(&owner, rupa, asked)
            .expect("activity");
        assert_eq!(activity.shown, shown, "asked for {asked}");
    }
}

#[tokio::test]
async fn the_product_page_has_a_price_once_its_purity_has_a_rate() {
    let (app, admin, ground, _) = two_floors().await;
    let necklace = id(&admin
        .create("/api/products", &product("NK-1", &ground))
        .await);
    let necklace = ProductId::from_uuid(necklace.parse().expect("uuid"));
    let manager = actor(&app, "gf.manager").await;
    let before = app
        .crm()
        .product_overview(&manager, necklace)
        .expect("the page loads");
    assert!(before.price.is_none(), "no 22K rate is set yet");
    assert!(
        before
            .floors
            .iter()
            .any(|f| f.id == before.product.floor_id)
    );
    let rate = json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_500_00});
    assert!(admin.post("/api/rates", &rate).await.status().is_success());
    let price = app
        .crm()
        .product_overview(&manager, necklace)
        .expect("the page loads")
        .price
        .expect("priced at today's rate");
    assert_eq!(price.rate_per_gram.map(|r| r.get()), Some(6_500_00));
}

#[tokio::test]
async fn only_an_admin_is_told_about_backups_on_the_dashboard() {
    let (app, admin, _, _) = two_floors().await;
    admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await;
    let owner = app
        .crm()
        .dashboard_overview(&actor(&app, "owner").await)
        .expect("dashboard");
    let manager = app
        .crm()
        .dashboard_overview(&actor(&app, "gf.manager").await)
        .expect("dashboard");
    assert!(owner.backups.is_some());
    assert!(manager.backups.is_none());
    assert_eq!(owner.board.customers_total, 1);
    assert_eq!(
        manager.board.customers_total, 1,
        "every role sees the whole store's figures"
    );
}
