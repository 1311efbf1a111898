//! Every mutation writes one change-log entry in its own transaction; refused
//! requests write none; followers are told about each commit.

use sarkar_crm::store::{ChangeOp, EntityKind};
use serde_json::json;

use crate::helpers::{TestApp, customer, expect_json};

#[tokio::test]
async fn each_mutation_logs_one_entry_and_refusals_log_none() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut followers = app.crm().db().subscribe();
    let before = app.changes();
    // Adding the owner made the store and the user, and the test helper registered the
    // store under GST (`helpers::register_store`); signing in is recorded too.
    let kinds: Vec<(EntityKind, ChangeOp)> = before.iter().map(|c| (c.kind, c.op)).collect();
    assert_eq!(
        kinds,
        [
            (EntityKind::Store, ChangeOp::Created),
            (EntityKind::User, ChangeOp::Created),
            (EntityKind::Store, ChangeOp::Updated),
            (EntityKind::Session, ChangeOp::SignedIn)
        ]
    );

    let created = admin
        .create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/customers/{id}");
    expect_json(
        admin
            .put(&path, &customer("Rina Das Sarkar", "9830012345"))
            .await,
        reqwest::StatusCode::OK,
    )
    .await;
    expect_json(
        admin
            .post("/api/customers", &customer("Twin", "9830012345"))
            .await,
        reqwest::StatusCode::CONFLICT,
    )
    .await;
    expect_json(
        admin
            .post("/api/customers", &json!({"name": "", "phone": "1"}))
            .await,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    admin.delete(&path).await;

    let after = app.changes();
    let new: Vec<_> = after[before.len()..].iter().collect();
    let ops: Vec<ChangeOp> = new.iter().map(|c| c.op).collect();
    assert_eq!(
        ops,
        [ChangeOp::Created, ChangeOp::Updated, ChangeOp::Deleted],
        "one entry per successful mutation, none for refusals"
    );
    let uuid = uuid::Uuid::parse_str(id).unwrap();
    assert!(
        new.iter()
            .all(|c| c.kind == EntityKind::Customer && c.id == uuid.as_u128())
    );
    let seqs: Vec<u64> = after.iter().map(|c| c.seq).collect();
    assert_eq!(
        seqs,
        (1..=after.len() as u64).collect::<Vec<_>>(),
        "sequence numbers have no gaps"
    );
    let owner = app
        .crm()
        .authenticate(admin.token.as_deref().unwrap())
        .unwrap();
    assert!(
        new.iter().all(|c| c.actor == Some(owner.user_id)),
        "each entry names who made the change"
    );

    assert!(followers.has_changed().unwrap());
    assert_eq!(*followers.borrow_and_update(), after.last().unwrap().seq);
}

#[tokio::test]
async fn expired_sessions_are_purged_and_logged_as_sign_outs() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let owner = app
        .crm()
        .authenticate(admin.token.as_deref().unwrap())
        .unwrap();
    let long_ago = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let stale = sarkar_crm::domain::Session {
        token_hash: [7; 32],
        user_id: owner.user_id,
        store_id: owner.store_id,
        created_at: long_ago,
        refreshed_at: long_ago,
        expires_at: long_ago,
        user_agent: "old tablet".into(),
    };
    let db = app.crm().db();
    db.write(None, |w| {
        sarkar_crm::store::people::insert_session(w, &stale)
    })
    .unwrap();
    let before = app.changes().len();
    assert_eq!(app.crm().purge_expired_sessions().unwrap(), 1);
    let after = app.changes();
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.last().unwrap().op, ChangeOp::SignedOut);
    // The live session is untouched.
    assert_eq!(
        admin.get_json("/api/users/profile").await["username"],
        "owner"
    );
}
