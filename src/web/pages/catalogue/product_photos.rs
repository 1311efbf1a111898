//! A product's photos on its page: the photos (the cover first), the buttons that make
//! one the cover and remove one, and the form that adds one from a tablet's camera or a
//! laptop's files. The same `app::files` calls as `/api/products/{id}/images` do the work.
//!
//! Every picture is an `<img>` with `srcset` and `sizes`, so a phone and a tablet each
//! fetch the copy as wide as the photo is drawn (240 px on an upright tablet, not 1600),
//! and `width`/`height`, so the page does not jump as photos arrive.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};

use super::product_page;
use crate::domain::{FileId, Product, ProductId, StoredFile};
use crate::web::AppState;
use crate::web::pages::shell::components::{confirm_dialog, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::file_form::{self, FileForm, Refusal};
use crate::web::pages::shell::form_flow::{act, redirect_to};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::session::{PageId, PageIds, Submitted, Viewer};
use crate::web::paths;

/// How wide a photo is drawn on the product page, for `sizes`: two to a row on a phone,
/// four on an upright tablet, about 220 px beside the menu on a laptop (`.photo-grid`).
const PAGE_SIZES: &str =
    "(max-width: 480px) calc(50vw - 1.5rem), (max-width: 1099px) calc(25vw - 1.5rem), 220px";

/// The section's HTML id, which the buttons come back to.
const SECTION: &str = "photos";

/// What the photo section says besides the photos: what was just done (`?done=`), or
/// why a file was not kept.
#[derive(Debug, Clone, Copy, Default)]
pub struct Said<'a> {
    pub done: Option<&'a str>,
    pub refused: Option<&'a Refusal>,
}

/// A photo as an `<img>`: the narrowest copy as `src` (for a browser that reads no
/// `srcset`), every copy in `srcset`, and the size the page draws it at in `sizes`.
pub fn picture(photo: &StoredFile, alt: &str, sizes: &str) -> Markup {
    let (src, width, height) = match photo.copies.first() {
        Some(copy) => (
            paths::media(copy.content, copy.file_type),
            copy.width,
            copy.height,
        ),
        None => {
            let (width, height) = photo.dimensions.unwrap_or((1, 1));
            (paths::media(photo.content, photo.file_type), width, height)
        }
    };
    html! {
        img src=(src) srcset=(paths::srcset(photo)) sizes=(sizes) width=(width) height=(height)
            loading="lazy" decoding="async" alt=(alt);
    }
}

/// The product's photos, and for those who may change the product the buttons and the
/// form that adds one.
pub fn section(
    viewer: &Viewer,
    product: &Product,
    photos: &[StoredFile],
    may_change: bool,
    said: Said<'_>,
    max_mb: u64,
) -> Markup {
    // Someone who may not add photos has nothing to read in an empty section.
    if photos.is_empty() && !may_change {
        return html! {};
    }
    let notice = match said.done {
        Some("photo-added") => Some("Photo added."),
        Some("cover") => Some("That photo is the cover now: the catalogue shows it first."),
        Some("photo-removed") => Some("Photo removed."),
        _ => None,
    };
    html! {
        section.card.wide.photos #(SECTION) aria-labelledby="photos-title" {
            h2 #photos-title { "Photos" }
            @if let Some(notice) = notice {
                div.alert.success role="status" #photo-notice { (notice) }
            }
            @if photos.is_empty() {
                p.hint #no-photos { "No photos yet." }
            } @else {
                ul.photo-grid #photo-list {
                    @for photo in photos {
                        (tile(viewer, product, photo, may_change))
                    }
                }
            }
            @if may_change {
                (add_form(viewer, product, photos.len(), said.refused, max_mb))
            }
        }
        @if may_change {
            @for photo in photos {
                (confirm_dialog(
                    &dialog_id(photo.id),
                    "Remove this photo?",
                    "It leaves the product and the catalogue. To have it back, add the file again.",
                    &paths::remove_product_photo(product.id, photo.id),
                    &viewer.csrf,
                    ("Keep the photo", "Remove photo"),
                ))
            }
        }
    }
}

fn dialog_id(photo: FileId) -> String {
    format!("remove-photo-{photo}")
}

