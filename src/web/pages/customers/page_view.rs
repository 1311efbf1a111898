//! The markup of a customer's page: the actions, the detail cards, and the activity
//! half drawn by `activity` (or why this person sees none of it).

use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::{CustomerOverview, Permission};
use crate::domain::{Category, Customer, CustomerValue, Floor, format_date};
use crate::web::pages::activity::{self as customer_panel, Failed, notice};
use crate::web::pages::shell::components::{confirm_dialog, icon, sentence};
use crate::web::pages::shell::format::{label, when};
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::Viewer;
use crate::web::paths;

/// The whole page. `done` is what was just saved (`?done=`); `failed` is an activity
/// form that was refused, drawn again with its values and messages; `documents` is the
/// Documents section, drawn by `documents`.
pub fn view(
    viewer: &Viewer,
    overview: &CustomerOverview,
    done: Option<&str>,
    failed: Option<&Failed>,
    documents: Markup,
    tz: &TimeZone,
) -> Markup {
    let c = &overview.customer;
    let may_change = viewer.actor.may_work_on(c.home_floor_id);
    // The details and the purchase figures follow edits and bills made elsewhere; the
    // heading and the buttons stay as drawn.
    let summary = Region::new("customer-live", &[Kind::Customer, Kind::Sale])
        .about(c.id.as_uuid())
        .fetched_from(paths::customer(c.id));
    let content = html! {
        (notice(done, c.name.as_str()))
        @if c.deleted_at.is_some() {
            div.alert.warning role="status" { "This customer was removed. Only an admin can see this page, and restore them." }
        }
        (summary.wrap(html! {
            div.detail-head {
                span.avatar aria-hidden="true" { (initials(c.name.as_str())) }
                div {
                    p.code { (c.code()) }
                    span.badge.(c.status.as_str().to_lowercase()) { (label(c.status.as_str())) }
                }
            }
            div.cards {
                (contact_card(c))
                (value_card(&overview.value, tz))
                (store_card(c, &overview.floors, tz))
                (address_card(c))
                (likes_card(c, &overview.categories))
                @if !c.notes.as_str().is_empty() {
                    section.card.wide {
                        h2 { "Notes" }
                        p.notes { (c.notes.as_str()) }
                    }
                }
            }
        }))
        (documents)
        (activity(viewer, overview, failed, tz))
        @if may_change && c.deleted_at.is_none() {
            (confirm_dialog(
                "delete-dialog",
                &format!("Remove {}?", c.name.as_str()),
                "They will disappear from lists and search. An admin can restore them later; their history is kept.",
                &paths::delete_customer(c.id),
                &viewer.csrf,
                ("Keep the customer", "Remove customer"),
            ))
        }
    };
    page(
        viewer,
        c.name.as_str(),
        actions(viewer, c, may_change),
        content,
    )
}

/// Restore (a removed customer, for an admin), or New sale, Edit and Remove.
fn actions(viewer: &Viewer, customer: &Customer, may_change: bool) -> Markup {
    html! {
        @if customer.deleted_at.is_some() {
            @if viewer.actor.may(Permission::RestoreCustomers) {
                form method="post" action=(paths::restore_customer(customer.id)) {
                    (form_keys(&viewer.csrf))
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
    }
}

fn contact_card(c: &Customer) -> Markup {
    html! {
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
    }
}

/// What the customer has bought, and how often they came in.
fn value_card(value: &CustomerValue, tz: &TimeZone) -> Markup {
    html! {
        section.card #customer-value {
            h2 { "Purchases" }
            dl {
                dt { "Lifetime value" } dd.num.nowrap #lifetime-value { (value.lifetime_value) }
                dt { "Last purchase" } dd.nowrap #last-purchase {
                    (value.last_purchase.map_or("Not yet".to_owned(), |at| format_date(at.to_zoned_datetime(tz.clone()).date())))
                }
                dt { "Bills" } dd.num #purchases { (value.purchases) }
                dt { "Visits" } dd.num #visits { (value.visits()) }
            }
            p.hint { "Lifetime value adds up completed bills, less refunds; pending and cancelled bills are left out. Visits count each walk-in logged and each completed bill." }
        }
    }
}

/// Home floor, tags and dates.
fn store_card(c: &Customer, floors: &[Floor], tz: &TimeZone) -> Markup {
    let floor = c
        .home_floor_id
        .and_then(|f| floors.iter().find(|x| x.id == f))
        .map_or("No particular floor".to_owned(), |f| {
            f.name.as_str().to_owned()
        });
    html! {
        section.card {
            h2 { "With the store" }
            dl {
                dt { "Home floor" } dd { (floor) }
                dt { "Tags" } dd {
                    @if c.tags.is_empty() { "—" }
                    @for t in &c.tags { span.tag { (t.as_str()) } " " }
                }
                dt { "Customer since" } dd { (when(c.created_at, tz)) }
                dt { "Last changed" } dd { (when(c.updated_at, tz)) }
            }
        }
    }
}

fn address_card(c: &Customer) -> Markup {
    let address = c.address.lines();
    html! {
        section.card {
            h2 { "Address" }
            p.address {
                @if address.is_empty() && c.address.pincode.is_none() { "—" }
                @for line in &address { (line) br; }
                @if let Some(pin) = &c.address.pincode { (pin.as_str()) }
            }
        }
    }
}

fn likes_card(c: &Customer, categories: &[Category]) -> Markup {
    let liked = c.preferences.categories.iter().filter_map(|id| {
        categories
            .iter()
            .find(|k| k.id == *id)
            .map(|k| k.name.as_str().to_owned())
    });
    html! {
        section.card {
            h2 { "Likes" }
            dl {
                dt { "Categories" } dd { (join_or_dash(liked)) }
                dt { "Metals" } dd { (join_or_dash(c.preferences.metals.iter().map(|m| label(m.as_str())))) }
                dt { "Purities" } dd { (join_or_dash(c.preferences.purities.iter().map(ToString::to_string))) }
                dt { "Budget" } dd { (budget(c)) }
            }
        }
    }
}

/// The activity forms and open follow-ups (not for a removed customer) and the
/// timeline, or why this person sees none of it.
fn activity(
    viewer: &Viewer,
    overview: &CustomerOverview,
    failed: Option<&Failed>,
    tz: &TimeZone,
) -> Markup {
    let c = &overview.customer;
    html! {
        @match &overview.activity {
            Ok(activity) => {
                @if c.deleted_at.is_none() {
                    (customer_panel::forms(viewer, c, &overview.floors, activity, failed, tz))
                    (customer_panel::open_follow_ups(viewer, c, activity, failed, tz))
                }
                (customer_panel::timeline(c, activity, tz))
            }
            Err(why) => {
                div.alert.warning role="status" { (sentence(why)) }
            }
        }
    }
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
