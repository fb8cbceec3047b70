use super::prelude::*;

#[doc = include_str!("empty_list_item.md")]
pub struct EmptyListItem;

static META: RuleMeta = RuleMeta {
    code: "TW704",
    name: "empty-list-item",
    summary: "A list item with no content",
    docs: include_str!("empty_list_item.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for EmptyListItem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
