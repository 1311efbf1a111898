//! The lists' "Download CSV" / "Download Excel" links and the page-side routes they
//! point at (`/customers/export`, `/products/export`, `/sales/export`), which take the
//! list page's own filters and send the same streamed file as the API
//! (`web::exports`), with the signed-in session deciding what is in it.
//!
//! The download is an ordinary link: the browser shows its own progress as the file
//! streams in, and the page shows "Preparing N rows…" beside the link once it is
//! followed (plain CSS, no script), so the owner sees that something is happening.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};

use crate::app::{CustomerQuery, Error, ListExport, ProductQuery, SalesFilterText};
use crate::domain::{CustomerStatus, FieldErrors, Metal};
use crate::reports::ExportFormat;
use crate::web::AppState;
use crate::web::exports::export_response;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths::{CUSTOMERS_EXPORT, Link, PRODUCTS_EXPORT, SALES_EXPORT};

/// The filters each list page keeps in its address, which its export takes too.
pub const CUSTOMER_FILTERS: &[&str] = &["q", "status", "home_floor_id", "tag", "sort", "deleted"];
pub const PRODUCT_FILTERS: &[&str] = &[
    "q",
    "purity",
    "min_weight_mg",
    "max_weight_mg",
    "floor_id",
    "metal",
    "category_id",
    "in_stock",
    "sort",
    "deleted",
];
pub const SALES_FILTERS: &[&str] = &[
    "from",
    "to",
    "floor_id",
    "salesperson_id",
    "status",
    "payment",
    "invoice",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(CUSTOMERS_EXPORT, get(customers))
        .route(PRODUCTS_EXPORT, get(products))
        .route(SALES_EXPORT, get(sales))
}

/// The two download links of a list shown under `params`, and the notice shown once
/// one is followed; `rows` is how many the list holds, when known.
pub fn download_links(
    export: Link,
    params: &FormData,
    filters: &[&str],
    rows: Option<u64>,
) -> Markup {
    let kept: Vec<(&str, String)> = filters
        .iter()
        .filter_map(|k| params.text(k).map(|v| (*k, v)))
        .collect();
    let address = |format: &str| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("format", format)
            .extend_pairs(kept.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        export.clone().with_query(&query)
    };
    let preparing = match rows {
        Some(1) => "Preparing 1 row… the download starts in a moment.".to_owned(),
        Some(n) => format!("Preparing {n} rows… the download starts in a moment."),
        None => "Preparing the file… the download starts in a moment.".to_owned(),
    };
    html! {
        div.downloads {
            a.button #download-csv href=(address("csv")) download { "Download CSV" }
            a.button #download-xlsx href=(address("xlsx")) download { "Download Excel" }
            p.export-notice role="status" { (preparing) }
        }
    }
}

/// `format` from the address: `csv` unless it says `xlsx`; anything else is refused.
fn format_of(params: &FormData) -> Result<ExportFormat, Error> {
    match params.text("format") {
        None => Ok(ExportFormat::Csv),
        Some(text) => text.parse().map_err(|message: String| {
            let mut errors = FieldErrors::new();
            errors.add("format", message);
            Error::BadQuery(errors)
        }),
    }
}

fn uuid_of(params: &FormData, name: &str, errors: &mut FieldErrors) -> Option<uuid::Uuid> {
    params.text(name).and_then(|t| {
        errors.check(
            name,
            uuid::Uuid::try_parse(&t)
                .map_err(|_| crate::domain::InvalidValue::new("is not an id from this site")),
        )
    })
}

fn number_of(params: &FormData, name: &str, errors: &mut FieldErrors) -> Option<i64> {
    params.text(name).and_then(|t| {
        errors.check(
            name,
            t.parse()
                .map_err(|_| crate::domain::InvalidValue::new("is not a whole number")),
        )
    })
}

async fn send(
    state: &AppState,
    viewer: Viewer,
    list: ListExport,
    format: ExportFormat,
) -> Result<Response, PageError> {
    Ok(export_response(&state.crm, &state.exports, viewer.actor, list, format).await?)
}

/// `GET /customers/export`
async fn customers(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let format = format_of(&params)?;
    let mut errors = FieldErrors::new();
    let query = CustomerQuery {
        q: params.text("q"),
        status: params
            .text("status")
            .and_then(|s| errors.check("status", s.parse::<CustomerStatus>())),
        home_floor_id: uuid_of(&params, "home_floor_id", &mut errors),
        tag: params.text("tag"),
        deleted: params.checked("deleted").then_some(true),
        sort: params.text("sort"),
        ..CustomerQuery::default()
    };
    errors.into_result().map_err(Error::BadQuery)?;
    send(&state, viewer, ListExport::Customers(query), format).await
}

/// `GET /products/export`
async fn products(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let format = format_of(&params)?;
    let mut errors = FieldErrors::new();
    let query = ProductQuery {
        q: params.text("q"),
        purity: params.text("purity"),
        min_weight_mg: number_of(&params, "min_weight_mg", &mut errors),
        max_weight_mg: number_of(&params, "max_weight_mg", &mut errors),
        floor_id: uuid_of(&params, "floor_id", &mut errors),
        metal: params
            .text("metal")
            .and_then(|m| errors.check("metal", m.parse::<Metal>())),
        category_id: uuid_of(&params, "category_id", &mut errors),
        in_stock: params.checked("in_stock").then_some(true),
        deleted: params.checked("deleted").then_some(true),
        sort: params.text("sort"),
        ..ProductQuery::default()
    };
    errors.into_result().map_err(Error::BadQuery)?;
    send(&state, viewer, ListExport::Products(query), format).await
}

/// `GET /sales/export`
async fn sales(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let format = format_of(&params)?;
    let filter = SalesFilterText {
        from: params.text("from"),
        to: params.text("to"),
        floor_id: params.text("floor_id"),
        salesperson_id: params.text("salesperson_id"),
        status: params.text("status"),
        payment: params.text("payment"),
        invoice: params.text("invoice"),
    }
    .parse()?;
    send(&state, viewer, ListExport::Sales(filter), format).await
}
