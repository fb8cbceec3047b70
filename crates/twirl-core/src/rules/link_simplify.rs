use super::prelude::*;

#[doc = include_str!("link_simplify.md")]
pub struct LinkSimplify;

static META: RuleMeta = RuleMeta {
    code: "TW405",
    name: "link-simplify",
    summary: "A link can be written simpler without changing where it goes",
    docs: include_str!("link_simplify.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl Rule for LinkSimplify {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
