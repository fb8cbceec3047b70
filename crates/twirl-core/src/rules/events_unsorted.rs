use super::prelude::*;

#[doc = include_str!("events_unsorted.md")]
pub struct EventsUnsorted;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW103",
    name: "events-unsorted",
    summary: "Events within a region are not in date order",
    docs: include_str!("events_unsorted.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl EventsUnsorted {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        // A date far from the window is likely a typo (a wrong year), which
        // `event-outside-window` reports: it says nothing about the order.
        let far = |e: &Event| {
            cx.window().is_some_and(|(ws, we)| {
                e.start()
                    .is_some_and(|d| d < add_days(ws, -56) || d > add_days(we, 366))
            })
        };
        for region in &events.regions {
            let evs = &region.events;
            let judged: Vec<&Event> = evs.iter().filter(|e| !far(e)).collect();
            let Some(first_bad) =
                (1..judged.len()).find(|&i| match (judged[i - 1].start(), judged[i].start()) {
                    (Some(a), Some(b)) => b < a,
                    _ => false,
                })
            else {
                continue;
            };
            let prev = judged[first_bad - 1];
            let ev = judged[first_bad];
            let mut d = Diagnostic::new(
                &META,
                ev.date_field,
                format!(
                    "event on {} comes after one on {} in {}",
                    cx.slice(ev.date_field),
                    cx.slice(prev.date_field),
                    region.name
                ),
            );
            if let Some(mut fix) = sort_fix(cx.text, evs) {
                // Sorting by a mistyped date would move the event away from
                // where the editor put it: the reorder needs a human's yes.
                if judged.len() < evs.len() {
                    fix.applicability = Applicability::Unsafe;
                    fix.title = "Sort events by date (an event's date looks mistyped)".to_string();
                }
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}

/// Reorders contiguous event blocks by date (stable), when every date parses.
pub(crate) fn sort_fix(text: &str, evs: &[Event]) -> Option<Fix> {
    if evs.iter().any(|e| e.start().is_none())
        || evs.windows(2).any(|w| w[0].range.end != w[1].range.start)
    {
        return None;
    }
    let span = TextRange::new(evs.first()?.range.start, evs.last()?.range.end);
    let eol = crate::source::LineEnding::detect(text).as_str();
    let mut order: Vec<&Event> = evs.iter().collect();
    order.sort_by_key(|e| (e.start(), e.end()));
    let mut new = String::with_capacity(span.len() + 2);
    for e in &order {
        let block = &text[e.range.as_range()];
        new.push_str(block);
        if !block.ends_with('\n') && !block.ends_with('\r') {
            new.push_str(eol);
        }
    }
    if !text[span.as_range()].ends_with(['\n', '\r']) {
        new.truncate(new.trim_end_matches(['\n', '\r']).len());
    }
    Some(Fix::safe_edit(
        "Sort events by date",
        Edit::replace(span, new),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, findings, fixed};

    fn event(date: &str, name: &str) -> String {
        format!(
            "* {date} | Oslo, NO | [{name}](https://e.org/{name}/)\n    * [**{name}**](https://e.org/{name}/1)\n"
        )
    }

    #[test]
    fn sorted_regions_are_clean_and_ties_keep_their_order() {
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}",
            event("2024-11-07", "b"),
            event("2024-11-07", "a"),
            event("2024-11-09", "c")
        );
        assert!(findings(&META, &text).is_empty());
    }

    #[test]
    fn the_fix_moves_whole_blocks_stably() {
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}\n### Oceania\n{}",
            event("2024-11-20", "c"),
            event("2024-11-07", "a"),
            event("2024-11-07", "b"),
            event("2024-11-08", "d")
        );
        let f = findings(&META, &text);
        assert_eq!(f.len(), 1);
        let out = fixed(&META, &text, Applicability::Safe);
        let expected = format!(
            "{ISSUE_572}### Europe\n{}{}{}\n### Oceania\n{}",
            event("2024-11-07", "a"),
            event("2024-11-07", "b"),
            event("2024-11-20", "c"),
            event("2024-11-08", "d")
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn a_mistyped_year_is_not_an_order_mistake_and_makes_the_sort_unsafe() {
        let typo = format!(
            "{ISSUE_572}### Europe\n{}{}",
            event("2024-11-20", "c"),
            event("2022-11-07", "a")
        );
        assert_eq!(findings(&META, &typo), []);
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}",
            event("2024-11-20", "c"),
            event("2024-11-10", "b"),
            event("2022-11-07", "a")
        );
        assert_eq!(findings(&META, &text).len(), 1);
        assert_eq!(fixed(&META, &text, Applicability::Safe), text);
        assert_ne!(fixed(&META, &text, Applicability::Unsafe), text);
    }
}
