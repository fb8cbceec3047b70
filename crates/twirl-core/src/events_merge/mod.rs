//! `twirl events merge` as a pure function: new event entries merged into
//! a draft's Upcoming Events section the way an events editor does it by
//! hand each week.
//!
//! The draft's events are first left as `fmt` leaves them (ended events
//! dropped, regions in date order: the same fixes). Each entry then goes
//! into its region in date order (ties by location, the draft's own order
//! kept), replaces the draft's entry for the same event, or is skipped
//! when it is there already. What is written is edits on the draft's text:
//! the draft's own entries move as blocks of bytes, and nothing outside
//! the events section changes. Every entry added passes the rules of
//! `twirl check` (their safe fixes applied) or is refused; the summary
//! names every entry of NEW and what became of it.

mod entries;

pub use entries::{CollectorEvent, InputError, NewEntry, list, read_markdown};

use crate::config::Settings;
use crate::diagnostic::{Applicability, Edit, Severity};
use crate::fix::{FixError, apply_edits, fix_all};
use crate::format::format_range;
use crate::issue::{Attendance, Date, Event, Issue, add_days, parse};
use crate::rules::{CheckContext, lint};
use crate::source::LineEnding;
use crate::text::TextRange;
use entries::{WRAP, country_region};

/// An event as the summary names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Named {
    /// The date field as written (`2024-11-09 - 2024-11-11`).
    pub date: String,
    /// The first organiser's name.
    pub organizer: String,
    /// The region heading it is under.
    pub region: String,
    /// Where NEW has it (`new.md:12`); the draft's line for its own events.
    pub origin: String,
}

/// What a merge did with every entry of NEW and with the draft's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// The events window merged for.
    pub window: Option<(Date, Date)>,
    /// The window line's dates as they were, when they did not start on
    /// the issue date and the merge set them from it.
    pub window_reset: Option<String>,
    /// Entries of NEW added to the draft.
    pub added: Vec<Named>,
    /// An entry of NEW, and the draft's entry for the same event it replaced.
    pub updated: Vec<(Named, Named)>,
    /// Entries of NEW already in the draft as they are.
    pub skipped: Vec<Named>,
    /// Entries of NEW that ended before the window or start after it.
    pub outside_window: Vec<Named>,
    /// Entries of NEW that do not pass the event rules, with the findings.
    pub refused: Vec<(Named, Vec<String>)>,
    /// The draft's events that ended before the window.
    pub dropped: Vec<Named>,
    /// The draft's entries listed a second time in their region, dropped.
    pub dropped_twice: Vec<Named>,
    /// Entries added beside one with the same organiser and dates but
    /// other event links (or marked so by the collector): both are kept.
    pub possible_duplicates: Vec<(Named, Option<Named>)>,
}

impl Summary {
    /// The summary as `twirl events merge` prints it: one line of counts
    /// for the draft `name` (`verb`: merged, unchanged, would change), then
    /// every entry by what became of it.
    pub fn report(&self, name: &str, verb: &str) -> String {
        let s = self;
        let mut out = format!(
            "twirl: {name} {verb}: {} added, {} updated, {} skipped, {} not added, {} dropped as ended, {} possible duplicates\n",
            s.added.len(),
            s.updated.len(),
            s.skipped.len(),
            s.outside_window.len() + s.refused.len(),
            s.dropped.len(),
            s.possible_duplicates.len(),
        );
        if let (Some(was), Some((start, end))) = (&s.window_reset, s.window) {
            out.push_str(&format!(
                "  window line set from the issue date: {start} - {end} (it said {was})\n"
            ));
        }
        let line = |n: &Named| {
            let region = if n.region.is_empty() {
                String::new()
            } else {
                format!(" ({})", n.region)
            };
            format!("{} {}{region} [{}]", n.date, n.organizer, n.origin)
        };
        let mut section = |title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                out.push_str(&format!("{title}:\n"));
                for l in lines {
                    out.push_str(&format!("  {l}\n"));
                }
            }
        };
        let all = |v: &[Named]| v.iter().map(line).collect();
        section("added", all(&s.added));
        section(
            "updated",
            s.updated
                .iter()
                .map(|(new, old)| format!("{}, replacing the draft's {}", line(new), old.origin))
                .collect(),
        );
        section("skipped (already in the draft)", all(&s.skipped));
        let window = s
            .window
            .map_or_else(String::new, |(a, b)| format!(" {a} - {b}"));
        let outside = format!("not added: outside the window{window}");
        section(&outside, all(&s.outside_window));
        section(
            "not added: refused",
            s.refused
                .iter()
                .map(|(n, why)| format!("{}: {}", line(n), why.join("; ")))
                .collect(),
        );
        section("dropped as ended", all(&s.dropped));
        section("dropped as listed twice", all(&s.dropped_twice));
        section(
            "possible duplicates (both kept)",
            s.possible_duplicates
                .iter()
                .map(|(n, other)| match other {
                    Some(o) => format!(
                        "{}: same organiser and dates as {}, other event link",
                        line(n),
                        line(o)
                    ),
                    None => format!("{}: marked as a duplicate by the collector", line(n)),
                })
                .collect(),
        );
        out
    }
}

/// A merge's result: the draft's new text and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The merged draft.
    pub text: String,
    /// What the merge did.
    pub summary: Summary,
}

