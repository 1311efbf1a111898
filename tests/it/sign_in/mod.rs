//! Signing in under attack: where a sign-in may send the browser afterwards, how wrong
//! passwords are slowed down and reported, and the memory that checking them takes.

mod alerts;
mod memory;
mod redirect;
mod throttle;
