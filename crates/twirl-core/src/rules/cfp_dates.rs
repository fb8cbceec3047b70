use super::prelude::*;

#[doc = include_str!("cfp_dates.md")]
pub struct CfpDates;

static META: RuleMeta = RuleMeta {
    code: "TW504",
    name: "cfp-dates",
    summary: "A CFP event line's dates are missing, unparsable or inconsistent",
    docs: include_str!("cfp_dates.md"),
    group: Group::Dates,
    default_severity: Severity::Warning,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for CfpDates {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