/// Why a draft could not be merged into.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// The draft has no Upcoming Events section.
    #[error("the draft has no Upcoming Events section")]
    NoEventsSection,
    /// The draft has no window line and no date to make one from.
    #[error("the draft has no events window: no window line and no date")]
    NoWindow,
    /// Applying the fmt fixes to the merged text failed.
    #[error(transparent)]
    Fix(#[from] FixError),
    /// The merged text does not read back as the events merged: a bug,
    /// and nothing is written.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The facts of one entry that the merge decides on.
#[derive(Clone, Debug)]
struct Facts {
    start: Option<Date>,
    end: Option<Date>,
    /// The place (`Berlin, DE`, also of `Virtual (Berlin, DE)`): what
    /// ties on a date sort by, as the Meetup collector sorts them.
    place: String,
    /// Link keys of the event titles.
    events: Vec<String>,
    /// Link keys of the organisers.
    organizers: Vec<String>,
    /// The entry's text without white space: entries that differ only in
    /// spacing (what the safe fixes change) are the same entry.
    words: String,
    /// Virtual and in person: listed under Virtual and a continent both.
    hybrid: bool,
    named: Named,
}

impl Facts {
    fn of(text: &str, issue: &Issue, ev: &Event, region: &str, origin: String) -> Facts {
        let keys = |ids: &mut dyn Iterator<Item = usize>| -> Vec<String> {
            ids.filter_map(|i| issue.link_key(text, i).map(str::to_string))
                .collect()
        };
        let organizer = ev
            .organizers
            .first()
            .map(|&i| issue.links[i].text(text))
            .or(ev.organizer_field.map(|r| &text[r.as_range()]))
            .unwrap_or("");
        Facts {
            start: ev.start(),
            end: ev.end(),
            place: ev
                .location
                .as_ref()
                .and_then(|l| l.places.first())
                .map_or_else(String::new, |p| text[p.range.as_range()].to_string()),
            events: keys(&mut ev.nested.iter().flat_map(|n| n.titles.iter().copied())),
            organizers: keys(&mut ev.organizers.iter().copied()),
            words: words(&text[ev.range.as_range()]),
            hybrid: ev.location.as_ref().is_some_and(|l| {
                let says = |w: &str| text[l.range.as_range()].to_ascii_lowercase().contains(w);
                l.attendance == Attendance::Hybrid
                    || (l.attendance == Attendance::InPerson && (says("virtual") || says("online")))
            }),
            named: Named {
                date: text[ev.date_field.as_range()].to_string(),
                organizer: organizer.to_string(),
                region: region.to_string(),
                origin,
            },
        }
    }
}

fn words(s: &str) -> String {
    s.split_whitespace().collect()
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// A region's entries after the merge, in order.
struct RegionSlots {
    name: String,
    /// Index in the draft's regions; `None` for a region the merge adds.
    draft: Option<usize>,
    slots: Vec<Slot>,
}

struct Slot {
    /// The draft's block, or the text of an entry added.
    body: Body,
    /// The entry that replaces the draft's block in place.
    replaced: Option<String>,
    removed: bool,
    facts: Facts,
}

enum Body {
    Draft(TextRange),
    New(String),
}

/// Merges `entries` into the events section of `draft`, an issue at
/// `path` with `settings`.
pub fn merge(
    draft: &str,
    settings: &Settings,
    path: Option<&str>,
    entries: &[NewEntry],
) -> Result<Merged, MergeError> {
    let (draft, window_reset) = reset_window(draft, settings, path)?;
    let draft = draft.as_str();
    let original = parse(draft);
    let cx = CheckContext {
        path,
        ..CheckContext::new(draft, &original, settings)
    };
    let (ws, we) = cx.window().ok_or(MergeError::NoWindow)?;
    let issue_date = cx.issue_date().unwrap_or(ws);
    let mut summary = Summary {
        window: Some((ws, we)),
        window_reset,
        dropped: ended_events(draft, &original, settings, path),
        ..Summary::default()
    };

    // The draft's events as `fmt` leaves them.
    let mut fmt_events = settings.clone();
    fmt_events.select_ignore(
        &["event-outside-window".into(), "events-unsorted".into()],
        &[],
    );
    let pre = fix_all(draft, &fmt_events, path, None, Applicability::Safe)?.text;
    let issue = parse(&pre);
    let section = issue.events.as_ref().ok_or(MergeError::NoEventsSection)?;
    // The draft's line of each event: blocks move as they are.
    let mut lines: std::collections::HashMap<&str, std::collections::VecDeque<usize>> =
        std::collections::HashMap::new();
    for ev in original.all_events() {
        let line = original.line_index.line_of(ev.line.start) + 1;
        lines
            .entry(&draft[ev.range.as_range()])
            .or_default()
            .push_back(line);
    }
    let mut line_of = |ev: &Event| {
        lines
            .get_mut(&pre[ev.range.as_range()])
            .and_then(|l| l.pop_front())
            .map_or_else(|| "the draft".to_string(), |l| format!("line {l}"))
    };
    let mut regions: Vec<RegionSlots> = section
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| RegionSlots {
            name: r.name.trim().trim_end_matches(':').trim_end().to_string(),
            draft: Some(i),
            slots: r
                .events
                .iter()
                .map(|ev| Slot {
                    body: Body::Draft(ev.range),
                    replaced: None,
                    removed: false,
                    facts: Facts::of(&pre, &issue, ev, r.name.trim(), line_of(ev)),
                })
                .collect(),
        })
        .collect();

    // An entry listed twice in one region goes once.
    for r in &mut regions {
        for i in 1..r.slots.len() {
            if r.slots[..i]
                .iter()
                .any(|s| s.facts.words == r.slots[i].facts.words)
            {
                r.slots[i].removed = true;
                summary.dropped_twice.push(r.slots[i].facts.named.clone());
            }
        }
    }

    // The event rules: what every entry added must pass.
    let mut event_rules = settings.clone();
    for (on, rule) in event_rules.enabled.iter_mut().zip(crate::rules::RULES) {
        let meta = rule.meta();
        *on &= meta.group == crate::rules::Group::EventFormat || meta.name == "list-bullet";
    }
    let check = Validation {
        settings,
        event_rules,
        path,
        date: issue_date,
        window: (ws, we),
    };
    for entry in entries {
        take(entry, &check, &mut regions, &mut summary);
    }

    let had_events: Vec<bool> = original
        .events
        .iter()
        .flat_map(|e| &e.regions)
        .map(|r| !r.events.is_empty())
        .collect();
    let mut edits = edits(&pre, &issue, &regions, &had_events);
    let ending = LineEnding::detect(draft).as_str();
    for e in &mut edits {
        e.new_text = e.new_text.replace('\n', ending);
    }
    let text = apply_edits(&pre, &edits);

    // What was merged must read back: as many events in each region as
    // the merge put there.
    let expected: usize = regions
        .iter()
        .flat_map(|r| &r.slots)
        .filter(|s| !s.removed)
        .count()
        + section.stray.len();
    let got = parse(&text).all_events().count();
    if got != expected {
        return Err(MergeError::Internal(format!(
            "the merged draft reads as {got} events instead of {expected}; the draft is left as it was"
        )));
    }
    Ok(Merged { text, summary })
}

/// The draft with its window line set from the issue date when the line
/// starts on another day (last week's line, copied with its events), and
/// the line's dates as they were: the window decides which events stay.
fn reset_window(
    draft: &str,
    settings: &Settings,
    path: Option<&str>,
) -> Result<(String, Option<String>), MergeError> {
    let issue = parse(draft);
    let events = issue.events.as_ref().ok_or(MergeError::NoEventsSection)?;
    let cx = CheckContext {
        path,
        ..CheckContext::new(draft, &issue, settings)
    };
    let window = events.window.as_ref().and_then(|w| w.start.zip(w.end));
    let (Some((start, end)), Some(date)) = (window, cx.issue_date()) else {
        return Ok((draft.to_string(), None));
    };
    if start.date.is_none_or(|s| s == date) {
        return Ok((draft.to_string(), None));
    }
    let was = draft[start.range.start..end.range.end].to_string();
    let edits = [
        Edit::replace(start.range, date.to_string()),
        Edit::replace(end.range, add_days(date, settings.window_days).to_string()),
    ];
    Ok((apply_edits(draft, &edits), Some(was)))
}

/// The draft's events that `fmt` drops as ended, named.
fn ended_events(draft: &str, issue: &Issue, settings: &Settings, path: Option<&str>) -> Vec<Named> {
    let mut only = settings.clone();
    only.select_ignore(&["event-outside-window".into()], &[]);
    let section = issue.events.as_ref().expect("checked by the caller");
    let region_of = |ev: &Event| {
        section
            .regions
            .iter()
            .find(|r| r.range.contains(ev.line.start))
            .map_or("", |r| r.name.trim())
    };
    lint(draft, &only, path, None)
        .into_iter()
        .filter_map(|d| {
            let fix = d.fix.filter(|f| f.applicability == Applicability::Safe)?;
            let range = fix.edits.first()?.range;
            let ev = issue.all_events().find(|e| e.range == range)?;
            let line = issue.line_index.line_of(ev.line.start) + 1;
            Some(Facts::of(draft, issue, ev, region_of(ev), format!("line {line}")).named)
        })
        .collect()
}

/// What an entry is checked with before it is added.
struct Validation<'a> {
    settings: &'a Settings,
    /// `settings` with only the rules about event entries on.
    event_rules: Settings,
    path: Option<&'a str>,
    date: Date,
    window: (Date, Date),
}

