use super::prelude::*;

#[doc = include_str!("event_format.md")]
pub struct EventFormat;

static META: RuleMeta = RuleMeta {
    code: "TW201",
    name: "event-format",
    summary: "An event line breaks the event-line grammar",
    docs: include_str!("event_format.md"),
    group: Group::EventFormat,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for EventFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
