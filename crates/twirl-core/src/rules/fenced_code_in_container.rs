use super::blocks::line_at;
use super::prelude::*;

#[doc = include_str!("fenced_code_in_container.md")]
pub struct FencedCodeInContainer;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW805",
    name: "fenced-code-in-container",
    summary: "Fenced code in a block quote or list item, which the site shows as text",
    docs: include_str!("fenced_code_in_container.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl FencedCodeInContainer {
    /// The site's fences must start in column one: behind a `>` or under
    /// a list item's indentation they are text.
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for b in &cx.issue.blocks {
            if b.kind != (BlockKind::CodeBlock { fenced: true }) {
                continue;
            }
            let within = if b.quotes > 0 {
                "a block quote"
            } else if b.items > 0 {
                "a list item"
            } else {
                continue;
            };
            let line = cx.issue.line_index.line_of(b.range.start);
            let end = line_at(cx, line).map_or(b.range.end, |(lr, _)| lr.end);
            out.push(
                Diagnostic::new(
                    &META,
                    TextRange::new(b.range.start, end),
                    format!(
                        "fenced code in {within}: the site shows the fences as text and the code as a paragraph: indent the code as a code block instead"
                    ),
                )
                .with_renders(
                    "the fences as text and the code as one paragraph, its line breaks lost and `<T>` taken for HTML",
                    "a code block",
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
    fn fences_in_quotes_and_items() {
        let text = format!(
            "{HEAD}> protip:\n>\n> ```text\n> error[E0308]\n> ```\n\n* A change:\n\n    ```rust\n    fn f<T>() {{}}\n    ```\n\n\
             ```rust\nfn at_the_top_level() {{}}\n```\n\n>     indented code in a quote\n"
        );
        let f = findings(&META, &text);
        let at: Vec<&str> = f.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["```text", "```rust"]);
        assert!(
            f[0].1.starts_with("fenced code in a block quote: "),
            "{f:?}"
        );
        assert!(f[1].1.starts_with("fenced code in a list item: "), "{f:?}");
    }
}
