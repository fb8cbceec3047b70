//! The weekly chore of starting a draft, as pure functions: which Wednesday
//! comes next, the template's `$twir_...` variables, and the events list
//! carried over from the previous issue with last week's events dropped.
//!
//! The editors' script copies the previous events list verbatim, which is
//! how stale events reach drafts (the seed draft of 2024-11-06 lists events
//! from 2024-10-30). Here an event is carried over as its block of source
//! lines, byte for byte, only when it has not ended before the new window.

use crate::issue::{Date, Event, add_days, issue_number, parse, with_window_year};

/// What a new draft is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIssue {
    /// The issue number.
    pub number: i64,
    /// The issue date (a Wednesday).
    pub date: Date,
    /// The last day of the events window.
    pub events_end: Date,
    /// The events list (region headings and event blocks), without a
    /// trailing line ending; empty when there is nothing to carry over.
    pub events_list: String,
}

impl NewIssue {
    /// The issue dated `date` with a window of `window_days`; `None` before
    /// 2022-01-05, which the numbering rule does not cover.
    pub fn new(date: Date, window_days: i64, events_list: String) -> Option<NewIssue> {
        Some(NewIssue {
            number: issue_number(date)?,
            date,
            events_end: add_days(date, window_days),
            events_list,
        })
    }

    /// The file name of the issue: `YYYY-MM-DD-this-week-in-rust.md`.
    pub fn file_name(&self) -> String {
        format!("{}-this-week-in-rust.md", self.date)
    }
}

/// The Wednesday 4 to 10 days after `today`: the next issue an editor
/// prepares (a draft started on a Wednesday is next week's).
pub fn next_issue_date(today: Date) -> Date {
    let first = add_days(today, 4);
    // Monday is 1, Wednesday 3, Sunday 7.
    let ahead = (3 - i64::from(first.weekday().to_monday_one_offset())).rem_euclid(7);
    add_days(first, ahead)
}

