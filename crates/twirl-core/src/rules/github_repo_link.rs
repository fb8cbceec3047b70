use super::prelude::*;

#[doc = include_str!("github_repo_link.md")]
pub struct GithubRepoLink;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW407",
    name: "github-repo-link",
    summary: "A community link points straight at a GitHub repository root",
    docs: include_str!("github_repo_link.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    ..RuleMeta::DEFAULTS
};

impl GithubRepoLink {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for link in &cx.issue.links {
            if link.role == LinkRole::Community
                && link.kind == LinkKind::Inline
                && is_repo_root(link.url(cx.text))
            {
                out.push(Diagnostic::new(
                    &META,
                    link.url_range,
                    "community link to a GitHub repository root rather than a post or release",
                ));
            }
        }
    }
}

/// `http(s)://(www.)github.com/OWNER/REPO`, with an optional trailing
/// slash or `.git`, or what GitHub shows at the same place: a fragment
/// (`#readme`), the README tab (`?tab=readme-ov-file`), the default
/// branch's tree (`/tree/main`, `/tree/master`) or its README
/// (`/blob/main/README.md`).
fn is_repo_root(url: &str) -> bool {
    if !crate::normalize::may_have_host(url, "github.com") {
        return false;
    }
    let Ok(u) = url::Url::parse(url.trim()) else {
        return false;
    };
    if !matches!(u.scheme(), "http" | "https")
        || !matches!(u.host_str(), Some("github.com" | "www.github.com"))
        || u.query().is_some_and(|q| !q.starts_with("tab=readme"))
    {
        return false;
    }
    let path = u.path().trim_start_matches('/');
    let path = path.strip_suffix('/').unwrap_or(path);
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts = path.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
    };
    if !(ok(parts.next()) && ok(parts.next())) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => true,
        ["tree", "main" | "master"] => true,
        ["blob", "main" | "master", readme] => readme.eq_ignore_ascii_case("readme.md"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_roots_only() {
        for yes in [
            "https://github.com/rust-lang/rust",
            "https://github.com/rust-lang/rust/",
            "http://www.github.com/a/b.git",
            "https://GitHub.com/a_b/c.rs",
            "https://github.com/a/b#readme",
            "https://github.com/a/b#installation",
            "https://github.com/a/b?tab=readme-ov-file",
            "https://github.com/a/b/tree/main",
            "https://github.com/a/b/tree/master/",
            "https://github.com/a/b/blob/main/README.md",
        ] {
            assert!(is_repo_root(yes), "{yes}");
        }
        for no in [
            "https://github.com/rust-lang",
            "https://github.com/rust-lang/rust/pull/1",
            "https://github.com/a/b/releases/tag/v1",
            "https://github.com/a/b?tab=repositories",
            "https://github.com/a/b/tree/v1.0",
            "https://github.com/a/b/tree/main/src",
            "https://github.com/a/b/blob/main/CHANGELOG.md",
            "https://gist.github.com/a/b",
            "https://github.com//b",
        ] {
            assert!(!is_repo_root(no), "{no}");
        }
    }

    #[test]
    fn only_community_links() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n\
                    * [A](https://github.com/a/b)\n\n## Crate of the Week\n\n\
                    [b](https://github.com/a/b)\n";
        assert_eq!(
            crate::rules::testing::diagnostics_on(&META, text, "", None).len(),
            1
        );
    }
}
