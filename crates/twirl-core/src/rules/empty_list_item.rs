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
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl Rule for EmptyListItem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let idx = &cx.issue.line_index;
        for item in &cx.issue.list_items {
            if !item.empty || cx.issue.in_code_or_comment(item.range) {
                continue;
            }
            // The whole line goes, terminator included.
            let line = idx.line_of(item.marker_range.start);
            let start = idx.line_start(line).unwrap_or(item.range.start);
            let end = idx.line_start(line + 1).unwrap_or(cx.text.len());
            let mut d = Diagnostic::new(&META, item.marker_range, "empty list item");
            if cx.text[start..item.marker_range.start].trim().is_empty()
                && cx.text[item.marker_range.end..end].trim().is_empty()
            {
                d = d.with_fix(Fix::safe(
                    "Remove the empty item",
                    vec![Edit::delete(TextRange::new(start, end))],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::fix::apply_edits;

    #[test]
    fn bare_markers_are_reported_and_removed() {
        let text =
            "Date: 2024-11-06\n\n* [a](https://e.com/)\n*\n* b\n-   \n\n1.\n\n<!--\n*\n-->\n";
        let issue = crate::parse(text);
        let s = Settings::only(&META);
        let d = super::super::check(&CheckContext::new(text, &issue, &s));
        let marks: Vec<&str> = d.iter().map(|d| &text[d.range.as_range()]).collect();
        assert_eq!(marks, vec!["*", "-", "1."]);
        let edits: Vec<Edit> = d
            .iter()
            .flat_map(|d| d.fix.clone().unwrap().edits)
            .collect();
        assert_eq!(
            apply_edits(text, &edits),
            "Date: 2024-11-06\n\n* [a](https://e.com/)\n* b\n\n\n<!--\n*\n-->\n"
        );
    }
}
