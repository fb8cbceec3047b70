//! The links of recent issues, for `repeated-link`.
//!
//! Built once per run (by `twirl-workspace`, which reads the files) and
//! shared by every file checked; the language server keeps one per folder.
//! Entries carry line and column so a diagnostic can point into a file the
//! reader does not hold.

use std::collections::HashMap;

use crate::config::Settings;
use crate::diagnostic::FilePosition;
use crate::issue::{Date, LinkKind, LinkRole, parse};
use crate::normalize::normalize_url;
use crate::rules::is_counted_link;
use crate::text::Encoding;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedIssue {
    pub path: String,
    pub date: Date,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedLink {
    /// Index into [`LinkIndex::issues`].
    pub issue: usize,
    pub start: FilePosition,
    pub end: FilePosition,
}

#[derive(Clone, Debug, Default)]
pub struct LinkIndex {
    pub issues: Vec<IndexedIssue>,
    links: HashMap<String, Vec<IndexedLink>>,
}

fn position(text: &str, idx: &crate::text::LineIndex, offset: usize) -> FilePosition {
    let c = idx.line_col(text, offset, Encoding::Chars);
    FilePosition {
        line: c.line,
        col_chars: c.col,
        col_utf16: idx.line_col(text, offset, Encoding::Utf16).col,
        col_utf8: idx.line_col(text, offset, Encoding::Utf8).col,
    }
}

impl LinkIndex {
    /// Adds the counted links (community section by default) of one issue.
    pub fn add_issue(&mut self, path: &str, date: Date, text: &str, settings: &Settings) {
        let issue = parse(text);
        let id = self.issues.len();
        self.issues.push(IndexedIssue {
            path: path.to_string(),
            date,
        });
        for link in &issue.links {
            if link.kind != LinkKind::Inline
                || link.role == LinkRole::EventTitle
                || !is_counted_link(&issue, settings, link)
            {
                continue;
            }
            let Some(key) = normalize_url(&link.url) else {
                continue;
            };
            self.links.entry(key).or_default().push(IndexedLink {
                issue: id,
                start: position(text, &issue.line_index, link.range.start),
                end: position(text, &issue.line_index, link.range.end),
            });
        }
    }

    pub fn len(&self) -> usize {
        self.issues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }

    /// The latest of the `lookback` issues dated before `before` that holds
    /// the link with normalised `key`.
    pub fn find(
        &self,
        key: &str,
        before: Date,
        lookback: usize,
    ) -> Option<(&IndexedIssue, &IndexedLink)> {
        let entries = self.links.get(key)?;
        let mut earlier: Vec<Date> = self
            .issues
            .iter()
            .map(|i| i.date)
            .filter(|d| *d < before)
            .collect();
        if earlier.is_empty() || lookback == 0 {
            return None;
        }
        earlier.sort_unstable();
        earlier.dedup();
        let cutoff = earlier[earlier.len().saturating_sub(lookback)];
        entries
            .iter()
            .map(|e| (&self.issues[e.issue], e))
            .filter(|(i, _)| i.date >= cutoff && i.date < before)
            .max_by_key(|(i, _)| i.date)
    }
}
