use super::prelude::*;
use super::util::{in_literal, prose_lines};

#[doc = include_str!("emphasis_space.md")]
pub struct EmphasisSpace;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW809",
    name: "emphasis-space",
    summary: "Bold text with a space inside its `**`, so readers see the asterisks",
    docs: include_str!("emphasis_space.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

/// `**text **` or `** text**`: a pair of `**` on a line with blanks just
/// inside one of them. Neither renderer bolds it.
static SPACED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^*\\])\*\*([ \t]*)([^*\s](?:[^*\n]*[^*\s])?)([ \t]*)\*\*(?:[^*]|$)")
        .unwrap()
});

impl EmphasisSpace {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for lr in prose_lines(cx.text, cx.issue) {
            let line = cx.slice(lr);
            // Only a `**` with a blank beside it can start or end a
            // finding: other lines skip the regex's captures, which were
            // 3 % of a corpus check.
            let b = line.as_bytes();
            let blank = |i: usize| matches!(b.get(i), Some(b' ' | b'\t'));
            let mut pairs = memchr::memmem::find_iter(b, "**");
            if !pairs.any(|i| blank(i + 2) || (i > 0 && blank(i - 1))) {
                continue;
            }
            for c in SPACED.captures_iter(line) {
                let (lead, trail) = (c.get(1).unwrap(), c.get(3).unwrap());
                if lead.is_empty() && trail.is_empty() {
                    continue;
                }
                let at =
                    |m: regex::Match<'_>| TextRange::new(lr.start + m.start(), lr.start + m.end());
                let open = lr.start + lead.start() - 2;
                if in_literal(cx.issue, open) {
                    continue;
                }
                let mut edits = Vec::new();
                for blank in [lead, trail].into_iter().filter(|m| !m.is_empty()) {
                    edits.push(Edit::delete(at(blank)));
                }
                let range = TextRange::new(open, lr.start + trail.end() + 2);
                let shown = format!("`{}` with its asterisks, not bold", cx.slice(range));
                out.push(
                    Diagnostic::new(
                        &META,
                        range,
                        "a space just inside `**`: the text is not bold and readers see the asterisks; remove the space",
                    )
                    .with_renders(shown.clone(), shown)
                    .with_fix(Fix::safe("Remove the space inside `**`", edits)),
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
    fn spaces_inside_the_markers() {
        let text = "Date: 2024-11-06\n\n* [**Rust Hacking in Person **](https://e.org/1)\n\
                    * [** Spaced**](https://e.org/2) and **fine** and 2 ** 3\n\
                    * `**code **` and ***three***\n";
        let found: Vec<&str> = diagnostics(&META, text)
            .into_iter()
            .map(|d| &text[d.range.as_range()])
            .collect();
        assert_eq!(found, ["**Rust Hacking in Person **", "** Spaced**"]);
        let out = fixed(&META, text, Applicability::Safe);
        assert!(
            out.contains("[**Rust Hacking in Person**](https://e.org/1)"),
            "{out}"
        );
        assert!(out.contains("[**Spaced**](https://e.org/2)"), "{out}");
    }
}
