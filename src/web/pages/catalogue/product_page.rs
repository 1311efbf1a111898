//! The product's own page, and adding, editing and removing a product through the
//! form in `product_form`, with the same `app` calls as `/api/products`. Its photos are
//! drawn and changed by `product_photos`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::product_form;
use super::product_photos::{self, Said};
use crate::app::{Error, ProductInput, ProductOverview};
use crate::domain::{
    Category, FieldErrors, Floor, MakingCharge, PriceToday, Product, ProductId, StoredFile,
};
use crate::web::AppState;
use crate::web::pages::catalogue::category_tree::category_path;
use crate::web::pages::catalogue::products::{floor_name, stock_badge};
use crate::web::pages::shell::components::{confirm_dialog, done_notice, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::file_form::Refusal;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, act, redirect_to};
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::{Target, choices};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region, Watched};
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

/// The product form in its page, with the store's floors and categories to choose from.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    title: &str,
    target: Target,
    draft: &FormData,
    errors: &FieldErrors,
) -> Result<Markup, PageError> {
    let choices = choices(state, viewer).await?;
    let form = product_form::render(target, &viewer.actor, &viewer.csrf, draft, errors, &choices);
    Ok(page(viewer, title, html! {}, form))
}

/// The edit form of `id`: it posts to the product's page, and says so when the product is
/// changed on another tablet while it is open.
fn editing(id: ProductId) -> Target {
    Target::editing(paths::product(id)).watching(Watched {
        id: id.as_uuid(),
        kind: Kind::Product,
        noun: "product",
        edit: paths::edit_product(id),
    })
}

/// The form that adds a product.
fn new_product() -> Target {
    Target::adding(paths::products(), "Save product")
}

/// `GET /products/new`
pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let draft = product_form::new_draft(&viewer.actor);
    form_page(
        &state,
        &viewer,
        "New product",
        new_product(),
        &draft,
        &FieldErrors::new(),
    )
    .await
}

/// `POST /products`
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    match product_flow(&state, &viewer, &form)
        .save(|crm, actor, input| crm.create_product(actor, input))
        .await?
    {
        Ok(product) => Ok(redirect_to(paths::product(product.id).done("created"))),
        Err(refused) => Ok(refused.show(
            form_page(
                &state,
                &viewer,
                "New product",
                new_product(),
                &form,
                &refused.errors,
            )
            .await?,
        )),
    }
}

/// What the product form typed, on its way to `app`: every problem found at once, a
/// clash shown beside the tag number.
fn product_flow<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    form: &FormData,
) -> FormFlow<'a, ProductInput> {
    let typed = Typed::read(|errors| product_form::input_from(form, errors));
    FormFlow::new(state, viewer, typed)
        .conflicts_on("sku")
        .checked_by(
            |crm, actor, input| crm.check_product(actor, input),
            product_form::form_errors,
        )
}

/// `GET /products/{id}`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let said = Said {
        done: params.get("done"),
        refused: None,
    };
    render(&state, &viewer, ProductId::from_uuid(id), said).await
}

/// The product's page after a photo was refused: the reason beside the photo form, with
/// the refusal's status (422, 413…), and nothing stored.
pub async fn refused_photo(
    state: &AppState,
    viewer: &Viewer,
    id: ProductId,
    refusal: &Refusal,
) -> Result<Response, PageError> {
    let said = Said {
        done: None,
        refused: Some(refusal),
    };
    let markup = render(state, viewer, id, said).await?;
    Ok((refusal.status, markup).into_response())
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: ProductId,
    said: Said<'_>,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let (overview, photos) = state
        .crm
        .run(move |crm| {
            let overview = crm.product_overview(&actor, id)?;
            Ok((overview, crm.product_photos(&actor, id)?))
        })
        .await?;
    let config = state.crm.config();
    let shown = Shown {
        overview: &overview,
        photos: &photos,
        said,
        max_photo_mb: config.files.photo_max_mb,
    };
    Ok(view(viewer, &shown, &config.time_zone()))
}

