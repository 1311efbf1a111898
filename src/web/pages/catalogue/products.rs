//! The catalogue page: products as a grid of cards (each with its cover photo) or a
//! table, with active search, filters, sort and pages. The product's own page and its
//! forms are in `product_page`.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::category_tree::category_options;
use super::product_photos::picture;
use crate::app::ProductQuery;
use crate::domain::{
    FieldErrors, Floor, FloorId, InvalidValue, Metal, PriceToday, Product, ProductId, StoredFile,
};
use crate::store::{Deleted, Page};
use crate::web::AppState;
use crate::web::pages::exports::{PRODUCT_FILTERS, download_links};
use crate::web::pages::shell::components::{done_notice, icon, pagination, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::{label, price_today_text};
use crate::web::pages::shell::forms::{Choices, list_status, listed, wants_results};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

/// Cards fill rows of 2 on a phone and 4 on an upright tablet; 48 leaves neither
/// half-empty, and is one look at the catalogue's page on a tablet.
const PER_PAGE: u32 = 48;

/// How wide a card's photo is drawn, for `sizes` (`.product-grid`: two cards to a row
/// on a phone, four on an upright tablet, about 190 px each beside the menu): the
/// browser takes the 240 px copy on a tablet, not one four times the bytes.
const GRID_SIZES: &str =
    "(max-width: 480px) calc(50vw - 1.5rem), (max-width: 1099px) calc(25vw - 1.5rem), 200px";

/// The filters kept in page links, besides the page itself.
const KEPT: &[&str] = &[
    "q",
    "metal",
    "purity",
    "floor_id",
    "category_id",
    "in_stock",
    "sort",
    "view",
];

/// The list's filters, read from the address as typed; a value that cannot be read is
/// reported on the page rather than refused.
fn query_of(params: &FormData, errors: &mut FieldErrors) -> ProductQuery {
    let id = |field: &str, errors: &mut FieldErrors| {
        params.text(field).and_then(|raw| {
            errors.check(
                field,
                uuid::Uuid::parse_str(&raw)
                    .map_err(|_| InvalidValue::new("choose one from the list")),
            )
        })
    };
    ProductQuery {
        q: params.text("q"),
        purity: params.text("purity"),
        min_weight_mg: None,
        max_weight_mg: None,
        floor_id: id("floor_id", errors),
        metal: params
            .text("metal")
            .and_then(|m| errors.check("metal", m.parse::<Metal>())),
        category_id: id("category_id", errors),
        in_stock: params.checked("in_stock").then_some(true),
        deleted: None,
        sort: params.text("sort"),
        page: params.text("page").and_then(|p| {
            errors.check(
                "page",
                p.parse::<u32>()
                    .map_err(|_| InvalidValue::new("is not a page number")),
            )
        }),
        per_page: Some(PER_PAGE),
        limit: None,
        cursor: None,
    }
}

fn is_list_view(params: &FormData) -> bool {
    params.get("view") == Some("list")
}

/// Whether this person may add products at all: on every floor, or on their own.
fn may_add(viewer: &Viewer) -> bool {
    viewer.actor.works_on_a_floor()
}

fn options(first: &str, items: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_owned()))
        .chain(items)
        .collect()
}

/// `GET /products`
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let query = query_of(&params, &mut errors);
    let actor = viewer.actor.clone();
    let grid = !is_list_view(&params);
    let (choices, result, prices, covers) = state
        .crm
        .run(move |crm| {
            let choices = Choices {
                floors: crm.list_floors(&actor, Deleted::Hide)?,
                categories: crm.list_categories(&actor)?,
            };
            let result = crm.list_products(&actor, &query);
            let (prices, covers) = match &result {
                Ok(page) => {
                    let ids: Vec<ProductId> = page.items.iter().map(|p| p.id).collect();
                    let covers = if grid {
                        crm.cover_photos(&actor, &ids)?
                    } else {
                        HashMap::new()
                    };
                    (crm.prices_today(&actor, &page.items)?, covers)
                }
                Err(_) => (Vec::new(), HashMap::new()),
            };
            Ok((choices, result, prices, covers))
        })
        .await?;
    let page_result = listed(result, &mut errors)?;
    let shown = Shown {
        page: page_result.as_ref(),
        prices: &prices,
        covers: &covers,
        choices: &choices,
        errors: &errors,
    };
    let results = results(&viewer, &params, &shown);
    let status = list_status(&errors);
    if wants_results(&headers) {
        return Ok((status, results).into_response());
    }
    let content = html! {
        @if params.get("done") == Some("deleted") {
            // Products have no restore yet, so the shared "an admin can restore it" would mislead.
            div.alert.success role="status" #done-notice { "Removed from the catalogue." }
        } @else {
            (done_notice(params.get("done")))
        }
        (filters(&params, &choices))
        // The pieces, their stock and their prices at today's rates follow changes made
        // elsewhere; the address (kept current by the filters) says which to draw.
        (Region::new("products-live", &[Kind::Product, Kind::Rate, Kind::Category]).wrap(results))
    };
    let actions = html! {
        @if may_add(&viewer) {
            a.button #import-products href=(paths::imports().with("kind", "products")) { "Import" }
            a.button.primary #add-product href=(paths::new_product()) { (icon("plus")) "Add product" }
        }
    };
    Ok((status, page(&viewer, "Products", actions, content)).into_response())
}

