use super::prelude::*;

#[doc = include_str!("tracking_param.md")]
pub struct TrackingParam;

static META: RuleMeta = RuleMeta {
    code: "TW403",
    name: "tracking-param",
    summary: "A link carries utm_* tracking parameters",
    docs: include_str!("tracking_param.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl Rule for TrackingParam {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
