//! The live store's event stream (`/api/events`): delivery across sessions, exact
//! replay after a dropped connection, scope, and the stream's end with its session.

mod delivery;
mod reader;
mod scope;
