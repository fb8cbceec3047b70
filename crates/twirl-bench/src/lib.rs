//! twirl-bench: what twirl's speed is measured against, and the corpus the
//! benchmarks read.
//!
//! The `floor` binary reads the same issue files `twirl check` would and
//! only parses them with comrak, with the options twirl uses, on one
//! thread: every comparison in `docs/performance.md` is a ratio to it, so
//! a run measures twirl against its own floor on the same machine at the
//! same moment.

use std::path::{Path, PathBuf};

/// The corpus: `$TWIRL_CORPUS`, else `<repo>/../shared/corpus`, if it is a
/// directory.
pub fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("TWIRL_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    p.is_dir().then_some(p)
}

/// The published issues, sorted by file name, as `(path, text)`.
pub fn published() -> Vec<(PathBuf, String)> {
    let Some(dir) = corpus().map(|c| c.join("published")) else {
        return Vec::new();
    };
    let files = twirl_workspace::find_issue_files(&[dir]).unwrap_or_default();
    files
        .into_iter()
        .filter_map(|p| {
            let text = twirl_workspace::read_issue(&p).ok()?.text;
            Some((p, text))
        })
        .collect()
}

/// Parses `text` with comrak only, as twirl's parser does before lowering:
/// the floor. Returns the number of nodes so the work cannot be optimised
/// away.
pub fn comrak_parse(text: &str) -> usize {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, text, &twirl_core::issue::comrak_options());
    root.descendants().count()
}

/// `text` with the events of each region of its Upcoming Events section
/// written `k` times (`k = 0` removes them): the same issue with an events
/// section `k` times as large, to measure that cost grows linearly. Each
/// copy's links point at a host of their own (`c2.example.org` for
/// `example.org`), so the copies are new events, not duplicates.
pub fn repeat_events(text: &str, k: usize) -> String {
    let issue = twirl_core::parse(text);
    let mut out = String::with_capacity(text.len() * k.max(1));
    let mut at = 0;
    for region in issue.events.iter().flat_map(|e| &e.regions) {
        let (Some(first), Some(last)) = (region.events.first(), region.events.last()) else {
            continue;
        };
        let block = &text[first.range.start..last.range.end];
        out.push_str(&text[at..first.range.start]);
        for copy in 0..k {
            if copy == 0 {
                out.push_str(block);
            } else {
                let host = format!("](https://c{copy}.");
                out.push_str(
                    &block
                        .replace("](https://", &host)
                        .replace("](http://", &host),
                );
            }
        }
        at = last.range.end;
    }
    out.push_str(&text[at..]);
    out
}
