//! Every address of the web app, in one place. Each line below gives a route's pattern,
//! which the router registers, and the function that builds a link to it, from the same
//! string: a renamed route cannot leave a dead link, and no page writes an address by hand.
//!
//! The API's addresses live with their handlers' OpenAPI annotations; the few that pages
//! link to (the invoice PDF) are listed here as links only.

use std::fmt;

use crate::domain::{
    ApiKeyId, CategoryId, ContentHash, CustomerId, FileId, FileType, FloorId, FollowUpId, ImportId,
    MergeId, ProductId, SaleId, StoredFile, UserId,
};

/// A link to one of the app's own addresses, with its query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link(String);

impl Link {
    /// The link with `key=value` added to its query (the value percent-encoded).
    #[must_use]
    pub fn with(mut self, key: &str, value: impl fmt::Display) -> Self {
        let separator = if self.0.contains('?') { '&' } else { '?' };
        self.0.push(separator);
        self.0
            .extend(form_urlencoded::byte_serialize(key.as_bytes()));
        self.0.push('=');
        self.0.extend(form_urlencoded::byte_serialize(
            value.to_string().as_bytes(),
        ));
        self
    }

    /// The link with `query` (already encoded, as a page's own query string) appended;
    /// unchanged when it is empty.
    #[must_use]
    pub fn with_query(mut self, query: &str) -> Self {
        if !query.is_empty() {
            self.0.push(if self.0.contains('?') { '&' } else { '?' });
            self.0.push_str(query);
        }
        self
    }

    /// The link after `done=…`, the word that tells the page which notice to show.
    #[must_use]
    pub fn done(self, what: &str) -> Self {
        self.with("done", what)
    }

