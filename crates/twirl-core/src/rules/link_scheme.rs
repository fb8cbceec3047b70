use super::prelude::*;

#[doc = include_str!("link_scheme.md")]
pub struct LinkScheme;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW404",
    name: "link-scheme",
    summary: "A link target's scheme is not http, https or mailto",
    docs: include_str!("link_scheme.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl LinkScheme {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        swapped_links(cx, out);
        for link in &cx.issue.links {
            // `[Title]([https://a](https://b)` with the last `)` missing: no
            // outer link parses, only the inner one, standing where a
            // target should be.
            if link.kind == LinkKind::Inline && cx.text[..link.range.start].ends_with("](") {
                out.push(Diagnostic::new(
                    &META,
                    link.range,
                    "a whole link stands where a link target should be",
                ));
                continue;
            }
            let url = cx.slice(link.url_range);
            if plainly_http(url) {
                continue;
            }
            if link.kind == LinkKind::Inline && plainly_http(link.text(cx.text).trim()) {
                out.push(swapped(cx, link.text_range, link.url_range));
                continue;
            }
            let Some(problem) = problem(url) else {
                continue;
            };
            let at = link.url_range;
            let mut d = Diagnostic::new(&META, at, problem.message());
            if let Some((title, edit)) = problem.fix(url, at.start) {
                d = d.with_fix(Fix::unsafe_edit(title, edit));
            }
            out.push(d);
        }
    }
}

/// `[https://example.com/post](Announcing foo 0.9)`: the text in the
/// brackets and the target in the parentheses. A target with spaces is no
/// link target, so the link scanner never sees these: they are looked for
/// in the lines of list items.
fn swapped_links(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    static SWAPPED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\[(https?://[^\s\[\]()]+)\]\(([^()\n]*\s[^()\n]*)\)").unwrap()
    });
    for item in &cx.issue.list_items {
        let line = cx.slice(item.range);
        for m in SWAPPED.captures_iter(line) {
            let (text, target) = (m.get(1).unwrap(), m.get(2).unwrap());
            let at = |r: regex::Match<'_>| {
                TextRange::new(item.range.start + r.start(), item.range.start + r.end())
            };
            if !cx.issue.in_code_or_comment(at(m.get(0).unwrap())) {
                out.push(swapped(cx, at(text), at(target)));
            }
        }
    }
}

/// A link whose text is a URL and whose target is words.
fn swapped(cx: &CheckContext<'_>, text: TextRange, target: TextRange) -> Diagnostic {
    Diagnostic::new(
        &META,
        target,
        "the link's text and target are swapped: the text is a URL, the target is words",
    )
    .with_fix(Fix::safe(
        "Swap the link's text and target",
        vec![
            Edit::replace(text, cx.slice(target).trim()),
            Edit::replace(target, cx.slice(text).trim()),
        ],
    ))
}

#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// `www.example.com/post`, `DTZxPorter`: no scheme at all.
    NoScheme,
    /// `[https://a](https://b)`, `http®s://`: not a URL.
    NotUrl,
    /// `hhttps://`, `ftp://`: a scheme other than http, https, mailto.
    Scheme(String),
    /// `https:/example.com`, `https://`: no host.
    NoHost,
}

impl Problem {
    fn message(&self) -> String {
        match self {
            Problem::NoScheme => "link target has no scheme: it is read as a relative path".into(),
            Problem::NotUrl => "link target is not a URL".into(),
            Problem::Scheme(s) => {
                format!("link target has scheme `{s}`, not http, https or mailto")
            }
            Problem::NoHost => "link target has no host after its scheme".into(),
        }
    }

    /// A guess at the intended target, for the two mistakes whose intent
    /// is plain: a missing `https://` before `www.`, and a stray letter
    /// glued to `https`.
    fn fix(&self, url: &str, base: usize) -> Option<(&'static str, Edit)> {
        match self {
            Problem::NoScheme if url.starts_with("www.") => {
                Some(("Add `https://`", Edit::insert(base, "https://")))
            }
            Problem::Scheme(s) => {
                let lower = s.to_ascii_lowercase();
                let keep = ["https", "http"].into_iter().find(|k| lower.ends_with(k))?;
                url[s.len()..].starts_with("://").then(|| {
                    (
                        "Replace the scheme",
                        Edit::replace(TextRange::new(base, base + s.len()), keep),
                    )
                })
            }
            _ => None,
        }
    }
}

