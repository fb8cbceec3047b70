//! `twirl.toml`: its schema, its defaults, and the effective settings for
//! one file.
//!
//! Parsing a config is pure (a string in, a value or an error with its span
//! out); finding the file is `twirl-workspace`'s job. Every unknown key and
//! every bad value is an error that points at its place in the file.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::rules::{RULES, RuleMeta, rule_by_name};

/// `profile = "auto"` (draft under a `draft/` directory), `"draft"` or
/// `"publish"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ProfileSetting {
    Auto,
    Draft,
    Publish,
}

/// The profile in force for one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// A draft in progress: template placeholders and empty sections are
    /// expected and only warned about.
    Draft,
    /// An issue about to be (or already) published: they are errors.
    Publish,
}

/// The region headings of Upcoming Events, in their canonical order.
const DEFAULT_REGIONS: &[&str] = &[
    "Virtual",
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "Oceania",
    "South America",
];

/// The HTML tags TWiR's own CI allows in the rendered issue.
const DEFAULT_HTML_TAGS: &[&str] = &[
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "strong",
    "hr",
    "li",
    "ul",
    "ol",
    "em",
    "code",
    "blockquote",
    "small",
    "br",
];

/// A `[rules]` table: `select` (only these rules; `ALL` for every one),
/// `extend-select`, `ignore` (names or codes), and severities forced on
/// rules (`off` turns one off).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
struct RulesTable {
    select: Option<Vec<Spanned<String>>>,
    extend_select: Vec<Spanned<String>>,
    ignore: Vec<Spanned<String>>,
    severity: HashMap<Spanned<String>, Spanned<String>>,
}

/// An `[[overrides]]` entry: a profile and rules for the files its globs
/// match, on top of the top-level ones.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Override {
    files: Vec<Spanned<String>>,
    profile: Option<ProfileSetting>,
    #[serde(default)]
    rules: RulesTable,
}

/// The lengths of an events window that `window-days` may set.
const WINDOW_DAYS: std::ops::RangeInclusive<i64> = 1..=366;
/// How many earlier issues `lookback` may name: more than the archive holds.
const LOOKBACK: std::ops::RangeInclusive<usize> = 0..=10_000;

/// The contents of a `twirl.toml`; the fields are [`Settings`]' (of which
/// `link-sections` are the titles of the top-level sections whose links
/// `repeated-link` and `duplicate-link` judge), and later overrides win.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
struct ConfigFile {
    profile: ProfileSetting,
    lookback: Spanned<usize>,
    window_days: Spanned<i64>,
    regions: Vec<String>,
    placeholders: Vec<Spanned<String>>,
    html_tags: Vec<String>,
    link_sections: Vec<String>,
    rules: RulesTable,
    overrides: Vec<Override>,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            profile: ProfileSetting::Auto,
            lookback: Spanned::new(0..0, 25),
            window_days: Spanned::new(0..0, 28),
            regions: DEFAULT_REGIONS.iter().map(|s| s.to_string()).collect(),
            placeholders: Vec::new(),
            html_tags: DEFAULT_HTML_TAGS.iter().map(|s| s.to_string()).collect(),
            link_sections: vec!["Updates from Rust Community".to_string()],
            rules: RulesTable::default(),
            overrides: Vec::new(),
        }
    }
}

/// A bad `twirl.toml`: what is wrong and where.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("{message}")]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    /// Byte range in the config text.
    pub span: Option<Range<usize>>,
}

impl ConfigError {
    fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
            span: Some(span),
        }
    }

    /// 1-based line and column of the error in `text`.
    pub fn line_col(&self, text: &str) -> Option<(usize, usize)> {
        let start = self.span.as_ref()?.start.min(text.len());
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some((line, col))
    }
}

/// A validated config, ready to give [`Settings`] for any file.
#[derive(Clone, Debug)]
pub struct Config {
    file: ConfigFile,
    placeholders: Vec<Regex>,
    overrides: Vec<(GlobSet, Override)>,
}

impl Default for Config {
    fn default() -> Self {
        Config::parse("").expect("the empty config is valid")
    }
}

/// The error for a name (in the config, on the command line) that names no
/// rule.
pub fn unknown_rule(name: &str) -> String {
    format!("unknown rule `{name}` (run `twirl rules` for the list)")
}

fn resolve_rule(name: &Spanned<String>) -> Result<&'static RuleMeta, ConfigError> {
    rule_by_name(name.get_ref())
        .ok_or_else(|| ConfigError::at(name.span(), unknown_rule(name.get_ref())))
}

