//! The rules, and the engine that runs them.
//!
//! A rule is a unit struct with a static [`RuleMeta`] and a `check` over the
//! typed model. Its documentation is a Markdown page beside it (What it
//! does, Why, Example, Use instead, Fix safety) that is both its doc comment
//! and what `twirl explain` prints.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::config::{Profile, Settings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::issue::{Date, ISSUE_424_DATE, Issue, Link, LinkKind, parse_date};
use crate::linkindex::LinkIndex;
use crate::text::TextRange;

mod blocks;
mod util;

/// What every rule file imports.
#[allow(unused_imports)]
mod prelude {
    pub use super::{CheckContext, FixAvailability, Group, Rule, RuleMeta};
    pub use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity};
    pub use crate::issue::*;
    pub use crate::text::TextRange;
}

pub use util::is_counted_link;

/// Which family a rule belongs to. A family's codes share their first
/// digit: TW1xx dates, TW2xx event format, TW3xx placeholders, TW4xx links,
/// TW5xx structure, TW6xx encoding, TW7xx Markdown, TW8xx rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// TW1xx: dates.
    Dates,
    /// TW2xx: event lines.
    EventFormat,
    /// TW3xx: template placeholders.
    Placeholders,
    /// TW4xx: links.
    Links,
    /// TW5xx: document structure.
    Structure,
    /// TW6xx: text encoding.
    Encoding,
    /// TW7xx: Markdown.
    Markdown,
    /// Where the site (Python-Markdown) renders the text otherwise than the
    /// CommonMark preview.
    Rendering,
}

impl Group {
    /// The first digit of the group's codes (`TW1xx` for dates).
    pub fn code_digit(self) -> char {
        char::from(b'1' + self as u8)
    }

    /// The family's name, as `twirl rules` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Dates => "dates",
            Group::EventFormat => "event-format",
            Group::Placeholders => "placeholders",
            Group::Links => "links",
            Group::Structure => "structure",
            Group::Encoding => "encoding",
            Group::Markdown => "markdown",
            Group::Rendering => "rendering",
        }
    }
}

/// Whether a rule's findings come with a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// No finding has a fix.
    None,
    /// Some findings have a fix.
    Sometimes,
    /// Every finding has a fix.
    Always,
}

/// What a rule is: its code, name, documentation and defaults.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, `TW` and three digits.
    pub code: &'static str,
    /// Kebab-case name saying what is flagged.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The rule's Markdown page.
    pub docs: &'static str,
    /// Its family.
    pub group: Group,
    /// Its severity unless configured otherwise.
    pub default_severity: Severity,
    /// The highest severity in the draft profile, for rules about things a
    /// draft is expected to still have.
    pub draft_severity: Option<Severity>,
    /// Whether its findings come with a fix.
    pub fix: FixAvailability,
    /// Whether it runs without being selected.
    pub default_enabled: bool,
}

impl RuleMeta {
    /// What a rule's `META` leaves unsaid: on by default, no fix, and the
    /// same severity in the draft profile. Every rule names its own code,
    /// name, summary, page, family and severity.
    const DEFAULTS: RuleMeta = RuleMeta {
        code: "",
        name: "",
        summary: "",
        docs: "",
        group: Group::Structure,
        default_severity: Severity::Error,
        draft_severity: None,
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

/// Everything a rule may look at.
pub struct CheckContext<'a> {
    /// The issue's source text.
    pub text: &'a str,
    /// The issue parsed from it.
    pub issue: &'a Issue,
    /// The settings for the file.
    pub settings: &'a Settings,
    /// The file's path as the user gave it, if it has one.
    pub path: Option<&'a str>,
    /// Recent issues, for `repeated-link`.
    pub index: Option<&'a LinkIndex>,
}

impl<'a> CheckContext<'a> {
    /// A context with no path and no link index.
    pub fn new(text: &'a str, issue: &'a Issue, settings: &'a Settings) -> Self {
        CheckContext {
            text,
            issue,
            settings,
            path: None,
            index: None,
        }
    }

    /// The text of `r`.
    pub fn slice(&self, r: TextRange) -> &'a str {
        &self.text[r.as_range()]
    }

    /// The date in the file name (`2024-11-06-this-week-in-rust.md`).
    pub fn file_date(&self) -> Option<Date> {
        let name = self.path?.rsplit(['/', '\\']).next()?;
        let mut it = name.splitn(4, '-');
        let d = format!("{}-{}-{}", it.next()?, it.next()?, it.next()?);
        parse_date(&d)
    }

