//! The frame around every page: the document head with the embedded assets, the app
//! shell (the store's logo, navigation by role, the global search box, the user menu),
//! the rate strip, the page's live-events connection and the lock screen of shared
//! tablets.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::components::icon;
use super::live::{Kind, Region};
use super::session::Viewer;
use crate::app::{BoardLine, Permission};
use crate::domain::StoredFile;
use crate::web::assets;
use crate::web::paths;

/// A section of the app in the navigation; one that needs a permission is offered only
/// to those who have it.
struct Section {
    href: &'static str,
    label: &'static str,
    icon: &'static str,
    needs: Option<Permission>,
}

const SECTIONS: &[Section] = &[
    Section {
        href: paths::HOME,
        label: "Dashboard",
        icon: "layout-dashboard",
        needs: None,
    },
    Section {
        href: paths::CUSTOMERS,
        label: "Customers",
        icon: "users",
        needs: None,
    },
    Section {
        href: paths::PRODUCTS,
        label: "Products",
        icon: "gem",
        needs: None,
    },
    Section {
        href: paths::SALES,
        label: "Sales",
        icon: "receipt",
        needs: None,
    },
    Section {
        href: paths::REPORTS,
        label: "Reports",
        icon: "list",
        needs: None,
    },
    Section {
        href: paths::MY_DAY,
        label: "My day",
        icon: "calendar-check",
        needs: None,
    },
    Section {
        href: paths::PIPELINE,
        label: "Pipeline",
        icon: "kanban",
        needs: None,
    },
    Section {
        href: paths::CATEGORIES,
        label: "Categories",
        icon: "folder-tree",
        needs: Some(Permission::ManageCategories),
    },
    Section {
        href: paths::FLOORS,
        label: "Floors",
        icon: "layers",
        needs: Some(Permission::ManageFloors),
    },
    Section {
        href: paths::TEAM,
        label: "Team",
        icon: "user-cog",
        needs: Some(Permission::ManageTeam),
    },
    Section {
        href: paths::SETTINGS,
        label: "Settings",
        icon: "settings",
        needs: Some(Permission::ChangeStoreSettings),
    },
    Section {
        href: paths::AUDIT,
        label: "Audit",
        icon: "list",
        needs: Some(Permission::ReadAuditTrail),
    },
];

const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"(422|409)","swap":true},{"code":"[45]..","swap":false,"error":true},{"code":"...","swap":false}]}"#;

/// The `<head>`: character set, viewport for tablets, the stylesheet and scripts.
pub fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="color-scheme" content="light";
            // htmx may not add inline styles or evaluate code (the page's CSP forbids
            // both), and swaps in a row or form sent back with its errors (422, 409).
            meta name="htmx-config" content=(HTMX_CONFIG);
            title { (title) " · Sarkar CRM" }
            link rel="icon" href=(paths::FAVICON_SVG) type="image/svg+xml";
            link rel="stylesheet" href=(assets::url("fonts.css"));
            link rel="stylesheet" href=(assets::url("app.css"));
            link rel="stylesheet" href=(assets::url("bill-form.css"));
            link rel="stylesheet" href=(assets::url("charts.css"));
            link rel="stylesheet" href=(assets::url("reports.css"));
            script src=(assets::url("vendor/htmx-2.0.11.min.js")) defer {}
            script src=(assets::url("vendor/htmx-ext-sse-2.2.4.min.js")) defer {}
            // Before app.js: it opens the page's one event stream, which app.js uses too.
            script src=(assets::url("live.js")) defer {}
            script src=(assets::url("app.js")) defer {}
        }
    }
}

fn is_current(section: &Section, path: &str) -> bool {
    if section.href == paths::HOME {
        path == paths::HOME
    } else {
        path == section.href || path.starts_with(&format!("{}/", section.href))
    }
}

