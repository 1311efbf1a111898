//! The product's own page, and adding, editing and removing a product through the
//! form in `product_form`, with the same `app` calls as `/api/products`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::components::{confirm_dialog, done_notice, icon};
use super::error::PageError;
use super::format::when;
use super::forms::{Choices, Target, all_errors, choices, save_errors};
use super::layout::page;
use super::product_form;
use super::products::{category_path, floor_name, stock_badge};
use super::session::{FormData, PageId, Submitted, Viewer};
use crate::app::Error;
use crate::domain::{Category, CategoryId, FieldErrors, MakingCharge, ProductId};
use crate::store::Deleted;
use crate::web::AppState;

fn form_page(
    viewer: &Viewer,
    title: &str,
    target: Target<'_>,
    draft: &FormData,
    errors: &FieldErrors,
    choices: &Choices,
) -> Markup {
    let form = product_form::render(target, &viewer.actor, &viewer.csrf, draft, errors, choices);
    page(viewer, title, html! {}, form)
}

const NEW: Target<'static> = Target {
    action: "/products",
    cancel: "/products",
    submit: "Save product",
};

/// `GET /products/new`
pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let choices = choices(&state, &viewer).await?;
    let draft = product_form::new_draft(&viewer.actor);
    Ok(form_page(
        &viewer,
        "New product",
        NEW,
        &draft,
        &FieldErrors::new(),
        &choices,
    ))
}

