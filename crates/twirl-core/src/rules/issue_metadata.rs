use super::prelude::*;

#[doc = include_str!("issue_metadata.md")]
pub struct IssueMetadata;

static META: RuleMeta = RuleMeta {
    code: "TW104",
    name: "issue-metadata",
    summary: "The metadata header disagrees with the file name or the issue-number rule",
    docs: include_str!("issue_metadata.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for IssueMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
