//! A customer's own page, and adding, editing, removing and (for admins) restoring
//! customers. The list is in `customers`; the page's activity (forms, open follow-ups,
//! timeline) is drawn by `customer_activity`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::activity_form::{Failed, notice};
use super::components::{confirm_dialog, icon, sentence};
use super::customer_activity;
use super::customer_form;
use super::error::PageError;
use super::format::{label, when};
use super::forms::{Choices, Target, all_errors, choices, save_errors};
use super::layout::page;
use super::session::{FormData, PageId, Submitted, Viewer};
use crate::app::Permission;
use crate::domain::{Customer, CustomerId, FieldErrors, format_date};
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
    page(
        viewer,
        title,
        html! {},
        customer_form::render(target, &viewer.csrf, draft, errors, choices),
    )
}

const NEW: Target<'static> = Target {
    action: "/customers",
    cancel: "/customers",
    submit: "Save customer",
};

/// `GET /customers/new`
pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let choices = choices(&state, &viewer).await?;
    let mut draft = vec![("status".to_owned(), "ACTIVE".to_owned())];
    if let Some(floor) = viewer.actor.floor_id {
        draft.push(("home_floor_id".to_owned(), floor.as_uuid().to_string()));
    }
    let draft = FormData::from_pairs(draft);
    Ok(form_page(
        &viewer,
        "New customer",
        NEW,
        &draft,
        &FieldErrors::new(),
        &choices,
    ))
}

/// `POST /customers`
pub async fn create(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let mut errors = FieldErrors::new();
    let input = customer_form::input_from(&form, &mut errors);
    let result = state
        .crm
        .run(move |crm| {
            all_errors(errors, customer_form::form_errors, || {
                crm.check_customer(&actor, &input)
            })?;
            crm.create_customer(&actor, input)
        })
        .await;
    match result {
        Ok(customer) => Ok(Redirect::to(&format!(
            "/customers/{}?done=created",
            customer.id.as_uuid()
        ))
        .into_response()),
        Err(err) => {
            let (status, errors) = save_errors(err, "phone")?;
            let errors = customer_form::form_errors(errors);
            let choices = choices(&state, &viewer).await?;
            Ok((
                status,
                form_page(&viewer, "New customer", NEW, &form, &errors, &choices),
            )
                .into_response())
        }
    }
}

/// `GET /customers/{id}`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
    uri: Uri,
) -> Result<Markup, PageError> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    render(
        &state,
        &viewer,
        CustomerId::from_uuid(id),
        Some(&params),
        None,
    )
    .await
}

