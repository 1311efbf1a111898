//! Stock files: tag numbers, purities and weights as stock lists write them.

use serde_json::json;

use super::{commit, mapping, problems, undo, upload};
use crate::helpers::{TestApp, floor};

async fn all_products(client: &crate::helpers::Client) -> Vec<serde_json::Value> {
    let page = client.get_json("/api/products?limit=200&sort=sku").await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_semicolon_stock_list_with_a_trailing_separator_is_imported_and_undone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    floor(&admin, "Ground Floor", 0).await;
    let file = "Tag No;Item Name;Metal;Purity;Gross Wt;Net Wt;Stone Wt;HUID;Making;Qty;\r\n\
        T-001;Gold Chain;Gold;22K;12.345;12.345;0;AB12C3;450/g;1;\r\n\
        T-002;Silver Anklet;Silver;925;45.5;45.5;;;12%;2;\r\n\
        T-003;Odd Ring;Gold;21K;5;5;0;CD34E5;;1;\r\n\
        T-004;Heavy Kada;Gold;22K;10;12;;EF56G7;;1;\r\n\
        T-005;Stud;Gold;18K;1.5;1.2;0.3;;8%;1;\r\n";
    let draft = upload(&admin, "products", "stock.csv", file.as_bytes().to_vec()).await;
    assert!(
        draft["format"].as_str().unwrap().contains(';'),
        "{}",
        draft["format"]
    );
    let fields: Vec<String> = mapping(&draft).into_iter().map(|(_, f)| f).collect();
    assert_eq!(
        fields,
        [
            "sku",
            "name",
            "metal",
            "purity",
            "gross_weight",
            "stone_weight",
            "net_weight",
            "making_charge",
            "huid",
            "stock_qty"
        ]
    );
    assert!(
        !draft["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h.as_str().unwrap().is_empty())
    );
    let counts = &draft["preview"]["counts"];
    assert_eq!(
        (counts["create"].as_u64(), counts["refuse"].as_u64()),
        (Some(3), Some(2)),
        "{}",
        draft["preview"]
    );
    let found = problems(&draft);
    assert_eq!(found[0].0, 4);
    assert_eq!(found[0].1, "Purity");
    assert!(found[0].2.contains("21K"), "{}", found[0].2);
    assert_eq!(found[1].0, 5);
    assert_eq!(found[1].1, "Net Wt");

    let id = draft["id"].as_str().unwrap().to_owned();
    let done = commit(&admin, &id).await;
    assert_eq!(done["counts"]["created"], 3, "{done}");
    let products = all_products(&admin).await;
    let chain = products.iter().find(|p| p["sku"] == "T-001").unwrap();
    assert_eq!(chain["gross_weight_mg"], 12_345);
    assert_eq!(chain["making_charge"], json!({"per_gram_paise": 45_000}));
    let stud = products.iter().find(|p| p["sku"] == "T-005").unwrap();
    assert_eq!(stud["stone_weight_mg"], 300);
    assert_eq!(stud["making_charge"], json!({"percent_bp": 800}));
    let anklet = products.iter().find(|p| p["sku"] == "T-002").unwrap();
    assert_eq!(
        (anklet["metal"].as_str(), anklet["stock_qty"].as_u64()),
        (Some("SILVER"), Some(2))
    );

    let undone = undo(&admin, &id).await;
    assert_eq!(undone["state"], "UNDONE", "{undone}");
    assert!(all_products(&admin).await.is_empty());
}
