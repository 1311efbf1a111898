//! The GST invoice as a PDF download: a completed sale's file read back with poppler's
//! `pdftotext`, so the test sees what a person (or an accountant's software) sees;
//! the store's logo as `pdfimages` finds it; and who may not have it: a pending sale,
//! another floor's manager, nobody signed in.

use std::process::Command;

use reqwest::StatusCode;
use sarkar_crm::domain::Paise;
use sarkar_crm::domain::words::amount_in_words;
use serde_json::{Value, json};

use crate::activity::{id, two_floors};
use crate::files::{logo_png, upload};
use crate::helpers::{Client, expect_json};

const GSTIN: &str = "19AAACS1234F1ZP";

/// Sets up the store's GSTIN and the 22K rate, and draws up a bill for a necklace on
/// the ground floor: 23.800 g net × ₹6,800 + making ₹520/g + stones ₹8,500, less ₹1,000
/// on the line and ₹500 on the bill = ₹1,81,216 taxable; CGST = SGST = ₹2,718.24;
/// total ₹1,86,652.48, rounded off by −₹0.48 to ₹1,86,652 payable. ₹1,00,000 by card
/// and ₹86,700 in cash: ₹48 change.
async fn pending_bill(admin: &Client, floor: &str) -> Value {
    pending_bill_of(admin, floor, Some(GSTIN)).await
}

/// The same bill, the store registered under `gstin` or (with `None`) not registered.
pub async fn pending_bill_of(admin: &Client, floor: &str, gstin: Option<&str>) -> Value {
    let store = json!({"gstin": gstin, "state_code": "19", "address": "45 Bowbazar Street, Kolkata 700012"});
    expect_json(admin.put("/api/store", &store).await, StatusCode::OK).await;
    let rate = json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_800_00});
    admin.create("/api/rates", &rate).await;
    let necklace = admin
        .create(
            "/api/products",
            &json!({
                "sku": "NK-1", "name": "Temple necklace", "metal": "GOLD", "purity": "22K",
                "floor_id": floor, "gross_weight_mg": 25_000, "stone_weight_mg": 1_200,
                "making_charge": {"per_gram_paise": 520_00}, "stone_value_paise": 8_500_00,
                "huid": "AB12C3", "stock_qty": 2,
            }),
        )
        .await;
    let customer = admin
        .create(
            "/api/customers",
            &json!({
                "name": "Rina Sinha", "phone": "98310 00001", "pan": "ABCPK1234F",
                "address": {"line1": "12 Lake Road", "city": "Kolkata", "state": "West Bengal"},
            }),
        )
        .await;
    admin
        .create(
            "/api/sales",
            &json!({
                "customer_id": id(&customer), "floor_id": floor, "bill_discount_paise": 500_00,
                "lines": [{"product_id": id(&necklace), "discount_paise": 1_000_00}],
                "payments": [
                    {"method": "CARD", "amount_paise": 1_00_000_00, "reference": "slip 4411"},
                    {"method": "CASH", "amount_paise": 86_700_00},
                ],
            }),
        )
        .await
}