/// Template placeholders (`INSERT_LINK_HERE`, `$twir_...`, an empty
/// target) are `placeholder`'s to report.
fn is_placeholder(url: &str) -> bool {
    url.is_empty()
        || memchr::memchr_iter(b'$', url.as_bytes()).any(|i| url[i..].starts_with("$twir"))
        || (url.ends_with("_HERE") && url.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
}

/// `http://` or `https://` and then a letter or digit: a target
/// [`problem`] passes whatever follows. Most links start so, and this
/// spares them its scans.
fn plainly_http(url: &str) -> bool {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .and_then(|rest| rest.as_bytes().first())
        .is_some_and(u8::is_ascii_alphanumeric)
}

fn problem(url: &str) -> Option<Problem> {
    let url = url.trim();
    // In-page anchors lead somewhere real.
    if is_placeholder(url) || url.starts_with('#') {
        return None;
    }
    let head_end = memchr::memchr3(b'/', b'?', b'#', url.as_bytes()).unwrap_or(url.len());
    let Some(colon) = memchr::memchr(b':', &url.as_bytes()[..head_end]) else {
        return Some(Problem::NoScheme);
    };
    let scheme = &url[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !valid {
        return Some(Problem::NotUrl);
    }
    let rest = &url[colon + 1..];
    let is = |name: &str| scheme.eq_ignore_ascii_case(name);
    if is("http") || is("https") {
        let host = rest.strip_prefix("//").unwrap_or("");
        let host_end = memchr::memchr3(b'/', b'?', b'#', host.as_bytes()).unwrap_or(host.len());
        (host_end == 0).then_some(Problem::NoHost)
    } else if is("mailto") {
        rest.is_empty().then_some(Problem::NotUrl)
    } else {
        Some(Problem::Scheme(scheme.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    #[test]
    fn schemes() {
        for ok in [
            "https://e.com/a",
            "HTTP://e.com",
            "mailto:a@b.c",
            "#events",
            "INSERT_LINK_HERE",
            "",
            "https://e.com/a:b",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        assert_eq!(problem("www.e.com/a"), Some(Problem::NoScheme));
        assert_eq!(problem("DTZxPorter"), Some(Problem::NoScheme));
        assert_eq!(
            problem("hhttps://e.com"),
            Some(Problem::Scheme("hhttps".into()))
        );
        assert_eq!(problem("http®s://e.com"), Some(Problem::NotUrl));
        assert_eq!(
            problem("[https://a.com/](https://b.com/)"),
            Some(Problem::NotUrl)
        );
        assert_eq!(problem("https:/e.com"), Some(Problem::NoHost));
        assert_eq!(problem("ftp://e.com"), Some(Problem::Scheme("ftp".into())));
    }

    #[test]
    fn swapped_text_and_target() {
        use crate::rules::testing::{ISSUE_572, findings, fixed};
        let text = format!(
            "{ISSUE_572}## Jobs\n\n* [https://e.com/post](Announcing foo 0.9)\n* [https://e.com/b](Words)\n\
             * `[https://e.com/c](in code)`\n* [Fine](https://e.com/d)\n"
        );
        let f = findings(&META, &text);
        assert_eq!(
            f.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            ["Announcing foo 0.9", "Words"]
        );
        let out = fixed(&META, &text, Applicability::Safe);
        assert!(
            out.contains(
                "* [Announcing foo 0.9](https://e.com/post)\n* [Words](https://e.com/b)\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn plainly_http_targets() {
        for yes in [
            "https://e.com",
            "http://1.2.3.4/a",
            "https://e.com ",
            "https://x?#",
        ] {
            assert!(plainly_http(yes), "{yes}");
        }
        for no in [
            "https://",
            "https:///a",
            "https://?",
            "HTTPS://e.com",
            " https://e.com",
            "hhttps://e.com",
        ] {
            assert!(!plainly_http(no), "{no}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// What the shortcut lets through, the full check passes too.
        #[test]
        fn plainly_http_has_no_problem(
            head in "(https?://|HTTPS?://|ht?tps?:/?/?|mailto:|www\\.|#|)",
            rest in "[a-zA-Z0-9 /?#:$_.%@\t\u{a0}é-]{0,12}",
        ) {
            let url = format!("{head}{rest}");
            if plainly_http(&url) {
                proptest::prop_assert_eq!(problem(&url), None, "{:?}", url);
            }
        }
    }

    #[test]
    fn fixes_only_plain_mistakes_and_unsafely() {
        let text = "Date: 2024-11-06\n\n* [a](www.e.com/x)\n* [b](Chttps://e.com/y)\n\
                    * [c](ftp://e.com)\n\n[d]: hhttps://e.com/z\n";
        let d = crate::rules::testing::diagnostics_on(&META, text, "", None);
        assert_eq!(d.len(), 4);
        let edits: Vec<Edit> = d
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .inspect(|f| assert_eq!(f.applicability, Applicability::Unsafe))
            .flat_map(|f| f.edits.clone())
            .collect();
        assert_eq!(
            apply_edits(text, &edits),
            "Date: 2024-11-06\n\n* [a](https://www.e.com/x)\n* [b](https://e.com/y)\n\
             * [c](ftp://e.com)\n\n[d]: https://e.com/z\n"
        );
    }

    #[test]
    fn link_pasted_as_a_target_without_its_closing_paren() {
        let text = "Date: 2024-11-06\n\n* [Title]([https://a.example/](https://b.example/)\n";
        let d = crate::rules::testing::diagnostics_on(&META, text, "", None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            &text[d[0].range.as_range()],
            "[https://a.example/](https://b.example/)"
        );
    }
}
