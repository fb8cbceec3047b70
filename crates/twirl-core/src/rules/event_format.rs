use super::prelude::*;

#[doc = include_str!("event_format.md")]
pub struct EventFormat;

static META: RuleMeta = RuleMeta {
    code: "TW201",
    name: "event-format",
    summary: "An event line breaks the event-line grammar",
    docs: include_str!("event_format.md"),
    group: Group::EventFormat,
    default_severity: Severity::Error,
    draft_severity: None,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl Rule for EventFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.is_modern() {
            return;
        }
        for ev in cx.issue.all_events() {
            check_event(cx, ev, out);
        }
    }
}

fn trailing_ws(cx: &CheckContext<'_>, line: TextRange, out: &mut Vec<Diagnostic>) {
    let s = cx.slice(line);
    let trimmed = s.trim_end_matches([' ', '\t']).len();
    if trimmed < s.len() {
        let r = TextRange::new(line.start + trimmed, line.end);
        out.push(
            Diagnostic::new(&META, r, "trailing whitespace on an event line").with_fix(Fix::safe(
                "Remove trailing whitespace",
                vec![Edit::delete(r)],
            )),
        );
    }
}

fn check_event(cx: &CheckContext<'_>, ev: &Event, out: &mut Vec<Diagnostic>) {
    trailing_ws(cx, ev.line, out);
    if let Some(b) = ev.bullet {
        let after = TextRange::new(b.range.end, ev.date_field.start);
        if cx.slice(after) != " " && after.end > after.start {
            out.push(
                Diagnostic::new(&META, after, "the bullet should be followed by one space")
                    .with_fix(Fix::safe(
                        "Use one space after the bullet",
                        vec![Edit::replace(after, " ")],
                    )),
            );
        }
    }
    // Text after the dates in the date field: a missing separator.
    let mut date_has_tail = false;
    if let Some(last) = ev.dates.last() {
        let rest = TextRange::new(last.range.end, ev.date_field.end);
        let tail = cx.slice(rest).trim();
        if !tail.is_empty()
            && !DATE_JOINER
                .is_match(cx.slice(TextRange::new(ev.dates[0].range.end, ev.date_field.end)))
        {
            date_has_tail = true;
            out.push(Diagnostic::new(
                &META,
                rest,
                "missing `|` between the date and the location",
            ));
        }
    } else {
        out.push(Diagnostic::new(
            &META,
            ev.date_field,
            "the event's date does not parse",
        ));
    }
    for f in &ev.dates {
        if f.date.is_none() {
            out.push(Diagnostic::new(
                &META,
                f.range,
                format!("`{}` is not a date", cx.slice(f.range)),
            ));
        }
    }
    for sep in &ev.separators {
        let s = cx.slice(*sep);
        if s != " | " {
            out.push(
                Diagnostic::new(&META, *sep, "fields should be separated by ` | `").with_fix(
                    Fix::safe("Use ` | ` between fields", vec![Edit::replace(*sep, " | ")]),
                ),
            );
        }
    }
    match (&ev.location, ev.organizer_field) {
        // The location ran into the date field: reported above.
        (None, _) if date_has_tail => {}
        (None, _) => out.push(Diagnostic::new(
            &META,
            ev.line,
            "the event has no location field",
        )),
        (Some(_), None) => out.push(Diagnostic::new(
            &META,
            ev.line,
            "the event has no organiser field",
        )),
        (Some(loc), Some(org)) => {
            if ev.separators.len() < 2 {
                out.push(Diagnostic::new(
                    &META,
                    TextRange::new(loc.range.end, org.start),
                    "missing `|` between the location and the organiser",
                ));
            }
            if let Some(p) = loc.prefix {
                let s = cx.slice(p);
                let word_end = s
                    .find(|c: char| c == '(' || c.is_whitespace())
                    .unwrap_or(s.len());
                let canonical = format!("{} (", s[..word_end].trim_end());
                if s.ends_with('(')
                    && s.trim_end_matches('(').trim_end() == s[..word_end].trim_end()
                    && s != canonical
                {
                    out.push(
                        Diagnostic::new(
                            &META,
                            p,
                            format!("write `{canonical}` with one space before the parenthesis"),
                        )
                        .with_fix(Fix::safe(
                            "Fix the spacing of the location",
                            vec![Edit::replace(p, canonical)],
                        )),
                    );
                }
                // `Virtual( Kampala, UG)`: spaces inside the parenthesis.
                if s.ends_with('(') {
                    let inner = &cx.text[p.end..loc.range.end];
                    let lead = inner.len() - inner.trim_start().len();
                    if lead > 0 {
                        let r = TextRange::new(p.end, p.end + lead);
                        out.push(
                            Diagnostic::new(
                                &META,
                                r,
                                "space after the opening parenthesis of the location",
                            )
                            .with_fix(Fix::safe("Remove the space", vec![Edit::delete(r)])),
                        );
                    }
                }
            }
            if ev.organizers.is_empty() {
                out.push(Diagnostic::new(
                    &META,
                    org,
                    "the organiser is not a `[Name](url)` link",
                ));
            }
            for &o in &ev.organizers {
                let link = &cx.issue.links[o];
                if link.text(cx.text).trim().is_empty() {
                    out.push(Diagnostic::new(
                        &META,
                        link.range,
                        "the organiser link has no name",
                    ));
                }
            }
            // With no link at all, the field was reported whole above.
            for g in ev
                .organizer_garbage
                .iter()
                .filter(|_| !ev.organizers.is_empty())
            {
                out.push(Diagnostic::new(
                    &META,
                    *g,
                    format!("malformed organiser link: `{}`", cx.slice(*g)),
                ));
            }
        }
    }
    if ev.nested.is_empty() {
        out.push(Diagnostic::new(
            &META,
            ev.line,
            "the event has no nested `[**Title**](url)` line",
        ));
    }
    for n in &ev.nested {
        trailing_ws(cx, n.range, out);
        if n.indent > 0 && n.indent != 4 && n.bullet.is_some() && !cx.slice(n.range).contains('\t')
        {
            let r = TextRange::new(n.range.start, n.range.start + n.indent);
            out.push(
                Diagnostic::new(
                    &META,
                    r,
                    format!(
                        "nested event line indented by {} spaces instead of 4",
                        n.indent
                    ),
                )
                .with_fix(Fix::safe(
                    "Indent by four spaces",
                    vec![Edit::replace(r, "    ")],
                )),
            );
        }
        if n.titles.is_empty() {
            out.push(Diagnostic::new(
                &META,
                n.range,
                "the nested line has no `[**Title**](url)` link",
            ));
        }
        for &t in &n.titles {
            let link = &cx.issue.links[t];
            let text = link.text(cx.text).trim();
            let inner = text.strip_prefix("**").and_then(|s| s.strip_suffix("**"));
            match inner {
                Some(i) if i.trim().is_empty() => {
                    out.push(Diagnostic::new(
                        &META,
                        link.text_range,
                        "the event title is empty",
                    ));
                }
                Some(_) => {}
                None => out.push(
                    Diagnostic::new(&META, link.text_range, "the event title is not bold")
                        .with_fix(Fix::unsafe_(
                            "Make the title bold",
                            vec![Edit::replace(
                                link.text_range,
                                format!("**{}**", text.trim_matches('*')),
                            )],
                        )),
                ),
            }
            if link.url(cx.text).trim().is_empty() {
                out.push(Diagnostic::new(
                    &META,
                    link.range,
                    "the event title link has no URL",
                ));
            }
        }
    }
}

