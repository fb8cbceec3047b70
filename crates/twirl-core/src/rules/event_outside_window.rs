use super::prelude::*;

#[doc = include_str!("event_outside_window.md")]
pub struct EventOutsideWindow;

static META: RuleMeta = RuleMeta {
    code: "TW102",
    name: "event-outside-window",
    summary: "An event lies outside the issue's events window",
    docs: include_str!("event_outside_window.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for EventOutsideWindow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
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
                [ws.year(), we.year()].into_iter().find_map(|y| {
                    let fixed = Date::new(y, d.month(), d.day()).ok()?;
                    (fixed >= ws && fixed <= we && fixed != d).then_some((f, fixed))
                })
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
                    .with_fix(Fix::safe(
                        "Remove stale event",
                        vec![Edit::delete(ev.range)],
                    )),
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
