//! A customer's documents on their page: the PAN card or Form 60 a large sale needs,
//! address proof, signed estimates. The list, with Open and Download (read through the
//! API with the page's session, each reading kept on the timeline), the form that keeps
//! a new one (a PDF, or a photo taken there and then), and Remove for the Business
//! Admins. The same `app::files` calls as `/api/customers/{id}/documents` do the work.
//!
//! Only the admins and the Floor Managers of the customer's home floor see documents;
//! anyone else reads one line saying who keeps them, and nothing of what is kept.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::page;
use crate::app::{Permission, StaffNames};
use crate::domain::{Customer, CustomerId, FileId, FileKind, Floor, StoredFile, format_size};
use crate::web::AppState;
use crate::web::pages::shell::components::{confirm_dialog, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::file_form::{self, FileForm, Refusal};
use crate::web::pages::shell::form_flow::{act, redirect_to};
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::session::{PageId, PageIds, Submitted, Viewer};
use crate::web::paths;

/// The section's HTML id, which the forms come back to.
const SECTION: &str = "documents";

/// A customer's documents as this person may see them: `None` when they may not.
pub struct Kept {
    pub documents: Option<Vec<StoredFile>>,
    pub names: StaffNames,
    pub max_mb: u64,
}

/// The Documents section of `customer`'s page. `done` is what was just done (`?done=`);
/// `refused` says why a file was not kept.
pub fn section(
    viewer: &Viewer,
    customer: &Customer,
    floors: &[Floor],
    kept: &Kept,
    done: Option<&str>,
    refused: Option<&Refusal>,
    tz: &TimeZone,
) -> Markup {
    let Some(documents) = &kept.documents else {
        return html! {
            section.card.wide.documents #(SECTION) aria-labelledby="documents-title" {
                h2 #documents-title { "Documents" }
                p.hint #documents-kept-by { (kept_by(customer, floors)) }
            }
        };
    };
    let notice = match done {
        Some("document-added") => Some("Document kept."),
        Some("document-removed") => Some("Document removed."),
        _ => None,
    };
    let may_remove = viewer.actor.may(Permission::EveryFloor);
    html! {
        section.card.wide.documents #(SECTION) aria-labelledby="documents-title" {
            h2 #documents-title { "Documents" }
            @if let Some(notice) = notice {
                div.alert.success role="status" #document-notice { (notice) }
            }
            @if documents.is_empty() {
                p.hint #no-documents { "No documents yet." }
            } @else {
                ul.document-list #document-list {
                    @for d in documents {
                        (row(customer.id, d, &kept.names, may_remove, tz))
                    }
                }
            }
            @if customer.deleted_at.is_none() {
                (add_form(viewer, customer.id, refused, kept.max_mb))
            }
        }
        @if may_remove {
            @for d in documents {
                (confirm_dialog(
                    &dialog_id(d.id),
                    &format!("Remove {}?", d.name.as_str()),
                    "It is gone for good. A PAN card or Form 60 may be what a large sale was made on: keep it unless it is wrong.",
                    &paths::remove_customer_document(customer.id, d.id),
                    &viewer.csrf,
                    ("Keep the document", "Remove document"),
                ))
            }
        }
    }
}

/// Who keeps a customer's documents, for a person who is not one of them.
fn kept_by(customer: &Customer, floors: &[Floor]) -> String {
    match customer
        .home_floor_id
        .and_then(|id| floors.iter().find(|f| f.id == id))
    {
        Some(floor) => format!(
            "Documents such as the PAN card are kept by the admins and the managers of {}.",
            floor.name.as_str()
        ),
        None => "Documents such as the PAN card are kept by the admins.".to_owned(),
    }
}

fn dialog_id(document: FileId) -> String {
    format!("remove-document-{document}")
}

