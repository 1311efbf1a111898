//! The web app's pages: server-rendered HTML (maud) with htmx for partial updates.
//!
//! Each handler extracts a [`session::Viewer`] (or a [`session::Submitted`] form), calls
//! the same `app` function as the matching API handler, and renders. No page opens a
//! database transaction or decides a permission itself.

pub mod components;
pub mod error;
pub mod layout;
pub mod session;

mod activity;
mod activity_form;
mod backups;
mod categories;
mod customer_activity;
mod customer_form;
mod customer_page;
mod customers;
mod dashboard;
mod first_run;
mod floors;
mod format;
mod forms;
mod invoice;
mod login;
mod my_day;
mod pair;
mod pipeline;
mod product_form;
mod product_page;
mod products;
mod profile;
mod rates;
mod sale_form;
mod sale_page;
mod sales;
mod search;
mod settings;
mod team;
mod walk_in;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;

/// Every page address. Links and bookmarks rely on these; keep them.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::show).post(login::submit))
        .route(
            "/setup/{token}",
            get(first_run::show).post(first_run::submit),
        )
        .route("/logout", post(login::logout))
        .route("/lock", post(login::lock))
        .route("/unlock", post(login::unlock))
        .route("/", get(dashboard::show))
        .route("/search/suggest", get(search::suggest))
        .route(
            "/customers",
            get(customers::list).post(customer_page::create),
        )
        .route("/customers/new", get(customer_page::new_form))
        .route(
            "/customers/{id}",
            get(customer_page::show).post(customer_page::update),
        )
        .route("/customers/{id}/edit", get(customer_page::edit_form))
        .route("/customers/{id}/delete", post(customer_page::delete))
        .route("/customers/{id}/restore", post(customer_page::restore))
        .route(
            "/customers/{id}/interactions",
            post(activity::log_interaction),
        )
        .route("/customers/{id}/follow-ups", post(activity::add_follow_up))
        .route(
            "/customers/{id}/timeline",
            get(customer_activity::timeline_fragment),
        )
        .route("/follow-ups/{id}", post(activity::change_follow_up))
        .route("/walk-ins", post(walk_in::create))
        .route("/walk-ins/new", get(walk_in::new_form))
        .route("/my-day", get(my_day::show))
        .route("/pipeline", get(pipeline::show))
        .route(
            "/categories",
            get(categories::list).post(categories::create),
        )
        .route(
            "/categories/{id}",
            get(categories::show).post(categories::update),
        )
        .route("/categories/{id}/delete", post(categories::delete))
        .route("/floors", get(floors::list).post(floors::create))
        .route("/floors/{id}", get(floors::show).post(floors::update))
        .route("/floors/{id}/delete", post(floors::delete))
        .route("/floors/{id}/restore", post(floors::restore))
        .route("/team", get(team::list).post(team::create))
        .route("/team/{id}", get(team::show).post(team::update))
        .route("/team/{id}/delete", post(team::delete))
        .route("/profile", get(profile::show).post(profile::update))
        .route("/profile/password", post(profile::change_password))
        .route("/settings", get(settings::show).post(settings::update))
        .route("/pair", get(pair::show))
        .route("/backups", get(backups::show))
        .route("/backups/run", post(backups::run))
        .route("/rates", get(rates::show).post(rates::update))
        .route("/sales", get(sales::list))
        .route("/sales/new", get(sales::new_form).post(sales::submit))
        .route("/sales/{id}", get(sale_page::show))
        .route("/sales/{id}/complete", post(sale_page::complete))
        .route("/sales/{id}/cancel", post(sale_page::cancel))
        .route("/sales/{id}/refund", post(sale_page::refund))
        .route("/sales/{id}/invoice", get(invoice::show))
        .route("/products", get(products::list).post(product_page::create))
        .route("/products/new", get(product_page::new_form))
        .route(
            "/products/{id}",
            get(product_page::show).post(product_page::update),
        )
        .route("/products/{id}/edit", get(product_page::edit_form))
        .route("/products/{id}/delete", post(product_page::delete))
}
