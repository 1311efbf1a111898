//! `/api/products/{id}/images…`, `/api/customers/{id}/documents…` and
//! `/api/store/logo`: adding, listing, opening and removing stored files. Uploads are
//! `multipart/form-data` with the file in a part named `file`, streamed to disk.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::views::ListJson;
use crate::app::ListQuery;
use crate::app::files::Incoming;
use crate::domain::{ContentHash, CustomerId, FileId, FileKind, ProductId, StoredFile};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiQuery, Auth, PathId, PathIds, may};
use crate::web::{paths, serve_file, uploads};

/// A stored file as the API shows it. Photos and the logo carry the addresses of
/// their copies (cached for a year: the address changes when the bytes do).
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredFileJson {
    pub id: Uuid,
    /// `product_photo`, `pan_card`, `form_60`, `address_proof`, `signed_estimate`,
    /// `other_document` or `logo`.
    pub kind: FileKind,
    /// The name it was uploaded under.
    pub name: String,
    /// `image/jpeg`, `image/png`, `image/webp` or `application/pdf`.
    pub content_type: String,
    pub bytes: u64,
    /// SHA-256 of the bytes served.
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// A product's photo shown first.
    pub cover: bool,
    /// Where the file is read: a photo's largest copy, a document's bytes (each
    /// reading is recorded on the customer's timeline).
    pub url: String,
    /// Photos and the logo: every copy as `URL WIDTHw`, for `srcset`.
    pub srcset: Option<String>,
    pub added_by: Uuid,
    pub added_at: String,
}

impl StoredFileJson {
    fn new(file: StoredFile, url: String) -> Self {
        let srcset = (!file.kind.is_document()).then(|| paths::srcset(&file));
        Self {
            id: file.id.as_uuid(),
            kind: file.kind,
            name: file.name.to_string(),
            content_type: file.file_type.mime().to_owned(),
            bytes: file.bytes,
            sha256: file.content.to_string(),
            width: file.dimensions.map(|d| d.0),
            height: file.dimensions.map(|d| d.1),
            cover: file.cover,
            url,
            srcset,
            added_by: file.added_by.as_uuid(),
            added_at: file.added_at.to_string(),
        }
    }

    fn media(file: StoredFile) -> Self {
        let url = paths::media(file.content, file.file_type);
        Self::new(file, url)
    }

    fn document(file: StoredFile) -> Self {
        let url = match file.owner {
            crate::domain::FileOwner::Customer(c) => paths::customer_document(c, file.id).into(),
            _ => paths::media(file.content, file.file_type),
        };
        Self::new(file, url)
    }
}

/// An upload form: the file, and for a document what it is.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct FileUpload {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Documents only: `pan_card`, `form_60`, `address_proof`, `signed_estimate` or
    /// `other_document` (default).
    kind: Option<FileKind>,
}

async fn receive(
    state: &AppState,
    form: Multipart,
    limit: u64,
) -> Result<(Incoming, Option<String>), AppError> {
    let upload = uploads::receive_file(state, form, limit).await?;
    let kind = upload.field("kind").map(str::to_owned);
    Ok((
        Incoming {
            path: upload.path,
            name: upload.file_name,
        },
        kind,
    ))
}

