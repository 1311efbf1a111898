//! The audit trail page (`/settings/audit`): who changed what, when and from where,
//! filtered in the address (so a view can be bookmarked), newest first with "Older"
//! paging. A table on a wide screen, one card per change on a phone. It calls the same
//! use case as `GET /api/audit`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::{
    AuditEntry, AuditPage, AuditQuery, KIND_NAMES, Notable, Permission, StaffNames, audit_cursor,
    kind_name,
};
use crate::domain::{
    CategoryId, CustomerId, FieldErrors, Floor, FloorId, FollowUpId, ProductId, SaleId, UserId,
};
use crate::store::{ChangeOp, Deleted, EntityKind};
use crate::web::AppState;
use crate::web::pages::shell::components::{icon, select};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::{list_status, listed};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

/// The filters the address may carry, kept on every link that pages on.
const FILTERS: [&str; 6] = ["person", "floor", "kind", "from", "to", "notable"];

fn query_of(params: &FormData) -> AuditQuery {
    AuditQuery {
        person: params.text("person"),
        floor: params.text("floor"),
        kind: params.text("kind"),
        from: params.text("from"),
        to: params.text("to"),
        notable: params.text("notable"),
        limit: None,
        cursor: params.text("cursor"),
    }
}

/// `/settings/audit` with the filters given (and `notable` as asked), for links.
fn filtered_address(params: &FormData, notable: Option<Option<Notable>>) -> paths::Link {
    let mut kept: Vec<(&str, String)> = FILTERS
        .iter()
        .filter(|k| notable.is_none() || **k != "notable")
        .filter_map(|k| params.text(k).map(|v| (*k, v)))
        .collect();
    if let Some(Some(pick)) = notable {
        kept.push(("notable", pick.as_str().to_owned()));
    }
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    paths::audit().with_query(&query)
}

/// `GET /settings/audit`: a Business Admin's view of every change in the store. A
/// filter that cannot be read is explained above the list (422), never a failure.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::ReadAuditTrail)?;
    let mut errors = FieldErrors::new();
    let parsed = listed(query_of(&params).parse(), &mut errors)?;
    let actor = viewer.actor.clone();
    let (floors, staff, trail) = state
        .crm
        .run(move |crm| {
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let staff = crm.staff_names(&actor)?;
            let trail = parsed
                .map(|(filter, page)| crm.audit_trail(&actor, &filter, page))
                .transpose()?;
            Ok((floors, staff, trail))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    let content = html! {
        (filters(&params, &floors, &staff, &errors))
        @if let Some(trail) = &trail {
            (entries(&params, trail, &tz))
        }
    };
    Ok((
        list_status(&errors),
        page(&viewer, "Audit trail", html! {}, content),
    )
        .into_response())
}

fn options<'a>(any: &str, all: impl Iterator<Item = (String, &'a str)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(all.map(|(value, text)| (value, text.to_owned())))
        .collect()
}

fn filters(
    params: &FormData,
    floors: &[Floor],
    staff: &StaffNames,
    errors: &FieldErrors,
) -> Markup {
    let value = |k: &str| params.get(k).unwrap_or("").to_owned();
    let people = staff.by_name();
    let people = options(
        "Anyone",
        people.iter().map(|(id, name)| (id.to_string(), *name)),
    );
    let floors = options(
        "All floors",
        floors.iter().map(|f| (f.id.to_string(), f.name.as_str())),
    );
    let kinds = options(
        "Any record",
        KIND_NAMES.iter().map(|k| ((*k).to_owned(), "")),
    )
    .into_iter()
    .map(|(value, text)| {
        let text = if value.is_empty() {
            text
        } else {
            label(&value)
        };
        (value, text)
    })
    .collect::<Vec<_>>();
    let notables = options(
        "Every change",
        Notable::ALL
            .iter()
            .map(|n| (n.as_str().to_owned(), n.label())),
    );
    let date = |name: &str, text: &str| {
        let error = errors.get(name);
        html! {
            div.field.invalid[error.is_some()] {
                label for=(format!("audit-{name}")) { (text) }
                input #(format!("audit-{name}")) type="date" name=(name) value=(value(name));
                @if let Some(message) = error { p.field-error role="alert" { (message) } }
            }
        }
    };
    let chosen = params.text("notable").and_then(|n| Notable::named(&n));
    html! {
        nav.quick-picks aria-label="Quick picks" {
            @for pick in Notable::ALL {
                a.button.small.primary[chosen == Some(pick)]
                    href=(filtered_address(params, Some(Some(pick)))) { (pick.label()) }
                " "
            }
            @if chosen.is_some() {
                a.button.small href=(filtered_address(params, Some(None))) { "Every change" }
            }
        }
        form.filters #audit-filters method="get" action=(paths::audit()) {
            div.filters {
                (select("person", "Person", &people, &value("person"), errors))
                (select("floor", "Floor", &floors, &value("floor"), errors))
                (select("kind", "Record", &kinds, &value("kind"), errors))
                (select("notable", "Quick pick", &notables, &value("notable"), errors))
                (date("from", "From"))
                (date("to", "To"))
            }
            div.field.filter-buttons {
                button.button type="submit" { (icon("search")) "Show" }
                " "
                a.button href=(paths::audit()) { "Clear" }
            }
            @if let Some(message) = errors.get("cursor") { p.field-error role="alert" { "This list address is not right: 'cursor' " (message) } }
        }
    }
}

