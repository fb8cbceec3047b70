//! twirl-core: the pure heart of twirl, the linter, formatter and language
//! server for *This Week in Rust* issues.
//!
//! Bytes are decoded into a [`source::Source`], parsed into an
//! [`issue::Issue`], and checked by the [`rules`] into
//! [`diagnostic::Diagnostic`]s, some carrying a [`diagnostic::Fix`]. The
//! [`fix`] engine applies fixes to a fixpoint; [`format`] is that engine at
//! Safe applicability, plus the canonical order of events.
//!
//! No I/O, no async, no LSP or JSON types: those live in the crates around
//! this one.

pub mod config;
pub mod diagnostic;
pub mod events_merge;
pub mod fix;
pub mod format;
mod iso3166;
pub mod issue;
pub mod linkindex;
pub mod new_issue;
pub mod normalize;
pub mod rules;
pub mod source;
pub mod text;

pub use config::{Config, ConfigError, Profile, Settings};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
pub use issue::{Issue, parse};
pub use linkindex::LinkIndex;
pub use rules::{CheckContext, RULES, Rule, RuleMeta, check, lint};
pub use source::{DecodeError, LineEnding, Source, decode};
pub use text::{Encoding, LineCol, LineIndex, TextRange};

/// A hash map for the hot paths (link keys, headings): foldhash, much
/// cheaper than std's SipHash on short strings and still seeded per
/// process, so crafted input cannot plan its collisions in advance.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
