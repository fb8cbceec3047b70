use super::blocks::{
    blank_before, blocks_off_events, indentation, line_at, quote_prefix, start_column,
};
use super::prelude::*;

#[doc = include_str!("list_indent.md")]
pub struct ListIndent;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW803",
    name: "list-indent",
    summary: "A nested list item or an item's paragraph indented otherwise than the site nests it",
    docs: include_str!("list_indent.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

/// The site's Markdown (Python-Markdown) nests by four columns: an item
/// `depth` lists deep has its marker at columns `4 * depth` to
/// `4 * depth + 3`, and a later paragraph of an item is indented by at
/// least four columns more than the item. CommonMark nests by the item's
/// own text column instead (two for `* `).
fn nests_at(depth: usize) -> std::ops::RangeInclusive<usize> {
    4 * depth..=4 * depth + 3
}

impl ListIndent {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let blocks = &cx.issue.blocks;
        // The items of a reported item move with it: its fix places them.
        let mut moved_until = 0;
        for (i, b) in blocks_off_events(cx) {
            if b.range.start < moved_until {
                continue;
            }
            let Some(parent) = b.parent else { continue };
            match b.kind {
                BlockKind::Item { .. } => {
                    let Some((col, _)) = start_column(cx, i) else {
                        continue;
                    };
                    if b.items == 0 || nests_at(b.items).contains(&col) {
                        continue;
                    }
                    moved_until = b.range.end;
                    out.push(nested_item(cx, i, col));
                }
                BlockKind::List { .. } | BlockKind::CodeBlock { .. } => {}
                kind if matches!(blocks[parent].kind, BlockKind::Item { .. })
                    && b.previous.is_some() =>
                {
                    if let Some(d) = later_block(cx, i, kind) {
                        out.push(d);
                    }
                }
                _ => {}
            }
        }
    }
}

/// A nested item at `col`, which the site does not nest under its parent.
fn nested_item(cx: &CheckContext<'_>, i: usize, col: usize) -> Diagnostic {
    let b = &cx.issue.blocks[i];
    let depth = b.items;
    let line = cx.issue.line_index.line_of(b.range.start);
    let end = line_at(cx, line).map_or(b.range.end, |(lr, _)| lr.end);
    let (shown, site) = if col < 4 * depth {
        (
            "beside the item above, not under it",
            "an item beside the one above it, not nested",
        )
    } else {
        (
            "as text of the item above",
            "its bullet and text as text of the item above",
        )
    };
    let message = format!(
        "the nested item is indented by {col} spaces: the site shows it {shown}: indent it by {}",
        4 * depth
    );
    let d = Diagnostic::new(&META, TextRange::new(b.range.start, end), message)
        .with_renders(site, "a list nested under the item above");
    match move_item(cx, i) {
        Some(edits) => d.with_fix(Fix::safe(
            "Indent the nested item as the site nests it",
            edits,
        )),
        None => d,
    }
}

/// The column of an item's text (its marker's column and padding), if the
/// item starts its line.
fn text_column(cx: &CheckContext<'_>, item: usize) -> Option<usize> {
    let BlockKind::Item { padding } = cx.issue.blocks[item].kind else {
        return None;
    };
    start_column(cx, item).map(|(col, _)| col + padding)
}

/// The item holding block `i` (its list's parent, for an item).
fn holding_item(issue: &Issue, i: usize) -> Option<usize> {
    let mut p = issue.blocks[i].parent?;
    if matches!(issue.blocks[p].kind, BlockKind::List { .. }) {
        p = issue.blocks[p].parent?;
    }
    matches!(issue.blocks[p].kind, BlockKind::Item { .. }).then_some(p)
}

