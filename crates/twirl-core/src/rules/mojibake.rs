use super::prelude::*;

#[doc = include_str!("mojibake.md")]
pub struct Mojibake;

static META: RuleMeta = RuleMeta {
    code: "TW601",
    name: "mojibake",
    summary: "UTF-8 text was decoded as Latin-1 or Windows-1252",
    docs: include_str!("mojibake.md"),
    group: Group::Encoding,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for Mojibake {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
