use super::prelude::*;

#[doc = include_str!("event_outside_window.md")]
pub struct EventOutsideWindow;

static META: RuleMeta = RuleMeta {
    code: "TW102",
    name: "event-outside-window",
    summary: "An event lies outside the issue's events window",
    docs: include_str!("event_outside_window.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for EventOutsideWindow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
