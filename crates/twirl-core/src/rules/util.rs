//! Small helpers shared by rules.

use crate::config::Settings;
use crate::issue::{Issue, Link, LinkRole};

/// Whether a link counts for `duplicate-link` and `repeated-link`: a link of
/// the sections named by `link-sections` (the community section by
/// default), or an event's title link.
pub fn is_counted_link(issue: &Issue, settings: &Settings, link: &Link) -> bool {
    if link.role == LinkRole::EventTitle {
        return true;
    }
    let Some(s) = link.section else { return false };
    let title = issue.sections[issue.top_section(s)].title.as_bytes();
    settings.link_sections.iter().any(|t| {
        title
            .get(..t.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(t.as_bytes()))
    })
}

/// The lines of the issue, each as a range without its terminator, that
/// are not wholly inside code or an HTML comment: where prose may be.
pub(crate) fn prose_lines<'a>(
    text: &'a str,
    issue: &'a Issue,
) -> impl Iterator<Item = crate::text::TextRange> + 'a {
    let idx = &issue.line_index;
    (0..idx.line_count())
        .filter_map(move |l| idx.line_range(text, l))
        .filter(move |lr| !lr.is_empty() && !issue.in_code_or_comment(*lr))
}

/// Whether `at` lies in code, an HTML comment or a link's destination,
/// where Markdown's inline syntax means nothing.
pub(crate) fn in_literal(issue: &Issue, at: usize) -> bool {
    let r = crate::text::TextRange::new(at, at + 1);
    if issue.in_code_or_comment(r) {
        return true;
    }
    let i = issue.links.partition_point(|l| l.range.end <= at);
    issue.links.get(i).is_some_and(|l| l.url_range.contains(at))
}