/// The edits that move item `root` and the items under it to where the
/// site nests them, each by as few columns as it takes, all within the
/// text column of their parent as CommonMark nests them: so both
/// renderers nest the list alike. Lines only gain spaces (after their
/// quote markers); `None` when that cannot do it (an item too deep, a tab
/// in the indentation, an item not starting its line, quotes in between).
fn move_item(cx: &CheckContext<'_>, root: usize) -> Option<Vec<Edit>> {
    let blocks = &cx.issue.blocks;
    let quotes = blocks[root].quotes;
    let root_end = blocks[root].range.end;
    // (end of an item, columns its lines gain, the column of its text after the move)
    let mut open: Vec<(usize, usize, usize)> = vec![(
        usize::MAX,
        0,
        text_column(cx, holding_item(cx.issue, root)?)?,
    )];
    let mut moves: Vec<Move> = Vec::new();
    for (j, b) in blocks.iter().enumerate().skip(root) {
        if b.range.start >= root_end {
            break;
        }
        if b.quotes != quotes || b.quote_in_item {
            return None;
        }
        if !matches!(b.kind, BlockKind::Item { .. }) {
            continue;
        }
        while open.last().is_some_and(|o| o.0 < b.range.start) {
            open.pop();
        }
        let &(_, gained, within) = open.last()?;
        let (col, tab) = start_column(cx, j)?;
        let depth = b.items;
        let shifted = col + gained;
        let to = if nests_at(depth).contains(&shifted) {
            shifted
        } else {
            (4 * depth).max(within)
        };
        if tab || to < col || !nests_at(depth).contains(&to) || !(within..=within + 3).contains(&to)
        {
            return None;
        }
        let padding = text_column(cx, j)? - col;
        open.push((b.range.end, to - col, to + padding));
        moves.push((b.range, to - col));
    }
    shift_lines(cx, blocks[root].range, quotes, &moves)
}

/// A block to move: its range, and the columns its lines gain.
type Move = (TextRange, usize);

/// Edits adding spaces after the quote markers of every non-blank line of
/// `range`: on each line, the columns of the last move started at or
/// before it whose block holds it. `moves` are by start, outermost first.
fn shift_lines(
    cx: &CheckContext<'_>,
    range: TextRange,
    quotes: usize,
    moves: &[Move],
) -> Option<Vec<Edit>> {
    let idx = &cx.issue.line_index;
    let mut edits = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut next = moves.iter().peekable();
    let first = idx.line_of(range.start);
    let last = idx.line_of(range.end);
    for line in first..=last {
        let (lr, s) = line_at(cx, line)?;
        while open.last().is_some_and(|o| o.0 < lr.start) {
            open.pop();
        }
        while let Some(&&(block, cols)) = next.peek().filter(|m| m.0.start <= lr.end) {
            open.push((block.end, cols));
            next.next();
        }
        let at = quote_prefix(s, quotes);
        let cols = open.last().map_or(0, |o| o.1);
        if cols == 0 || s[at..].trim().is_empty() {
            continue;
        }
        if indentation(&s[at..]).2 {
            return None;
        }
        edits.push(Edit::insert(lr.start + at, " ".repeat(cols)));
    }
    Some(edits)
}

