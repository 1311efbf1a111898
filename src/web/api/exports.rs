//! `GET /api/customers/export`, `/api/products/export`, `/api/sales/export` and
//! `/api/follow-ups/export`: a list under the filters its own route takes, as a CSV or
//! Excel file streamed as it is written (`web::exports`).
//!
//! A query string cannot be flattened into a struct (serde would lose the numbers'
//! types), so each export's query repeats its list's filters, without the paging.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::{CustomerQuery, FollowUpQuery, ListExport, ProductQuery, SalesFilterText};
use crate::domain::{CustomerStatus, FollowUpStatus, Metal};
use crate::reports::ExportFormat;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::exports::export_response;
use crate::web::extract::{ApiQuery, Auth};

/// The customers list's filters and the file type.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CustomersExportQuery {
    /// `csv` (the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
    /// Search text: a name (typos and spelling variants are forgiven), 4 or more phone
    /// digits, a customer code, email, locality or tag. Results come best first.
    pub q: Option<String>,
    pub status: Option<CustomerStatus>,
    pub home_floor_id: Option<Uuid>,
    pub tag: Option<String>,
    /// `true` lists removed customers instead (admins only), for restoring.
    pub deleted: Option<bool>,
    /// `newest` (default), `oldest`, `name` or `-name`; by the customer's totals,
    /// `-value` (highest lifetime value first) or `value`, `-last_purchase` (latest
    /// first) or `last_purchase`, `-visits` (most first) or `visits`. A search (`q`)
    /// comes best first whatever the order.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(newest|-created|oldest|created|name|-name|-value|value|-last_purchase|last_purchase|-visits|visits)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub sort: Option<String>,
}

impl CustomersExportQuery {
    fn list(self) -> ListExport {
        ListExport::Customers(CustomerQuery {
            q: self.q,
            status: self.status,
            home_floor_id: self.home_floor_id,
            tag: self.tag,
            deleted: self.deleted,
            sort: self.sort,
            ..CustomerQuery::default()
        })
    }
}

/// The products list's filters and the file type.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProductsExportQuery {
    /// `csv` (the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
    /// Search text: name, tag number (SKU), HUID, category, metal or purity, with
    /// weights and karats read as filters ("22 carat bangle around 20 grams").
    pub q: Option<String>,
    /// `22K`, `18K`, `925`… (searches the index).
    pub purity: Option<String>,
    /// Gross weight bounds in milligrams, inclusive (searches the index).
    pub min_weight_mg: Option<i64>,
    pub max_weight_mg: Option<i64>,
    pub floor_id: Option<Uuid>,
    pub metal: Option<Metal>,
    pub category_id: Option<Uuid>,
    pub in_stock: Option<bool>,
    /// `true` lists removed products instead (admins only).
    pub deleted: Option<bool>,
    /// `newest` (default), `oldest`, `name`, `-name`, `sku` or `-sku`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(newest|-created|oldest|created|name|-name|sku|-sku)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub sort: Option<String>,
}

impl ProductsExportQuery {
    fn list(self) -> ListExport {
        ListExport::Products(ProductQuery {
            q: self.q,
            purity: self.purity,
            min_weight_mg: self.min_weight_mg,
            max_weight_mg: self.max_weight_mg,
            floor_id: self.floor_id,
            metal: self.metal,
            category_id: self.category_id,
            in_stock: self.in_stock,
            deleted: self.deleted,
            sort: self.sort,
            ..ProductQuery::default()
        })
    }
}

/// The sales register's filters and the file type.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SalesExportQuery {
    /// `csv` (the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
    /// First day, `YYYY-MM-DD` in the store's time zone (inclusive). A completed bill
    /// is dated by its completion, any other by when it was drawn up.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub to: Option<String>,
    /// A floor's id (an admin's choice; a Floor Manager sees their own floor anyway).
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub floor_id: Option<String>,
    /// The id of the member of staff who drew the bill up.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub salesperson_id: Option<String>,
    /// `PENDING`, `COMPLETED`, `CANCELLED` or `REFUNDED`.
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Pp][Ee][Nn][Dd][Iiı][Nn][Gg]|[Cc][Oo][Mm][Pp][Ll][Ee][Tt][Ee][Dd]|[Cc][Aa][Nn][Cc][Ee][Ll][Ll][Ee][Dd]|[Rr][Ee][Ff][Uu][Nn][Dd][Ee][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub status: Option<String>,
    /// Bills with at least one payment of this kind: `CASH`, `CARD`, `UPI`…
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Cc][Aa][Ssſ][Hh]|[Uu][Pp][Iiı]|[Cc][Aa][Rr][Dd]|[Bb][Aa][Nn][Kk]_[Tt][Rr][Aa][Nn][Ssſ][Ff][Ee][Rr]|[Oo][Ll][Dd]_[Gg][Oo][Ll][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub payment: Option<String>,
    /// An invoice number whole or its start (`SJ/26-27/000123`, `SJ/26-27/`, or one
    /// numbered before the short year form, `SJ/2026-27/00123`), or its serial alone
    /// (`000123`, `123`); any case.
    #[param(max_length = 40)]
    pub invoice: Option<String>,
}

