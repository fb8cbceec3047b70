use super::prelude::*;

#[doc = include_str!("placeholder.md")]
pub struct Placeholder;

static META: RuleMeta = RuleMeta {
    code: "TW301",
    name: "placeholder",
    summary: "A template placeholder is left in the issue",
    docs: include_str!("placeholder.md"),
    group: Group::Placeholders,
    default_severity: Severity::Error,
    draft_severity: Some(Severity::Warning),
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for Placeholder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