/// One document: what it is, its name and size, who kept it and when, and its links.
fn row(
    customer: CustomerId,
    d: &StoredFile,
    names: &StaffNames,
    may_remove: bool,
    tz: &TimeZone,
) -> Markup {
    let link = paths::customer_document(customer, d.id);
    html! {
        li.document-row data-document=(d.id) {
            div.document-about {
                span.badge.document-kind { (d.kind.label()) }
                span.document-name { (d.name.as_str()) }
                span.sub {
                    (format_size(d.bytes)) " · added by " (names.name(d.added_by)) " · " (when(d.added_at, tz))
                }
            }
            div.document-actions {
                a.button.open-document href=(link) target="_blank" rel="noopener" { "Open" }
                a.button.download-document href=(link.clone().with("download", true)) { (icon("download")) "Download" }
                @if may_remove {
                    button.button.danger.remove-document type="button" data-open-dialog=(dialog_id(d.id)) {
                        (icon("trash")) "Remove"
                    }
                }
            }
        }
    }
}

/// What the document is, and the file: a PDF or a photo, which a phone or tablet may
/// take there and then (a PAN card on the counter).
fn add_form(
    viewer: &Viewer,
    customer: CustomerId,
    refused: Option<&Refusal>,
    max_mb: u64,
) -> Markup {
    html! {
        form.document-add #document-add method="post" action=(paths::customer_documents(customer)) enctype="multipart/form-data" {
            (form_keys(&viewer.csrf))
            h3 { "Keep a document" }
            @if let Some(refused) = refused {
                div.alert.error role="alert" #document-error {
                    strong { "The document was not kept. " }
                    (refused.message)
                }
            }
            div.grid {
                div.field {
                    label for="document-kind" { "What it is" }
                    select #document-kind name="kind" {
                        @for kind in FileKind::DOCUMENTS {
                            option value=(kind.as_str()) { (kind.label()) }
                        }
                    }
                }
                div.field {
                    label for="document-file" { "File" }
                    input #document-file type="file" name="file"
                        accept="application/pdf,.pdf,image/jpeg,image/png,image/webp";
                    p.hint { "A PDF, or a photo (JPEG, PNG, WebP), up to " (max_mb) " MB." }
                }
                // The two inputs share the form's one `file` part: the one left empty is
                // sent without a name, and the server skips it.
                div.field {
                    span.label { "Or, on a phone or tablet" }
                    label.button.pick for="document-camera" { (icon("camera")) "Photograph it" }
                    input.visually-hidden #document-camera type="file" name="file" accept="image/*"
                        capture="environment" data-shows-name="document-camera-name";
                    p.hint #document-camera-name aria-live="polite" {}
                }
            }
            div.form-actions {
                button.button.primary #keep-document type="submit" { "Keep document" }
            }
        }
    }
}

/// `POST /customers/{id}/documents`: the file, streamed to disk, then kept; a file that
/// is refused comes back as the customer's page with why, beside the form.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let customer = CustomerId::from_uuid(id);
    let limit = state.crm.config().files.document_max_bytes();
    let refusal = match file_form::receive(&state, &viewer, &headers, form, limit).await? {
        Ok(FileForm { incoming, fields }) => {
            // A kind the form does not offer is refused, not taken as "other".
            let kind = match fields.get("kind") {
                None => Ok(FileKind::OtherDocument),
                Some(text) => FileKind::parse(text)
                    .map_err(|e| crate::app::Error::field("kind", e.to_string())),
            };
            let actor = viewer.actor.clone();
            let added = match kind {
                Ok(kind) => {
                    state
                        .crm
                        .run(move |crm| crm.add_customer_document(&actor, customer, kind, incoming))
                        .await
                }
                Err(err) => Err(err),
            };
            match added {
                Ok(_) => return Ok(redirect_to(back(customer, "document-added"))),
                Err(err) => Refusal::of(err)?,
            }
        }
        Err(refusal) => refusal,
    };
    page::refused_document(&state, &viewer, customer, &refusal).await
}

/// `POST /customers/{id}/documents/{document}/remove` (Business Admins only).
pub async fn remove(
    State(state): State<AppState>,
    PageIds(id, document): PageIds,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let (customer, document) = (CustomerId::from_uuid(id), FileId::from_uuid(document));
    act(
        &state,
        &viewer,
        move |crm, actor| crm.remove_customer_document(actor, customer, document),
        |()| back(customer, "document-removed"),
    )
    .await
}

/// The customer's page at its documents, saying what was done.
fn back(customer: CustomerId, done: &str) -> paths::Link {
    paths::customer(customer).done(done).at(SECTION)
}
