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
    let top = &issue.sections[issue.top_section(s)];
    let title = top.title.to_ascii_lowercase();
    settings
        .link_sections
        .iter()
        .any(|t| title.starts_with(t.as_str()))
}
