//! `/pair`: how a tablet joins the store's box — trust its certificate authority once,
//! then open the app — with QR codes to scan, the CA's fingerprint to compare, and
//! short steps for Android, iPad, Windows and macOS.

use axum::extract::State;
use maud::{Markup, PreEscaped, html};

use crate::net::pairing::{Pairing, qr_svg};
use crate::web::AppState;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::Viewer;

/// `GET /pair`
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Markup {
    let content = match &state.pairing {
        Some(pairing) => steps(pairing),
        None => html! {
            section.card.wide #pairing {
                h2 { "This box is serving plain HTTP" }
                p { "It was started with " code { "serve --http" } ", so there is no certificate for tablets to trust. Start it without " code { "--http" } " (as the installed service does) to serve HTTPS and pair tablets here." }
            }
        },
    };
    page(&viewer, "Pair a tablet", html! {}, content)
}

fn qr(text: &str, label: &str) -> Markup {
    html! {
        figure.qr {
            @if let Some(svg) = qr_svg(text) { div.qr-code role="img" aria-label=(label) { (PreEscaped(svg)) } }
            figcaption { a href=(text) { (text) } }
        }
    }
}

fn steps(p: &Pairing) -> Markup {
    let (ca, app) = (p.ca_url(), p.app_url());
    html! {
        div.cards #pairing {
            section.card {
                h2 { "1. Trust this box" }
                p { "Scan with the tablet's camera, or type the address. It downloads the store's own certificate authority." }
                (qr(&ca, "QR code of the certificate download address"))
                p { "Fingerprint (SHA-256) to compare with what the tablet shows:" }
                p.fingerprint #ca-fingerprint { code { (p.ca_fingerprint) } }
            }
            section.card {
                h2 { "2. Open Sarkar CRM" }
                p { "Once the certificate is trusted, this address opens without a warning." }
                (qr(&app, "QR code of the app's address"))
                @let others = p.lan_addresses();
                @if !others.is_empty() {
                    p { "If the tablet cannot find " code { (p.host_name) ".local" } ", use an address:" }
                    ul.plain-list { @for ip in others { li { a href=(p.https_url(ip)) { (p.https_url(ip)) } } } }
                }
            }
        }
        section.card.wide #platform-steps {
            h2 { "Trusting the certificate, device by device" }
            h3 { "Android" }
            ol {
                li { "Open the step 1 address in Chrome; the certificate downloads." }
                li { "Settings → Security & privacy → More security settings → Encryption & credentials → Install a certificate → CA certificate → Install anyway, and choose the downloaded file." }
                li { "Open the step 2 address." }
            }
            h3 { "iPad" }
            ol {
                li { "Open the step 1 address in Safari and allow the download of the configuration profile." }
                li { "Settings → General → VPN & Device Management → the Sarkar CRM profile → Install." }
                li { "Settings → General → About → Certificate Trust Settings → switch on full trust for the Sarkar CRM certificate authority." }
                li { "Open the step 2 address." }
            }
            h3 { "Windows" }
            ol {
                li { "Open the step 1 address and open the downloaded file." }
                li { "Install Certificate… → Local Machine → Place all certificates in the following store → Trusted Root Certification Authorities → Finish." }
                li { "Restart the browser and open the step 2 address." }
            }
            h3 { "macOS" }
            ol {
                li { "Open the step 1 address and double-click the downloaded file; Keychain Access adds it." }
                li { "Open the certificate in Keychain Access → Trust → When using this certificate: Always Trust, then close it and confirm with your password." }
                li { "Open the step 2 address." }
            }
            p.hint { "Each device trusts the box once. The box makes new server certificates from the same authority by itself when its name or addresses change." }
        }
    }
}