/// A whole page for a signed-in person: `title` in the tab and as the heading, and
/// `actions` (buttons) beside the heading. The page connects to the live events from
/// the change it was drawn at (see `live`).
pub fn page(viewer: &Viewer, title: &str, actions: Markup, content: Markup) -> Markup {
    let actor = &viewer.actor;
    html! {
        (DOCTYPE)
        html lang="en-IN" {
            (head(title))
            body hx-headers=(format!(r#"{{"X-CSRF-Token":"{}"}}"#, viewer.csrf))
                data-lock-minutes=(viewer.lock_minutes)
                hx-ext="sse" sse-connect=(paths::live_events(viewer.live_after)) {
                a.skip-link href="#main" { "Skip to content" }
                header.topbar {
                    a.brand href=(paths::home()) aria-label="Sarkar CRM home" {
                        @if let Some(logo) = &viewer.logo { (brand_logo(logo)) }
                        @else {
                            span.brand-mark { "S" }
                            span.brand-name { "Sarkar CRM" }
                        }
                    }
                    (search_box())
                    nav.user-menu aria-label="Your account" {
                        (bell(viewer.unread))
                        a.user-link href=(paths::profile()) title="My profile" {
                            (icon("user"))
                            span.user-name { (actor.name.as_str()) }
                        }
                        form method="post" action=(paths::logout()) {
                            input type="hidden" name="_csrf" value=(viewer.csrf);
                            button.icon-button #sign-out type="submit" title="Sign out" aria-label="Sign out" {
                                (icon("log-out"))
                            }
                        }
                    }
                }
                nav #main-nav .sidebar aria-label="Sections" {
                    ul {
                        @for section in SECTIONS.iter().filter(|s| s.needs.is_none_or(|p| actor.may(p))) {
                            li {
                                a href=(section.href)
                                    aria-current=[is_current(section, &viewer.path).then_some("page")] {
                                    (icon(section.icon))
                                    span { (section.label) }
                                }
                            }
                        }
                    }
                }
                main #main tabindex="-1" {
                    (live_rate_strip(viewer, &viewer.rates))
                    div.page-head #page-head {
                        h1 { (title) }
                        div.page-actions { (actions) }
                    }
                    div #notice role="status" aria-live="polite" {}
                    (content)
                }
                (lock_screen(viewer))
            }
        }
    }
}

/// The height the header draws the logo at, in CSS pixels (the stylesheet's
/// `.brand-logo` says the same), and the widest it may be.
const LOGO_HEIGHT: u32 = 36;
const LOGO_MAX_WIDTH: u32 = 160;

/// The store's logo in place of the app's mark and name: its width worked out from its
/// proportions so the browser reserves the space before it loads and picks the copy
/// that is sharp at the screen's density from `srcset`.
fn brand_logo(logo: &StoredFile) -> Markup {
    let Some(small) = logo.copies.first() else {
        return html! {};
    };
    let width = (LOGO_HEIGHT * small.width)
        .checked_div(small.height)
        .unwrap_or(LOGO_HEIGHT)
        .clamp(1, LOGO_MAX_WIDTH);
    html! {
        img.brand-logo #brand-logo src=(paths::media(small.content, small.file_type))
            srcset=(paths::srcset(logo)) sizes=(format!("{width}px"))
            width=(width) height=(LOGO_HEIGHT) alt="";
    }
}

/// The bell: a link to the notifications with the unread count, which the page's
/// script bumps as notifications arrive live.
fn bell(unread: u32) -> Markup {
    let shown = if unread >= crate::app::UNREAD_CAP {
        "99+".to_owned()
    } else {
        unread.to_string()
    };
    html! {
        a.icon-button.bell #bell href=(paths::notifications())
            aria-label=(bell_label(unread)) title="Notifications" data-unread=(unread) {
            (icon("bell"))
            span.bell-count aria-hidden="true" hidden[unread == 0] { (shown) }
        }
    }
}

/// "Notifications, 3 unread".
pub fn bell_label(unread: u32) -> String {
    match unread {
        0 => "Notifications, none unread".to_owned(),
        n if n >= crate::app::UNREAD_CAP => "Notifications, more than 99 unread".to_owned(),
        n => format!("Notifications, {n} unread"),
    }
}

