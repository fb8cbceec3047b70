use super::prelude::*;

#[doc = include_str!("truncated_title.md")]
pub struct TruncatedTitle;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW406",
    name: "truncated-title",
    summary: "A link title looks truncated by a chat client",
    docs: include_str!("truncated_title.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    ..RuleMeta::DEFAULTS
};

/// The length, in chars, of a title cut short when a link was collected.
const CUT_LENGTH: usize = 70;

impl TruncatedTitle {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for link in &cx.issue.links {
            if link.kind == LinkKind::Inline
                && link.text(cx.text).ends_with("...")
                && link.text(cx.text).chars().count() == CUT_LENGTH
            {
                out.push(Diagnostic::new(
                    &META,
                    link.text_range,
                    "link title is 70 characters ending in `...`: it looks truncated",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(title: &str) -> usize {
        let text = format!("Date: 2024-11-06\n\n* [{title}](https://e.com/)\n");
        crate::rules::testing::diagnostics_on(&META, &text, "", None).len()
    }

    #[test]
    fn exactly_seventy_chars_ending_in_dots() {
        let cut = format!("{}...", "é".repeat(67));
        assert_eq!(count(&cut), 1);
        assert_eq!(count(&format!("a{cut}")), 0);
        assert_eq!(count(&cut[2..]), 0);
        assert_eq!(count(&format!("{}ab", "x".repeat(68))), 0);
    }
}
