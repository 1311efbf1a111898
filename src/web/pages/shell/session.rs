//! Who is looking at a page, and the checks every submitted form passes: a signed-in
//! session (or a redirect to the sign-in page), the per-session CSRF token, and the
//! browser's own word (`Sec-Fetch-Site`, `Origin`) that the form came from this site.

use crate::web::paths;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::error::PageError;
use std::sync::Arc;

use crate::app::{Actor, BoardLine};
use crate::domain::StoredFile;
use crate::web::AppState;
use crate::web::extract::{path_uuid, session_token};

/// The hidden form field and the htmx header that carry the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session: derived from the session token, which only this
/// browser holds (the cookie is HttpOnly), so another site can neither read nor guess it.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::digest(format!("sarkar-csrf\0{session_token}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// Constant-time comparison, so the time taken reveals nothing about the token.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether a request carries the CSRF token `expected`: in the header htmx sends, or
/// else in a form's hidden field.
pub fn csrf_matches(header: Option<&str>, form: Option<&FormData>, expected: &str) -> bool {
    header
        .or_else(|| form.and_then(|f| f.get(CSRF_FIELD)))
        .is_some_and(|given| same_token(given, expected))
}

/// The CSRF header of a request, if it has one.
pub fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

/// Whether the browser says the request came from a page of this very site. Browsers
/// send `Sec-Fetch-Site` on every request; older ones send at least `Origin` on posts.
pub fn from_this_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin";
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
            !host.is_empty() && origin_host == host
        }
    }
}

/// The page and query being asked for, to come back to after signing in.
pub fn requested_path(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map_or_else(|| paths::HOME.to_owned(), |pq| pq.as_str().to_owned())
}

/// The signed-in person looking at a page. Without a live session the page answers
/// with a redirect to `/login?next=<this page>`.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    pub csrf: String,
    /// The path of the page, for marking the current section in the navigation.
    pub path: String,
    pub lock_minutes: u32,
    /// Today's metal rates, which every page shows.
    pub rates: Vec<BoardLine>,
    /// How many notifications this person has not read (the bell's badge).
    pub unread: u32,
    /// The store's logo, which the page's header shows (kept in memory by `app`).
    pub logo: Option<Arc<StoredFile>>,
    /// The newest change published to the live streams when the request came in: the
    /// page's stream starts after it, so a change made while the page was drawn still
    /// reaches it (one the page already shows only redraws a region needlessly).
    pub live_after: u64,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = requested_path(parts);
        // Read before anything of the page is, so no change falls between the two.
        let live_after = state.crm.live_hub().published();
        let Some((token, _)) = session_token(parts) else {
            return Err(PageError::SignIn {
                next,
                htmx: parts.headers.contains_key("hx-request"),
            });
        };
        let csrf = csrf_token(&token);
        let htmx = parts.headers.contains_key("hx-request");
        let address = crate::web::client_address::client_address(parts);
        let (actor, rates, unread, logo) = state
            .crm
            .run(move |crm| {
                let actor = crm.authenticate(&token)?.from_address(address);
                // htmx asks for fragments (rows, results, suggestions), which never draw
                // the page's rate strip, bell or logo, so only whole pages read the board,
                // count the unread notifications (index entries only) and ask for the
                // logo (kept in memory).
                if htmx {
                    return Ok((actor, Vec::new(), 0, None));
                }
                let rates = crm.rate_board(&actor)?;
                let unread = crm.unread_notifications(&actor)?;
                let logo = crm.store_logo(actor.store_id)?;
                Ok((actor, rates, unread, logo))
            })
            .await
            .map_err(|err| match err {
                crate::app::Error::Unauthorized(_) => PageError::SignIn { next, htmx },
                other => PageError::App(other),
            })?;
        Ok(Viewer {
            actor,
            rates,
            unread,
            logo,
            csrf,
            path: parts.uri.path().to_owned(),
            lock_minutes: state.crm.config().auth.tablet_lock_minutes,
            live_after,
        })
    }
}

/// A record id in a page's address. One that cannot exist shows the not-found page,
/// like one that does not.
#[derive(Debug, Clone, Copy)]
pub struct PageId(pub uuid::Uuid);

/// The fields of the address's query (`?done=saved&shown=40`), for a page that reads
/// them; an address without a query gives none.
#[derive(Debug, Clone, Default)]
pub struct Params(pub FormData);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Params(FormData::parse(
            parts.uri.query().unwrap_or("").as_bytes(),
        )))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_uuid(parts, state)
            .await
            .map(PageId)
            .ok_or(PageError::App(crate::app::Error::NotFound("record")))
    }
}

/// Two record ids in a page's address (`/products/{id}/photos/{photo}/cover`): the
/// record and one of its parts. Either one that cannot exist shows the not-found page.
#[derive(Debug, Clone, Copy)]
pub struct PageIds(pub uuid::Uuid, pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for PageIds {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        crate::web::extract::PathIds::from_request_parts(parts, state)
            .await
            .map(|ids| PageIds(ids.0, ids.1))
            .map_err(|_| PageError::App(crate::app::Error::NotFound("record")))
    }
}

/// The browser's own description (User-Agent), kept with a session so a person can
/// tell their devices apart.
pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// A submitted form's fields, in order; a name may repeat (check boxes).
#[derive(Debug, Clone, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// Adds a field, as a page adds an empty row to a form it sends back.
    pub fn push(&mut self, name: String, value: String) {
        self.0.push((name, value));
    }

    /// Every field in the order sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name` as an owned string, or `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Every value of `name`, blanks left out.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v == "on" || v == "true")
    }
}

/// A form posted by a signed-in person from a page of this site, with a valid CSRF
/// token. Anything else is refused with 403 before the handler runs.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub viewer: Viewer,
    pub form: FormData,
}

impl FromRequest<AppState> for Submitted {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        if !from_this_site(&parts.headers) {
            return Err(PageError::CrossSite);
        }
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let header_token = csrf_header(&parts.headers).map(str::to_owned);
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError::TooLarge)?;
        let form = FormData::parse(&bytes);
        if !csrf_matches(header_token.as_deref(), Some(&form), &viewer.csrf) {
            return Err(PageError::StaleForm);
        }
        Ok(Submitted { viewer, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_must_match_host_when_fetch_metadata_is_missing() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "shop.local:8443".parse().unwrap());
        assert!(from_this_site(&h));
        h.insert(header::ORIGIN, "https://shop.local:8443".parse().unwrap());
        assert!(from_this_site(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!from_this_site(&h));
        h.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(from_this_site(&h), "fetch metadata decides when present");
        h.insert("sec-fetch-site", "same-site".parse().unwrap());
        assert!(!from_this_site(&h));
    }

    #[test]
    fn tokens_compare_whole() {
        let t = csrf_token("abc");
        assert!(same_token(&t, &csrf_token("abc")));
        assert!(!same_token(&t, &csrf_token("abd")));
        assert!(!same_token(&t, &t[..10]));
    }
}
