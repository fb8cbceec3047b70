use super::prelude::*;

#[doc = include_str!("event_format.md")]
pub struct EventFormat;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW201",
    name: "event-format",
    summary: "An event line or region heading breaks the events-section grammar",
    docs: include_str!("event_format.md"),
    group: Group::EventFormat,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl EventFormat {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        if !cx.is_modern() {
            return;
        }
        for region in &events.regions {
            region_heading(cx, region, out);
        }
        for ev in cx.issue.all_events() {
            bullet(cx, ev, out);
            trailing_ws(cx, ev.line, out);
            let date_has_tail = dates(cx, ev, out);
            separators(cx, ev, out);
            fields(ev, date_has_tail, out);
            if let Some(loc) = &ev.location {
                location_spacing(cx, loc, out);
            }
            organizers(cx, ev, out);
            if ev.nested.is_empty() {
                out.push(error(
                    ev.line,
                    "the event has no nested `[**Title**](url)` line",
                ));
            }
            for n in &ev.nested {
                nested_line(cx, n, out);
            }
        }
    }
}

/// A finding readers see: the line renders wrong or lacks something.
fn error(range: TextRange, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&META, range, message)
}

/// A finding about style that renders the same.
fn warning(range: TextRange, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&META, range, message).with_severity(Severity::Warning)
}

/// `## Europe` or `#### Europe` in the events section: a region heading
/// is `###`.
fn region_heading(cx: &CheckContext<'_>, region: &Region, out: &mut Vec<Diagnostic>) {
    let line = cx.slice(region.heading);
    let indent = line.len() - line.trim_start_matches(' ').len();
    let hashes = line[indent..].bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || (hashes == 3 && indent == 0) {
        return;
    }
    let marks = TextRange::new(region.heading.start, region.heading.start + indent + hashes);
    let name = region.name.trim();
    out.push(
        error(
            marks,
            format!(
                "the region heading `{}` should be `### {name}`: the site shows it at another level than the other regions",
                line.trim(),
            ),
        )
        .with_fix(Fix::safe_edit(
            "Make it a `###` region heading",
            Edit::replace(marks, "###"),
        )),
    );
}

/// Whether every field of the event line parsed: a fix that changes only
/// its marker keeps an event that is surely one.
fn parses_cleanly(ev: &Event) -> bool {
    !ev.dates.is_empty()
        && ev.dates.iter().all(|d| d.date.is_some())
        && ev.location.is_some()
        && ev.separators.len() >= 2
        && !ev.organizers.is_empty()
        && ev.organizer_garbage.is_empty()
}

/// The event line's `* ` bullet: missing, or another marker.
fn bullet(cx: &CheckContext<'_>, ev: &Event, out: &mut Vec<Diagnostic>) {
    let applicability = if parses_cleanly(ev) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let Some(b) = ev.bullet else {
        out.push(
            error(
                ev.date_field,
                "the event line has no `* ` bullet: the site runs it into the event above",
            )
            .with_fix(Fix::new(
                "Add the `* ` bullet",
                applicability,
                vec![Edit::insert(ev.date_field.start, "* ")],
            )),
        );
        return;
    };
    let marker = cx.slice(b.range);
    let to_star = TextRange::new(b.range.start, ev.date_field.start);
    let what = match b.marker {
        '*' => {
            let after = TextRange::new(b.range.end, ev.date_field.start);
            if cx.slice(after) != " " {
                out.push(
                    warning(after, "the bullet should be followed by one space").with_fix(
                        Fix::safe_edit("Use one space after the bullet", Edit::replace(after, " ")),
                    ),
                );
            }
            return;
        }
        '-' | '+' => {
            out.push(
                warning(
                    b.range,
                    format!("the event line's bullet is `{marker}`, the others' `*`"),
                )
                .with_fix(Fix::safe_edit(
                    "Use `*` as the bullet",
                    Edit::replace(b.range, "*"),
                )),
            );
            return;
        }
        '#' => "a heading",
        '>' => "a quote",
        _ => "a numbered item",
    };
    out.push(
        error(
            b.range,
            format!(
                "the event line starts with `{marker}`: the site shows it as {what}, not an event"
            ),
        )
        .with_fix(Fix::new(
            "Make it a `* ` event line",
            applicability,
            vec![Edit::replace(to_star, "* ")],
        )),
    );
}