    /// The issue's date: the `Date:` field, else the file name's date.
    pub fn issue_date(&self) -> Option<Date> {
        self.issue
            .metadata
            .get("Date")
            .and_then(|f| parse_date(f.value.trim()))
            .or_else(|| self.file_date())
    }

    /// The events window: the window line's dates when they parse, else the
    /// issue date and the configured length.
    pub fn window(&self) -> Option<(Date, Date)> {
        let w = self.issue.events.as_ref().and_then(|e| e.window.as_ref());
        if let Some(w) = w
            && let (Some(s), Some(e)) = (w.start.and_then(|d| d.date), w.end.and_then(|d| d.date))
            && s <= e
        {
            return Some((s, e));
        }
        let d = self.issue_date()?;
        Some((d, crate::issue::add_days(d, self.settings.window_days)))
    }

    /// Whether the issue is of the modern format (issue 424 on, or
    /// undated), the one the event and metadata rules describe.
    pub fn is_modern(&self) -> bool {
        self.issue_date().is_none_or(|d| d >= ISSUE_424_DATE)
    }

    /// Links in the sections whose links count for duplicates.
    pub fn counted_links(&self) -> impl Iterator<Item = (usize, &'a Link)> {
        let issue = self.issue;
        let settings = self.settings;
        issue.links.iter().enumerate().filter(move |(_, l)| {
            l.kind != LinkKind::Definition && is_counted_link(issue, settings, l)
        })
    }
}

/// A lint rule: its metadata and its check.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Adds the rule's findings on the issue to `out`.
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>);
}

/// Declares each rule's module, lists the rules in [`RULES`] and makes
/// each a [`Rule`] from its module's `META` and its own `check`, so a rule
/// is named once.
macro_rules! rules {
    ($($module:ident::$rule:ident,)*) => {
        $(mod $module;)*

        /// Every rule, sorted by code.
        pub static RULES: &[&dyn Rule] = &[$(&$module::$rule),*];

        $(impl Rule for $module::$rule {
            fn meta(&self) -> &'static RuleMeta {
                &$module::META
            }
            fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
                self.check(cx, out)
            }
        })*
    };
}

rules! {
    window_line::WindowLine,
    event_outside_window::EventOutsideWindow,
    events_unsorted::EventsUnsorted,
    issue_metadata::IssueMetadata,
    merged_range::MergedRange,
    cfp_dates::CfpDates,
    event_format::EventFormat,
    event_location::EventLocation,
    region_order::RegionOrder,
    duplicate_event::DuplicateEvent,
    placeholder::Placeholder,
    empty_section::EmptySection,
    duplicate_link::DuplicateLink,
    repeated_link::RepeatedLink,
    tracking_param::TrackingParam,
    link_scheme::LinkScheme,
    link_simplify::LinkSimplify,
    truncated_title::TruncatedTitle,
    github_repo_link::GithubRepoLink,
    crates_io_link::CratesIoLink,
    project_tooling_link::ProjectToolingLink,
    duplicate_heading::DuplicateHeading,
    list_bullet::ListBullet,
    link_prefix::LinkPrefix,
    mojibake::Mojibake,
    control_character::ControlCharacter,
    odd_backticks::OddBackticks,
    empty_backticks::EmptyBackticks,
    unknown_html_tag::UnknownHtmlTag,
    empty_list_item::EmptyListItem,
    doubled_bracket::DoubledBracket,
    list_after_paragraph::ListAfterParagraph,
    list_indent::ListIndent,
    table_after_paragraph::TableAfterParagraph,
    fenced_code_in_container::FencedCodeInContainer,
    indented_heading::IndentedHeading,
    heading_without_space::HeadingWithoutSpace,
    unclosed_comment::UnclosedComment,
    emphasis_space::EmphasisSpace,
    emphasis_asterisks::EmphasisAsterisks,
    backslash_escape::BackslashEscape,
    code_span_space::CodeSpanSpace,
    angle_brackets::AngleBrackets,
    attr_list::AttrList,
    reference_definition::ReferenceDefinition,
}

