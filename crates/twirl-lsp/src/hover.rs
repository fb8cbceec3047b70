//! Hover: on a date, its weekday, its distance from the issue date and
//! whether it falls in the events window; on a link, its normalised form
//! and where else it appears; on a finding, its rule.

use twirl_core::issue::{Date, DateField, add_days, days_between, weekday_name};
use twirl_core::normalize::normalize_url;
use twirl_core::{CheckContext, Diagnostic, TextRange};

use crate::convert;

/// What the hover says, in Markdown, and the range it is about.
pub struct HoverText {
    pub markdown: String,
    pub range: TextRange,
}

fn days(n: i64) -> String {
    format!("{} day{}", n.abs(), if n.abs() == 1 { "" } else { "s" })
}

fn date_line(cx: &CheckContext<'_>, d: Date) -> String {
    let weekday = format!("**{d}** is a {}", weekday_name(d));
    let Some(issue) = cx.issue_date() else {
        return weekday;
    };
    match days_between(issue, d) {
        0 => format!("{weekday}, the issue date"),
        n if n > 0 => format!("{weekday}, {} after the issue date ({issue})", days(n)),
        n => format!("{weekday}, {} before the issue date ({issue})", days(n)),
    }
}

fn window_line(cx: &CheckContext<'_>, d: Date) -> Option<String> {
    let start = cx.issue_date()?;
    let end = add_days(start, cx.settings.window_days);
    Some(if d < start {
        format!(
            "Outside the events window ({start} to {end}): {} before it starts",
            days(days_between(d, start))
        )
    } else if d > end {
        format!(
            "Outside the events window ({start} to {end}): {} after it ends",
            days(days_between(end, d))
        )
    } else {
        format!("Inside the events window ({start} to {end})")
    })
}

/// Every date field of the issue, with whether it is an event's.
fn dates(cx: &CheckContext<'_>) -> Vec<(DateField, bool)> {
    let mut out = Vec::new();
    for e in cx.issue.all_events() {
        out.extend(e.dates.iter().map(|d| (*d, true)));
    }
    if let Some(w) = cx.issue.events.as_ref().and_then(|e| e.window.as_ref()) {
        out.extend(w.start.iter().chain(&w.end).map(|d| (*d, false)));
    }
    for c in &cx.issue.cfp_events {
        out.extend(c.closes.iter().chain(&c.event_dates).map(|d| (*d, false)));
    }
    if let Some(m) = &cx.issue.merged {
        out.extend(m.start.iter().chain(&m.end).map(|d| (*d, false)));
    }
    out
}

fn on_date(cx: &CheckContext<'_>, offset: usize) -> Option<HoverText> {
    let (field, is_event) = dates(cx)
        .into_iter()
        .find(|(f, _)| f.range.contains(offset) || f.range.end == offset)?;
    let date = field.date?;
    let mut lines = vec![date_line(cx, date)];
    if is_event && let Some(w) = window_line(cx, date) {
        lines.push(w);
    }
    Some(HoverText {
        markdown: lines.join("\n\n"),
        range: field.range,
    })
}

fn on_link(cx: &CheckContext<'_>, offset: usize) -> Option<HoverText> {
    let link = cx
        .issue
        .links
        .iter()
        .filter(|l| l.range.contains(offset))
        .min_by_key(|l| l.range.len())?;
    let Some(key) = normalize_url(link.url(cx.text)) else {
        return Some(HoverText {
            markdown: format!(
                "`{}` is not an http(s) link: not compared with others",
                link.url(cx.text).trim()
            ),
            range: link.range,
        });
    };
    let mut lines = vec![format!("Normalised: `{key}`")];
    let others: Vec<String> = cx
        .issue
        .links
        .iter()
        .filter(|l| l.range != link.range && normalize_url(l.url(cx.text)).as_deref() == Some(&key))
        .map(|l| {
            let line = cx.issue.line_index.line_of(l.range.start) + 1;
            let title = l.text(cx.text).trim();
            if title.is_empty() {
                format!("- line {line}")
            } else {
                format!("- line {line}: {title}")
            }
        })
        .collect();
    if others.is_empty() {
        lines.push("Appears nowhere else in this issue".to_string());
    } else {
        lines.push(format!("Also in this issue:\n{}", others.join("\n")));
    }
    if let (Some(index), Some(date)) = (cx.index, cx.issue_date())
        && let Some((prev, _)) = index.find(&key, date, cx.settings.lookback)
    {
        let name = std::path::Path::new(&prev.path)
            .file_name()
            .map_or(prev.path.clone(), |n| n.to_string_lossy().into_owned());
        lines.push(format!("Already in a recent issue: {name} ({})", prev.date));
    }
    Some(HoverText {
        markdown: lines.join("\n\n"),
        range: link.range,
    })
}

/// The hover at `offset`, if there is anything to say there; `diagnostics`
/// are the findings published for the text.
pub fn hover(
    cx: &CheckContext<'_>,
    offset: usize,
    diagnostics: &[Diagnostic],
) -> Option<HoverText> {
    let mut found = on_date(cx, offset).or_else(|| on_link(cx, offset));
    let mut rules: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.range.contains(offset) || (d.range.is_empty() && d.range.start == offset))
        .map(|d| {
            let docs = convert::rule_url(d.rule.name)
                .map(|url| format!(" ([docs]({url}))"))
                .unwrap_or_default();
            let mut md = format!(
                "`{}` ({}): {}{docs}",
                d.rule.name, d.rule.code, d.rule.summary
            );
            if let Some(r) = &d.renders {
                md.push_str(&format!(
                    "\n\n- On the site (what readers get): {}\n- In the preview (CommonMark, what you see on GitHub): {}",
                    r.site, r.preview
                ));
            }
            md
        })
        .collect();
    if rules.is_empty() {
        return found;
    }
    rules.dedup();
    let block = rules.join("\n\n");
    match &mut found {
        Some(h) => {
            h.markdown.push_str("\n\n---\n\n");
            h.markdown.push_str(&block);
        }
        None => {
            let range = diagnostics
                .iter()
                .find(|d| d.range.contains(offset))
                .map_or(TextRange::empty(offset), |d| d.range);
            found = Some(HoverText {
                markdown: block,
                range,
            })
        }
    }
    found
}
