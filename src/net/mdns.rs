//! Telling the store network where the box is: mDNS (`_https._tcp` for the app and
//! `_http._tcp` for the redirect port) under the store's name, on the host
//! `<host_name>.local`, so a tablet opens `https://sarkar-crm.local:8443/` without anyone
//! typing an IP address. The records follow the box's addresses as they change (the
//! daemon watches the interfaces and announces again), and are withdrawn on shutdown.

use mdns_sd::{ServiceDaemon, ServiceInfo};

pub const HTTPS_SERVICE: &str = "_https._tcp.local.";
pub const HTTP_SERVICE: &str = "_http._tcp.local.";

/// The running advertisement; [`Advertiser::withdraw`] says goodbye on the network.
pub struct Advertiser {
    daemon: ServiceDaemon,
    fullnames: Vec<String>,
}

impl std::fmt::Debug for Advertiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Advertiser")
            .field("fullnames", &self.fullnames)
            .finish_non_exhaustive()
    }
}

/// Advertises the app on `https_port` (and the redirect port, when there is one) as
/// `instance` (the store's name) on `<host_name>.local`.
pub fn advertise(
    instance: &str,
    host_name: &str,
    https_port: u16,
    redirect_port: Option<u16>,
) -> Result<Advertiser, mdns_sd::Error> {
    let daemon = ServiceDaemon::new()?;
    let host = format!("{host_name}.local.");
    let mut fullnames = Vec::new();
    let services = std::iter::once((HTTPS_SERVICE, https_port))
        .chain(redirect_port.map(|port| (HTTP_SERVICE, port)));
    for (service, port) in services {
        let properties = [("path", "/"), ("app", "sarkar-crm")];
        let info = ServiceInfo::new(service, instance, &host, (), port, &properties[..])?
            .enable_addr_auto();
        fullnames.push(info.get_fullname().to_owned());
        daemon.register(info)?;
    }
    Ok(Advertiser { daemon, fullnames })
}

impl Advertiser {
    /// The full service names registered, e.g. `Sarkar Jewellers._https._tcp.local.`.
    pub fn fullnames(&self) -> &[String] {
        &self.fullnames
    }

    /// Withdraws the records (a "goodbye" on the network) and stops the daemon.
    pub fn withdraw(self) {
        for name in &self.fullnames {
            if let Ok(done) = self.daemon.unregister(name) {
                // The goodbye is sent before the answer; a short wait keeps shutdown brisk.
                let _ = done.recv_timeout(std::time::Duration::from_secs(1));
            }
        }
        if let Ok(done) = self.daemon.shutdown() {
            let _ = done.recv_timeout(std::time::Duration::from_secs(1));
        }
    }
}
