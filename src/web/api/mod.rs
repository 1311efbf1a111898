//! The JSON API under `/api`, documented by the OpenAPI document it builds from the
//! handlers' annotations (served at `/api/openapi.json`).

mod activity;
mod activity_views;
mod api_keys;
mod audit;
mod auth;
mod backups;
mod catalogue;
mod customer_merge;
mod customer_product_reports;
mod customers;
mod events;
mod exports;
mod files;
mod gst;
pub mod imports;
mod invoice;
mod notifications;
mod opening_report;
mod pipeline;
pub mod problems;
mod products;
mod rates;
mod sales;
mod sales_analytics;
mod sales_register;
mod search;
mod store;
mod users;
pub mod views;

use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Sarkar CRM API", description = "Customers, catalogue and team of a jewellery store. Money is integer paise (`*_paise`), weights integer milligrams (`*_mg`), times RFC 3339 UTC. Errors are RFC 9457 problem+json with a per-field `errors` map. Every list answers `{items, total, next}` and takes `limit` (1 to 200; 25 by default where the list pages, everything for the small lists that come whole: categories, floors, users, rates) and `cursor`: pass `next` back unchanged as `?cursor=` for the next page; it is null on the last page. `total` counts every matching item when that is known without reading them all, else it is null. A bad `limit` or `cursor` answers 400 naming the parameter. `page`/`per_page` and, on sales, `before` are older aliases that still work. My day, the pipeline, search suggestions and the backup status are objects with named lists, not lists."),
    modifiers(&SecurityAddon),
    security(("bearer" = []), ("cookie" = [])),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "customers", description = "The store's customers"),
        (name = "products", description = "The catalogue"),
        (name = "files", description = "Product photos, customer documents (private to the admins and the customer's home floor, every view recorded) and the store's logo"),
        (name = "imports", description = "Bringing customers and products in from CSV and Excel files: upload, mapping, preview, commit, undo"),
        (name = "catalogue", description = "Categories"),
        (name = "floors", description = "Floors of the store"),
        (name = "users", description = "Staff and one's own profile"),
        (name = "store", description = "The store's own settings"),
        (name = "rates", description = "The day's metal rates"),
        (name = "sales", description = "Bills, invoices and the counter's rules"),
        (name = "activity", description = "Interactions, follow-ups, the customer timeline, My day and the pipeline"),
        (name = "search", description = "Finding customers and products as you type"),
        (name = "api-keys", description = "Keys for integrations: `Authorization: Bearer sk_…` acts as the Business Admin who made the key, narrowed to its scope"),
        (name = "backups", description = "Encrypted backups: where they stand, and taking one now"),
        (name = "notifications", description = "The bell: your notifications, and marking them read"),
        (name = "audit", description = "The audit trail: who changed what, when and from where"),
        (name = "reports", description = "The owner's reports and the accountant's GST summary"),
        (name = "live", description = "The live store: every change the caller may see, as Server-Sent Events"),
        (name = "system", description = "Health of the appliance"),
    )
)]
struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                super::extract::SESSION_COOKIE,
            ))),
        );
    }
}

/// Every API route, in one place.
pub fn router() -> OpenApiRouter<AppState> {
    // Files for import are the one kind of request bigger than `server.max_body_bytes`:
    // their handlers count the bytes against `import.max_upload_mb` as they arrive.
    let uploads = OpenApiRouter::new()
        .routes(routes!(imports::import_customers))
        .routes(routes!(imports::import_products))
        .routes(routes!(
            files::add_product_image,
            files::list_product_images
        ))
        .routes(routes!(
            files::add_customer_document,
            files::list_customer_documents
        ))
        .routes(routes!(
            files::get_logo,
            files::set_logo,
            files::remove_logo
        ))
        .layer(axum::extract::DefaultBodyLimit::disable());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(uploads)
        .routes(routes!(files::media))
        .routes(routes!(files::set_product_cover))
        .routes(routes!(files::remove_product_image))
        .routes(routes!(
            files::open_customer_document,
            files::remove_customer_document
        ))
        .routes(routes!(imports::list_imports))
        .routes(routes!(
            imports::get_import,
            imports::update_import,
            imports::discard_import
        ))
        .routes(routes!(imports::commit_import))
        .routes(routes!(imports::undo_import))
        .routes(routes!(imports::import_problems))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::register))
        .routes(routes!(
            customers::list_customers,
            customers::create_customer
        ))
        .routes(routes!(
            customers::get_customer,
            customers::update_customer,
            customers::delete_customer
        ))
        .routes(routes!(customers::restore_customer))
        .routes(routes!(customer_merge::merge_customers))
        .routes(routes!(customer_merge::undo_merge))
        .routes(routes!(customer_merge::possible_duplicates))
        .routes(routes!(exports::export_customers))
        .routes(routes!(exports::export_products))
        .routes(routes!(exports::export_sales))
        .routes(routes!(exports::export_follow_ups))
        .routes(routes!(products::list_products, products::create_product))
        .routes(routes!(
            products::get_product,
            products::update_product,
            products::delete_product
        ))
        .routes(routes!(
            catalogue::list_categories,
            catalogue::create_category
        ))
        .routes(routes!(
            catalogue::get_category,
            catalogue::update_category,
            catalogue::delete_category
        ))
        .routes(routes!(catalogue::list_floors, catalogue::create_floor))
        .routes(routes!(
            catalogue::get_floor,
            catalogue::update_floor,
            catalogue::delete_floor
        ))
        .routes(routes!(catalogue::restore_floor))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::get_profile, users::update_profile))
        .routes(routes!(
            users::get_user,
            users::update_user,
            users::delete_user
        ))
        .routes(routes!(store::get_store, store::update_store))
        .routes(routes!(rates::rate_board, rates::set_rate))
        .routes(routes!(events::live_events))
        .routes(routes!(sales_register::list_sales, sales::create_sale))
        .routes(routes!(sales_register::sales_totals))
        .routes(routes!(sales_analytics::sales_analytics))
        .routes(routes!(sales::quote_sale))
        .routes(routes!(sales::get_sale, sales::correct_sale))
        .routes(routes!(sales::complete_sale))
        .routes(routes!(sales::cancel_sale))
        .routes(routes!(sales::refund_sale))
        .routes(routes!(invoice::invoice_pdf))
        .routes(routes!(opening_report::opening_report))
        .routes(routes!(
            activity::list_interactions,
            activity::log_interaction
        ))
        .routes(routes!(activity::log_walk_in))
        .routes(routes!(
            activity::list_follow_ups,
            activity::create_follow_up
        ))
        .routes(routes!(activity::get_follow_up, activity::update_follow_up))
        .routes(routes!(activity::customer_timeline))
        .routes(routes!(activity::my_day))
        .routes(routes!(notifications::hand_off))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::mark_notifications_read))
        .routes(routes!(pipeline::pipeline))
        .routes(routes!(search::suggest))
        .routes(routes!(api_keys::list_api_keys, api_keys::create_api_key))
        .routes(routes!(api_keys::revoke_api_key))
        .routes(routes!(backups::backup_status))
        .routes(routes!(backups::run_backup))
        .routes(routes!(audit::audit_trail))
        .routes(routes!(customer_product_reports::customer_report))
        .routes(routes!(customer_product_reports::product_report))
        .routes(routes!(gst::gst_summary))
        .routes(routes!(super::health::healthz))
        .routes(routes!(super::metrics::metrics))
}