/// The search box and filters; htmx sends them as they change and swaps the results.
fn filters(params: &FormData, choices: &Choices) -> Markup {
    let floor_options = options(
        "All floors",
        choices
            .floors
            .iter()
            .map(|f| (f.id.as_uuid().to_string(), f.name.as_str().to_owned())),
    );
    let metal_options = options(
        "Any metal",
        Metal::ALL
            .iter()
            .map(|m| (m.as_str().to_owned(), m.label().to_owned())),
    );
    let category_options = category_options(&choices.categories, "All categories");
    let sort_options: Vec<(String, String)> = [
        ("newest", "Newest first"),
        ("oldest", "Oldest first"),
        ("name", "Name A–Z"),
        ("-name", "Name Z–A"),
        ("sku", "Tag number 0–9"),
        ("-sku", "Tag number 9–0"),
    ]
    .iter()
    .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
    .collect();
    let no_errors = FieldErrors::new();
    html! {
        form.filters #product-filters method="get" action=(paths::products())
            hx-get=(paths::products()) hx-target="#results" hx-swap="outerHTML" hx-push-url="true"
            hx-trigger="input changed delay:250ms from:#list-search, input changed delay:250ms from:#list-purity, change, submit" {
            input type="hidden" name="view" value=(if is_list_view(params) { "list" } else { "grid" });
            div.field.search-field {
                label for="list-search" { "Search" }
                input #list-search type="search" name="q" value=(params.get("q").unwrap_or(""))
                    placeholder="Name, tag number, HUID, “22K bangle 20 g”…" autocomplete="off";
            }
            (select("metal", "Metal", &metal_options, params.get("metal").unwrap_or(""), &no_errors))
            div.field {
                label for="list-purity" { "Purity" }
                input #list-purity type="text" name="purity" value=(params.get("purity").unwrap_or(""))
                    placeholder="22K, 925…" autocomplete="off";
            }
            (select("floor_id", "Floor", &floor_options, params.get("floor_id").unwrap_or(""), &no_errors))
            (select("category_id", "Category", &category_options, params.get("category_id").unwrap_or(""), &no_errors))
            (select("sort", "Order", &sort_options, params.get("sort").unwrap_or("newest"), &no_errors))
            label.chip.toggle {
                input type="checkbox" name="in_stock" value="true" checked[params.checked("in_stock")];
                span { "In stock only" }
            }
            noscript { button.button type="submit" { "Apply" } }
        }
    }
}

/// `/products` with the current filters, and `extra` pairs replacing any of the same name.
fn list_address(params: &FormData, extra: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, String)> = KEPT
        .iter()
        .filter(|k| !extra.iter().any(|(e, _)| e == *k))
        .filter_map(|k| params.text(k).map(|v| (*k, v)))
        .chain(extra.iter().map(|(k, v)| (*k, (*v).to_owned())))
        .collect();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    paths::products().with_query(&query).into()
}

pub fn floor_name(floors: &[Floor], id: FloorId) -> &str {
    floors
        .iter()
        .find(|f| f.id == id)
        .map_or("—", |f| f.name.as_str())
}

pub fn stock_badge(p: &Product) -> Markup {
    html! {
        @if p.stock_qty == 0 {
            span.badge.warn { (icon("out-of-stock")) "Out of stock" }
        } @else {
            span.badge.ok { (p.stock_qty) " in stock" }
        }
        @if !p.active { " " span.badge.inactive { "Inactive" } }
    }
}

