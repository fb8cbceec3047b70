//! The links of recent issues, for `repeated-link`.
//!
//! Built once per run (by `twirl-workspace`, or by the CLI from the issues
//! it parses anyway) and shared by every file checked; the language server
//! keeps one per folder. What [`LinkIndex::find`] answers does not depend
//! on the order issues were added in.
//! Entries carry line and column so a diagnostic can point into a file the
//! reader does not hold.

use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::FilePosition;
use crate::issue::{Date, Issue, LinkKind, LinkRole, parse};
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

/// The counted links of one issue, keyed and placed, ready for
/// [`LinkIndex::add_links`].
#[derive(Clone, Debug, Default)]
pub struct IssueLinks(Vec<(String, FilePosition, FilePosition)>);

impl IssueLinks {
    /// The counted links (community section by default) of an issue
    /// parsed from `text`.
    pub fn of(text: &str, issue: &Issue, settings: &Settings) -> Self {
        let mut out = Vec::new();
        for (i, link) in issue.links.iter().enumerate() {
            if link.kind != LinkKind::Inline
                || link.role == LinkRole::EventTitle
                || !is_counted_link(issue, settings, link)
            {
                continue;
            }
            let Some(key) = issue.link_key(text, i) else {
                continue;
            };
            out.push((
                key.to_owned(),
                position(text, &issue.line_index, link.range.start),
                position(text, &issue.line_index, link.range.end),
            ));
        }
        IssueLinks(out)
    }
}

#[derive(Clone, Debug, Default)]
pub struct LinkIndex {
    pub issues: Vec<IndexedIssue>,
    links: crate::FastMap<String, Vec<IndexedLink>>,
    /// The issues' dates, sorted, without duplicates: what `find` counts
    /// the look-back in.
    dates: Vec<Date>,
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
        self.add_parsed(path, date, text, &parse(text), settings);
    }

    /// Adds an issue already parsed from `text`: a caller that checks the
    /// same files it indexes parses each once.
    pub fn add_parsed(
        &mut self,
        path: &str,
        date: Date,
        text: &str,
        issue: &Issue,
        settings: &Settings,
    ) {
        self.add_links(path, date, IssueLinks::of(text, issue, settings));
    }

    /// Adds the links of one issue, collected by [`IssueLinks::of`]: the
    /// costly part runs wherever the issue was parsed, this part is cheap.
    pub fn add_links(&mut self, path: &str, date: Date, links: IssueLinks) {
        let id = self.issues.len();
        self.issues.push(IndexedIssue {
            path: path.to_string(),
            date,
        });
        if let Err(at) = self.dates.binary_search(&date) {
            self.dates.insert(at, date);
        }
        for (key, start, end) in links.0 {
            self.links.entry(key).or_default().push(IndexedLink {
                issue: id,
                start,
                end,
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
        // The distinct dates before `before`; the look-back counts dates.
        let earlier = &self.dates[..self.dates.partition_point(|d| *d < before)];
        if earlier.is_empty() || lookback == 0 {
            return None;
        }
        let cutoff = earlier[earlier.len().saturating_sub(lookback)];
        // The latest issue; between issues of one date the last by path,
        // and in it the last occurrence: the same answer whatever order the
        // issues were added in.
        entries
            .iter()
            .map(|e| (&self.issues[e.issue], e))
            .filter(|(i, _)| i.date >= cutoff && i.date < before)
            .max_by(|(a, _), (b, _)| {
                a.date
                    .cmp(&b.date)
                    .then_with(|| Path::new(&a.path).cmp(Path::new(&b.path)))
            })
    }
}