/// The PDF's text laid out as on the page, by poppler's `pdftotext`.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).expect("pdf written");
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run pdftotext ({e}); install it with: apt-get install -y poppler-utils")
        });
    assert!(
        output.status.success(),
        "pdftotext could not read the invoice: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("pdftotext prints UTF-8")
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> &'r str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_completed_sale_downloads_as_a_pdf_that_reads_as_its_invoice() {
    let (app, admin, ground, _) = two_floors().await;
    let bill = pending_bill(&admin, &ground).await;
    let sale = id(&bill);
    let done = expect_json(
        admin
            .post(&format!("/api/sales/{sale}/complete"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let number = done["invoice_no"].as_str().expect("invoice number");

    let response = admin.get(&format!("/api/sales/{sale}/invoice.pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/pdf");
    assert_eq!(
        header(&response, "content-disposition"),
        format!("attachment; filename=\"{}.pdf\"", number.replace('/', "-"))
    );
    assert_eq!(header(&response, "cache-control"), "no-store");
    let pdf = response.bytes().await.expect("body");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");

    let text = pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // The words are of the amount payable, not of the exact total.
    let words = amount_in_words(Paise::new(1_86_652_00));
    assert!(words.starts_with("Rupees One Lakh Eighty"), "{words}");
    assert!(!words.contains("Paise"), "{words}");
    for expected in [
        "TAX INVOICE",
        number,
        GSTIN,
        "West Bengal (19)",
        "7113",
        "Rina Sinha",
        "C-000001",
        "+91 98310 00001",
        "12 Lake Road",
        "ABCPK****F",
        "Temple necklace",
        "NK-1",
        "AB12C3",
        "23.800 g",
        "CGST @ 1.5%",
        "SGST @ 1.5%",
        "₹2,718.24",
        "₹1,81,216.00",
        "Total ₹1,86,652.48",
        "Round off −₹0.48",
        "Amount payable ₹1,86,652.00",
        "Total received ₹1,86,700.00",
        "Change given (cash) −₹48.00",
        "slip 4411",
        words.as_str(),
        "This is a computer-generated invoice.",
        "all particulars are true and correct.",
        "Authorised signatory",
    ] {
        assert!(
            flat.contains(expected),
            "the invoice shows {expected:?}:\n{text}"
        );
    }
    assert!(!flat.contains("ABCPK1234F"), "the PAN is masked");
    assert!(
        !flat.contains("IGST"),
        "a sale within the state has no IGST"
    );

    // The manager of the sale's floor has it too; the OpenAPI document lists it.
    let manager = app.login("gf.manager").await;
    let theirs = manager.get(&format!("/api/sales/{sale}/invoice.pdf")).await;
    assert_eq!(theirs.status(), StatusCode::OK);
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let operation = &doc["paths"]["/api/sales/{id}/invoice.pdf"]["get"];
    assert!(
        operation["responses"]["200"]["content"]["application/pdf"].is_object(),
        "{operation}"
    );
}

#[tokio::test]
async fn no_invoice_for_a_pending_sale_another_floor_or_a_stranger() {
    let (app, admin, ground, _) = two_floors().await;
    let bill = pending_bill(&admin, &ground).await;
    let path = format!("/api/sales/{}/invoice.pdf", id(&bill));

    let pending = expect_json(admin.get(&path).await, StatusCode::CONFLICT).await;
    assert!(
        pending["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("completed"),
        "{pending}"
    );

    expect_json(
        admin
            .post(&format!("/api/sales/{}/complete", id(&bill)), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let other_floor = app.login("ff.manager").await;
    expect_json(other_floor.get(&path).await, StatusCode::NOT_FOUND).await;
    expect_json(app.anonymous().get(&path).await, StatusCode::UNAUTHORIZED).await;
    let unknown = "/api/sales/0190a6e0-0000-7000-8000-000000000000/invoice.pdf";
    expect_json(admin.get(unknown).await, StatusCode::NOT_FOUND).await;
}

/// The pictures in a PDF as poppler's `pdfimages -list` lists them: each one's type
/// (`image`, `smask`), width and height.
fn pdf_images(pdf: &[u8]) -> Vec<(String, u32, u32)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).expect("pdf written");
    let output = Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run pdfimages ({e}); install it with: apt-get install -y poppler-utils")
        });
    assert!(output.status.success(), "pdfimages could not read the PDF");
    // "page num type width height color comp bpc enc …", a rule, then one line each.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip(2)
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            Some((
                (*words.get(2)?).to_owned(),
                words.get(3)?.parse().ok()?,
                words.get(4)?.parse().ok()?,
            ))
        })
        .collect()
}

#[tokio::test]
async fn the_stores_logo_is_drawn_on_the_pdf_and_its_text_reads_the_same() {
    let (_app, admin, ground, _) = two_floors().await;
    let bill = pending_bill(&admin, &ground).await;
    let sale = id(&bill);
    let complete = admin
        .post(&format!("/api/sales/{sale}/complete"), &json!({}))
        .await;
    expect_json(complete, StatusCode::OK).await;
    let path = format!("/api/sales/{sale}/invoice.pdf");
    let plain = admin.get(&path).await.bytes().await.expect("body");
    assert!(pdf_images(&plain).is_empty(), "no logo, no picture");

    let logo = upload(&admin, "/api/store/logo", "logo.png", logo_png(), &[]).await;
    expect_json(logo, StatusCode::CREATED).await;
    let pdf = admin.get(&path).await.bytes().await.expect("body");
    // The 320 px copy of the 4:1 logo, its see-through background as a soft mask.
    assert_eq!(
        pdf_images(&pdf),
        vec![("image".to_owned(), 320, 80), ("smask".to_owned(), 320, 80)],
    );
    // The logo stands beside the title: every line of text is still there, in order.
    let lines = |text: String| -> Vec<String> {
        text.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(lines(pdf_text(&pdf)), lines(pdf_text(&plain)));
}
