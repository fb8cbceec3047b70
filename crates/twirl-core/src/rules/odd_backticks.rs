use super::prelude::*;

#[doc = include_str!("odd_backticks.md")]
pub struct OddBackticks;

static META: RuleMeta = RuleMeta {
    code: "TW701",
    name: "odd-backticks",
    summary: "A line has an odd number of backticks",
    docs: include_str!("odd_backticks.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for OddBackticks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