fn entries(params: &FormData, trail: &AuditPage, tz: &TimeZone) -> Markup {
    let address = filtered_address(params, None);
    let paged_back = params.text("cursor").is_some();
    let filtered = FILTERS.iter().any(|k| params.text(k).is_some());
    html! {
        section.card.wide {
            @if trail.entries.is_empty() {
                p.empty {
                    @if trail.older.is_some() { "No changes match in this stretch of the trail; look further with Older." }
                    @else if paged_back { "No older changes." }
                    @else if filtered { "No changes match these filters." }
                    @else { "No changes yet." }
                }
            } @else {
                table.list.stacked #audit {
                    thead { tr {
                        th { "When" } th { "Who" } th { "From" } th { "Record" } th { "What happened" } th { "Before → after" }
                    } }
                    tbody {
                        @for entry in &trail.entries { (row(entry, tz)) }
                    }
                }
            }
            nav.pagination aria-label="Pages" {
                @if paged_back { a.button href=(address.clone()) { (icon("chevron-left")) "Newest" } }
                @if let Some(older) = trail.older {
                    a.button rel="next" href=(address.with("cursor", audit_cursor(older))) { "Older" (icon("chevron-right")) }
                }
            }
        }
    }
}

fn row(entry: &AuditEntry, tz: &TimeZone) -> Markup {
    let record = entry
        .label
        .clone()
        .unwrap_or_else(|| label(kind_name(entry.kind)));
    html! {
        tr.audit-entry data-seq=(entry.seq) {
            td.nowrap data-label="When" { (when(entry.at, tz)) }
            td data-label="Who" {
                @if let Some(who) = &entry.who {
                    (who.name) " " span.muted { (label(who.role.as_str())) }
                } @else { span.muted { "The system (command line)" } }
            }
            td.origin data-label="From" {
                @if let Some(origin) = &entry.origin {
                    @if !origin.device.is_empty() { span.device title=(origin.device) { (device_name(&origin.device)) } }
                    @if let Some(address) = origin.address { " " span.muted.address { (address) } }
                    @if let Some(key) = origin.api_key { " " span.muted { "API key " (uuid::Uuid::from_u128(key)) } }
                } @else { span.muted { "—" } }
            }
            td data-label="Record" {
                span.muted { (label(kind_name(entry.kind))) ": " }
                @match link(entry.kind, entry.record_id) {
                    Some(href) => a href=(href) { (record) },
                    None => (record),
                }
            }
            td data-label="What happened" {
                (op_words(entry.op))
                @for pick in &entry.notable { " " span.badge { (pick.label()) } }
            }
            td.fields data-label="Before → after" {
                @if !entry.fields.is_empty() {
                    ul.changes {
                        @for field in &entry.fields {
                            li {
                                code { (field.field) } ": "
                                span.before { (field.before.as_deref().unwrap_or("—")) }
                                " → "
                                span.after { (field.after.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
                @if entry.more_fields > 0 { p.muted { "and " (entry.more_fields) " more fields" } }
            }
        }
    }
}

/// A browser's own name for itself, as a person would say it ("Chrome on Android"); the
/// whole text stays in the title. Anything unrecognised is shown cut short.
fn device_name(user_agent: &str) -> String {
    let has = |word: &str| user_agent.contains(word);
    // Order matters: Edge and Opera also say Chrome, and Chrome also says Safari.
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| has(mark))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPad", "iPad"),
        ("iPhone", "iPhone"),
        ("Windows", "Windows"),
        ("Mac OS X", "a Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| has(mark))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, _) => short(user_agent, 40),
    }
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn op_words(op: ChangeOp) -> &'static str {
    match op {
        ChangeOp::Created => "Added",
        ChangeOp::Updated => "Changed",
        ChangeOp::Deleted => "Removed",
        ChangeOp::Restored => "Restored",
        ChangeOp::SignedIn => "Signed in",
        ChangeOp::SignedOut => "Signed out",
        ChangeOp::PasswordChanged => "Changed the password",
        ChangeOp::Revoked => "Revoked",
        ChangeOp::Viewed => "Viewed",
    }
}

/// The page of the changed record, where it has one.
fn link(kind: EntityKind, id: uuid::Uuid) -> Option<paths::Link> {
    Some(match kind {
        EntityKind::Customer => paths::customer(CustomerId::from_uuid(id)),
        EntityKind::Sale => paths::sale(SaleId::from_uuid(id)),
        EntityKind::Product => paths::product(ProductId::from_uuid(id)),
        EntityKind::User | EntityKind::Session => paths::team_member(UserId::from_uuid(id)),
        EntityKind::Floor => paths::floor(FloorId::from_uuid(id)),
        EntityKind::Category => paths::category(CategoryId::from_uuid(id)),
        EntityKind::FollowUp => paths::follow_up(FollowUpId::from_uuid(id)),
        EntityKind::Rate => paths::rates(),
        EntityKind::Store => paths::settings(),
        EntityKind::ApiKey => paths::api_keys(),
        EntityKind::Notification => paths::notifications(),
        EntityKind::Import => paths::import(crate::domain::ImportId::from_uuid(id)),
        EntityKind::Interaction
        | EntityKind::Preference
        | EntityKind::CustomerMerge
        | EntityKind::File => {
            return None;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn browsers_are_named_as_people_say_them() {
        let tablet = "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_name(tablet), "Chrome on Android");
        let laptop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device_name(laptop), "Edge on Windows");
        let ipad = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_name(ipad), "Safari on iPad");
        assert_eq!(device_name("curl/8.5.0"), "curl/8.5.0");
        assert_eq!(
            device_name("a very long integration name that goes on and on"),
            "a very long integration name that goes …"
        );
    }
}
