//! When are two links the same link? After normalisation: http and https
//! alike, doubled and trailing slashes dropped, tracking parameters removed,
//! the host lower-cased (the `url` crate does that).

use url::Url;

/// Query keys that only track where a click came from, on any site.
pub const TRACKING_PARAMS: &[&str] = &[
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "fbclid",
    "gclid",
    "mc_cid",
    "mc_eid",
];

/// Sites whose share links add `si=` to say who shared them.
const SHARE_ID_HOSTS: &[&str] = &["youtube.com", "youtu.be", "spotify.com"];

/// Whether query key `key` of a link to `host` only tracks the click:
/// [`TRACKING_PARAMS`] anywhere, and the share id `si` on YouTube and
/// Spotify.
pub fn is_tracking_param(host: &str, key: &str) -> bool {
    TRACKING_PARAMS.iter().any(|p| key.eq_ignore_ascii_case(p))
        || (key == "si"
            && SHARE_ID_HOSTS.iter().any(|h| {
                host.eq_ignore_ascii_case(h)
                    || host.len().checked_sub(h.len() + 1).is_some_and(|i| {
                        host.as_bytes()[i] == b'.' && host[i + 1..].eq_ignore_ascii_case(h)
                    })
            }))
}

/// Whether `url` may have a host containing `word` (lower-case ASCII),
/// checked without parsing it: a cheap test that lets rules about one site
/// skip the `url` crate for every other link. It is exact in one
/// direction: `false` means no parse could find such a host. ASCII text
/// without `%`, tab or line breaks parses to a host that is a lower-cased
/// substring of it; anything else (percent-encoding, IDNA mapping,
/// stripped whitespace) may produce `word` from other text, and gets `true`.
pub fn may_have_host(url: &str, word: &str) -> bool {
    debug_assert!(word.bytes().all(|b| b.is_ascii_lowercase() || b == b'.'));
    let b = url.as_bytes();
    if !url.is_ascii() || b.iter().any(|c| matches!(c, b'%' | b'\t' | b'\n' | b'\r')) {
        return true;
    }
    let w = word.as_bytes();
    memchr::memchr2_iter(w[0], w[0].to_ascii_uppercase(), b)
        .any(|i| b.len() - i >= w.len() && b[i..i + w.len()].eq_ignore_ascii_case(w))
}

/// The comparison key of a link, or `None` when it is not an absolute
/// http(s) URL.
pub fn normalize_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    // The shortcut saves 2.7 % of a corpus check (3 002 M -> 2 923 M instructions).
    plain_key(raw).or_else(|| parsed_key(raw))
}

