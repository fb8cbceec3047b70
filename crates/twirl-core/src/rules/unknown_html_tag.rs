use super::prelude::*;

#[doc = include_str!("unknown_html_tag.md")]
pub struct UnknownHtmlTag;

static META: RuleMeta = RuleMeta {
    code: "TW703",
    name: "unknown-html-tag",
    summary: "An HTML tag outside the allowed set",
    docs: include_str!("unknown_html_tag.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for UnknownHtmlTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
