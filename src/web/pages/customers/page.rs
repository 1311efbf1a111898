//! A customer's own page, and adding, editing, removing and (for admins) restoring
//! customers. The list is in `list`; the page's markup is in `page_view`, its documents
//! in `documents`, and its activity (forms, open follow-ups, timeline) is drawn by
//! `activity::customer_panel`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::documents::{self, Kept};
use super::form as customer_form;
use super::page_view::view;
use crate::app::CustomerInput;
use crate::domain::{CustomerId, FieldErrors};
use crate::web::AppState;
use crate::web::pages::activity::{Failed, shown_in};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::file_form::Refusal;
use crate::web::pages::shell::form_flow::{FormFlow, Refused, Typed, act, redirect_to};
use crate::web::pages::shell::forms::{Target, choices};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Watched};
use crate::web::pages::shell::session::{FormData, PageId, Params, Submitted, Viewer};
use crate::web::paths;

/// The customer form in its page, with the store's floors and categories to choose from.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    title: &str,
    target: Target,
    draft: &FormData,
    refused: Option<&Refused>,
) -> Result<Markup, PageError> {
    let choices = choices(state, viewer).await?;
    let none = FieldErrors::new();
    let errors = refused.map_or(&none, |r| &r.errors);
    // A phone clash names the customer who has the number; the form links to them.
    let existing = refused
        .and_then(|r| r.existing_id.as_deref())
        .and_then(|id| CustomerId::parse(id).ok());
    Ok(page(
        viewer,
        title,
        html! {},
        customer_form::render(target, &viewer.csrf, draft, errors, existing, &choices),
    ))
}

/// The edit form of `id`: it posts to the customer's page, and says so when the customer is
/// changed on another tablet while it is open.
fn editing(id: CustomerId) -> Target {
    Target::editing(paths::customer(id)).watching(Watched {
        id: id.as_uuid(),
        kind: Kind::Customer,
        noun: "customer",
        edit: paths::edit_customer(id),
    })
}

/// The form that adds a customer.
fn new_customer() -> Target {
    Target::adding(paths::customers(), "Save customer")
}

/// `GET /customers/new`; `?phone=` fills in the number (the bill form links here when
/// no customer has the number typed).
pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let mut draft = vec![("status".to_owned(), "ACTIVE".to_owned())];
    if let Some(phone) = params.text("phone") {
        draft.push(("phone".to_owned(), phone));
    }
    if let Some(floor) = viewer.actor.floor_id {
        draft.push(("home_floor_id".to_owned(), floor.as_uuid().to_string()));
    }
    let draft = FormData::from_pairs(draft);
    form_page(
        &state,
        &viewer,
        "New customer",
        new_customer(),
        &draft,
        None,
    )
    .await
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
        Err(refused) => Ok(refused.show(
            form_page(
                &state,
                &viewer,
                "New customer",
                new_customer(),
                &form,
                Some(&refused),
            )
            .await?,
        )),
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
    Params(params): Params,
) -> Result<Markup, PageError> {
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
    draw(state, viewer, id, params, failed, None).await
}

/// The customer's page after a document was refused: the reason beside the form, with
/// the refusal's status (422, 413…), and nothing kept.
pub async fn refused_document(
    state: &AppState,
    viewer: &Viewer,
    id: CustomerId,
    refusal: &Refusal,
) -> Result<Response, PageError> {
    let markup = draw(state, viewer, id, None, None, Some(refusal)).await?;
    Ok((refusal.status, markup).into_response())
}

async fn draw(
    state: &AppState,
    viewer: &Viewer,
    id: CustomerId,
    params: Option<&FormData>,
    failed: Option<&Failed>,
    refused: Option<&Refusal>,
) -> Result<Markup, PageError> {
    let none = FormData::default();
    let params = params.unwrap_or(&none);
    let shown = shown_in(params);
    let actor = viewer.actor.clone();
    let max_mb = state.crm.config().files.document_max_mb;
    let (overview, kept) = state
        .crm
        .run(move |crm| {
            let overview = crm.customer_overview(&actor, id, shown)?;
            let kept = Kept {
                documents: crm.customer_documents(&actor, id)?,
                names: crm.staff_names(&actor)?,
                max_mb,
            };
            Ok((overview, kept))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    let done = params.get("done");
    let documents = documents::section(
        viewer,
        &overview.customer,
        &overview.floors,
        &kept,
        done,
        refused,
        &tz,
    );
    Ok(view(viewer, &overview, done, failed, documents, &tz))
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
    let target = editing(customer.id);
    let title = format!("Edit {}", customer.name.as_str());
    form_page(
        &state,
        &viewer,
        &title,
        target,
        &customer_form::draft_of(&customer),
        None,
    )
    .await
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
            let target = editing(customer);
            let title = format!("Edit {}", form.get("name").unwrap_or("customer"));
            Ok(refused
                .show(form_page(&state, &viewer, &title, target, &form, Some(&refused)).await?))
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
