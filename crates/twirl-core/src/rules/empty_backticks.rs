use super::prelude::*;

#[doc = include_str!("empty_backticks.md")]
pub struct EmptyBackticks;

static META: RuleMeta = RuleMeta {
    code: "TW702",
    name: "empty-backticks",
    summary: "An empty double-backtick code span",
    docs: include_str!("empty_backticks.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for EmptyBackticks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
