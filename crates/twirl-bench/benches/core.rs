//! twirl's phases on corpus documents: the comrak floor, parse, lint per
//! rule family, fmt, the LinkIndex build, and how lint scales with the
//! size of the events section.
//!
//! `cargo bench -p twirl-bench --bench core`; CI runs each benchmark once,
//! as a test, with `cargo test --bench '*'`. Reads
//! `$TWIRL_CORPUS` or `<repo>/../shared/corpus`, and skips with a message
//! when it is missing.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use twirl_core::{CheckContext, Config, Issue, LinkIndex, RULES, Settings, check, parse};

/// The largest 2024 issue (41 KB).
const LARGEST: &str = "2024-11-20-this-week-in-rust.md";

struct Corpus {
    /// Published issues, by file name.
    published: Vec<(PathBuf, String)>,
    /// The largest issue's path (as rules see it) and text.
    path: String,
    text: String,
    /// The issues of 2024 before the largest one, indexed.
    index: LinkIndex,
}

static CORPUS: LazyLock<Option<Corpus>> = LazyLock::new(|| {
    let published = twirl_bench::published();
    let (path, text) = published
        .iter()
        .find(|(p, _)| p.ends_with(LARGEST))
        .map(|(p, t)| (p.to_string_lossy().into_owned(), t.clone()))?;
    let index = build_index(&published_2024(&published), &settings());
    Some(Corpus {
        published,
        path,
        text,
        index,
    })
});

fn corpus() -> &'static Corpus {
    CORPUS.as_ref().expect("checked in main")
}

fn settings() -> Settings {
    Config::default().settings_for(Some(LARGEST))
}

/// Settings with only the default-enabled rules of one family on.
fn group_settings(group: &str) -> Settings {
    let mut s = settings();
    for (i, r) in RULES.iter().enumerate() {
        s.enabled[i] &= r.meta().group.as_str() == group;
    }
    s
}

fn published_2024(all: &[(PathBuf, String)]) -> Vec<(PathBuf, String)> {
    all.iter()
        .filter(|(p, _)| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("2024-"))
        })
        .cloned()
        .collect()
}

fn build_index(files: &[(PathBuf, String)], s: &Settings) -> LinkIndex {
    let mut index = LinkIndex::default();
    for (p, text) in files {
        let Some(date) = twirl_workspace::issue_file_date(p) else {
            continue;
        };
        index.add_issue(&p.to_string_lossy(), date, text, s);
    }
    index
}

fn lint(text: &str, issue: &Issue, s: &Settings, path: &str, index: Option<&LinkIndex>) -> usize {
    let cx = CheckContext {
        text,
        issue,
        settings: s,
        path: Some(path),
        index,
    };
    check(&cx).len()
}

fn main() {
    if CORPUS.is_none() {
        eprintln!(
            "twirl-bench: corpus not found (set $TWIRL_CORPUS or put it at ../shared/corpus); skipping"
        );
        return;
    }
    divan::main();
}

/// comrak alone on the largest issue: the floor.
#[divan::bench]
fn floor_comrak(b: Bencher<'_, '_>) {
    let c = corpus();
    b.bench(|| twirl_bench::comrak_parse(black_box(&c.text)));
}

/// `parse` on the largest issue: comrak plus twirl's lowering.
#[divan::bench]
fn parse_issue(b: Bencher<'_, '_>) {
    let c = corpus();
    b.bench(|| parse(black_box(&c.text)));
}

/// The rules of one family on the parsed largest issue, with the 2024
/// link index for `repeated-link`.
#[divan::bench(args = ["all", "dates", "event-format", "placeholders", "links", "structure", "encoding", "markdown"])]
fn lint_issue(b: Bencher<'_, '_>, group: &str) {
    let c = corpus();
    let s = if group == "all" {
        settings()
    } else {
        group_settings(group)
    };
    let issue = parse(&c.text);
    b.bench(|| lint(black_box(&c.text), &issue, &s, &c.path, Some(&c.index)));
}

/// `fmt`: the safe fixes to a fixpoint, on the largest issue.
#[divan::bench]
fn fmt_issue(b: Bencher<'_, '_>) {
    let c = corpus();
    let s = settings();
    b.bench(|| {
        twirl_core::format::format(black_box(&c.text), &s, Some(&c.path), Some(&c.index), false)
            .map(|o| o.text.len())
    });
}

/// The LinkIndex of the 2024 issues: parsing them and indexing, or only
/// indexing issues already parsed (what `twirl check` does).
#[divan::bench(args = ["parse-and-add", "add-parsed"])]
fn linkindex_2024(b: Bencher<'_, '_>, how: &str) {
    let files = published_2024(&corpus().published);
    let s = settings();
    if how == "parse-and-add" {
        b.bench(|| build_index(&files, &s).len());
    } else {
        let parsed: Vec<Issue> = files.iter().map(|(_, t)| parse(t)).collect();
        b.bench(|| {
            let mut index = LinkIndex::default();
            for ((p, text), issue) in files.iter().zip(&parsed) {
                let date = twirl_workspace::issue_file_date(p).expect("dated");
                index.add_parsed(&p.to_string_lossy(), date, text, issue, &s);
            }
            index.len()
        });
    }
}

/// The largest issue with each region's events repeated `k` times: parse
/// and lint must grow linearly with `k`.
#[divan::bench(args = [0, 1, 10, 100])]
fn events_scaling(b: Bencher<'_, '_>, k: usize) {
    let c = corpus();
    let text = twirl_bench::repeat_events(&c.text, k);
    let s = settings();
    b.bench(|| {
        let issue = parse(black_box(&text));
        lint(&text, &issue, &s, &c.path, Some(&c.index))
    });
}

/// Every published issue, parsed and linted one after the other, with no
/// index (the corpus test's configuration).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn corpus_check(b: Bencher<'_, '_>) {
    let c = corpus();
    let s = Config::default();
    b.bench(|| {
        let mut n = 0;
        for (p, text) in &c.published {
            let path = p.to_string_lossy();
            let settings = s.settings_for(Some(&path));
            n += lint(text, &parse(text), &settings, &path, None);
        }
        n
    });
}