/// The key of a URL as the `url` crate parses it.
fn parsed_key(raw: &str) -> Option<String> {
    let url = Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    let mut out = String::with_capacity(raw.len());
    out.push_str(host);
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    for seg in url.path().split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(seg);
    }
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(host, k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !pairs.is_empty() {
        pairs.sort();
        out.push('?');
        let q: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") })
            .collect();
        out.push_str(&q.join("&"));
    }
    if let Some(f) = url.fragment().filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// The key of a URL simple enough that the `url` crate would keep it as
/// written: `http(s)://` in lower case, a lower-case ASCII host that is no
/// IP address, punycode or port, and a path of characters that are never
/// percent-encoded, without `.` or `..` segments, query or fragment. Most
/// links in an issue are like this. `None`: not simple; parse it.
fn plain_key(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = memchr::memchr(b'/', rest.as_bytes()).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    // Labels of `[a-z0-9-]`, none punycode (`xn--`), the last starting with
    // a letter (else the host may be an IPv4 address: `1.2`, `0x7f.1`).
    let mut labels = host.split('.').peekable();
    while let Some(label) = labels.next() {
        let chars_ok = label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let last_ok =
            labels.peek().is_some() || label.starts_with(|c: char| c.is_ascii_lowercase());
        if !chars_ok || !last_ok || label.starts_with("xn--") {
            return None;
        }
    }
    let path_ok = path.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            )
    });
    if !path_ok {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(host);
    for seg in path.split('/') {
        match seg {
            "." | ".." => return None,
            "" => {}
            _ => {
                out.push('/');
                out.push_str(seg);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// Wherever the shortcut answers, the `url` crate agrees.
        #[test]
        fn plain_keys_are_what_the_url_crate_gives(
            scheme in "(https?://|HTTP://|https:/)",
            host in "[a-z0-9.A\\-]{0,8}|xn--a.com|0x7f.1|1.2.3.4|a.com:80|u@a.com",
            path in proptest::collection::vec("(/|//|\\.|\\.\\.|[a-zA-Z0-9]|[-_~!$&'()*+,;=:@]|%2e|%41|\\\\|\\?|#|é| |\\^|\\||\\[)", 0..6),
        ) {
            let url = format!("{scheme}{host}{}", path.concat());
            if let Some(key) = plain_key(&url) {
                proptest::prop_assert_eq!(Some(key), parsed_key(&url), "{:?}", url);
            }
        }
    }

    /// On every link of every published issue, the shortcut (where it
    /// answers) gives the `url` crate's key; and it answers for most.
    #[test]
    fn plain_keys_agree_on_the_corpus() {
        let Some(dir) = crate::rules::testing::corpus() else {
            return;
        };
        let (mut links, mut plain) = (0, 0);
        for entry in std::fs::read_dir(dir.join("published")).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for link in crate::parse(&text).links {
                links += 1;
                let url = link.url(&text).trim();
                if let Some(key) = plain_key(url) {
                    plain += 1;
                    assert_eq!(Some(key), parsed_key(url), "{url}");
                }
            }
        }
        assert!(
            links > 10_000 && plain * 10 > links * 7,
            "{plain} of {links}"
        );
    }

    #[test]
    fn the_shortcut_takes_ordinary_links() {
        for u in [
            "https://blog.rust-lang.org/2024/11/07/gsoc-2024-results.html",
            "https://github.com/rust-lang/rust/pull/132345",
            "http://example.com",
            "https://example.com//a/b/",
        ] {
            assert!(plain_key(u).is_some(), "{u}");
            assert_eq!(plain_key(u), parsed_key(u), "{u}");
        }
        for u in [
            "https://Example.com/",
            "https://127.0.0.1/",
            "https://a.com/x?y=1",
            "https://a.com/%41",
            "https://a.com/./b",
            "https://xn--nxasmq6b.com/",
        ] {
            assert_eq!(plain_key(u), None, "{u}");
        }
    }

    #[test]
    fn variants_of_one_link_agree() {
        let a = normalize_url("https://example.com/post/").unwrap();
        for b in [
            "http://example.com/post",
            "https://example.com//post",
            "https://EXAMPLE.com/post?utm_source=twir",
            "https://example.com/post/?utm_medium=social&utm_campaign=x",
            "https://example.com/post?fbclid=IwAR0&mc_eid=9",
        ] {
            assert_eq!(normalize_url(b).unwrap(), a, "{b}");
        }
        assert_eq!(
            normalize_url("https://youtu.be/x?si=abc"),
            normalize_url("https://youtu.be/x")
        );
        assert_ne!(
            normalize_url("https://example.com/x?si=abc"),
            normalize_url("https://example.com/x")
        );
        assert_ne!(normalize_url("https://example.com/post?id=2").unwrap(), a);
        assert_ne!(normalize_url("https://example.com/post#part-2").unwrap(), a);
        assert_eq!(normalize_url("mailto:a@b.c"), None);
        assert_eq!(normalize_url("www.example.com"), None);
    }

    #[test]
    fn may_have_host_never_says_no_to_a_real_match() {
        let host = |u: &str| {
            Url::parse(u.trim())
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
        };
        for u in [
            "https://github.com/a/b",
            "HTTPS://GitHub.COM/a/b",
            "https://github%2Ecom/a/b",
            "https://git\thub.com/a/b",
            "https://ｇｉｔｈｕｂ.com/a/b",
            "https://example.com/github",
            "https://example.com/a",
            "not a url",
        ] {
            let is_github = host(u).is_some_and(|h| h.contains("github"));
            assert!(
                !is_github || may_have_host(u, "github"),
                "{u}: host {:?}",
                host(u)
            );
        }
        assert!(!may_have_host("https://example.com/a", "github"));
        assert!(!may_have_host("https://lib.rs/crates/x", "crates.io"));
    }
}
