use super::prelude::*;

#[doc = include_str!("region_order.md")]
pub struct RegionOrder;

static META: RuleMeta = RuleMeta {
    code: "TW203",
    name: "region-order",
    summary: "Event regions are unknown or out of their canonical order",
    docs: include_str!("region_order.md"),
    group: Group::EventFormat,
    default_severity: Severity::Warning,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for RegionOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
