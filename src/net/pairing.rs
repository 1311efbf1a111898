//! What a tablet needs to join: the box's HTTPS address, where to fetch the CA it must
//! trust, the CA's fingerprint to check it by, and QR codes of both addresses (an SVG
//! for the `/pair` page, text blocks for the console at start).

use std::sync::Arc;

use qrcode::QrCode;
use qrcode::render::{svg, unicode};

/// The box as tablets reach it over HTTPS.
#[derive(Debug, Clone)]
pub struct Pairing {
    pub ca_pem: Arc<str>,
    /// SHA-256 of the CA certificate, `AB:CD:…`.
    pub ca_fingerprint: String,
    pub host_name: String,
    pub https_port: u16,
    pub redirect_port: Option<u16>,
    /// The names and addresses the server certificate carries.
    pub names: Vec<String>,
}

impl Pairing {
    /// `https://sarkar-crm.local:8443/`.
    pub fn app_url(&self) -> String {
        self.https_url(&format!("{}.local", self.host_name))
    }

    /// The app at one of the box's IP addresses, for a tablet that cannot resolve
    /// `.local` names (some Android versions).
    pub fn https_url(&self, host: &str) -> String {
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        match self.https_port {
            443 => format!("https://{host}/"),
            port => format!("https://{host}:{port}/"),
        }
    }

    /// Where a tablet downloads the CA before it trusts the box: over plain HTTP when
    /// the redirect port is open (no certificate warning to click through).
    pub fn ca_url(&self) -> String {
        let host = format!("{}.local", self.host_name);
        match self.redirect_port {
            Some(80) => format!("http://{host}/ca.pem"),
            Some(port) => format!("http://{host}:{port}/ca.pem"),
            None => format!("{}ca.pem", self.app_url()),
        }
    }

    /// The LAN addresses among the certificate's names (not loopback, not `.local`).
    pub fn lan_addresses(&self) -> Vec<&str> {
        self.names
            .iter()
            .map(String::as_str)
            .filter(|n| {
                n.parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| !ip.is_loopback())
            })
            .collect()
    }
}

/// A QR code of `text` as an inline SVG element (no XML prolog), or `None` for text too
/// long to encode.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Some(
        image
            .find("<svg")
            .map_or(image.clone(), |at| image[at..].to_owned()),
    )
}

/// A QR code of `text` drawn with block characters, two rows a line, for a terminal.
pub fn qr_text(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairing(https_port: u16, redirect_port: Option<u16>) -> Pairing {
        Pairing {
            ca_pem: Arc::from(""),
            ca_fingerprint: String::new(),
            host_name: "sarkar-crm".into(),
            https_port,
            redirect_port,
            names: vec![
                "sarkar-crm.local".into(),
                "localhost".into(),
                "127.0.0.1".into(),
                "::1".into(),
                "192.168.1.20".into(),
                "fd00::20".into(),
            ],
        }
    }

    #[test]
    fn addresses_leave_out_default_ports_and_loopback() {
        let p = pairing(443, Some(80));
        assert_eq!(p.app_url(), "https://sarkar-crm.local/");
        assert_eq!(p.ca_url(), "http://sarkar-crm.local/ca.pem");
        let p = pairing(8443, None);
        assert_eq!(p.ca_url(), "https://sarkar-crm.local:8443/ca.pem");
        assert_eq!(p.lan_addresses(), ["192.168.1.20", "fd00::20"]);
        assert_eq!(p.https_url("fd00::20"), "https://[fd00::20]:8443/");
    }

    #[test]
    fn qr_codes_are_drawn() {
        let svg = qr_svg("https://sarkar-crm.local:8443/").expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains("<path"));
        let text = qr_text("https://sarkar-crm.local:8443/").expect("text");
        assert!(text.lines().count() > 10);
    }
}
