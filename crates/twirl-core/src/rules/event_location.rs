use super::prelude::*;

#[doc = include_str!("event_location.md")]
pub struct EventLocation;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW202",
    name: "event-location",
    summary: "An event location has an unknown country or state code, or disagrees with its region",
    docs: include_str!("event_location.md"),
    group: Group::EventFormat,
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

/// Countries whose places TWiR writes as `City, ST, CC`, with `ST` an
/// ISO 3166-2 subdivision code.
const STATE_COUNTRIES: &[&str] = &["US", "CA", "AU"];

impl EventLocation {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        for ev in &events.stray {
            check_event(cx, ev, None, out);
        }
        for r in &events.regions {
            for ev in &r.events {
                check_event(cx, ev, Some(r), out);
            }
        }
    }
}

/// What a location says about attendance, reading through prefixes the
/// parser does not know (`Hybrid - Virtual and In-person (...)`).
fn attendance(cx: &CheckContext<'_>, loc: &Location) -> Attendance {
    let says = |word: &str| {
        cx.slice(loc.range)
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    match loc.attendance {
        Attendance::InPerson if ["virtual", "online", "hybrid"].into_iter().any(says) => {
            Attendance::Hybrid
        }
        a => a,
    }
}

fn check_event(
    cx: &CheckContext<'_>,
    ev: &Event,
    region: Option<&Region>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(loc) = &ev.location else { return };
    let attend = attendance(cx, loc);
    if let Some(region) = region {
        let name = region.name.as_str();
        let known = cx
            .settings
            .regions
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
            || is_virtual(name);
        // Early 2022 issues listed virtual events by city alone under
        // `Virtual`/`Online`: a city alone is a mistake only where most of
        // the region uses the `Virtual (...)` style.
        let prefixed_style = || {
            let prefixed = region
                .events
                .iter()
                .filter_map(|e| e.location.as_ref())
                .filter(|l| attendance(cx, l) != Attendance::InPerson)
                .count();
            2 * prefixed > region.events.len()
        };
        match attend {
            Attendance::InPerson if is_virtual(name) && prefixed_style() => {
                out.push(Diagnostic::new(
                    &META,
                    loc.range,
                    format!("in-person event listed under `{name}`"),
                ))
            }
            Attendance::Virtual if known && !is_virtual(name) => out.push(Diagnostic::new(
                &META,
                loc.prefix.unwrap_or(loc.range),
                format!("virtual event listed under `{name}` instead of `Virtual`"),
            )),
            _ => {}
        }
    }
    for place in &loc.places {
        check_place(cx, place, attend, out);
    }
}

fn check_place(
    cx: &CheckContext<'_>,
    place: &Place,
    attend: Attendance,
    out: &mut Vec<Diagnostic>,
) {
    // Parts, without the brackets of a prefix the parser did not split off.
    let parts: Vec<TextRange> = place
        .parts
        .iter()
        .map(|&p| {
            let s = cx.slice(p);
            let start = s.rfind('(').map_or(0, |i| i + 1);
            let end = s.trim_end_matches(')').len().max(start);
            let inner = &s[start..end];
            let lead = inner.len() - inner.trim_start().len();
            TextRange::new(
                p.start + start + lead,
                p.start + start + inner.trim_end().len(),
            )
        })
        .collect();
    let Some(&country_range) = parts.last() else {
        return;
    };
    if parts.len() < 2 {
        // `Virtual (Europe / Africa)`, `Virtual (IL)`: a virtual event need
        // not name a city.
        if attend == Attendance::InPerson {
            out.push(Diagnostic::new(
                &META,
                place.range,
                format!("location `{}` has no country code", cx.slice(place.range)),
            ));
        }
        return;
    }
    let country = cx.slice(country_range);
    let Some(code) = check_country(country, country_range, out) else {
        return;
    };
    if parts.len() == 3 && STATE_COUNTRIES.contains(&code.as_str()) {
        let state_range = parts[1];
        let state = cx.slice(state_range);
        let upper = state.to_ascii_uppercase();
        let exists = |s: &str| crate::iso3166::is_subdivision(&format!("{code}-{s}"));
        if exists(state) {
            return;
        }
        out.push(if exists(&upper) {
            Diagnostic::new(
                &META,
                state_range,
                format!("state code `{state}` is not upper case"),
            )
            .with_fix(Fix::safe_edit(
                format!("Write `{upper}`"),
                Edit::replace(state_range, upper.clone()),
            ))
        } else {
            Diagnostic::new(
                &META,
                state_range,
                format!("`{state}` is not a state or province code of {code}"),
            )
        });
    }
}

/// Checks a country code; returns it upper-cased when it is usable for
/// further checks.
fn check_country(country: &str, range: TextRange, out: &mut Vec<Diagnostic>) -> Option<String> {
    let upper = country.to_ascii_uppercase();
    let is_alpha2 = |c: &str| c == "UK" || crate::iso3166::is_alpha2(c);
    if country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()) {
        if !is_alpha2(&upper) {
            let state_of = STATE_COUNTRIES
                .iter()
                .find(|c| crate::iso3166::is_subdivision(&format!("{c}-{upper}")));
            let message = match state_of {
                Some(c) => format!("`{country}` is a state code of {c}, not a country code"),
                None => format!("`{country}` is not an ISO 3166-1 alpha-2 country code"),
            };
            out.push(Diagnostic::new(&META, range, message));
            return None;
        }
        if upper != country {
            out.push(
                Diagnostic::new(
                    &META,
                    range,
                    format!("country code `{country}` is not upper case"),
                )
                .with_fix(Fix::safe_edit(
                    format!("Write `{upper}`"),
                    Edit::replace(range, upper.clone()),
                )),
            );
        }
        return Some(upper);
    }
    // `MN US`: a comma lost between state and country.
    if let Some((a, b)) = country.split_once(' ')
        && a.len() == 2
        && b.len() == 2
        && a.bytes().chain(b.bytes()).all(|x| x.is_ascii_uppercase())
        && is_alpha2(b)
    {
        out.push(
            Diagnostic::new(
                &META,
                range,
                format!("`{country}` lacks the comma between state and country code"),
            )
            .with_fix(Fix::unsafe_edit(
                format!("Write `{a}, {b}`"),
                Edit::replace(range, format!("{a}, {b}")),
            )),
        );
        return None;
    }
    let suggestion = crate::iso3166::alpha2_of_alpha3(&upper).or_else(|| {
        crate::iso3166::alpha2_of_name(|name| {
            let name = name.split([',', '(']).next().unwrap_or(name).trim();
            name.eq_ignore_ascii_case(country)
        })
    });
    let message = format!("`{country}` is not an ISO 3166-1 alpha-2 country code");
    out.push(match suggestion {
        Some(s) => Diagnostic::new(&META, range, format!("{message} (use `{s}`)")).with_fix(
            Fix::unsafe_edit(format!("Write `{s}`"), Edit::replace(range, s)),
        ),
        None => Diagnostic::new(&META, range, message),
    });
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Vec<(String, String)> {
        let text = format!(
            "Date: 2024-11-06\n\n## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04 🦀\n\n{body}\n"
        );
        crate::rules::testing::diagnostics(&META, &text)
            .into_iter()
            .map(|d| (text[d.range.as_range()].to_string(), d.message))
            .collect()
    }

    fn ev(date: &str, loc: &str) -> String {
        format!(
            "* {date} | {loc} | [Org](https://example.com/o)\n    * [**T**](https://example.com/t)\n"
        )
    }

    #[test]
    fn accepted_style_is_clean() {
        let body = format!(
            "### Virtual\n{}{}\n### Europe\n{}{}{}\n### North America\n{}{}\n### Oceania\n{}",
            ev("2024-11-07", "Virtual (Dallas, TX, US)"),
            ev("2024-11-08", "Virtual and In-Person (Berlin, DE)"),
            ev("2024-11-09", "London, UK"),
            ev("2024-11-10", "Munich, DE + Virtual"),
            ev("2024-11-11", "Paris, FR; Lyon, FR"),
            ev("2024-11-12", "Toronto, ON, CA"),
            ev("2024-11-13", "Washington, DC, US"),
            ev("2024-11-14", "Brisbane, QLD, AU"),
        );
        assert_eq!(run(&body), []);
    }

    #[test]
    fn bad_codes() {
        let body = format!(
            "### Europe\n{}{}{}{}\n### North America\n{}{}\n### Oceania\n{}",
            ev("2024-11-09", "Copenhagen, Dk"),
            ev("2024-11-10", "Tel Aviv, Israel"),
            ev("2024-11-11", "Nowhere, XX"),
            ev("2024-11-11", "Oslo"),
            ev("2024-11-12", "Minneapolis, MN US"),
            ev("2024-11-13", "Austin, TZ, US"),
            ev("2024-11-14", "Brisbane, QL, AUS"),
        );
        let msgs: Vec<String> = run(&body).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            msgs,
            [
                "country code `Dk` is not upper case",
                "`Israel` is not an ISO 3166-1 alpha-2 country code (use `IL`)",
                "`XX` is not an ISO 3166-1 alpha-2 country code",
                "location `Oslo` has no country code",
                "`MN US` lacks the comma between state and country code",
                "`TZ` is not a state or province code of US",
                "`AUS` is not an ISO 3166-1 alpha-2 country code (use `AU`)",
            ]
        );
    }

    #[test]
    fn region_mismatch() {
        let body = format!(
            "### Virtual\n{}{}{}\n### Europe\n{}",
            ev("2024-11-07", "Virtual (Oslo, NO)"),
            ev("2024-11-08", "Virtual and In-Person (Oslo, NO)"),
            ev("2024-11-09", "Berlin, DE"),
            ev("2024-11-10", "Virtual (Berlin, DE)"),
        );
        let d = run(&body);
        assert_eq!(
            d,
            [
                (
                    "Berlin, DE".into(),
                    "in-person event listed under `Virtual`".into()
                ),
                (
                    "Virtual (".into(),
                    "virtual event listed under `Europe` instead of `Virtual`".into()
                ),
            ]
        );
    }

    #[test]
    fn old_style_and_unparsed_hybrid_prefixes() {
        // Early 2022: cities alone under `Online`.
        let body = format!(
            "### Online\n{}{}{}\n### North America\n{}",
            ev("2024-11-08", "Oslo, NO"),
            ev("2024-11-09", "Berlin, DE"),
            ev("2024-11-11", "Virtual (Buffalo, NY)"),
            ev(
                "2024-11-10",
                "Hybrid - Virtual and In-person (Vancouver, BC, CA)"
            ),
        );
        let d = run(&body);
        assert_eq!(
            d,
            [(
                "NY".into(),
                "`NY` is a state code of US, not a country code".into()
            )]
        );
    }

    #[test]
    fn state_case() {
        let body = format!("### Oceania\n{}", ev("2024-11-08", "Canberra, ACt, AU"));
        assert_eq!(
            run(&body),
            [("ACt".into(), "state code `ACt` is not upper case".into())]
        );
    }
}