fn validate_rules(t: &RulesTable) -> Result<(), ConfigError> {
    for n in t
        .select
        .iter()
        .flatten()
        .chain(&t.extend_select)
        .chain(&t.ignore)
    {
        if n.get_ref() != "ALL" {
            resolve_rule(n)?;
        }
    }
    for (k, v) in &t.severity {
        resolve_rule(k)?;
        if Severity::parse(v.get_ref()).is_none() && v.get_ref() != "off" {
            return Err(ConfigError::at(
                v.span(),
                format!(
                    "unknown severity `{}`: use error, warning, info or off",
                    v.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

impl Config {
    /// Parses and validates the text of a `twirl.toml`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().to_string(),
            span: e.span(),
        })?;
        validate_rules(&file.rules)?;
        if !WINDOW_DAYS.contains(file.window_days.get_ref()) {
            return Err(ConfigError::at(
                file.window_days.span(),
                format!(
                    "window-days must be from {} to {} (a year)",
                    WINDOW_DAYS.start(),
                    WINDOW_DAYS.end()
                ),
            ));
        }
        if !LOOKBACK.contains(file.lookback.get_ref()) {
            return Err(ConfigError::at(
                file.lookback.span(),
                format!("lookback must be at most {} issues", LOOKBACK.end()),
            ));
        }
        let placeholders = file
            .placeholders
            .iter()
            .map(|p| {
                Regex::new(p.get_ref())
                    .map_err(|e| ConfigError::at(p.span(), format!("bad placeholder pattern: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut overrides = Vec::new();
        for o in &file.overrides {
            validate_rules(&o.rules)?;
            let mut b = GlobSetBuilder::new();
            for g in &o.files {
                let glob = Glob::new(g.get_ref())
                    .map_err(|e| ConfigError::at(g.span(), format!("bad glob: {e}")))?;
                b.add(glob);
            }
            let set = b.build().map_err(|e| ConfigError {
                message: e.to_string(),
                span: None,
            })?;
            overrides.push((set, o.clone()));
        }
        Ok(Config {
            file,
            placeholders,
            overrides,
        })
    }

    /// Whether `[[overrides]]` make settings differ between files of one
    /// directory. Without them, a file's settings depend only on its
    /// directory, unless the file itself is named `draft` or `drafts`.
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// The settings for the file at `path`, given relative to the config's
    /// directory (or as written by the user when there is no config file).
    pub fn settings_for(&self, path: Option<&str>) -> Settings {
        let path = path.unwrap_or("");
        let mut profile = self.file.profile;
        let mut enabled: Vec<bool> = RULES.iter().map(|r| r.meta().default_enabled).collect();
        let mut severity: Vec<Option<Option<Severity>>> = vec![None; RULES.len()];
        apply_rules(&self.file.rules, &mut enabled, &mut severity);
        let unix_path = path.replace('\\', "/");
        for (set, o) in &self.overrides {
            if set.is_match(&unix_path) || set.is_match(unix_path.rsplit('/').next().unwrap_or(""))
            {
                if let Some(p) = o.profile {
                    profile = p;
                }
                apply_rules(&o.rules, &mut enabled, &mut severity);
            }
        }
        let in_draft = unix_path.split('/').any(|c| c == "draft" || c == "drafts");
        let profile = match profile {
            ProfileSetting::Draft => Profile::Draft,
            ProfileSetting::Auto if in_draft => Profile::Draft,
            _ => Profile::Publish,
        };
        // `off` wins over any selection.
        for (on, s) in enabled.iter_mut().zip(&severity) {
            *on &= *s != Some(None);
        }
        let lower = |v: &[String]| v.iter().map(|t| t.to_ascii_lowercase()).collect();
        Settings {
            profile,
            enabled,
            severity: severity.into_iter().map(Option::flatten).collect(),
            lookback: *self.file.lookback.get_ref(),
            window_days: *self.file.window_days.get_ref(),
            regions: self.file.regions.clone(),
            placeholders: self.placeholders.clone(),
            html_tags: lower(&self.file.html_tags),
            link_sections: lower(&self.file.link_sections),
        }
    }
}

/// A rule's place in [`RULES`], which is sorted by code.
fn rule_index(meta: &RuleMeta) -> usize {
    RULES
        .binary_search_by_key(&meta.code, |r| r.meta().code)
        .expect("every rule is in RULES")
}

/// Turns the named rules (names or codes; `ALL`: every rule) on or off,
/// and returns the names that name no rule.
fn switch<N: Borrow<str>>(enabled: &mut [bool], names: &[N], on: bool) -> Vec<String> {
    let mut unknown = Vec::new();
    for n in names.iter().map(Borrow::borrow) {
        if n == "ALL" {
            enabled.fill(on);
        } else if let Some(m) = rule_by_name(n) {
            enabled[rule_index(m)] = on;
        } else {
            unknown.push(n.to_string());
        }
    }
    unknown
}

fn apply_rules(t: &RulesTable, enabled: &mut [bool], severity: &mut [Option<Option<Severity>>]) {
    if let Some(select) = &t.select {
        enabled.fill(false);
        switch(enabled, select, true);
    }
    switch(enabled, &t.extend_select, true);
    switch(enabled, &t.ignore, false);
    for (k, v) in &t.severity {
        if let Some(m) = rule_by_name(k.get_ref()) {
            let i = rule_index(m);
            severity[i] = Some(Severity::parse(v.get_ref()));
            if v.get_ref() != "off" {
                enabled[i] = true;
            }
        }
    }
}

/// The effective settings for one file. Indexed like [`RULES`].
#[derive(Clone, Debug)]
pub struct Settings {
    /// The profile in force.
    pub profile: Profile,
    /// Whether each rule of [`RULES`] runs.
    pub enabled: Vec<bool>,
    /// A severity the config forces on every finding of the rule.
    pub severity: Vec<Option<Severity>>,
    /// How many earlier issues `repeated-link` compares against.
    pub lookback: usize,
    /// Length of the events window in days.
    pub window_days: i64,
    /// Region headings, in their canonical order.
    pub regions: Vec<String>,
    /// Placeholder patterns beyond the template's markers.
    pub placeholders: Vec<Regex>,
    /// HTML tags `unknown-html-tag` accepts, lower-case.
    pub html_tags: Vec<String>,
    /// Lower-cased titles of the sections whose links count for
    /// `duplicate-link` and `repeated-link`.
    pub link_sections: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Config::default().settings_for(None)
    }
}

impl Settings {
    /// Whether the rule runs for this file.
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        self.enabled[rule_index(meta)]
    }

    /// The severity the config forces on the rule's findings, if any.
    pub fn forced_severity(&self, meta: &RuleMeta) -> Option<Severity> {
        self.severity[rule_index(meta)]
    }

    /// Turns rules on or off by name, as the CLI's and the editor's
    /// `select`/`ignore` lists do. Unknown names are returned.
    pub fn select_ignore(&mut self, select: &[String], ignore: &[String]) -> Vec<String> {
        if !select.is_empty() {
            self.enabled.fill(false);
        }
        let mut unknown = switch(&mut self.enabled, select, true);
        unknown.extend(switch(&mut self.enabled, ignore, false));
        unknown
    }

    /// Turns off the rules that never offer a fix: what fixing and
    /// formatting need no work from (nor a link index for).
    pub fn disable_unfixable(&mut self) {
        for (on, r) in self.enabled.iter_mut().zip(RULES) {
            *on &= r.meta().fix != crate::rules::FixAvailability::None;
        }
    }
}

#[cfg(test)]
impl Settings {
    /// Only the given rule on: for the rules' unit tests.
    pub(crate) fn only(meta: &RuleMeta) -> Settings {
        let mut s = Settings::default();
        s.enabled.fill(false);
        s.enabled[rule_index(meta)] = true;
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_out_of_range_point_at_their_key() {
        for (text, want) in [
            (
                "lookback = 3\nwindow-days = 7304485\n",
                "window-days must be from 1 to 366",
            ),
            ("window-days = 0\n", "window-days must be from 1 to 366"),
            (
                "lookback = 3\nwindow-days = -5\n",
                "window-days must be from 1 to 366",
            ),
            (
                "window-days = 28\nlookback = 99999999\n",
                "lookback must be at most",
            ),
        ] {
            let err = Config::parse(text).unwrap_err();
            assert!(err.message.contains(want), "{text:?}: {}", err.message);
            let key_line = text
                .lines()
                .position(|l| want.starts_with(l.split(' ').next().unwrap()))
                .unwrap();
            assert_eq!(
                err.line_col(text).map(|(l, _)| l),
                Some(key_line + 1),
                "{text:?}"
            );
        }
        assert!(Config::parse("window-days = 366\nlookback = 10000\n").is_ok());
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let text = "lookback = 10\nwindow = 3\n";
        let err = Config::parse(text).unwrap_err();
        assert!(
            err.message.contains("unknown field `window`"),
            "{}",
            err.message
        );
        assert_eq!(err.line_col(text), Some((2, 1)));
    }

    #[test]
    fn unknown_rule_and_bad_severity_are_errors_with_spans() {
        let text = "[rules]\nignore = [\"placeholder\", \"no-such-rule\"]\n";
        let err = Config::parse(text).unwrap_err();
        assert!(err.message.contains("no-such-rule"));
        assert_eq!(err.line_col(text), Some((2, 26)));
        let text = "[rules.severity]\nplaceholder = \"fatal\"\n";
        let err = Config::parse(text).unwrap_err();
        assert_eq!(err.line_col(text), Some((2, 15)));
    }

    #[test]
    fn profile_follows_the_draft_directory_and_overrides() {
        let c = Config::default();
        assert_eq!(
            c.settings_for(Some("draft/2024-11-06-this-week-in-rust.md"))
                .profile,
            Profile::Draft
        );
        assert_eq!(
            c.settings_for(Some("content/2024-11-06-this-week-in-rust.md"))
                .profile,
            Profile::Publish
        );
        let c = Config::parse(
            "[[overrides]]\nfiles = [\"content/**\"]\nprofile = \"draft\"\n[overrides.rules]\nignore = [\"mojibake\"]\n",
        )
        .unwrap();
        let s = c.settings_for(Some("content/x.md"));
        assert_eq!(s.profile, Profile::Draft);
        assert!(!s.is_enabled(rule_by_name("mojibake").unwrap()));
        assert!(
            c.settings_for(Some("other/x.md"))
                .is_enabled(rule_by_name("mojibake").unwrap())
        );
    }
}