/// A product photo's copy or the logo, by the SHA-256 of its bytes and their type
/// (`{sha256}.jpg`), as `url` and `srcset` give them. The answer never changes for an
/// address, so it may be kept for a year. A hash only a customer's document uses
/// answers 404: documents are read through their customer.
#[utoipa::path(get, path = "/api/media/{name}", tag = "files", params(("name" = String, Path, description = "`{sha256}.{jpg|png|webp}`")),
    responses((status = 200, description = "The image", content_type = "image/jpeg", body = [u8]), (status = 304),
        (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn media(
    State(state): State<AppState>,
    Auth(actor): Auth,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let content = name
        .split_once('.')
        .and_then(|(hex, _)| ContentHash::parse(hex).ok())
        .ok_or_else(|| AppError::not_found("photo"))?;
    let etag = format!("\"{content}\"");
    if headers
        .get(axum::http::header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let media = state
        .crm
        .run(move |crm| crm.open_media(&actor, content))
        .await?;
    Ok(serve_file::public(media, &etag))
}

/// Adds a photo to a product (JPEG, PNG or WebP, up to `files.photo_max_mb`). Copies
/// 240 to 1600 pixels wide are made on the box, upright and without EXIF (so without
/// the place it was taken); the first photo becomes the cover.
#[utoipa::path(post, path = "/api/products/{id}/images", tag = "files", params(("id" = Uuid, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = StoredFileJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_product_image(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<StoredFileJson>), AppError> {
    let product = ProductId::from_uuid(id);
    let asking = actor.clone();
    state
        .crm
        .run(move |crm| crm.may_add_product_photo(&asking, product))
        .await?;
    let limit = state.crm.config().files.photo_max_bytes();
    let (incoming, _) = receive(&state, form?, limit).await?;
    let photo = state
        .crm
        .run(move |crm| crm.add_product_photo(&actor, ProductId::from_uuid(id), incoming))
        .await?;
    Ok((StatusCode::CREATED, Json(StoredFileJson::media(photo))))
}

/// A product's photos, the cover first.
#[utoipa::path(get, path = "/api/products/{id}/images", tag = "files", params(("id" = Uuid, Path), ListQuery),
    responses((status = 200, body = ListJson<StoredFileJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_product_images(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<StoredFileJson>>, AppError> {
    let request = query.whole()?;
    let photos = state
        .crm
        .run(move |crm| crm.product_photos(&actor, ProductId::from_uuid(id)))
        .await?;
    Ok(Json(ListJson::whole(
        photos,
        request,
        StoredFileJson::media,
    )))
}

/// Makes a photo the product's cover.
#[utoipa::path(post, path = "/api/products/{id}/images/{image_id}/cover", tag = "files",
    params(("id" = Uuid, Path), ("image_id" = Uuid, Path)),
    responses((status = 200, body = StoredFileJson), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn set_product_cover(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathIds(id, image): PathIds,
) -> Result<Json<StoredFileJson>, AppError> {
    let photo = state
        .crm
        .run(move |crm| {
            crm.set_cover_photo(&actor, ProductId::from_uuid(id), FileId::from_uuid(image))
        })
        .await?;
    Ok(Json(StoredFileJson::media(photo)))
}

/// Removes a photo from a product.
#[utoipa::path(delete, path = "/api/products/{id}/images/{image_id}", tag = "files",
    params(("id" = Uuid, Path), ("image_id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_product_image(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathIds(id, image): PathIds,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| {
            crm.remove_product_photo(&actor, ProductId::from_uuid(id), FileId::from_uuid(image))
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Keeps a document for a customer: a PDF or a photo, up to `files.document_max_mb`.
/// Only the Business Admins and the Floor Managers of the customer's home floor may.
#[utoipa::path(post, path = "/api/customers/{id}/documents", tag = "files", params(("id" = Uuid, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = StoredFileJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_customer_document(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<StoredFileJson>), AppError> {
    let customer = CustomerId::from_uuid(id);
    let asking = actor.clone();
    state
        .crm
        .run(move |crm| crm.may_add_customer_document(&asking, customer))
        .await?;
    let limit = state.crm.config().files.document_max_bytes();
    let (incoming, kind) = receive(&state, form?, limit).await?;
    let kind = match kind {
        None => FileKind::OtherDocument,
        Some(text) => FileKind::parse(&text).map_err(|e| {
            AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "kind", e.to_string())
        })?,
    };
    let document = state
        .crm
        .run(move |crm| {
            crm.add_customer_document(&actor, CustomerId::from_uuid(id), kind, incoming)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(StoredFileJson::document(document)),
    ))
}

/// A customer's documents, oldest first. A Floor Manager of another floor is refused
/// (403): documents are kept by the admins and the customer's home floor.
#[utoipa::path(get, path = "/api/customers/{id}/documents", tag = "files", params(("id" = Uuid, Path), ListQuery),
    responses((status = 200, body = ListJson<StoredFileJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_customer_documents(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<StoredFileJson>>, AppError> {
    let request = query.whole()?;
    let documents = state
        .crm
        .run(move |crm| {
            crm.customer_documents(&actor, CustomerId::from_uuid(id))?
                .ok_or_else(|| {
                    crate::app::Error::Forbidden(
                        "a customer's documents are kept by the Business Admins and the Floor Managers of the customer's home floor".into(),
                    )
                })
        })
        .await?;
    Ok(Json(ListJson::whole(
        documents,
        request,
        StoredFileJson::document,
    )))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OpenQuery {
    /// `true` to save it as a file rather than show it in the browser.
    pub download: Option<bool>,
}

/// A customer's document itself. Each opening or download is recorded on the
/// customer's timeline, and the answer is never kept by the browser. To anyone who may
/// not see it, and to another store, it does not exist (404).
#[utoipa::path(get, path = "/api/customers/{id}/documents/{document_id}", tag = "files",
    params(("id" = Uuid, Path), ("document_id" = Uuid, Path), OpenQuery),
    responses((status = 200, description = "The document", content_type = "application/octet-stream", body = [u8]),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn open_customer_document(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathIds(id, document): PathIds,
    ApiQuery(query): ApiQuery<OpenQuery>,
) -> Result<Response, AppError> {
    let download = query.download.unwrap_or(false);
    let (found, file) = state
        .crm
        .run(move |crm| {
            crm.open_customer_document(
                &actor,
                CustomerId::from_uuid(id),
                FileId::from_uuid(document),
                download,
            )
        })
        .await?;
    Ok(serve_file::private(&found, file, download))
}

/// Removes a customer's document (Business Admins only).
#[utoipa::path(delete, path = "/api/customers/{id}/documents/{document_id}", tag = "files",
    params(("id" = Uuid, Path), ("document_id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_customer_document(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathIds(id, document): PathIds,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| {
            crm.remove_customer_document(
                &actor,
                CustomerId::from_uuid(id),
                FileId::from_uuid(document),
            )
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The store's logo, or 404 when it has none.
#[utoipa::path(get, path = "/api/store/logo", tag = "files",
    responses((status = 200, body = StoredFileJson), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_logo(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<StoredFileJson>, AppError> {
    let logo = state
        .crm
        .run(move |crm| crm.store_logo(actor.store_id))
        .await?
        .ok_or_else(|| AppError::not_found("logo"))?;
    Ok(Json(StoredFileJson::media(
        std::sync::Arc::unwrap_or_clone(logo),
    )))
}

/// Sets the store's logo (PNG, JPEG or WebP up to `files.logo_max_mb`; a PNG keeps its
/// transparency). It replaces the one before.
#[utoipa::path(post, path = "/api/store/logo", tag = "files",
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = StoredFileJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn set_logo(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ChangeStoreSettings>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<StoredFileJson>), AppError> {
    let limit = state.crm.config().files.logo_max_bytes();
    let (incoming, _) = receive(&state, form?, limit).await?;
    let logo = state
        .crm
        .run(move |crm| crm.set_store_logo(&actor, incoming))
        .await?;
    Ok((StatusCode::CREATED, Json(StoredFileJson::media(logo))))
}

/// Takes the logo off the pages and invoices.
#[utoipa::path(delete, path = "/api/store/logo", tag = "files",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_logo(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ChangeStoreSettings>,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.remove_store_logo(&actor))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
