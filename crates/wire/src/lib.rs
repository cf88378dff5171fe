//! AWS restJson1 as the Connect model binds it: matching method and path to an
//! [`roster_api::Operation`], collecting the members bound to the path, the query string
//! and headers for the operation's generated decoder, and rendering successes and
//! errors. Errors are rendered here and nowhere else. Nothing here knows storage or
//! the domain.

mod render;
mod request;
mod router;

pub use render::{
    error_body, error_response, ok_response, ok_response_as, Response, CONTENT_TYPE_JSON,
};
pub use request::Bound;
pub use router::{Matched, Router};

/// The largest request body accepted, in bytes (1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
