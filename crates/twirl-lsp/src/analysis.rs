//! A rewritten text (fixed, formatted, merged) turned back into small
//! edits, still in bytes, so an editor keeps its cursor and folds.

use std::time::Duration;

use similar::{DiffTag, TextDiff};
use twirl_core::{Edit, TextRange};

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

#[cfg(test)]
mod tests {
    use super::*;
    use twirl_core::fix::apply_edits;

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
}
