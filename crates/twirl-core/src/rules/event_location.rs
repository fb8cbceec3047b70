use super::prelude::*;

#[doc = include_str!("event_location.md")]
pub struct EventLocation;

static META: RuleMeta = RuleMeta {
    code: "TW202",
    name: "event-location",
    summary: "An event location has an unknown country or state code, or disagrees with its region",
    docs: include_str!("event_location.md"),
    group: Group::EventFormat,
    default_severity: Severity::Warning,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for EventLocation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
