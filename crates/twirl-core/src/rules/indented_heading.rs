use super::blocks::{blank_before, blank_line, blocks_off_events, line_at, quote_prefix};
use super::prelude::*;

#[doc = include_str!("indented_heading.md")]
pub struct IndentedHeading;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW806",
    name: "indented-heading",
    summary: "A `#` heading not in column one, which the site shows as text",
    docs: include_str!("indented_heading.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl IndentedHeading {
    /// CommonMark allows three spaces before a heading's `#`; the site's
    /// Markdown none. Region headings and event lines typed as headings
    /// are `event-format`'s.
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let regions: Vec<TextRange> = match (&cx.issue.events, cx.is_modern()) {
            (Some(e), true) => e.regions.iter().map(|r| r.heading).collect(),
            _ => Vec::new(),
        };
        for (_, b) in blocks_off_events(cx) {
            if b.kind != (BlockKind::Heading { setext: false })
                || b.quote_in_item
                || regions.iter().any(|r| r.contains(b.range.start))
            {
                continue;
            }
            let line = cx.issue.line_index.line_of(b.range.start);
            let Some((lr, s)) = line_at(cx, line) else {
                continue;
            };
            let blank = blank_before(cx, line, b.quotes);
            if b.items > 0 {
                // Right under an item's text the site reads the line as
                // more of it; after a blank line, `list-indent` checks it.
                if !blank && b.previous.is_some() {
                    out.push(in_item(b.range.start, lr.end));
                }
                continue;
            }
            let at = quote_prefix(s, b.quotes);
            let spaces = s[at..].len() - s[at..].trim_start_matches(' ').len();
            if spaces == 0 {
                continue;
            }
            let lead = TextRange::new(lr.start + at, lr.start + at + spaces);
            let mut edits = vec![Edit::delete(lead)];
            // After a list item, a quote or a table row, the site would read
            // the heading as more of it: a blank line keeps it apart.
            let after = b.previous.map(|p| cx.issue.blocks[p].kind);
            let apart = matches!(
                after,
                None | Some(
                    BlockKind::Paragraph | BlockKind::Heading { .. } | BlockKind::ThematicBreak
                )
            );
            if !blank
                && !apart
                && let Some(blank) = blank_line(s, at)
            {
                edits.push(Edit::insert(lr.start, blank));
            }
            out.push(
                Diagnostic::new(
                    &META,
                    TextRange::new(lead.start, lr.end),
                    format!(
                        "the heading is indented by {spaces} space{}: the site shows it as text with its `#`s: start it in column one",
                        if spaces == 1 { "" } else { "s" }
                    ),
                )
                .with_renders(SITE, "a heading")
                .with_fix(Fix::safe("Remove the spaces before the heading", edits)),
            );
        }
    }
}

const SITE: &str = "a paragraph starting with the `#`s";

/// A heading right under a list item's text.
fn in_item(start: usize, end: usize) -> Diagnostic {
    Diagnostic::new(
        &META,
        TextRange::new(start, end),
        "the heading is indented under a list item's text: the site shows it as text of the item: put a blank line before it and indent it by four",
    )
    .with_renders(SITE, "a heading in the list item")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, fixed};

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\n\n";

    #[test]
    fn headings_after_spaces() {
        let text = format!(
            "{HEAD} #### Compiler\n\nText.\n\n#### Library\n\n* an item\n\n    ### Item heading\n\n* another\n   ## Under the item\n\n>  ## Quoted\n\n* last\n ## After the list\n"
        );
        let f = findings(&META, &text);
        let at: Vec<&str> = f.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(
            at,
            [
                " #### Compiler",
                "## Under the item",
                " ## Quoted",
                " ## After the list"
            ]
        );
        assert_eq!(
            f[0].1,
            "the heading is indented by 1 space: the site shows it as text with its `#`s: start it in column one"
        );
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            format!(
                "{HEAD}#### Compiler\n\nText.\n\n#### Library\n\n* an item\n\n    ### Item heading\n\n* another\n   ## Under the item\n\n> ## Quoted\n\n* last\n\n## After the list\n"
            )
        );
    }
}
