//! The Upcoming Events section: window line, regions, event blocks.
//!
//! Read line by line within the section that comrak delimited, because the
//! defects twirl must catch (a lost bullet, a nested line that lost its
//! indentation) change how CommonMark groups the lines, not what they say.

use super::parse::date_fields;
use super::*;
use crate::text::TextRange;
use regex::Regex;
use std::sync::LazyLock;

pub(super) fn parse_events(
    text: &str,
    issue: &mut Issue,
    skip: &[TextRange],
) -> Option<EventsSection> {
    let (section_idx, section) = issue.sections_of(SectionKind::Events).next()?;
    let section_range = section.range;
    let body_start = section.heading.end;
    let mut out = EventsSection {
        section: section_idx,
        window: None,
        regions: Vec::new(),
        stray: Vec::new(),
    };
    // Out of the issue while its links are given roles; put back below.
    let idx = std::mem::take(&mut issue.line_index);
    let first = idx.line_of(body_start) + usize::from(body_start < text.len());
    let last = idx.line_of(section_range.end.saturating_sub(1).max(body_start));
    let heading_at: Vec<(TextRange, usize)> = issue
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            section_range.contains_range(s.heading) && s.heading.start > section_range.start
        })
        .map(|(i, s)| (s.heading, i))
        .collect();

    let mut current: Option<Event> = None;
    let mut line_no = first;
    while line_no <= last {
        let Some(lr) = idx.line_range(text, line_no) else {
            break;
        };
        line_no += 1;
        if lr.start >= section_range.end {
            break;
        }
        let next_start = idx.line_start(line_no).unwrap_or(text.len());
        let full = TextRange::new(lr.start, next_start.min(section_range.end.max(lr.end)));
        let line = &text[lr.as_range()];
        // `skip` is sorted and disjoint: only the last range starting at or
        // before the line can hold it.
        let in_skip = skip[..skip.partition_point(|s| s.start <= lr.start)]
            .last()
            .is_some_and(|s| s.contains_range(lr));
        if in_skip && !lr.is_empty() {
            finish(&mut current, &mut out);
            continue;
        }
        // Headings are in document order: a binary search, not a scan of
        // every heading for every line.
        if let Some(&(h, si)) = heading_at
            .binary_search_by_key(&lr.start, |(h, _)| h.start)
            .ok()
            .map(|i| &heading_at[i])
        {
            finish(&mut current, &mut out);
            let sec = &issue.sections[si];
            if sec
                .title
                .to_ascii_lowercase()
                .contains("rusty events between")
            {
                out.window = Some(window(text, h, true));
            } else if sec.kind == SectionKind::Region {
                out.regions.push(Region {
                    name: sec.title.clone(),
                    heading: h,
                    range: sec.range,
                    events: Vec::new(),
                    section: si,
                });
            }
            // Skip the rest of a multi-line (setext) heading.
            line_no = idx.line_of(h.end) + 1;
            continue;
        }
        if line.trim().is_empty() {
            finish(&mut current, &mut out);
            continue;
        }
        if out.window.is_none() && line.to_ascii_lowercase().contains("rusty events between") {
            finish(&mut current, &mut out);
            out.window = Some(window(text, lr, false));
            continue;
        }
        let (indent, mut bullet, mut rest_at) = line_shape(text, lr);
        if bullet.is_none()
            && let Some((b, at)) = stray_marker(text, lr, rest_at, indent)
        {
            (bullet, rest_at) = (Some(b), at);
        }
        let rest = &text[rest_at..lr.end];
        if indent < 4 && date_prefix(rest).is_some() {
            finish(&mut current, &mut out);
            current = Some(event_line(text, issue, lr, full, bullet, rest_at));
        } else if let Some(ev) = current.as_mut()
            && (indent >= 1
                || rest.starts_with("[**")
                || rest.starts_with("[*")
                || (bullet.is_some() && rest.starts_with('[')))
        {
            let titles = links_within(&issue.links, lr);
            for &t in &titles {
                issue.links[t].role = LinkRole::EventTitle;
            }
            ev.nested.push(NestedLine {
                range: lr,
                bullet,
                indent,
                titles,
            });
            ev.range.end = full.end;
        } else {
            finish(&mut current, &mut out);
        }
    }
    finish(&mut current, &mut out);
    issue.line_index = idx;
    Some(out)
}

