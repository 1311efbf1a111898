//! The problem answers the API gives outside a handler's own logic (no session, a body
//! that is not JSON or too large, a bad query, too many requests, a failing disk), added
//! to every operation of the OpenAPI document in one place so that none is forgotten.
//!
//! A handler's annotation lists its successes and the refusals of its own rules (403 for
//! the wrong role, 404, 409); [`CommonProblems`] adds the rest from what the operation
//! is documented to take, and serves every `Problem` as `application/problem+json`, the
//! content type [`crate::web::error::AppError`] sends. See `docs/openapi.md`.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Response, Type,
};

/// The header [`crate::web::idempotency`] documents on the operations it honours.
const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The content type of every error answer.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Adds the common problem answers to every operation, and gives every `Problem`
/// answer the problem+json content type.
#[derive(Debug)]
pub struct CommonProblems;

impl utoipa::Modify for CommonProblems {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                (false, item.get.as_mut()),
                (false, item.head.as_mut()),
                (true, item.post.as_mut()),
                (true, item.put.as_mut()),
                (true, item.patch.as_mut()),
                (true, item.delete.as_mut()),
            ];
            for (changes_data, operation) in operations {
                if let Some(operation) = operation {
                    add_common_problems(path, changes_data, operation);
                    serve_problems_as_problem_json(operation);
                }
            }
        }
    }
}

/// Whether the operation needs a signed-in session: it does unless its annotation says
/// `security(())`, which documents an empty (anonymous) requirement.
pub fn needs_session(operation: &Operation) -> bool {
    match &operation.security {
        None => true,
        Some(requirements) => !requirements.iter().any(|requirement| {
            serde_json::to_value(requirement)
                .ok()
                .and_then(|value| value.as_object().map(serde_json::Map::is_empty))
                .unwrap_or(false)
        }),
    }
}

fn add_common_problems(path: &str, changes_data: bool, operation: &mut Operation) {
    let takes = |wanted: &dyn Fn(&utoipa::openapi::path::Parameter) -> bool| {
        operation
            .parameters
            .iter()
            .flatten()
            .any(|parameter| matches!(parameter, RefOr::T(p) if wanted(p)))
    };
    let takes_query = takes(&|p| p.parameter_in == ParameterIn::Query);
    let takes_idempotency_key = takes(&|p| p.name == IDEMPOTENCY_HEADER);
    let takes_path = path.contains('{');
    let takes_body = operation.request_body.is_some();
    let session = needs_session(operation);
    let api = path.starts_with("/api/");
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(problem(description)));
    };
    if takes_body || takes_query {
        add(
            "400",
            "The body is not valid JSON, or a paging parameter (`limit`, `cursor`) is wrong",
        );
        add(
            "422",
            "A value breaks the rules; `errors` names each field at fault",
        );
    }
    if takes_idempotency_key {
        add(
            "400",
            "The `Idempotency-Key` header is not 1 to 255 visible characters",
        );
        add(
            "422",
            "The `Idempotency-Key` was used before with a different request",
        );
    }
    if takes_body {
        add(
            "413",
            "The body is larger than the server accepts (`max_body_bytes`)",
        );
        add(
            "415",
            "The body is not sent as `Content-Type: application/json`",
        );
    }
    if takes_path {
        add(
            "404",
            "No such record in your store, or the id cannot be one",
        );
    }
    if session {
        add(
            "401",
            "Not signed in: send `Authorization: Bearer <token>` from `/api/auth/login`",
        );
        add(
            "500",
            "The server failed (its disk or database); nothing was changed",
        );
        if changes_data {
            add(
                "403",
                "A change sent with the session cookie from another site or without its CSRF token",
            );
        }
    }
    if api {
        let too_many = operation
            .responses
            .responses
            .entry("429".to_owned())
            .or_insert_with(|| {
                RefOr::T(problem(
                    "Too many requests; try again after `Retry-After` seconds",
                ))
            });
        if let RefOr::T(response) = too_many {
            response
                .headers
                .entry("Retry-After".to_owned())
                .or_insert_with(|| {
                    RefOr::T(
                        HeaderBuilder::new()
                            .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                            .description(Some("Seconds to wait before trying again"))
                            .build(),
                    )
                });
        }
    }
}

/// A problem+json answer described by `description`.
fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// utoipa documents `body = Problem` as `application/json`; the server sends it as
/// `application/problem+json`, so the document says that.
fn serve_problems_as_problem_json(operation: &mut Operation) {
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_problem = response.content.get("application/json").is_some_and(|c| {
            matches!(c, RefOr::T(content)
                if matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")))
        });
        if is_problem && let Some(content) = response.content.shift_remove("application/json") {
            response
                .content
                .insert(PROBLEM_CONTENT_TYPE.to_owned(), content);
        }
    }
}
