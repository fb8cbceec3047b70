//! What a rule reports: a message on a byte range, maybe a fix, maybe a
//! pointer to a related place (the other copy of a duplicated link).

use crate::rules::RuleMeta;
use crate::text::TextRange;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Style that renders the same.
    Warning,
    /// Something readers would see wrong, missing or inconsistent.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Reads `info`, `warning` or `error` (`warn` too).
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// How sure a fix is. Ordered: `DisplayOnly < Unsafe < Safe`.
///
/// Safe keeps the meaning of the issue (removing an event that already
/// happened, stripping `utm_*`) and is what `twirl fmt` applies. Unsafe
/// guesses and needs `--unsafe-fixes` or a click in the editor; DisplayOnly
/// is shown as a suggestion and never applied by twirl itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Shown as a suggestion, never applied.
    DisplayOnly,
    /// Applied only on request (`--unsafe-fixes`, an editor's click).
    Unsafe,
    /// Keeps the meaning: applied by `fmt`.
    Safe,
}

impl Applicability {
    /// `display-only`, `unsafe` or `safe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace `range` of the source with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The bytes replaced.
    pub range: TextRange,
    /// What goes in their place.
    pub new_text: String,
}

impl Edit {
    /// Replaces `range` with `new_text`.
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    /// Deletes `range`.
    pub fn delete(range: TextRange) -> Edit {
        Edit::replace(range, "")
    }

    /// Inserts `text` at byte offset `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(TextRange::empty(at), text)
    }
}

/// A titled set of sorted, non-overlapping edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Imperative: "Remove stale event".
    pub title: String,
    /// Non-overlapping edits of the source.
    pub edits: Vec<Edit>,
    /// When the fix may be applied.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix of any applicability.
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Fix {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            title: title.into(),
            edits,
            applicability,
        }
    }

    /// A fix `fmt` applies.
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    /// A fix applied only on request.
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    /// A fix shown but never applied.
    pub fn display_only(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::DisplayOnly, edits)
    }

    /// A Safe fix of one edit.
    pub fn safe_edit(title: impl Into<String>, edit: Edit) -> Fix {
        Fix::new(title, Applicability::Safe, vec![edit])
    }

    /// An Unsafe fix of one edit.
    pub fn unsafe_edit(title: impl Into<String>, edit: Edit) -> Fix {
        Fix::new(title, Applicability::Unsafe, vec![edit])
    }

    /// The smallest range covering every edit.
    pub fn range(&self) -> TextRange {
        self.edits
            .iter()
            .map(|e| e.range)
            .reduce(TextRange::cover)
            .unwrap_or_default()
    }
}

/// A position in another issue file, already converted to lines and columns
/// since the reader of a diagnostic does not hold that file's text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FilePosition {
    /// 0-based line.
    pub line: u32,
    /// 0-based column in chars.
    pub col_chars: u32,
    /// 0-based column in UTF-16 units.
    pub col_utf16: u32,
    /// 0-based column in bytes.
    pub col_utf8: u32,
}

/// Where a related place is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RelatedLocation {
    /// A range in the same document.
    Here(TextRange),
    /// A range in another file.
    Other {
        /// The other file's path, as indexed.
        path: String,
        /// Where the place starts.
        start: FilePosition,
        /// Where the place ends.
        end: FilePosition,
    },
}

/// A second place that explains a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Related {
    /// Where the place is.
    pub location: RelatedLocation,
    /// What it is (`earlier copy`).
    pub message: String,
}

/// What each renderer makes of the text a finding is on, for findings
/// about text the site renders otherwise than the preview.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Renders {
    /// What readers get: this-week-in-rust.org and the email, rendered by
    /// Python-Markdown.
    pub site: String,
    /// What the author saw: GitHub's pull-request preview and editors'
    /// previews, which are CommonMark.
    pub preview: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: &'static RuleMeta,
    /// Its severity for this file.
    pub severity: Severity,
    /// A phrase without a trailing period.
    pub message: String,
    /// Where it is in the source.
    pub range: TextRange,
    /// A fix, when one is known.
    pub fix: Option<Fix>,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// For a finding about rendering: what the site and the preview show.
    pub renders: Option<Renders>,
}

impl Diagnostic {
    /// A diagnostic at the rule's default severity.
    pub fn new(rule: &'static RuleMeta, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            range,
            fix: None,
            related: Vec::new(),
            renders: None,
        }
    }

    /// The same finding at another severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Says what the site and the preview make of the text.
    pub fn with_renders(mut self, site: impl Into<String>, preview: impl Into<String>) -> Self {
        self.renders = Some(Renders {
            site: site.into(),
            preview: preview.into(),
        });
        self
    }

    /// The same finding with a fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The same finding with a related place.
    pub fn with_related(mut self, location: RelatedLocation, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
}

/// The findings of `new` (on `new_text`) that `old` (on `old_text`) does not
/// have. Two findings are the same when they come from the same rule and
/// point at the same text, counted as a multiset: line numbers play no part,
/// so a line moved by an insertion above is not new. `twirl check --since`
/// is this, with the old text read from git.
pub fn introduced(
    new_text: &str,
    new: Vec<Diagnostic>,
    old_text: &str,
    old: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    for d in old {
        *seen
            .entry((d.rule.name, &old_text[d.range.as_range()]))
            .or_default() += 1;
    }
    new.into_iter()
        .filter(
            |d| match seen.get_mut(&(d.rule.name, &new_text[d.range.as_range()])) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rule_by_name;

    #[test]
    fn introduced_ignores_moves_and_counts_copies() {
        let rule = rule_by_name("placeholder").unwrap();
        let at = |text: &str, from: usize| {
            let start = text[from..].find("TODO").unwrap() + from;
            Diagnostic::new(rule, TextRange::new(start, start + 4), "placeholder")
        };
        let old_text = "a TODO\n";
        let new_text = "new line\na TODO\nb TODO\n";
        let old = vec![at(old_text, 0)];
        let new = vec![at(new_text, 0), at(new_text, 12)];
        let kept = introduced(new_text, new, old_text, &old);
        assert_eq!(
            kept.len(),
            1,
            "the moved one is old, the second copy is new"
        );
        assert_eq!(kept[0].range.start, 18);
    }
}
