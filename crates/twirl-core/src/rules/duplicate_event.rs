use crate::FastMap;

use super::prelude::*;

#[doc = include_str!("duplicate_event.md")]
pub struct DuplicateEvent;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW204",
    name: "duplicate-event",
    summary: "One organiser has two events on the same dates in a region",
    docs: include_str!("duplicate_event.md"),
    group: Group::EventFormat,
    default_severity: Severity::Warning,
    ..RuleMeta::DEFAULTS
};

impl DuplicateEvent {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        for region in &events.regions {
            // The first event of each organiser and dates.
            let mut first: FastMap<(&str, Date, Date), &Event> = FastMap::default();
            for ev in &region.events {
                let (Some(start), Some(end)) = (ev.start(), ev.end()) else {
                    continue;
                };
                for &o in &ev.organizers {
                    let Some(key) = cx.issue.link_key(cx.text, o) else {
                        continue;
                    };
                    match first.get(&(key, start, end)) {
                        Some(&earlier) if !std::ptr::eq(earlier, ev) => {
                            if let Some(d) = clash(cx, earlier, ev, &region.name) {
                                out.push(d);
                            }
                            break;
                        }
                        Some(_) => {}
                        None => {
                            first.insert((key, start, end), ev);
                        }
                    }
                }
            }
        }
    }
}

/// The event title links' keys of `ev`.
fn title_keys<'a>(cx: &CheckContext<'a>, ev: &Event) -> Vec<&'a str> {
    let mut keys: Vec<&str> = ev
        .nested
        .iter()
        .flat_map(|n| &n.titles)
        .filter_map(|&t| cx.issue.link_key(cx.text, t))
        .collect();
    keys.sort_unstable();
    keys
}

/// `later` repeats `earlier`'s organiser and dates with other event links
/// (the same links are `duplicate-link`'s to report).
fn clash(
    cx: &CheckContext<'_>,
    earlier: &Event,
    later: &Event,
    region: &str,
) -> Option<Diagnostic> {
    let (a, b) = (title_keys(cx, earlier), title_keys(cx, later));
    if a.is_empty() || b.is_empty() || a == b {
        return None;
    }
    Some(
        Diagnostic::new(
            &META,
            later.line,
            format!(
                "possibly the same event twice in {region}: same organiser and dates as an event above, with another event link"
            ),
        )
        .with_related(RelatedLocation::Here(earlier.line), "the other listing"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, findings};

    #[test]
    fn same_organiser_and_dates_with_other_links() {
        let event = |date: &str, org: &str, id: u32| {
            format!(
                "* {date} | Berlin, DE | [{org}](https://e.org/{org}/)\n    * [**Hack and Learn**](https://e.org/{org}/events/{id}/)\n"
            )
        };
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}{}{}### Virtual\n{}",
            event("2024-11-12", "ots", 1),
            event("2024-11-12", "ots", 2),
            event("2024-11-13", "ots", 3),
            event("2024-11-12", "other", 4),
            event("2024-11-14", "same", 5) + &event("2024-11-14", "same", 5),
            event("2024-11-12", "ots", 6),
        );
        let f = findings(&META, &text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].0.contains("[ots](https://e.org/ots/)"));
        assert!(
            f[0].1
                .starts_with("possibly the same event twice in Europe")
        );
    }
}
