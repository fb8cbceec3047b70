use super::prelude::*;
use crate::normalize::is_tracking_param;

#[doc = include_str!("tracking_param.md")]
pub struct TrackingParam;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW403",
    name: "tracking-param",
    summary: "A link carries tracking parameters (utm_*, fbclid, a share id, ...)",
    docs: include_str!("tracking_param.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl TrackingParam {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for link in &cx.issue.links {
            if let Some(d) = check_url(cx.slice(link.url_range), link.url_range.start) {
                out.push(d);
            }
        }
    }
}

/// The query of `url` (between `?` and `#`), relative to the URL.
pub(super) fn query_range(url: &str) -> Option<TextRange> {
    // The first `?` before any `#`; the query ends at the next `#`.
    let b = url.as_bytes();
    let q = memchr::memchr2(b'?', b'#', b)?;
    if b[q] == b'#' {
        return None;
    }
    let end = memchr::memchr(b'#', &b[q..]).map_or(url.len(), |h| q + h);
    Some(TextRange::new(q + 1, end))
}

/// The `&`-separated parts of a query, each relative to the query.
pub(super) fn query_parts(query: &str) -> impl Iterator<Item = TextRange> + '_ {
    let mut at = 0;
    query.split('&').map(move |p| {
        let r = TextRange::new(at, at + p.len());
        at += p.len() + 1;
        r
    })
}

fn check_url(url: &str, base: usize) -> Option<Diagnostic> {
    let q = query_range(url)?;
    let host = url::Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let query = &url[q.as_range()];
    let mut found: Vec<&str> = Vec::new();
    let mut span: Option<TextRange> = None;
    let mut kept: Vec<&str> = Vec::new();
    for part in query_parts(query) {
        let text = &query[part.as_range()];
        let key = text.split('=').next().unwrap_or("");
        if is_tracking_param(&host, key) {
            if !found.contains(&key) {
                found.push(key);
            }
            span = Some(span.map_or(part, |s| s.cover(part)));
        } else if !text.is_empty() {
            kept.push(text);
        }
    }
    let span = span?.offset(base + q.start);
    let names: Vec<String> = found.iter().map(|k| format!("`{k}`")).collect();
    let message = if found.len() == 1 {
        format!("tracking parameter {} in link", names[0])
    } else {
        format!("tracking parameters {} in link", names.join(", "))
    };
    let edit = if kept.is_empty() {
        // Nothing left: drop the `?` too.
        Edit::delete(TextRange::new(q.start - 1, q.end).offset(base))
    } else {
        Edit::replace(q.offset(base), kept.join("&"))
    };
    Some(
        Diagnostic::new(&META, span, message)
            .with_fix(Fix::safe_edit("Strip tracking parameters", edit)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    fn fixed(url: &str) -> Option<(String, String)> {
        let d = check_url(url, 0)?;
        let f = d.fix.unwrap();
        Some((
            apply_edits(url, &f.edits),
            url[d.range.as_range()].to_string(),
        ))
    }

    #[test]
    fn strips_only_tracking_parameters_in_order() {
        assert_eq!(
            fixed("https://e.com/p?utm_source=twir").unwrap().0,
            "https://e.com/p"
        );
        assert_eq!(
            fixed("https://e.com/p/?b=2&utm_medium=x&a=%20&utm_campaign=y#frag").unwrap(),
            (
                "https://e.com/p/?b=2&a=%20#frag".to_string(),
                "utm_medium=x&a=%20&utm_campaign=y".to_string()
            )
        );
        assert_eq!(
            fixed("https://e.com/p?UTM_Content=1&utm_term").unwrap().0,
            "https://e.com/p"
        );
        assert_eq!(fixed("https://e.com/p?utm_referrer=x"), None);
        assert_eq!(
            fixed("https://e.com/p?fbclid=IwAR0&id=3&gclid=x&mc_cid=1&mc_eid=2")
                .unwrap()
                .0,
            "https://e.com/p?id=3"
        );
        assert_eq!(fixed("https://e.com/p#x?utm_source=x"), None);
    }

    #[test]
    fn share_ids_on_youtube_and_spotify_only() {
        for (url, want) in [
            (
                "https://youtu.be/dQw4w9WgXcQ?si=AbC123",
                Some("https://youtu.be/dQw4w9WgXcQ"),
            ),
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=AbC123",
                Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ),
            (
                "https://open.spotify.com/episode/4x?si=9f8e",
                Some("https://open.spotify.com/episode/4x"),
            ),
            ("https://example.com/p?si=1", None),
            ("https://notyoutube.com/p?si=1", None),
        ] {
            assert_eq!(fixed(url).map(|f| f.0), want.map(String::from), "{url}");
        }
    }

    #[test]
    fn finds_links_of_every_kind() {
        let text = "Date: 2024-11-06\n\n## Jobs\n\n[def]: https://e.com/?utm_source=a&utm_source=b\n\
                    <https://e.com/x?utm_medium=m>\n\n`[code](https://e.com/?utm_source=a)`\n";
        let d = crate::rules::testing::diagnostics_on(&META, text, "", None);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "tracking parameter `utm_source` in link");
    }
}
