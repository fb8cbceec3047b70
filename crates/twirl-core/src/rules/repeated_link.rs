use super::prelude::*;

#[doc = include_str!("repeated_link.md")]
pub struct RepeatedLink;

static META: RuleMeta = RuleMeta {
    code: "TW402",
    name: "repeated-link",
    summary: "A community link was already featured in a recent issue",
    docs: include_str!("repeated_link.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for RepeatedLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
