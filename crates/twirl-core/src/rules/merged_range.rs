use super::prelude::*;

#[doc = include_str!("merged_range.md")]
pub struct MergedRange;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW105",
    name: "merged-range",
    summary: "The merged-PR search range is malformed or does not match the issue date",
    docs: include_str!("merged_range.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl MergedRange {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(m) = &cx.issue.merged else { return };
        let (Some(sf), Some(ef)) = (m.start, m.end) else {
            out.push(Diagnostic::new(
                &META,
                m.range,
                "the merged-PR link has no `merged:START..END` range",
            ));
            return;
        };
        let (Some(start), Some(end)) = (sf.date, ef.date) else {
            let bad = if sf.date.is_none() { sf } else { ef };
            out.push(Diagnostic::new(
                &META,
                bad.range,
                format!("`{}` is not a date", cx.slice(bad.range)),
            ));
            return;
        };
        let issue_date = cx.issue_date();
        // What the range should be: seven days ending just before the issue.
        let expected_end = match issue_date {
            Some(d) if !(0..=MAX_OFFSET).contains(&days_between(end, d)) => add_days(d, -1),
            _ => end,
        };
        let suggestion = |title: &str| {
            let (s, e) = (add_days(expected_end, -7), expected_end);
            Fix::display_only(
                format!("{title}: {s}..{e}"),
                vec![
                    Edit::replace(sf.range, s.to_string()),
                    Edit::replace(ef.range, e.to_string()),
                ],
            )
        };
        let span = days_between(start, end);
        if span != 7 {
            out.push(
                Diagnostic::new(
                    &META,
                    TextRange::new(sf.range.start, ef.range.end),
                    format!("the merged-PR range {start}..{end} spans {span} days, not 7"),
                )
                .with_fix(suggestion("Use a seven-day range")),
            );
            return;
        }
        if let Some(d) = issue_date {
            let offset = days_between(end, d);
            if !(0..=MAX_OFFSET).contains(&offset) {
                out.push(
                    Diagnostic::new(&META, ef.range, format!("the merged-PR range ends on {end}, not shortly before the issue date {d}"))
                        .with_fix(suggestion("Use the week before the issue")),
                );
            }
        }
    }
}

/// The range has ended one or two days before the issue over the years.
const MAX_OFFSET: i64 = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn issue(range: &str) -> String {
        format!(
            "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n\
             [merged]: https://github.com/search?q=is%3Apr+is%3Amerged+merged%3A{range}\n"
        )
    }

    #[test]
    fn the_week_before_is_clean() {
        assert!(findings(&META, &issue("2024-10-29..2024-11-05")).is_empty());
        assert!(findings(&META, &issue("2024-10-28..2024-11-04")).is_empty());
    }

    #[test]
    fn wrong_span_wrong_week_and_bad_dates() {
        assert!(
            findings(&META, &issue("2024-10-29..2023-11-05"))[0]
                .1
                .ends_with("days, not 7")
        );
        assert!(
            findings(&META, &issue("2024-10-15..2024-10-22"))[0]
                .1
                .contains("not shortly before the issue date")
        );
        assert!(
            findings(&META, &issue("2024-10-29..2024-13-05"))[0]
                .1
                .contains("is not a date")
        );
    }
}
