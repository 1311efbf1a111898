//! `GET /api/sales` and `GET /api/sales/totals`: the sales register, filtered, and what
//! every sale matching the same filters adds up to.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::sales::SaleJson;
use super::views::ListJson;
use crate::app::{Cursor, Paging, RegisterTotals, SalesFilterText};
use crate::domain::SaleId;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

/// A query string cannot be flattened into a struct (serde would lose the numbers'
/// types), so the filters are repeated here and handed to [`SalesFilterText`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SalesQuery {
    /// How many, 1 to 200 (default 25).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
    /// Older alias of `cursor`: only sales older than this one (the `id` of the last
    /// sale of the previous page).
    pub before: Option<Uuid>,
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
    /// A floor's id. A Floor Manager sees only their own floor; naming another is 403.
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
    /// Bills with at least one payment of this kind (`CASH`, `CARD`, `UPI`…).
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

impl SalesQuery {
    fn filter(&self) -> SalesFilterText {
        SalesFilterText {
            from: self.from.clone(),
            to: self.to.clone(),
            floor_id: self.floor_id.clone(),
            salesperson_id: self.salesperson_id.clone(),
            status: self.status.clone(),
            payment: self.payment.clone(),
            invoice: self.invoice.clone(),
        }
    }
}

/// The sales register, newest first: a Floor Manager's floor, or the whole store for
/// an admin, narrowed by the filters given. `total` counts every matching sale.
#[utoipa::path(get, path = "/api/sales", tag = "sales", params(SalesQuery),
    responses((status = 200, body = ListJson<SaleJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_sales(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<SalesQuery>,
) -> Result<Json<ListJson<SaleJson>>, AppError> {
    let paging = Paging {
        limit: query.limit,
        cursor: query.cursor.as_deref(),
        ..Paging::default()
    };
    let (before, limit) = paging.before(query.before)?;
    let filter = query.filter().parse()?;
    let register = state
        .crm
        .run(move |crm| {
            crm.sales_register(
                &actor,
                &filter,
                before.map(SaleId::from_uuid),
                limit as usize,
            )
        })
        .await?;
    Ok(Json(ListJson {
        items: register
            .rows
            .into_iter()
            .map(|r| SaleJson::from(r.sale))
            .collect(),
        total: Some(register.totals.bills),
        next: register
            .older
            .map(|id| Cursor::Before(id.as_uuid()).encode()),
    }))
}

/// What the sales matching the filters add up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SalesTotalsJson {
    /// Every matching bill, whatever its status.
    pub bills: u64,
    /// The matching bills that were invoiced: completed, or refunded since.
    pub invoiced: u64,
    /// The amount payable of the invoiced bills added up. Pending and cancelled bills
    /// are left out.
    pub payable_paise: i64,
    /// What refunds paid back on those bills.
    pub refunded_paise: i64,
    /// The cash the store kept on those bills: cash tendered less change given.
    pub cash_paise: i64,
}

impl From<RegisterTotals> for SalesTotalsJson {
    fn from(t: RegisterTotals) -> Self {
        Self {
            bills: t.bills,
            invoiced: t.invoiced,
            payable_paise: t.payable.get(),
            refunded_paise: t.refunded.get(),
            cash_paise: t.cash.get(),
        }
    }
}

/// The filters of `GET /api/sales`, without its paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SalesTotalsQuery {
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub from: Option<String>,
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub to: Option<String>,
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub floor_id: Option<String>,
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub salesperson_id: Option<String>,
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Pp][Ee][Nn][Dd][Iiı][Nn][Gg]|[Cc][Oo][Mm][Pp][Ll][Ee][Tt][Ee][Dd]|[Cc][Aa][Nn][Cc][Ee][Ll][Ll][Ee][Dd]|[Rr][Ee][Ff][Uu][Nn][Dd][Ee][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub status: Option<String>,
    #[param(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([Cc][Aa][Ssſ][Hh]|[Uu][Pp][Iiı]|[Cc][Aa][Rr][Dd]|[Bb][Aa][Nn][Kk]_[Tt][Rr][Aa][Nn][Ssſ][Ff][Ee][Rr]|[Oo][Ll][Dd]_[Gg][Oo][Ll][Dd])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub payment: Option<String>,
    #[param(max_length = 40)]
    pub invoice: Option<String>,
}

/// The totals of every sale `GET /api/sales` would list with the same filters, across
/// all its pages.
#[utoipa::path(get, path = "/api/sales/totals", tag = "sales", params(SalesTotalsQuery),
    responses((status = 200, body = SalesTotalsJson), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn sales_totals(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<SalesTotalsQuery>,
) -> Result<Json<SalesTotalsJson>, AppError> {
    let filter = SalesFilterText {
        from: query.from,
        to: query.to,
        floor_id: query.floor_id,
        salesperson_id: query.salesperson_id,
        status: query.status,
        payment: query.payment,
        invoice: query.invoice,
    }
    .parse()?;
    let register = state
        .crm
        .run(move |crm| crm.sales_register(&actor, &filter, None, 0))
        .await?;
    Ok(Json(register.totals.into()))
}
