use super::prelude::*;

#[doc = include_str!("window_line.md")]
pub struct WindowLine;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW101",
    name: "window-line",
    summary: "The events window line is missing, unparsable, or does not match the issue date",
    docs: include_str!("window_line.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl WindowLine {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        if !cx.is_modern() {
            return;
        }
        let Some(w) = &events.window else {
            let heading = cx.issue.sections[events.section].heading;
            let mut d = Diagnostic::new(
                &META,
                heading,
                "the events section has no `Rusty Events between START - END` line",
            );
            if let Some(date) = cx.issue_date() {
                let end = add_days(date, cx.settings.window_days);
                let eol = if cx.text[..heading.end].ends_with('\r') {
                    "\r\n"
                } else {
                    "\n"
                };
                d = d.with_fix(Fix::unsafe_edit(
                    "Add the window line",
                    Edit::insert(
                        heading.end,
                        format!("{eol}{eol}Rusty Events between {date} - {end} 🦀"),
                    ),
                ));
            }
            out.push(d);
            return;
        };
        if w.is_heading {
            let line = cx.slice(w.range);
            let hashes = line.len() - line.trim_start_matches(['#', ' ']).len();
            out.push(
                Diagnostic::new(&META, w.range, "the window line is a heading").with_fix(
                    Fix::safe_edit(
                        "Make the window line a paragraph",
                        Edit::delete(TextRange::new(w.range.start, w.range.start + hashes)),
                    ),
                ),
            );
        }
        let (Some((start, start_field)), Some((end, end_field))) = (
            w.start.and_then(|d| d.date).zip(w.start),
            w.end.and_then(|d| d.date).zip(w.end),
        ) else {
            let r = w.start.map_or(w.range, |s| s.range);
            if !cx.slice(w.range).contains("$twir_") {
                out.push(Diagnostic::new(
                    &META,
                    r,
                    "the window line's dates do not parse",
                ));
            }
            return;
        };
        for (field, date) in [(start_field, start), (end_field, end)] {
            if cx.slice(field.range).contains('/') {
                out.push(
                    Diagnostic::new(
                        &META,
                        field.range,
                        format!(
                            "write the window's date `{}` as {date}, like the events' dates",
                            cx.slice(field.range)
                        ),
                    )
                    .with_severity(Severity::Warning)
                    .with_fix(Fix::unsafe_edit(
                        "Write the date as YYYY-MM-DD",
                        Edit::replace(field.range, date.to_string()),
                    )),
                );
            }
        }
        let between = TextRange::new(start_field.range.end, end_field.range.start);
        let joiner = cx.slice(between);
        if joiner != " - " && !joiner.contains(char::is_alphanumeric) {
            out.push(
                Diagnostic::new(
                    &META,
                    between,
                    format!(
                        "the window's dates are joined by `{}`: write ` - `",
                        joiner.trim()
                    ),
                )
                .with_severity(Severity::Warning)
                .with_fix(Fix::safe_edit(
                    "Join the dates with ` - `",
                    Edit::replace(between, " - "),
                )),
            );
        }
        let expected_start = cx.issue_date();
        if let Some(d) = expected_start
            && d != start
        {
            let new_end = add_days(d, cx.settings.window_days);
            out.push(
                Diagnostic::new(
                    &META,
                    start_field.range,
                    format!("the window starts on {start}, not on the issue date {d}"),
                )
                .with_fix(Fix::unsafe_(
                    "Set the window from the issue date",
                    vec![
                        Edit::replace(start_field.range, d.to_string()),
                        Edit::replace(end_field.range, new_end.to_string()),
                    ],
                )),
            );
            return;
        }
        let days = days_between(start, end);
        if days != cx.settings.window_days {
            let new_end = add_days(start, cx.settings.window_days);
            out.push(
                Diagnostic::new(
                    &META,
                    end_field.range,
                    format!(
                        "the window spans {days} days, not {}",
                        cx.settings.window_days
                    ),
                )
                .with_fix(Fix::unsafe_edit(
                    "Set the window's end",
                    Edit::replace(end_field.range, new_end.to_string()),
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, fixed};

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n## Upcoming Events\n\n";

    #[test]
    fn a_right_window_is_clean() {
        assert!(
            findings(
                &META,
                &format!("{HEAD}Rusty Events between 2024-11-06 - 2024-12-04 💕 🦀 💕\n")
            )
            .is_empty()
        );
    }

    #[test]
    fn last_weeks_window_and_a_short_one() {
        let f = findings(
            &META,
            &format!("{HEAD}Rusty Events between 2024-10-30 - 2024-11-27 🦀\n"),
        );
        assert_eq!(
            f,
            vec![(
                "2024-10-30".into(),
                "the window starts on 2024-10-30, not on the issue date 2024-11-06".into()
            )]
        );
        let f = findings(
            &META,
            &format!("{HEAD}Rusty Events between 2024-11-06 - 2024-11-27 🦀\n"),
        );
        assert_eq!(f[0].1, "the window spans 21 days, not 28");
    }

    #[test]
    fn missing_line_and_heading_line() {
        let f = findings(&META, &format!("{HEAD}### Europe\n"));
        assert!(f[0].1.contains("has no `Rusty Events between"));
        let text = format!("{HEAD}### Rusty Events between 2024-11-06 - 2024-12-04 🦀\n");
        assert_eq!(findings(&META, &text)[0].1, "the window line is a heading");
        assert!(
            fixed(&META, &text, Applicability::Safe).contains("\nRusty Events between 2024-11-06")
        );
    }

    #[test]
    fn month_first_dates_of_early_2022() {
        let text = format!("{HEAD}Rusty Events between 11/6/2024 - 12/4/2024 🦀\n");
        let f = findings(&META, &text);
        assert_eq!(
            f.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(),
            [
                "write the window's date `11/6/2024` as 2024-11-06, like the events' dates",
                "write the window's date `12/4/2024` as 2024-12-04, like the events' dates"
            ]
        );
        assert!(
            fixed(&META, &text, Applicability::Unsafe)
                .contains("Rusty Events between 2024-11-06 - 2024-12-04 🦀")
        );
    }

    #[test]
    fn another_joiner_is_a_warning_with_a_safe_fix() {
        let text = format!("{HEAD}Rusty Events between 2024-11-06 * 2024-12-04 🦀\n");
        assert_eq!(
            findings(&META, &text),
            [(
                " * ".into(),
                "the window's dates are joined by `*`: write ` - `".into()
            )]
        );
        assert!(
            fixed(&META, &text, Applicability::Safe)
                .contains("Rusty Events between 2024-11-06 - 2024-12-04 🦀\n")
        );
    }

    #[test]
    fn the_unsafe_fix_fills_the_window_from_the_date() {
        let text = format!("{HEAD}Rusty Events between 2024-10-30 - 2024-11-27 🦀\n");
        assert_eq!(
            fixed(&META, &text, Applicability::Safe),
            text,
            "not a Safe fix"
        );
        assert!(
            fixed(&META, &text, Applicability::Unsafe).contains("between 2024-11-06 - 2024-12-04")
        );
    }
}
