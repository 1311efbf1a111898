//! The web app's pages: server-rendered HTML (maud) with htmx for partial updates,
//! grouped by area. Every address comes from [`crate::web::paths`].
//!
//! Each handler extracts a [`shell::session::Viewer`] (or a [`shell::session::Submitted`]
//! form), calls the same `app` function as the matching API handler, and renders. No page
//! opens a database transaction or decides a permission itself. An area's files may use
//! each other; across areas a page uses only what an area's module makes public.

pub mod activity;
pub mod analytics;
pub mod backups;
pub mod catalogue;
pub mod customers;
pub mod exports;
pub mod home;
pub mod imports;
pub mod notifications;
pub mod reports;
pub mod selling;
pub mod settings;
pub mod shell;
pub mod sign_in;

use axum::Router;

use super::AppState;

/// Every page address, area by area. Links and bookmarks rely on these; keep them.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(sign_in::routes())
        .merge(home::routes())
        .merge(customers::routes())
        .merge(imports::routes())
        .merge(exports::routes())
        .merge(activity::routes())
        .merge(notifications::routes())
        .merge(catalogue::routes())
        .merge(settings::routes())
        .merge(backups::routes())
        .merge(selling::routes())
        .merge(analytics::routes())
        .merge(reports::routes())
}
