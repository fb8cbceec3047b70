use crate::FastMap;

use super::prelude::*;

#[doc = include_str!("duplicate_link.md")]
pub struct DuplicateLink;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW401",
    name: "duplicate-link",
    summary: "The same link appears twice in the issue",
    docs: include_str!("duplicate_link.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl DuplicateLink {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        // The event (and its region) of each event title link.
        let mut event_of: FastMap<usize, (&Event, Option<usize>)> = FastMap::default();
        if let Some(events) = &cx.issue.events {
            let stray = events.stray.iter().map(|e| (e, None));
            let regional = events
                .regions
                .iter()
                .enumerate()
                .flat_map(|(i, r)| r.events.iter().map(move |e| (e, Some(i))));
            for (event, region) in stray.chain(regional) {
                for nested in &event.nested {
                    for &t in &nested.titles {
                        event_of.insert(t, (event, region));
                    }
                }
            }
        }
        let mut seen: FastMap<(&str, &str), Vec<(usize, &Link)>> =
            FastMap::with_capacity_and_hasher(cx.issue.links.len(), Default::default());
        for (i, link, pool) in judged_links(cx) {
            let Some(key) = cx.issue.link_key(cx.text, i) else {
                continue;
            };
            let earlier = seen.entry((pool, key)).or_default();
            if let Some(&(_, first)) = earlier.first() {
                let this = event_of.get(&i).copied();
                // A hybrid event is listed under Virtual and under its
                // region: the same event, on purpose.
                let hybrid = this.is_some()
                    && earlier
                        .iter()
                        .any(|(j, _)| same_event_elsewhere(this, event_of.get(j).copied()));
                // Two title links of recurring events may share a page; any
                // other repeat, or one on the same day, is a mistake.
                let clash = earlier.iter().find(|(j, e)| {
                    link.role != LinkRole::EventTitle
                        || e.role != LinkRole::EventTitle
                        || share_a_date(this, event_of.get(j).copied())
                });
                let d = match clash {
                    _ if hybrid => None,
                    Some(&(_, e)) => Some(
                        Diagnostic::new(
                            &META,
                            link.range,
                            "link already appears earlier in this issue",
                        )
                        .with_related(RelatedLocation::Here(e.range), "earlier copy"),
                    ),
                    None => Some(
                        Diagnostic::new(
                            &META,
                            link.range,
                            "event link already used for an event on another date",
                        )
                        .with_severity(Severity::Warning)
                        .with_related(RelatedLocation::Here(first.range), "earlier copy"),
                    ),
                };
                out.extend(d);
            }
            // Each copy is compared with the first few earlier ones only:
            // comparing with all made many copies of one link quadratic.
            if earlier.len() < MAX_COMPARED {
                earlier.push((i, link));
            }
        }
    }
}

/// Earlier copies of a link that a copy is compared with: far more than
/// the copies of one event's page in an issue's four weeks of events.
const MAX_COMPARED: usize = 64;

/// Sub-categories of the community section, which a draft sometimes
/// writes as `##` by mistake, ending the community section early.
const COMMUNITY_CATEGORIES: &[&str] = &[
    "official",
    "foundation",
    "newsletters",
    "project/tooling updates",
    "observations/thoughts",
    "rust walkthroughs",
    "research",
    "miscellaneous",
];

/// The links judged, in document order, each with its pool: the counted
/// links (community section and event titles) and links under a community
/// sub-category written at the wrong level form one pool; the link of each
/// Call for Participation item forms another (two CFP items with one link
/// are a copy-paste slip, but a call for speakers may share its page with
/// the event); so does the link of each Final Comment Period item (the
/// same RFC listed under two groups).
fn judged_links<'a>(cx: &CheckContext<'a>) -> Vec<(usize, &'a Link, &'static str)> {
    let issue = cx.issue;
    let mut judged: Vec<(usize, &'static str)> = cx.counted_links().map(|(i, _)| (i, "")).collect();
    // Whether each section lies in a community category, asked once per
    // section rather than once per link.
    let in_community: Vec<bool> = (0..issue.sections.len())
        .map(|s| {
            let title = issue.sections[issue.top_section(s)].title.as_bytes();
            COMMUNITY_CATEGORIES.iter().any(|c| {
                title.len() >= c.len() && title[..c.len()].eq_ignore_ascii_case(c.as_bytes())
            })
        })
        .collect();
    for (i, link) in issue.links.iter().enumerate() {
        let Some(s) = link.section else { continue };
        if link.kind == LinkKind::Inline && in_community[s] {
            judged.push((i, ""));
        }
    }
    for item in &issue.list_items {
        let Some(s) = issue.section_at(item.range.start) else {
            continue;
        };
        let pool = if issue.sections[issue.top_section(s)].kind == SectionKind::CallForParticipation
        {
            "cfp:"
        } else if in_final_comment_period(issue, s) {
            "fcp:"
        } else {
            continue;
        };
        let first = issue
            .links
            .partition_point(|l| l.range.start < item.range.start);
        if let Some(l) = issue.links.get(first)
            && l.kind == LinkKind::Inline
            && l.range.start < item.range.end
        {
            judged.push((first, pool));
        }
    }
    judged.sort_unstable();
    judged.dedup();
    judged
        .into_iter()
        .map(|(i, pool)| (i, &issue.links[i], pool))
        .collect()
}

/// Whether section `s` lies in a Final Comment Period group (not in its
/// New and Updated RFCs, which may list an RFC that is also in FCP).
fn in_final_comment_period(issue: &Issue, s: usize) -> bool {
    let mut at = Some(s);
    while let Some(i) = at {
        let title = issue.sections[i].title.to_ascii_lowercase();
        if title.starts_with("new and updated rfcs") {
            return false;
        }
        if title.starts_with("final comment period") {
            return true;
        }
        at = issue.sections[i].parent;
    }
    false
}

type EventAt<'a> = Option<(&'a Event, Option<usize>)>;

