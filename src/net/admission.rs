//! Who may open another connection: a cap on the connections open in all and on those
//! from one client address, so a device holding many idle connections is refused at
//! once instead of using up the open files everyone else needs.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::config::ServerConfig;

/// The connections open now, shared by every port of one server.
#[derive(Debug, Clone)]
pub struct Gate {
    inner: Arc<Mutex<Open>>,
    max_total: usize,
    max_per_address: usize,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// Why a connection was refused, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds `server.max_connections` already.
    ServerFull,
    /// This address holds `server.max_connections_per_address` already.
    AddressFull,
}

/// A place under the caps, given back when the connection ends (dropped).
#[derive(Debug)]
pub struct Permit {
    gate: Gate,
    address: IpAddr,
}

impl Gate {
    pub fn new(max_total: usize, max_per_address: usize) -> Self {
        Self {
            inner: Arc::default(),
            max_total,
            max_per_address,
        }
    }

    /// The caps of `server.max_connections` and `server.max_connections_per_address`.
    pub fn from_config(server: &ServerConfig) -> Self {
        Self::new(server.max_connections, server.max_connections_per_address)
    }

    /// A place for one more connection from `address`, if both caps allow it.
    pub fn admit(&self, address: IpAddr) -> Result<Permit, Refusal> {
        let address = canonical(address);
        let mut open = self.open();
        if open.total >= self.max_total {
            return Err(Refusal::ServerFull);
        }
        let from_address = open.by_address.entry(address).or_default();
        if *from_address >= self.max_per_address {
            return Err(Refusal::AddressFull);
        }
        *from_address += 1;
        open.total += 1;
        Ok(Permit {
            gate: self.clone(),
            address,
        })
    }

    /// How many connections are open now, on every port.
    pub fn open_count(&self) -> usize {
        self.open().total
    }

    fn open(&self) -> std::sync::MutexGuard<'_, Open> {
        // The counts stay consistent even if a holder panicked: each change is one step.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.gate.open();
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

/// An IPv4 client reaching a dual-stack socket shows up as `::ffff:a.b.c.d`; it is the
/// same device as `a.b.c.d`, so both count as one.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn one_address_is_capped_without_crowding_out_others() {
        let gate = Gate::new(10, 2);
        let first = gate.admit(ip("10.0.0.5")).unwrap();
        let _second = gate.admit(ip("::ffff:10.0.0.5")).unwrap();
        assert_eq!(
            gate.admit(ip("10.0.0.5")).unwrap_err(),
            Refusal::AddressFull
        );
        let _other = gate.admit(ip("10.0.0.6")).unwrap();
        assert_eq!(gate.open_count(), 3);
        drop(first);
        assert_eq!(gate.open_count(), 2);
        let _again = gate.admit(ip("10.0.0.5")).unwrap();
    }

    #[test]
    fn the_server_cap_holds_across_addresses_and_frees_places() {
        let gate = Gate::new(3, 3);
        let permits: Vec<Permit> = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
            .into_iter()
            .map(|a| gate.admit(ip(a)).unwrap())
            .collect();
        assert_eq!(gate.admit(ip("10.0.0.4")).unwrap_err(), Refusal::ServerFull);
        drop(permits);
        assert_eq!(gate.open_count(), 0);
        assert!(
            gate.open().by_address.is_empty(),
            "no address is remembered"
        );
        assert!(gate.admit(ip("10.0.0.4")).is_ok());
    }
}
