use super::prelude::*;

#[doc = include_str!("repeated_link.md")]
pub struct RepeatedLink;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW402",
    name: "repeated-link",
    summary: "A community link was already featured in a recent issue",
    docs: include_str!("repeated_link.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl RepeatedLink {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(index), Some(date)) = (cx.index, cx.issue_date()) else {
            return;
        };
        for (link, key) in crate::linkindex::keyed_links(cx.text, cx.issue, cx.settings) {
            let Some((other, at)) = index.find(key, date, cx.settings.lookback) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &META,
                    link.range,
                    format!("link already featured in the issue of {}", other.date),
                )
                .with_related(
                    RelatedLocation::Other {
                        path: other.path.clone(),
                        start: at.start.clone(),
                        end: at.end.clone(),
                    },
                    "featured here",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::linkindex::LinkIndex;

    fn issue(date: &str, body: &str) -> String {
        format!(
            "Title: This Week in Rust 1\nNumber: 1\nDate: {date}\n\n\
             ## Updates from Rust Community\n\n### Official\n\n{body}"
        )
    }

    fn run(text: &str, index: Option<&LinkIndex>, lookback: usize) -> Vec<Diagnostic> {
        let mut s = Settings::only(&META);
        s.lookback = lookback;
        crate::rules::testing::diagnostics_with(
            &s,
            text,
            "content/2024-11-06-this-week-in-rust.md",
            index,
        )
    }

    fn index() -> LinkIndex {
        let s = Settings::default();
        let mut idx = LinkIndex::default();
        for (date, body) in [
            ("2024-10-16", "* [Old](https://old.example/post)\n"),
            ("2024-10-23", "* [Post](https://example.com/post/)\n"),
            ("2024-10-30", "* [Other](https://other.example/)\n"),
        ] {
            let d = crate::issue::parse_date(date).unwrap();
            idx.add_issue(
                &format!("content/{date}-this-week-in-rust.md"),
                d,
                &issue(date, body),
                &s,
            );
        }
        idx
    }

    #[test]
    fn link_of_a_recent_issue_points_at_it() {
        let text = issue("2024-11-06", "* [Again](http://example.com/post)\n");
        let idx = index();
        let found = run(&text, Some(&idx), 25);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("2024-10-23"),
            "{}",
            found[0].message
        );
        match &found[0].related[0].location {
            RelatedLocation::Other { path, start, .. } => {
                assert_eq!(path, "content/2024-10-23-this-week-in-rust.md");
                assert_eq!(start.line, 8);
                assert_eq!(start.col_chars, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lookback_limits_and_no_index_means_no_findings() {
        let text = issue("2024-11-06", "* [Again](https://old.example/post)\n");
        let idx = index();
        assert_eq!(run(&text, Some(&idx), 25).len(), 1);
        assert!(run(&text, Some(&idx), 2).is_empty());
        assert!(run(&text, None, 25).is_empty());
    }
}
