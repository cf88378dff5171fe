//! What the PostgreSQL store's tests share besides the scratch databases of
//! `roster-scratch-db`.

pub mod searching;
