use std::sync::LazyLock;

use regex::Regex;

use super::prelude::*;
use crate::config::Profile;

#[doc = include_str!("empty_section.md")]
pub struct EmptySection;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW302",
    name: "empty-section",
    summary: "A section holds nothing but a template comment",
    docs: include_str!("empty_section.md"),
    group: Group::Placeholders,
    default_severity: Severity::Error,
    draft_severity: Some(Severity::Warning),
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

/// A comment standing for content: `<!-- COTW goes here -->`. `go here`
/// or `goes here` as words (any case) on the comment's first line.
fn is_marker(comment: &str) -> bool {
    static MARKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^<!--.*?\bgo(?:es)? here\b").unwrap());
    MARKER.is_match(comment)
}

/// `[label]: url`, which renders as nothing.
fn is_ref_def(line: &str) -> bool {
    static REF_DEF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\[[^\]]+\]:\s*\S").unwrap());
    REF_DEF.is_match(line)
}

impl EmptySection {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let issue = cx.issue;
        for s in &issue.sections {
            // The section's own text: up to its first sub-section.
            let own_end = s
                .children
                .first()
                .map_or(s.range.end, |&c| issue.sections[c].heading.start);
            let own = TextRange::new(s.heading.end.min(own_end), own_end);
            let comments: Vec<TextRange> = issue
                .comments
                .iter()
                .copied()
                .filter(|c| own.contains_range(*c) && !is_directive(cx.slice(*c)))
                .collect();
            let markers: Vec<TextRange> = comments
                .iter()
                .copied()
                .filter(|c| is_marker(cx.slice(*c)))
                .collect();
            let lines = content_lines(cx, own);
            // Without a `goes here` marker, a section holding nothing but
            // a comment is empty all the same.
            let fallback = (markers.is_empty() && lines.is_empty() && s.children.is_empty())
                .then(|| comments.first().copied())
                .flatten();
            for marker in markers.iter().copied().chain(fallback) {
                if is_dead(cx, s, marker, &lines) {
                    out.push(Diagnostic::new(
                        &META,
                        marker,
                        format!(
                            "section `{}` is empty: `{}` was never filled in",
                            s.title,
                            shorten(cx.slice(marker))
                        ),
                    ));
                }
            }
            // Nothing at all under the heading, not even a comment.
            let bare = lines.is_empty() && s.children.is_empty() && comments.is_empty();
            let category = matches!(
                s.kind,
                SectionKind::CommunityCategory | SectionKind::ProjectToolingUpdates
            );
            if bare && category {
                out.push(empty_category(cx, s));
            } else if bare && in_final_comment_period(issue, s) {
                out.push(Diagnostic::new(
                    &META,
                    s.heading,
                    format!("the Final Comment Period group `{}` has no items", s.title),
                ));
            }
        }
    }
}

fn is_directive(comment: &str) -> bool {
    comment
        .trim_start_matches("<!--")
        .trim_start()
        .starts_with("twirl-")
}

/// Whether the template comment `marker` in section `s` still stands where
/// content should be.
fn is_dead(cx: &CheckContext<'_>, s: &Section, marker: TextRange, own_lines: &[TextRange]) -> bool {
    let issue = cx.issue;
    let after = TextRange::new(marker.end, s.range.end);
    // Nothing but comments and (empty) sub-headings after the marker.
    let after_lines: Vec<TextRange> = content_lines(cx, after)
        .into_iter()
        .filter(|l| !issue.sections.iter().any(|h| h.heading.contains_range(*l)))
        .collect();
    if after_lines.is_empty() {
        return true;
    }
    // The marker opens the section and is followed by no list and at most
    // one paragraph: the template's closing call to action.
    let first = own_lines.iter().all(|l| l.start > marker.start);
    let own_after: Vec<TextRange> = own_lines
        .iter()
        .copied()
        .filter(|l| l.start > marker.end && !is_ref_def(cx.slice(*l)))
        .collect();
    let has_list = issue
        .list_items
        .iter()
        .any(|i| after.contains(i.range.start) && !issue.in_code_or_comment(i.range));
    let paragraphs = own_after
        .windows(2)
        .filter(|w| issue.line_index.line_of(w[1].start) > issue.line_index.line_of(w[0].start) + 1)
        .count()
        + usize::from(!own_after.is_empty());
    let children_empty = s.children.iter().all(|&c| {
        let cs = &issue.sections[c];
        content_lines(cx, cs.body())
            .iter()
            .all(|l| issue.sections.iter().any(|h| h.heading.contains_range(*l)))
    });
    first && !has_list && paragraphs <= 1 && children_empty
}

/// The non-blank lines of `range` outside comments, trimmed.
fn content_lines(cx: &CheckContext<'_>, range: TextRange) -> Vec<TextRange> {
    let mut pieces = Vec::new();
    let mut at = range.start;
    for c in cx.issue.comments.iter().filter(|c| c.intersects(range)) {
        if c.start > at {
            pieces.push(TextRange::new(at, c.start.min(range.end)));
        }
        at = at.max(c.end);
    }
    if at < range.end {
        pieces.push(TextRange::new(at, range.end));
    }
    let mut out = Vec::new();
    for p in pieces {
        let mut start = p.start;
        for line in cx.slice(p).split_inclusive('\n') {
            let t = line.trim();
            if !t.is_empty() {
                let lead = line.len() - line.trim_start().len();
                out.push(TextRange::new(start + lead, start + lead + t.len()));
            }
            start += line.len();
        }
    }
    out
}