impl SalesExportQuery {
    fn list(self) -> Result<ListExport, AppError> {
        let filter = SalesFilterText {
            from: self.from,
            to: self.to,
            floor_id: self.floor_id,
            salesperson_id: self.salesperson_id,
            status: self.status,
            payment: self.payment,
            invoice: self.invoice,
        }
        .parse()?;
        Ok(ListExport::Sales(filter))
    }
}

/// The follow-ups list's filters and the file type.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FollowUpsExportQuery {
    /// `csv` (the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
    pub owner_id: Option<Uuid>,
    /// A Floor Manager may give only their own floor.
    pub floor_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Open ones (PENDING and RESCHEDULED) when left out. COMPLETED and CANCELLED are
    /// listed for one customer: give `customer_id` with them.
    pub status: Option<FollowUpStatus>,
    /// RFC 3339: due at or after this time.
    pub due_after: Option<String>,
    /// RFC 3339: due before this time.
    pub due_before: Option<String>,
}

impl FollowUpsExportQuery {
    fn list(self) -> ListExport {
        ListExport::FollowUps(FollowUpQuery {
            owner_id: self.owner_id,
            floor_id: self.floor_id,
            customer_id: self.customer_id,
            status: self.status,
            due_after: self.due_after,
            due_before: self.due_before,
            ..FollowUpQuery::default()
        })
    }
}

async fn send(
    state: &AppState,
    actor: crate::app::Actor,
    list: ListExport,
    format: Option<ExportFormat>,
) -> Result<Response, AppError> {
    let format = format.unwrap_or_default();
    Ok(export_response(&state.crm, &state.exports, actor, list, format).await?)
}

/// Every customer the list shows under these filters, as a file (`format=csv` or
/// `xlsx`); a search (`q`) exports its matches, best first.
#[utoipa::path(get, path = "/api/customers/export", tag = "customers", params(CustomersExportQuery),
    responses(
        (status = 200, description = "The customers as a file, named in `Content-Disposition`",
            content((String = "text/csv; charset=utf-8"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn export_customers(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<CustomersExportQuery>,
) -> Result<Response, AppError> {
    let format = query.format;
    send(&state, actor, query.list(), format).await
}

/// Every product the catalogue list shows under these filters, as a file.
#[utoipa::path(get, path = "/api/products/export", tag = "products", params(ProductsExportQuery),
    responses(
        (status = 200, description = "The products as a file, named in `Content-Disposition`",
            content((String = "text/csv; charset=utf-8"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn export_products(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ProductsExportQuery>,
) -> Result<Response, AppError> {
    let format = query.format;
    send(&state, actor, query.list(), format).await
}

/// Every sale the register shows under these filters, newest first, as a file: a
/// Floor Manager's floor, or the whole store for an admin.
#[utoipa::path(get, path = "/api/sales/export", tag = "sales", params(SalesExportQuery),
    responses(
        (status = 200, description = "The sales as a file, named in `Content-Disposition`",
            content((String = "text/csv; charset=utf-8"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 429, body = Problem)))]
pub async fn export_sales(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<SalesExportQuery>,
) -> Result<Response, AppError> {
    let format = query.format;
    let list = query.list()?;
    send(&state, actor, list, format).await
}

/// Every follow-up the list shows under these filters, soonest due first, as a file.
#[utoipa::path(get, path = "/api/follow-ups/export", tag = "activity", params(FollowUpsExportQuery),
    responses(
        (status = 200, description = "The follow-ups as a file, named in `Content-Disposition`",
            content((String = "text/csv; charset=utf-8"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn export_follow_ups(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<FollowUpsExportQuery>,
) -> Result<Response, AppError> {
    let format = query.format;
    send(&state, actor, query.list(), format).await
}
