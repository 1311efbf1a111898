//! Sarkar CRM: the customer and sales system of a multi-floor jewellery store, as a
//! library that the `sarkar-crm` binary wires together.
//!
//! Data flows one way: `web` → `app` → `store` (the source of truth) and `search`
//! (derived from it). See the README's Architecture section.

pub mod app;
pub mod backup;
pub mod blobs;
pub mod config;
pub mod data_dir;
pub mod demo;
pub mod doctor;
pub mod domain;
pub mod live;
pub mod net;
pub mod reports;
pub mod search;
pub mod service;
pub mod startup;
pub mod store;
pub mod web;

pub use startup::Server;
