use super::prelude::*;

#[doc = include_str!("code_span_space.md")]
pub struct CodeSpanSpace;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW812",
    name: "code-span-space",
    summary: "Inline code starts or ends with a space, which the site drops",
    docs: include_str!("code_span_space.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl CodeSpanSpace {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for &span in &cx.issue.code {
            let s = cx.slice(span);
            let ticks = s.bytes().take_while(|&b| b == b'`').count();
            if ticks == 0 || s.len() < 2 * ticks || !s.ends_with(&"`".repeat(ticks)) {
                continue;
            }
            let inner = TextRange::new(span.start + ticks, span.end - ticks);
            if let Some(d) = check_span(cx, span, inner) {
                out.push(d);
            }
        }
    }
}

/// CommonMark strips one space from each side of a code span that has one
/// on both (and is not all spaces); Python-Markdown strips every blank at
/// both ends. What is left at an edge after CommonMark's stripping, the
/// site drops.
fn check_span(cx: &CheckContext<'_>, span: TextRange, inner: TextRange) -> Option<Diagnostic> {
    let content = cx.slice(inner);
    if content.contains('\n') {
        return None;
    }
    if !content.is_empty() && content.bytes().all(|b| b == b' ') {
        return Some(
            Diagnostic::new(
                &META,
                span,
                "inline code of spaces only: the site shows it empty",
            )
            .with_renders("empty inline code", "inline code holding a space")
            .with_fix(Fix::unsafe_edit(
                "Write it as HTML, which both keep",
                Edit::replace(span, "<code> </code>"),
            )),
        );
    }
    let both = content.starts_with(' ') && content.ends_with(' ') && content.len() > 1;
    let shown = if both {
        &content[1..content.len() - 1]
    } else {
        content
    };
    // A dropped space shows only where text is glued to the code: not a
    // blank, nor the bracket or punctuation that ends a phrase there.
    let glued_before = cx.text[..span.start]
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace() && c != '[' && c != '(');
    let glued_after = cx.text[span.end..].chars().next().is_some_and(|c| {
        !c.is_whitespace() && !matches!(c, ']' | ')' | ',' | '.' | ';' | ':' | '!' | '?')
    });
    let lead = shown.len() - shown.trim_start_matches(' ').len();
    let trail = shown.len() - shown.trim_end_matches(' ').len();
    if !(lead > 0 && glued_before || trail > 0 && glued_after) {
        return None;
    }
    let trimmed = content.trim_matches(' ');
    let ticks = &cx.text[span.start..inner.start];
    // The blanks move out of the code, beside it: the same words and
    // spaces on both renderers.
    let fixed = format!(
        "{}{ticks}{trimmed}{ticks}{}",
        &content[..content.len() - content.trim_start_matches(' ').len()],
        &content[content.trim_end_matches(' ').len()..],
    );
    Some(
        Diagnostic::new(
            &META,
            span,
            "a space at the edge of inline code: the site drops it and runs the words together; move it out of the backticks",
        )
        .with_severity(Severity::Warning)
        .with_renders(
            format!("`{trimmed}` with no space at its edge"),
            format!("`{shown}`, the space kept"),
        )
        .with_fix(Fix::safe_edit(
            "Move the space out of the backticks",
            Edit::replace(span, fixed),
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{diagnostics, fixed};

    #[test]
    fn spaces_at_the_edge_of_inline_code() {
        let text = "Date: 2024-11-06\n\n* [`rustc_ast_lowering: `stop lowering](https://e.org/1)\n\
                    * [split on `,`, ` `, and `\\t`](https://e.org/2)\n\
                    * [fine ` a ` and `b` and `:: ` spaced](https://e.org/3)\n* [x` lead`](https://e.org/4)\n\
                    * [`impl Tr for `{`A`, `B`} and `C `](https://e.org/5)\n";
        let d = diagnostics(&META, text);
        let found: Vec<(&str, Severity)> = d
            .iter()
            .map(|d| (&text[d.range.as_range()], d.severity))
            .collect();
        assert_eq!(
            found,
            [
                ("`rustc_ast_lowering: `", Severity::Warning),
                ("` `", Severity::Error),
                ("` lead`", Severity::Warning),
                ("`impl Tr for `", Severity::Warning),
            ]
        );
        let out = fixed(&META, text, Applicability::Safe);
        assert!(
            out.contains("[`rustc_ast_lowering:` stop lowering]"),
            "{out}"
        );
        assert!(out.contains("[x `lead`](https://e.org/4)"), "{out}");
        assert!(out.contains("[`impl Tr for` {`A`, `B`} and `C `]"), "{out}");
        assert!(
            out.contains("` `, and"),
            "the Unsafe fix is not applied: {out}"
        );
    }
}
