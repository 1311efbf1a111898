//! The plain-HTTP port: every request is sent on to the same address over HTTPS, except
//! `/ca.pem`, the store's CA certificate, which a tablet fetches before it trusts
//! anything (so it cannot come over HTTPS only).

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// The router of the redirect port, sending to HTTPS on `https_port`.
pub fn router(https_port: u16, ca_pem: Arc<str>) -> Router {
    Router::new()
        .route("/ca.pem", get(move || ca(ca_pem.clone())))
        .fallback(move |headers: HeaderMap, uri: Uri| async move {
            to_https(&headers, &uri, https_port)
        })
}

/// The CA certificate, for tablets to download and trust.
pub async fn ca(pem: Arc<str>) -> Response {
    (
        [
            // The type phones and desktops offer to install as a certificate; the
            // `.crt` name is what Windows and macOS open with their certificate tools.
            (header::CONTENT_TYPE, "application/x-x509-ca-cert"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sarkar-crm-ca.crt\"",
            ),
        ],
        pem.to_string(),
    )
        .into_response()
}

fn to_https(headers: &HeaderMap, uri: &Uri, https_port: u16) -> Response {
    let Some(host) = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(host_without_port)
    else {
        return (
            StatusCode::BAD_REQUEST,
            "This address needs a Host header; open the store's address in a browser.",
        )
            .into_response();
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let port = if https_port == 443 {
        String::new()
    } else {
        format!(":{https_port}")
    };
    Redirect::permanent(&format!("https://{host}{port}{path}")).into_response()
}

/// `sarkar.local:8080` → `sarkar.local`; `[fe80::1]:8080` → `[fe80::1]`. Anything that
/// is not a plain host name or address is refused, so the redirect cannot be steered
/// elsewhere by a forged header.
fn host_without_port(raw: &str) -> Option<&str> {
    let host = if raw.starts_with('[') {
        &raw[..=raw.find(']')?]
    } else {
        raw.split(':').next()?
    };
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
    (!host.is_empty() && plain).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_odd_ones_are_refused() {
        assert_eq!(host_without_port("sarkar.local:8080"), Some("sarkar.local"));
        assert_eq!(host_without_port("192.168.1.20"), Some("192.168.1.20"));
        assert_eq!(host_without_port("[fe80::1]:8080"), Some("[fe80::1]"));
        assert_eq!(host_without_port("evil.com/x"), None);
        assert_eq!(host_without_port(""), None);
    }
}
