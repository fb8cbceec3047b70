//! The entries a merge takes, and an issue's events handed out again:
//! Markdown in the issue's own event format (what the Meetup collector
//! prints and what editors paste), and the collector's JSON shape (serde
//! derives; the callers read and write the JSON itself).

use crate::iso3166;
use crate::issue::{Attendance, Date, Event, Issue, parse, parse_date};
use crate::text::TextRange;

/// One entry of a NEW file: an event line and its nested lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// Where it was read, for the summary: `new.md:12`, `events.json: Europe #3`.
    pub origin: String,
    /// The region NEW files it under; `None`: the one its location implies.
    pub region: Option<String>,
    /// The lines in the issue's format, LF line ends, ending in one.
    pub text: String,
    /// The collector marked it as a possible duplicate.
    pub flagged_duplicate: bool,
}

/// A NEW that is not what twirl can read: the file, the line and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct InputError {
    /// The file, as named to the merge.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What a bare list of entries is read inside of, so that twirl's own
/// events parser reads it.
pub(super) const WRAP: &str = "## Upcoming Events\n\n";

/// The entries of a Markdown NEW named `file`: an issue (its events
/// section), or entries under `### Region` or `### Region:` headings, or
/// entries alone. In the last two forms every line must be an entry, a
/// region heading, the window line, a comment or blank: anything else is
/// an error that names its line, so nothing of NEW is passed over.
pub fn read_markdown(file: &str, text: &str) -> Result<Vec<NewEntry>, InputError> {
    let text = text.replace("\r\n", "\n");
    let whole = parse(&text);
    let (doc, issue, wrapped) = if whole.events.is_some() {
        (text, whole, false)
    } else {
        let doc = format!("{WRAP}{text}");
        let issue = parse(&doc);
        (doc, issue, true)
    };
    let skipped_lines = if wrapped {
        WRAP.matches('\n').count()
    } else {
        0
    };
    let line_of = |offset: usize| issue.line_index.line_of(offset) + 1 - skipped_lines;
    let events = issue
        .events
        .as_ref()
        .expect("an events section, or wrapped in one");
    if wrapped {
        let mut known: Vec<TextRange> = events.regions.iter().map(|r| r.heading).collect();
        known.extend(events.window.as_ref().map(|w| w.range));
        known.extend(issue.all_events().map(|e| e.range));
        known.extend(issue.comments.iter().copied());
        let mut at = WRAP.len();
        for line in doc[WRAP.len()..].split_inclusive('\n') {
            let start = at;
            at += line.len();
            if line.trim().is_empty() || known.iter().any(|r| r.start <= start && start < r.end) {
                continue;
            }
            return Err(InputError {
                file: file.to_string(),
                line: line_of(start),
                message: "neither an event entry nor a `### Region` heading".to_string(),
            });
        }
    }
    let entry = |ev: &Event, region: Option<&str>| {
        let mut text = doc[ev.range.as_range()].to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        NewEntry {
            origin: format!("{file}:{}", line_of(ev.line.start)),
            region: region.map(|r| r.trim().trim_end_matches(':').trim_end().to_string()),
            text,
            flagged_duplicate: false,
        }
    };
    let mut out: Vec<NewEntry> = events.stray.iter().map(|e| entry(e, None)).collect();
    for r in &events.regions {
        out.extend(r.events.iter().map(|e| entry(e, Some(&r.name))));
    }
    Ok(out)
}

/// An event in the shape of the Meetup collector's JSON output
/// (`{"<Region>": [{"name", "location", "date", "url", "virtual",
/// "organizerName", "organizerUrl", "duplicate"}]}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectorEvent {
    /// The event's title.
    pub name: String,
    /// `City, ST, CC`, without a `Virtual (...)` around it.
    pub location: String,
    /// `YYYY-MM-DD`, or an ISO date-time whose date is taken.
    pub date: String,
    /// The last day of an event of several days (twirl's addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// The event's page.
    pub url: String,
    /// Whether the event is online only.
    #[serde(rename = "virtual", default)]
    pub is_virtual: bool,
    /// The organising group.
    pub organizer_name: String,
    /// The group's page.
    pub organizer_url: String,
    /// Whether the collector already saw the event elsewhere.
    #[serde(default)]
    pub duplicate: bool,
}

