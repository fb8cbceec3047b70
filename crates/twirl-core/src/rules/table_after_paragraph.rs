use super::blocks::{blank_before, blank_line, line_at};
use super::prelude::*;

#[doc = include_str!("table_after_paragraph.md")]
pub struct TableAfterParagraph;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW804",
    name: "table-after-paragraph",
    summary: "A table right after a paragraph line, which the site shows as text",
    docs: include_str!("table_after_paragraph.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl TableAfterParagraph {
    /// The site's tables start a block (after a blank line or a heading);
    /// CommonMark's (GFM's) may interrupt a paragraph.
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let blocks = &cx.issue.blocks;
        for b in blocks {
            let (BlockKind::Table, Some(p)) = (b.kind, b.previous) else {
                continue;
            };
            let line = cx.issue.line_index.line_of(b.range.start);
            if blocks[p].kind != BlockKind::Paragraph || blank_before(cx, line, b.quotes) {
                continue;
            }
            let Some((lr, s)) = line_at(cx, line) else {
                continue;
            };
            let d = Diagnostic::new(
                &META,
                TextRange::new(b.range.start, lr.end),
                "the table follows a paragraph line: the site shows its rows as text of the paragraph: add a blank line before it",
            )
            .with_renders("the rows as text run into the paragraph above", "a table");
            // In a list item a blank line would also take the table out of
            // the item on the site, which wants it indented by four.
            let in_item = b.items > 0 || b.quote_in_item;
            out.push(match blank_line(s, b.range.start - lr.start) {
                Some(blank) if !in_item => d.with_fix(Fix::safe_edit(
                    "Add a blank line before the table",
                    Edit::insert(lr.start, blank),
                )),
                _ => d,
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
    fn a_table_right_after_a_paragraph_line() {
        let text = format!(
            "{HEAD}**Summary**:\n| a | b |\n|:-:|:-:|\n| 1 | 2 |\n\n**Details**:\n\n| c |\n|---|\n| 3 |\n\n> Quoted:\n> | d |\n> |---|\n"
        );
        let f = findings(&META, &text);
        let at: Vec<&str> = f.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["| a | b |", "| d |"]);
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            format!(
                "{HEAD}**Summary**:\n\n| a | b |\n|:-:|:-:|\n| 1 | 2 |\n\n**Details**:\n\n| c |\n|---|\n| 3 |\n\n> Quoted:\n>\n> | d |\n> |---|\n"
            )
        );
    }
}
