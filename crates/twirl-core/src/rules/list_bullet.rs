use super::prelude::*;

#[doc = include_str!("list_bullet.md")]
pub struct ListBullet;

static META: RuleMeta = RuleMeta {
    code: "TW502",
    name: "list-bullet",
    summary: "A link-list or event item lost its bullet or uses the wrong one",
    docs: include_str!("list_bullet.md"),
    group: Group::Structure,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for ListBullet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
