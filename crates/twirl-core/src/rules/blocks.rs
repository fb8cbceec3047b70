//! What the rendering rules read off [`Issue::blocks`] (CommonMark's
//! reading of the text) to tell how the site's Markdown reads the same
//! lines: how deep a block sits in quotes and list items, a line's text
//! after its quote markers, and its indentation.

use super::CheckContext;
use crate::issue::Block;
use crate::text::TextRange;

/// The byte length of up to `n` quote markers at the start of `line`: a
/// `>` after at most three spaces, and one space after it, which is what
/// the site's Markdown strips from each line of a quote.
pub fn quote_prefix(line: &str, n: usize) -> usize {
    let b = line.as_bytes();
    let mut at = 0;
    for _ in 0..n {
        let spaces = b[at..].iter().take(3).take_while(|&&c| c == b' ').count();
        if b.get(at + spaces) != Some(&b'>') {
            break;
        }
        at += spaces + 1;
        if b.get(at) == Some(&b' ') {
            at += 1;
        }
    }
    at
}

/// The blanks at the start of `s`: their width in columns (a tab to the
/// next multiple of four), their length in bytes, and whether a tab is
/// among them.
pub fn indentation(s: &str) -> (usize, usize, bool) {
    let (mut cols, mut tab) = (0, false);
    let mut bytes = 0;
    for c in s.bytes() {
        match c {
            b' ' => cols += 1,
            b'\t' => {
                cols += 4 - cols % 4;
                tab = true;
            }
            _ => break,
        }
        bytes += 1;
    }
    (cols, bytes, tab)
}

/// Line `line` (0-based) of the text, terminator excluded.
pub fn line_at<'t>(cx: &CheckContext<'t>, line: usize) -> Option<(TextRange, &'t str)> {
    let r = cx.issue.line_index.line_range(cx.text, line)?;
    Some((r, cx.slice(r)))
}

/// The column, after its quote markers, at which block `i` starts (an
/// item's marker, a paragraph's first character), and whether a tab comes
/// before it; `None` when other text does (`* * item`), or when its quote
/// lies in a list item ([`Block::quote_in_item`](crate::issue::Block)).
pub fn start_column(cx: &CheckContext<'_>, i: usize) -> Option<(usize, bool)> {
    let block = &cx.issue.blocks[i];
    if block.quote_in_item {
        return None;
    }
    let start = block.range.start;
    let (lr, s) = line_at(cx, cx.issue.line_index.line_of(start))?;
    let before = s.get(quote_prefix(s, block.quotes)..start - lr.start)?;
    let (cols, bytes, tab) = indentation(before);
    (bytes == before.len()).then_some((cols, tab))
}

/// A blank line that keeps the block quotes of a block starting at byte
/// `at` of its line `s` open: the `>` markers before it (and the
/// indentation before them), terminated. `None` when other text comes
/// before the block on its line.
pub fn blank_line(s: &str, at: usize) -> Option<String> {
    let before = s.get(..at)?.trim_end();
    before
        .bytes()
        .all(|c| matches!(c, b' ' | b'\t' | b'>'))
        .then(|| format!("{before}\n"))
}

/// Whether the line before `line` is blank within `quotes` block quotes:
/// nothing but at most that many `>` markers and blanks.
pub fn blank_before(cx: &CheckContext<'_>, line: usize, quotes: usize) -> bool {
    let Some((_, s)) = line.checked_sub(1).and_then(|l| line_at(cx, l)) else {
        return true;
    };
    s.bytes().all(|c| matches!(c, b' ' | b'\t' | b'>')) && s.matches('>').count() <= quotes
}

/// The event lines and their title lines, sorted, in the issues whose
/// events `event-format` checks: the rendering rules leave those lines to it.
pub fn event_lines(cx: &CheckContext<'_>) -> Vec<TextRange> {
    if !cx.is_modern() {
        return Vec::new();
    }
    let mut out: Vec<TextRange> = cx
        .issue
        .all_events()
        .flat_map(|e| std::iter::once(e.line).chain(e.nested.iter().map(|n| n.range)))
        .collect();
    out.sort_by_key(|r| r.start);
    out
}

/// The blocks, with their index, that do not start on an event line or
/// its title lines ([`event_lines`]).
pub fn blocks_off_events<'a>(
    cx: &CheckContext<'a>,
) -> impl Iterator<Item = (usize, &'a Block)> + 'a {
    let events = event_lines(cx);
    cx.issue
        .blocks
        .iter()
        .enumerate()
        .filter(move |(_, b)| !on_line(&events, b.range.start))
}

/// Whether `offset` lies on one of `lines` (sorted, disjoint).
pub fn on_line(lines: &[TextRange], offset: usize) -> bool {
    let i = lines.partition_point(|r| r.end < offset);
    lines.get(i).is_some_and(|r| r.start <= offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_prefixes_and_indentation() {
        assert_eq!(quote_prefix("> > * a", 2), 4);
        assert_eq!(quote_prefix(">>  * a", 2), 3);
        assert_eq!(quote_prefix("   >text", 1), 4);
        assert_eq!(quote_prefix("    > code", 1), 0);
        assert_eq!(quote_prefix("> lazy", 0), 0);
        assert_eq!(indentation("  * a"), (2, 2, false));
        assert_eq!(indentation(" \t* a"), (4, 2, true));
        assert_eq!(indentation("a"), (0, 0, false));
    }
}