/// The template with its variables filled in: `$twir_issue_number`,
/// `$twir_issue_date`, `$twir_events_end_date` and `$twir_events_list`,
/// written `$name` or `${name}`. Anything else is left as it is (an unknown
/// `$twir_...` stays for the `placeholder` rule to report).
pub fn fill_template(template: &str, issue: &NewIssue) -> String {
    let ending = crate::source::LineEnding::detect(template).as_str();
    let events = issue.events_list.replace('\n', ending);
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "twir_issue_number" => issue.number.to_string(),
            "twir_issue_date" => issue.date.to_string(),
            "twir_events_end_date" => issue.events_end.to_string(),
            "twir_events_list" => events.clone(),
            _ => return None,
        })
    };
    let mut out = String::with_capacity(template.len() + events.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match value(name).filter(|_| len > 0) {
            Some(v) => {
                out.push_str(&v);
                rest = &after[len..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The events list of `previous` for a window starting on `window_start`:
/// regions in their order, each with its heading as written and the events
/// that have not ended before the window, in their order; a region left
/// without events is dropped. Events with an unreadable date are kept, and
/// so is an event whose year looks mistyped (its date with the window's
/// year falls in the window `window_start..=window_end`), so that `twirl
/// check` can point at it instead of it silently disappearing. Line endings
/// are LF.
pub fn carry_over_events(previous: &str, window_start: Date, window_end: Date) -> CarriedEvents {
    let issue = parse(previous);
    let mut carried = CarriedEvents::default();
    let Some(section) = &issue.events else {
        return carried;
    };
    let keep = |ev: &Event| -> bool {
        let Some(end) = ev.end() else { return true };
        if end >= window_start {
            return true;
        }
        ev.dates
            .iter()
            .filter_map(|f| f.date)
            .any(|d| with_window_year(d, window_start, window_end).is_some())
    };
    let block = |ev: &Event| -> String {
        let mut s = previous[ev.range.as_range()].replace("\r\n", "\n");
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s
    };
    let mut kept = |events: &[Event]| -> String {
        let (kept, dropped): (Vec<&Event>, Vec<&Event>) = events.iter().partition(|e| keep(e));
        carried.carried += kept.len();
        carried.dropped += dropped.len();
        kept.into_iter().map(block).collect()
    };
    let mut groups: Vec<String> = Vec::new();
    let stray = kept(&section.stray);
    if !stray.is_empty() {
        groups.push(stray);
    }
    for region in &section.regions {
        let events = kept(&region.events);
        if events.is_empty() {
            continue;
        }
        let heading = previous[region.heading.as_range()].trim_end();
        groups.push(format!("{heading}\n{events}"));
    }
    carried.list = groups.join("\n").trim_end_matches('\n').to_string();
    carried
}

/// The events list [`carry_over_events`] made, and how many events of the
/// previous issue it carried and dropped (ended before the window).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarriedEvents {
    /// The events list, as Markdown.
    pub list: String,
    /// How many events were carried over.
    pub carried: usize,
    /// How many were dropped.
    pub dropped: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn next_wednesday_is_4_to_10_days_ahead() {
        // 2024-11-06 is a Wednesday.
        assert_eq!(next_issue_date(d("2024-11-06")), d("2024-11-13"));
        assert_eq!(next_issue_date(d("2024-11-01")), d("2024-11-06")); // Friday: +5
        assert_eq!(next_issue_date(d("2024-11-02")), d("2024-11-06")); // Saturday: +4
        assert_eq!(next_issue_date(d("2024-11-03")), d("2024-11-13")); // Sunday: +10
        assert_eq!(next_issue_date(d("2024-11-05")), d("2024-11-13")); // Tuesday: +8
        for offset in 0..14 {
            let today = add_days(d("2024-12-20"), offset);
            let next = next_issue_date(today);
            let ahead = crate::issue::days_between(today, next);
            assert!((4..=10).contains(&ahead), "{today} -> {next}");
            assert_eq!(next.weekday(), jiff::civil::Weekday::Wednesday);
        }
    }

    #[test]
    fn fills_both_variable_forms() {
        let issue = NewIssue::new(d("2024-11-13"), 28, "### Virtual\n* x".into()).unwrap();
        assert_eq!(issue.number, 573);
        assert_eq!(issue.file_name(), "2024-11-13-this-week-in-rust.md");
        let t = "Title: TWiR $twir_issue_number\nDate: ${twir_issue_date}\n\
                 between $twir_issue_date - $twir_events_end_date\n\n$twir_events_list\n\n\
                 $twir_unknown costs $5 $\n";
        assert_eq!(
            fill_template(t, &issue),
            "Title: TWiR 573\nDate: 2024-11-13\nbetween 2024-11-13 - 2024-12-11\n\n\
             ### Virtual\n* x\n\n$twir_unknown costs $5 $\n"
        );
        let crlf = fill_template("a\r\n$twir_events_list\r\n", &issue);
        assert_eq!(crlf, "a\r\n### Virtual\r\n* x\r\n");
    }

    const PREVIOUS: &str = "\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06

## Upcoming Events

Rusty Events between 2024-11-06 - 2024-12-04 🦀

### Virtual
* 2024-11-07 | Virtual | [A](https://a.example/)
    * [**Gone**](https://a.example/1)
* 2024-11-12 - 2024-11-14 | Virtual | [B](https://b.example/)
    * [**Spans the start**](https://b.example/1)
* 2024-11-20 | Virtual | [C](https://c.example/)
    * [**Kept**](https://c.example/1)

### Asia
* 2024-11-08 | Tokyo, JP | [D](https://d.example/)
    * [**Gone too**](https://d.example/1)

### Europe
* 2023-11-27 | Oslo, NO | [E](https://e.example/)
    * [**Year typo**](https://e.example/1)
* 2024-12-01 | Berlin, DE | [F](https://f.example/)
    * [**Kept**](https://f.example/1)

If you are running a Rust event please add it to the [calendar].

## Jobs
";

    #[test]
    fn carries_over_what_has_not_ended() {
        let carried = carry_over_events(PREVIOUS, d("2024-11-13"), d("2024-12-11"));
        let list = carried.list.clone();
        assert_eq!((carried.carried, carried.dropped), (4, 2));
        assert_eq!(
            list,
            "\
### Virtual
* 2024-11-12 - 2024-11-14 | Virtual | [B](https://b.example/)
    * [**Spans the start**](https://b.example/1)
* 2024-11-20 | Virtual | [C](https://c.example/)
    * [**Kept**](https://c.example/1)

### Europe
* 2023-11-27 | Oslo, NO | [E](https://e.example/)
    * [**Year typo**](https://e.example/1)
* 2024-12-01 | Berlin, DE | [F](https://f.example/)
    * [**Kept**](https://f.example/1)"
        );
        let crlf = PREVIOUS.replace('\n', "\r\n");
        assert_eq!(
            carry_over_events(&crlf, d("2024-11-13"), d("2024-12-11")).list,
            list
        );
        let late = carry_over_events(PREVIOUS, d("2025-01-01"), d("2025-01-29"));
        assert_eq!((late.list.as_str(), late.carried, late.dropped), ("", 0, 6));
        assert_eq!(
            carry_over_events("# no events\n", d("2024-11-13"), d("2024-12-11")),
            CarriedEvents::default()
        );
    }

    #[test]
    fn a_malformed_line_loses_no_event_after_it() {
        let previous = PREVIOUS
            .replace("* 2024-11-20 | Virtual", "# 2024-11-20 | Virtual")
            .replace("### Europe", "# Europe");
        let carried = carry_over_events(&previous, d("2024-11-13"), d("2024-12-11"));
        assert_eq!((carried.carried, carried.dropped), (4, 2));
        assert!(
            carried.list.contains("# 2024-11-20 | Virtual"),
            "{}",
            carried.list
        );
        assert!(
            carried.list.contains("\n# Europe\n* 2023-11-27"),
            "{}",
            carried.list
        );
        assert!(
            carried.list.contains("* 2024-12-01 | Berlin, DE"),
            "{}",
            carried.list
        );
    }
}
