//! The appliance on the store network: its own certificate authority and server
//! certificate (`tls`), the LAN addresses they name, and the plain-HTTP port that only
//! redirects to HTTPS and hands out the CA (`redirect`), and serving connections on
//! them with timeouts and caps (`serve`, `admission`, `idle`), and the console's socket
//! into the running server (`control`). Request handling is in `web`.

pub mod admission;
pub mod control;
pub mod idle;
pub mod mdns;
pub mod pairing;
pub mod redirect;
pub mod serve;
pub mod tls;

use std::net::IpAddr;

/// The box's current LAN addresses: every interface that is up, loopback and
/// link-local addresses left out (a tablet cannot use them in an address bar).
pub fn lan_addresses() -> Vec<IpAddr> {
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && !i.is_link_local() && i.is_oper_up())
        .map(|i| i.ip())
        .collect();
    found.sort();
    found.dedup();
    found
}
