//! Extractors that turn a request into typed input or reject it as problem+json:
//! the signed-in [`Actor`] (and whether `app` lets them use a route at all), JSON
//! bodies, query strings and path ids.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::AppError;
use super::pages::shell::session::{csrf_header, csrf_matches, csrf_token, from_this_site};
use crate::app::{Actor, Permission};

/// The name of the session cookie over plain HTTP.
pub const SESSION_COOKIE: &str = "sarkar_session";
/// Its name over HTTPS: the `__Host-` prefix makes the browser refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`, so no other host can plant or read it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-sarkar_session";

/// The `Set-Cookie` value for a session token (an empty token with age 0 clears it):
/// HttpOnly so scripts cannot read it, SameSite=Lax so other sites' forms do not carry
/// The cookie of a session just signed in, kept by the browser until the session's own
/// end.
pub fn signed_in_cookie(https: bool, signed_in: &crate::app::SignedIn) -> HeaderValue {
    let max_age = signed_in
        .expires_at
        .duration_since(jiff::Timestamp::now())
        .as_secs()
        .max(0);
    session_cookie(https, &signed_in.token, max_age)
}

/// it, and `Secure` with the `__Host-` name whenever the app is served over HTTPS.
pub fn session_cookie(https: bool, token: &str, max_age_secs: i64) -> HeaderValue {
    let value = if https {
        format!(
            "{SECURE_SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}"
        )
    } else {
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}")
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of the cookie `name`, if the request carries it.
pub fn cookie<'p>(parts: &'p Parts, name: &str) -> Option<&'p str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// How the server is reached, which decides the session cookie it accepts. The router
/// puts it on every request (see `web::router`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Http,
    /// Only the `__Host-` cookie counts: a plain-named cookie can be planted by anyone
    /// who can answer for the host over plain HTTP (the redirect port, a device on the
    /// Wi-Fi), and accepting it would sign a victim into the planter's account.
    Https,
}

impl Transport {
    /// The name of the session cookie accepted and set over this transport.
    pub fn session_cookie(self) -> &'static str {
        match self {
            Self::Http => SESSION_COOKIE,
            Self::Https => SECURE_SESSION_COOKIE,
        }
    }
}

/// The session token a request carries: `Authorization: Bearer …` first, then the
/// session cookie of the request's [`Transport`] (the `__Host-` one when unknown).
pub fn session_token(parts: &Parts) -> Option<(String, TokenSource)> {
    if let Some(value) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(token) = value.strip_prefix("Bearer ")
    {
        return Some((token.trim().to_owned(), TokenSource::Header));
    }
    let transport = parts
        .extensions
        .get::<Transport>()
        .copied()
        .unwrap_or(Transport::Https);
    cookie(parts, transport.session_cookie())
        .filter(|value| !value.is_empty())
        .map(|value| (value.to_owned(), TokenSource::Cookie))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Header,
    Cookie,
}

/// The signed-in user making the request, or the integration whose API key
/// (`Authorization: Bearer sk_…`) acts for its maker. Rejects with 401 when there is no
/// live session or key.
#[derive(Debug, Clone)]
pub struct Auth(pub Actor);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some((token, source)) = session_token(parts) else {
            return Err(AppError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in first: send `Authorization: Bearer <token>` from /api/auth/login, or an API key",
            ));
        };
        // A change made with the browser's cookie must come from a page of this site
        // and carry the session's CSRF token, as pages' forms do; scripts and tablets
        // using `Authorization: Bearer` are not exposed to cross-site forgery.
        if source == TokenSource::Cookie
            && parts.method != Method::GET
            && parts.method != Method::HEAD
        {
            if !from_this_site(&parts.headers) {
                return Err(AppError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "cross-site requests may not change data",
                ));
            }
            if !csrf_matches(csrf_header(&parts.headers), None, &csrf_token(&token)) {
                return Err(AppError::new(
                    StatusCode::FORBIDDEN,
                    "csrf-token-missing",
                    "a change made with the session cookie needs the `X-CSRF-Token` header from the page; API clients should send `Authorization: Bearer <token>` instead",
                ));
            }
        }
        let address = crate::web::client_address::client_address(parts);
        // A session read recently is checked in memory; only the first request of a
        // session (or one after a sign-in change) reads the database.
        let actor = match state.crm.authenticate_from_memory(&token) {
            Some(known) => known?.from_address(address),
            None => {
                state
                    .crm
                    .run(move |crm| crm.authenticate_api(&token, address))
                    .await?
            }
        };
        Ok(Auth(actor))
    }
}

/// A route's permission, named as a type so that a handler can ask for it in its
/// arguments: `Allowed<may::ManageTeam>`.
pub trait RoutePermission {
    const PERMISSION: Permission;
}

