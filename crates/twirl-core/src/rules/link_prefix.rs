use super::prelude::*;

#[doc = include_str!("link_prefix.md")]
pub struct LinkPrefix;

static META: RuleMeta = RuleMeta {
    code: "TW503",
    name: "link-prefix",
    summary: "A link prefix such as [video] is not followed by a space",
    docs: include_str!("link_prefix.md"),
    group: Group::Structure,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl Rule for LinkPrefix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