/// The indexes of the links inside `r`. Links are in document order and
/// disjoint, so they are found by binary search, not by a scan of every
/// link for every line.
fn links_within(links: &[Link], r: TextRange) -> Vec<usize> {
    let first = links.partition_point(|l| l.range.start < r.start);
    (first..links.len())
        .take_while(|&i| links[i].range.start < r.end)
        .filter(|&i| r.contains_range(links[i].range))
        .collect()
}

fn finish(current: &mut Option<Event>, out: &mut EventsSection) {
    if let Some(ev) = current.take() {
        match out.regions.last_mut() {
            Some(r) if r.range.contains(ev.line.start) => r.events.push(ev),
            _ => out.stray.push(ev),
        }
    }
}

fn window(text: &str, line: TextRange, is_heading: bool) -> EventWindow {
    let mut dates = date_fields(text, line);
    if dates.len() < 2 {
        dates = us_dates(text, line);
    }
    EventWindow {
        range: line,
        start: dates.first().copied(),
        end: dates.get(1).copied(),
        is_heading,
    }
}

/// `M/D/YYYY` dates, as the window lines of early 2022 wrote them
/// (`Rusty Events between 1/5/2022 - 2/2/2022`).
fn us_dates(text: &str, line: TextRange) -> Vec<DateField> {
    static US_DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\b").unwrap());
    US_DATE
        .captures_iter(&text[line.as_range()])
        .map(|c| {
            let n = |i: usize| c[i].parse::<i16>().ok();
            let ymd = n(3).zip(n(1)).zip(n(2));
            let date = ymd.and_then(|((y, m), d)| Date::new(y, m as i8, d as i8).ok());
            let m = c.get(0).unwrap();
            DateField {
                date,
                range: TextRange::new(line.start + m.start(), line.start + m.end()),
            }
        })
        .collect()
}

/// Indentation in columns, the bullet, and where the text after it starts.
fn line_shape(text: &str, lr: TextRange) -> (usize, Option<Bullet>, usize) {
    let b = text.as_bytes();
    let mut i = lr.start;
    let mut indent = 0;
    while i < lr.end && matches!(b[i], b' ' | b'\t') {
        indent += if b[i] == b'\t' { 4 - indent % 4 } else { 1 };
        i += 1;
    }
    if i < lr.end
        && matches!(b[i], b'*' | b'-' | b'+')
        && (i + 1 == lr.end || matches!(b[i + 1], b' ' | b'\t'))
    {
        let bullet = Bullet {
            marker: b[i] as char,
            range: TextRange::new(i, i + 1),
            indent,
        };
        let rest = text[i + 1..lr.end].trim_start_matches([' ', '\t']);
        return (indent, Some(bullet), lr.end - rest.len());
    }
    (indent, None, i)
}

/// Whether `s` has the shape of an event line after its bullet: a date,
/// then `|`-separated fields holding a link.
pub(super) fn has_event_shape(s: &str) -> bool {
    date_prefix(s).is_some() && s.contains('|') && s.contains("](")
}

/// An event line typed with another marker than a bullet: `#` or `##` (a
/// heading), `>` (a quote) or `1.` (a numbered item), followed by a date.
/// The marker, and where the text after it starts.
fn stray_marker(text: &str, lr: TextRange, at: usize, indent: usize) -> Option<(Bullet, usize)> {
    let s = &text[at..lr.end];
    let marker_len = match s.as_bytes().first()? {
        b'#' => s.bytes().take_while(|&b| b == b'#').count(),
        b'>' => 1,
        b'0'..=b'9' => {
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            (n <= 9 && matches!(s.as_bytes().get(n), Some(b'.' | b')'))).then_some(n + 1)?
        }
        _ => return None,
    };
    let rest = &s[marker_len..];
    let after = rest.trim_start_matches([' ', '\t']);
    let spaced = after.len() < rest.len() || s.starts_with('>');
    (spaced && date_prefix(after).is_some()).then(|| {
        let marker = s[..marker_len].chars().last().unwrap_or('#');
        let range = TextRange::new(at, at + marker_len);
        (
            Bullet {
                marker,
                range,
                indent,
            },
            lr.end - after.len(),
        )
    })
}

