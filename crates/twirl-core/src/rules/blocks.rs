//! What the rendering rules read off [`Issue::blocks`] (CommonMark's
//! reading of the text) to tell how the site's Markdown reads the same
//! lines: how deep a block sits in quotes and list items, a line's text
//! after its quote markers, and its indentation.

use super::CheckContext;
use crate::issue::{BlockKind, Issue};
use crate::text::TextRange;

/// How deep each block of [`Issue::blocks`] sits (the block itself not
/// counted): in block quotes, and in list items within the innermost quote.
pub struct Nesting {
    pub quotes: Vec<usize>,
    /// List items around the block, inside its innermost quote.
    pub items: Vec<usize>,
    /// Whether a quote around the block lies in a list item: the site
    /// reads such lines item first, so their columns are not comparable.
    pub quote_in_item: Vec<bool>,
}

impl Nesting {
    pub fn of(issue: &Issue) -> Nesting {
        let n = issue.blocks.len();
        let mut out = Nesting {
            quotes: Vec::with_capacity(n),
            items: Vec::with_capacity(n),
            quote_in_item: Vec::with_capacity(n),
        };
        for b in &issue.blocks {
            // Parents come before their children.
            let (q, i, mixed) = match b.parent {
                Some(p) => match issue.blocks[p].kind {
                    BlockKind::BlockQuote => (
                        out.quotes[p] + 1,
                        0,
                        out.quote_in_item[p] || out.items[p] > 0,
                    ),
                    BlockKind::Item { .. } => {
                        (out.quotes[p], out.items[p] + 1, out.quote_in_item[p])
                    }
                    _ => (out.quotes[p], out.items[p], out.quote_in_item[p]),
                },
                None => (0, 0, false),
            };
            out.quotes.push(q);
            out.items.push(i);
            out.quote_in_item.push(mixed);
        }
        out
    }
}

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
/// lies in a list item ([`Nesting::quote_in_item`]).
pub fn start_column(cx: &CheckContext<'_>, nesting: &Nesting, i: usize) -> Option<(usize, bool)> {
    if nesting.quote_in_item[i] {
        return None;
    }
    let start = cx.issue.blocks[i].range.start;
    let (lr, s) = line_at(cx, cx.issue.line_index.line_of(start))?;
    let before = s.get(quote_prefix(s, nesting.quotes[i])..start - lr.start)?;
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

    #[test]
    fn nesting_counts_quotes_and_items() {
        let issue = crate::issue::parse("> * a\n>     * b\n\n* c\n\n    > * d\n");
        let n = Nesting::of(&issue);
        let at = |kind: BlockKind, nth: usize| {
            issue
                .blocks
                .iter()
                .enumerate()
                .filter(|(_, b)| b.kind == kind)
                .nth(nth)
                .unwrap()
                .0
        };
        let b = at(BlockKind::Item { padding: 2 }, 1);
        assert_eq!((n.quotes[b], n.items[b]), (1, 1));
        let c = at(BlockKind::Item { padding: 2 }, 2);
        assert_eq!((n.quotes[c], n.items[c]), (0, 0));
        let d = at(BlockKind::Item { padding: 2 }, 3);
        assert_eq!((n.quotes[d], n.items[d], n.quote_in_item[d]), (1, 0, true));
        assert!(!n.quote_in_item[b]);
    }
}
