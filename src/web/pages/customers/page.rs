//! A customer's own page, and adding, editing, removing and (for admins) restoring
//! customers. The list is in `customers`; the page's activity (forms, open follow-ups,
//! timeline) is drawn by `activity::customer_panel`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use maud::{Markup, html};

use super::form as customer_form;
use crate::app::{CustomerInput, Permission};
use crate::domain::{Customer, CustomerId, FieldErrors, format_date};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::activity::{self as customer_panel, Failed, notice};
use crate::web::pages::shell::components::{confirm_dialog, icon, sentence};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, act, redirect_to};
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::{Choices, Target, choices};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, PageId, Submitted, Viewer};
use crate::web::paths;

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
    action: paths::CUSTOMERS,
    cancel: paths::CUSTOMERS,
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
    match customer_flow(&state, &viewer, &form)
        .save(|crm, actor, input| crm.create_customer(actor, input))
        .await?
    {
        Ok(customer) => Ok(redirect_to(paths::customer(customer.id).done("created"))),
        Err(refused) => {
            let choices = choices(&state, &viewer).await?;
            Ok(refused.show(form_page(
                &viewer,
                "New customer",
                NEW,
                &form,
                &refused.errors,
                &choices,
            )))
        }
    }
}

/// What the customer form typed, on its way to `app`: every problem found at once, a
/// clash shown beside the phone.
fn customer_flow<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    form: &FormData,
) -> FormFlow<'a, CustomerInput> {
    let typed = Typed::read(|errors| customer_form::input_from(form, errors));
    FormFlow::new(state, viewer, typed)
        .conflicts_on("phone")
        .checked_by(
            |crm, actor, input| crm.check_customer(actor, input),
            customer_form::form_errors,
        )
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
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: CustomerId,
    params: Option<&FormData>,
    failed: Option<&Failed>,
) -> Result<Markup, PageError> {
    let none = FormData::default();
    let params = params.unwrap_or(&none);
    let shown = customer_panel::shown_in(params);
    let actor = viewer.actor.clone();
    let (customer, floors, categories, activity) = state
        .crm
        .run(move |crm| {
            let customer = crm.get_customer(&actor, id)?;
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let categories = crm.list_categories(&actor)?;
            let activity = customer_panel::load(crm, &actor, id, shown)?;
            Ok((customer, floors, categories, activity))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    let may_change = viewer.actor.may_work_on(customer.home_floor_id);
    let floor = customer
        .home_floor_id
        .and_then(|f| floors.iter().find(|x| x.id == f))
        .map_or("No particular floor".to_owned(), |f| {
            f.name.as_str().to_owned()
        });
    let actions = html! {
        @if customer.deleted_at.is_some() {
            @if viewer.actor.may(Permission::RestoreCustomers) {
                form method="post" action=(paths::restore_customer(customer.id)) {
                    input type="hidden" name="_csrf" value=(viewer.csrf);
                    button.button.primary #restore-customer type="submit" { (icon("restore")) "Restore" }
                }
            }
        } @else {
            a.button.primary #new-sale href=(paths::new_sale().with("customer", customer.id)) { (icon("sale")) "New sale" }
            @if may_change {
                a.button #edit-customer href=(paths::edit_customer(customer.id)) { (icon("pencil")) "Edit" }
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
                    (customer_panel::forms(viewer, c, &floors, activity, failed, &tz))
                    (customer_panel::open_follow_ups(viewer, activity, failed, &tz))
                }
                (customer_panel::timeline(c, activity, &tz))
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
                &paths::delete_customer(customer.id),
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
    let action = paths::customer(customer.id);
    let target = Target {
        action: action.as_str(),
        cancel: action.as_str(),
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
    let customer = CustomerId::from_uuid(id);
    match customer_flow(&state, &viewer, &form)
        .save(move |crm, actor, input| crm.update_customer(actor, customer, input))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::customer(customer).done("saved"))),
        Err(refused) => {
            let choices = choices(&state, &viewer).await?;
            let action = paths::customer(customer);
            let target = Target {
                action: action.as_str(),
                cancel: action.as_str(),
                submit: "Save changes",
            };
            let title = format!("Edit {}", form.get("name").unwrap_or("customer"));
            Ok(refused.show(form_page(
                &viewer,
                &title,
                target,
                &form,
                &refused.errors,
                &choices,
            )))
        }
    }
}

/// `POST /customers/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let customer = CustomerId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.delete_customer(actor, customer),
        |()| paths::customers().done("deleted"),
    )
    .await
}

/// `POST /customers/{id}/restore`
pub async fn restore(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let customer = CustomerId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.restore_customer(actor, customer),
        |c| paths::customer(c.id).done("restored"),
    )
    .await
}