impl Validation<'_> {
    /// The entry with the safe fixes of the event rules applied, as it
    /// reads under `region` in the draft's window; or the error-level
    /// findings that remain on it.
    fn check(&self, text: &str, region: &str) -> Result<String, Vec<String>> {
        let (ws, we) = self.window;
        let head = format!(
            "Date: {}\n\n{WRAP}Rusty Events between {ws} - {we} 🦀\n\n### {region}\n",
            self.date
        );
        let doc = format!("{head}{text}");
        let span = TextRange::new(head.len(), doc.len());
        let fixed = format_range(&doc, &self.event_rules, self.path, None, span);
        let errors: Vec<String> = lint(&fixed, &self.event_rules, self.path, None)
            .into_iter()
            .filter(|d| d.severity == Severity::Error && d.range.start >= head.len())
            .map(|d| format!("{} ({})", d.message, d.rule.name))
            .collect();
        if errors.is_empty() {
            Ok(fixed[head.len()..].to_string())
        } else {
            Err(errors)
        }
    }
}

/// The one event of an entry's text, read alone.
fn read_entry(text: &str) -> Option<(String, Issue)> {
    let doc = format!("{WRAP}{text}");
    let issue = parse(&doc);
    (issue.all_events().count() == 1).then_some((doc, issue))
}

