//! The global search box's suggestions: the best few customers and products (with
//! today's price) for what has been typed so far, as a list of links.

use axum::extract::{Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::price_today_text;
use crate::web::pages::shell::session::Viewer;
use crate::web::paths;

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
    let (found, prices) = state
        .crm
        .run(move |crm| {
            let found = crm.suggest(&actor, &text)?;
            let prices = crm.prices_today(&actor, &found.products)?;
            Ok((found, prices))
        })
        .await?;
    Ok(html! {
        div.suggestion-list role="listbox" aria-label="Suggestions" {
            @if found.customers.is_empty() && found.products.is_empty() {
                p.suggestion-empty { "Nothing found for “" (shown) "”." }
            }
            @if !found.customers.is_empty() {
                p.suggestion-group { "Customers" }
                @for c in &found.customers {
                    a.suggestion role="option" href=(paths::customer(c.id)) {
                        span.suggestion-title { (c.name.as_str()) }
                        span.sub { (c.code()) " · " (c.phone.to_string()) }
                    }
                }
            }
            @if !found.products.is_empty() {
                p.suggestion-group { "Products" }
                @for (p, price) in found.products.iter().zip(&prices) {
                    a.suggestion role="option" href=(paths::product(p.id)) {
                        span.suggestion-title { (p.name.as_str()) }
                        span.sub {
                            (p.sku.as_str()) " · " (p.purity.to_string()) " · " (p.gross_weight.to_string())
                            " · " span.nowrap.price-today { (price_today_text(price.as_ref())) }
                        }
                    }
                }
            }
            a.suggestion.all href=(paths::customers().with("q", &shown)) { "All customers matching “" (shown) "”" }
        }
    })
}
