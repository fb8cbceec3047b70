//! `twirl fmt`: the Safe fixes to a fixpoint, which include the canonical
//! order of events (the Safe fix of `events-unsorted`).
//!
//! Nothing is rendered: text that no fix touches stays byte-identical, and
//! the line-ending style is kept.

use crate::config::Settings;
use crate::diagnostic::Applicability;
use crate::fix::{FixError, FixOutcome, MAX_ROUNDS, fix_all, fix_round};
use crate::linkindex::LinkIndex;
use crate::source::LineEnding;
use crate::text::TextRange;

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

/// Whether [`format()`] would change the issue, known from the first round
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
    let min = min_applicability(unsafe_fixes);
    let ending = LineEnding::detect(text);
    fix_round(text, settings, path, index, min, ending, |_| true).is_some()
}

/// [`format()`] limited to `range` (an editor's "format selection"): only
/// the Safe fixes whose edits all lie in the range, widened to whole
/// lines, are applied, to a fixpoint. Sorting a region's events happens
/// when the range covers the region's events. Returns the new text.
pub fn format_range(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    range: TextRange,
) -> String {
    let ending = LineEnding::detect(text);
    let mut range = whole_lines(text, range);
    let mut current = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let inside = |d: &crate::Diagnostic| {
            d.fix.as_ref().is_some_and(|f| {
                !f.edits.is_empty() && f.edits.iter().all(|e| range.contains_range(e.range))
            })
        };
        let Some((next, _)) = fix_round(
            &current,
            settings,
            path,
            index,
            Applicability::Safe,
            ending,
            inside,
        ) else {
            break;
        };
        // The range follows what the fixes inserted or removed.
        let grown = next.len() as isize - current.len() as isize;
        range.end = (range.end as isize + grown).max(range.start as isize) as usize;
        current = next;
    }
    current
}

/// `range` widened to the start of its first line and past the end of its
/// last line.
fn whole_lines(text: &str, range: TextRange) -> TextRange {
    let start = text[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = if range.end > range.start && text[..range.end].ends_with('\n') {
        range.end
    } else {
        text[range.end..]
            .find('\n')
            .map_or(text.len(), |i| range.end + i + 1)
    };
    TextRange::new(start, end)
}

fn min_applicability(unsafe_fixes: bool) -> Applicability {
    if unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_lines_widen() {
        let t = "ab\ncd\nef";
        assert_eq!(whole_lines(t, TextRange::new(4, 4)), TextRange::new(3, 6));
        assert_eq!(whole_lines(t, TextRange::new(1, 3)), TextRange::new(0, 3));
        assert_eq!(whole_lines(t, TextRange::new(7, 8)), TextRange::new(6, 8));
    }
}