/// The region an entry without one goes to: Virtual when it is virtual,
/// else the region of its country code.
fn region_of_event(text: &str, ev: &Event) -> Option<String> {
    let loc = ev.location.as_ref()?;
    if loc.attendance == Attendance::Virtual {
        return Some("Virtual".to_string());
    }
    let place = loc.places.last()?;
    country_region(&text[place.range.as_range()]).map(str::to_string)
}

fn same_region(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (crate::issue::is_virtual(a) && crate::issue::is_virtual(b))
}

/// Where region `name` ranks in the configured order.
fn rank(settings: &Settings, name: &str) -> Option<usize> {
    settings.regions.iter().position(|r| same_region(r, name))
}

/// The index of the region `name` in `regions`, which gains it (in the
/// configured order) when the draft lacks it.
fn region_index(regions: &mut Vec<RegionSlots>, settings: &Settings, name: &str) -> Option<usize> {
    if let Some(i) = regions.iter().position(|r| same_region(&r.name, name)) {
        return Some(i);
    }
    let r = rank(settings, name)?;
    let at = regions
        .iter()
        .position(|x| rank(settings, &x.name).is_some_and(|x| x > r))
        .unwrap_or(regions.len());
    regions.insert(
        at,
        RegionSlots {
            name: settings.regions[r].clone(),
            draft: None,
            slots: Vec::new(),
        },
    );
    Some(at)
}

/// One entry of NEW taken into `regions`, and into the summary.
fn take(
    entry: &NewEntry,
    check: &Validation<'_>,
    regions: &mut Vec<RegionSlots>,
    summary: &mut Summary,
) {
    let Some((doc, raw)) = read_entry(&entry.text) else {
        let line = entry.text.lines().next().unwrap_or("");
        let date = line
            .trim_start_matches([' ', '*', '-', '+'])
            .split('|')
            .next();
        let named = Named {
            date: date.unwrap_or("").trim().to_string(),
            origin: entry.origin.clone(),
            ..Named::default()
        };
        summary
            .refused
            .push((named, vec!["not one event entry".to_string()]));
        return;
    };
    let ev = raw.all_events().next().expect("one event");
    let region = entry
        .region
        .as_deref()
        .map(|r| r.trim().trim_end_matches(':').trim_end().to_string())
        .or_else(|| region_of_event(&doc, ev))
        .unwrap_or_default();
    let named = Facts::of(&doc, &raw, ev, &region, entry.origin.clone()).named;
    if region.is_empty() {
        let why = "no region heading, and no country code twirl knows in its location";
        summary.refused.push((named, vec![why.to_string()]));
        return;
    }
    let Some(target) = region_index(regions, check.settings, &region) else {
        let why = format!(
            "unknown region `{region}` (expected one of {})",
            check.settings.regions.join(", ")
        );
        summary.refused.push((named, vec![why]));
        return;
    };
    let (ws, we) = check.window;
    if let (Some(start), Some(end)) = (ev.start(), ev.end())
        && (end < ws || start > we)
    {
        summary.outside_window.push(named);
        return;
    }
    let region_name = regions[target].name.clone();
    let text = match check.check(&entry.text, &region_name) {
        Ok(text) => text,
        Err(errors) => {
            summary.refused.push((named, errors));
            return;
        }
    };
    let Some((doc, issue)) = read_entry(&text) else {
        let why = "the safe fixes left no single event entry".to_string();
        summary.refused.push((named, vec![why]));
        return;
    };
    let ev = issue.all_events().next().expect("one event");
    let facts = Facts::of(&doc, &issue, ev, &region_name, entry.origin.clone());

    // The same event already there: a title link and the first day in
    // common (a series may keep one link for every date), else the
    // organiser and the dates when either lacks a title link. Looked for
    // in the entry's region, then elsewhere unless either is hybrid:
    // hybrid events are listed under Virtual and their continent both.
    let same_day = |f: &Facts| {
        shares(&f.organizers, &facts.organizers) && f.start == facts.start && f.end == facts.end
    };
    let outside = |d: Option<Date>| d.is_none_or(|d| d < ws || d > we);
    let same_event = |f: &Facts| {
        ((f.start == facts.start || outside(f.start)) && shares(&f.events, &facts.events))
            || (same_day(f) && (f.events.is_empty() || facts.events.is_empty()))
    };
    let find = |pred: &dyn Fn(usize, &Facts) -> bool| {
        regions.iter().enumerate().find_map(|(ri, r)| {
            r.slots
                .iter()
                .position(|s| !s.removed && pred(ri, &s.facts))
                .map(|si| (ri, si))
        })
    };
    let found = find(&|ri, f| ri == target && same_event(f))
        .or_else(|| find(&|_, f| !f.hybrid && !facts.hybrid && same_event(f)));
    let twin = find(&|_, f| {
        same_day(f)
            && !f.events.is_empty()
            && !facts.events.is_empty()
            && !shares(&f.events, &facts.events)
    });
    match found {
        Some((ri, si)) if regions[ri].slots[si].facts.words == facts.words => {
            summary.skipped.push(facts.named);
        }
        Some((ri, si)) => {
            let old = &mut regions[ri].slots[si];
            summary
                .updated
                .push((facts.named.clone(), old.facts.named.clone()));
            if ri == target && old.facts.start == facts.start {
                match &mut old.body {
                    Body::Draft(_) => old.replaced = Some(text),
                    Body::New(t) => *t = text,
                }
                old.facts = facts;
            } else {
                if matches!(old.body, Body::Draft(_)) {
                    old.removed = true;
                } else {
                    regions[ri].slots.remove(si);
                }
                insert(&mut regions[target], text, facts, (ws, we));
            }
        }
        None => {
            summary.added.push(facts.named.clone());
            let other = twin.map(|(ri, si)| regions[ri].slots[si].facts.named.clone());
            if other.is_some() || entry.flagged_duplicate {
                summary
                    .possible_duplicates
                    .push((facts.named.clone(), other));
            }
            insert(&mut regions[target], text, facts, (ws, we));
        }
    }
}

