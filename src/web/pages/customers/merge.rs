//! Merging duplicate customers: the possible-duplicates page, two customers side by
//! side with a choice per field, and undoing a merge.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::app::{DuplicatesQuery, MergeFieldsInput, MergeInput};
use crate::domain::{Customer, CustomerId, MergeId, Side};
use crate::store::match_keys::DuplicateReason;
use crate::web::AppState;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::act;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{PageId, Params, Submitted, Viewer};
use crate::web::paths;

/// `GET /customers/duplicates`
pub async fn duplicates(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let query = DuplicatesQuery {
        limit: None,
        cursor: params.get("cursor").map(str::to_owned),
    };
    let actor = viewer.actor.clone();
    let found = state
        .crm
        .run(move |crm| crm.possible_duplicates(&actor, &query))
        .await?;
    let content = html! {
        p.sub { "Customers who may be one person: the same e-mail, or names spelt alike with no address that tells them apart. Compare them and merge the ones that are." }
        @if found.pairs.is_empty() {
            p.empty { "No possible duplicates found." }
        } @else {
            table.list #duplicates {
                thead { tr { th { "Customer" } th { "Possible duplicate" } th { "Why" } th {} } }
                tbody {
                    @for pair in &found.pairs {
                        tr {
                            td { (who(&pair.a)) }
                            td { (who(&pair.b)) }
                            td { (match pair.reason {
                                DuplicateReason::SameEmail => "Same e-mail".to_owned(),
                                DuplicateReason::SimilarName(score) => format!("Names alike ({:.0}%)", score * 100.0),
                            }) }
                            td { a.button href=(paths::customer_merge().with("a", pair.a.id).with("b", pair.b.id)) { "Compare" } }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &found.next {
            a.button href=(paths::customer_duplicates().with("cursor", next.encode())) { "More" }
        }
    };
    Ok(page(&viewer, "Possible duplicates", html! {}, content).into_response())
}

fn who(c: &Customer) -> Markup {
    html! {
        a href=(paths::customer(c.id)) { (c.name) } br;
        span.sub { (c.code()) " · " (c.phone.national_spaced()) }
    }
}

/// The fields offered, with how each customer's value reads.
fn rows(a: &Customer, b: &Customer) -> Vec<(&'static str, &'static str, String, String)> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let address = |c: &Customer| {
        let mut lines = c.address.lines().join(", ");
        if let Some(pin) = &c.address.pincode {
            lines.push_str(&format!(" {}", pin.as_str()));
        }
        lines
    };
    vec![
        ("name", "Name", a.name.to_string(), b.name.to_string()),
        (
            "phone",
            "Phone",
            a.phone.national_spaced(),
            b.phone.national_spaced(),
        ),
        (
            "email",
            "E-mail",
            opt(a.email.as_ref().map(|e| e.as_str().to_owned())),
            opt(b.email.as_ref().map(|e| e.as_str().to_owned())),
        ),
        (
            "gender",
            "Gender",
            opt(a.gender.map(|g| format!("{g:?}"))),
            opt(b.gender.map(|g| format!("{g:?}"))),
        ),
        (
            "date_of_birth",
            "Date of birth",
            opt(a.date_of_birth.map(|d| d.to_string())),
            opt(b.date_of_birth.map(|d| d.to_string())),
        ),
        (
            "anniversary",
            "Anniversary",
            opt(a.anniversary.map(|d| d.to_string())),
            opt(b.anniversary.map(|d| d.to_string())),
        ),
        ("address", "Address", address(a), address(b)),
        (
            "pan",
            "PAN",
            opt(a.pan.as_ref().map(|p| p.as_str().to_owned())),
            opt(b.pan.as_ref().map(|p| p.as_str().to_owned())),
        ),
        ("notes", "Notes", a.notes.to_string(), b.notes.to_string()),
        (
            "status",
            "Status",
            a.status.as_str().to_owned(),
            b.status.as_str().to_owned(),
        ),
    ]
}

/// `GET /customers/merge?a=…&b=…`: `b` merged into `a`, a radio per field.
pub async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let id = |name: &str| {
        params
            .get(name)
            .and_then(|v| CustomerId::parse(v).ok())
            .ok_or(crate::app::Error::field(
                name,
                "pick two customers to compare",
            ))
    };
    let (a, b) = (id("a")?, id("b")?);
    let actor = viewer.actor.clone();
    let (a, b) = state
        .crm
        .run(move |crm| Ok((crm.get_customer(&actor, a)?, crm.get_customer(&actor, b)?)))
        .await?;
    let content = html! {
        p.sub { "The customer on the left stays; the one on the right is merged into them. Their sales, visits and follow-ups move across, and their number and e-mail still find the customer who stays. A merge can be undone from the timeline." }
        form.form-card method="post" action=(paths::customer_merge()) {
            (form_keys(&viewer.csrf))
            input type="hidden" name="survivor_id" value=(a.id);
            input type="hidden" name="other_id" value=(b.id);
            div.table-scroll {
                table.list #merge-fields {
                    thead { tr { th { "Field" } th { (a.code()) " stays" } th { (b.code()) " merged" } } }
                    tbody {
                        @for (field, label, left, right) in rows(&a, &b) {
                            @let keep_left = !left.is_empty() || right.is_empty();
                            tr {
                                th scope="row" { (label) }
                                td { label { input type="radio" name=(field) value="survivor" checked[keep_left]; " " (left) } }
                                td { label { input type="radio" name=(field) value="other" checked[!keep_left]; " " (right) } }
                            }
                        }
                    }
                }
            }
            p.sub { "Tags and preferences of both are kept." }
            button.button.primary #merge type="submit" { (icon("layers")) "Merge" }
        }
    };
    Ok(page(&viewer, "Merge customers", html! {}, content).into_response())
}

fn side(value: Option<&str>) -> Option<Side> {
    match value {
        Some("survivor") => Some(Side::Survivor),
        Some("other") => Some(Side::Other),
        _ => None,
    }
}

/// `POST /customers/merge`
pub async fn merge(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let id = |name: &str| {
        form.get(name)
            .and_then(|v| uuid::Uuid::parse_str(v.trim()).ok())
            .ok_or(crate::app::Error::field(
                name,
                "pick two customers to merge",
            ))
    };
    let input = MergeInput {
        survivor_id: id("survivor_id")?,
        other_id: id("other_id")?,
        fields: MergeFieldsInput {
            name: side(form.get("name")),
            phone: side(form.get("phone")),
            email: side(form.get("email")),
            gender: side(form.get("gender")),
            date_of_birth: side(form.get("date_of_birth")),
            anniversary: side(form.get("anniversary")),
            address: side(form.get("address")),
            pan: side(form.get("pan")),
            notes: side(form.get("notes")),
            home_floor: side(form.get("home_floor")),
            status: side(form.get("status")),
        },
    };
    act(
        &state,
        &viewer,
        move |crm, actor| crm.merge_customers(actor, input),
        |done| paths::customer(done.survivor.id).done("merged"),
    )
    .await
}

/// `GET /customers/merges/{id}/undo`: what undoing gives back, and the button.
pub async fn undo_form(viewer: Viewer, PageId(id): PageId) -> Result<Response, PageError> {
    let content = html! {
        p { "Undoing the merge brings the merged customer back exactly as they were before it, with their own sales, visits and follow-ups, and returns the customer who stayed to their details from before the merge." }
        form method="post" action=(paths::undo_customer_merge(MergeId::from_uuid(id))) {
            (form_keys(&viewer.csrf))
            button.button.primary #undo-merge type="submit" { "Undo merge" }
        }
    };
    Ok(page(&viewer, "Undo merge", html! {}, content).into_response())
}

/// `POST /customers/merges/{id}/undo`
pub async fn undo(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let merge = MergeId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.undo_merge(actor, merge),
        |m| paths::customer(m.survivor_id).done("merge-undone"),
    )
    .await
}
