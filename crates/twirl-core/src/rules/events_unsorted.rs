use super::prelude::*;

#[doc = include_str!("events_unsorted.md")]
pub struct EventsUnsorted;

static META: RuleMeta = RuleMeta {
    code: "TW103",
    name: "events-unsorted",
    summary: "Events within a region are not in date order",
    docs: include_str!("events_unsorted.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl Rule for EventsUnsorted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        for region in &events.regions {
            let evs = &region.events;
            let Some(first_bad) =
                (1..evs.len()).find(|&i| match (evs[i - 1].start(), evs[i].start()) {
                    (Some(a), Some(b)) => b < a,
                    _ => false,
                })
            else {
                continue;
            };
            let prev = &evs[first_bad - 1];
            let ev = &evs[first_bad];
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
            if let Some(fix) = sort_fix(cx.text, evs) {
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
    Some(Fix::safe(
        "Sort events by date",
        vec![Edit::replace(span, new)],
    ))
}
