//! Integration tests: each starts the real app the way `main` does (`Server::build` on
//! 127.0.0.1:0 with its own temporary data directory) and drives it over HTTP.

mod helpers;

mod activity;
mod auth;
mod backup;
mod bill_of_supply;
mod browser;
mod catalogue;
mod changelog;
mod cli;
mod connections;
mod correcting;
mod customer_cash;
mod customer_value;
mod customers;
mod demo;
mod doctor;
mod durability;
mod first_run;
mod https;
mod https_session;
mod idempotency;
mod invoice_pdf;
mod limits;
mod lists;
mod metrics;
mod migrations;
mod openapi;
mod pages;
mod permissions;
mod products;
mod rates;
mod rounded_sales;
mod sales;
mod sales_register;
mod sales_summary;
mod schemathesis;
mod scope;
mod search;
mod service;
mod sign_in;
mod spoofing;
mod users;
mod validation;