/// Date fields with several dates: `A - B`, `A & B`, `A, B`, `A-DD`.
static DATE_JOINER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\s*(?:(?:-|&|,|to|and)\s*(?:[0-9]{4}-)?(?:[0-9]{1,2}-)?[0-9]{1,2}\s*)+$")
        .unwrap()
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{ISSUE_572, findings, fixed};

    #[test]
    fn accepted_variants_are_clean() {
        let text = format!(
            "{ISSUE_572}### Virtual\n\
             * 2024-11-12 | Virtual (Lyon, FR) | [A](https://e.org/a/) + [B](https://e.org/b/)\n    * [**T**](https://e.org/a/1) | [**U**](https://e.org/b/1)\n\
             * 2024-11-14 - 2024-11-16 | Virtual and In-Person (Seattle, WA, US) | [S](https://e.org/s/) and [R](https://e.org/r/)\n    * [**Three days**](https://e.org/s/1)\n\
             * 2024-11-20 & 11-21 | Oslo, NO; Bergen, NO | [N](https://e.org/n/)\n    * [**Twin**](https://e.org/n/1)\n"
        );
        assert!(
            findings(&META, &text).is_empty(),
            "{:?}",
            findings(&META, &text)
        );
    }

    #[test]
    fn spacing_mistakes_are_fixed_safely() {
        let text = format!(
            "{ISSUE_572}### Virtual\n* 2024-11-12 | Virtual( Lyon, FR)|[L](https://e.org/l/)  \n  * [**T**](https://e.org/l/1)\n"
        );
        let f = findings(&META, &text);
        assert_eq!(f.len(), 5, "{f:?}");
        let out = fixed(&META, &text, Applicability::Safe);
        assert!(out.ends_with("* 2024-11-12 | Virtual (Lyon, FR) | [L](https://e.org/l/)\n    * [**T**](https://e.org/l/1)\n"), "{out}");
    }

    #[test]
    fn structural_mistakes_are_reported() {
        let text = format!(
            "{ISSUE_572}### Europe\n\
             * 2024-11-13 Virtual (Oslo, NO) | [O](https://e.org/o/)\n    * [**O**](https://e.org/o/1)\n\
             * 2024-11-14 | Berlin, DE | [B](https://e.org/b/)](https://e.org/b/)\n    * [****](https://e.org/b/1)\n\
             * 2024-11-15 | Paris, FR | [](https://e.org/p/)\n\
             * 2024-11-16 | Rome, IT | Rust Roma\n    * [Roma]()\n"
        );
        let msgs: Vec<String> = findings(&META, &text).into_iter().map(|f| f.1).collect();
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
            assert!(
                msgs.iter().any(|m| m == want),
                "missing {want:?} in {msgs:#?}"
            );
        }
    }
}
