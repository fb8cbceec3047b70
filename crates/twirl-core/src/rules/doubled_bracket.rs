use super::prelude::*;

#[doc = include_str!("doubled_bracket.md")]
pub struct DoubledBracket;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW801",
    name: "doubled-bracket",
    summary: "A link's bracket or parenthesis is doubled, so the site shows it as text",
    docs: include_str!("doubled_bracket.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

/// `[[Title](http...` (one `[` too many) and `[Title]((http...` (one `(`
/// too many). `[[video] [Title](...)` is a prefix's bracket, not a double.
static DOUBLED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(\[)\[[^\[\]\n]+\]\(https?://|\[[^\[\]\n]+\](\()\(https?://").unwrap()
});

impl DoubledBracket {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        // Most issues have neither: one search of the whole text spares
        // two searches of each line (3 % of a corpus check).
        if !(cx.text.contains("[[") || cx.text.contains("]((")) {
            return;
        }
        let idx = &cx.issue.line_index;
        for line in 0..idx.line_count() {
            let Some(lr) = idx.line_range(cx.text, line) else {
                break;
            };
            let s = cx.slice(lr);
            if !(s.contains("[[") || s.contains("]((")) {
                continue;
            }
            for m in DOUBLED.captures_iter(s) {
                let (extra, what, shown) = match (m.get(1), m.get(2)) {
                    (Some(b), _) => (b, "bracket `[`", "a stray `[` before the link"),
                    (_, Some(p)) => (
                        p,
                        "parenthesis `(`",
                        "the brackets and the URL as text, and no link",
                    ),
                    _ => continue,
                };
                let r = TextRange::new(lr.start + extra.start(), lr.start + extra.end());
                // `\[[P1179R1](url)\]` and `[[discuss](url)]`: a bracket
                // around the link is meant.
                let escaped = s[..m.get(0).map_or(0, |m| m.start())].ends_with('\\');
                let closed = m.get(1).is_some() && closes_after_link(cx, r.end);
                if escaped || closed || cx.issue.in_code_or_comment(r) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &META,
                        r,
                        format!(
                            "doubled {what}: the site shows this link as text with its brackets"
                        ),
                    )
                    .with_renders(shown, shown)
                    .with_fix(Fix::safe_edit(
                        "Remove the doubled character",
                        Edit::delete(r),
                    )),
                );
            }
        }
    }
}

/// Whether the link starting at `at` is followed by `]`.
fn closes_after_link(cx: &CheckContext<'_>, at: usize) -> bool {
    let i = cx.issue.links.partition_point(|l| l.range.start < at);
    cx.issue
        .links
        .get(i)
        .filter(|l| l.range.start == at)
        .is_some_and(|l| cx.text[l.range.end..].starts_with(']'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, findings, fixed};

    #[test]
    fn doubled_brackets_and_parentheses() {
        let text = format!(
            "{ISSUE_572}### Europe\n* 2024-11-12 | Oslo, NO | [Rust Oslo]((https://e.org/o/)\n    * [[**Meetup**](https://e.org/o/1)\n\n\
             ## Jobs\n\n* [[video] [Talk](https://e.org/t)\n* [Rust](https://en.wikipedia.org/wiki/Rust_(programming_language))\n\
             * see ([this](https://e.org/g))\n* `[[code](https://e.org/c)`\n\
             > pursue \\[[P1179R1](https://e.org/p)\\] as\n\
             * [Post](https://e.org/q). <small>[[discuss](https://e.org/r)]</small>\n"
        );
        assert_eq!(
            findings(&META, &text),
            [
                (
                    "(".into(),
                    "doubled parenthesis `(`: the site shows this link as text with its brackets"
                        .into()
                ),
                (
                    "[".into(),
                    "doubled bracket `[`: the site shows this link as text with its brackets"
                        .into()
                ),
            ]
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert!(
            out.contains(
                "| [Rust Oslo](https://e.org/o/)\n    * [**Meetup**](https://e.org/o/1)\n"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "* `[[code](https://e.org/c)`\n\
             > pursue \\[[P1179R1](https://e.org/p)\\] as\n"
            ),
            "{out}"
        );
    }
}
