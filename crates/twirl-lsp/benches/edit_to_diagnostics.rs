//! A one-character edit to published diagnostics, on the largest published
//! issue, through the in-process server (debounce off, so the figure is the
//! server's own work: apply the change, re-parse, re-lint, convert,
//! publish). Also the bare lint pass for comparison, and the floor: one
//! in-process comrak parse of the same text, timed between the edits, so
//! the edit's cost is also a ratio to a baseline of the same run.
//!
//! `cargo bench -p twirl-lsp --bench edit_to_diagnostics`; reads
//! `$TWIRL_CORPUS` or `<repo>/../shared/corpus`, and skips with a message
//! when it is missing.

#[path = "../tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{TestClient, uri};
use tower_lsp::lsp_types::{Position, Range};

const ISSUE: &str = "published/2024-11-20-this-week-in-rust.md";
const NAME: &str = "2024-11-20-this-week-in-rust.md";

fn text() -> Option<&'static str> {
    static TEXT: OnceLock<Option<String>> = OnceLock::new();
    TEXT.get_or_init(|| {
        let path = common::corpus()?.join(ISSUE);
        let bytes = std::fs::read(path).ok()?;
        Some(twirl_core::decode(&bytes).ok()?.text)
    })
    .as_deref()
}

struct Session {
    rt: tokio::runtime::Runtime,
    client: TestClient,
    version: i32,
    /// The 0-based line the edits are made at.
    line: u32,
}

impl Session {
    fn new(text: &str, line: u32) -> Session {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let client = rt.block_on(async {
            let mut c = TestClient::with_options(twirl_lsp::Options {
                debounce: Duration::ZERO,
            });
            c.initialize(false).await;
            let u = uri(NAME);
            c.open(&u, text, 1).await;
            c.diagnostics(&u, Some(1)).await;
            c
        });
        Session {
            rt,
            client,
            version: 1,
            line,
        }
    }

    /// Types one character (or deletes it again) and waits for the
    /// diagnostics of that version.
    fn edit(&mut self) -> usize {
        self.version += 1;
        let v = self.version;
        let (range, new_text) = if v % 2 == 0 {
            (
                Range::new(Position::new(self.line, 0), Position::new(self.line, 0)),
                "x",
            )
        } else {
            (
                Range::new(Position::new(self.line, 0), Position::new(self.line, 1)),
                "",
            )
        };
        let c = &mut self.client;
        self.rt.block_on(async {
            let u = uri(NAME);
            c.change(&u, v, Some(range), new_text).await;
            c.diagnostics(&u, Some(v)).await.diagnostics.len()
        })
    }
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

#[divan::bench(sample_count = 200, sample_size = 1)]
fn edit_to_published_diagnostics(bencher: divan::Bencher<'_, '_>) {
    let Some(text) = text() else {
        return;
    };
    SESSION.with(|s| {
        let mut s = s.borrow_mut();
        let session = s.get_or_insert_with(|| Session::new(text, INTRO_LINE));
        bencher.bench_local(|| session.edit());
    });
}

#[divan::bench(sample_count = 200, sample_size = 1)]
fn lint_pass_only(bencher: divan::Bencher<'_, '_>) {
    let Some(text) = text() else {
        return;
    };
    let settings = twirl_core::Settings::default();
    bencher.bench(|| {
        let issue = twirl_core::parse(text);
        let cx = twirl_core::CheckContext {
            text,
            issue: &issue,
            settings: &settings,
            path: Some(NAME),
            index: None,
        };
        twirl_core::check(&cx).len()
    });
}

/// The line the edits are made at: one of the introduction's paragraphs.
const INTRO_LINE: u32 = 10;

/// The first event line under `### {region}`, in the events section.
fn event_line(text: &str, region: &str) -> u32 {
    let at = text
        .find(&format!("\n### {region}\n"))
        .expect("the issue has the region");
    let event = at + text[at..].find("\n* ").expect("the region has events") + 1;
    text[..event].matches('\n').count() as u32
}

/// Median and p99 of the edit round trip at `line`, which divan does not
/// report, and the median of a comrak parse of the same text timed between
/// the edits (the floor), as a baseline for the edit's median.
fn percentiles(text: &str, line: u32, place: &str) {
    let mut s = Session::new(text, line);
    for _ in 0..20 {
        s.edit();
        twirl_bench::comrak_parse(text);
    }
    let (mut times, mut floor): (Vec<Duration>, Vec<Duration>) = (0..400)
        .map(|_| {
            let t = Instant::now();
            s.edit();
            let edit = t.elapsed();
            let t = Instant::now();
            std::hint::black_box(twirl_bench::comrak_parse(std::hint::black_box(text)));
            (edit, t.elapsed())
        })
        .unzip();
    times.sort();
    floor.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    let floor_median = floor[floor.len() / 2];
    eprintln!(
        "edit -> publishDiagnostics on {ISSUE} ({} bytes), {place} (line {}), {} runs: median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        text.len(),
        line + 1,
        times.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        times[times.len() - 1]
    );
    eprintln!(
        "floor (comrak parse in process, between the edits): median {:?}; the edit's median is {:.2}x it, its p99 {:.2}x",
        floor_median,
        at(0.5).as_secs_f64() / floor_median.as_secs_f64(),
        at(0.99).as_secs_f64() / floor_median.as_secs_f64()
    );
}

fn main() {
    let Some(text) = text() else {
        eprintln!("corpus not found (set TWIRL_CORPUS): edit_to_diagnostics skipped");
        return;
    };
    // `cargo test --bench '*'` runs each benchmark once, as a test; the
    // percentiles are measurements, for `cargo bench` only.
    if std::env::args().any(|a| a == "--bench") {
        percentiles(text, INTRO_LINE, "in the introduction");
        percentiles(text, event_line(text, "Europe"), "an event in Europe");
    }
    divan::main();
}
