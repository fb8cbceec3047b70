use super::prelude::*;

#[doc = include_str!("duplicate_heading.md")]
pub struct DuplicateHeading;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW501",
    name: "duplicate-heading",
    summary: "A heading is repeated under the same parent",
    docs: include_str!("duplicate_heading.md"),
    group: Group::Structure,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl DuplicateHeading {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let sections = &cx.issue.sections;
        // The first section of each (parent, level, title): one lookup per
        // heading, so thousands of headings stay linear.
        let mut seen = crate::FastMap::default();
        for (i, s) in sections.iter().enumerate() {
            let key = normalize(&s.title);
            let empty = key.is_empty();
            let first = *seen.entry((s.parent, s.level, key)).or_insert(i);
            if empty || cx.issue.in_code_or_comment(s.heading) || first == i {
                continue;
            }
            if let Some(first) = sections.get(first) {
                let line = cx.issue.line_index.line_of(first.heading.start) + 1;
                out.push(
                    Diagnostic::new(
                        &META,
                        s.heading,
                        format!("heading `{}` repeats the one on line {line}", s.title),
                    )
                    .with_related(RelatedLocation::Here(first.heading), "first heading here"),
                );
            }
        }
    }
}

/// Titles compare case-insensitively, with runs of spaces collapsed.
fn normalize(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Diagnostic> {
        crate::rules::testing::diagnostics(&META, text)
    }

    #[test]
    fn repeated_heading_under_same_parent() {
        let text =
            "Date: 2024-11-06\n\n## Updates\n\n### Approved RFCs\n\n### Approved RFCs\n\nText.\n";
        let d = run(text);
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].range.as_range()], "### Approved RFCs");
        assert_eq!(d[0].range.start, text.rfind("### Approved").unwrap());
        assert_eq!(
            d[0].message,
            "heading `Approved RFCs` repeats the one on line 5"
        );
    }

    #[test]
    fn same_title_elsewhere_is_fine() {
        // Same title under different parents, or at another level.
        let text = "Date: 2024-11-06\n\n## A\n\n### Rust\n\n## B\n\n### Rust\n\n#### Rust\n";
        assert!(run(text).is_empty());
    }
}
