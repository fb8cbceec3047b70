use super::prelude::*;

#[doc = include_str!("crates_io_link.md")]
pub struct CratesIoLink;

static META: RuleMeta = RuleMeta {
    code: "TW408",
    name: "crates-io-link",
    summary: "A community link points at crates.io",
    docs: include_str!("crates_io_link.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for CratesIoLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
