use super::prelude::*;

#[doc = include_str!("window_line.md")]
pub struct WindowLine;

static META: RuleMeta = RuleMeta {
    code: "TW101",
    name: "window-line",
    summary: "The events window line is missing, unparsable, or does not match the issue date",
    docs: include_str!("window_line.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for WindowLine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
