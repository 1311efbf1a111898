//! Live events: one follower of the change log that turns each committed change into
//! an event once, and a hub that fans it out to the open streams grouped by what they
//! may see. Not here: HTTP (`web::live`) and who may open a stream (`app::live`).

mod audience;
mod event;
mod hub;
mod publisher;

pub use audience::{Audience, View, Who, readable_areas};
pub use event::{HEARTBEAT_FRAME, LiveEvent, RETRY_FRAME, events_for, kind_name, resync_frame};
pub use hub::{Hub, OpenStream, Signal, Start, Subscription};
pub use publisher::{catch_up, spawn_publisher};