/// Trailing blanks: the page looks the same.
fn trailing_ws(cx: &CheckContext<'_>, line: TextRange, out: &mut Vec<Diagnostic>) {
    let s = cx.slice(line);
    let trimmed = s.trim_end_matches([' ', '\t']).len();
    if trimmed < s.len() {
        let r = TextRange::new(line.start + trimmed, line.end);
        out.push(
            warning(r, "trailing whitespace on an event line").with_fix(Fix::safe_edit(
                "Remove trailing whitespace",
                Edit::delete(r),
            )),
        );
    }
}

/// The date field: dates that do not parse, how they are joined, and text
/// after them (a missing separator). Returns whether there was such text.
fn dates(cx: &CheckContext<'_>, ev: &Event, out: &mut Vec<Diagnostic>) -> bool {
    let Some(last) = ev.dates.last() else {
        out.push(error(ev.date_field, "the event's date does not parse"));
        return false;
    };
    for f in &ev.dates {
        if f.date.is_none() {
            out.push(error(
                f.range,
                format!("`{}` is not a date", cx.slice(f.range)),
            ));
        }
    }
    for pair in ev.dates.windows(2) {
        range_joiner(cx, pair[0], pair[1], out);
    }
    let rest = TextRange::new(last.range.end, ev.date_field.end);
    let all = TextRange::new(ev.dates[0].range.end, ev.date_field.end);
    if !cx.slice(rest).trim().is_empty() && !DATE_JOINER.is_match(cx.slice(all)) {
        out.push(error(rest, "missing `|` between the date and the location"));
        return true;
    }
    false
}

/// Two full dates joined by something else than ` - ` (or a joiner of
/// separate days: `&`, `,`, `and`).
fn range_joiner(cx: &CheckContext<'_>, a: DateField, b: DateField, out: &mut Vec<Diagnostic>) {
    let between = TextRange::new(a.range.end, b.range.start);
    let s = cx.slice(between);
    let joiner = s.trim();
    if s == " - " || matches!(joiner, "&" | "," | "and" | "to") || cx.slice(b.range).len() < 10 {
        return;
    }
    let (message, applicability) = if joiner == "-" {
        (
            "write ` - ` between the dates of a range".to_string(),
            Applicability::Safe,
        )
    } else {
        (
            format!("the dates are joined by `{joiner}`: write ` - ` for a range"),
            Applicability::Unsafe,
        )
    };
    out.push(warning(between, message).with_fix(Fix::new(
        "Join the dates with ` - `",
        applicability,
        vec![Edit::replace(between, " - ")],
    )));
}

/// Separators with other spacing than ` | `: the page looks alike.
fn separators(cx: &CheckContext<'_>, ev: &Event, out: &mut Vec<Diagnostic>) {
    for &sep in &ev.separators {
        if cx.slice(sep) != " | " {
            out.push(
                warning(sep, "fields should be separated by ` | `").with_fix(Fix::safe_edit(
                    "Use ` | ` between fields",
                    Edit::replace(sep, " | "),
                )),
            );
        }
    }
}

/// The location and organiser fields, and the separator between them.
fn fields(ev: &Event, date_has_tail: bool, out: &mut Vec<Diagnostic>) {
    match (&ev.location, ev.organizer_field) {
        // The location ran into the date field: reported there.
        (None, _) if date_has_tail => {}
        (None, _) => out.push(error(ev.line, "the event has no location field")),
        (Some(_), None) => out.push(error(ev.line, "the event has no organiser field")),
        (Some(loc), Some(org)) if ev.separators.len() < 2 => out.push(error(
            TextRange::new(loc.range.end, org.start),
            "missing `|` between the location and the organiser",
        )),
        _ => {}
    }
}

/// `Virtual(Lyon, FR)` and `Virtual ( Lyon, FR)`: spacing only.
fn location_spacing(cx: &CheckContext<'_>, loc: &Location, out: &mut Vec<Diagnostic>) {
    let Some(p) = loc.prefix else {
        return;
    };
    let s = cx.slice(p);
    if !s.ends_with('(') {
        return;
    }
    let word_end = s
        .find(|c: char| c == '(' || c.is_whitespace())
        .unwrap_or(s.len());
    let canonical = format!("{} (", s[..word_end].trim_end());
    if s.trim_end_matches('(').trim_end() == s[..word_end].trim_end() && s != canonical {
        out.push(
            warning(
                p,
                format!("write `{canonical}` with one space before the parenthesis"),
            )
            .with_fix(Fix::safe_edit(
                "Fix the spacing of the location",
                Edit::replace(p, canonical),
            )),
        );
    }
    let inner = &cx.text[p.end..loc.range.end];
    let lead = inner.len() - inner.trim_start().len();
    if lead > 0 {
        let r = TextRange::new(p.end, p.end + lead);
        out.push(
            warning(r, "space after the opening parenthesis of the location")
                .with_fix(Fix::safe_edit("Remove the space", Edit::delete(r))),
        );
    }
}