/// Splits `range` at `|` characters that are not inside a link.
fn split_fields(
    text: &str,
    range: TextRange,
    links: &[TextRange],
) -> (Vec<TextRange>, Vec<TextRange>) {
    let b = text.as_bytes();
    let mut fields = Vec::new();
    let mut seps = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < range.end {
        if let Some(l) = links.iter().find(|l| l.contains(i)) {
            i = l.end;
            continue;
        }
        if b[i] == b'|' {
            let s = start + text[start..i].trim_end_matches(' ').len();
            let e = range.end - text[i + 1..range.end].trim_start_matches(' ').len();
            fields.push(TextRange::new(start, s));
            seps.push(TextRange::new(s, e));
            start = e;
            i = e;
            continue;
        }
        i += 1;
    }
    fields.push(TextRange::new(start, range.end));
    (fields, seps)
}

fn trim(text: &str, r: TextRange) -> TextRange {
    let s = &text[r.as_range()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    TextRange::new(start, end.max(start))
}

fn event_line(
    text: &str,
    issue: &mut Issue,
    lr: TextRange,
    full: TextRange,
    bullet: Option<Bullet>,
    rest_at: usize,
) -> Event {
    let link_ids = links_within(&issue.links, lr);
    let link_ranges: Vec<TextRange> = link_ids.iter().map(|&i| issue.links[i].range).collect();
    let (fields, separators) = split_fields(text, TextRange::new(rest_at, lr.end), &link_ranges);

    let date_field = trim(text, fields[0]);
    let mut dates = date_fields(text, date_field);
    // `2024-05-14-16` and `2024-05-14 & 05-16`: a second day without a year.
    if let Some(first) = dates.first().copied()
        && dates.len() == 1
        && let Some(d) = first.date
    {
        let tail = &text[first.range.end..date_field.end];
        if let Some((month, day)) = short_second_day(tail) {
            let m = month.map_or(Some(d.month()), |m| m.parse().ok());
            let date = m
                .zip(day.parse().ok())
                .and_then(|(m, day)| Date::new(d.year(), m, day).ok());
            // From the month (or the day) on: the pattern holds a digit.
            let digit = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
            let range = TextRange::new(first.range.end + digit, date_field.end);
            dates.push(DateField { date, range });
        }
    }

    let mut location = None;
    let mut organizer_field = None;
    let mut organizer_garbage = Vec::new();
    let mut organizers = Vec::new();
    if fields.len() >= 2 {
        let loc_field = trim(text, fields[1]);
        let links_in_loc: Vec<usize> = link_ids
            .iter()
            .copied()
            .filter(|&i| loc_field.contains_range(issue.links[i].range))
            .collect();
        let (loc_range, org_range) = match links_in_loc.first() {
            // `| Virtual (Linz, AT) [Rust Linz](...)`: a missing separator.
            Some(&first) if fields.len() == 2 => {
                let l = issue.links[first].range;
                (
                    trim(text, TextRange::new(loc_field.start, l.start)),
                    Some(TextRange::new(l.start, lr.end)),
                )
            }
            _ => (
                loc_field,
                (fields.len() >= 3).then(|| trim(text, TextRange::new(fields[2].start, lr.end))),
            ),
        };
        if !loc_range.is_empty() {
            location = Some(parse_location(text, loc_range));
        }
        if let Some(org) = org_range {
            organizer_field = Some(org);
            let mut at = org.start;
            for &i in &link_ids {
                let l = issue.links[i].range;
                if !org.contains_range(l) {
                    continue;
                }
                push_garbage(text, TextRange::new(at, l.start), &mut organizer_garbage);
                organizers.push(i);
                at = l.end;
            }
            push_garbage(text, TextRange::new(at, org.end), &mut organizer_garbage);
        }
    }
    for &i in &organizers {
        issue.links[i].role = LinkRole::EventOrganizer;
    }
    Event {
        range: full,
        line: lr,
        bullet,
        date_field,
        dates,
        location,
        separators,
        organizer_field,
        organizers,
        organizer_garbage,
        nested: Vec::new(),
    }
}

/// Text between organiser links that is not a joiner (` + `, ` and `, ...).
fn push_garbage(text: &str, r: TextRange, out: &mut Vec<TextRange>) {
    let s = text[r.as_range()].trim();
    let is_joiner = s.is_empty()
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "+" | "and" | "&" | "," | ";" | "|" | "/" | "with" | "x"
        );
    if !is_joiner {
        out.push(trim(text, r));
    }
}

