use super::prelude::*;

#[doc = include_str!("empty_list_item.md")]
pub struct EmptyListItem;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW704",
    name: "empty-list-item",
    summary: "A list item with no content",
    docs: include_str!("empty_list_item.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl EmptyListItem {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let idx = &cx.issue.line_index;
        for item in &cx.issue.list_items {
            if !item.empty || cx.issue.in_code_or_comment(item.range) {
                continue;
            }
            // The whole line goes, terminator included; but before a line
            // of text that starts no item, the line stays as a blank one:
            // without it that text would join the item above as a lazy
            // continuation of its paragraph.
            let line = idx.line_of(item.marker_range.start);
            let start = idx.line_start(line).unwrap_or(item.range.start);
            let mut end = idx.line_start(line + 1).unwrap_or(cx.text.len());
            if let Some(next) = idx
                .line_range(cx.text, line + 1)
                .map(|r| &cx.text[r.as_range()])
                && !next.trim().is_empty()
                && !starts_an_item(cx, line + 1)
            {
                end = idx.line_range(cx.text, line).map_or(end, |r| r.end);
            }
            let mut d = Diagnostic::new(&META, item.marker_range, "empty list item");
            if cx.text[start..item.marker_range.start].trim().is_empty()
                && cx.text[item.marker_range.end..end].trim().is_empty()
            {
                d = d.with_fix(Fix::safe_edit(
                    "Remove the empty item",
                    Edit::delete(TextRange::new(start, end)),
                ));
            }
            out.push(d);
        }
    }
}

/// Whether a list item starts on 0-based `line`: a binary search in the
/// items (sorted by start), so that many empty items stay linear.
fn starts_an_item(cx: &CheckContext<'_>, line: usize) -> bool {
    let idx = &cx.issue.line_index;
    let Some(start) = idx.line_start(line) else {
        return false;
    };
    let end = idx.line_start(line + 1).unwrap_or(cx.text.len() + 1);
    let items = &cx.issue.list_items;
    items
        .get(items.partition_point(|i| i.range.start < start))
        .is_some_and(|i| i.range.start < end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    #[test]
    fn bare_markers_are_reported_and_removed() {
        let text =
            "Date: 2024-11-06\n\n* [a](https://e.com/)\n*\n* b\n-   \n\n1.\n\n<!--\n*\n-->\n";
        let d = crate::rules::testing::diagnostics_on(&META, text, "", None);
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

    #[test]
    fn text_after_a_removed_item_does_not_join_the_item_above() {
        let text = "Date: 2024-11-06\n\n* [a](https://e.com/)\n* \n**Company**\n\n* [b](https://e.com/b)\n";
        let d = crate::rules::testing::diagnostics_on(&META, text, "", None);
        let edits: Vec<Edit> = d
            .iter()
            .flat_map(|d| d.fix.clone().unwrap().edits)
            .collect();
        assert_eq!(
            apply_edits(text, &edits),
            "Date: 2024-11-06\n\n* [a](https://e.com/)\n\n**Company**\n\n* [b](https://e.com/b)\n"
        );
    }
}
