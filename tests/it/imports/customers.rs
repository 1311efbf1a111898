//! Customer files: preview, commit, re-import with "skip", update, strict, undo.

use reqwest::StatusCode;
use serde_json::json;

use super::{all_customers, commit, customer_csv, mapping, problems, undo, upload, upload_raw};
use crate::helpers::{TestApp, customer, expect_field_problem, expect_json};
use sarkar_crm::store::{ChangeOp, EntityKind};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_contacts_file_is_previewed_committed_imported_again_and_undone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // Row 5 of the file (i = 3) carries this customer's number.
    admin
        .create("/api/customers", &customer("Existing Person", "9800000003"))
        .await;
    let before = all_customers(&admin).await;
    let seq_before = app.changes().last().map_or(0, |c| c.seq);

    let file = customer_csv(20, 3, 2);
    let draft = upload(&admin, "customers", "contacts.csv", file.clone()).await;
    assert_eq!(draft["state"], "DRAFT");
    assert_eq!(
        mapping(&draft),
        pairs(&[
            ("Cust Name", "name"),
            ("Mobile", "phone"),
            ("D.O.B.", "date_of_birth"),
            ("Locality", "address.locality"),
        ])
    );
    let counts = &draft["preview"]["counts"];
    assert_eq!(counts["rows"], 25, "{counts}");
    assert_eq!(counts["create"], 19, "{counts}");
    assert_eq!(
        counts["skip"], 4,
        "one stored match and three repeated rows: {counts}"
    );
    assert_eq!(counts["refuse"], 2, "{counts}");
    let found = problems(&draft);
    assert_eq!(found.len(), 2, "{found:?}");
    for (problem, line) in found.iter().zip([25, 26]) {
        assert_eq!(problem.0, line);
        assert_eq!(problem.1, "Mobile");
        assert!(
            problem.2.contains("98300 1"),
            "names the value: {}",
            problem.2
        );
    }
    // A preview stores nothing but the draft itself.
    assert_eq!(all_customers(&admin).await, before);
    let since: Vec<_> = app
        .changes()
        .into_iter()
        .filter(|c| c.seq > seq_before)
        .collect();
    assert_eq!(since.len(), 1, "{since:?}");
    assert_eq!(
        (since[0].kind, since[0].op),
        (EntityKind::Import, ChangeOp::Created)
    );

    let id = draft["id"].as_str().unwrap().to_owned();
    let done = commit(&admin, &id).await;
    assert_eq!(done["state"], "COMMITTED", "{done}");
    assert_eq!(done["counts"]["created"], 19);
    assert_eq!(done["counts"]["skipped"], 4);
    assert_eq!(done["counts"]["refused"], 2);
    let after = all_customers(&admin).await;
    assert_eq!(after.len(), before.len() + 19);
    let fifth = after
        .iter()
        .find(|c| c["name"] == "Customer 0005")
        .expect("imported");
    assert_eq!(fifth["phone"], "+919800000005");
    assert_eq!(
        fifth["date_of_birth"], "1955-06-06",
        "day first, as the file's dates say"
    );
    assert_eq!(fifth["address"]["locality"], "Salt Lake");
    let existing = after
        .iter()
        .find(|c| c["phone"] == "+919800000003")
        .unwrap();
    assert_eq!(existing["name"], "Existing Person", "skipped, not changed");

    // The same file again, duplicates skipped: nothing more is added.
    let again = upload(&admin, "customers", "contacts.csv", file).await;
    assert_eq!(again["preview"]["counts"]["create"], 0);
    let again_id = again["id"].as_str().unwrap().to_owned();
    let second = commit(&admin, &again_id).await;
    assert_eq!(second["counts"]["created"], 0, "{second}");
    assert_eq!(all_customers(&admin).await, after);

    // The change log holds one entry per customer added, in the range the batch keeps.
    let [first, last] = [
        done["changes"][0].as_u64().unwrap(),
        done["changes"][1].as_u64().unwrap(),
    ];
    let logged: Vec<_> = app
        .changes()
        .into_iter()
        .filter(|c| (first..=last).contains(&c.seq))
        .collect();
    assert_eq!(logged.len(), 19);
    assert!(
        logged
            .iter()
            .all(|c| c.kind == EntityKind::Customer && c.op == ChangeOp::Created)
    );

    let undone = undo(&admin, &id).await;
    assert_eq!(undone["state"], "UNDONE", "{undone}");
    assert_eq!(
        all_customers(&admin).await,
        before,
        "the exact state before the import"
    );
    let [u_first, u_last] = [
        undone["undo_changes"][0].as_u64().unwrap(),
        undone["undo_changes"][1].as_u64().unwrap(),
    ];
    let removed: Vec<_> = app
        .changes()
        .into_iter()
        .filter(|c| (u_first..=u_last).contains(&c.seq))
        .collect();
    assert_eq!(removed.len(), 19, "one entry per customer taken back");
    let mut added: Vec<u128> = logged.iter().map(|c| c.id).collect();
    let mut taken: Vec<u128> = removed.iter().map(|c| c.id).collect();
    added.sort_unstable();
    taken.sort_unstable();
    assert_eq!(added, taken);
    assert!(removed.iter().all(|c| c.op == ChangeOp::Deleted));
    for c in &removed {
        let gone = admin
            .get(&format!("/api/customers/{}", uuid::Uuid::from_u128(c.id)))
            .await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn update_fills_empty_fields_and_undo_puts_them_back() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let stored = admin
        .create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    let file = "Name,Phone,Email,Anniversary\nR. Das,098300-12345,rina@example.com,15-08-2005\nNew Person,9830054321,,\n";
    let response = upload_raw(
        &admin,
        "customers",
        "update.csv",
        file.as_bytes().to_vec(),
        &[("on_duplicate", "update")],
    )
    .await;
    let draft = expect_json(response, StatusCode::CREATED).await;
    let counts = &draft["preview"]["counts"];
    assert_eq!(
        (counts["update"].as_u64(), counts["create"].as_u64()),
        (Some(1), Some(1)),
        "{counts}"
    );
    let matched = &draft["preview"]["rows"][0];
    assert_eq!(
        matched["matches"],
        format!("{} Rina Das", stored["code"].as_str().unwrap())
    );
    let id = draft["id"].as_str().unwrap().to_owned();
    let done = commit(&admin, &id).await;
    assert_eq!(done["counts"]["updated"], 1, "{done}");
    let path = format!("/api/customers/{}", stored["id"].as_str().unwrap());
    let updated = admin.get_json(&path).await;
    assert_eq!(
        updated["name"], "Rina Das",
        "a filled name is not overwritten by update"
    );
    assert_eq!(updated["email"], "rina@example.com");
    assert_eq!(updated["anniversary"], "2005-08-15");

    let undone = undo(&admin, &id).await;
    assert_eq!(undone["state"], "UNDONE");
    assert_eq!(admin.get_json(&path).await, stored, "restored exactly");
}

