use super::prelude::*;

#[doc = include_str!("duplicate_heading.md")]
pub struct DuplicateHeading;

static META: RuleMeta = RuleMeta {
    code: "TW501",
    name: "duplicate-heading",
    summary: "A heading is repeated under the same parent",
    docs: include_str!("duplicate_heading.md"),
    group: Group::Structure,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for DuplicateHeading {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
