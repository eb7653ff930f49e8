//! palett's pure domain model.
//!
//! Nothing in this crate performs IO, reads the clock or draws random numbers:
//! "today" and every other moment are parameters. Values that come from users
//! are parsed into types that cannot hold an invalid value ("parse, don't
//! validate"); rules such as the participant lifecycle and the access policy
//! are plain functions over those types, so they are tested without a database.

pub mod admin;
pub mod consent;
pub mod employer;
pub mod error;
pub mod esf;
pub mod followup;
pub mod import;
pub mod indicators;
pub mod instrument;
pub mod lifecycle;
pub mod matching;
pub mod model;
pub mod occupations;
pub mod opening;
pub mod palette;
pub mod passwords;
pub mod path;
pub mod personnummer;
pub mod placement;
pub mod plan;
pub mod policy;
pub mod proposal;
pub mod record;
pub mod referral;
pub mod reminder;
pub mod research;
pub mod selfassessment;
pub mod summary;
pub mod token;
pub mod values;
pub mod wave;
pub mod webhook;
pub mod workdays;
pub mod worklist;
pub mod xlsform;

pub use error::{FieldError, FieldErrors, Parsed};