#[tokio::test]
async fn undo_is_refused_when_an_imported_customer_was_changed_since() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let draft = upload(&admin, "customers", "c.csv", customer_csv(3, 0, 0)).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    commit(&admin, &id).await;
    let imported = all_customers(&admin).await;
    let first = &imported[0];
    let mut changed = json!({"name": "Changed After Import", "phone": first["phone"]});
    changed["notes"] = json!("came back for a chain");
    let path = format!("/api/customers/{}", first["id"].as_str().unwrap());
    expect_json(admin.put(&path, &changed).await, StatusCode::OK).await;

    let refused = admin
        .post(&format!("/api/imports/{id}/undo"), &json!({}))
        .await;
    let problem = expect_json(refused, StatusCode::CONFLICT).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(first["code"].as_str().unwrap()), "{detail}");
    assert_eq!(
        all_customers(&admin).await.len(),
        3,
        "nothing was taken back"
    );
    let view = admin.get_json(&format!("/api/imports/{id}")).await;
    assert_eq!(view["state"], "COMMITTED");
}

#[tokio::test]
async fn strict_refuses_a_file_with_a_bad_row_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let draft = upload(&admin, "customers", "c.csv", customer_csv(5, 0, 1)).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let refused = admin
        .post(
            &format!("/api/imports/{id}/commit"),
            &json!({"strict": true}),
        )
        .await;
    let problem = expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "file").await;
    let message = problem["errors"]["file"].as_str().unwrap();
    assert!(
        message.contains("row 7") && message.contains("Mobile"),
        "{message}"
    );
    assert!(all_customers(&admin).await.is_empty());
    assert_eq!(
        admin.get_json(&format!("/api/imports/{id}")).await["state"],
        "DRAFT"
    );
}

