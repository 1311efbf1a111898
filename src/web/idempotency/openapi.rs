//! The `Idempotency-Key` header in the OpenAPI document: described once here and added
//! to every operation the layer honours it on, so the document and the layer agree.

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

impl utoipa::Modify for IdempotencyHeader {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path.starts_with("/api/auth/") {
                continue;
            }
            for operation in [item.post.as_mut(), item.patch.as_mut()]
                .into_iter()
                .flatten()
            {
                add_header(operation);
            }
        }
    }
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
                .min_length(Some(1))
                .max_length(Some(super::MAX_KEY_LENGTH)),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(header.into());
}