/// Whether the dates of two events overlap. Events whose dates did not
/// parse share nothing known.
fn share_a_date(a: EventAt<'_>, b: EventAt<'_>) -> bool {
    let (Some((a, _)), Some((b, _))) = (a, b) else {
        return false;
    };
    if std::ptr::eq(a, b) {
        return true;
    }
    match (a.start(), a.end(), b.start(), b.end()) {
        (Some(a0), Some(a1), Some(b0), Some(b1)) => a0 <= b1 && b0 <= a1,
        _ => false,
    }
}

/// Whether two title links are one event listed in two regions (a hybrid
/// event under Virtual and under its city's region): overlapping dates,
/// different regions.
fn same_event_elsewhere(a: EventAt<'_>, b: EventAt<'_>) -> bool {
    match (a, b) {
        (Some((_, Some(ra))), Some((_, Some(rb)))) => ra != rb && share_a_date(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\n\n";

    fn run(body: &str) -> Vec<(String, Severity, usize)> {
        let text = format!("{HEAD}{body}");
        crate::rules::testing::diagnostics(&META, &text)
            .into_iter()
            .map(|d| {
                let RelatedLocation::Here(r) = d.related[0].location else {
                    panic!("related is here")
                };
                (text[d.range.as_range()].to_string(), d.severity, r.start)
            })
            .collect()
    }

    #[test]
    fn later_copy_is_reported_after_normalisation() {
        let body = "## Updates from Rust Community\n\n### Official\n\n\
                    * [One](https://example.com/post/)\n\
                    * [Two](http://example.com//post?utm_source=x)\n";
        let found = run(body);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "[Two](http://example.com//post?utm_source=x)");
        assert_eq!(found[0].1, Severity::Error);
        let first = HEAD.len() + body.find("[One]").unwrap();
        assert_eq!(found[0].2, first);
    }

    #[test]
    fn links_outside_the_community_section_do_not_count() {
        let body = "## Updates from Rust Community\n\n* [One](https://example.com/a)\n\n\
                    ## Jobs\n\n* [Again](https://example.com/a)\n* [Again](https://example.com/a)\n";
        assert!(run(body).is_empty());
    }

    #[test]
    fn recurring_event_pages_warn_and_same_day_copies_are_errors() {
        let body = "## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04 🦀\n\n\
                    ### Virtual\n\n\
                    * 2024-11-12 | Virtual | [Org](https://org.example/)\n    \
                    * [**Meet**](https://org.example/room)\n\
                    * 2024-11-19 | Virtual | [Org](https://org.example/)\n    \
                    * [**Meet**](https://org.example/room)\n\
                    * 2024-11-19 | Virtual | [Other](https://other.example/)\n    \
                    * [**Talk**](https://org.example/room)\n";
        let found = run(body);
        let sev: Vec<Severity> = found.iter().map(|f| f.1).collect();
        assert_eq!(sev, vec![Severity::Warning, Severity::Error]);
    }

    #[test]
    fn hybrid_events_listed_twice_pass() {
        let body = "## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04 🦀\n\n\
                    ### Virtual\n\n\
                    * 2024-11-13 | Virtual (Berlin, DE) | [Org](https://org.example/)\n    \
                    * [**Hack**](https://org.example/hack)\n\n\
                    ### Europe\n\n\
                    * 2024-11-13 | Berlin, DE | [Org](https://org.example/)\n    \
                    * [**Hack**](https://org.example/hack)\n";
        assert!(run(body).is_empty());
    }

    #[test]
    fn misleveled_categories_and_cfp_items_count() {
        let body = "## Updates from Rust Community\n\n### Official\n\n\
                    * [A](https://a.example/post)\n\n\
                    ## Rust Walkthroughs\n\n* [A again](https://a.example/post)\n\n\
                    ## Call for Participation\n\n### CFP - Projects\n\n\
                    * [p - one](https://p.example/issues/1)\n\
                    * [p - two](https://p.example/issues/1)\n\n\
                    ### CFP - Events\n\n* [Conf](https://a.example/post) | Closes 2024-11-20\n";
        let found: Vec<String> = run(body).into_iter().map(|f| f.0).collect();
        assert_eq!(
            found,
            vec![
                "[A again](https://a.example/post)",
                "[p - two](https://p.example/issues/1)"
            ]
        );
    }

    #[test]
    fn final_comment_period_items_count_once() {
        let body = "## Updates from the Rust Project\n\n### Final Comment Period\n\n\
                    #### [RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period)\n\
                    * [disposition: postpone] [RFC: x](https://github.com/rust-lang/rfcs/pull/2801)\n\n\
                    #### Tracking Issues & PRs\n##### [Rust](https://github.com/rust-lang/rust/issues)\n\
                    * [disposition: postpone] [RFC: x](https://github.com/rust-lang/rfcs/pull/2801)\n\n\
                    #### [New and Updated RFCs](https://github.com/rust-lang/rfcs/pulls)\n\
                    * [new] [RFC: x](https://github.com/rust-lang/rfcs/pull/2801)\n";
        let found: Vec<(String, Severity, usize)> = run(body);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "[RFC: x](https://github.com/rust-lang/rfcs/pull/2801)"
        );
        assert_eq!(found[0].1, Severity::Error);
        assert!(found[0].2 < HEAD.len() + body.find("##### ").unwrap());
    }
}
