use super::prelude::*;

#[doc = include_str!("crates_io_link.md")]
pub struct CratesIoLink;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW408",
    name: "crates-io-link",
    summary: "A community link points at crates.io",
    docs: include_str!("crates_io_link.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    ..RuleMeta::DEFAULTS
};

impl CratesIoLink {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for link in &cx.issue.links {
            if link.role == LinkRole::Community
                && link.kind == LinkKind::Inline
                && is_crates_io(link.url(cx.text))
            {
                out.push(Diagnostic::new(
                    &META,
                    link.url_range,
                    "community link to crates.io rather than a post or release",
                ));
            }
        }
    }
}

fn is_crates_io(url: &str) -> bool {
    if !crate::normalize::may_have_host(url, "crates.io") {
        return false;
    }
    url::Url::parse(url.trim()).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && matches!(u.host_str(), Some("crates.io" | "www.crates.io"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_io_host_only() {
        assert!(is_crates_io("https://crates.io/crates/serde"));
        assert!(is_crates_io("http://www.crates.io"));
        assert!(!is_crates_io("https://docs.rs/serde"));
        assert!(!is_crates_io("https://blog.crates.io.example/x"));
        assert!(!is_crates_io("https://example.com/?via=https://crates.io"));
    }

    #[test]
    fn only_community_links() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n\
                    * [A](https://crates.io/crates/a)\n\n## Crate of the Week\n\n\
                    [b](https://crates.io/crates/b)\n";
        assert_eq!(
            crate::rules::testing::diagnostics_on(&META, text, "", None).len(),
            1
        );
    }
}
