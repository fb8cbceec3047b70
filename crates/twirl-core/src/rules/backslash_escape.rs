use super::prelude::*;
use super::util::{in_literal, prose_lines};

#[doc = include_str!("backslash_escape.md")]
pub struct BackslashEscape;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW811",
    name: "backslash-escape",
    summary: "A backslash escapes a character the site does not escape, so readers see it",
    docs: include_str!("backslash_escape.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

/// What Python-Markdown escapes (`extra` adds `|` with tables); CommonMark
/// escapes every ASCII punctuation character.
const SITE_ESCAPES: &[u8] = b"\\`*_{}[]()>#+-.!|";

impl BackslashEscape {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let b = cx.text.as_bytes();
        for lr in prose_lines(cx.text, cx.issue) {
            let mut i = lr.start;
            while let Some(found) = memchr::memchr(b'\\', &b[i..lr.end]) {
                let at = i + found;
                i = at + 2;
                let Some(&c) = b.get(at + 1).filter(|_| at + 1 < lr.end) else {
                    break;
                };
                if !c.is_ascii_punctuation()
                    || SITE_ESCAPES.contains(&c)
                    || in_literal(cx.issue, at)
                {
                    continue;
                }
                out.push(finding(TextRange::new(at, at + 2), c));
            }
        }
    }
}

fn finding(r: TextRange, c: u8) -> Diagnostic {
    let c = c as char;
    if c == '<' {
        // `\<T\>` meant `<T>` shown as text: an entity shows it on both.
        return Diagnostic::new(
            &META,
            r,
            "the site does not escape `<`: readers see `\\<`; write `&lt;`",
        )
        .with_renders("`\\<` with its backslash", "`<`")
        .with_fix(Fix::safe_edit("Write `&lt;`", Edit::replace(r, "&lt;")));
    }
    Diagnostic::new(
        &META,
        r,
        format!("the site does not escape `{c}`: readers see the backslash, the preview hides it"),
    )
    .with_severity(Severity::Warning)
    .with_renders(format!("`\\{c}`"), format!("`{c}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{diagnostics, fixed};

    #[test]
    fn escapes_the_site_does_not_know() {
        let text = "Date: 2024-11-06\n\n* [impl From\\<&\\[T; N\\]\\> for Vec\\<T\\>](https://e.org/1)\n\
                    * `\\<code\\>` and [link](https://e.org/a\\<b) and \\* and \\_ and '\\'' and \\$5\n";
        let d = diagnostics(&META, text);
        let found: Vec<(&str, Severity)> = d
            .iter()
            .map(|d| (&text[d.range.as_range()], d.severity))
            .collect();
        assert_eq!(
            found,
            [
                ("\\<", Severity::Error),
                ("\\<", Severity::Error),
                ("\\'", Severity::Warning),
                ("\\$", Severity::Warning),
            ]
        );
        let out = fixed(&META, text, Applicability::Safe);
        assert!(
            out.contains("[impl From&lt;&\\[T; N\\]\\> for Vec&lt;T\\>]"),
            "{out}"
        );
    }
}