/// Whether a region or location is `Virtual` or its early-2022 name
/// `Online`, in any case.
pub(crate) fn is_virtual(name: &str) -> bool {
    name.eq_ignore_ascii_case("virtual") || name.eq_ignore_ascii_case("online")
}

fn parse_location(text: &str, range: TextRange) -> Location {
    let s = &text[range.as_range()];
    let at = |end: usize| TextRange::new(range.start, range.start + end);
    let (attendance, prefix, inner) = if is_virtual(s) {
        (
            Attendance::Virtual,
            Some(range),
            TextRange::empty(range.start),
        )
    } else if let Some((word, end)) = attendance_prefix(s) {
        let close = s.rfind(')').filter(|&c| c >= end).unwrap_or(s.len());
        let inner = TextRange::new(range.start + end, range.start + close);
        let attendance = if is_virtual(&s[word]) {
            Attendance::Virtual
        } else {
            Attendance::Hybrid
        };
        (attendance, Some(at(end)), inner)
    } else if let Some(start) = hybrid_suffix(s)
        && start > 0
    {
        (Attendance::Hybrid, None, at(start))
    } else {
        (Attendance::InPerson, None, range)
    };
    Location {
        range,
        attendance,
        prefix,
        places: places(text, inner),
    }
}

/// An attendance word before a parenthesised place, `Virtual (Berlin, DE)`,
/// `Hybrid (…)`, `Virtual and in-person (…)`, `In person + virtual (…)`:
/// the word's range and the end of the `(`.
fn attendance_prefix(s: &str) -> Option<(std::ops::Range<usize>, usize)> {
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(virtual|online|hybrid|virtual\s*(?:and|\+|&|/)\s*in[- ]?person|in[- ]?person\s*(?:and|\+|&|/)\s*virtual)\s*\(",
        )
        .unwrap()
    });
    let c = PREFIX.captures(s)?;
    Some((c.get(1)?.range(), c.get(0)?.end()))
}

/// `Berlin, DE + Virtual`, `… / online`, `… & virtual + in-person`: where
/// the hybrid suffix starts (with the blanks before it), if the location
/// ends in one.
fn hybrid_suffix(s: &str) -> Option<usize> {
    static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*(?:\+|&|and|/|-)\s*(?:virtual|online)(?:\s*\+\s*in[- ]person)?\s*$")
            .unwrap()
    });
    Some(SUFFIX.find(s)?.start())
}

fn places(text: &str, inner: TextRange) -> Vec<Place> {
    let mut out = Vec::new();
    let mut start = inner.start;
    let s = &text[inner.as_range()];
    for piece in s.split(';') {
        let r = trim(text, TextRange::new(start, start + piece.len()));
        start += piece.len() + 1;
        if r.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        let mut ps = r.start;
        for part in text[r.as_range()].split(',') {
            parts.push(trim(text, TextRange::new(ps, ps + part.len())));
            ps += part.len() + 1;
        }
        out.push(Place { range: r, parts });
    }
    out
}

/// `- 16`, `& 05-16`, `to 16`: what follows a first date when a second day
/// is written without its year (and maybe without its month): the month
/// and the day, one or two digits each.
fn short_second_day(tail: &str) -> Option<(Option<&str>, &str)> {
    static DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:-|&|,|to)\s*(?:([0-9]{1,2})-)?([0-9]{1,2})$").unwrap()
    });
    let c = DAY.captures(tail)?;
    Some((c.get(1).map(|m| m.as_str()), c.get(2)?.as_str()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn attendance_and_second_days() {
        use super::{attendance_prefix, hybrid_suffix, short_second_day};
        assert_eq!(attendance_prefix("Virtual (Berlin, DE)"), Some((0..7, 9)));
        assert_eq!(
            attendance_prefix("In person + virtual(Oslo, NO)"),
            Some((0..19, 20))
        );
        assert_eq!(attendance_prefix("Virtual Berlin"), None);
        assert_eq!(hybrid_suffix("Berlin, DE + Virtual"), Some(10));
        assert_eq!(hybrid_suffix("Berlin & virtual + in-person "), Some(6));
        assert_eq!(hybrid_suffix("Virtual Berlin"), None);
        assert_eq!(short_second_day(" - 11-02"), Some((Some("11"), "02")));
        assert_eq!(short_second_day(" to 7"), Some((None, "7")));
        assert_eq!(short_second_day(" - 123"), None);
    }
}