/// Puts an entry before the first one of the window it sorts before (by
/// date, ties by place), the region's own order kept; entries dated
/// outside the window (a mistyped year) are passed over.
fn insert(region: &mut RegionSlots, text: String, facts: Facts, (ws, we): (Date, Date)) {
    let at = region
        .slots
        .iter()
        .position(|s| {
            !s.removed
                && s.facts.start.is_some_and(|d| d >= ws && d <= we)
                && (facts.start, &facts.place) < (s.facts.start, &s.facts.place)
        })
        .unwrap_or(region.slots.len());
    region.slots.insert(
        at,
        Slot {
            body: Body::New(text),
            replaced: None,
            removed: false,
            facts,
        },
    );
}

/// The start of the line after the one holding `offset`.
fn next_line(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// From `offset` (a line start), past blank lines, stopping at `limit`.
fn skip_blank_lines(text: &str, mut offset: usize, limit: usize) -> usize {
    while offset < limit {
        let next = next_line(text, offset);
        if !text[offset..next].trim().is_empty() {
            break;
        }
        offset = next;
    }
    offset.min(limit)
}

/// The edits that turn the draft (as `fmt` leaves its events) into the
/// merged draft, with LF line ends in what they insert.
fn edits(pre: &str, issue: &Issue, regions: &[RegionSlots], had_events: &[bool]) -> Vec<Edit> {
    let section = issue.events.as_ref().expect("checked by the caller");
    let drafts = &section.regions;
    // Whether the draft leaves a blank line after its region headings.
    let blank_after_heading = drafts.iter().any(|r| {
        let after = next_line(pre, r.heading.start);
        after < r.range.end && pre[after..next_line(pre, after)].trim().is_empty()
    });
    // The end of a draft region's events list: where text that is no
    // entry (the closing paragraph, the next heading) starts.
    let list_end = |r: &crate::issue::Region| {
        let from = r
            .events
            .last()
            .map_or_else(|| next_line(pre, r.heading.start), |e| e.range.end);
        skip_blank_lines(pre, from, r.range.end)
    };
    let blank_line_at =
        |at: usize| at >= pre.len() || pre[at..next_line(pre, at)].trim().is_empty();
    let mut out: Vec<Edit> = Vec::new();
    for r in regions {
        let Some(di) = r.draft else { continue };
        let d = &drafts[di];
        let live = r.slots.iter().filter(|s| !s.removed).count();
        if live == 0 && had_events.get(di).copied().unwrap_or(false) {
            // Every event of the region ended or moved: the heading goes
            // too, when nothing but events and blank lines is under it.
            let block = TextRange::new(d.heading.start, list_end(d));
            let body = next_line(pre, d.heading.start);
            let mut rest = pre[body..block.end].to_string();
            for e in d.events.iter().rev() {
                rest.replace_range(e.range.start - body..e.range.end - body, "");
            }
            if rest.trim().is_empty() {
                out.push(Edit::delete(block));
                continue;
            }
        }
        // Entries added go before the next draft entry still there, else
        // after the last one, else where the region's list starts.
        let mut pending = String::new();
        let mut last_end = None;
        for s in &r.slots {
            match (&s.body, s.removed) {
                (Body::New(t), _) => pending.push_str(t),
                (Body::Draft(range), true) => out.push(Edit::delete(*range)),
                (Body::Draft(range), false) => {
                    if !pending.is_empty() {
                        out.push(Edit::insert(range.start, std::mem::take(&mut pending)));
                    }
                    if let Some(t) = &s.replaced {
                        out.push(Edit::replace(*range, t.clone()));
                    }
                    last_end = Some(range.end);
                }
            }
        }
        if pending.is_empty() {
            continue;
        }
        let after = next_line(pre, d.heading.start);
        let at = match last_end {
            Some(end) if !pre[..end].ends_with('\n') => {
                pending.insert(0, '\n');
                end
            }
            Some(end) => end,
            None if blank_after_heading => skip_blank_lines(pre, after, d.range.end),
            None => after,
        };
        if last_end.is_none() && !blank_line_at(at) {
            pending.push('\n');
        }
        out.push(Edit::insert(at, pending));
    }
    // Regions the draft lacks: before the next region the draft has, else
    // after its last one, else after the window line.
    let heading_gap = if blank_after_heading { "\n" } else { "" };
    for (i, r) in regions.iter().enumerate() {
        let entries: String = r
            .slots
            .iter()
            .filter_map(|s| match &s.body {
                Body::New(t) if !s.removed => Some(t.as_str()),
                _ => None,
            })
            .collect();
        if r.draft.is_some() || entries.is_empty() {
            continue;
        }
        let mut block = format!("### {}\n{heading_gap}{entries}", r.name);
        let next = regions[i..].iter().find_map(|x| x.draft);
        let at = match (next, regions[..i].iter().rev().find_map(|x| x.draft)) {
            (Some(n), _) => drafts[n].heading.start,
            (None, Some(p)) => list_end(&drafts[p]),
            (None, None) => {
                let events = &issue.sections[section.section];
                let above = section.window.as_ref().map_or(events.heading, |w| w.range);
                let from = next_line(pre, above.start);
                skip_blank_lines(pre, from, events.range.end)
            }
        };
        if !pre[..at].ends_with("\n\n") && at > 0 {
            block.insert(0, '\n');
        }
        if !blank_line_at(at) || next.is_some() {
            block.push('\n');
        }
        out.push(Edit::insert(at, block));
    }
    // Inserts at one offset keep the order they were made in.
    out.sort_by_key(|e| (e.range.start, e.range.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "Title: This Week in Rust 573\nNumber: 573\nDate: 2024-11-13\nCategory: This Week in Rust\n\nHello.\n\n## Upcoming Events\n\nRusty Events between 2024-11-13 - 2024-12-11 🦀\n\n";
    const TAIL: &str =
        "\nIf you are running a Rust event please add it to the [calendar].\n\n## Jobs\n\nText.\n";

    fn entry(date: &str, place: &str, org: &str, url: &str) -> String {
        format!(
            "* {date} | {place} | [{org}](https://{org}.example/)\n    * [**Meetup**](https://{org}.example/{url})\n"
        )
    }

    fn draft(regions: &[(&str, &[String])]) -> String {
        let body: Vec<String> = regions
            .iter()
            .map(|(name, events)| format!("### {name}\n{}", events.concat()))
            .collect();
        format!("{HEAD}{}{TAIL}", body.join("\n"))
    }

    fn new(region: &str, text: &str) -> NewEntry {
        NewEntry {
            origin: format!("new.md: {}", &text[2..12]),
            region: (!region.is_empty()).then(|| region.to_string()),
            text: text.to_string(),
            flagged_duplicate: false,
        }
    }

    fn run(draft: &str, entries: &[NewEntry]) -> Merged {
        let path = "draft/2024-11-13-this-week-in-rust.md";
        let settings = crate::Config::default().settings_for(Some(path));
        merge(draft, &settings, Some(path), entries).unwrap()
    }

    /// The region headings and entries' first lines of a merged draft.
    fn outline(text: &str) -> Vec<String> {
        let start = text.find("### ").unwrap();
        let end = text.find("If you are running").unwrap();
        text[start..end]
            .lines()
            .filter(|l| l.starts_with("###") || l.starts_with("* "))
            .map(|l| l.split(" | [").next().unwrap().to_string())
            .collect()
    }

    fn europe() -> Vec<String> {
        vec![
            entry("2024-11-14", "Paris, FR", "paris", "1"),
            entry("2024-11-21", "Berlin, DE", "berlin", "1"),
        ]
    }

    #[test]
    fn entries_go_in_date_order_ties_by_place_and_the_rest_stays() {
        let d = draft(&[("Europe", &europe())]);
        let m = run(
            &d,
            &[
                new("Europe", &entry("2024-11-30", "Oslo, NO", "oslo", "1")),
                new("Europe", &entry("2024-11-21", "Aachen, DE", "aachen", "1")),
                new("Europe", &entry("2024-11-21", "Zagreb, HR", "zagreb", "1")),
            ],
        );
        assert_eq!(
            outline(&m.text),
            [
                "### Europe",
                "* 2024-11-14 | Paris, FR",
                "* 2024-11-21 | Aachen, DE",
                "* 2024-11-21 | Berlin, DE",
                "* 2024-11-21 | Zagreb, HR",
                "* 2024-11-30 | Oslo, NO",
            ]
        );
        assert!(m.text.starts_with(HEAD) && m.text.ends_with(TAIL));
        assert_eq!(m.summary.added.len(), 3);
        assert_eq!(m.summary.added[0].organizer, "oslo");
        assert_eq!(m.summary.added[0].origin, "new.md: 2024-11-30");
    }

    #[test]
    fn ties_keep_the_drafts_own_order() {
        let d = draft(&[(
            "Europe",
            &[
                entry("2024-11-21", "Paris, FR", "paris", "1"),
                entry("2024-11-21", "Berlin, DE", "berlin", "1"),
            ],
        )]);
        let m = run(
            &d,
            &[new(
                "Europe",
                &entry("2024-11-22", "Aachen, DE", "aachen", "1"),
            )],
        );
        assert_eq!(
            outline(&m.text)[1..],
            [
                "* 2024-11-21 | Paris, FR",
                "* 2024-11-21 | Berlin, DE",
                "* 2024-11-22 | Aachen, DE"
            ]
        );
    }

    #[test]
    fn ended_events_go_and_so_does_a_region_left_empty() {
        let ended = entry("2024-11-06", "Virtual (Indianapolis, IN, US)", "indy", "1");
        let d = draft(&[
            ("Virtual", std::slice::from_ref(&ended)),
            ("Europe", &europe()),
            (
                "Oceania",
                &[entry("2024-11-12", "Sydney, NSW, AU", "sydney", "1")],
            ),
        ]);
        let m = run(&d, &[]);
        assert_eq!(
            outline(&m.text),
            [
                "### Europe",
                "* 2024-11-14 | Paris, FR",
                "* 2024-11-21 | Berlin, DE"
            ]
        );
        let dropped: Vec<&str> = m
            .summary
            .dropped
            .iter()
            .map(|n| n.organizer.as_str())
            .collect();
        assert_eq!(dropped, ["indy", "sydney"]);
        assert_eq!(m.summary.dropped[0].origin, "line 13");
        assert!(m.text.contains("berlin.example/1)\n\nIf you"), "{}", m.text);
    }

    #[test]
    fn a_missing_region_is_made_in_the_regions_order() {
        let d = draft(&[
            (
                "Virtual",
                &[entry("2024-11-20", "Virtual (Cardiff, UK)", "cardiff", "1")],
            ),
            ("Europe", &europe()),
        ]);
        let m = run(
            &d,
            &[
                new(
                    "South America",
                    &entry("2024-11-25", "Lima, PE", "lima", "1"),
                ),
                new("Asia:", &entry("2024-11-26", "Tokyo, JP", "tokyo", "1")),
                // No heading: the region of its country code.
                new("", &entry("2024-11-27", "Lagos, NG", "lagos", "1")),
            ],
        );
        assert_eq!(
            outline(&m.text),
            [
                "### Virtual",
                "* 2024-11-20 | Virtual (Cardiff, UK)",
                "### Africa",
                "* 2024-11-27 | Lagos, NG",
                "### Asia",
                "* 2024-11-26 | Tokyo, JP",
                "### Europe",
                "* 2024-11-14 | Paris, FR",
                "* 2024-11-21 | Berlin, DE",
                "### South America",
                "* 2024-11-25 | Lima, PE",
            ]
        );
        assert!(m.text.contains("/1)\n\n### Africa\n* 2024-11-27"));
        assert!(m.text.contains("/1)\n\n### South America\n* 2024-11-25 | Lima, PE | [lima](https://lima.example/)\n    * [**Meetup**](https://lima.example/1)\n\nIf you"));
    }

    #[test]
    fn a_draft_without_regions_gets_them_after_the_window_line() {
        let d = format!("{HEAD}{}", &TAIL[1..]);
        let m = run(
            &d,
            &[new("Europe", &entry("2024-11-25", "Oslo, NO", "oslo", "1"))],
        );
        assert!(
            m.text.contains("🦀\n\n### Europe\n* 2024-11-25 | Oslo, NO"),
            "{}",
            m.text
        );
        assert!(m.text.contains("/1)\n\nIf you are running"));
    }

    #[test]
    fn the_same_event_is_updated_or_skipped() {
        let d = draft(&[("Europe", &europe())]);
        let changed = "* 2024-11-21 | Berlin, DE | [berlin](https://berlin.example/)\n    * [**Rust and Tell**](https://berlin.example/1)\n";
        let respaced = "*   2024-11-14 |  Paris, FR | [paris](https://paris.example/)   \n    * [**Meetup**](https://paris.example/1)\n";
        let m = run(&d, &[new("Europe", changed), new("Europe", respaced)]);
        assert_eq!(m.summary.updated.len(), 1);
        assert_eq!(m.summary.updated[0].1.origin, "line 15");
        assert_eq!(m.summary.skipped.len(), 1);
        assert!(m.text.contains(changed));
        assert!(!m.text.contains("[**Meetup**](https://berlin.example/1)"));
        assert_eq!(outline(&m.text).len(), 3);
    }

    #[test]
    fn a_series_link_on_another_day_is_another_entry() {
        let d = draft(&[("Europe", &europe())]);
        let next = entry("2024-12-05", "Berlin, DE", "berlin", "1");
        let m = run(&d, &[new("Europe", &next)]);
        assert_eq!(m.summary.added.len(), 1);
        assert!(m.summary.updated.is_empty());
        assert_eq!(outline(&m.text).len(), 4);
    }

    #[test]
    fn a_mistyped_year_in_the_draft_is_updated() {
        let d = draft(&[(
            "Europe",
            &[
                entry("2023-11-28", "Oslo, NO", "oslo", "1"),
                europe()[0].clone(),
            ],
        )]);
        let m = run(
            &d,
            &[new("Europe", &entry("2024-11-28", "Oslo, NO", "oslo", "1"))],
        );
        assert_eq!(m.summary.updated.len(), 1, "{:?}", m.summary);
        assert!(!m.text.contains("2023-11-28"));
        assert_eq!(
            outline(&m.text)[1..],
            ["* 2024-11-14 | Paris, FR", "* 2024-11-28 | Oslo, NO"]
        );
    }

    #[test]
    fn same_organiser_and_day_updates_or_is_a_possible_duplicate() {
        let d = draft(&[("Europe", &europe())]);
        let other_link = entry("2024-11-21", "Berlin, DE", "berlin", "2");
        let m = run(&d, &[new("Europe", &other_link)]);
        assert_eq!(m.summary.added.len(), 1);
        assert_eq!(m.summary.possible_duplicates.len(), 1);
        let (n, other) = &m.summary.possible_duplicates[0];
        assert_eq!(
            (n.date.as_str(), other.as_ref().unwrap().origin.as_str()),
            ("2024-11-21", "line 15")
        );
        assert_eq!(outline(&m.text).len(), 4);
        let no_title_link = "* 2024-11-21 | Berlin, DE | [berlin](https://berlin.example/)\n    * [**Hack night**]\n";
        let m = run(&d, &[new("Europe", no_title_link)]);
        assert_eq!(m.summary.refused.len(), 1, "{:?}", m.summary);
    }

    #[test]
    fn hybrid_events_are_listed_under_virtual_and_their_continent() {
        let hybrid = entry(
            "2024-11-22",
            "Virtual and In-Person (Berlin, DE)",
            "berlin",
            "9",
        );
        let d = draft(&[("Europe", &[europe()[0].clone(), hybrid.clone()])]);
        let m = run(&d, &[new("Virtual", &hybrid)]);
        assert_eq!(m.summary.added.len(), 1);
        assert_eq!(
            outline(&m.text)[..2],
            [
                "### Virtual",
                "* 2024-11-22 | Virtual and In-Person (Berlin, DE)"
            ]
        );
        // Not hybrid: the event moves to the region NEW gives it.
        let online = entry("2024-11-21", "Virtual (Berlin, DE)", "berlin", "1");
        let m = run(&draft(&[("Europe", &europe())]), &[new("Virtual", &online)]);
        assert_eq!(m.summary.updated.len(), 1);
        assert_eq!(
            outline(&m.text),
            [
                "### Virtual",
                "* 2024-11-21 | Virtual (Berlin, DE)",
                "### Europe",
                "* 2024-11-14 | Paris, FR"
            ]
        );
    }

    #[test]
    fn entries_outside_the_window_are_not_added() {
        let d = draft(&[("Europe", &europe())]);
        let m = run(
            &d,
            &[
                new("Europe", &entry("2024-11-12", "Oslo, NO", "oslo", "1")),
                new("Europe", &entry("2024-12-12", "Oslo, NO", "oslo", "2")),
                new(
                    "Europe",
                    &entry("2024-11-10 - 2024-11-13", "Oslo, NO", "oslo", "3"),
                ),
            ],
        );
        let outside: Vec<&str> = m
            .summary
            .outside_window
            .iter()
            .map(|n| n.date.as_str())
            .collect();
        assert_eq!(outside, ["2024-11-12", "2024-12-12"]);
        assert_eq!(m.summary.added.len(), 1);
    }

    #[test]
    fn entries_pass_the_event_rules_or_are_refused() {
        let d = draft(&[("Europe", &europe())]);
        let spacing = "* 2024-11-25|Oslo, NO |  [oslo](https://oslo.example/)  \n  * [**Meetup**](https://oslo.example/1)\n";
        let no_organiser =
            "* 2024-11-26 | Oslo, NO | Rust Oslo\n    * [**Meetup**](https://oslo.example/2)\n";
        let m = run(
            &d,
            &[
                new("Europe", spacing),
                new("Europe", no_organiser),
                new("Atlantis", &entry("2024-11-27", "Oslo, NO", "o", "1")),
            ],
        );
        assert!(m.text.contains("* 2024-11-25 | Oslo, NO | [oslo](https://oslo.example/)\n    * [**Meetup**](https://oslo.example/1)\n"), "{}", m.text);
        assert_eq!(m.summary.refused.len(), 2);
        assert!(
            m.summary.refused[0].1[0].contains("organiser"),
            "{:?}",
            m.summary.refused
        );
        assert!(m.summary.refused[1].1[0].contains("unknown region `Atlantis`"));
    }

    #[test]
    fn line_endings_and_a_stale_window_line() {
        let d = draft(&[("Europe", &europe())])
            .replace(
                "between 2024-11-13 - 2024-12-11",
                "between 2024-11-06 - 2024-12-04",
            )
            .replace('\n', "\r\n");
        let m = run(
            &d,
            &[new("Europe", &entry("2024-12-10", "Oslo, NO", "oslo", "1"))],
        );
        assert_eq!(
            m.summary.window_reset.as_deref(),
            Some("2024-11-06 - 2024-12-04")
        );
        assert!(m.text.contains("between 2024-11-13 - 2024-12-11"));
        assert_eq!(m.summary.added.len(), 1);
        assert!(!m.text.replace("\r\n", "").contains('\n'), "{:?}", m.text);
    }

    #[test]
    fn an_entry_listed_twice_in_a_region_goes_once() {
        let e = europe();
        let d = draft(&[("Europe", &[e[0].clone(), e[1].clone(), e[1].clone()])]);
        let m = run(&d, &[]);
        assert_eq!(m.summary.dropped_twice.len(), 1);
        assert_eq!(outline(&m.text).len(), 3);
    }

    #[test]
    fn a_draft_without_events_section_is_an_error() {
        let path = "draft/2024-11-13-this-week-in-rust.md";
        let settings = crate::Config::default().settings_for(Some(path));
        let err = merge("Title: x\n\n## Jobs\n", &settings, Some(path), &[]).unwrap_err();
        assert_eq!(err, MergeError::NoEventsSection);
    }
}
