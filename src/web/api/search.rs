//! `/api/search/suggest`: what the global search box offers as someone types.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// What has been typed so far.
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// `customer` or `product`.
    pub kind: &'static str,
    pub id: Uuid,
    /// The customer's name, or the product's name.
    pub title: String,
    /// Code, phone and locality of a customer; tag number, purity and weight of a product.
    pub subtitle: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionsJson {
    /// Customers first, then products, each best first.
    pub items: Vec<Suggestion>,
}

/// The top few customers and products for the text typed so far.
#[utoipa::path(get, path = "/api/search/suggest", tag = "search", params(SuggestQuery),
    responses((status = 200, body = SuggestionsJson), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn suggest(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<SuggestQuery>,
) -> Result<Json<SuggestionsJson>, AppError> {
    let text = query.q.unwrap_or_default();
    let found = state.crm.run(move |crm| crm.suggest(&actor, &text)).await?;
    let customers = found.customers.into_iter().map(|c| {
        let mut subtitle = format!("{} · {}", c.code(), c.phone);
        if !c.address.locality.is_empty() {
            subtitle.push_str(&format!(" · {}", c.address.locality));
        }
        Suggestion {
            kind: "customer",
            id: c.id.as_uuid(),
            title: c.name.to_string(),
            subtitle,
        }
    });
    let products = found.products.into_iter().map(|p| Suggestion {
        kind: "product",
        id: p.id.as_uuid(),
        title: p.name.to_string(),
        subtitle: format!("{} · {} · {}", p.sku, p.purity, p.gross_weight),
    });
    Ok(Json(SuggestionsJson {
        items: customers.chain(products).collect(),
    }))
}