/// A later block of a list item (after a blank line) that the site does
/// not read as part of the item: it needs four columns more than the item.
fn later_block(cx: &CheckContext<'_>, i: usize, kind: BlockKind) -> Option<Diagnostic> {
    let b = &cx.issue.blocks[i];
    let line = cx.issue.line_index.line_of(b.range.start);
    if !blank_before(cx, line, b.quotes) {
        return None;
    }
    let (col, tab) = start_column(cx, i)?;
    let need = 4 * b.items;
    if col >= need {
        return None;
    }
    let what = match kind {
        BlockKind::Paragraph => "paragraph",
        BlockKind::BlockQuote => "quote",
        BlockKind::Heading { .. } => "heading",
        BlockKind::Table => "table",
        _ => "block",
    };
    let (shown, site) = if col < 4 {
        ("after the list, out of its item", "after the list")
    } else {
        ("in an outer item", "in an outer item")
    };
    let end = line_at(cx, line).map_or(b.range.end, |(lr, _)| lr.end);
    let d = Diagnostic::new(
        &META,
        TextRange::new(b.range.start, end),
        format!(
            "the item's {what} is indented by {col} spaces: the site shows it {shown}: indent it by {need}"
        ),
    )
    .with_renders(format!("the {what} {site}"), format!("the {what} in its item"));
    let item = b.parent?;
    let within = text_column(cx, item)?;
    let edits = (!tab && need <= within + 3)
        .then(|| shift_lines(cx, b.range, b.quotes, &[(b.range, need - col)]))
        .flatten();
    Some(match edits {
        Some(edits) => d.with_fix(Fix::safe(format!("Indent the {what} by {need}"), edits)),
        None => d,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, diagnostics, findings, fixed};

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\n\n";

    #[test]
    fn nested_items_at_two_or_three_spaces() {
        let text = format!(
            "{HEAD}## Call for Testing\n\n\
             * [RFC: MSRV-aware resolver](https://e.org/rfc)\n  * [Testing steps](https://e.org/steps)\n\
             * *No calls for testing were issued this week.*\n   - [Testing steps]()\n\
             * [Fine](https://e.org/f)\n    * [Nested by four](https://e.org/n)\n     * [or five](https://e.org/5)\n"
        );
        let f = findings(&META, &text);
        assert_eq!(
            f,
            [
                (
                    "* [Testing steps](https://e.org/steps)".into(),
                    "the nested item is indented by 2 spaces: the site shows it beside the item above, not under it: indent it by 4".into()
                ),
                (
                    "- [Testing steps]()".into(),
                    "the nested item is indented by 3 spaces: the site shows it beside the item above, not under it: indent it by 4".into()
                ),
            ]
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert!(
            out.contains("\n    * [Testing steps](https://e.org/steps)\n")
                && out.contains("\n    - [Testing steps]()\n"),
            "{out}"
        );
        assert_eq!(findings(&META, &out), []);
    }

    #[test]
    fn an_item_moves_with_the_items_under_it() {
        let text = format!(
            "{HEAD}- [RFC PR #1195](https://e.org/1195):\n  ordered query API\n  - Close, with the hope\n    of a smaller API\n    - and deeper\n\n  A later paragraph.\n\n- [Next](https://e.org/n)\n"
        );
        let d = diagnostics(&META, &text);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            format!(
                "{HEAD}- [RFC PR #1195](https://e.org/1195):\n  ordered query API\n    - Close, with the hope\n      of a smaller API\n        - and deeper\n\n    A later paragraph.\n\n- [Next](https://e.org/n)\n"
            )
        );
    }

    #[test]
    fn an_items_later_paragraph_at_two_spaces() {
        let text = format!(
            "{HEAD}* [2020-08-24](https://e.org/triage):\n  1 regression, 4 improvements.\n  \n  This week included a major speedup.\n\n> * quoted item\n>\n>   quoted paragraph\n"
        );
        let f = findings(&META, &text);
        assert_eq!(
            f,
            [
                (
                    "This week included a major speedup.".into(),
                    "the item's paragraph is indented by 2 spaces: the site shows it after the list, out of its item: indent it by 4".into()
                ),
                (
                    "quoted paragraph".into(),
                    "the item's paragraph is indented by 2 spaces: the site shows it after the list, out of its item: indent it by 4".into()
                ),
            ]
        );
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            format!(
                "{HEAD}* [2020-08-24](https://e.org/triage):\n  1 regression, 4 improvements.\n  \n    This week included a major speedup.\n\n> * quoted item\n>\n>     quoted paragraph\n"
            )
        );
    }

    #[test]
    fn every_line_of_a_later_table_or_paragraph_moves() {
        let text = format!(
            "{HEAD}* An item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n\n* Next\n\n  para one\n  para two\n"
        );
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            format!(
                "{HEAD}* An item\n\n    | a | b |\n    |---|---|\n    | 1 | 2 |\n\n* Next\n\n    para one\n    para two\n"
            )
        );
    }

    #[test]
    fn event_title_lines_are_event_formats() {
        let text = format!(
            "{ISSUE_572}### Europe\n* 2024-11-12 | Oslo, NO | [Rust Oslo](https://e.org/o/)\n  * [**Meetup**](https://e.org/o/1)\n"
        );
        assert_eq!(findings(&META, &text), []);
    }

    #[test]
    fn too_deep_for_the_site_and_no_fix_commonmark_would_undo() {
        // `123456. ` puts the item's text at column eight: the site wants
        // the nested item within columns four to seven.
        let text = format!("{HEAD}123456. item\n        * nested at eight\n");
        let d = diagnostics(&META, &text);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            d[0].message,
            "the nested item is indented by 8 spaces: the site shows it as text of the item above: indent it by 4"
        );
        assert!(d[0].fix.is_none());
    }
}
