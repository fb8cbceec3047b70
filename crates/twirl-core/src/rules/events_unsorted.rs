use super::prelude::*;

#[doc = include_str!("events_unsorted.md")]
pub struct EventsUnsorted;

static META: RuleMeta = RuleMeta {
    code: "TW103",
    name: "events-unsorted",
    summary: "Events within a region are not in date order",
    docs: include_str!("events_unsorted.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl Rule for EventsUnsorted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
