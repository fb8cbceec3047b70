//! The core's work as the server needs it, still in bytes: lint a text,
//! fix it, format it (all of it or a range), and turn a rewritten text back
//! into small edits so an editor keeps its cursor and folds.

use std::time::Duration;

use similar::{DiffTag, TextDiff};
use twirl_core::fix::{FixError, MAX_ROUNDS, apply_edits, fix_all, select_fixes};
use twirl_core::{
    Applicability, Diagnostic, Edit, LineEnding, LinkIndex, Settings, TextRange, lint,
};

/// Line-level edits turning `old` into `new`; adjacent changes are merged
/// into one edit.
pub fn diff_edits(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return Vec::new();
    }
    let diff = TextDiff::configure()
        .timeout(Duration::from_millis(200))
        .diff_lines(old, new);
    let new_lines: Vec<&str> = diff.iter_new_slices().collect();
    let mut old_starts = Vec::with_capacity(diff.old_len() + 1);
    let mut at = 0;
    for l in diff.iter_old_slices() {
        old_starts.push(at);
        at += l.len();
    }
    old_starts.push(at);
    let mut edits: Vec<Edit> = Vec::new();
    for op in diff.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let range = TextRange::new(old_starts[o.start], old_starts[o.end]);
        let text: String = new_lines[n].concat();
        match edits.last_mut() {
            Some(last) if last.range.end == range.start => {
                last.range = last.range.cover(range);
                last.new_text.push_str(&text);
            }
            _ => edits.push(Edit::replace(range, text)),
        }
    }
    edits
}

/// The edits of every Safe fix, applied to a fixpoint (what `twirl check
/// --fix` does).
pub fn fix_all_edits(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
) -> Result<Vec<Edit>, FixError> {
    let out = fix_all(text, settings, path, index, Applicability::Safe)?;
    Ok(diff_edits(text, &out.text))
}

/// The edits of `twirl fmt`.
pub fn format_edits(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
) -> Result<Vec<Edit>, FixError> {
    let out = twirl_core::format::format(text, settings, path, index, false)?;
    Ok(diff_edits(text, &out.text))
}

/// `fmt` limited to `range`: only the Safe fixes whose edits all lie in
/// the range (widened to whole lines) are applied, to a fixpoint. Sorting
/// a region's events happens when the range covers the region's events.
pub fn format_range_edits(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    range: TextRange,
) -> Vec<Edit> {
    let ending = LineEnding::detect(text);
    let mut range = whole_lines(text, range);
    let mut current = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let diags: Vec<Diagnostic> = lint(&current, settings, path, index)
            .into_iter()
            .filter(|d| {
                d.fix.as_ref().is_some_and(|f| {
                    !f.edits.is_empty() && f.edits.iter().all(|e| range.contains_range(e.range))
                })
            })
            .collect();
        let (mut edits, _) = select_fixes(&diags, Applicability::Safe);
        if edits.is_empty() {
            break;
        }
        if ending != LineEnding::Lf {
            for e in &mut edits {
                if e.new_text.contains('\n') && !e.new_text.contains('\r') {
                    e.new_text = e.new_text.replace('\n', ending.as_str());
                }
            }
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        let grown = next.len() as isize - current.len() as isize;
        range.end = (range.end as isize + grown).max(range.start as isize) as usize;
        current = next;
    }
    diff_edits(text, &current)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_edits_rebuild_the_new_text() {
        let cases = [
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nb\nc\n", "c\nb\na\n"),
            ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
            ("", "x\n"),
            ("x", ""),
            ("a\nb", "a\nb\n"),
        ];
        for (old, new) in cases {
            let edits = diff_edits(old, new);
            assert_eq!(apply_edits(old, &edits), new, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn whole_lines_widen() {
        let t = "ab\ncd\nef";
        assert_eq!(whole_lines(t, TextRange::new(4, 4)), TextRange::new(3, 6));
        assert_eq!(whole_lines(t, TextRange::new(1, 3)), TextRange::new(0, 3));
        assert_eq!(whole_lines(t, TextRange::new(7, 8)), TextRange::new(6, 8));
    }
}
