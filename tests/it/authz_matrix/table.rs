//! The expectations of the authorization matrix: one row per operation of the OpenAPI
//! document, saying who may use it (anyone, anyone signed in, a Business Admin, or a
//! Floor Manager on their own floor's records), what record its `{id}` names, and a
//! body that would be valid, so that a refusal is a real refusal and not a 422. The
//! answer each caller should get follows from the row by the rules in `expected`.
//!
//! A new route in the document without a row here fails the matrix test, by name.

use super::{Actor, Owner};

/// Who may use an operation, on a record they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in, on any record of their store.
    SignedIn,
    /// A Business Admin of the record's store; a Floor Manager is refused.
    AdminOnly,
    /// A Business Admin, or a Floor Manager on a record of their own floor.
    OwnFloor,
    /// The caller's own session (signing out, a new token): asked with a session of its
    /// own, so that the caller's working session survives the walk.
    OwnSession,
}

/// What the operation's path or body is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// No record: asked once per caller, the body filled from the caller's own floor.
    Nothing,
    /// The `{id}` in the path is a record of this kind, of floor 1, floor 2 and store B.
    /// The body's `{floor}` is that record's floor when the caller's store holds it, and
    /// the caller's own floor otherwise, so that only the record can be out of sight.
    Record(Kind),
    /// The body names a floor and its records: those of floor 1, floor 2 and store B.
    BodyFloor,
}

/// The kinds of record an `{id}` names; `records.rs` makes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Customer,
    RemovedCustomer,
    Product,
    Category,
    Floor,
    SpareFloor,
    RemovedFloor,
    Staff,
    PendingSale,
    CompletedSale,
    FollowUp,
    ApiKey,
    /// A customer file uploaded and not yet imported (a draft of the owner's store).
    Import,
}

/// An answer the matrix expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Any 2xx.
    Allowed,
    /// 401: sign in first.
    Unauthorized,
    /// 403 or 404: refused, or the record is out of sight.
    Denied,
    /// Exactly this status.
    Status(u16),
}

/// An answer that differs from the rules for some callers: `None` means the rules hold.
pub type Exception = fn(Actor, Option<Owner>) -> Option<Expect>;

pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub target: Target,
    /// JSON with placeholders (`{floor}`, `{customer}`, `{phone}`, `{n}`…), see `records.rs`.
    pub body: Option<&'static str>,
    pub exception: Option<Exception>,
}

