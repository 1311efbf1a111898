//! The table the permission walk goes through: every page route of
//! `web::pages::router`, GET and POST, each with its API twin, or, for a page no API
//! route mirrors, the answer each role should get. Values in paths, forms and bodies
//! may name fixtures (`{customer}`, `{floor_a}`, `{me}`); see `fixtures.rs`.

use reqwest::Method;

use super::Answer::{self, Allowed, Denied, Refused};
use crate::helpers::PASSWORD;

/// A page request: GET, or POST with form fields (values may name fixtures: `{customer}`).
pub struct Page {
    pub method: Method,
    pub path: &'static str,
    pub form: &'static [(&'static str, &'static str)],
}

pub enum Twin {
    /// The API route that does the same; `body` is JSON with fixture names. In a body,
    /// `"{sale_floor}"` is floor A for the admin and `null` for a Floor Manager, who
    /// works on their own floor without naming it.
    Api {
        method: Method,
        path: &'static str,
        body: Option<&'static str>,
    },
    /// No API route does this (a form, a page of instructions, the session); the page's
    /// answer for the admin, the Floor Manager of floor A and the one of floor B.
    None {
        why: &'static str,
        expect: [Answer; 3],
    },
}

pub struct Case {
    pub page: Page,
    pub twin: Twin,
    /// What the admin gets, for a case that cannot succeed here (no backups configured).
    pub admin: Answer,
}

fn get(path: &'static str) -> Page {
    Page {
        method: Method::GET,
        path,
        form: &[],
    }
}

fn post(path: &'static str, form: &'static [(&'static str, &'static str)]) -> Page {
    Page {
        method: Method::POST,
        path,
        form,
    }
}

fn api(method: Method, path: &'static str, body: Option<&'static str>) -> Twin {
    Twin::Api { method, path, body }
}

fn twin(page: Page, twin: Twin) -> Case {
    Case {
        page,
        twin,
        admin: Allowed,
    }
}

fn alone(page: Page, why: &'static str, expect: [Answer; 3]) -> Case {
    twin(page, Twin::None { why, expect })
}

const EVERYONE: [Answer; 3] = [Allowed, Allowed, Allowed];
const OWN_FLOOR: [Answer; 3] = [Allowed, Allowed, Denied];

