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
    // `title.to_ascii_lowercase().starts_with(t)`, without the allocation.
    settings.link_sections.iter().any(|t| {
        title.len() >= t.len()
            && title
                .iter()
                .zip(t.as_bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}
