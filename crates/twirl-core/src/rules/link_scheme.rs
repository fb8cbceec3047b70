use super::prelude::*;

#[doc = include_str!("link_scheme.md")]
pub struct LinkScheme;

static META: RuleMeta = RuleMeta {
    code: "TW404",
    name: "link-scheme",
    summary: "A link target's scheme is not http, https or mailto",
    docs: include_str!("link_scheme.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for LinkScheme {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
