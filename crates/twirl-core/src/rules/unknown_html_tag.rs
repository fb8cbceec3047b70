use std::collections::HashSet;

use super::prelude::*;

#[doc = include_str!("unknown_html_tag.md")]
pub struct UnknownHtmlTag;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW703",
    name: "unknown-html-tag",
    summary: "An HTML tag outside the allowed set",
    docs: include_str!("unknown_html_tag.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl UnknownHtmlTag {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let allowed = &cx.settings.html_tags;
        // A closing tag is reported only when its opening tag was not.
        let mut reported: HashSet<&str> = HashSet::new();
        for tag in &cx.issue.html_tags {
            if allowed.contains(&tag.name) || !is_tag(cx.slice(tag.range), tag) {
                continue;
            }
            if tag.closing && reported.contains(tag.name.as_str()) {
                continue;
            }
            reported.insert(&tag.name);
            let written = cx.slice(tag.range);
            let shown: String = written.chars().take(40).collect();
            let shown = if shown.len() < written.len() {
                format!("{shown}...")
            } else {
                shown
            };
            out.push(
                Diagnostic::new(
                    &META,
                    tag.range,
                    format!("HTML tag `{shown}` is not in the allowed set"),
                )
                .with_fix(Fix::unsafe_edit(
                    "Escape the `<` as `&lt;`",
                    Edit::replace(TextRange::new(tag.range.start, tag.range.start + 1), "&lt;"),
                )),
            );
        }
    }
}

/// Whether the text is a tag rather than an autolink (`<https://...>`,
/// `<a@b.c>`): after the name comes a space, `/` or `>`.
fn is_tag(written: &str, tag: &HtmlTag) -> bool {
    let skip = if tag.closing { 2 } else { 1 };
    written
        .as_bytes()
        .get(skip + tag.name.len())
        .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<String> {
        let text = format!("Date: 2024-11-06\n\n{body}");
        crate::rules::testing::diagnostics_on(&META, &text, "", None)
            .iter()
            .map(|d| text[d.range.as_range()].to_string())
            .collect()
    }

    #[test]
    fn unknown_tags_with_exact_ranges() {
        assert_eq!(
            found("* [change `x` to --at <NODE> and <ADDRESS>](https://e.com/)\n"),
            vec!["<NODE>", "<ADDRESS>"]
        );
        assert_eq!(
            found("* [disposition: <not specified>] [RFC](https://e.com/)\n"),
            vec!["<not specified>"]
        );
        assert_eq!(
            found("<details>\n<summary>More</summary>\n\ntext\n\n</details>\n"),
            vec!["<details>", "<summary>"]
        );
    }

    #[test]
    fn allowed_tags_code_and_comments_pass() {
        let body = "<small>[Discuss](https://e.com/)</small> a<br/>b <em>x</em>\n\n\
                    `<T>` and <!-- <weird> -->\n\n```\n<div>\n```\n";
        assert!(found(body).is_empty(), "{:?}", found(body));
    }
}
