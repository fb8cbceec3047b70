//! When are two links the same link? After normalisation: http and https
//! alike, doubled and trailing slashes dropped, tracking parameters removed,
//! the host lower-cased (the `url` crate does that).

use url::Url;

/// Query keys that only track where a click came from.
pub const TRACKING_PARAMS: &[&str] = &[
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
];

pub fn is_tracking_param(key: &str) -> bool {
    TRACKING_PARAMS.iter().any(|p| key.eq_ignore_ascii_case(p))
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
    let url = Url::parse(raw.trim()).ok()?;
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
        .filter(|(k, _)| !is_tracking_param(k))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_of_one_link_agree() {
        let a = normalize_url("https://example.com/post/").unwrap();
        for b in [
            "http://example.com/post",
            "https://example.com//post",
            "https://EXAMPLE.com/post?utm_source=twir",
            "https://example.com/post/?utm_medium=social&utm_campaign=x",
        ] {
            assert_eq!(normalize_url(b).unwrap(), a, "{b}");
        }
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