/// The organiser field holds `[Name](url)` links and joiners only.
fn organizers(cx: &CheckContext<'_>, ev: &Event, out: &mut Vec<Diagnostic>) {
    let Some(org) = ev.organizer_field else {
        return;
    };
    if ev.location.is_none() {
        return;
    }
    if ev.organizers.is_empty() {
        out.push(error(org, "the organiser is not a `[Name](url)` link"));
        // The field was reported whole.
        return;
    }
    for &o in &ev.organizers {
        let link = &cx.issue.links[o];
        if link.text(cx.text).trim().is_empty() {
            out.push(error(link.range, "the organiser link has no name"));
        }
    }
    for &g in &ev.organizer_garbage {
        out.push(error(
            g,
            format!("malformed organiser link: `{}`", cx.slice(g)),
        ));
    }
}

/// A nested title line: its bullet, its indentation and its title links.
fn nested_line(cx: &CheckContext<'_>, n: &NestedLine, out: &mut Vec<Diagnostic>) {
    trailing_ws(cx, n.range, out);
    nested_bullet(cx, n, out);
    if n.titles.is_empty() {
        out.push(error(
            n.range,
            "the nested line has no `[**Title**](url)` link",
        ));
    }
    // The first link is the title; links after it (`| [Live Stream](url)`)
    // may be plain.
    for (i, &t) in n.titles.iter().enumerate() {
        let link = &cx.issue.links[t];
        let text = link.text(cx.text).trim();
        match text.strip_prefix("**").and_then(|s| s.strip_suffix("**")) {
            Some(inner) if inner.trim().is_empty() => {
                out.push(error(link.text_range, "the event title is empty"));
            }
            Some(_) => {}
            None if i == 0 => out.push(
                error(link.text_range, "the event title is not bold").with_fix(Fix::unsafe_edit(
                    "Make the title bold",
                    Edit::replace(link.text_range, format!("**{}**", text.trim_matches('*'))),
                )),
            ),
            None => {}
        }
        if link.url(cx.text).trim().is_empty() {
            out.push(error(link.range, "the event title link has no URL"));
        }
    }
}

/// The title line's `* ` bullet, four spaces in. Python-Markdown, which
/// renders the site, nests a line indented by four to seven columns; less
/// makes it an item of its own, eight or more makes it text of the event.
fn nested_bullet(cx: &CheckContext<'_>, n: &NestedLine, out: &mut Vec<Diagnostic>) {
    let line = cx.slice(n.range);
    let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
    let text_at = n.range.start + ws;
    let Some(b) = n.bullet else {
        let first = line[ws..].chars().next();
        // `*[**Title**](url)`: a bullet without its space.
        if let Some(m) = first.filter(|c| matches!(c, '*' | '-' | '+'))
            && !line[ws..].starts_with("**")
        {
            out.push(
                error(
                    TextRange::new(text_at, text_at + 1),
                    format!("the title line's bullet `{m}` is not followed by a space: the site shows it as text"),
                )
                .with_fix(Fix::safe_edit(
                    "Insert a space after the bullet",
                    Edit::insert(text_at + 1, " "),
                )),
            );
            return;
        }
        out.push(
            error(
                TextRange::new(text_at, n.range.end),
                "the title line has no `* ` bullet: the site runs it into the event line",
            )
            .with_fix(Fix::safe_edit(
                "Add the indented `* ` bullet",
                Edit::replace(TextRange::new(n.range.start, text_at), "    * "),
            )),
        );
        return;
    };
    if b.marker != '*' {
        out.push(
            warning(
                b.range,
                format!("the title line's bullet is `{}`, the others' `*`", b.marker),
            )
            .with_fix(Fix::safe_edit(
                "Use `*` as the bullet",
                Edit::replace(b.range, "*"),
            )),
        );
    }
    let indent = TextRange::new(n.range.start, text_at);
    let spaces = n.indent;
    let d = match spaces {
        4 => return,
        0 => error(
            b.range,
            "the title line is not indented: the site shows it as an event of its own",
        ),
        1..=3 => error(
            indent,
            format!(
                "the title line is indented by {spaces} spaces: the site shows it beside its event, not under it"
            ),
        ),
        5..=7 => warning(
            indent,
            format!(
                "the title line is indented by {spaces} spaces instead of 4 (the site still nests it)"
            ),
        ),
        _ => error(
            indent,
            format!(
                "the title line is indented by {spaces} spaces: the site shows its `*` as text"
            ),
        ),
    };
    let title = if spaces == 0 {
        "Indent the title line by four spaces"
    } else {
        "Indent by four spaces"
    };
    out.push(d.with_fix(Fix::safe_edit(title, Edit::replace(indent, "    "))));
}