/// Today's `rates` across the top of every page, what staff quote to customers; it
/// fetches itself again from its own fragment route when a rate changes.
pub fn live_rate_strip(viewer: &Viewer, rates: &[BoardLine]) -> Markup {
    Region::new("rate-strip-live", &[Kind::Rate])
        .fetched_from(paths::rate_strip())
        .wrap(rate_strip(viewer, rates))
}

fn rate_strip(viewer: &Viewer, rates: &[BoardLine]) -> Markup {
    let set: Vec<&BoardLine> = rates.iter().filter(|l| l.rate.is_some()).collect();
    html! {
        div.rate-strip #rate-strip role="region" aria-label="Today's metal rates" {
            // The way to the rates page from everywhere (it is not in the menu, which
            // must fit one line on an upright tablet).
            a.rate-title href=(paths::rates()) { (icon("rates")) "Rates per gram" }
            @if set.is_empty() {
                span.rate-missing { "Not set yet. " }
                @if viewer.actor.may(Permission::SetRates) { a href=(paths::rates()) { "Set today's rates" } }
                @else { "Ask the owner to set today's rates." }
            }
            @for line in &set {
                @if let Some(rate) = &line.rate {
                    span.rate {
                        span.rate-purity { (purity_name(line)) }
                        " " (rate.per_gram.to_string())
                    }
                }
            }
        }
    }
}

/// `22K gold`, `925 silver`.
pub fn purity_name(line: &BoardLine) -> String {
    format!(
        "{} {}",
        line.purity.label(),
        line.purity.metal().label().to_lowercase()
    )
}

/// The search box on every page: suggestions appear as you type; Enter lists the
/// matching customers.
fn search_box() -> Markup {
    html! {
        form.global-search role="search" method="get" action=(paths::customers()) {
            label.visually-hidden for="global-search" { "Search customers and products" }
            (icon("search"))
            input #global-search type="search" name="q" autocomplete="off"
                placeholder="Name, phone, SKU or HUID…"
                hx-get=(paths::search_suggest()) hx-trigger="input changed delay:150ms, focus"
                hx-target="#search-suggestions" hx-sync="this:replace"
                aria-controls="search-suggestions";
            div #search-suggestions .suggestions {}
        }
    }
}

/// Covers the page after a few idle minutes (see `auth.tablet_lock_minutes`); the same
/// person's password opens it with the page as they left it, anyone else signs in anew.
fn lock_screen(viewer: &Viewer) -> Markup {
    html! {
        dialog #lock-screen .lock-screen aria-labelledby="lock-title" {
            form #unlock-form method="post" action=(paths::unlock()) {
                (icon("lock"))
                h2 #lock-title { "Screen locked" }
                p { "Signed in as " strong { (viewer.actor.name.as_str()) } ". Enter your password to carry on where you left off." }
                input type="hidden" name="_csrf" value=(viewer.csrf);
                // Lets password managers know whose password this is.
                input type="text" name="username" value=(viewer.actor.username.as_str())
                    autocomplete="username" hidden readonly;
                label for="unlock-password" { "Password" }
                input #unlock-password type="password" name="password" autocomplete="current-password" required;
                p.field-error #unlock-error role="alert" hidden {}
                div.form-actions {
                    button.button.primary type="submit" { "Unlock" }
                }
            }
            form method="post" action=(paths::logout()) {
                input type="hidden" name="_csrf" value=(viewer.csrf);
                button.button.link type="submit" { "Not " (viewer.actor.name.as_str()) "? Sign in as someone else" }
            }
        }
    }
}

/// A bare page without the shell (sign-in).
pub fn bare(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-IN" {
            (head(title))
            body.plain { (content) }
        }
    }
}

/// Raw, trusted markup (embedded icons).
pub fn trusted(markup: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(markup)
}
