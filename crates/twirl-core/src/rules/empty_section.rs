use super::prelude::*;

#[doc = include_str!("empty_section.md")]
pub struct EmptySection;

static META: RuleMeta = RuleMeta {
    code: "TW302",
    name: "empty-section",
    summary: "A section holds nothing but a template comment",
    docs: include_str!("empty_section.md"),
    group: Group::Placeholders,
    default_severity: Severity::Error,
    draft_severity: Some(Severity::Warning),
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for EmptySection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
