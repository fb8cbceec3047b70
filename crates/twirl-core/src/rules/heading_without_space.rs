use super::blocks::{line_at, quote_prefix};
use super::prelude::*;

#[doc = include_str!("heading_without_space.md")]
pub struct HeadingWithoutSpace;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW807",
    name: "heading-without-space",
    summary: "A paragraph line starting with `#`, which the site makes a heading",
    docs: include_str!("heading_without_space.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl HeadingWithoutSpace {
    /// The site's Markdown makes a heading of any line of a paragraph that
    /// starts with `#`, space or not; CommonMark wants a space after the
    /// `#`s (a paragraph line never starts one of its headings).
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let idx = &cx.issue.line_index;
        for b in &cx.issue.blocks {
            if b.kind != BlockKind::Paragraph || b.quote_in_item {
                continue;
            }
            for line in idx.line_of(b.range.start)..=idx.line_of(b.range.end) {
                let Some((lr, s)) = line_at(cx, line) else {
                    break;
                };
                // The first line from the paragraph's start (after a list
                // marker, say); the others from the line's start, since the
                // site keeps their indentation as text.
                let at = if lr.contains_range(TextRange::empty(b.range.start)) {
                    b.range.start - lr.start
                } else {
                    quote_prefix(s, b.quotes)
                };
                let rest = &s[at..];
                if !rest.starts_with('#') {
                    continue;
                }
                let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let hash = lr.start + at;
                let d = Diagnostic::new(
                    &META,
                    TextRange::new(hash, hash + word),
                    format!(
                        "the line starts with `{}`: the site makes it a heading: escape the `#` as `\\#`",
                        &rest[..word]
                    ),
                )
                .with_renders("this line as a heading", "text of the paragraph");
                // In a code span running over lines, the preview would show
                // the backslash.
                let code = &cx.issue.code;
                let i = code.partition_point(|c| c.end <= hash);
                out.push(if code.get(i).is_some_and(|c| c.start <= hash) {
                    d
                } else {
                    d.with_fix(Fix::safe_edit("Escape the `#`", Edit::insert(hash, "\\")))
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, fixed};

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\n\n";

    #[test]
    fn paragraph_lines_starting_with_a_hash() {
        let text = format!(
            "{HEAD}A mixed week (in large part due to PR\n#122010, which undoes a regression).\n\n\
             # A heading\n\n* #1 item\n\n> quoted\n> #tag\n\nsee `code\n#not a heading` and <!-- a\n#comment -->\n\n    #code\n"
        );
        let f = findings(&META, &text);
        let at: Vec<&str> = f.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["#122010,", "#1", "#tag", "#not", "#comment"]);
        assert_eq!(
            f[0].1,
            "the line starts with `#122010,`: the site makes it a heading: escape the `#` as `\\#`"
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert!(
            out.contains("PR\n\\#122010, which")
                && out.contains("* \\#1 item")
                && out.contains("> \\#tag"),
            "{out}"
        );
    }
}
