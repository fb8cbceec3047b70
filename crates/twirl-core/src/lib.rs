//! twirl-core: the pure heart of twirl, the linter, formatter and language
//! server for *This Week in Rust* issues.
//!
//! Bytes are decoded into a [`source::Source`], parsed into an
//! [`issue::Issue`], and checked by the [`rules`] into
//! [`diagnostic::Diagnostic`]s, some carrying a [`diagnostic::Fix`]. The
//! [`fix`] engine applies fixes to a fixpoint; [`format`](mod@format) is that engine at
//! Safe applicability, plus the canonical order of events.
//!
//! No I/O, no async, no LSP or JSON types: those live in the crates around
//! this one.
//!
//! ```
//! use twirl_core::{Applicability, Settings, decode, fix::fix_all, parse};
//!
//! let bytes = b"Title: This Week in Rust 572\n\
//!     Number: 572\n\
//!     Date: 2024-11-06\n\
//!     Category: This Week in Rust\n\
//!     \n\
//!     ## Updates from Rust Community\n\
//!     \n\
//!     ### Official\n\
//!     \n\
//!     * [A post](https://blog.rust-lang.org/a.html?utm_source=twir)\n";
//! // Bytes in: UTF-8 only, the BOM and line endings remembered.
//! let source = decode(bytes)?;
//! // Parsing never fails: broken input is data for the rules.
//! let issue = parse(&source.text);
//! assert_eq!(issue.links.len(), 1);
//!
//! // The default settings (all default rules, the publish profile).
//! let settings = Settings::default();
//! let cx = twirl_core::CheckContext::new(&source.text, &issue, &settings);
//! let findings = twirl_core::check(&cx);
//! let tracking = findings
//!     .iter()
//!     .find(|d| d.rule.name == "tracking-param")
//!     .expect("the utm_source parameter is reported");
//! assert_eq!(&source.text[tracking.range.as_range()], "utm_source=twir");
//!
//! // Safe fixes applied until the text settles, as `twirl fmt` does.
//! let fixed = fix_all(&source.text, &settings, None, None, Applicability::Safe)?;
//! assert!(fixed.text.contains("(https://blog.rust-lang.org/a.html)"));
//! assert!(fixed.applied.contains(&"tracking-param"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

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
