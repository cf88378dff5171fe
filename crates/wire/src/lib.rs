//! AWS restJson1 as the Connect model binds it: matching method and path to an
//! operation, merging path labels, query members and the JSON body into one input
//! value, and rendering successes and errors. Errors are rendered here and nowhere
//! else. Nothing here knows storage or the domain.

mod render;
mod request;
mod router;

pub use render::{error_body, error_response, ok_response, Response, CONTENT_TYPE_JSON};
pub use request::build_input;
pub use router::{Matched, Router};

/// The largest request body accepted, in bytes (1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
