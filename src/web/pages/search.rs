//! The global search box's suggestions: the best few customers and products for what
//! has been typed so far, as a list of links.

use axum::extract::{Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::PageError;
use super::session::Viewer;
use crate::web::AppState;

#[derive(Debug, Deserialize)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

/// `GET /search/suggest?q=`: a fragment for the box's drop-down.
pub async fn suggest(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SuggestQuery>,
) -> Result<Markup, PageError> {
    let text = query.q.trim().to_owned();
    if text.is_empty() {
        return Ok(html! {});
    }
    let actor = viewer.actor;
    let shown = text.clone();
    let found = state.crm.run(move |crm| crm.suggest(&actor, &text)).await?;
    let encoded: String = form_urlencoded::byte_serialize(shown.as_bytes()).collect();
    Ok(html! {
        div.suggestion-list role="listbox" aria-label="Suggestions" {
            @if found.customers.is_empty() && found.products.is_empty() {
                p.suggestion-empty { "Nothing found for “" (shown) "”." }
            }
            @if !found.customers.is_empty() {
                p.suggestion-group { "Customers" }
                @for c in &found.customers {
                    a.suggestion role="option" href=(format!("/customers/{}", c.id.as_uuid())) {
                        span.suggestion-title { (c.name.as_str()) }
                        span.sub { (c.code()) " · " (c.phone.to_string()) }
                    }
                }
            }
            @if !found.products.is_empty() {
                p.suggestion-group { "Products" }
                @for p in &found.products {
                    a.suggestion role="option" href=(format!("/products/{}", p.id.as_uuid())) {
                        span.suggestion-title { (p.name.as_str()) }
                        span.sub { (p.sku.as_str()) " · " (p.purity.to_string()) " · " (p.gross_weight.to_string()) }
                    }
                }
            }
            a.suggestion.all href=(format!("/customers?q={encoded}")) { "All customers matching “" (shown) "”" }
        }
    })
}
