//! A store not registered under GST may not collect it: its bills charge no GST and are
//! bills of supply (the sale as the API gives it, the A4 and roll pages, the PDF), and
//! registering later changes no bill already drawn up while the next one charges GST
//! (and the prices on the shelf follow).

use reqwest::StatusCode;
use serde_json::json;

use crate::activity::{id, two_floors};
use crate::helpers::expect_json;
use crate::invoice_pdf::{pdf_text, pending_bill_of};
use crate::pages::PageClient;

const NOTE: &str = "The seller is not registered under GST; no GST is charged on this bill.";

#[tokio::test]
async fn an_unregistered_store_issues_a_bill_of_supply_without_gst() {
    let (app, admin, ground, _) = two_floors().await;
    // The invoice test's necklace: ₹1,81,216 of goods after the discounts. With no GST
    // the total is that value, already whole rupees (no round-off); ₹1,00,000 by card
    // and ₹86,700 in cash is ₹5,484 more than is due, handed back as change.
    let bill = pending_bill_of(&admin, &ground, None).await;
    assert_eq!(bill["bill_of_supply"], true, "{bill}");
    for tax in ["cgst_paise", "sgst_paise", "igst_paise"] {
        assert_eq!(bill[tax], 0, "{tax}: {bill}");
    }
    assert_eq!(bill["taxable_paise"], 1_81_216_00);
    assert_eq!(bill["total_paise"], 1_81_216_00);
    assert_eq!(bill["round_off_paise"], 0);
    assert_eq!(bill["payable_paise"], 1_81_216_00);
    assert_eq!(bill["change_paise"], 5_484_00);
    let sale = id(&bill);
    let done = expect_json(
        admin
            .post(&format!("/api/sales/{sale}/complete"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let number = done["invoice_no"]
        .as_str()
        .expect("a bill number")
        .to_owned();

    let pages = PageClient::sign_in(&app, "owner").await;
    for paper in ["", "?paper=roll"] {
        let (status, html) = pages.get(&format!("/sales/{sale}/invoice{paper}")).await;
        assert_eq!(status, StatusCode::OK);
        for expected in [
            // Printed in capitals by the stylesheet, as "TAX INVOICE" is.
            r#"id="invoice-title">Bill of supply<"#,
            NOTE,
            "Bill no.",
            number.as_str(),
            r#"id="invoice-total">₹1,81,216.00<"#,
            r#"id="invoice-payable">₹1,81,216.00<"#,
        ] {
            assert!(
                html.contains(expected),
                "{paper}: the bill shows {expected}"
            );
        }
        for absent in [
            "TAX INVOICE",
            "Tax invoice",
            "GSTIN",
            "CGST",
            "SGST",
            "IGST",
            "HSN",
            ">7113<",
            "Taxable value",
        ] {
            assert!(
                !html.contains(absent),
                "{paper}: a bill of supply has no {absent}"
            );
        }
    }
    let (_, sale_page) = pages.get(&format!("/sales/{sale}")).await;
    assert!(sale_page.contains(r#"id="no-gst""#) && !sale_page.contains(r#"id="cgst""#));

    let response = admin.get(&format!("/api/sales/{sale}/invoice.pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = pdf_text(&response.bytes().await.expect("pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "BILL OF SUPPLY",
        NOTE,
        "Bill no.",
        number.as_str(),
        "Temple necklace",
        "Value of goods ₹1,81,216.00",
        "Amount payable ₹1,81,216.00",
        "This is a computer-generated bill.",
    ] {
        assert!(
            flat.contains(expected),
            "the PDF shows {expected:?}:\n{text}"
        );
    }
    for absent in [
        "TAX INVOICE",
        "GSTIN",
        "CGST",
        "SGST",
        "IGST",
        "HSN",
        "7113",
        "Taxable",
    ] {
        assert!(!flat.contains(absent), "the PDF has no {absent:?}:\n{text}");
    }

    // The shelf price is what the counter will bill: 23.800 g × ₹6,800 + ₹12,376 making
    // + ₹8,500 stones = ₹1,82,716, with no GST added while the store is unregistered.
    let (_, products) = pages.get("/products?view=list").await;
    assert!(
        products.contains("₹1,82,716.00") && !products.contains("₹1,88,197.48"),
        "the list prices the necklace without GST"
    );

    // Registering afterwards leaves the bill as it was issued; the next bill charges GST.
    let registered = json!({"gstin": "19AAACS1234F1ZP", "state_code": "19"});
    expect_json(admin.put("/api/store", &registered).await, StatusCode::OK).await;
    let (_, products) = pages.get("/products?view=list").await;
    assert!(
        products.contains("₹1,88,197.48"),
        "registered, the list adds 3% GST: ₹1,82,716 + ₹5,481.48"
    );
    let (_, html) = pages.get(&format!("/sales/{sale}/invoice")).await;
    assert!(html.contains(">Bill of supply<") && !html.contains("CGST"));
    let kept = admin.get_json(&format!("/api/sales/{sale}")).await;
    assert_eq!(
        (kept["bill_of_supply"].clone(), kept["cgst_paise"].clone()),
        (json!(true), json!(0))
    );
    let quote = expect_json(
        admin
            .post(
                "/api/sales/quote",
                &json!({"customer_phone": "98310 00001", "floor_id": ground, "lines": [{"sku": "NK-1"}]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(quote["bill_of_supply"], false, "{quote}");
    assert!(quote["cgst_paise"].as_i64().unwrap_or(0) > 0, "{quote}");
}
