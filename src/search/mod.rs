//! Search: a tantivy index of customers and products, derived from redb.
//!
//! The index follows the change log by sequence number: each commit records the last
//! sequence it applied as its payload, so after a crash it catches up from there, and
//! an index that is missing, corrupt, of another schema version or ahead of the
//! database is rebuilt from redb. It is never the source of truth. One follower task
//! is the only writer; it applies whatever changes have arrived in one commit.
//!
//! What lives here: the schema, the follower, and query building. What does not:
//! permissions and scope (the caller passes the store to search in, from `app`).

mod index;
mod query;
mod schema;
mod text;

pub use index::{SearchError, SearchIndex, spawn_follower};
pub use query::{CustomerSearch, Hits, ProductSearch};
pub use text::{phone_digits, skeleton, words};
