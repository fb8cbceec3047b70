use super::prelude::*;

#[doc = include_str!("truncated_title.md")]
pub struct TruncatedTitle;

static META: RuleMeta = RuleMeta {
    code: "TW406",
    name: "truncated-title",
    summary: "A link title looks truncated by a chat client",
    docs: include_str!("truncated_title.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for TruncatedTitle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