impl CollectorEvent {
    /// The entry in the issue's format, filed under Virtual when the event
    /// is virtual, else under the region of its location's country code,
    /// else under `region` (the key the collector filed it under).
    pub fn to_entry(&self, origin: String, region: &str) -> Result<NewEntry, String> {
        let start = day(&self.date)?;
        let mut date = start.to_string();
        if let Some(end) = self.end_date.as_deref().map(day).transpose()? {
            if end < start {
                return Err(format!("ends on {end}, before it starts on {start}"));
            }
            if end > start {
                date.push_str(&format!(" - {end}"));
            }
        }
        let place = one_line(&self.location);
        let location = if !self.is_virtual || place.to_ascii_lowercase().starts_with("virtual") {
            place.clone()
        } else if place.is_empty() {
            "Virtual".to_string()
        } else {
            format!("Virtual ({place})")
        };
        let fields = [
            ("location", &location),
            ("organizerName", &self.organizer_name),
            ("organizerUrl", &self.organizer_url),
            ("name", &self.name),
            ("url", &self.url),
        ];
        if let Some((field, _)) = fields.iter().find(|(_, v)| v.trim().is_empty()) {
            return Err(format!("`{field}` is empty"));
        }
        let region = if self.is_virtual {
            "Virtual".to_string()
        } else {
            country_region(&place)
                .map(str::to_string)
                .or_else(|| (!region.trim().is_empty()).then(|| region.trim().to_string()))
                .ok_or_else(|| format!("no region for the location `{place}`"))?
        };
        let text = format!(
            "* {date} | {location} | [{}]({})\n    * [**{}**]({})\n",
            link_text(&self.organizer_name),
            link_url(&self.organizer_url),
            link_text(&self.name),
            link_url(&self.url),
        );
        Ok(NewEntry {
            origin,
            region: Some(region),
            text,
            flagged_duplicate: self.duplicate,
        })
    }

    /// An issue's event in the collector's shape: its first organiser and
    /// its first title (entries with more need the Markdown form to be
    /// given back whole).
    pub fn of_event(text: &str, issue: &Issue, ev: &Event) -> CollectorEvent {
        let slice = |r: TextRange| text[r.as_range()].to_string();
        let (location, is_virtual) = match &ev.location {
            Some(loc) if loc.attendance == Attendance::Virtual => {
                let inner = match loc.prefix {
                    Some(p) if p != loc.range => text[p.end..loc.range.end]
                        .trim()
                        .trim_end_matches(')')
                        .trim_end()
                        .to_string(),
                    _ => String::new(),
                };
                (inner, true)
            }
            Some(loc) => (slice(loc.range), false),
            None => (String::new(), false),
        };
        let organizer = ev.organizers.first().map(|&i| &issue.links[i]);
        let title = ev
            .nested
            .iter()
            .flat_map(|n| &n.titles)
            .next()
            .map(|&i| &issue.links[i]);
        let end = ev.end().filter(|&e| Some(e) != ev.start());
        CollectorEvent {
            name: title.map_or_else(String::new, |l| {
                l.text(text)
                    .trim()
                    .trim_start_matches(['*', '_'])
                    .trim_end_matches(['*', '_'])
                    .trim()
                    .to_string()
            }),
            location,
            date: ev
                .start()
                .map_or_else(|| slice(ev.date_field), |d| d.to_string()),
            end_date: end.map(|d| d.to_string()),
            url: title.map_or_else(String::new, |l| l.url(text).to_string()),
            is_virtual,
            organizer_name: organizer.map_or_else(
                || ev.organizer_field.map_or_else(String::new, slice),
                |l| l.text(text).to_string(),
            ),
            organizer_url: organizer.map_or_else(String::new, |l| l.url(text).to_string()),
            duplicate: false,
        }
    }
}