/// Date fields with several dates: `A - B`, `A & B`, `A, B`, `A-DD`.
static DATE_JOINER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^\s*(?:(?:-|&|,|to|and|\*)\s*(?:[0-9]{4}-)?(?:[0-9]{1,2}-)?[0-9]{1,2}\s*)+$",
    )
    .unwrap()
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, diagnostics, findings, fixed};

    /// Each finding as (the text it points at, severity, fix applicability).
    fn found(text: &str) -> Vec<(String, Severity, Option<Applicability>)> {
        diagnostics(&META, text)
            .into_iter()
            .map(|d| {
                let at = text[d.range.as_range()].to_string();
                (at, d.severity, d.fix.map(|f| f.applicability))
            })
            .collect()
    }

    #[test]
    fn accepted_variants_are_clean() {
        let text = format!(
            "{ISSUE_572}### Virtual\n\
             * 2024-11-12 | Virtual (Lyon, FR) | [A](https://e.org/a/) + [B](https://e.org/b/)\n    * [**T**](https://e.org/a/1) | [**U**](https://e.org/b/1)\n\
             * 2024-11-14 - 2024-11-16 | Virtual and In-Person (Seattle, WA, US) | [S](https://e.org/s/) and [R](https://e.org/r/)\n    * [**Three days**](https://e.org/s/1)\n\
             * 2024-11-20 & 11-21 | Oslo, NO; Bergen, NO | [N](https://e.org/n/)\n    * [**Twin**](https://e.org/n/1)\n\
             * 2024-11-22 | Boston, MA, US | [B](https://e.org/bo/)\n    * [**[FREE] Boston (with parens)**](https://e.org/bo/1) | [Live Stream](https://e.org/bo/live)\n"
        );
        assert_eq!(findings(&META, &text), []);
    }

    #[test]
    fn spacing_is_a_warning_fixed_safely() {
        let text = format!(
            "{ISSUE_572}### Virtual\n* 2024-11-12 | Virtual( Lyon, FR)|[L](https://e.org/l/)  \n     * [**T**](https://e.org/l/1)\n"
        );
        let f = found(&text);
        assert_eq!(f.len(), 5, "{f:?}");
        assert!(
            f.iter()
                .all(|(_, s, fix)| *s == Severity::Warning && *fix == Some(Applicability::Safe)),
            "{f:?}"
        );
        assert!(
            fixed(&META, &text, Applicability::Safe).ends_with(
                "* 2024-11-12 | Virtual (Lyon, FR) | [L](https://e.org/l/)\n    * [**T**](https://e.org/l/1)\n"
            )
        );
    }

    #[test]
    fn structural_mistakes_are_errors() {
        let text = format!(
            "{ISSUE_572}### Europe\n\
             * 2024-11-13 Virtual (Oslo, NO) | [O](https://e.org/o/)\n    * [**O**](https://e.org/o/1)\n\
             * 2024-11-14 | Berlin, DE | [B](https://e.org/b/)](https://e.org/b/)\n    * [****](https://e.org/b/1)\n\
             * 2024-11-15 | Paris, FR | [](https://e.org/p/)\n\
             * 2024-11-16 | Rome, IT | Rust Roma\n    * [Roma]()\n"
        );
        let d = diagnostics(&META, &text);
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        for want in [
            "missing `|` between the date and the location",
            "malformed organiser link: `](https://e.org/b/)`",
            "the event title is empty",
            "the organiser link has no name",
            "the event has no nested `[**Title**](url)` line",
            "the organiser is not a `[Name](url)` link",
            "the event title is not bold",
            "the event title link has no URL",
        ] {
            assert!(msgs.contains(&want), "missing {want:?} in {msgs:#?}");
        }
        assert!(d.iter().all(|d| d.severity == Severity::Error), "{d:#?}");
    }

    #[test]
    fn a_line_typed_with_another_marker_is_an_event_line() {
        let event = |marker: &str, day: u8| {
            format!(
                "{marker}2024-11-{day} | Oslo, NO | [O{day}](https://e.org/{day}/)\n    * [**T**](https://e.org/{day}/1)\n"
            )
        };
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}{}{}{}{}{}",
            event("* ", 10),
            event("# ", 11),
            event("## ", 12),
            event("> ", 13),
            event("1. ", 14),
            event("", 15),
            event("+ ", 16),
            event("* ", 17),
        );
        assert_eq!(
            found(&text),
            [
                ("#".into(), Severity::Error, Some(Applicability::Safe)),
                ("##".into(), Severity::Error, Some(Applicability::Safe)),
                (">".into(), Severity::Error, Some(Applicability::Safe)),
                ("1.".into(), Severity::Error, Some(Applicability::Safe)),
                (
                    "2024-11-15".into(),
                    Severity::Error,
                    Some(Applicability::Safe)
                ),
                ("+".into(), Severity::Warning, Some(Applicability::Safe)),
            ]
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert_eq!(out.matches("\n* 2024-11-").count(), 8, "{out}");
        // Only the marker changes when the rest does not parse.
        let broken =
            format!("{ISSUE_572}### Europe\n# 2024-11-11 | Oslo, NO | O](https://e.org/o/)\n");
        assert_eq!(found(&broken)[0].2, Some(Applicability::Unsafe));
    }

    #[test]
    fn region_headings_of_another_level() {
        let text = format!(
            "{ISSUE_572}## Europe\n* 2024-11-10 | Oslo, NO | [O](https://e.org/o/)\n    * [**T**](https://e.org/o/1)\n\
             #### North America\n* 2024-11-11 | Boston, MA, US | [B](https://e.org/b/)\n    * [**T**](https://e.org/b/1)\n\n## Jobs\n"
        );
        assert_eq!(
            findings(&META, &text),
            [
                (
                    "##".into(),
                    "the region heading `## Europe` should be `### Europe`: the site shows it at another level than the other regions".into()
                ),
                (
                    "####".into(),
                    "the region heading `#### North America` should be `### North America`: the site shows it at another level than the other regions".into()
                ),
            ]
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert!(
            out.contains("\n### Europe\n") && out.contains("\n### North America\n"),
            "{out}"
        );
    }

    #[test]
    fn nested_indentation_follows_what_the_site_nests() {
        let event = |indent: usize, day: u8| {
            format!(
                "* 2024-11-{day} | Oslo, NO | [O{day}](https://e.org/{day}/)\n{}* [**T**](https://e.org/{day}/1)\n",
                " ".repeat(indent)
            )
        };
        let text = format!(
            "{ISSUE_572}### Europe\n{}{}{}{}{}{}",
            event(0, 10),
            event(2, 11),
            event(4, 12),
            event(5, 13),
            event(7, 14),
            event(8, 15),
        );
        let severities: Vec<Severity> = found(&text).into_iter().map(|f| f.1).collect();
        assert_eq!(
            severities,
            [
                Severity::Error,
                Severity::Error,
                Severity::Warning,
                Severity::Warning,
                Severity::Error
            ]
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert_eq!(out.matches("\n    * [**T**]").count(), 6, "{out}");
    }

    #[test]
    fn date_range_joiners() {
        let text = format!(
            "{ISSUE_572}### Europe\n\
             * 2024-11-10 * 2024-11-12 | Oslo, NO | [O](https://e.org/o/)\n    * [**T**](https://e.org/o/1)\n\
             * 2024-11-13-2024-11-14 | Oslo, NO | [P](https://e.org/p/)\n    * [**T**](https://e.org/p/1)\n"
        );
        assert_eq!(
            found(&text),
            [
                (" * ".into(), Severity::Warning, Some(Applicability::Unsafe)),
                ("-".into(), Severity::Warning, Some(Applicability::Safe)),
            ]
        );
        let events = crate::issue::parse(&text).events.unwrap();
        assert_eq!(events.regions[0].events[0].dates.len(), 2);
    }
}