/// The customer's page. `params` are its address's (`done`, `shown`); `failed` is an
/// activity form that was refused, drawn again with its values and messages.
pub(super) async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: CustomerId,
    params: Option<&FormData>,
    failed: Option<&Failed>,
) -> Result<Markup, PageError> {
    let none = FormData::default();
    let params = params.unwrap_or(&none);
    let shown = customer_activity::shown_in(params);
    let actor = viewer.actor.clone();
    let (customer, floors, categories, activity) = state
        .crm
        .run(move |crm| {
            let customer = crm.get_customer(&actor, id)?;
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let categories = crm.list_categories(&actor)?;
            let activity = customer_activity::load(crm, &actor, id, shown)?;
            Ok((customer, floors, categories, activity))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    let may_change = viewer.actor.may_work_on(customer.home_floor_id);
    let base = format!("/customers/{}", customer.id.as_uuid());
    let floor = customer
        .home_floor_id
        .and_then(|f| floors.iter().find(|x| x.id == f))
        .map_or("No particular floor".to_owned(), |f| {
            f.name.as_str().to_owned()
        });
    let actions = html! {
        @if customer.deleted_at.is_some() {
            @if viewer.actor.may(Permission::RestoreCustomers) {
                form method="post" action=(format!("{base}/restore")) {
                    input type="hidden" name="_csrf" value=(viewer.csrf);
                    button.button.primary #restore-customer type="submit" { (icon("restore")) "Restore" }
                }
            }
        } @else {
            a.button.primary #new-sale href=(format!("/sales/new?customer={}", customer.id.as_uuid())) { (icon("sale")) "New sale" }
            @if may_change {
                a.button #edit-customer href=(format!("{base}/edit")) { (icon("pencil")) "Edit" }
                button.button.danger #delete-customer type="button" data-open-dialog="delete-dialog" { (icon("trash")) "Remove" }
            }
        }
    };
    let c = &customer;
    let address = c.address.lines();
    let content = html! {
        (notice(params.get("done"), c.name.as_str()))
        @if c.deleted_at.is_some() {
            div.alert.warning role="status" { "This customer was removed. Only an admin can see this page, and restore them." }
        }
        div.detail-head {
            span.avatar aria-hidden="true" { (initials(c.name.as_str())) }
            div {
                p.code { (c.code()) }
                span.badge.(c.status.as_str().to_lowercase()) { (label(c.status.as_str())) }
            }
        }
        div.cards {
            section.card {
                h2 { "Contact" }
                dl {
                    dt { "Mobile" } dd { a href=(format!("tel:{}", c.phone.e164())) { (c.phone.to_string()) } }
                    dt { "Email" } dd { (c.email.as_ref().map_or("—", |e| e.as_str())) }
                    dt { "Gender" } dd { (c.gender.map_or("—".to_owned(), |g| label(g.as_str()))) }
                    dt { "Birthday" } dd { (c.date_of_birth.map_or("—".to_owned(), format_date)) }
                    dt { "Anniversary" } dd { (c.anniversary.map_or("—".to_owned(), format_date)) }
                    dt { "PAN" } dd { (c.pan.as_ref().map_or("—", |p| p.as_str())) }
                }
            }
            section.card {
                h2 { "With the store" }
                dl {
                    dt { "Home floor" } dd { (floor) }
                    dt { "Tags" } dd {
                        @if c.tags.is_empty() { "—" }
                        @for t in &c.tags { span.tag { (t.as_str()) } " " }
                    }
                    dt { "Customer since" } dd { (when(c.created_at, &tz)) }
                    dt { "Last changed" } dd { (when(c.updated_at, &tz)) }
                }
            }
            section.card {
                h2 { "Address" }
                p.address {
                    @if address.is_empty() && c.address.pincode.is_none() { "—" }
                    @for line in &address { (line) br; }
                    @if let Some(pin) = &c.address.pincode { (pin.as_str()) }
                }
            }
            section.card {
                h2 { "Likes" }
                dl {
                    dt { "Categories" } dd { (join_or_dash(c.preferences.categories.iter().filter_map(|id| {
                        categories.iter().find(|k| k.id == *id).map(|k| k.name.as_str().to_owned())
                    }))) }
                    dt { "Metals" } dd { (join_or_dash(c.preferences.metals.iter().map(|m| label(m.as_str())))) }
                    dt { "Purities" } dd { (join_or_dash(c.preferences.purities.iter().map(ToString::to_string))) }
                    dt { "Budget" } dd { (budget(c)) }
                }
            }
            @if !c.notes.as_str().is_empty() {
                section.card.wide {
                    h2 { "Notes" }
                    p.notes { (c.notes.as_str()) }
                }
            }
        }
        @match &activity {
            Ok(activity) => {
                @if c.deleted_at.is_none() {
                    (customer_activity::forms(viewer, c, &floors, activity, failed, &tz))
                    (customer_activity::open_follow_ups(viewer, activity, failed, &tz))
                }
                (customer_activity::timeline(c, activity, &tz))
            }
            Err(why) => {
                div.alert.warning role="status" { (sentence(why)) }
            }
        }
        @if may_change && c.deleted_at.is_none() {
            (confirm_dialog(
                "delete-dialog",
                &format!("Remove {}?", c.name.as_str()),
                "They will disappear from lists and search. An admin can restore them later; their history is kept.",
                &format!("{base}/delete"),
                &viewer.csrf,
                "Remove customer",
            ))
        }
    };
    Ok(page(viewer, c.name.as_str(), actions, content))
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

fn join_or_dash(items: impl Iterator<Item = String>) -> String {
    let joined = items.collect::<Vec<_>>().join(", ");
    if joined.is_empty() {
        "—".to_owned()
    } else {
        joined
    }
}

fn budget(c: &Customer) -> String {
    match (c.preferences.budget_min, c.preferences.budget_max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("from {min}"),
        (None, Some(max)) => format!("up to {max}"),
        (None, None) => "—".to_owned(),
    }
}

/// `GET /customers/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    PageId(id): PageId,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let customer = state
        .crm
        .run(move |crm| crm.get_customer(&actor, CustomerId::from_uuid(id)))
        .await?;
    viewer
        .actor
        .require_floor(customer.home_floor_id, "customer")?;
    let choices = choices(&state, &viewer).await?;
    let action = format!("/customers/{}", customer.id.as_uuid());
    let target = Target {
        action: &action,
        cancel: &action,
        submit: "Save changes",
    };
    let title = format!("Edit {}", customer.name.as_str());
    Ok(form_page(
        &viewer,
        &title,
        target,
        &customer_form::draft_of(&customer),
        &FieldErrors::new(),
        &choices,
    ))
}

/// `POST /customers/{id}`: saves the edit form.
pub async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    let actor = viewer.actor.clone();
    let mut errors = FieldErrors::new();
    let input = customer_form::input_from(&form, &mut errors);
    let result = state
        .crm
        .run(move |crm| {
            all_errors(errors, customer_form::form_errors, || {
                crm.check_customer(&actor, &input)
            })?;
            crm.update_customer(&actor, CustomerId::from_uuid(id), input)
        })
        .await;
    let action = format!("/customers/{id}");
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{action}?done=saved")).into_response()),
        Err(err) => {
            let (status, errors) = save_errors(err, "phone")?;
            let errors = customer_form::form_errors(errors);
            let choices = choices(&state, &viewer).await?;
            let target = Target {
                action: &action,
                cancel: &action,
                submit: "Save changes",
            };
            let title = format!("Edit {}", form.get("name").unwrap_or("customer"));
            Ok((
                status,
                form_page(&viewer, &title, target, &form, &errors, &choices),
            )
                .into_response())
        }
    }
}

/// `POST /customers/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Redirect, PageError> {
    let actor = viewer.actor;
    state
        .crm
        .run(move |crm| crm.delete_customer(&actor, CustomerId::from_uuid(id)))
        .await?;
    Ok(Redirect::to("/customers?done=deleted"))
}

/// `POST /customers/{id}/restore`
pub async fn restore(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Redirect, PageError> {
    let actor = viewer.actor;
    let customer = state
        .crm
        .run(move |crm| crm.restore_customer(&actor, CustomerId::from_uuid(id)))
        .await?;
    Ok(Redirect::to(&format!(
        "/customers/{}?done=restored",
        customer.id.as_uuid()
    )))
}
