//! `GET /api/reports/customers` and `GET /api/reports/products`: the customer and
//! product analytics, through the same `app` functions as their pages.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::customer_analytics::{CallRow, CustomerAnalytics, CustomerReportQuery};
use crate::app::product_analytics::{ProductAnalytics, ProductReportQuery, SellThrough};
use crate::domain::rfm::Segment;
use crate::reports::customer_product_exports::{age_label, whatsapp_link};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

/// A customer to call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallRowJson {
    pub id: Uuid,
    /// `C-000123`.
    pub code: String,
    pub name: String,
    /// E.164, `+919831000101`.
    pub phone: String,
    pub whatsapp_url: String,
    /// RFC 3339 UTC.
    pub last_purchase_at: Option<String>,
    pub days_since_purchase: Option<i32>,
    pub purchases: u64,
    pub lifetime_value_paise: i64,
    pub segment: Option<Segment>,
}

impl From<&CallRow> for CallRowJson {
    fn from(r: &CallRow) -> Self {
        Self {
            id: r.id.as_uuid(),
            code: r.code.clone(),
            name: r.name.clone(),
            phone: r.phone.e164().to_owned(),
            whatsapp_url: whatsapp_link(r),
            last_purchase_at: r.last_purchase.map(|t| t.to_string()),
            days_since_purchase: r.days_since,
            purchases: r.purchases,
            lifetime_value_paise: r.lifetime_value.get(),
            segment: r.segment,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentCountJson {
    pub segment: Segment,
    pub label: String,
    pub rule: String,
    pub customers: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FloorCountJson {
    /// Null for customers without a home floor.
    pub floor_id: Option<Uuid>,
    pub customers: i64,
}

/// The customers report.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerReportJson {
    pub from: String,
    pub to: String,
    /// The day recency is counted to.
    pub today: String,
    pub new_customers: i64,
    pub new_customers_by_floor: Vec<FloorCountJson>,
    pub bills: i64,
    pub bills_to_new_customers: i64,
    pub bills_to_returning_customers: i64,
    pub payable_paise: i64,
    /// Highest lifetime value first (store-wide).
    pub top_customers: Vec<CallRowJson>,
    pub segments: Vec<SegmentCountJson>,
    /// False when the store has more buyers than one count reads: the counts are then
    /// lower bounds.
    pub segment_counts_exact: bool,
    pub segment: Segment,
    /// One page of the segment's members.
    pub items: Vec<CallRowJson>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next: Option<String>,
}

impl From<CustomerAnalytics> for CustomerReportJson {
    fn from(a: CustomerAnalytics) -> Self {
        Self {
            from: a.filter.from.to_string(),
            to: a.filter.to.to_string(),
            today: a.today.to_string(),
            new_customers: a.new_customers,
            new_customers_by_floor: a
                .new_by_floor
                .iter()
                .map(|(f, n)| FloorCountJson {
                    floor_id: f.map(|f| f.as_uuid()),
                    customers: *n,
                })
                .collect(),
            bills: a.bills,
            bills_to_new_customers: a.bills_to_new,
            bills_to_returning_customers: a.bills_to_returning(),
            payable_paise: a.payable.get(),
            top_customers: a.top.iter().map(CallRowJson::from).collect(),
            segments: a
                .counts
                .counts
                .iter()
                .map(|(s, n)| SegmentCountJson {
                    segment: *s,
                    label: s.label().to_owned(),
                    rule: s.rule().to_owned(),
                    customers: *n,
                })
                .collect(),
            segment_counts_exact: a.counts.complete,
            segment: a.filter.segment,
            items: a.members.iter().map(CallRowJson::from).collect(),
            next: a.next,
        }
    }
}

/// Customers registered and bills to new and returning customers over the range (a
/// Floor Manager's floor), and, store-wide, the top customers and the RFM segments
/// with one page of the chosen segment's members.
#[utoipa::path(get, path = "/api/reports/customers", tag = "reports", params(CustomerReportQuery),
    responses((status = 200, body = CustomerReportJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn customer_report(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<CustomerReportQuery>,
) -> Result<Json<CustomerReportJson>, AppError> {
    let report = state
        .crm
        .run(move |crm| crm.customer_analytics(&actor, &query))
        .await?;
    Ok(Json(report.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellThroughJson {
    /// A category id, or a purity label (`22K`), or null for pieces without a category.
    pub key: Option<String>,
    pub sold: i64,
    pub in_stock: i64,
    /// Sold ÷ (sold + in stock), in basis points; null when both are zero.
    pub sell_through_bp: Option<i64>,
}

fn sell_through(key: Option<String>, s: &SellThrough) -> SellThroughJson {
    SellThroughJson {
        key,
        sold: s.sold,
        in_stock: s.in_stock,
        sell_through_bp: s.rate_bp(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgeBucketJson {
    pub days: String,
    pub pieces: i64,
    pub net_mg: i64,
    pub gross_mg: i64,
    /// At today's rates, before GST.
    pub value_paise: i64,
    pub unpriced_pieces: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnsoldJson {
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub purity: String,
    pub in_stock: i64,
    pub net_mg: i64,
    /// RFC 3339 UTC.
    pub added_at: String,
    pub days_on_shelf: i32,
    pub value_paise: Option<i64>,
}

/// The products report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductReportJson {
    pub from: String,
    pub to: String,
    pub today: String,
    pub by_category: Vec<SellThroughJson>,
    pub by_purity: Vec<SellThroughJson>,
    pub ageing: Vec<AgeBucketJson>,
    /// In stock 180 days or more with no sale in the last 180; oldest first.
    pub unsold: Vec<UnsoldJson>,
}

impl From<ProductAnalytics> for ProductReportJson {
    fn from(a: ProductAnalytics) -> Self {
        Self {
            from: a.filter.from.to_string(),
            to: a.filter.to.to_string(),
            today: a.today.to_string(),
            by_category: a
                .by_category
                .iter()
                .map(|(c, s)| sell_through(c.map(|c| c.to_string()), s))
                .collect(),
            by_purity: a
                .by_purity
                .iter()
                .map(|(p, s)| sell_through(Some(p.label()), s))
                .collect(),
            ageing: a
                .ageing
                .iter()
                .enumerate()
                .map(|(i, s)| AgeBucketJson {
                    days: age_label(i),
                    pieces: s.pieces,
                    net_mg: s.net.get(),
                    gross_mg: s.gross.get(),
                    value_paise: s.value.get(),
                    unpriced_pieces: s.unpriced,
                })
                .collect(),
            unsold: a
                .unsold
                .iter()
                .map(|u| UnsoldJson {
                    product_id: u.id.as_uuid(),
                    sku: u.sku.clone(),
                    name: u.name.clone(),
                    purity: u.purity.label(),
                    in_stock: u.in_stock,
                    net_mg: u.net.get(),
                    added_at: u.added.to_string(),
                    days_on_shelf: u.days_on_shelf,
                    value_paise: u.value.map(|v| v.get()),
                })
                .collect(),
        }
    }
}

/// Sell-through by category and purity over the range, the stock by days on the shelf
/// with its value at today's rates, and the pieces not sold in 180 days (a Floor
/// Manager's floor only).
#[utoipa::path(get, path = "/api/reports/products", tag = "reports", params(ProductReportQuery),
    responses((status = 200, body = ProductReportJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn product_report(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ProductReportQuery>,
) -> Result<Json<ProductReportJson>, AppError> {
    let report = state
        .crm
        .run(move |crm| crm.product_analytics(&actor, &query))
        .await?;
    Ok(Json(report.into()))
}