/// A rule that panicked: reported once, so the user knows a check is
/// missing instead of seeing nothing.
pub static INTERNAL_ERROR: RuleMeta = RuleMeta {
    code: "TW000",
    name: "internal-error",
    summary: "A rule failed inside twirl",
    docs: include_str!("internal_error.md"),
    group: Group::Structure,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

/// A rule by kebab-case name or by code.
pub fn rule_by_name(name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .find(|m| m.name == name || m.code.eq_ignore_ascii_case(name))
}

/// Runs every enabled rule and returns the findings, sorted by position,
/// with severities settled and suppressed findings removed.
pub fn check(cx: &CheckContext<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if !cx.settings.is_enabled(meta) {
            continue;
        }
        let before = out.len();
        let result = catch_unwind(AssertUnwindSafe(|| rule.check(cx, &mut out)));
        if result.is_err() {
            out.truncate(before);
            out.push(Diagnostic::new(
                &INTERNAL_ERROR,
                TextRange::empty(0),
                format!(
                    "rule `{}` failed on this file; its findings are missing",
                    meta.name
                ),
            ));
            continue;
        }
        for d in &mut out[before..] {
            settle_severity(cx.settings, d);
        }
    }
    out.retain(|d| !suppressed(cx, d));
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule.code).cmp(&(b.range.start, b.range.end, b.rule.code))
    });
    out
}

/// Parses `text` and checks it: for callers that hold only the text.
pub fn lint(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
) -> Vec<Diagnostic> {
    let issue = crate::issue::parse(text);
    let cx = CheckContext {
        path,
        index,
        ..CheckContext::new(text, &issue, settings)
    };
    check(&cx)
}

fn settle_severity(settings: &Settings, d: &mut Diagnostic) {
    if settings.profile == Profile::Draft
        && let Some(cap) = d.rule.draft_severity
    {
        d.severity = d.severity.min(cap);
    }
    if let Some(forced) = settings.forced_severity(d.rule) {
        d.severity = forced;
    }
}

fn suppressed(cx: &CheckContext<'_>, d: &Diagnostic) -> bool {
    cx.issue.suppressions.iter().any(|s| {
        (s.covers.contains(d.range.start)
            || (s.covers.start == d.range.start && d.range.is_empty()))
            && (s.rules.is_empty()
                || s.rules
                    .iter()
                    .any(|r| r == d.rule.name || r.eq_ignore_ascii_case(d.rule.code)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_sorted_and_documented() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        let mut last = "";
        for r in RULES {
            let m = r.meta();
            assert!(m.code.len() == 5 && !m.summary.is_empty(), "{m:?}");
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert!(m.code > last, "RULES not sorted by code at {}", m.code);
            assert_eq!(
                m.code.as_bytes()[2] as char,
                m.group.code_digit(),
                "{} lies outside its group's code range",
                m.code
            );
            last = m.code;
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                m.name
            );
            assert!(!m.name.starts_with("no-"), "{}", m.name);
            for h in [
                "## What it does",
                "## Why",
                "## Severity",
                "## Example",
                "## Use instead",
                "## Fix safety",
            ] {
                assert!(m.docs.contains(h), "{} docs lack `{h}`", m.name);
            }
            assert!(
                !m.summary.ends_with('.'),
                "{} summary ends with a period",
                m.name
            );
        }
    }
}

#[cfg(test)]
mod readme_tests {
    use super::*;

    /// The README's list of rule families, as `RULES` has them.
    fn families() -> String {
        let mut groups: Vec<Group> = RULES.iter().map(|r| r.meta().group).collect();
        groups.dedup();
        groups
            .into_iter()
            .map(|g| {
                let names: Vec<&str> = RULES
                    .iter()
                    .map(|r| r.meta())
                    .filter(|m| m.group == g)
                    .map(|m| m.name)
                    .collect();
                format!(
                    "- **{}** (TW{}xx): {}\n",
                    g.as_str(),
                    g.code_digit(),
                    names.join(", ")
                )
            })
            .collect()
    }

    #[test]
    fn the_readme_lists_every_rule_in_its_family() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let want = families();
        assert!(
            readme.contains(&want),
            "README.md's rule families differ from RULES; put this list under `## Rules`:\n\n{want}"
        );
    }
}

/// Test support shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::config::Settings;
    use crate::issue::parse;

    /// The shared corpus: `$TWIRL_CORPUS`, else `../shared/corpus` beside
    /// the repository. Missing, a test using it fails in CI (`CI=true`)
    /// and is skipped elsewhere, with a message saying what to set.
    pub(crate) fn corpus() -> Option<std::path::PathBuf> {
        let dir = std::env::var_os("TWIRL_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
            });
        if dir.is_dir() {
            return Some(dir);
        }
        let msg = format!(
            "no corpus at {}: set TWIRL_CORPUS to the shared corpus",
            dir.display()
        );
        assert!(std::env::var_os("CI").is_none_or(|v| v != "true"), "{msg}");
        eprintln!("{msg}; skipped");
        None
    }

    /// The diagnostics of `meta` alone on `text`, checked as the file
    /// `path` with the recent issues of `index`.
    pub fn diagnostics_on(
        meta: &'static RuleMeta,
        text: &str,
        path: &str,
        index: Option<&LinkIndex>,
    ) -> Vec<Diagnostic> {
        diagnostics_with(&Settings::only(meta), text, path, index)
    }

    /// The diagnostics of `text` under `settings`, checked as the file
    /// `path` with the recent issues of `index`.
    pub fn diagnostics_with(
        settings: &Settings,
        text: &str,
        path: &str,
        index: Option<&LinkIndex>,
    ) -> Vec<Diagnostic> {
        let issue = parse(text);
        let cx = CheckContext {
            text,
            issue: &issue,
            settings,
            path: Some(path),
            index,
        };
        check(&cx)
    }

    /// [`diagnostics_on`] for `content/2024-11-06-this-week-in-rust.md`.
    pub fn diagnostics(meta: &'static RuleMeta, text: &str) -> Vec<Diagnostic> {
        diagnostics_on(meta, text, "content/2024-11-06-this-week-in-rust.md", None)
    }

    /// The findings of `meta` alone on `text`, checked as the file `path`:
    /// each as (the text it points at, its message).
    pub fn findings_on(meta: &'static RuleMeta, text: &str, path: &str) -> Vec<(String, String)> {
        diagnostics_on(meta, text, path, None)
            .into_iter()
            .map(|d| (text[d.range.as_range()].to_string(), d.message))
            .collect()
    }

    /// [`findings_on`] for `content/2024-11-06-this-week-in-rust.md`.
    pub fn findings(meta: &'static RuleMeta, text: &str) -> Vec<(String, String)> {
        findings_on(meta, text, "content/2024-11-06-this-week-in-rust.md")
    }

    /// `text` with every fix of `meta` at or above `min` applied to a fixpoint.
    pub fn fixed(
        meta: &'static RuleMeta,
        text: &str,
        min: crate::diagnostic::Applicability,
    ) -> String {
        let settings = Settings::only(meta);
        crate::fix::fix_all(
            text,
            &settings,
            Some("content/2024-11-06-this-week-in-rust.md"),
            None,
            min,
        )
        .expect("fixes converge")
        .text
    }

    /// A header for issue 572 of 2024-11-06 and an events window.
    pub const ISSUE_572: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n\
                                 ## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04 🦀\n\n";
}

