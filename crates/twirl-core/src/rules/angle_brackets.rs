use super::prelude::*;
use super::util::{in_literal, prose_lines};

#[doc = include_str!("angle_brackets.md")]
pub struct AngleBrackets;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW813",
    name: "angle-brackets",
    summary: "Text in angle brackets that the site takes for an HTML tag and hides",
    docs: include_str!("angle_brackets.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

/// Python-Markdown's idea of an inline HTML tag: `<`, a letter, anything
/// but `<>@` and blanks, then optionally a blank and anything but `<>`.
/// CommonMark wants a real tag (`<K, V>`, `<T:Clone>` and `<Output = Rust>`
/// are none), so the preview shows the text the site hides.
static SITE_TAG: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"<(/?[A-Za-z][^<>@ ]*(?: [^<>]*)?)>").unwrap());

impl AngleBrackets {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let tags = &cx.issue.html_tags;
        for lr in prose_lines(cx.text, cx.issue) {
            let line = cx.slice(lr);
            if !line.contains('<') {
                continue;
            }
            for m in SITE_TAG.find_iter(line) {
                let r = TextRange::new(lr.start + m.start(), lr.start + m.end());
                let inner = &m.as_str()[1..m.len() - 1];
                let autolink = inner.contains("://") || inner.starts_with("mailto:");
                let preview_tag = tags
                    .binary_search_by_key(&r.start, |t| t.range.start)
                    .is_ok();
                // `\<` and `\>` are escapes the site reads before any tag.
                let escaped = (r.start > 0 && cx.text.as_bytes()[r.start - 1] == b'\\')
                    || inner.ends_with('\\');
                if autolink || preview_tag || escaped || in_literal(cx.issue, r.start) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &META,
                        r,
                        format!(
                            "the site takes `{}` for an HTML tag and hides it: write `&lt;` for the `<`",
                            m.as_str()
                        ),
                    )
                    .with_renders("nothing: the text is gone", format!("`{}`", m.as_str()))
                    .with_fix(Fix::safe_edit(
                        "Write `&lt;`",
                        Edit::replace(TextRange::new(r.start, r.start + 1), "&lt;"),
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{diagnostics, fixed};

    #[test]
    fn what_the_site_hides() {
        let text = "Date: 2024-11-06\n\n* [Entry API of HashMap<K, V> is Sync](https://e.org/1)\n\
                    * [resize_with out of the impl<T:Clone> block](https://e.org/2)\n\
                    * Future<Output = Rust> and a <small>tag</small> and <https://e.org/x>\n\
                    * `Vec<K, V>` and \\<K, V> and a < b > c and <phaazon\\>\n";
        let found: Vec<&str> = diagnostics(&META, text)
            .into_iter()
            .map(|d| &text[d.range.as_range()])
            .collect();
        assert_eq!(found, ["<K, V>", "<T:Clone>", "<Output = Rust>"]);
        let out = fixed(&META, text, Applicability::Safe);
        assert!(out.contains("HashMap&lt;K, V> is Sync"), "{out}");
    }
}
