//! The links of recent issues, for `repeated-link`.
//!
//! Built once per run (by `twirl-workspace`, or by the CLI from the issues
//! it parses anyway) and shared by every file checked; the language server
//! keeps one per folder. What [`LinkIndex::find`] answers does not depend
//! on the order issues were added in.
//! Entries carry line and column so a diagnostic can point into a file the
//! reader does not hold.

use std::path::Path;

use crate::FastMap;
use crate::config::Settings;
use crate::diagnostic::FilePosition;
use crate::issue::{Date, Issue, Link, LinkKind, LinkRole, parse};
use crate::rules::is_counted_link;
use crate::text::Encoding;

/// An issue of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedIssue {
    /// The file, as given to the index.
    pub path: String,
    /// The issue's date.
    pub date: Date,
}

/// A place an indexed link is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedLink {
    /// Index into [`LinkIndex::issues`].
    pub issue: usize,
    /// Where the link starts.
    pub start: FilePosition,
    /// Where the link ends.
    pub end: FilePosition,
}

/// The counted links of one issue, keyed and placed, ready for
/// [`LinkIndex::add_links`].
#[derive(Clone, Debug, Default)]
pub struct IssueLinks {
    /// Each link's key, and where the link starts and ends.
    links: Vec<(String, FilePosition, FilePosition)>,
}

impl IssueLinks {
    /// The counted links (community section by default) of an issue
    /// parsed from `text`.
    pub fn of(text: &str, issue: &Issue, settings: &Settings) -> Self {
        let at = |offset| position(text, &issue.line_index, offset);
        let links = keyed_links(text, issue, settings)
            .map(|(link, key)| (key.to_string(), at(link.range.start), at(link.range.end)))
            .collect();
        IssueLinks { links }
    }
}

/// The links an index holds of an issue and `repeated-link` looks up, with
/// their keys: inline links of the counted sections, event titles aside.
pub(crate) fn keyed_links<'a>(
    text: &'a str,
    issue: &'a Issue,
    settings: &'a Settings,
) -> impl Iterator<Item = (&'a Link, &'a str)> {
    issue.links.iter().enumerate().filter_map(move |(i, link)| {
        let indexed = link.kind == LinkKind::Inline
            && link.role != LinkRole::EventTitle
            && is_counted_link(issue, settings, link);
        if !indexed {
            return None;
        }
        Some((link, issue.link_key(text, i)?))
    })
}

/// The links of recent issues by key.
#[derive(Clone, Debug, Default)]
pub struct LinkIndex {
    /// The indexed issues.
    pub issues: Vec<IndexedIssue>,
    /// Every link added, by key, in the order added.
    links: FastMap<String, Vec<IndexedLink>>,
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
        let issue = self.issues.len();
        self.issues.push(IndexedIssue {
            path: path.to_string(),
            date,
        });
        if let Err(at) = self.dates.binary_search(&date) {
            self.dates.insert(at, date);
        }
        for (key, start, end) in links.links {
            let link = IndexedLink { issue, start, end };
            self.links.entry(key).or_default().push(link);
        }
    }

    /// How many issues the index holds.
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    /// Whether the index holds no issue.
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
        // The distinct dates before `before`; the look-back counts dates.
        let earlier = &self.dates[..self.dates.partition_point(|d| *d < before)];
        if earlier.is_empty() || lookback == 0 {
            return None;
        }
        let cutoff = earlier[earlier.len().saturating_sub(lookback)];
        // The latest issue; between issues of one date the last by path,
        // and in it the last occurrence: the same answer whatever order the
        // issues were added in. The links are walked latest first, so a
        // link replaces the best only when it is strictly later.
        let mut best: Option<(&IndexedIssue, &IndexedLink)> = None;
        for e in self.links.get(key).into_iter().flatten().rev() {
            let i = &self.issues[e.issue];
            if i.date < cutoff || i.date >= before {
                continue;
            }
            let later = best.is_none_or(|(b, _)| {
                i.date
                    .cmp(&b.date)
                    .then_with(|| Path::new(&i.path).cmp(Path::new(&b.path)))
                    .is_gt()
            });
            if later {
                best = Some((i, e));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(line: u32) -> FilePosition {
        FilePosition {
            line,
            col_chars: 0,
            col_utf16: 0,
            col_utf8: 0,
        }
    }

    /// One issue to add: its path, its date (a day of January 2024), and
    /// its links' keys.
    fn issue_strategy() -> impl Strategy<Value = (String, u8, Vec<String>)> {
        (
            prop::sample::select(vec!["a.md", "b.md", "c/a.md", "d.md"]),
            1u8..8,
            prop::collection::vec("[xyz]{0,2}", 0..6),
        )
            .prop_map(|(p, d, keys)| (p.to_string(), d, keys))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// `find` gives what a plain scan of every link added gives: the
        /// latest issue in the look-back holding the key, the last by path
        /// between issues of one date, and its last occurrence of the key.
        /// Issues are added in any order (the CLI adds them as its workers
        /// parse them).
        #[test]
        fn find_agrees_with_a_plain_scan(
            (issues, order) in prop::collection::vec(issue_strategy(), 0..8).prop_flat_map(|v| {
                let order = Just((0..v.len()).collect::<Vec<_>>()).prop_shuffle();
                (Just(v), order)
            }),
            queries in prop::collection::vec(("[xyz]{0,2}", 1u8..10, 0usize..4), 1..8),
        ) {
            let day = |d: u8| Date::new(2024, 1, d as i8).expect("a January day");
            let mut index = LinkIndex::default();
            // (key, issue, line) for every link, in the order added.
            let mut all: Vec<(String, usize, u32)> = Vec::new();
            for &n in &order {
                let (path, d, keys) = &issues[n];
                let mut links = IssueLinks::default();
                for (line, key) in keys.iter().enumerate() {
                    let line = line as u32;
                    links.links.push((key.clone(), at(line), at(line + 1)));
                    all.push((key.clone(), n, line));
                }
                index.add_links(path, day(*d), links);
            }
            let mut dates: Vec<Date> = issues.iter().map(|i| day(i.1)).collect();
            dates.sort();
            dates.dedup();
            for (key, before, lookback) in &queries {
                let before = day(*before);
                let earlier: Vec<Date> = dates.iter().copied().filter(|d| *d < before).collect();
                let expected = if earlier.is_empty() || *lookback == 0 {
                    None
                } else {
                    let cutoff = earlier[earlier.len().saturating_sub(*lookback)];
                    all.iter()
                        .filter(|(k, n, _)| {
                            let date = day(issues[*n].1);
                            k == key && date >= cutoff && date < before
                        })
                        .max_by(|(_, a, _), (_, b, _)| {
                            day(issues[*a].1)
                                .cmp(&day(issues[*b].1))
                                .then_with(|| Path::new(&issues[*a].0).cmp(Path::new(&issues[*b].0)))
                        })
                        .map(|(_, n, line)| (issues[*n].0.clone(), day(issues[*n].1), *line))
                };
                let got = index
                    .find(key, before, *lookback)
                    .map(|(i, l)| (i.path.clone(), i.date, l.start.line));
                prop_assert_eq!(got, expected);
            }
        }
    }
}