/// One photo: a tap opens the largest copy; below it, Cover or the button that makes it
/// the cover, and Remove.
fn tile(viewer: &Viewer, product: &Product, photo: &StoredFile, may_change: bool) -> Markup {
    let largest = photo
        .copies
        .last()
        .map_or(paths::media(photo.content, photo.file_type), |c| {
            paths::media(c.content, c.file_type)
        });
    html! {
        li.photo-tile.cover[photo.cover] data-photo=(photo.id) {
            a.photo-frame href=(largest) target="_blank" rel="noopener" {
                (picture(photo, product.name.as_str(), PAGE_SIZES))
                @if photo.cover { span.badge.cover-badge { "Cover" } }
            }
            @if may_change {
                div.photo-actions {
                    @if !photo.cover {
                        form method="post" action=(paths::product_cover(product.id, photo.id)) {
                            (form_keys(&viewer.csrf))
                            button.button.block.make-cover type="submit" { "Make cover" }
                        }
                    }
                    button.button.danger.block.remove-photo type="button" data-open-dialog=(dialog_id(photo.id)) {
                        (icon("trash")) "Remove"
                    }
                }
            }
        }
    }
}

/// Two ways in: the tablet's or phone's camera, and a file from a laptop or the
/// gallery. Each is a form of its own, sent as soon as a photo is chosen (`app.js`), so
/// that the camera's picture needs no second tap; without scripts, a Send button shows.
fn add_form(
    viewer: &Viewer,
    product: &Product,
    count: usize,
    refused: Option<&Refusal>,
    max_mb: u64,
) -> Markup {
    let full = count >= crate::app::files::MAX_PHOTOS;
    html! {
        div.photo-add #photo-add {
            @if let Some(refused) = refused {
                div.alert.error role="alert" #photo-error {
                    strong { "The photo was not added. " }
                    (refused.message)
                }
            }
            @if full {
                p.hint { "This product has " (count) " photos, as many as it may have. Remove one to add another." }
            } @else {
                div.photo-pickers {
                    (picker(viewer, product, "photo-camera", true))
                    (picker(viewer, product, "photo-file", false))
                }
                p.hint { "JPEG, PNG or WebP, up to " (max_mb) " MB. The box keeps smaller copies for the catalogue, without the place the photo was taken." }
            }
        }
    }
}

/// One way of adding a photo: the camera (`capture`) or a file.
fn picker(viewer: &Viewer, product: &Product, id: &str, camera: bool) -> Markup {
    let (label, symbol, class) = if camera {
        ("Take photo", "camera", "button primary pick")
    } else {
        ("Choose file", "upload", "button pick")
    };
    html! {
        form.photo-picker method="post" action=(paths::product_photos(product.id)) enctype="multipart/form-data" {
            (form_keys(&viewer.csrf))
            label class=(class) for=(id) { (icon(symbol)) (label) }
            @if camera {
                input.visually-hidden #(id) type="file" name="file" accept="image/*" capture="environment" required data-send-on-choose;
            } @else {
                input.visually-hidden #(id) type="file" name="file" accept="image/jpeg,image/png,image/webp" required data-send-on-choose;
            }
            noscript { button.button type="submit" { "Send" } }
        }
    }
}

/// `POST /products/{id}/photos`: the photo, streamed to disk, then added; a file that
/// is refused comes back as the product's page with why, beside the form.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let product = ProductId::from_uuid(id);
    let limit = state.crm.config().files.photo_max_bytes();
    let refusal = match file_form::receive(&state, &viewer, &headers, form, limit).await? {
        Ok(FileForm { incoming, .. }) => {
            let actor = viewer.actor.clone();
            let added = state
                .crm
                .run(move |crm| crm.add_product_photo(&actor, product, incoming))
                .await;
            match added {
                Ok(_) => return Ok(redirect_to(back(product, "photo-added"))),
                Err(err) => Refusal::of(err)?,
            }
        }
        Err(refusal) => refusal,
    };
    product_page::refused_photo(&state, &viewer, product, &refusal).await
}

/// `POST /products/{id}/photos/{photo}/cover`
pub async fn make_cover(
    State(state): State<AppState>,
    PageIds(id, photo): PageIds,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let (product, photo) = (ProductId::from_uuid(id), FileId::from_uuid(photo));
    act(
        &state,
        &viewer,
        move |crm, actor| crm.set_cover_photo(actor, product, photo),
        |_| back(product, "cover"),
    )
    .await
}

/// `POST /products/{id}/photos/{photo}/remove`
pub async fn remove(
    State(state): State<AppState>,
    PageIds(id, photo): PageIds,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let (product, photo) = (ProductId::from_uuid(id), FileId::from_uuid(photo));
    act(
        &state,
        &viewer,
        move |crm, actor| crm.remove_product_photo(actor, product, photo),
        |()| back(product, "photo-removed"),
    )
    .await
}

/// The product's page at its photos, saying what was done.
fn back(product: ProductId, done: &str) -> paths::Link {
    paths::product(product).done(done).at(SECTION)
}
