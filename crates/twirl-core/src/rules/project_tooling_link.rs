use super::prelude::*;

#[doc = include_str!("project_tooling_link.md")]
pub struct ProjectToolingLink;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW409",
    name: "project-tooling-link",
    summary: "A link was added under the editor-only Project/Tooling Updates",
    docs: include_str!("project_tooling_link.md"),
    group: Group::Links,
    default_severity: Severity::Error,
    default_enabled: false,
    ..RuleMeta::DEFAULTS
};

impl ProjectToolingLink {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let issue = cx.issue;
        for link in &issue.links {
            if link.kind == LinkKind::Definition {
                continue;
            }
            let mut at = link.section;
            while let Some(s) = at {
                if issue.sections[s].kind == SectionKind::ProjectToolingUpdates {
                    out.push(Diagnostic::new(
                        &META,
                        link.range,
                        "link under Project/Tooling Updates, a section only editors may add to",
                    ));
                    break;
                }
                at = issue.sections[s].parent;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn links_under_project_tooling_updates() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n### Official\n\n\
                    * [A](https://a.example/)\n\n### Project/Tooling Updates\n\n\
                    * [B](https://b.example/)\n\n#### Nested\n\n* [C](https://c.example/)\n\n\
                    ### Research\n\n* [D](https://d.example/)\n";
        let found: Vec<&str> = crate::rules::testing::diagnostics_on(&META, text, "", None)
            .iter()
            .map(|d| &text[d.range.start + 1..d.range.start + 2])
            .collect();
        assert_eq!(found, vec!["B", "C"]);
        assert!(!Settings::default().is_enabled(&META));
    }
}
