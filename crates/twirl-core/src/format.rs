//! `twirl fmt`: the Safe fixes to a fixpoint, which include the canonical
//! order of events (the Safe fix of `events-unsorted`).
//!
//! Nothing is rendered: text that no fix touches stays byte-identical, and
//! the line-ending style is kept.

use crate::config::Settings;
use crate::diagnostic::Applicability;
use crate::fix::{FixError, FixOutcome, fix_all, fix_once};
use crate::linkindex::LinkIndex;

/// Formats an issue. With `unsafe_fixes`, Unsafe fixes are applied too.
pub fn format(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    unsafe_fixes: bool,
) -> Result<FixOutcome, FixError> {
    fix_all(text, settings, path, index, min_applicability(unsafe_fixes))
}

/// Whether [`format`] would change the issue, known from the first round
/// of fixes (`twirl fmt --check`): when it changes the text, later rounds
/// cannot bring the original back without the fixes going round in a
/// cycle, which `format` reports as an error instead.
pub fn would_change(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    unsafe_fixes: bool,
) -> bool {
    fix_once(text, settings, path, index, min_applicability(unsafe_fixes)).is_some()
}

fn min_applicability(unsafe_fixes: bool) -> Applicability {
    if unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    }
}