/// The events of an issue by region, in the collector's shape (events
/// before the first region heading under `""`).
pub fn list(text: &str, issue: &Issue) -> Vec<(String, Vec<CollectorEvent>)> {
    let Some(events) = &issue.events else {
        return Vec::new();
    };
    let of = |evs: &[Event]| -> Vec<CollectorEvent> {
        evs.iter()
            .map(|e| CollectorEvent::of_event(text, issue, e))
            .collect()
    };
    let mut out = Vec::new();
    if !events.stray.is_empty() {
        out.push((String::new(), of(&events.stray)));
    }
    for r in &events.regions {
        let mut listed = of(&r.events);
        // What is listed under Virtual is virtual (early 2022 issues gave
        // only the city there).
        if crate::issue::is_virtual(r.name.trim()) {
            listed.iter_mut().for_each(|e| e.is_virtual = true);
        }
        out.push((r.name.trim().to_string(), listed));
    }
    out
}

/// The events region of a place's country code (`Berlin, DE`: Europe).
pub(super) fn country_region(place: &str) -> Option<&'static str> {
    let code = place
        .rsplit(',')
        .next()?
        .trim()
        .trim_end_matches(')')
        .trim();
    iso3166::region_of(&code.to_ascii_uppercase())
}

/// The date of `YYYY-MM-DD` or of an ISO date-time (`2025-01-16T19:00+01:00`).
fn day(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let date = s.split(['T', ' ']).next().unwrap_or(s);
    parse_date(date).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD or an ISO date-time)"))
}

/// White space of any kind, runs of it included, made one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link's text: one line, and brackets that do not pair up escaped so
/// the link stays one link.
fn link_text(s: &str) -> String {
    let s = one_line(s);
    let mut depth = 0i32;
    let balanced = s.chars().all(|c| {
        depth += match c {
            '[' => 1,
            ']' => -1,
            _ => 0,
        };
        depth >= 0
    }) && depth == 0;
    if balanced {
        s
    } else {
        s.replace('[', "\\[").replace(']', "\\]")
    }
}

