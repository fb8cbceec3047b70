use super::prelude::*;

#[doc = include_str!("merged_range.md")]
pub struct MergedRange;

static META: RuleMeta = RuleMeta {
    code: "TW105",
    name: "merged-range",
    summary: "The merged-PR search range is malformed or does not match the issue date",
    docs: include_str!("merged_range.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for MergedRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
