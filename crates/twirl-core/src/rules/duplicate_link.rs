use super::prelude::*;

#[doc = include_str!("duplicate_link.md")]
pub struct DuplicateLink;

static META: RuleMeta = RuleMeta {
    code: "TW401",
    name: "duplicate-link",
    summary: "The same link appears twice in the issue",
    docs: include_str!("duplicate_link.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for DuplicateLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