/// A link's destination: white space percent-encoded, as a destination
/// cannot hold it.
fn link_url(s: &str) -> String {
    s.trim().replace(' ', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_under_headings_with_and_without_colons() {
        let new = "### Virtual:\n\n* 2024-11-20 | Virtual (Cardiff, UK) | [Cardiff](https://c.example/)\n    * [**Book club**](https://c.example/1)\n\n### Europe\n* 2024-11-21 | Madrid, ES | [MadRust](https://m.example/)\n    * [**Taller**](https://m.example/1)\n";
        let entries = read_markdown("new.md", new).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].region.as_deref(), Some("Virtual"));
        assert_eq!(entries[0].origin, "new.md:3");
        assert!(entries[0].text.starts_with("* 2024-11-20"));
        assert!(entries[0].text.ends_with("(https://c.example/1)\n"));
        assert_eq!(entries[1].region.as_deref(), Some("Europe"));
        assert_eq!(entries[1].origin, "new.md:7");
        let crlf = read_markdown("new.md", &new.replace('\n', "\r\n")).unwrap();
        assert_eq!(crlf, entries);
    }

    #[test]
    fn markdown_without_headings_and_from_a_whole_issue() {
        let one = "* 2024-11-21 | Madrid, ES | [MadRust](https://m.example/)\n    * [**Taller**](https://m.example/1)\n";
        let entries = read_markdown("-", one).unwrap();
        assert_eq!(entries[0].region, None);
        assert_eq!(entries[0].origin, "-:1");
        let issue = format!(
            "Title: x\n\n## Upcoming Events\n\nRusty Events between 2024-11-13 - 2024-12-11 🦀\n\n### Europe\n{one}\nIf you are running a Rust event please add it.\n\n## Jobs\n\nText.\n"
        );
        let entries = read_markdown("issue.md", &issue).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].origin, "issue.md:8");
        assert_eq!(entries[0].text, one);
    }

    #[test]
    fn a_line_that_is_no_entry_names_its_line() {
        let new = "### Europe\n* 2024-11-21 | Madrid, ES | [MadRust](https://m.example/)\n    * [**Taller**](https://m.example/1)\n\nSee you there!\n";
        let err = read_markdown("new.md", new).unwrap_err();
        assert_eq!(err.line, 5);
        assert_eq!(
            err.to_string(),
            "new.md:5: neither an event entry nor a `### Region` heading"
        );
        assert!(read_markdown("x", "{\"Europe\": []}").is_err());
        assert_eq!(read_markdown("x", "\n<!-- none -->\n").unwrap(), vec![]);
    }

    fn cardiff() -> CollectorEvent {
        CollectorEvent {
            name: "Book  club [Chapter 12".into(),
            location: "Cardiff, UK".into(),
            date: "2024-11-20T19:00+00:00".into(),
            end_date: None,
            url: "https://c.example/events/1".into(),
            is_virtual: true,
            organizer_name: "Rust and C++ Cardiff".into(),
            organizer_url: "https://c.example/".into(),
            duplicate: false,
        }
    }

    #[test]
    fn collector_events_in_the_issue_format() {
        let e = cardiff().to_entry("j:1".into(), "Europe").unwrap();
        assert_eq!(e.region.as_deref(), Some("Virtual"));
        assert_eq!(
            e.text,
            "* 2024-11-20 | Virtual (Cardiff, UK) | [Rust and C++ Cardiff](https://c.example/)\n    * [**Book club \\[Chapter 12**](https://c.example/events/1)\n"
        );
        let mut in_person = cardiff();
        in_person.is_virtual = false;
        in_person.location = "Austin, TX, US".into();
        in_person.end_date = Some("2024-11-22".into());
        let e = in_person.to_entry("j:2".into(), "Europe").unwrap();
        assert_eq!(e.region.as_deref(), Some("North America"));
        assert!(
            e.text
                .starts_with("* 2024-11-20 - 2024-11-22 | Austin, TX, US | ")
        );
        in_person.location = "Somewhere".into();
        let e = in_person.to_entry("j:3".into(), "Europe").unwrap();
        assert_eq!(e.region.as_deref(), Some("Europe"));
        assert!(in_person.to_entry("j:3".into(), "").is_err());
        in_person.date = "20.11.2024".into();
        let err = in_person.to_entry("j:4".into(), "Europe").unwrap_err();
        assert!(err.contains("not a date"), "{err}");
        in_person.date = "2024-11-20".into();
        in_person.url = " ".into();
        assert_eq!(
            in_person.to_entry("j:4".into(), "Europe").unwrap_err(),
            "`url` is empty"
        );
    }

    #[test]
    fn an_issue_event_round_trips_through_the_collector_shape() {
        let entries = [
            "* 2024-11-20 | Virtual (Cardiff, UK) | [Rust and C++ Cardiff](https://c.example/)\n    * [**Book club**](https://c.example/events/1)\n",
            "* 2024-11-09 - 2024-11-11 | Florence, IT | [Rust Lab](https://rustlab.it/)\n    * [**Rust Lab 2024**](https://rustlab.it/schedule)\n",
            "* 2024-11-12 | Virtual | [Online](https://o.example/)\n    * [**Talk**](https://o.example/1)\n",
        ];
        for entry in entries {
            let doc = format!("{WRAP}### Europe\n{entry}");
            let issue = parse(&doc);
            let listed = list(&doc, &issue);
            assert_eq!(listed.len(), 1);
            let back = listed[0].1[0].to_entry("x".into(), "Europe").unwrap();
            assert_eq!(back.text, entry);
        }
    }
}
