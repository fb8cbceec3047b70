use std::sync::LazyLock;

use super::prelude::*;

#[doc = include_str!("placeholder.md")]
pub struct Placeholder;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW301",
    name: "placeholder",
    summary: "A template placeholder is left in the issue",
    docs: include_str!("placeholder.md"),
    group: Group::Placeholders,
    default_severity: Severity::Error,
    draft_severity: Some(Severity::Warning),
    ..RuleMeta::DEFAULTS
};

/// The template's literal markers, in text order: `INSERT_LINK_HERE` and
/// `REDDIT_LINK_HERE` as words, `$twir_...` variables, and the empty links
/// `[]()` and `[ - ]()` (blanks and the dash optional).
fn markers(text: &str) -> Vec<TextRange> {
    static MARKER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"\b(?:INSERT_LINK_HERE|REDDIT_LINK_HERE)\b|\$twir_[A-Za-z0-9_]+|\[[ \t]*-?[ \t]*\]\(\)",
        )
        .unwrap()
    });
    MARKER
        .find_iter(text)
        .map(|m| TextRange::new(m.start(), m.end()))
        .collect()
}

impl Placeholder {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let issue = cx.issue;
        let mut found: Vec<TextRange> = Vec::new();
        let mut report = |range: TextRange, message: String, out: &mut Vec<Diagnostic>| {
            if issue.in_code_or_comment(range) || found.iter().any(|f| f.intersects(range)) {
                return;
            }
            found.push(range);
            out.push(Diagnostic::new(&META, range, message));
        };
        for range in markers(cx.text) {
            let s = cx.slice(range);
            let message = if s.starts_with('$') {
                format!("template variable `{s}` left in the issue")
            } else if s.starts_with('[') {
                format!("empty template link `{s}` left in the issue")
            } else {
                format!("placeholder `{s}` left in the issue")
            };
            report(range, message, out);
        }
        // What a generator leaves when it lacks a value: an issue
        // reference without its number, a note meant for the editors.
        static LEFT_BY_GENERATOR: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(
                r"\(#\)|(?i:this RFC will appear in the .+? section of the next issue)",
            )
            .unwrap()
        });
        for m in LEFT_BY_GENERATOR.find_iter(cx.text) {
            let range = TextRange::new(m.start(), m.end());
            let message = if m.as_str() == "(#)" {
                "empty issue reference `(#)`: its number was never filled in".to_string()
            } else {
                format!("generator note `{}` left in the issue", m.as_str())
            };
            report(range, message, out);
        }
        // A link whose destination was never filled in: `[Title]()`.
        for link in &issue.links {
            if link.kind == LinkKind::Inline && link.url(cx.text).trim().is_empty() {
                let text = cx.slice(link.range);
                report(link.range, format!("link `{text}` has an empty URL"), out);
            }
        }
        for re in &cx.settings.placeholders {
            for m in re.find_iter(cx.text) {
                if m.is_empty() {
                    continue;
                }
                let range = TextRange::new(m.start(), m.end());
                report(
                    range,
                    format!(
                        "`{}` matches the placeholder pattern `{}`",
                        m.as_str(),
                        re.as_str()
                    ),
                    out,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Profile, Settings};
    use regex::Regex;

    fn run(text: &str, settings: &Settings) -> Vec<Diagnostic> {
        crate::rules::testing::diagnostics_with(
            settings,
            text,
            "content/2024-11-06-this-week-in-rust.md",
            None,
        )
    }

    fn slices<'a>(text: &'a str, diags: &[Diagnostic]) -> Vec<&'a str> {
        diags.iter().map(|d| &text[d.range.as_range()]).collect()
    }

    #[test]
    fn flags_markers_with_exact_ranges() {
        let text = "Title: This Week in Rust $twir_issue_number\nDate: 2024-11-06\n\n\
                    ## Jobs\n\nSee the [thread](INSERT_LINK_HERE)\n\n\
                    <small>[Discuss on r/rust](REDDIT_LINK_HERE)</small>\n\n\
                    * [ - ]()\n* [Someone's post]()\n";
        let d = run(text, &Settings::only(&META));
        assert_eq!(
            slices(text, &d),
            [
                "$twir_issue_number",
                "INSERT_LINK_HERE",
                "REDDIT_LINK_HERE",
                "[ - ]()",
                "[Someone's post]()"
            ]
        );
        assert!(d.iter().all(|d| d.severity == Severity::Error));
        assert_eq!(d[4].message, "link `[Someone's post]()` has an empty URL");
    }

    #[test]
    fn generator_leftovers() {
        let text = "Date: 2024-11-06\n\n## Updates from the Rust Project\n\n\
                    * [Stabilize `foo`](https://github.com/rust-lang/rust/pull/1) (#)\n\
                    * [RFC: bar](https://github.com/rust-lang/rfcs/pull/2) This RFC will appear in the \
                    Approved RFCs section of the next issue.\n\
                    * [Fine](https://github.com/rust-lang/rust/pull/3) (#3)\n<!-- (#) -->\n";
        let found: Vec<String> = crate::rules::testing::findings(&META, text)
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(
            found,
            [
                "(#)",
                "This RFC will appear in the Approved RFCs section of the next issue"
            ]
        );
    }

    #[test]
    fn ignores_comments_and_code() {
        let text = "Date: 2024-11-06\n\n## CFP\n\n<!-- * [ - ]() -->\n<!-- * []() -->\n\n\
                    Use `$twir_issue_date` in `INSERT_LINK_HERE`.\n\n```\n[]()\n```\n";
        assert!(run(text, &Settings::only(&META)).is_empty());
    }

    #[test]
    fn draft_profile_warns_and_extra_patterns_apply() {
        let text = "Date: 2024-11-06\n\nA TODO(editor) here and REDDIT_LINK_HERE.\n";
        let mut s = Settings::only(&META);
        s.profile = Profile::Draft;
        s.placeholders = vec![Regex::new(r"TODO\([a-z]+\)").unwrap()];
        let d = run(text, &s);
        assert_eq!(slices(text, &d), ["TODO(editor)", "REDDIT_LINK_HERE"]);
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
    }

    #[test]
    fn corpus_seed_draft_markers_are_flagged() {
        let Some(dir) = crate::rules::testing::corpus() else {
            return;
        };
        let text = std::fs::read_to_string(dir.join("drafts/seed/2024-11-06-this-week-in-rust.md"))
            .unwrap();
        let mut s = Settings::only(&META);
        s.profile = Profile::Draft;
        let d = run(&text, &s);
        let found = slices(&text, &d);
        assert!(found.contains(&"INSERT_LINK_HERE"), "{found:?}");
        assert!(found.contains(&"REDDIT_LINK_HERE"), "{found:?}");
    }
}