/// Every page route, in the router's order; those that end the session come last.
#[rustfmt::skip]
pub fn cases() -> Vec<Case> {
    use Method as M;
    vec![
        alone(get("/"), "the dashboard is a page of its own", EVERYONE),
        alone(get("/login"), "signing in is a page", EVERYONE),
        Case {
            admin: Refused(410),
            ..alone(get("/setup/not-a-link"), "the first-run link works once, before anyone signs in", [Refused(410); 3])
        },
        twin(get("/search/suggest?q=rina"), api(M::GET, "/api/search/suggest?q=rina", None)),
        twin(get("/customers"), api(M::GET, "/api/customers", None)),
        twin(get("/customers/export"), api(M::GET, "/api/customers/export", None)),
        twin(
            post("/customers", &[("name", "Rina Sinha"), ("phone", "{phone}"), ("home_floor_id", "{floor_a}")]),
            api(M::POST, "/api/customers", Some(r#"{"name": "Rina Sinha", "phone": "{phone}", "home_floor_id": "{floor_a}"}"#)),
        ),
        alone(get("/customers/new"), "a form; saving it has the twin", EVERYONE),
        twin(get("/customers/duplicates"), api(M::GET, "/api/customers/duplicates", None)),
        alone(get("/customers/merge?a={customer}&b={customer}"), "a form; saving it is refused below", EVERYONE),
        // A merge would remove the fixtures the other cases use: one customer twice is
        // refused as such, by the page and the API alike (`customer_merge.rs` merges).
        Case {
            admin: Refused(422),
            ..alone(post("/customers/merge", &[("survivor_id", "{customer}"), ("other_id", "{customer}")]), "merging one customer into itself is refused", [Refused(422); 3])
        },
        alone(get("/customers/merges/{customer}/undo"), "a confirmation; undoing has the API twin", EVERYONE),
        Case {
            admin: Denied,
            ..alone(post("/customers/merges/{customer}/undo", &[]), "a customer's id names no merge", [Denied; 3])
        },
        twin(get("/customers/{customer}"), api(M::GET, "/api/customers/{customer}", None)),
        twin(
            post("/customers/{customer}", &[("name", "Rina Sen"), ("phone", "{customer_phone}"), ("status", "ACTIVE"), ("home_floor_id", "{floor_a}")]),
            api(M::PUT, "/api/customers/{customer}", Some(r#"{"name": "Rina Sen", "phone": "{customer_phone}", "status": "ACTIVE", "home_floor_id": "{floor_a}"}"#)),
        ),
        alone(get("/customers/{customer}/edit"), "a form; saving it has the twin", OWN_FLOOR),
        twin(post("/customers/{customer}/delete", &[]), api(M::DELETE, "/api/customers/{customer}", None)),
        twin(post("/customers/{removed_customer}/restore", &[]), api(M::POST, "/api/customers/{removed_customer}/restore", None)),
        twin(
            post("/customers/{customer}/interactions", &[("type", "WALK_IN"), ("notes", "Saw bangles"), ("floor_id", "{floor_a}")]),
            api(M::POST, "/api/interactions", Some(r#"{"customer_id": "{customer}", "type": "WALK_IN", "notes": "Saw bangles", "floor_id": "{floor_a}"}"#)),
        ),
        twin(
            post("/customers/{customer}/follow-ups", &[("type", "PHONE_CALL"), ("due_at", "2030-01-15T11:00"), ("floor_id", "{floor_a}")]),
            api(M::POST, "/api/follow-ups", Some(r#"{"customer_id": "{customer}", "type": "PHONE_CALL", "due_at": "2030-01-15T05:30:00Z", "floor_id": "{floor_a}"}"#)),
        ),
        twin(get("/customers/{customer}/timeline"), api(M::GET, "/api/customers/{customer}/timeline", None)),
        twin(post("/follow-ups/{follow_up}", &[("action", "cancel")]), api(M::PATCH, "/api/follow-ups/{follow_up}", Some(r#"{"status": "CANCELLED"}"#))),
        twin(
            post("/walk-ins", &[("phone", "{phone}"), ("name", "Payel Dey"), ("floor_id", "{floor_a}")]),
            api(M::POST, "/api/interactions/walk-in", Some(r#"{"phone": "{phone}", "name": "Payel Dey", "floor_id": "{floor_a}"}"#)),
        ),
        alone(get("/walk-ins/new"), "a form; saving it has the twin", EVERYONE),
        // To one's own floor is refused (422) on both: manager B sends to floor B here.
        twin(
            post("/customers/{customer}/hand-off", &[("floor_id", "{floor_b}"), ("note", "wants a bridal set")]),
            api(M::POST, "/api/customers/{customer}/hand-off", Some(r#"{"floor_id": "{floor_b}", "note": "wants a bridal set"}"#)),
        ),
        Case {
            admin: Refused(400),
            ..alone(post("/customers/{customer}/documents", &[]), "a document is a multipart form, which the walk does not send (tests/it/pages/documents.rs uploads them)", [Refused(400); 3])
        },
        // Only an admin removes a document; the managers of its floor see it (403), another floor's do not (404).
        twin(post("/customers/{customer}/documents/{document}/remove", &[]), api(M::DELETE, "/api/customers/{customer}/documents/{document}", None)),
        twin(get("/imports"), api(M::GET, "/api/imports", None)),
        Case {
            admin: Refused(400),
            ..alone(post("/imports", &[]), "an upload is a multipart form, which the walk does not send (tests/it/imports uploads files)", [Refused(400); 3])
        },
        twin(get("/imports/{import}"), api(M::GET, "/api/imports/{import}", None)),
        twin(
            post("/imports/{import}/settings", &[("map.name", "Name"), ("map.phone", "Phone"), ("on_duplicate", "update")]),
            api(M::PUT, "/api/imports/{import}", Some(r#"{"mapping": [{"field": "name", "header": "Name"}, {"field": "phone", "header": "Phone"}], "on_duplicate": "update"}"#)),
        ),
        twin(post("/imports/{import}/commit", &[]), api(M::POST, "/api/imports/{import}/commit", Some("{}"))),
        // Only a written import can be undone: the walk's draft is refused (409) on both.
        Case {
            admin: Refused(409),
            ..twin(post("/imports/{import}/undo", &[]), api(M::POST, "/api/imports/{import}/undo", None))
        },
        twin(post("/imports/{import}/discard", &[]), api(M::DELETE, "/api/imports/{import}", None)),
        alone(get("/imports/{import}/progress"), "the progress bar of the import's page", EVERYONE),
        twin(get("/imports/{import}/problems.csv"), api(M::GET, "/api/imports/{import}/problems", None)),
        twin(get("/notifications"), api(M::GET, "/api/notifications", None)),
        twin(post("/notifications/read", &[]), api(M::POST, "/api/notifications/read", Some("{}"))),
        twin(get("/my-day"), api(M::GET, "/api/my-day", None)),
        twin(get("/pipeline"), api(M::GET, "/api/pipeline", None)),
        twin(get("/categories"), api(M::GET, "/api/categories", None)),
        twin(post("/categories", &[("name", "Bangles {n}")]), api(M::POST, "/api/categories", Some(r#"{"name": "Bangles {n}"}"#))),
        twin(get("/categories/{category}"), api(M::GET, "/api/categories/{category}", None)),
        twin(post("/categories/{category}", &[("name", "Chokers {n}")]), api(M::PUT, "/api/categories/{category}", Some(r#"{"name": "Chokers {n}"}"#))),
        twin(post("/categories/{category}/delete", &[]), api(M::DELETE, "/api/categories/{category}", None)),
        twin(get("/floors"), api(M::GET, "/api/floors", None)),
        twin(post("/floors", &[("name", "Attic {n}"), ("level", "4")]), api(M::POST, "/api/floors", Some(r#"{"name": "Attic {n}", "level": 4}"#))),
        twin(get("/floors/{floor_a}"), api(M::GET, "/api/floors/{floor_a}", None)),
        twin(
            post("/floors/{spare_floor}", &[("name", "Mezzanine {n}"), ("level", "2")]),
            api(M::PUT, "/api/floors/{spare_floor}", Some(r#"{"name": "Mezzanine {n}", "level": 2}"#)),
        ),
        twin(post("/floors/{spare_floor}/delete", &[]), api(M::DELETE, "/api/floors/{spare_floor}", None)),
        twin(post("/floors/{removed_floor}/restore", &[]), api(M::POST, "/api/floors/{removed_floor}/restore", None)),
        twin(get("/team"), api(M::GET, "/api/users", None)),
        twin(
            post("/team", &[("username", "new.{n}"), ("name", "Arup Ghosh"), ("role", "FLOOR_MANAGER"), ("floor_id", "{floor_a}"), ("password", PASSWORD)]),
            api(M::POST, "/api/users", Some(r#"{"username": "new.{n}", "name": "Arup Ghosh", "role": "FLOOR_MANAGER", "floor_id": "{floor_a}", "password": "correct horse battery"}"#)),
        ),
        twin(get("/team/{staff}"), api(M::GET, "/api/users/{staff}", None)),
        twin(get("/team/{me}"), api(M::GET, "/api/users/{me}", None)),
        twin(
            post("/team/{staff}", &[("name", "Mitali Pal"), ("role", "FLOOR_MANAGER"), ("floor_id", "{floor_a}"), ("active", "on")]),
            api(M::PUT, "/api/users/{staff}", Some(r#"{"name": "Mitali Pal", "role": "FLOOR_MANAGER", "floor_id": "{floor_a}", "active": true}"#)),
        ),
        alone(post("/team/{staff}/let-try-again", &[]), "letting someone try their password again is the team page's business", [Allowed, Denied, Denied]),
        twin(post("/team/{staff}/delete", &[]), api(M::DELETE, "/api/users/{staff}", None)),
        twin(get("/profile"), api(M::GET, "/api/users/profile", None)),
        twin(post("/profile", &[("name", "Someone Else")]), api(M::PUT, "/api/users/profile", Some(r#"{"name": "Someone Else"}"#))),
        Case {
            admin: Refused(422),
            ..twin(
                post("/profile/password", &[("current_password", "not the password"), ("new_password", "another long phrase"), ("new_password_repeat", "another long phrase")]),
                api(M::PUT, "/api/users/profile", Some(r#"{"name": "Someone Else", "current_password": "not the password", "new_password": "another long phrase"}"#)),
            )
        },
        twin(get("/settings"), api(M::GET, "/api/store", None)),
        twin(
            post("/settings", &[("state_code", "19"), ("address", "12 Bowbazar Street, Kolkata")]),
            api(M::PUT, "/api/store", Some(r#"{"state_code": "19", "address": "12 Bowbazar Street, Kolkata"}"#)),
        ),
        // Refused before the body is read for those who may not change the settings; the
        // admin's form without a file part is not a multipart upload (tests/it/pages/logo.rs
        // uploads logos).
        Case {
            admin: Refused(400),
            ..alone(post("/settings/logo", &[]), "an upload is a multipart form, which the walk does not send", [Refused(400), Denied, Denied])
        },
        // The walk's store has no logo: there is nothing to remove, on the page or the API.
        Case {
            admin: Denied,
            ..twin(post("/settings/logo/remove", &[]), api(M::DELETE, "/api/store/logo", None))
        },
        alone(get("/pair"), "instructions for pairing a tablet", EVERYONE),
        twin(get("/settings/api-keys"), api(M::GET, "/api/api-keys", None)),
        twin(
            post("/settings/api-keys", &[("name", "Tally export"), ("scope", "read_only")]),
            api(M::POST, "/api/api-keys", Some(r#"{"name": "Tally export", "scope": "read_only"}"#)),
        ),
        twin(post("/settings/api-keys/{api_key}/revoke", &[]), api(M::DELETE, "/api/api-keys/{api_key}", None)),
        twin(get("/backups"), api(M::GET, "/api/backups", None)),
        twin(get("/settings/audit"), api(M::GET, "/api/audit", None)),
        Case { admin: Refused(409), ..twin(post("/backups/run", &[]), api(M::POST, "/api/backups/run", None)) },
        twin(get("/rates"), api(M::GET, "/api/rates", None)),
        twin(get("/rates/strip"), api(M::GET, "/api/rates", None)),
        twin(
            post("/rates", &[("rate-SILVER-925", "95")]),
            api(M::POST, "/api/rates", Some(r#"{"metal": "SILVER", "purity": "925", "per_gram_paise": 9500}"#)),
        ),
        twin(get("/sales"), api(M::GET, "/api/sales", None)),
        alone(get("/sales/new"), "a form; saving it has the twin", EVERYONE),
        alone(get("/sales/lookup/customer?customer_phone=9831000001"), "a line of the bill form; the API finds customers with /api/customers", EVERYONE),
        alone(get("/sales/lookup/tags?q={product_sku}"), "suggestions in the bill form; the API lists products with /api/products", EVERYONE),
        twin(
            post("/sales/new", &[("customer_phone", "{customer_phone}"), ("floor_id", "{floor_a}"), ("line-0-sku", "{product_sku}"), ("action", "create")]),
            api(M::POST, "/api/sales", Some(r#"{"customer_phone": "{customer_phone}", "floor_id": "{sale_floor}", "lines": [{"sku": "{product_sku}"}]}"#)),
        ),
        twin(get("/sales/{pending}"), api(M::GET, "/api/sales/{pending}", None)),
        alone(get("/sales/{pending}/edit"), "a form; saving it has the twin", OWN_FLOOR),
        twin(
            post("/sales/{pending}/edit", &[("customer_phone", "{customer_phone}"), ("floor_id", "{floor_a}"), ("line-0-sku", "{product_sku}"), ("line-0-qty", "2"), ("action", "create")]),
            api(M::PUT, "/api/sales/{pending}", Some(r#"{"customer_phone": "{customer_phone}", "lines": [{"sku": "{product_sku}", "quantity": 2}]}"#)),
        ),
        twin(post("/sales/{pending}/complete", &[]), api(M::POST, "/api/sales/{pending}/complete", Some("{}"))),
        twin(post("/sales/{pending}/cancel", &[]), api(M::POST, "/api/sales/{pending}/cancel", None)),
        twin(
            post("/sales/{completed}/refund", &[("return-0", "1"), ("reason", "Size does not fit")]),
            api(M::POST, "/api/sales/{completed}/refund", Some(r#"{"reason": "Size does not fit"}"#)),
        ),
        twin(get("/sales/{completed}/invoice"), api(M::GET, "/api/sales/{completed}/invoice.pdf", None)),
        twin(get("/sales/export"), api(M::GET, "/api/sales/export", None)),
        twin(get("/reports/sales"), api(M::GET, "/api/sales/analytics", None)),
        alone(get("/reports/sales.csv"), "the page's table as a file; the API gives the same figures at /api/sales/analytics", EVERYONE),
        alone(get("/reports/sales.xlsx"), "the page's table as a file; the API gives the same figures at /api/sales/analytics", EVERYONE),
        alone(get("/reports/floors"), "the funnel per floor and salesperson; each sees their own floor's", EVERYONE),
        twin(get("/products"), api(M::GET, "/api/products", None)),
        twin(get("/products/export"), api(M::GET, "/api/products/export", None)),
        twin(get("/reports/customers"), api(M::GET, "/api/reports/customers", None)),
        alone(get("/reports/customers.csv"), "a download of the report the twin above gives as JSON", EVERYONE),
        alone(get("/reports/customers.xlsx"), "a download of the report the twin above gives as JSON", EVERYONE),
        twin(get("/reports/products"), api(M::GET, "/api/reports/products", None)),
        alone(get("/reports/products.csv"), "a download of the report the twin above gives as JSON", EVERYONE),
        alone(get("/reports/products.xlsx"), "a download of the report the twin above gives as JSON", EVERYONE),
        twin(
            post("/products", &[("sku", "BG-{n}"), ("name", "Kangan pair"), ("floor_id", "{floor_a}"), ("metal", "SILVER"), ("purity", "925"), ("gross_weight", "32.5"), ("making_kind", "flat"), ("making_amount", "0"), ("fixed_price", "5,000"), ("stock_qty", "2"), ("active", "true")]),
            api(M::POST, "/api/products", Some(r#"{"sku": "BG-{n}", "name": "Kangan pair", "floor_id": "{floor_a}", "metal": "SILVER", "purity": "925", "gross_weight_mg": 32500, "making_charge": {"flat_paise": 0}, "fixed_price_paise": 500000, "stock_qty": 2}"#)),
        ),
        alone(get("/products/new"), "a form; saving it has the twin", EVERYONE),
        twin(get("/products/{product}"), api(M::GET, "/api/products/{product}", None)),
        twin(
            post("/products/{product}", &[("sku", "{product_sku}"), ("name", "Silver tea set"), ("floor_id", "{floor_a}"), ("metal", "SILVER"), ("purity", "925"), ("gross_weight", "500"), ("making_kind", "flat"), ("making_amount", "0"), ("fixed_price", "10,000"), ("stock_qty", "49"), ("active", "true")]),
            api(M::PUT, "/api/products/{product}", Some(r#"{"sku": "{product_sku}", "name": "Silver tea set", "floor_id": "{floor_a}", "metal": "SILVER", "purity": "925", "gross_weight_mg": 500000, "making_charge": {"flat_paise": 0}, "fixed_price_paise": 1000000, "stock_qty": 49}"#)),
        ),
        alone(get("/products/{product}/edit"), "a form; saving it has the twin", OWN_FLOOR),
        twin(post("/products/{product}/delete", &[]), api(M::DELETE, "/api/products/{product}", None)),
        Case {
            admin: Refused(400),
            ..alone(post("/products/{product}/photos", &[]), "a photo is a multipart form, which the walk does not send (tests/it/pages/photos.rs uploads them)", [Refused(400); 3])
        },
        twin(post("/products/{product}/photos/{photo}/cover", &[]), api(M::POST, "/api/products/{product}/images/{photo}/cover", None)),
        twin(post("/products/{product}/photos/{photo}/remove", &[]), api(M::DELETE, "/api/products/{product}/images/{photo}", None)),
        alone(get("/reports"), "the index of reports is a page of its own", EVERYONE),
        twin(get("/reports/opening"), api(M::GET, "/api/reports/opening", None)),
        twin(get("/reports/opening.pdf"), api(M::GET, "/api/reports/opening", None)),
        twin(get("/reports/opening.xlsx"), api(M::GET, "/api/reports/opening", None)),
        twin(get("/reports/gst"), api(M::GET, "/api/reports/gst", None)),
        twin(get("/reports/gst.xlsx"), api(M::GET, "/api/reports/gst", None)),
        twin(get("/reports/gst.csv"), api(M::GET, "/api/reports/gst", None)),
        twin(get("/reports/gst.pdf"), api(M::GET, "/api/reports/gst", None)),
        // The session's own routes come last: they lock and end the page's session.
        alone(post("/lock", &[]), "locking a tablet is a page's business", EVERYONE),
        alone(post("/unlock", &[("password", PASSWORD)]), "unlocking a tablet is a page's business", EVERYONE),
        alone(post("/logout", &[]), "the API signs out at /api/auth/logout, with its own token", EVERYONE),
    ]
}
