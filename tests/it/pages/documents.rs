//! A customer's documents through their page: a Floor Manager of the customer's floor
//! keeps a PAN card from the form and opens it; a Business Admin removes it; a manager
//! of another floor reads only who keeps documents.

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use super::{PageClient, location};
use crate::files::pdf;
use crate::helpers::{Client, TestApp, floor_id};

async fn documents_of(admin: &Client, customer: &str) -> Vec<Value> {
    admin
        .get_json(&format!("/api/customers/{customer}/documents"))
        .await["items"]
        .as_array()
        .expect("documents")
        .clone()
}

#[tokio::test]
async fn a_document_is_kept_opened_and_removed_through_the_customers_page() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    app.add_user(
        "ff.manager",
        UserRole::FloorManager,
        Some("First Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let ground = floor_id(&admin, "Ground Floor").await;
    let made = admin
        .create(
            "/api/customers",
            &json!({"name": "Rina Sinha", "phone": "9831000042", "home_floor_id": ground}),
        )
        .await;
    let customer = made["id"].as_str().expect("id").to_owned();
    let page = format!("/customers/{customer}");

    let manager = PageClient::sign_in(&app, "gf.manager").await;
    let (status, html) = manager.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="no-documents""#) && html.contains(r#"id="document-add""#));
    assert!(html.contains(r#"<option value="pan_card">PAN card</option>"#));
    assert!(html.contains(r#"id="document-camera""#) && html.contains(r#"capture="environment""#));

    let sent = manager
        .post_file(
            &format!("{page}/documents"),
            "rina-pan.pdf",
            pdf(3_000),
            &[("kind", "pan_card")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&sent),
        format!("{page}?done=document-added#documents")
    );
    let documents = documents_of(&admin, &customer).await;
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["kind"], "pan_card");
    let document = documents[0]["id"].as_str().expect("id").to_owned();

    let (_, html) = manager.get(&format!("{page}?done=document-added")).await;
    assert!(html.contains(r#"id="document-notice""#));
    let open = format!("/api/customers/{customer}/documents/{document}");
    assert!(html.contains("rina-pan.pdf") && html.contains("PAN card"));
    assert!(
        html.contains("2.9 KiB · added by"),
        "its size and who kept it"
    );
    assert!(
        html.contains(&format!(r#"href="{open}" target="_blank""#)),
        "Open"
    );
    assert!(
        html.contains(&format!(r#"href="{open}?download=true""#)),
        "Download"
    );
    assert!(
        !html.contains("remove-document-"),
        "only an admin removes a document"
    );
    let (status, _) = manager.get(&open).await;
    assert_eq!(status, StatusCode::OK, "the page's session opens it");

    // A wrong file is said beside the form, and nothing is kept.
    let refused = manager
        .post_file(
            &format!("{page}/documents"),
            "pan.pdf",
            b"just text".to_vec(),
            &[("kind", "pan_card")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("the page");
    assert!(html.contains(r#"id="document-error""#) && html.contains("Rina Sinha"));
    assert_eq!(documents_of(&admin, &customer).await.len(), 1);

    let other = PageClient::sign_in(&app, "ff.manager").await;
    let (status, html) = other.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    let at = html
        .find(r#"id="documents-kept-by""#)
        .expect("who keeps them");
    assert!(
        html[at..at + 200].contains("Ground Floor"),
        "{}",
        &html[at..at + 200]
    );
    assert!(!html.contains("rina-pan.pdf") && !html.contains(r#"id="document-add""#));

    let owner = PageClient::sign_in(&app, "owner").await;
    let (_, html) = owner.get(&page).await;
    assert!(html.contains(&format!("remove-document-{document}")));
    let removed = owner
        .post_form(&format!("{page}/documents/{document}/remove"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&removed),
        format!("{page}?done=document-removed#documents")
    );
    assert!(documents_of(&admin, &customer).await.is_empty());
}