/// What the product's page shows.
struct Shown<'a> {
    overview: &'a ProductOverview,
    photos: &'a [StoredFile],
    /// What was just done (`?done=`), or why a photo was refused.
    said: Said<'a>,
    max_photo_mb: u64,
}

/// The product's page.
fn view(viewer: &Viewer, shown: &Shown<'_>, tz: &TimeZone) -> Markup {
    let overview = shown.overview;
    let p = &overview.product;
    let may_change = p.deleted_at.is_none() && viewer.actor.may_work_on(Some(p.floor_id));
    // Stock sold or changed on another tablet, and the price at a new rate, show here.
    let live = Region::new("product-live", &[Kind::Product, Kind::Rate])
        .about(p.id.as_uuid())
        .fetched_from(paths::product(p.id));
    // The photos' own notices are drawn beside them.
    let done = shown
        .said
        .done
        .filter(|d| !d.starts_with("photo") && *d != "cover");
    let content = html! {
        (done_notice(done))
        @if p.deleted_at.is_some() {
            div.alert.warning role="status" { "This product was removed. Only an admin can see this page." }
        }
        // The photos first: a piece is recognised by its picture before its tag number.
        (product_photos::section(viewer, p, shown.photos, may_change, shown.said, shown.max_photo_mb))
        (live.wrap(html! {
            div.detail-head {
                span.avatar aria-hidden="true" { (icon("gem")) }
                div {
                    p.code { (p.sku.as_str()) }
                    (stock_badge(p))
                    @if p.active { " " span.badge.active { "Active" } }
                }
            }
            div.cards {
                (piece_card(p, &overview.categories))
                section.card {
                    h2 { "Weight" }
                    dl {
                        dt { "Gross" } dd { (p.gross_weight.to_string()) }
                        dt { "Stones" } dd { (p.stone_weight.to_string()) }
                        dt { "Net (metal)" } dd { (p.net_weight().to_string()) }
                    }
                }
                (price_card(p, overview.price.as_ref()))
                (stock_card(p, &overview.floors, tz))
                @if !p.description.as_str().is_empty() {
                    section.card.wide {
                        h2 { "Description" }
                        p.notes { (p.description.as_str()) }
                    }
                }
            }
        }))
        @if may_change {
            (confirm_dialog(
                "delete-dialog",
                &format!("Remove {}?", p.name.as_str()),
                "It will disappear from the catalogue and search. Its sales history is kept.",
                &paths::delete_product(p.id),
                &viewer.csrf,
                ("Keep the product", "Remove product"),
            ))
        }
    };
    page(
        viewer,
        p.name.as_str(),
        actions(viewer, p, may_change),
        content,
    )
}

/// Sell (a live piece in stock on the viewer's floors), Edit and Remove.
fn actions(viewer: &Viewer, p: &Product, may_change: bool) -> Markup {
    html! {
        @if p.deleted_at.is_none() && p.active && p.stock_qty > 0 && viewer.actor.may_work_on(Some(p.floor_id)) {
            a.button.primary #sell-product href=(paths::new_sale().with("sku", p.sku.as_str())) { (icon("receipt")) "Sell" }
        }
        @if may_change {
            a.button #edit-product href=(paths::edit_product(p.id)) { (icon("pencil")) "Edit" }
            button.button.danger #delete-product type="button" data-open-dialog="delete-dialog" { (icon("trash")) "Remove" }
        }
    }
}

/// Tag number, HUID, metal, purity and category.
fn piece_card(p: &Product, categories: &[Category]) -> Markup {
    let category = p
        .category_id
        .and_then(|id| category_path(categories, id))
        .unwrap_or_else(|| "—".to_owned());
    html! {
        section.card {
            h2 { "The piece" }
            dl {
                dt { "Tag number (SKU)" } dd.code { (p.sku.as_str()) }
                dt { "HUID" } dd.code { (p.huid.as_ref().map_or("—", |h| h.as_str())) }
                dt { "Metal" } dd { (p.metal.label()) }
                dt { "Purity" } dd { (p.purity.label()) " (" (p.purity.fineness()) " fineness)" }
                dt { "Category" } dd { (category) }
            }
        }
    }
}

