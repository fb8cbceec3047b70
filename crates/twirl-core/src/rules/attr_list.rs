use super::prelude::*;

#[doc = include_str!("attr_list.md")]
pub struct AttrList;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW814",
    name: "attr-list",
    summary: "Braces right after inline code or a link, which the site reads as attributes and drops",
    docs: include_str!("attr_list.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl AttrList {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        // Python-Markdown's `attr_list` (part of `extra`) reads `{...}`
        // glued to the end of inline code or a link as its attributes.
        let code_ends = cx
            .issue
            .code
            .iter()
            .filter(|r| cx.slice(**r).starts_with('`'))
            .map(|r| r.end);
        let link_ends = cx
            .issue
            .links
            .iter()
            .filter(|l| matches!(l.kind, LinkKind::Inline | LinkKind::Image))
            .map(|l| l.range.end);
        for end in code_ends.chain(link_ends) {
            let rest = &cx.text[end..];
            let Some(close) = rest.strip_prefix('{').and_then(|r| r.find(['}', '\n'])) else {
                continue;
            };
            // Braces around code or links hold elements of their own, which
            // attr_list leaves alone: `{`Map`, `Set`}`.
            let inside = &rest[1..close + 1];
            if rest.as_bytes()[close + 1] != b'}' || close == 0 || inside.contains(['`', '[', '<'])
            {
                continue;
            }
            let r = TextRange::new(end, end + close + 2);
            out.push(
                Diagnostic::new(
                    &META,
                    r,
                    format!(
                        "the site reads `{}` right after it as attributes and drops it: write `\\{{`",
                        cx.slice(r)
                    ),
                )
                .with_renders("nothing: the braces and their text are gone", format!("`{}`", cx.slice(r)))
                .with_fix(Fix::safe_edit("Escape the brace", Edit::insert(end, "\\"))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{diagnostics, fixed};

    #[test]
    fn braces_glued_to_code_or_a_link() {
        let text = "Date: 2024-11-06\n\n* [`IpAddr`s are comparable to `Ipv`{4, 6}`Addr`s](https://e.org/1)\n\
                    * [a link](https://e.org/2){.cls} and `code` {spaced} and `x`\\{y} and `m::`{`a`, `b`}\n";
        let found: Vec<&str> = diagnostics(&META, text)
            .into_iter()
            .map(|d| &text[d.range.as_range()])
            .collect();
        assert_eq!(found, ["{4, 6}", "{.cls}"]);
        let out = fixed(&META, text, Applicability::Safe);
        assert!(out.contains("`Ipv`\\{4, 6}`Addr`s"), "{out}");
    }
}
