//! `twirl fmt`: the Safe fixes to a fixpoint, which include the canonical
//! order of events (the Safe fix of `events-unsorted`).
//!
//! Nothing is rendered: text that no fix touches stays byte-identical, and
//! the line-ending style is kept.

use crate::config::Settings;
use crate::diagnostic::Applicability;
use crate::fix::{FixError, FixOutcome, fix_all};
use crate::linkindex::LinkIndex;

/// Formats an issue. With `unsafe_fixes`, Unsafe fixes are applied too.
pub fn format(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    unsafe_fixes: bool,
) -> Result<FixOutcome, FixError> {
    let min = if unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    fix_all(text, settings, path, index, min)
}
