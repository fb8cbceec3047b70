use super::prelude::*;
use super::tracking_param::{query_parts, query_range};

#[doc = include_str!("link_simplify.md")]
pub struct LinkSimplify;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW405",
    name: "link-simplify",
    summary: "A link can be written simpler without changing where it goes",
    docs: include_str!("link_simplify.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl LinkSimplify {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for link in &cx.issue.links {
            let url = cx.slice(link.url_range);
            if !plainly_simple(url) {
                check_url(url, link.url_range.start, out);
            }
        }
    }
}

/// Whether [`check_url`] has nothing to find in `url`, judged in one pass
/// over its bytes: no `?` (so no query), no `#` at its end, and no `//`
/// but one right after a `:`. Most links pass, and are spared its scans.
fn plainly_simple(url: &str) -> bool {
    let b = url.as_bytes();
    if b.len() < 3 {
        return !b.contains(&b'?') && b != b"//" && b.last() != Some(&b'#');
    }
    if b[..2].contains(&b'?') || b[..2] == *b"//" || b[b.len() - 1] == b'#' {
        return false;
    }
    // Over every byte from the third on, with the two before it, without
    // branching: the compiler turns this into vector code.
    let (before, prev, this) = (&b[..b.len() - 2], &b[1..b.len() - 1], &b[2..]);
    !before
        .iter()
        .zip(prev)
        .zip(this)
        .fold(false, |found, ((&x, &y), &z)| {
            found | (z == b'?') | ((z == b'/') & (y == b'/') & (x != b':'))
        })
}

/// Where the path of an `http(s)://host/path` URL starts, relative to it.
fn path_start(url: &str) -> Option<usize> {
    // The scheme ends at the first `:`; a URL whose first `:` starts no
    // `://` has no http(s) scheme either.
    let colon = memchr::memchr(b':', url.as_bytes())?;
    if !url[colon..].starts_with("://") {
        return None;
    }
    let scheme = &url[..colon];
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let host = colon + 3;
    let host_len =
        memchr::memchr3(b'/', b'?', b'#', &url.as_bytes()[host..]).unwrap_or(url.len() - host);
    (host_len > 0).then_some(host + host_len)
}

fn check_url(url: &str, base: usize, out: &mut Vec<Diagnostic>) {
    let Some(path) = path_start(url) else {
        return;
    };
    let path_end =
        memchr::memchr2(b'?', b'#', &url.as_bytes()[path..]).map_or(url.len(), |i| path + i);
    let p = url.as_bytes();
    // Doubled slashes, except the `//` of a URL embedded in the path
    // (`https://web.archive.org/web/2024/https://example.com/`).
    let mut i = path;
    while let Some(n) = memchr::memchr(b'/', &p[i..path_end]) {
        i += n;
        let run = p[i..path_end].iter().take_while(|&&b| b == b'/').count();
        if run > 1 && (i == 0 || p[i - 1] != b':') {
            let r = TextRange::new(base + i, base + i + run);
            out.push(
                Diagnostic::new(&META, r, "doubled slash in the link's path").with_fix(
                    Fix::safe_edit(
                        "Collapse the slashes",
                        Edit::replace(TextRange::new(r.start + 1, r.end), ""),
                    ),
                ),
            );
        }
        i += run;
    }
    if let Some(q) = query_range(url) {
        let query = &url[q.as_range()];
        if query.is_empty() {
            let r = TextRange::new(base + q.start - 1, base + q.start);
            out.push(
                Diagnostic::new(&META, r, "empty query in link")
                    .with_fix(Fix::safe_edit("Remove the `?`", Edit::delete(r))),
            );
        } else {
            // Empty parts between `&`s (leading, trailing, doubled) carry
            // nothing; keys without a value do and stay.
            if query_parts(query).any(|r| r.is_empty()) {
                let parts: Vec<TextRange> = query_parts(query).collect();
                let kept: Vec<&str> = parts
                    .iter()
                    .filter(|r| !r.is_empty())
                    .map(|r| &query[r.as_range()])
                    .collect();
                let r = q.offset(base);
                let edit = if kept.is_empty() {
                    Edit::delete(TextRange::new(r.start - 1, r.end))
                } else {
                    Edit::replace(r, kept.join("&"))
                };
                out.push(
                    Diagnostic::new(&META, r, "stray `&` in the link's query")
                        .with_fix(Fix::safe_edit("Remove the stray `&`", edit)),
                );
            }
        }
    }
    if url.ends_with('#') && url[..url.len() - 1].find('#').is_none() {
        let r = TextRange::new(base + url.len() - 1, base + url.len());
        out.push(
            Diagnostic::new(&META, r, "empty fragment in link")
                .with_fix(Fix::safe_edit("Remove the `#`", Edit::delete(r))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    fn simplified(url: &str) -> (Vec<String>, String) {
        let mut out = Vec::new();
        check_url(url, 0, &mut out);
        let edits: Vec<Edit> = out
            .iter()
            .flat_map(|d| d.fix.as_ref().unwrap().edits.clone())
            .collect();
        (
            out.iter().map(|d| d.message.clone()).collect(),
            apply_edits(url, &edits),
        )
    }

    #[test]
    fn simplifies_without_changing_the_target() {
        assert_eq!(simplified("https://e.com//a///b/").1, "https://e.com/a/b/");
        assert_eq!(simplified("https://e.com/a?").1, "https://e.com/a");
        assert_eq!(simplified("https://e.com/a?#x").1, "https://e.com/a#x");
        assert_eq!(simplified("https://e.com/a?x=1&").1, "https://e.com/a?x=1");
        assert_eq!(
            simplified("https://e.com/a?&x&&y=2").1,
            "https://e.com/a?x&y=2"
        );
        assert_eq!(simplified("https://e.com/a?&").1, "https://e.com/a");
        assert_eq!(simplified("https://e.com/a/#").1, "https://e.com/a/");
    }

    #[test]
    fn plainly_simple_urls() {
        for yes in [
            "https://e.com/a/b",
            "https://e.com",
            "mailto:a@b.c",
            "https://e.com/a#b",
            "",
            "a",
            "/a",
        ] {
            assert!(plainly_simple(yes), "{yes}");
        }
        for no in [
            "https://e.com//a",
            "//e.com",
            "https://e.com/?",
            "https://e.com/#",
            "a:///b",
            "?",
            "a?",
            "//",
            "#",
        ] {
            assert!(!plainly_simple(no), "{no}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// What the shortcut lets through, the full check passes too.
        #[test]
        fn plainly_simple_urls_have_nothing_to_simplify(
            head in "(https?://|HTTP://|https:/|mailto:|)",
            parts in proptest::collection::vec("(/|//|:|\\?|#|&|=|[a-z]{1,3})", 0..8),
        ) {
            let url = format!("{head}{}", parts.concat());
            if plainly_simple(&url) {
                let mut out = Vec::new();
                check_url(&url, 0, &mut out);
                proptest::prop_assert!(out.is_empty(), "{:?}: {:?}", url, out);
            }
        }
    }

    #[test]
    fn leaves_what_could_change_the_target() {
        for url in [
            "https://e.com",
            "http://e.com/",
            "https://e.com/a?flag",
            "https://web.archive.org/web/2024/https://e.com/",
            "https://e.com/a?next=//b",
            "https://e.com/a#//x",
            "mailto:a@b.c",
            "www.e.com//a",
            "https://e.com/a#b#",
        ] {
            assert_eq!(simplified(url).0, Vec::<String>::new(), "{url}");
        }
    }
}
