//! Shared harness for roster's end-to-end tests: start the real `roster` binary on a
//! free port with its own data directory, wait for its ready line, and hand out
//! `aws-sdk-connect` clients pointed at it.
//!
//! By default each server uses the embedded store in its data directory. With
//! `ROSTER_TEST_BACKEND=postgres` and `ROSTER_TEST_DATABASE_URL` (an admin URL such
//! as `postgres://postgres@127.0.0.1:5432/postgres`) set, each server started
//! without `--database-url` gets a fresh PostgreSQL database of its own instead,
//! created through the admin URL and dropped when the server is dropped.
//!
//! The kit is split by what it is about: [`server`] starts the binary and makes
//! clients, [`fixture`] makes instances and the [`Fx`] most tests start from,
//! [`errors`] reads failed calls and checks expected ones ([`rejected`]), [`raw`]
//! sends requests without the SDK.
//! Scratch PostgreSQL databases come from `roster-scratch-db`, which the PostgreSQL
//! store's tests use too.

pub mod errors;
pub mod fixture;
pub mod raw;
pub mod server;

pub use aws_sdk_connect;
pub use errors::*;
pub use fixture::*;
pub use raw::*;
pub use roster_scratch_db::{
    admin_url, test_database_url, with_database, ScratchDatabase, TEST_DATABASE_URL_ENV,
};
pub use server::*;
