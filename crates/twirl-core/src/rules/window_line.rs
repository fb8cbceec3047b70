use super::prelude::*;

#[doc = include_str!("window_line.md")]
pub struct WindowLine;

static META: RuleMeta = RuleMeta {
    code: "TW101",
    name: "window-line",
    summary: "The events window line is missing, unparsable, or does not match the issue date",
    docs: include_str!("window_line.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for WindowLine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
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
                d = d.with_fix(Fix::unsafe_(
                    "Add the window line",
                    vec![Edit::insert(
                        heading.end,
                        format!("{eol}{eol}Rusty Events between {date} - {end} 🦀"),
                    )],
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
                    Fix::safe(
                        "Make the window line a paragraph",
                        vec![Edit::delete(TextRange::new(
                            w.range.start,
                            w.range.start + hashes,
                        ))],
                    ),
                ),
            );
        }
        let (Some(start), Some(end)) = (
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
        let (start, start_field) = start;
        let (end, end_field) = end;
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
                .with_fix(Fix::unsafe_(
                    "Set the window's end",
                    vec![Edit::replace(end_field.range, new_end.to_string())],
                )),
            );
        }
    }
}