    /// The link to the part of its page with the HTML id `id` (`#timeline`); nothing may
    /// be added to the link after it.
    #[must_use]
    pub fn at(mut self, id: &str) -> Self {
        self.0.push('#');
        self.0.push_str(id);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl maud::Render for Link {
    fn render_to(&self, buffer: &mut String) {
        self.0.as_str().render_to(buffer);
    }
}

impl From<Link> for String {
    fn from(link: Link) -> Self {
        link.0
    }
}

/// Declares each route's pattern as a constant and its link builder as a function, from
/// one string, and the list of every page route.
macro_rules! routes {
    ($( $(#[$doc:meta])* $pattern:ident $link:ident ( $($arg:ident : $ty:ty),* ) = $path:literal; )*) => {
        $(
            $(#[$doc])*
            pub const $pattern: &str = $path;

            $(#[$doc])*
            pub fn $link($($arg: $ty),*) -> Link {
                Link(format!($path))
            }
        )*

        /// Every page route's pattern, as the router registers them.
        pub const PAGE_ROUTES: &[&str] = &[$($path),*];
    };
}

routes! {
    /// The dashboard.
    HOME home() = "/";
    /// The sign-in page.
    LOGIN login() = "/login";
    /// A new box's one-time setup page.
    SETUP setup(token: &str) = "/setup/{token}";
    LOGOUT logout() = "/logout";
    LOCK lock() = "/lock";
    UNLOCK unlock() = "/unlock";
    /// The global search box's suggestions.
    SEARCH_SUGGEST search_suggest() = "/search/suggest";

    CUSTOMERS customers() = "/customers";
    /// The customer list as a file (`?format=csv|xlsx` and the list's filters).
    CUSTOMERS_EXPORT customers_export() = "/customers/export";
    NEW_CUSTOMER new_customer() = "/customers/new";
    /// Pairs of customers who may be one person.
    CUSTOMER_DUPLICATES customer_duplicates() = "/customers/duplicates";
    /// Two customers side by side (`?a=…&b=…`), to merge `b` into `a`.
    CUSTOMER_MERGE customer_merge() = "/customers/merge";
    /// What undoing a merge gives back, and the button that does it.
    UNDO_CUSTOMER_MERGE undo_customer_merge(id: MergeId) = "/customers/merges/{id}/undo";
    CUSTOMER customer(id: CustomerId) = "/customers/{id}";
    EDIT_CUSTOMER edit_customer(id: CustomerId) = "/customers/{id}/edit";
    DELETE_CUSTOMER delete_customer(id: CustomerId) = "/customers/{id}/delete";
    RESTORE_CUSTOMER restore_customer(id: CustomerId) = "/customers/{id}/restore";
    CUSTOMER_INTERACTIONS customer_interactions(id: CustomerId) = "/customers/{id}/interactions";
    CUSTOMER_FOLLOW_UPS customer_follow_ups(id: CustomerId) = "/customers/{id}/follow-ups";
    CUSTOMER_TIMELINE customer_timeline(id: CustomerId) = "/customers/{id}/timeline";
    /// "Send to another floor" on a customer's page.
    CUSTOMER_HAND_OFF customer_hand_off(id: CustomerId) = "/customers/{id}/hand-off";
    /// Keeps a document (PAN card, Form 60…) for a customer: the page's upload form.
    CUSTOMER_DOCUMENTS customer_documents(id: CustomerId) = "/customers/{id}/documents";
    REMOVE_CUSTOMER_DOCUMENT remove_customer_document(id: CustomerId, document: FileId) = "/customers/{id}/documents/{document}/remove";

    /// Imports of customers and products: the upload form and the past imports.
    IMPORTS imports() = "/imports";
    /// One import: its mapping and preview, its progress, or what it did.
    IMPORT import(id: ImportId) = "/imports/{id}";
    /// The mapping and choices of a draft, sent back for a new preview.
    IMPORT_SETTINGS import_settings(id: ImportId) = "/imports/{id}/settings";
    IMPORT_COMMIT import_commit(id: ImportId) = "/imports/{id}/commit";
    IMPORT_UNDO import_undo(id: ImportId) = "/imports/{id}/undo";
    IMPORT_DISCARD import_discard(id: ImportId) = "/imports/{id}/discard";
    /// The progress bar of an import being written, redrawn every second.
    IMPORT_PROGRESS import_progress(id: ImportId) = "/imports/{id}/progress";
    /// The rows with problems, as CSV to fix and import again.
    IMPORT_PROBLEMS import_problems(id: ImportId) = "/imports/{id}/problems.csv";

    FOLLOW_UP follow_up(id: FollowUpId) = "/follow-ups/{id}";
    WALK_INS walk_ins() = "/walk-ins";
    NEW_WALK_IN new_walk_in() = "/walk-ins/new";
    MY_DAY my_day() = "/my-day";
    PIPELINE pipeline() = "/pipeline";
    /// The signed-in person's notifications, newest first (the bell links here).
    NOTIFICATIONS notifications() = "/notifications";
    /// "Mark all read".
    NOTIFICATIONS_READ notifications_read() = "/notifications/read";

    CATEGORIES categories() = "/categories";
    CATEGORY category(id: CategoryId) = "/categories/{id}";
    DELETE_CATEGORY delete_category(id: CategoryId) = "/categories/{id}/delete";
    FLOORS floors() = "/floors";
    FLOOR floor(id: FloorId) = "/floors/{id}";
    DELETE_FLOOR delete_floor(id: FloorId) = "/floors/{id}/delete";
    RESTORE_FLOOR restore_floor(id: FloorId) = "/floors/{id}/restore";
    TEAM team() = "/team";
    TEAM_MEMBER team_member(id: UserId) = "/team/{id}";
    DELETE_TEAM_MEMBER delete_team_member(id: UserId) = "/team/{id}/delete";
    /// Forgets a member's wrong passwords, so they may try again at once.
    LET_TRY_AGAIN let_try_again(id: UserId) = "/team/{id}/let-try-again";
    PROFILE profile() = "/profile";
    PROFILE_PASSWORD profile_password() = "/profile/password";
    SETTINGS settings() = "/settings";
    /// The settings page's logo form (a multipart upload).
    STORE_LOGO store_logo() = "/settings/logo";
    /// "Remove logo" on the settings page.
    REMOVE_STORE_LOGO remove_store_logo() = "/settings/logo/remove";
    /// The audit trail: every change in the store, who made it and from where.
    AUDIT audit() = "/settings/audit";
    /// Integrations' API keys.
    API_KEYS api_keys() = "/settings/api-keys";
    REVOKE_API_KEY revoke_api_key(id: ApiKeyId) = "/settings/api-keys/{id}/revoke";
    /// How a tablet joins the box.
    PAIR pair() = "/pair";
    BACKUPS backups() = "/backups";
    BACKUP_NOW backup_now() = "/backups/run";
    RATES rates() = "/rates";
    /// The day's rates as the strip atop every page draws them (a fragment, which the
    /// strip fetches when a rate changes).
    RATE_STRIP rate_strip() = "/rates/strip";

    SALES sales() = "/sales";
    /// The sales register as a file (`?format=csv|xlsx` and the register's filters).
    SALES_EXPORT sales_export() = "/sales/export";
    NEW_SALE new_sale() = "/sales/new";
    /// The customer on the phone number typed into the bill form (a fragment).
    BILL_CUSTOMER bill_customer() = "/sales/lookup/customer";
    /// Pieces in stock whose tag numbers start with what was typed (a fragment).
    BILL_TAGS bill_tags() = "/sales/lookup/tags";
    SALE sale(id: SaleId) = "/sales/{id}";
    /// The bill form for correcting a pending bill.
    EDIT_SALE edit_sale(id: SaleId) = "/sales/{id}/edit";
    COMPLETE_SALE complete_sale(id: SaleId) = "/sales/{id}/complete";
    CANCEL_SALE cancel_sale(id: SaleId) = "/sales/{id}/cancel";
    REFUND_SALE refund_sale(id: SaleId) = "/sales/{id}/refund";
    /// The printable invoice (A4, or the 80 mm roll with `paper=roll`).
    INVOICE invoice(id: SaleId) = "/sales/{id}/invoice";

    PRODUCTS products() = "/products";
    /// The product list as a file (`?format=csv|xlsx` and the list's filters).
    PRODUCTS_EXPORT products_export() = "/products/export";
    NEW_PRODUCT new_product() = "/products/new";
    PRODUCT product(id: ProductId) = "/products/{id}";
    EDIT_PRODUCT edit_product(id: ProductId) = "/products/{id}/edit";
    DELETE_PRODUCT delete_product(id: ProductId) = "/products/{id}/delete";
    /// Adds a photo to a product: the page's upload form (camera or file).
    PRODUCT_PHOTOS product_photos(id: ProductId) = "/products/{id}/photos";
    PRODUCT_COVER product_cover(id: ProductId, photo: FileId) = "/products/{id}/photos/{photo}/cover";
    REMOVE_PRODUCT_PHOTO remove_product_photo(id: ProductId, photo: FileId) = "/products/{id}/photos/{photo}/remove";

    /// Customer analytics: new and returning customers, top customers, RFM segments.
    REPORTS_CUSTOMERS reports_customers() = "/reports/customers";
    /// A segment's call list as CSV (`?segment=`).
    REPORTS_CUSTOMERS_CSV reports_customers_csv() = "/reports/customers.csv";
    REPORTS_CUSTOMERS_XLSX reports_customers_xlsx() = "/reports/customers.xlsx";
    /// Product analytics: sell-through, ageing stock, pieces unsold in 180 days.
    REPORTS_PRODUCTS reports_products() = "/reports/products";
    REPORTS_PRODUCTS_CSV reports_products_csv() = "/reports/products.csv";
    REPORTS_PRODUCTS_XLSX reports_products_xlsx() = "/reports/products.xlsx";
    /// The Reports area: every report the owner reads.
    REPORTS reports() = "/reports";
    /// The owner's morning sheet of a day (`?date=YYYY-MM-DD`, yesterday by default).
    OPENING_REPORT opening_report() = "/reports/opening";
    OPENING_REPORT_PDF opening_report_pdf() = "/reports/opening.pdf";
    OPENING_REPORT_XLSX opening_report_xlsx() = "/reports/opening.xlsx";
    /// A month's GST summary for the accountant (`?month=YYYY-MM`, last month by default).
    GST_REPORT gst_report() = "/reports/gst";
    GST_REPORT_XLSX gst_report_xlsx() = "/reports/gst.xlsx";
    /// One table of the GST summary (`&table=register|b2c|hsn`).
    GST_REPORT_CSV gst_report_csv() = "/reports/gst.csv";
    GST_REPORT_PDF gst_report_pdf() = "/reports/gst.pdf";
    /// The sales analytics: a span grouped and filtered, with the revenue forecast.
    REPORTS_SALES reports_sales() = "/reports/sales";
    /// The sales analytics' grouped table as CSV and as an Excel workbook.
    REPORTS_SALES_CSV reports_sales_csv() = "/reports/sales.csv";
    REPORTS_SALES_XLSX reports_sales_xlsx() = "/reports/sales.xlsx";
    /// The walk-in → inquiry → sale funnel per floor and salesperson.
    REPORTS_FLOORS reports_floors() = "/reports/floors";
}

/// The reports other areas serve, as the Reports index lists them beside the opening
/// report: each area registers its own page at its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPage {
    Sales,
    Customers,
    Products,
    Floors,
    Gst,
}

impl ReportPage {
    pub const ALL: [ReportPage; 5] = [
        ReportPage::Sales,
        ReportPage::Customers,
        ReportPage::Products,
        ReportPage::Floors,
        ReportPage::Gst,
    ];

    pub fn link(self) -> Link {
        match self {
            ReportPage::Sales => reports_sales(),
            ReportPage::Customers => reports_customers(),
            ReportPage::Products => reports_products(),
            ReportPage::Floors => reports_floors(),
            ReportPage::Gst => gst_report(),
        }
    }
}

/// The invoice as a PDF, served by the API (`GET /api/sales/{id}/invoice.pdf`).
pub fn invoice_pdf(id: SaleId) -> Link {
    Link(format!("/api/sales/{id}/invoice.pdf"))
}

/// A customer's document as the API serves it to the page's session
/// (`GET /api/customers/{id}/documents/{document}`), shown in the browser; each opening
/// is kept on the customer's timeline. `.with("download", true)` saves it instead.
pub fn customer_document(id: CustomerId, document: FileId) -> Link {
    Link(format!("/api/customers/{id}/documents/{document}"))
}

/// A product photo's copy or the logo by its SHA-256 (`GET /api/media/{sha256}.jpg`,
/// served to pages and API clients alike): what an address answers never changes, so
/// browsers keep it for a year.
pub fn media(content: ContentHash, file_type: FileType) -> String {
    format!("/api/media/{content}.{}", file_type.extension())
}

/// Every copy of a photo or logo as `URL WIDTHw`, narrowest first, for `srcset`.
pub fn srcset(file: &StoredFile) -> String {
    file.copies
        .iter()
        .map(|c| format!("{} {}w", media(c.content, c.file_type), c.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The live events a page listens to (`GET /api/events`), starting after the change
/// `after`, the newest when the page was drawn.
pub fn live_events(after: u64) -> Link {
    Link(format!("/api/events?after={after}"))
}

/// The box's certificate authority, for tablets to trust.
pub const CA_PEM: &str = "/ca.pem";
/// The app's icon.
pub const FAVICON_SVG: &str = "/favicon.svg";
pub const FAVICON_ICO: &str = "/favicon.ico";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_its_route_with_the_id_in_place() {
        let id = CustomerId::from_u128(7);
        assert_eq!(
            customer(id).as_str(),
            CUSTOMER.replace("{id}", &id.to_string())
        );
        assert_eq!(
            edit_product(ProductId::from_u128(1)).as_str(),
            "/products/00000000-0000-0000-0000-000000000001/edit"
        );
    }

    #[test]
    fn queries_are_added_and_encoded() {
        assert_eq!(
            customers().done("deleted").as_str(),
            "/customers?done=deleted"
        );
        assert_eq!(
            customers().with("q", "Das & Sons").with("page", 2).as_str(),
            "/customers?q=Das+%26+Sons&page=2"
        );
        assert_eq!(products().with_query("").as_str(), "/products");
        assert_eq!(
            my_day().done("saved").at("follow-ups").as_str(),
            "/my-day?done=saved#follow-ups"
        );
        assert_eq!(products().with_query("a=1").as_str(), "/products?a=1");
    }

    #[test]
    fn notifications_link_to_the_pages_routes() {
        let (c, s) = (CustomerId::new(), SaleId::new());
        assert_eq!(
            crate::app::customer_link(c),
            customer(c).as_str(),
            "a notification's customer link"
        );
        assert_eq!(crate::app::sale_link(s), sale(s).as_str());
        assert_eq!(crate::app::MY_DAY_LINK, my_day().as_str());
        assert_eq!(crate::app::RATES_LINK, rates().as_str());
        assert_eq!(crate::app::BACKUPS_LINK, backups().as_str());
        assert_eq!(crate::app::PAIR_LINK, pair().as_str());
    }

    #[test]
    fn every_page_route_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for route in PAGE_ROUTES {
            assert!(route.starts_with('/'), "{route}");
            assert!(seen.insert(route), "{route} is listed twice");
        }
    }
}
