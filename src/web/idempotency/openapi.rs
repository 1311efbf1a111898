//! The `Idempotency-Key` header in the OpenAPI document: described once here and added
//! to every operation the layer honours it on, so the document and the layer agree.

use axum::http::Method;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, OpenApi, Required, Type};

/// Adds the header to every `POST` and `PATCH` outside `/api/auth/`.
#[derive(Debug)]
pub struct IdempotencyHeader;

const DESCRIPTION: &str = "Makes a retry safe: send a new unique value (a UUID) with each \
    new request and the same value when repeating it. The same key with the same request \
    from the same user answers with the first answer (status and body) without doing \
    anything again, for 24 hours; a repeat that arrives while the first is still running \
    waits for it. The same key with a different request answers 422 \
    (`idempotency-key-reused`). Only successes are kept: after a refusal (4xx) the \
    request may be corrected and sent again with the same key.";

/// Exactly what `parse_key` accepts: 1 to 255 visible ASCII characters other than a
/// double quote, bare or in double quotes.
const KEY_PATTERN: &str = r#"^([!#-~]{1,255}|"[!#-~]{1,255}")$"#;

/// Whether the operation at `path` takes the header: a `POST` or `PATCH` of the API
/// outside the sign-in routes, whose answers carry credentials that must never be
/// handed out twice.
fn takes_key(path: &str, method: &Method) -> bool {
    path.starts_with("/api/")
        && !path.starts_with("/api/auth/")
        && (method == Method::POST || method == Method::PATCH)
}

impl utoipa::Modify for IdempotencyHeader {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in [
                (Method::POST, item.post.as_mut()),
                (Method::PATCH, item.patch.as_mut()),
            ] {
                if let Some(operation) = operation
                    && takes_key(path, &method)
                {
                    add_header(operation);
                }
            }
        }
    }
}

/// The operations of the document the layer honours the header on: the same ones the
/// document describes it on.
pub fn keyed_operations(openapi: &OpenApi) -> super::ApiOperations {
    let mut operations = super::ApiOperations::new();
    for (path, item) in &openapi.paths.paths {
        for (method, operation) in [(Method::POST, &item.post), (Method::PATCH, &item.patch)] {
            if operation.is_some() && takes_key(path, &method) {
                operations.insert((method, path.clone()));
            }
        }
    }
    operations
}

fn add_header(operation: &mut Operation) {
    let header = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(DESCRIPTION))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(KEY_PATTERN)),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(header.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_pattern_allows_the_longest_key_the_layer_takes() {
        let bound = format!("{{1,{}}}", super::super::MAX_KEY_LENGTH);
        assert_eq!(KEY_PATTERN.matches(&bound).count(), 2, "{KEY_PATTERN}");
    }
}
