use super::prelude::*;

#[doc = include_str!("cfp_dates.md")]
pub struct CfpDates;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW106",
    name: "cfp-dates",
    summary: "A CFP event line's dates are missing, unparsable or inconsistent",
    docs: include_str!("cfp_dates.md"),
    group: Group::Dates,
    default_severity: Severity::Warning,
    ..RuleMeta::DEFAULTS
};

/// A call that closed more than this many days before the issue date is
/// stale; a few days' grace covers a draft dated ahead of its merge.
const STALE_DAYS: i64 = 7;

impl CfpDates {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let issue_date = cx.issue_date();
        for cfp in &cx.issue.cfp_events {
            for d in cfp.closes.iter().chain(&cfp.event_dates) {
                if d.date.is_none() {
                    out.push(Diagnostic::new(
                        &META,
                        d.range,
                        format!("`{}` is not a valid date", cx.slice(d.range)),
                    ));
                }
            }
            let Some(closes) = cfp.closes else {
                out.push(Diagnostic::new(
                    &META,
                    cfp.range,
                    "CFP line has no closing date (`Closes YYYY-MM-DD`)",
                ));
                continue;
            };
            if cfp.event_dates.is_empty() {
                out.push(Diagnostic::new(
                    &META,
                    cfp.range,
                    "CFP line has no event date",
                ));
            }
            let Some(close) = closes.date else { continue };
            if let Some(issue) = issue_date {
                let days = days_between(close, issue);
                if days > STALE_DAYS {
                    out.push(Diagnostic::new(
                        &META,
                        closes.range,
                        format!("CFP closed on {close}, {days} days before the issue date {issue}"),
                    ));
                }
            }
            if let Some(start) = cfp.event_dates.first().and_then(|d| d.date)
                && close > start
            {
                out.push(Diagnostic::new(
                    &META,
                    closes.range,
                    format!("CFP closes on {close}, after the event starts on {start}"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &str) -> Vec<(String, String)> {
        let text = format!(
            "Date: 2024-11-06\n\n## Call for Participation; projects and speakers\n\n### CFP - Events\n\nIntro.\n\n{lines}\n"
        );
        crate::rules::testing::diagnostics(&META, &text)
            .into_iter()
            .map(|d| (text[d.range.as_range()].to_string(), d.message))
            .collect()
    }

    /// `CFP - Speakers`, the section's name from late 2023 to mid 2024, is
    /// read as the same section.
    #[test]
    fn the_speakers_heading_is_checked_too() {
        let text = "Date: 2024-11-06\n\n## Call for Participation; projects and speakers\n\n\
                    ### CFP - Speakers\n\n\
                    * [Old](https://example.com/o) | Closes 2024-10-01 | Oslo, NO | Event date: 2025-01-10\n";
        let found = crate::rules::testing::findings(&META, text);
        assert_eq!(
            found,
            [(
                "2024-10-01".to_string(),
                "CFP closed on 2024-10-01, 36 days before the issue date 2024-11-06".to_string()
            )]
        );
    }

    #[test]
    fn good_lines_are_clean() {
        let d = run(
            "* [Conf](https://example.com/cfp) | Closes 2024-11-02 | Utrecht, NL | Event date: 2025-05-13\n\
             * [Meet](https://example.com/m) | Closes 2024-12-01 | Oslo, NO | Event date: 2024-12-01 - 2024-12-02",
        );
        assert_eq!(d, []);
    }

    #[test]
    fn stale_late_and_broken_dates() {
        let d = run(
            "* [Old](https://example.com/o) | Closes 2024-10-01 | Oslo, NO | Event date: 2025-01-10\n\
             * [Late](https://example.com/l) | Closes 2025-02-01 | Oslo, NO | Event date: 2025-01-10\n\
             * [Bad](https://example.com/b) | Closes 2024-11-31 | Oslo, NO | Event date: 2025-01-10\n\
             * [None](https://example.com/n) | Oslo, NO | Event date: 2025-01-10",
        );
        let msgs: Vec<&str> = d.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "CFP closed on 2024-10-01, 36 days before the issue date 2024-11-06",
                "CFP closes on 2025-02-01, after the event starts on 2025-01-10",
                "`2024-11-31` is not a valid date",
                "CFP line has no closing date (`Closes YYYY-MM-DD`)",
            ]
        );
    }
}