impl Operation {
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The answer `actor` should get from `operation` on a record of `owner`.
pub fn expected(operation: &Operation, actor: Actor, owner: Option<Owner>) -> Expect {
    if let Some(answer) = operation
        .exception
        .and_then(|exception| exception(actor, owner))
    {
        return answer;
    }
    if operation.access == Access::Public {
        return Expect::Allowed;
    }
    if actor == Actor::Anonymous {
        return Expect::Unauthorized;
    }
    // Stores never see each other's records: an id of the other store's is out of
    // sight, and an admin's body naming its records is refused as naming ones that do
    // not exist. A Floor Manager naming a floor not theirs is refused for that first.
    if owner.is_some_and(|owner| owner.in_store_b() != actor.in_store_b()) {
        return match operation.target {
            Target::BodyFloor if actor.floor().is_none() => Expect::Status(422),
            Target::BodyFloor | Target::Nothing | Target::Record(_) => Expect::Denied,
        };
    }
    match operation.access {
        Access::Public | Access::SignedIn | Access::OwnSession => Expect::Allowed,
        Access::AdminOnly if actor.is_admin() => Expect::Allowed,
        Access::AdminOnly => Expect::Denied,
        Access::OwnFloor => match (actor.floor(), owner) {
            (Some(floor), Some(owner)) if floor != owner => Expect::Denied,
            _ => Expect::Allowed,
        },
    }
}

fn row(method: &'static str, path: &'static str, access: Access, target: Target) -> Operation {
    Operation {
        method,
        path,
        access,
        target,
        body: None,
        exception: None,
    }
}

fn with_body(operation: Operation, body: &'static str) -> Operation {
    Operation {
        body: Some(body),
        ..operation
    }
}

fn except(operation: Operation, exception: Exception) -> Operation {
    Operation {
        exception: Some(exception),
        ..operation
    }
}

/// A Floor Manager naming another store's floor hears that it does not exist (422).
fn unknown_floor_first(actor: Actor, owner: Option<Owner>) -> Option<Expect> {
    (actor.floor().is_some() && owner == Some(Owner::StoreB)).then_some(Expect::Status(422))
}

/// The uploads read a multipart form; the matrix sends none, so everyone signed in
/// hears 400 before any file is read (`tests/it/imports` uploads real files).
fn no_form(actor: Actor, _: Option<Owner>) -> Option<Expect> {
    (actor != Actor::Anonymous).then_some(Expect::Status(400))
}

/// A photo or document upload judges the caller first: those allowed then hear that
/// no form came (400), the others are refused as the rules say.
fn no_form_when_allowed(actor: Actor, owner: Option<Owner>) -> Option<Expect> {
    let other_store = owner.is_some_and(|owner| owner.in_store_b() != actor.in_store_b());
    let other_floor =
        matches!((actor.floor(), owner), (Some(floor), Some(owner)) if floor != owner);
    (actor != Actor::Anonymous && !other_store && !other_floor).then_some(Expect::Status(400))
}

/// The walk sets no logo: everyone signed in hears there is none.
fn no_logo(actor: Actor, _: Option<Owner>) -> Option<Expect> {
    (actor != Actor::Anonymous).then_some(Expect::Status(404))
}

/// Only an import that was written can be undone: a draft in sight answers 409.
fn not_written(actor: Actor, owner: Option<Owner>) -> Option<Expect> {
    let in_sight = owner.is_some_and(|owner| owner.in_store_b() == actor.in_store_b());
    (actor != Actor::Anonymous && in_sight).then_some(Expect::Status(409))
}

/// A Floor Manager sending a customer to their own floor hears that it is theirs (422).
fn own_floor_refused(actor: Actor, owner: Option<Owner>) -> Option<Expect> {
    (actor.floor().is_some() && actor.floor() == owner).then_some(Expect::Status(422))
}

const CUSTOMER: &str = r#"{"name": "Rina Sen", "phone": "{customer_phone}", "status": "ACTIVE", "home_floor_id": "{floor}"}"#;
const PRODUCT: &str = r#"{"sku": "{product_sku}", "name": "Silver tea set", "floor_id": "{floor}", "metal": "SILVER", "purity": "925", "gross_weight_mg": 500000, "making_charge": {"flat_paise": 0}, "fixed_price_paise": 1000000, "stock_qty": 49}"#;
const NEW_PRODUCT: &str = r#"{"sku": "BG-{n}", "name": "Kangan pair", "floor_id": "{floor}", "metal": "SILVER", "purity": "925", "gross_weight_mg": 32500, "making_charge": {"flat_paise": 0}, "fixed_price_paise": 500000, "stock_qty": 2}"#;
const NEW_USER: &str = concat!(
    r#"{"username": "new.{n}", "name": "Arup Ghosh", "role": "FLOOR_MANAGER", "floor_id": "{floor}", "password": ""#,
    "correct horse battery",
    r#""}"#
);
const SALE: &str = r#"{"customer_id": "{customer}", "floor_id": "{floor}", "lines": [{"product_id": "{product}"}]}"#;

/// Every operation of the API, in the order of `web::api::router`.
#[rustfmt::skip]
pub fn operations() -> Vec<Operation> {
    use Access::*;
    use Kind::*;
    use Target::*;
    vec![
        // Anyone may try to sign in; the body's password is right, so everyone gets a session.
        with_body(row("POST", "/api/auth/login", Public, Nothing), r#"{"username": "owner", "password": "correct horse battery"}"#),
        // Signing out without a session is no error: there is nothing to end.
        except(row("POST", "/api/auth/logout", OwnSession, Nothing), |actor, _| (actor == Actor::Anonymous).then_some(Expect::Status(204))),
        row("POST", "/api/auth/refresh", OwnSession, Nothing),
        with_body(row("POST", "/api/auth/register", AdminOnly, Nothing), NEW_USER),
        row("GET", "/api/customers", SignedIn, Nothing),
        // A new customer's or piece's floor is checked to exist before whose it is.
        except(with_body(row("POST", "/api/customers", OwnFloor, BodyFloor), r#"{"name": "Payel Dey", "phone": "{phone}", "home_floor_id": "{floor}"}"#), unknown_floor_first),
        // Any customer of the store can be looked up; changing one is for their home floor.
        row("GET", "/api/customers/{id}", SignedIn, Record(Customer)),
        with_body(row("PUT", "/api/customers/{id}", OwnFloor, Record(Customer)), CUSTOMER),
        row("DELETE", "/api/customers/{id}", OwnFloor, Record(Customer)),
        row("POST", "/api/customers/{id}/restore", AdminOnly, Record(RemovedCustomer)),
        // Imports belong to the store: anyone who may add customers drafts, reads,
        // changes and commits them (a Floor Manager's rows go to their own floor).
        except(row("POST", "/api/customers/import", SignedIn, Nothing), no_form),
        except(row("POST", "/api/products/import", SignedIn, Nothing), no_form),
        // Photos: anyone of the store sees them; the product's floor changes them. A
        // customer's documents are their home floor's and the admins'; only an admin
        // removes one. The uploads are walked with real files in `tests/it/files`.
        except(row("POST", "/api/products/{id}/images", OwnFloor, Record(Product)), no_form_when_allowed),
        row("GET", "/api/products/{id}/images", SignedIn, Record(Product)),
        except(row("POST", "/api/customers/{id}/documents", OwnFloor, Record(Customer)), no_form_when_allowed),
        row("GET", "/api/customers/{id}/documents", OwnFloor, Record(Customer)),
        // The walk's stores have no logo: reading it or taking it away finds none.
        except(row("GET", "/api/store/logo", SignedIn, Nothing), no_logo),
        except(row("POST", "/api/store/logo", AdminOnly, Nothing), |actor, _| actor.is_admin().then_some(Expect::Status(400))),
        except(row("DELETE", "/api/store/logo", AdminOnly, Nothing), |actor, _| (actor.is_admin()).then_some(Expect::Status(404))),
        // `{name}` is the product's photo as served.
        row("GET", "/api/media/{name}", SignedIn, Record(Product)),
        row("POST", "/api/products/{id}/images/{image_id}/cover", OwnFloor, Record(Product)),
        row("DELETE", "/api/products/{id}/images/{image_id}", OwnFloor, Record(Product)),
        row("GET", "/api/customers/{id}/documents/{document_id}", OwnFloor, Record(Customer)),
        row("DELETE", "/api/customers/{id}/documents/{document_id}", AdminOnly, Record(Customer)),
        row("GET", "/api/imports", SignedIn, Nothing),
        row("GET", "/api/imports/{id}", SignedIn, Record(Import)),
        with_body(row("PUT", "/api/imports/{id}", SignedIn, Record(Import)), r#"{"on_duplicate": "update"}"#),
        row("DELETE", "/api/imports/{id}", SignedIn, Record(Import)),
        with_body(row("POST", "/api/imports/{id}/commit", SignedIn, Record(Import)), "{}"),
        except(row("POST", "/api/imports/{id}/undo", SignedIn, Record(Import)), not_written),
        row("GET", "/api/imports/{id}/problems", SignedIn, Record(Import)),
        // A merge would remove the shared records the other rows use, so the matrix sends
        // one customer twice: refused as such (422) to everyone signed in. Who may merge
        // what is tested in `customer_merge.rs`.
        except(with_body(row("POST", "/api/customers/merge", SignedIn, Nothing), r#"{"survivor_id": "{customer}", "other_id": "{customer}"}"#), |actor, _| (actor != Actor::Anonymous).then_some(Expect::Status(422))),
        // A customer's id names no merge: not found (404) to everyone signed in.
        except(row("POST", "/api/customer-merges/{id}/undo", SignedIn, Record(Customer)), |actor, _| (actor != Actor::Anonymous).then_some(Expect::Status(404))),
        row("GET", "/api/customers/duplicates", SignedIn, Nothing),
        row("GET", "/api/products", SignedIn, Nothing),
        except(with_body(row("POST", "/api/products", OwnFloor, BodyFloor), NEW_PRODUCT), unknown_floor_first),
        // The whole catalogue is visible, to tell a customer where a piece is.
        row("GET", "/api/products/{id}", SignedIn, Record(Product)),
        with_body(row("PUT", "/api/products/{id}", OwnFloor, Record(Product)), PRODUCT),
        row("DELETE", "/api/products/{id}", OwnFloor, Record(Product)),
        row("GET", "/api/categories", SignedIn, Nothing),
        with_body(row("POST", "/api/categories", AdminOnly, Nothing), r#"{"name": "Bangles {n}"}"#),
        row("GET", "/api/categories/{id}", SignedIn, Record(Category)),
        with_body(row("PUT", "/api/categories/{id}", AdminOnly, Record(Category)), r#"{"name": "Chokers {n}"}"#),
        row("DELETE", "/api/categories/{id}", AdminOnly, Record(Category)),
        row("GET", "/api/floors", SignedIn, Nothing),
        with_body(row("POST", "/api/floors", AdminOnly, Nothing), r#"{"name": "Attic {n}", "level": 4}"#),
        row("GET", "/api/floors/{id}", SignedIn, Record(Floor)),
        with_body(row("PUT", "/api/floors/{id}", AdminOnly, Record(SpareFloor)), r#"{"name": "Mezzanine {n}", "level": 2}"#),
        row("DELETE", "/api/floors/{id}", AdminOnly, Record(SpareFloor)),
        row("POST", "/api/floors/{id}/restore", AdminOnly, Record(RemovedFloor)),
        row("GET", "/api/users", AdminOnly, Nothing),
        with_body(row("POST", "/api/users", AdminOnly, Nothing), NEW_USER),
        row("GET", "/api/users/profile", SignedIn, Nothing),
        with_body(row("PUT", "/api/users/profile", SignedIn, Nothing), r#"{"name": "Someone Else"}"#),
        row("GET", "/api/users/{id}", AdminOnly, Record(Staff)),
        with_body(row("PUT", "/api/users/{id}", AdminOnly, Record(Staff)), r#"{"name": "Mitali Pal", "role": "FLOOR_MANAGER", "floor_id": "{floor}", "active": true}"#),
        row("DELETE", "/api/users/{id}", AdminOnly, Record(Staff)),
        row("GET", "/api/store", SignedIn, Nothing),
        with_body(row("PUT", "/api/store", AdminOnly, Nothing), r#"{"state_code": "19", "address": "12 Bowbazar Street, Kolkata"}"#),
        row("GET", "/api/rates", SignedIn, Nothing),
        // Everyone signed in may listen; what each hears is scoped (live_events::scope).
        row("GET", "/api/events", SignedIn, Nothing),
        with_body(row("POST", "/api/rates", AdminOnly, Nothing), r#"{"metal": "SILVER", "purity": "925", "per_gram_paise": 9500}"#),
        row("GET", "/api/sales", SignedIn, Nothing),
        with_body(row("POST", "/api/sales", OwnFloor, BodyFloor), SALE),
        row("GET", "/api/sales/totals", SignedIn, Nothing),
        // Exports read through the list's own page function: anyone signed in, and a
        // Floor Manager's file holds what their list shows.
        row("GET", "/api/customers/export", SignedIn, Nothing),
        row("GET", "/api/products/export", SignedIn, Nothing),
        row("GET", "/api/sales/export", SignedIn, Nothing),
        row("GET", "/api/follow-ups/export", SignedIn, Nothing),
        row("GET", "/api/reports/customers", SignedIn, Nothing),
        row("GET", "/api/reports/products", SignedIn, Nothing),
        row("GET", "/api/reports/opening", SignedIn, Nothing),
        row("GET", "/api/sales/analytics", SignedIn, Nothing),
        with_body(row("POST", "/api/sales/quote", OwnFloor, BodyFloor), SALE),
        row("GET", "/api/sales/{id}", OwnFloor, Record(PendingSale)),
        with_body(row("PUT", "/api/sales/{id}", OwnFloor, Record(PendingSale)), r#"{"customer_phone": "{customer_phone}", "lines": [{"sku": "{product_sku}", "quantity": 2}]}"#),
        with_body(row("POST", "/api/sales/{id}/complete", OwnFloor, Record(PendingSale)), "{}"),
        row("POST", "/api/sales/{id}/cancel", OwnFloor, Record(PendingSale)),
        with_body(row("POST", "/api/sales/{id}/refund", OwnFloor, Record(CompletedSale)), r#"{"reason": "Size does not fit"}"#),
        row("GET", "/api/sales/{id}/invoice.pdf", OwnFloor, Record(CompletedSale)),
        row("GET", "/api/interactions", SignedIn, Nothing),
        with_body(row("POST", "/api/interactions", OwnFloor, BodyFloor), r#"{"customer_id": "{customer}", "type": "WALK_IN", "notes": "Saw bangles", "floor_id": "{floor}"}"#),
        with_body(row("POST", "/api/interactions/walk-in", OwnFloor, BodyFloor), r#"{"phone": "{phone}", "name": "Payel Dey", "floor_id": "{floor}"}"#),
        row("GET", "/api/follow-ups", SignedIn, Nothing),
        with_body(row("POST", "/api/follow-ups", OwnFloor, BodyFloor), r#"{"customer_id": "{customer}", "type": "PHONE_CALL", "due_at": "2030-01-15T05:30:00Z", "floor_id": "{floor}"}"#),
        row("GET", "/api/follow-ups/{id}", OwnFloor, Record(FollowUp)),
        with_body(row("PATCH", "/api/follow-ups/{id}", OwnFloor, Record(FollowUp)), r#"{"status": "CANCELLED"}"#),
        row("GET", "/api/customers/{id}/timeline", SignedIn, Record(Customer)),
        row("GET", "/api/my-day", SignedIn, Nothing),
        // Any customer of the store may be sent on to another floor; sending one to
        // one's own floor is refused (422).
        except(with_body(row("POST", "/api/customers/{id}/hand-off", SignedIn, Record(Customer)), r#"{"floor_id": "{floor}", "note": "wants a bridal set"}"#), own_floor_refused),
        row("GET", "/api/notifications", SignedIn, Nothing),
        with_body(row("POST", "/api/notifications/read", SignedIn, Nothing), "{}"),
        row("GET", "/api/pipeline", SignedIn, Nothing),
        row("GET", "/api/search/suggest?q=rina", SignedIn, Nothing),
        row("GET", "/api/api-keys", AdminOnly, Nothing),
        with_body(row("POST", "/api/api-keys", AdminOnly, Nothing), r#"{"name": "Tally export {n}", "scope": "read_only"}"#),
        row("DELETE", "/api/api-keys/{id}", AdminOnly, Record(ApiKey)),
        row("GET", "/api/audit", AdminOnly, Nothing),
        row("GET", "/api/reports/gst", AdminOnly, Nothing),
        row("GET", "/api/backups", AdminOnly, Nothing),
        // No backup destination is set up in a test app: the admin is told so.
        except(row("POST", "/api/backups/run", AdminOnly, Nothing), |actor, _| actor.is_admin().then_some(Expect::Status(409))),
        row("GET", "/healthz", Public, Nothing),
        row("GET", "/metrics", Public, Nothing),
    ]
}
