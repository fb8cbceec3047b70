use super::prelude::*;

#[doc = include_str!("event_outside_window.md")]
pub struct EventOutsideWindow;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW102",
    name: "event-outside-window",
    summary: "An event lies outside the issue's events window",
    docs: include_str!("event_outside_window.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl EventOutsideWindow {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some((ws, we)) = cx.window() else { return };
        if !cx.is_modern() {
            return;
        }
        for ev in cx.issue.all_events() {
            let (Some(start), Some(end)) = (ev.start(), ev.end()) else {
                continue;
            };
            if end >= ws && start <= we {
                continue;
            }
            // A year typo: the date lands in the window with the window's year.
            let typo = ev.dates.iter().find_map(|f| {
                let d = f.date?;
                if d >= ws && d <= we {
                    return None;
                }
                with_window_year(d, ws, we).map(|fixed| (f, fixed))
            });
            if let Some((field, fixed)) = typo {
                out.push(
                    Diagnostic::new(
                        &META,
                        field.range,
                        format!("event dated {} lies outside the window {ws} - {we}; the year looks mistyped", cx.slice(field.range)),
                    )
                    .with_fix(Fix::display_only(format!("Change the date to {fixed}"), vec![Edit::replace(field.range, fixed.to_string())])),
                );
                continue;
            }
            let field = if end < ws {
                *ev.dates.last().expect("has an end")
            } else {
                ev.dates[0]
            };
            if end < ws && days_between(end, ws) <= STALE_DAYS {
                out.push(
                    Diagnostic::new(
                        &META,
                        ev.date_field,
                        format!("event ended on {end}, before the window starts on {ws}"),
                    )
                    .with_fix(Fix::safe_edit("Remove stale event", Edit::delete(ev.range))),
                );
            } else if start > we {
                out.push(
                    Diagnostic::new(
                        &META,
                        field.range,
                        format!("event on {start} is after the window ends on {we}"),
                    )
                    .with_severity(Severity::Warning),
                );
            } else {
                out.push(Diagnostic::new(
                    &META,
                    field.range,
                    format!(
                        "event dated {} lies outside the window {ws} - {we}",
                        cx.slice(field.range)
                    ),
                ));
            }
        }
    }
}

/// Events that ended this many days before the window are last weeks' leftovers.
const STALE_DAYS: i64 = 56;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, findings, fixed};

    fn event(date: &str) -> String {
        format!(
            "* {date} | Oslo, NO | [Rust Oslo](https://e.org/o/)\n    * [**Meetup**](https://e.org/o/1)\n"
        )
    }

    #[test]
    fn inside_and_overlapping_events_are_clean() {
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}",
            event("2024-11-06"),
            event("2024-11-04 - 2024-11-07"),
            event("2024-12-04")
        );
        assert!(findings(&META, &text).is_empty());
    }

    #[test]
    fn each_kind_of_outside() {
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}{}",
            event("2024-10-30"),
            event("2022-11-20"),
            event("2024-12-20"),
            event("2024-06-01")
        );
        let f = findings(&META, &text);
        assert_eq!(f.len(), 4, "{f:?}");
        assert!(f[0].1.contains("ended on 2024-10-30"));
        assert!(f[1].1.contains("year looks mistyped"));
        assert!(f[2].1.contains("after the window ends"));
        assert!(f[3].1.contains("lies outside the window"));
    }

    #[test]
    fn only_stale_events_are_removed_and_typos_never() {
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}",
            event("2024-10-30"),
            event("2022-11-20"),
            event("2024-11-12")
        );
        let out = fixed(&META, &text, Applicability::Unsafe);
        assert!(!out.contains("2024-10-30"));
        assert!(
            out.contains("2022-11-20"),
            "a typo is never removed or rewritten"
        );
        assert!(out.contains("2024-11-12"));
    }

    #[test]
    fn year_typo_across_new_year() {
        let text = "Title: This Week in Rust 579\nNumber: 579\nDate: 2024-12-25\nCategory: This Week in Rust\n\n## Upcoming Events\n\n\
                    Rusty Events between 2024-12-25 - 2025-01-22 🦀\n\n### Europe\n"
            .to_string()
            + &event("2024-01-08");
        let f = crate::rules::testing::findings_on(
            &META,
            &text,
            "content/2024-12-25-this-week-in-rust.md",
        );
        assert!(f[0].1.contains("year looks mistyped"), "{f:?}");
    }
}