#[tokio::test]
async fn files_that_are_not_spreadsheets_and_bad_mappings_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    let response = upload_raw(&admin, "customers", "list.csv", pdf, &[]).await;
    expect_field_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "file").await;
    let response = upload_raw(&admin, "customers", "empty.csv", Vec::new(), &[]).await;
    expect_field_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "file").await;
    let response = upload_raw(
        &admin,
        "customers",
        "c.csv",
        customer_csv(2, 0, 0),
        &[("on_duplicate", "merge")],
    )
    .await;
    expect_field_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "on_duplicate").await;

    // A file without a phone column: drafted, but it says what to map, and will not commit.
    let no_phone = "Name,City\nRina Das,Kolkata\n".as_bytes().to_vec();
    let draft = upload(&admin, "customers", "names.csv", no_phone).await;
    let said = draft["mapping_problems"][0].as_str().unwrap();
    assert!(said.contains("Phone"), "{said}");
    assert!(draft["preview"].is_null());
    let id = draft["id"].as_str().unwrap().to_owned();
    let refused = admin
        .post(&format!("/api/imports/{id}/commit"), &json!({}))
        .await;
    expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "mapping").await;
    let bad = admin
        .put(
            &format!("/api/imports/{id}"),
            &json!({"mapping": [{"field": "phone", "header": "Mobile"}]}),
        )
        .await;
    let problem = expect_field_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "mapping").await;
    assert!(
        problem["errors"]["mapping"]
            .as_str()
            .unwrap()
            .contains("Mobile")
    );
    // A mapping that is fine is kept under its name for the next file.
    let fixed = admin
        .put(
            &format!("/api/imports/{id}"),
            &json!({"mapping": [{"field": "name", "header": "Name"}, {"field": "phone", "header": "City"}], "save_mapping_as": "Odd file"}),
        )
        .await;
    let view = expect_json(fixed, StatusCode::OK).await;
    assert_eq!(view["saved_mappings"], json!(["Odd file"]));
    assert_eq!(
        view["preview"]["counts"]["refuse"], 1,
        "Kolkata is no phone number"
    );
    assert!(all_customers(&admin).await.is_empty());
}

#[tokio::test]
async fn a_row_like_a_stored_customer_in_the_same_place_is_flagged_and_can_be_skipped() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let stored = admin
        .create(
            "/api/customers",
            &json!({"name": "Subhajit Chowdhury", "phone": "9830011111", "address": {"locality": "Salt Lake"}}),
        )
        .await;
    let code = stored["code"].as_str().unwrap();
    let file = "Name,Phone,Locality\nShubhojit Choudhury,9830022222,Salt Lake\nS. Chowdhury,9830033333,salt lake\nAnanya Das,9830044444,Salt Lake\nSubhajit Chowdhury,9830055555,Behala\n";
    let draft = upload(&admin, "customers", "c.csv", file.as_bytes().to_vec()).await;
    let rows = draft["preview"]["rows"].as_array().unwrap();
    let warning = |line: u64| {
        rows.iter()
            .find(|r| r["line"] == line)
            .and_then(|r| r["warning"].as_str())
            .map(str::to_owned)
    };
    for line in [2, 3] {
        let said = warning(line).unwrap_or_else(|| panic!("row {line} flagged: {rows:?}"));
        assert!(said.contains(code) || said.contains("row 2"), "{said}");
    }
    assert_eq!(warning(4), None, "another name");
    assert_eq!(warning(5), None, "another place");
    assert_eq!(
        draft["preview"]["counts"]["create"], 4,
        "flagged rows are still added unless skipped"
    );

    let id = draft["id"].as_str().unwrap().to_owned();
    let chosen = admin
        .put(
            &format!("/api/imports/{id}"),
            &json!({"rows": [{"line": 2, "action": "skip"}]}),
        )
        .await;
    let view = expect_json(chosen, StatusCode::OK).await;
    assert_eq!(view["preview"]["counts"]["create"], 3);
    assert_eq!(view["preview"]["counts"]["skip"], 1);
    let done = commit(&admin, &id).await;
    assert_eq!(
        (
            done["counts"]["created"].as_u64(),
            done["counts"]["skipped"].as_u64()
        ),
        (Some(3), Some(1))
    );
    let names: Vec<String> = all_customers(&admin)
        .await
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !names.contains(&"Shubhojit Choudhury".to_owned()),
        "{names:?}"
    );
}