/// `POST /products`
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let input = product_form::input_from(&form, &mut errors);
    let actor = viewer.actor.clone();
    let result = state
        .crm
        .run(move |crm| {
            all_errors(errors, product_form::form_errors, || {
                crm.check_product(&actor, &input)
            })?;
            crm.create_product(&actor, input)
        })
        .await;
    match result {
        Ok(product) => Ok(Redirect::to(&format!(
            "/products/{}?done=created",
            product.id.as_uuid()
        ))
        .into_response()),
        Err(err) => {
            let (status, errors) = save_errors(err, "sku")?;
            let errors = product_form::form_errors(errors);
            let choices = choices(&state, &viewer).await?;
            Ok((
                status,
                form_page(&viewer, "New product", NEW, &form, &errors, &choices),
            )
                .into_response())
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

/// `GET /products/{id}`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    uri: Uri,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let (p, choices, price) = state
        .crm
        .run(move |crm| {
            let product = crm.get_product(&actor, ProductId::from_uuid(id))?;
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let price = crm.price_of(&actor, &product)?;
            Ok((
                product,
                Choices {
                    floors,
                    categories: crm.list_categories(&actor)?,
                },
                price,
            ))
        })
        .await?;
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let tz = state.crm.config().time_zone();
    let may_change = p.deleted_at.is_none() && viewer.actor.may_work_on(Some(p.floor_id));
    let base = format!("/products/{}", p.id.as_uuid());
    let actions = html! {
        @if p.deleted_at.is_none() && p.active && p.stock_qty > 0 && viewer.actor.may_work_on(Some(p.floor_id)) {
            a.button.primary #sell-product href=(format!("/sales/new?sku={}", p.sku.as_str())) { (icon("receipt")) "Sell" }
        }
        @if may_change {
            a.button #edit-product href=(format!("{base}/edit")) { (icon("pencil")) "Edit" }
            button.button.danger #delete-product type="button" data-open-dialog="delete-dialog" { (icon("trash")) "Remove" }
        }
    };
    let category = |id: Option<CategoryId>, all: &[Category]| {
        id.and_then(|id| category_path(all, id))
            .unwrap_or_else(|| "—".to_owned())
    };
    let content = html! {
        (done_notice(params.get("done")))
        @if p.deleted_at.is_some() {
            div.alert.warning role="status" { "This product was removed. Only an admin can see this page." }
        }
        div.detail-head {
            span.avatar aria-hidden="true" { (icon("gem")) }
            div {
                p.code { (p.sku.as_str()) }
                (stock_badge(&p))
                @if p.active { " " span.badge.active { "Active" } }
            }
        }
        div.cards {
            section.card {
                h2 { "The piece" }
                dl {
                    dt { "Tag number (SKU)" } dd.code { (p.sku.as_str()) }
                    dt { "HUID" } dd.code { (p.huid.as_ref().map_or("—", |h| h.as_str())) }
                    dt { "Metal" } dd { (p.metal.label()) }
                    dt { "Purity" } dd { (p.purity.label()) " (" (p.purity.fineness()) " fineness)" }
                    dt { "Category" } dd { (category(p.category_id, &choices.categories)) }
                }
            }
            section.card {
                h2 { "Weight" }
                dl {
                    dt { "Gross" } dd { (p.gross_weight.to_string()) }
                    dt { "Stones" } dd { (p.stone_weight.to_string()) }
                    dt { "Net (metal)" } dd { (p.net_weight().to_string()) }
                }
            }
            section.card #price-today {
                h2 { "Price today" }
                dl {
                    @match &price {
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
                            dt { "Rate" } dd { span.hint { "No " (p.purity.label()) " rate is set today, so this piece has no price yet. " a href="/rates" { "Rates" } } }
                        }
                    }
                }
            }
            section.card {
                h2 { "Stock" }
                dl {
                    dt { "Pieces in stock" } dd { (p.stock_qty) }
                    dt { "Floor" } dd { (floor_name(&choices.floors, p.floor_id)) }
                    dt { "On sale" } dd { @if p.active { "Yes" } @else { "No (inactive)" } }
                    dt { "Added" } dd { (when(p.created_at, &tz)) }
                    dt { "Last changed" } dd { (when(p.updated_at, &tz)) }
                }
            }
            @if !p.description.as_str().is_empty() {
                section.card.wide {
                    h2 { "Description" }
                    p.notes { (p.description.as_str()) }
                }
            }
        }
        @if may_change {
            (confirm_dialog(
                "delete-dialog",
                &format!("Remove {}?", p.name.as_str()),
                "It will disappear from the catalogue and search. Its sales history is kept.",
                &format!("{base}/delete"),
                &viewer.csrf,
                "Remove product",
            ))
        }
    };
    Ok(page(&viewer, p.name.as_str(), actions, content))
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
    let choices = choices(&state, &viewer).await?;
    let action = format!("/products/{}", product.id.as_uuid());
    let target = Target {
        action: &action,
        cancel: &action,
        submit: "Save changes",
    };
    let title = format!("Edit {}", product.name.as_str());
    Ok(form_page(
        &viewer,
        &title,
        target,
        &product_form::draft_of(&product),
        &FieldErrors::new(),
        &choices,
    ))
}

/// `POST /products/{id}`: saves the edit form.
pub async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let input = product_form::input_from(&form, &mut errors);
    let actor = viewer.actor.clone();
    let result = state
        .crm
        .run(move |crm| {
            all_errors(errors, product_form::form_errors, || {
                crm.check_product(&actor, &input)
            })?;
            crm.update_product(&actor, ProductId::from_uuid(id), input)
        })
        .await;
    let action = format!("/products/{id}");
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{action}?done=saved")).into_response()),
        Err(err) => {
            let (status, errors) = save_errors(err, "sku")?;
            let errors = product_form::form_errors(errors);
            let choices = choices(&state, &viewer).await?;
            let target = Target {
                action: &action,
                cancel: &action,
                submit: "Save changes",
            };
            let title = format!("Edit {}", form.get("name").unwrap_or("product"));
            Ok((
                status,
                form_page(&viewer, &title, target, &form, &errors, &choices),
            )
                .into_response())
        }
    }
}

/// `POST /products/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Redirect, PageError> {
    let actor = viewer.actor;
    state
        .crm
        .run(move |crm| crm.delete_product(&actor, ProductId::from_uuid(id)))
        .await?;
    Ok(Redirect::to("/products?done=deleted"))
}
