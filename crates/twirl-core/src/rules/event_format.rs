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
    if let Some(last) = ev.dates.last() {
        let rest = TextRange::new(last.range.end, ev.date_field.end);
        let tail = cx.slice(rest).trim();
        if !tail.is_empty()
            && !DATE_JOINER
                .is_match(cx.slice(TextRange::new(ev.dates[0].range.end, ev.date_field.end)))
        {
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
                if link.text.trim().is_empty() {
                    out.push(Diagnostic::new(
                        &META,
                        link.range,
                        "the organiser link has no name",
                    ));
                }
            }
            for g in &ev.organizer_garbage {
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
            let text = link.text.trim();
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
            if link.url.trim().is_empty() {
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
    regex::Regex::new(r"^\s*(?:(?:-|&|,|to|and)\s*(?:\d{4}-)?(?:\d{1,2}-)?\d{1,2}\s*)+$").unwrap()
});
