//! Signing in under attack: where a sign-in may send the browser afterwards, how wrong
//! passwords are slowed down, and the memory that checking them takes.

mod memory;
mod redirect;
