use super::blocks::line_at;
use super::prelude::*;

#[doc = include_str!("unclosed_comment.md")]
pub struct UnclosedComment;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW808",
    name: "unclosed-comment",
    summary: "An HTML comment never closed, which hides the rest of the preview",
    docs: include_str!("unclosed_comment.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl UnclosedComment {
    /// A comment that starts a line opens an HTML block, which CommonMark
    /// ends only at `-->`: without one it runs to the end of the document
    /// (or of the quote or item holding it). The site shows `<!--` and
    /// what follows as text. (A comment opened within a line is text in
    /// both.)
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for b in &cx.issue.blocks {
            let s = cx.slice(b.range);
            if b.kind != BlockKind::HtmlBlock || !s.starts_with("<!--") || s.contains("-->") {
                continue;
            }
            let line = cx.issue.line_index.line_of(b.range.start);
            let end = line_at(cx, line).map_or(b.range.end, |(lr, _)| lr.end);
            let rest = match b.parent {
                None => "document",
                Some(p) if cx.issue.blocks[p].kind == BlockKind::BlockQuote => "quote",
                Some(_) => "list item",
            };
            out.push(
                Diagnostic::new(
                    &META,
                    TextRange::new(b.range.start, end),
                    format!(
                        "the HTML comment is never closed: the preview hides the rest of the {rest}, the site shows it with the `<!--`: close the comment with `-->`"
                    ),
                )
                .with_renders(
                    "`<!--` and everything after it, as text",
                    format!("nothing from here to the end of the {rest}"),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\n\n";

    #[test]
    fn comments_never_closed() {
        let closed = format!(
            "{HEAD}<!-- a note -->\n\n<!-- over\n\nparagraphs -->\n\ntext <!-- opened within a line\n\n"
        );
        assert_eq!(findings(&META, &closed), []);
        let open = format!("{closed}<!-- Perf results go here\n\n## Jobs\n");
        assert_eq!(
            findings(&META, &open),
            [(
                "<!-- Perf results go here".into(),
                "the HTML comment is never closed: the preview hides the rest of the document, the site shows it with the `<!--`: close the comment with `-->`".into()
            )]
        );
    }
}