/// What the results show: a page of products (none when the filters could not be
/// read), each one's price today in the same order, the floors, and the filters' errors.
struct Shown<'a> {
    page: Option<&'a Page<Product>>,
    prices: &'a [Option<PriceToday>],
    /// The cover photo of each product on the page that has one (the grid only).
    covers: &'a HashMap<ProductId, StoredFile>,
    choices: &'a Choices,
    errors: &'a FieldErrors,
}

fn results(viewer: &Viewer, params: &FormData, shown: &Shown<'_>) -> Markup {
    let Shown {
        page,
        prices,
        covers,
        choices,
        errors,
    } = *shown;
    let list_view = is_list_view(params);
    let filtered = KEPT
        .iter()
        .any(|k| *k != "sort" && *k != "view" && params.text(k).is_some());
    html! {
        // The answer is a whole `#results`, so it replaces this one (pagination inherits the swap).
        div #results hx-swap="outerHTML" aria-live="polite" {
            @if !errors.is_empty() {
                div.alert.error role="alert" {
                    @for (field, message) in errors.iter() { p { (label(field)) ": " (message) } }
                }
            }
            nav.view-toggle aria-label="Show as" {
                a.button #view-grid href=(list_address(params, &[("view", "grid")]))
                    aria-current=[(!list_view).then_some("true")] { (icon("grid")) "Cards" }
                a.button #view-list href=(list_address(params, &[("view", "list")]))
                    aria-current=[list_view.then_some("true")] { (icon("list")) "Table" }
            }
            @if let Some(page) = page {
                @if page.items.is_empty() {
                    div.empty {
                        @if filtered { p { "No products match these filters." } }
                        @else { p { "The catalogue is empty." } }
                        @if may_add(viewer) {
                            p { a.button.primary href=(paths::new_product()) { (icon("plus")) "Add a product" } }
                        }
                    }
                } @else if list_view {
                    (table(&page.items, prices, &choices.floors))
                } @else {
                    div.product-grid #product-grid {
                        @for (p, price) in page.items.iter().zip(prices) { (card(p, price.as_ref(), covers.get(&p.id), &choices.floors)) }
                    }
                }
                (pagination(&list_address(params, &[]), page.page, page.has_more, page.total, page.per_page))
                (download_links(paths::products_export(), params, PRODUCT_FILTERS, page.total))
            }
        }
    }
}

/// A product as a card: its cover photo (or the gem where it has none), name, tag
/// number, metal and weight, floor, stock and price today.
fn card(
    p: &Product,
    price: Option<&PriceToday>,
    cover: Option<&StoredFile>,
    floors: &[Floor],
) -> Markup {
    html! {
        a.product-card href=(paths::product(p.id)) {
            span.product-photo {
                @if let Some(cover) = cover {
                    (picture(cover, p.name.as_str(), GRID_SIZES))
                } @else {
                    span.no-photo title="No photo yet" { (icon("gem")) }
                }
            }
            span.product-body {
                span.product-name { (p.name.as_str()) }
                span.product-meta.code { (p.sku.as_str()) }
                span.product-meta { (p.metal.label()) " " (p.purity.label()) " · " (p.gross_weight.to_string()) }
                span.product-meta { (floor_name(floors, p.floor_id)) }
                span.product-meta { (stock_badge(p)) }
                span.product-price.nowrap { (price_today_text(price)) }
                span.product-meta { "Price today, GST included" }
            }
        }
    }
}

fn table(items: &[Product], prices: &[Option<PriceToday>], floors: &[Floor]) -> Markup {
    html! {
        table.list #product-list {
            thead { tr {
                th scope="col" { "Product" }
                th scope="col" { "Metal" }
                th scope="col" .num { "Gross weight" }
                th scope="col" { "Stock" }
                th scope="col" .hide-narrow { "Floor" }
                th scope="col" .num.hide-narrow { "Fixed price" }
                th scope="col" .num { "Price today" }
            } }
            tbody {
                @for (p, price) in items.iter().zip(prices) {
                    tr {
                        td {
                            a.row-link href=(paths::product(p.id)) { (p.name.as_str()) }
                            span.sub { (p.sku.as_str()) }
                        }
                        td.nowrap { (p.metal.label()) " " (p.purity.label()) }
                        td.num.nowrap { (p.gross_weight.to_string()) }
                        td { (stock_badge(p)) }
                        td.hide-narrow { (floor_name(floors, p.floor_id)) }
                        td.num.nowrap.hide-narrow { (p.fixed_price.map_or("—".to_owned(), |f| f.to_string())) }
                        td.num.nowrap.price-today { (price_today_text(price.as_ref())) }
                    }
                }
            }
        }
    }
}
