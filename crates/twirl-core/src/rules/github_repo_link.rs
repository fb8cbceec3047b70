use super::prelude::*;

#[doc = include_str!("github_repo_link.md")]
pub struct GithubRepoLink;

static META: RuleMeta = RuleMeta {
    code: "TW407",
    name: "github-repo-link",
    summary: "A community link points straight at a GitHub repository root",
    docs: include_str!("github_repo_link.md"),
    group: Group::Links,
    default_severity: Severity::Warning,
    draft_severity: None,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl Rule for GithubRepoLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