/// The types naming each [`Permission`] for [`Allowed`], one per variant.
pub mod may {
    use super::{Permission, RoutePermission};

    macro_rules! route_permissions {
        ($($name:ident),* $(,)?) => {$(
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl RoutePermission for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    route_permissions!(
        RestoreCustomers,
        ManageCategories,
        ManageFloors,
        ManageTeam,
        ChangeStoreSettings,
        SetRates,
        ManageBackups,
        ManageApiKeys,
    );
}

/// The signed-in user, whom `app` allows to do what `P` names. Placed before the body
/// in a handler's arguments (axum extracts in order), it answers 401 to no session and
/// 403 to the wrong role before the body is read, so a caller who may not use a route
/// learns that first, whatever they sent.
#[derive(Debug, Clone)]
pub struct Allowed<P> {
    pub actor: Actor,
    permission: PhantomData<P>,
}

impl<P: RoutePermission> FromRequestParts<AppState> for Allowed<P> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Auth(actor) = Auth::from_request_parts(parts, state).await?;
        actor.require(P::PERMISSION)?;
        Ok(Allowed {
            actor,
            permission: PhantomData,
        })
    }
}

/// A JSON body, parsed so that an error names the field at fault.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::field(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body",
                    "is too large; send less data in one request",
                )
            } else {
                AppError::new(
                    StatusCode::BAD_REQUEST,
                    "bad-request",
                    "the request body could not be read",
                )
            }
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|err| json_error(&err))?;
        de.end().map_err(|_| {
            AppError::new(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "the body has text after the JSON value",
            )
        })?;
        Ok(ApiJson(value))
    }
}

fn json_error(err: &serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let inner = err.inner();
    let message = strip_position(&inner.to_string());
    if inner.is_syntax() || inner.is_eof() {
        return AppError::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            format!(
                "the body is not valid JSON (line {}, column {}): {message}",
                inner.line(),
                inner.column()
            ),
        );
    }
    field_error(err.path().to_string(), &message)
}

/// Names the field at fault: the path for a bad or unknown value, the path plus the
/// field for a missing one (whose path is the object that lacks it).
fn field_error(path: String, message: &str) -> AppError {
    let top = path.is_empty() || path == ".";
    let field = if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        if top {
            missing.to_owned()
        } else {
            format!("{path}.{missing}")
        }
    } else if top {
        "body".to_owned()
    } else {
        path
    };
    AppError::field(StatusCode::UNPROCESSABLE_ENTITY, field, message.to_owned())
}

/// Like [`field_error`], but a query parameter that steers paging (`limit`,
/// `cursor`…) answers 400, as every other problem with paging does.
fn query_error(path: String, message: &str) -> AppError {
    if crate::app::PAGING_PARAMETERS.contains(&path.as_str()) {
        AppError::field(StatusCode::BAD_REQUEST, path, message.to_owned())
    } else {
        field_error(path, message)
    }
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// A query string, parsed so that an error names the parameter at fault.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|err| query_error(err.path().to_string(), &err.inner().to_string()))
    }
}

/// An id in the path. An id that cannot exist answers 404, like one that does not.
#[derive(Debug, Clone, Copy)]
pub struct PathId(pub uuid::Uuid);

/// The id in a request's path, if there is one that could be an id.
pub async fn path_uuid<S: Send + Sync>(parts: &mut Parts, state: &S) -> Option<uuid::Uuid> {
    let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
        .await
        .ok()?;
    uuid::Uuid::parse_str(&raw).ok()
}

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_uuid(parts, state)
            .await
            .map(PathId)
            .ok_or_else(|| AppError::not_found("record"))
    }
}

/// Two ids in the path (`/api/products/{id}/images/{image_id}`); either one that
/// cannot exist answers 404.
#[derive(Debug, Clone, Copy)]
pub struct PathIds(pub uuid::Uuid, pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for PathIds {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::not_found("record"))?;
        match (uuid::Uuid::parse_str(&a), uuid::Uuid::parse_str(&b)) {
            (Ok(a), Ok(b)) => Ok(PathIds(a, b)),
            _ => Err(AppError::not_found("record")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_https_the_session_cookie_is_secure_and_host_only() {
        let secure = session_cookie(true, "t", 60);
        let secure = secure.to_str().unwrap();
        assert!(
            secure.starts_with("__Host-sarkar_session=t; Path=/; Secure; HttpOnly; SameSite=Lax")
        );
        assert!(!secure.contains("Domain"));
        let plain = session_cookie(false, "t", 60);
        assert!(
            plain
                .to_str()
                .unwrap()
                .starts_with("sarkar_session=t; Path=/; HttpOnly; SameSite=Lax")
        );
    }
}