/// A comment on one line, cut to a readable length.
fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 48 {
        return s;
    }
    let head: String = s.chars().take(40).collect();
    format!("{} ... -->", head.trim_end())
}

/// Whether `s` is a group heading under Final Comment Period
/// (`##### [Cargo](...)` under `#### Tracking Issues & PRs`).
fn in_final_comment_period(issue: &Issue, s: &Section) -> bool {
    let mut parent = s.parent;
    while let Some(p) = parent {
        if issue.sections[p]
            .title
            .to_ascii_lowercase()
            .starts_with("final comment period")
        {
            return true;
        }
        parent = issue.sections[p].parent;
    }
    false
}

/// An empty community sub-category: dropped at publication.
fn empty_category(cx: &CheckContext<'_>, s: &Section) -> Diagnostic {
    // Remove the heading and the blank lines up to the next section.
    let fix_range = TextRange::new(s.heading.start, s.range.end);
    let edits = vec![Edit::delete(fix_range)];
    let title = format!("Remove empty sub-category `{}`", s.title);
    let fix = if cx.settings.profile == Profile::Publish {
        Fix::safe(title, edits)
    } else {
        Fix::unsafe_(title, edits)
    };
    Diagnostic::new(
        &META,
        s.heading,
        format!("sub-category `{}` is empty", s.title),
    )
    .with_fix(fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(String, String)> {
        crate::rules::testing::findings(&META, text)
    }

    #[test]
    fn an_empty_final_comment_period_group() {
        let text = "Date: 2024-11-06\n\n## Updates from the Rust Project\n\n### Final Comment Period\n\n\
                    #### Tracking Issues & PRs\n##### [Rust](https://github.com/rust-lang/rust/issues)\n\
                    * [disposition: merge] [Stabilize it](https://github.com/rust-lang/rust/pull/1)\n\n\
                    ##### [Cargo](https://github.com/rust-lang/cargo/issues)\n\n\
                    #### [New and Updated RFCs](https://github.com/rust-lang/rfcs/pulls)\n\
                    * *No New or Updated RFCs were created this week.*\n\n## Upcoming Events\n";
        assert_eq!(
            run(text),
            [(
                "##### [Cargo](https://github.com/rust-lang/cargo/issues)".into(),
                "the Final Comment Period group `Cargo` has no items".into()
            )]
        );
    }

    #[test]
    fn marker_alone_is_flagged() {
        let text = "Date: 2024-11-06\n\n## Updates\n\n### Perf Triage\n\n<!-- Perf results go here -->\n\n\
                    ### Approved\n\nThese were approved:\n\n<!-- Approved things go here -->\n<!-- or none -->\n\n## Next\n\nText.\n";
        let d = run(text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].0, "<!-- Perf results go here -->");
        assert_eq!(
            d[0].1,
            "section `Perf Triage` is empty: `<!-- Perf results go here -->` was never filled in"
        );
        assert_eq!(d[1].0, "<!-- Approved things go here -->");
    }

    #[test]
    fn marker_before_call_to_action_is_flagged() {
        let text = "Date: 2024-11-06\n\n## Crate of the Week\n\n<!-- COTW goes here -->\n\n\
                    [Please vote for next week][vote]!\n\n[vote]: https://example.com/vote\n\n## Next\n\nText.\n";
        assert_eq!(run(text).len(), 1);
    }

    #[test]
    fn filled_sections_are_not_flagged() {
        let text = "Date: 2024-11-06\n\n## Crate of the Week\n\n\
                    This week's crate is [foo](https://example.com/foo), a thing.\n\n\
                    Thanks to [bar](https://example.com/bar) for the suggestion!\n\n\
                    <!-- COTW goes here -->\n\n[Please vote][vote]!\n\n[vote]: https://example.com/vote\n\n\
                    ## Projects\n\nIntro prose.\n\n<!-- CFPs go here -->\n\n* [A - b](https://example.com/a)\n\n\
                    More prose.\n\n## Tracking\n<!-- Items go here -->\n\n### [Group](https://example.com/g)\n\
                    * [Item](https://example.com/i)\n\n## Prose\n\nJust words.\n";
        assert_eq!(run(text), vec![]);
    }

    #[test]
    fn parent_with_children_is_not_empty() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n<!-- contributors: read the README -->\n\n\
                    ### Official\n\n* [A](https://example.com/a)\n\n### Research\n\n## Next\n\nText.\n";
        let d = run(text);
        assert_eq!(
            d,
            vec![(
                "### Research".to_string(),
                "sub-category `Research` is empty".to_string()
            )]
        );
    }

    #[test]
    fn markers_and_reference_definitions() {
        assert!(is_marker("<!-- COTW GOES here -->"));
        assert!(is_marker("<!--go here-->"));
        assert!(!is_marker("<!-- nothing goes\nhere -->"));
        assert!(!is_marker("<!-- forego here -->"));
        assert!(is_ref_def("[a]: https://example.com"));
        assert!(!is_ref_def("[a]:  "));
        assert!(!is_ref_def("[]: x"));
    }
}
