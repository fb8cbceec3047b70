use super::prelude::*;

#[doc = include_str!("project_tooling_link.md")]
pub struct ProjectToolingLink;

static META: RuleMeta = RuleMeta {
    code: "TW409",
    name: "project-tooling-link",
    summary: "A link was added under the editor-only Project/Tooling Updates",
    docs: include_str!("project_tooling_link.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: false,
};

impl Rule for ProjectToolingLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