#[cfg(test)]
mod suppression_tests {
    use super::*;
    use crate::config::Settings;
    use crate::issue::parse;

    fn rules_found(text: &str) -> Vec<(&'static str, u32)> {
        let issue = parse(text);
        let settings = Settings::default();
        let cx = CheckContext {
            text,
            issue: &issue,
            settings: &settings,
            path: Some("content/2024-11-06-this-week-in-rust.md"),
            index: None,
        };
        check(&cx)
            .iter()
            .filter(|d| d.rule.name == "placeholder")
            .map(|d| {
                (
                    d.rule.name,
                    issue.line_index.line_of(d.range.start) as u32 + 1,
                )
            })
            .collect()
    }

    const HEAD: &str = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n";

    #[test]
    fn disable_next_line_silences_only_that_line_and_rule() {
        let text = format!(
            "{HEAD}<!-- twirl-disable-next-line placeholder -->\n[a](INSERT_LINK_HERE)\n[b](INSERT_LINK_HERE)\n\
             <!-- twirl-disable-next-line duplicate-link -->\n[c](INSERT_LINK_HERE)\n"
        );
        assert_eq!(
            rules_found(&text),
            vec![("placeholder", 8), ("placeholder", 10)]
        );
    }

    #[test]
    fn disable_enable_blocks_and_codes() {
        let text = format!(
            "{HEAD}<!-- twirl-disable TW301 -->\n[a](INSERT_LINK_HERE)\n<!-- twirl-enable TW301 -->\n[b](INSERT_LINK_HERE)\n\
             <!-- twirl-disable -->\n[c](INSERT_LINK_HERE)\n"
        );
        assert_eq!(rules_found(&text), vec![("placeholder", 9)]);
    }
}
