//! The links of recent issues, for `repeated-link`.
//!
//! Built once per run (by `twirl-workspace`, or by the CLI from the issues
//! it parses anyway) and shared by every file checked; the language server
//! keeps one per folder. What [`LinkIndex::find`] answers does not depend
//! on the order issues were added in.
//! Entries carry line and column so a diagnostic can point into a file the
//! reader does not hold.

use std::hash::BuildHasher;
use std::path::Path;

use hashbrown::HashTable;

use crate::config::Settings;
use crate::diagnostic::FilePosition;
use crate::issue::{Date, Issue, LinkKind, LinkRole, parse};
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
/// [`LinkIndex::add_links`]. The keys are written one after another into
/// one string, so collecting an issue's links allocates a few buffers,
/// not a string per link.
#[derive(Clone, Debug, Default)]
pub struct IssueLinks {
    keys: String,
    /// Each link: where its key ends in `keys` (it starts where the one
    /// before it ends), and where the link starts and ends.
    links: Vec<(usize, FilePosition, FilePosition)>,
}

impl IssueLinks {
    /// The counted links (community section by default) of an issue
    /// parsed from `text`.
    pub fn of(text: &str, issue: &Issue, settings: &Settings) -> Self {
        let mut out = IssueLinks::default();
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
            out.keys.push_str(key);
            out.links.push((
                out.keys.len(),
                position(text, &issue.line_index, link.range.start),
                position(text, &issue.line_index, link.range.end),
            ));
        }
        out
    }
}

/// The links of recent issues by key. Every distinct key is written once
/// into one string, and every link is an entry chained to the one before
/// it with the same key, so the index holds a handful of buffers rather
/// than a string and a vector per key: adding an issue's links allocates
/// little, and dropping the index frees little.
#[derive(Clone, Debug, Default)]
pub struct LinkIndex {
    /// The indexed issues.
    pub issues: Vec<IndexedIssue>,
    /// The distinct keys, one after another.
    keys: String,
    /// One per distinct key.
    slots: Vec<Slot>,
    /// A key's slot, found by the key's hash.
    table: HashTable<usize>,
    hasher: foldhash::fast::RandomState,
    entries: Vec<Entry>,
    /// The issues' dates, sorted, without duplicates: what `find` counts
    /// the look-back in.
    dates: Vec<Date>,
}

#[derive(Clone, Debug)]
struct Slot {
    /// The key's range in [`LinkIndex::keys`].
    start: usize,
    end: usize,
    /// The key's latest entry.
    last: usize,
}

impl Slot {
    fn key<'a>(&self, keys: &'a str) -> &'a str {
        &keys[self.start..self.end]
    }
}

#[derive(Clone, Debug)]
struct Entry {
    link: IndexedLink,
    /// The entry added before it with the same key.
    prev: Option<usize>,
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
        self.entries.reserve(links.links.len());
        let mut key_start = 0;
        for (key_end, start, end) in links.links {
            let key = &links.keys[key_start..key_end];
            key_start = key_end;
            let entry = self.entries.len();
            let link = IndexedLink {
                issue: id,
                start,
                end,
            };
            let hash = self.hasher.hash_one(key);
            let (keys, slots) = (&self.keys, &mut self.slots);
            let found = self
                .table
                .find(hash, |&s| slots[s].key(keys) == key)
                .copied();
            let prev = match found {
                Some(s) => Some(std::mem::replace(&mut slots[s].last, entry)),
                None => {
                    let start = self.keys.len();
                    self.keys.push_str(key);
                    self.slots.push(Slot {
                        start,
                        end: self.keys.len(),
                        last: entry,
                    });
                    let (keys, slots, hasher) = (&self.keys, &self.slots, &self.hasher);
                    self.table.insert_unique(hash, slots.len() - 1, |&s| {
                        hasher.hash_one(slots[s].key(keys))
                    });
                    None
                }
            };
            self.entries.push(Entry { link, prev });
        }
    }

    /// The entries with `key`, latest first.
    fn entries_of<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a IndexedLink> + 'a {
        let hash = self.hasher.hash_one(key);
        let slot = self
            .table
            .find(hash, |&s| self.slots[s].key(&self.keys) == key);
        let mut next = slot.map(|&s| self.slots[s].last);
        std::iter::from_fn(move || {
            let e = &self.entries[next?];
            next = e.prev;
            Some(&e.link)
        })
    }

    /// How many distinct keys the index holds.
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    /// Whether the index holds no link.
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
        // issues were added in. The entries come latest first, so an entry
        // replaces the best only when it is strictly later.
        let mut best: Option<(&IndexedIssue, &IndexedLink)> = None;
        for e in self.entries_of(key) {
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
                    links.keys.push_str(key);
                    links.links.push((links.keys.len(), at(line), at(line + 1)));
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