/// The price at today's rate, part by part, or why there is none yet.
fn price_card(p: &Product, price: Option<&PriceToday>) -> Markup {
    html! {
        section.card #price-today {
            h2 { "Price today" }
            dl {
                @match price {
                    Some(price) => {
                        @if let Some(rate) = price.rate_per_gram {
                            dt { "Rate" } dd { (rate.to_string()) " per gram of " (p.purity.label()) }
                            dt { "Metal" } dd { (price.metal_value.to_string()) }
                            dt { "Making" } dd { (price.making.to_string()) span.sub { (making_in_words(p.making_charge)) } }
                            dt { "Stones" } dd { (price.stones.to_string()) }
                        } @else {
                            dt { "Fixed price" } dd { (price.taxable.to_string()) }
                        }
                        dt { "GST 3%" } dd { (price.gst.total().to_string()) }
                        dt { strong { "Total" } } dd { strong.product-price #price-total { (price.total.to_string()) } }
                    }
                    None => {
                        dt { "Making charge" } dd { (making_in_words(p.making_charge)) }
                        dt { "Stone value" } dd { (p.stone_value.to_string()) }
                        dt { "Rate" } dd { span.hint { "No " (p.purity.label()) " rate is set today, so this piece has no price yet. " a href=(paths::rates()) { "Rates" } } }
                    }
                }
            }
        }
    }
}

fn stock_card(p: &Product, floors: &[Floor], tz: &TimeZone) -> Markup {
    html! {
        section.card {
            h2 { "Stock" }
            dl {
                dt { "Pieces in stock" } dd { (p.stock_qty) }
                dt { "Floor" } dd { (floor_name(floors, p.floor_id)) }
                dt { "On sale" } dd { @if p.active { "Yes" } @else { "No (inactive)" } }
                dt { "Added" } dd { (when(p.created_at, tz)) }
                dt { "Last changed" } dd { (when(p.updated_at, tz)) }
            }
        }
    }
}

/// The making charge as a sentence: `₹550.00 per gram of net weight`.
fn making_in_words(charge: MakingCharge) -> String {
    match charge {
        MakingCharge::PerGramPaise(rate) => format!("{rate} per gram of net weight"),
        MakingCharge::PercentBp(bp) => format!("{bp} of the metal value"),
        MakingCharge::FlatPaise(flat) => format!("{flat} per piece, whatever the weight"),
    }
}

/// `GET /products/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let product = state
        .crm
        .run(move |crm| crm.get_product(&actor, ProductId::from_uuid(id)))
        .await?;
    if product.deleted_at.is_some() {
        return Err(Error::NotFound("product").into());
    }
    viewer
        .actor
        .require_floor(Some(product.floor_id), "product")?;
    let target = editing(product.id);
    let title = format!("Edit {}", product.name.as_str());
    form_page(
        &state,
        &viewer,
        &title,
        target,
        &product_form::draft_of(&product),
        &FieldErrors::new(),
    )
    .await
}

/// `POST /products/{id}`: saves the edit form.
pub async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let product = ProductId::from_uuid(id);
    match product_flow(&state, &viewer, &form)
        .save(move |crm, actor, input| crm.update_product(actor, product, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::product(product).done("saved"))),
        Err(refused) => {
            let target = editing(product);
            let title = format!("Edit {}", form.get("name").unwrap_or("product"));
            Ok(refused
                .show(form_page(&state, &viewer, &title, target, &form, &refused.errors).await?))
        }
    }
}

/// `POST /products/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let product = ProductId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.delete_product(actor, product),
        |()| paths::products().done("deleted"),
    )
    .await
}
