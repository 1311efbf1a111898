//! What every page shares and no page owns: the frame around a page, the signed-in
//! viewer and the form checks, the components, the form flow, the error page, and the
//! live regions that keep a page current.
//! Nothing here knows a particular page.

pub mod components;
pub mod error;
pub mod file_form;
pub mod form_flow;
pub mod format;
pub mod forms;
pub mod layout;
pub mod live;
pub mod session;
