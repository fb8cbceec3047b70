use super::blocks::{blank_before, blank_line, event_lines, line_at, on_line};
use super::prelude::*;

#[doc = include_str!("list_after_paragraph.md")]
pub struct ListAfterParagraph;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW802",
    name: "list-after-paragraph",
    summary: "A list right after a paragraph line, which the site shows as text",
    docs: include_str!("list_after_paragraph.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl ListAfterParagraph {
    /// The site's Markdown starts a list only after a blank line (or a
    /// heading): a list that CommonMark lets interrupt a paragraph, or end
    /// a quote or a table, is text of that block on the site. In a list
    /// item, the list right after the item's first paragraph is its nested
    /// list, which the site reads by its indentation (`list-indent`). After
    /// an event line typed without its bullet, `event-format` reports the
    /// line.
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let blocks = &cx.issue.blocks;
        let events = event_lines(cx);
        for b in blocks {
            let (BlockKind::List { .. }, Some(p)) = (b.kind, b.previous) else {
                continue;
            };
            let (shown, what) = match blocks[p].kind {
                BlockKind::Paragraph => ("text run into the paragraph above", "paragraph"),
                BlockKind::BlockQuote => ("text in the quote above", "quote"),
                BlockKind::Table => ("rows of the table above", "table"),
                _ => continue,
            };
            let in_item = b
                .parent
                .is_some_and(|q| matches!(blocks[q].kind, BlockKind::Item { .. }));
            if in_item && blocks[p].previous.is_none() {
                continue;
            }
            let line = cx.issue.line_index.line_of(b.range.start);
            if blank_before(cx, line, b.quotes) {
                continue;
            }
            let Some((lr, s)) = line_at(cx, line) else {
                continue;
            };
            // An event line without its bullet above: `event-format`'s.
            if on_line(&events, lr.start.saturating_sub(1)) {
                continue;
            }
            let d = Diagnostic::new(
                    &META,
                    TextRange::new(b.range.start, lr.end),
                    format!(
                        "the list follows a {what} line: the site shows it as {shown}: add a blank line before it"
                    ),
            )
            .with_renders(format!("the list's items as {shown}"), "a list");
            out.push(match blank_line(s, b.range.start - lr.start) {
                Some(blank) => d.with_fix(Fix::safe_edit(
                    "Add a blank line before the list",
                    Edit::insert(lr.start, blank),
                )),
                None => d,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, fixed};

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\n\n";

    #[test]
    fn a_list_right_after_a_paragraph_quote_or_table_line() {
        let text = format!(
            "{HEAD}Approved this week:\n* [RFC 1](https://e.org/1)\n* [RFC 2](https://e.org/2)\n\n\
             > A quote\n- told\n\n| a | b |\n|---|---|\n| 1 | 2 |\n1. one\n\n\
             > In a quote:\n> * item\n\n\
             * An item\n\n    with a paragraph:\n    * and a list\n"
        );
        let f = findings(&META, &text);
        let at: Vec<&str> = f.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(
            at,
            [
                "* [RFC 1](https://e.org/1)",
                "- told",
                "1. one",
                "* item",
                "* and a list"
            ]
        );
        assert_eq!(
            f[0].1,
            "the list follows a paragraph line: the site shows it as text run into the paragraph above: add a blank line before it"
        );
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            format!(
                "{HEAD}Approved this week:\n\n* [RFC 1](https://e.org/1)\n* [RFC 2](https://e.org/2)\n\n\
                 > A quote\n\n- told\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n1. one\n\n\
                 > In a quote:\n>\n> * item\n\n\
                 * An item\n\n    with a paragraph:\n\n    * and a list\n"
            )
        );
    }

    #[test]
    fn an_event_line_without_its_bullet_is_event_formats() {
        let text = format!(
            "{}### Europe\n2024-11-10 | Oslo, NO | [O](https://e.org/o/)\n    * [**T**](https://e.org/o/1)\n\
             * 2024-11-11 | Oslo, NO | [P](https://e.org/p/)\n    * [**T**](https://e.org/p/1)\n",
            crate::rules::testing::ISSUE_572
        );
        assert_eq!(findings(&META, &text), []);
    }

    #[test]
    fn lists_the_site_reads_as_lists() {
        let text = format!(
            "{HEAD}A paragraph.\n\n* after a blank line\n\n## A heading\n* after a heading\n\n\
             * an item\n    * and its nested list\n\n> quoted\n>\n> * after a blank quote line\n\n\
             Not a list:\n2. an ordered list must start at 1 to interrupt a paragraph\n"
        );
        assert_eq!(findings(&META, &text), []);
    }
}
