//! Corpus-wide properties of `twirl check` on real TWiR issues.

use crate::common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use twirl_core::{CheckContext, Config, Diagnostic, Encoding, check, parse};

pub(crate) fn issue_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .collect();
    v.sort();
    v
}

/// Checks `text` as the file at `path`, with the default config.
fn lint(text: &str, path: &str) -> (twirl_core::Issue, Vec<Diagnostic>) {
    let settings = Config::default().settings_for(Some(path));
    let issue = parse(text);
    let cx = CheckContext {
        text,
        issue: &issue,
        settings: &settings,
        path: Some(path),
        index: None,
    };
    let d = check(&cx);
    (issue, d)
}

fn read(p: &Path) -> String {
    twirl_core::decode(&std::fs::read(p).unwrap()).unwrap().text
}

#[test]
fn every_corpus_file_checks_without_a_rule_failing() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut dirs = vec![
        corpus.join("published"),
        corpus.join("defects-2022-2024/defects"),
        corpus.join("drafts/seed"),
    ];
    for e in std::fs::read_dir(corpus.join("drafts")).unwrap().flatten() {
        dirs.push(e.path());
    }
    let mut n = 0;
    for d in dirs.iter().filter(|d| d.is_dir()) {
        for f in issue_files(d) {
            let (_, diags) = lint(&read(&f), &f.to_string_lossy());
            let failed: Vec<_> = diags
                .iter()
                .filter(|d| d.rule.name == "internal-error")
                .collect();
            assert!(failed.is_empty(), "{}: {:?}", f.display(), failed);
            n += 1;
        }
    }
    assert!(n > 900, "only {n} corpus files found");
}

#[test]
fn findings_per_rule_over_published_2022_to_2024() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in issue_files(&corpus.join("published")) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if !(name.starts_with("2022") || name.starts_with("2023") || name.starts_with("2024")) {
            continue;
        }
        let (_, diags) = lint(&read(&f), &format!("content/{name}"));
        for d in diags {
            *counts
                .entry(format!("{} {}", d.rule.name, d.severity.as_str()))
                .or_default() += 1;
        }
    }
    insta::assert_debug_snapshot!(counts);
}

/// Which rules catch each kind of labelled defect.
fn rules_for(kind: &str) -> &'static [&'static str] {
    match kind {
        "event-out-of-range" => &["event-outside-window"],
        "event-format" => &[
            "event-format",
            "list-bullet",
            "link-scheme",
            "event-location",
        ],
        "placeholder" => &["placeholder", "empty-section"],
        "duplicate-link" => &["duplicate-link"],
        "tracking-param" => &["tracking-param"],
        "link-scheme" => &["link-scheme"],
        "backticks" => &["odd-backticks", "empty-backticks"],
        "html-tag" => &["unknown-html-tag"],
        "empty-item" => &["empty-list-item"],
        "truncated-title" => &["truncated-title"],
        _ => &[],
    }
}

#[test]
fn recall_on_real_defects() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let root = corpus.join("defects-2022-2024");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).unwrap())
            .unwrap();
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rec in manifest.as_array().unwrap() {
        let kind = rec["kind"].as_str().unwrap();
        let text = read(&root.join(rec["file"].as_str().unwrap()));
        let (issue, diags) = lint(&text, rec["path"].as_str().unwrap());
        let rules = rules_for(kind);
        let found: HashSet<u32> = diags
            .iter()
            .filter(|d| rules.contains(&d.rule.name))
            .map(|d| {
                issue
                    .line_index
                    .line_col(&text, d.range.start, Encoding::Utf8)
                    .line
                    + 1
            })
            .collect();
        let lines: Vec<(u64, String)> = match rec.get("lines").and_then(|l| l.as_array()) {
            Some(ls) => ls
                .iter()
                .map(|l| {
                    (
                        l["line"].as_u64().unwrap(),
                        l["excerpt"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect(),
            None => vec![(
                rec["line"].as_u64().unwrap(),
                rec["excerpt"].as_str().unwrap_or("").to_string(),
            )],
        };
        let e = per_kind.entry(kind.to_string()).or_default();
        for (line, excerpt) in lines {
            e.1 += 1;
            if found.contains(&(line as u32)) {
                e.0 += 1;
            } else {
                missed.entry(kind.to_string()).or_default().push(format!(
                    "{}:{line}: {excerpt}",
                    rec["file"].as_str().unwrap()
                ));
            }
        }
    }
    let mut table = String::from("kind                 found/lines  recall\n");
    for (k, (f, t)) in &per_kind {
        table.push_str(&format!(
            "{k:<20} {f:>5}/{t:<5}  {:>5.1}%\n",
            100.0 * *f as f64 / *t as f64
        ));
    }
    eprintln!("{table}");
    for (k, m) in &missed {
        eprintln!("missed {k} ({}):", m.len());
        for l in m.iter().take(8) {
            eprintln!("  {l}");
        }
    }
    for (k, (f, t)) in &per_kind {
        if *t >= 10 {
            let recall = *f as f64 / *t as f64;
            assert!(
                recall >= 0.95,
                "recall for {k} is {:.1}% ({f}/{t})\n{table}",
                100.0 * recall
            );
        }
    }
}

/// Messages of `rule` on the lines whose text contains `needle`.
fn hits(
    text: &str,
    issue: &twirl_core::Issue,
    diags: &[Diagnostic],
    rule: &str,
    needle: &str,
) -> usize {
    diags
        .iter()
        .filter(|d| d.rule.name == rule)
        .filter(|d| {
            let line = issue.line_index.line_of(d.range.start);
            let r = issue.line_index.line_range(text, line).unwrap();
            text[r.as_range()].contains(needle)
        })
        .count()
}

#[test]
fn the_known_real_defects_are_found() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let p = corpus.join("published");
    let case = |file: &str| {
        let text = read(&p.join(file));
        let (issue, diags) = lint(&text, &format!("content/{file}"));
        (text, issue, diags)
    };
    let (t, i, d) = case("2024-09-18-this-week-in-rust.md");
    assert_eq!(
        hits(&t, &i, &d, "event-outside-window", "* 2022-10-03"),
        1,
        "2022-10-03 in 2024-09-18"
    );
    let (t, i, d) = case("2024-05-15-this-week-in-rust.md");
    assert_eq!(
        hits(&t, &i, &d, "event-outside-window", "* 2025-06-06"),
        1,
        "2025-06-06 in 2024-05-15"
    );
    let (_, _, d) = case("2024-10-02-this-week-in-rust.md");
    assert!(
        d.iter().any(|d| d.rule.name == "events-unsorted"),
        "unsorted events of 2024-10-02"
    );
    let (_, _, d) = case("2020-01-07-this-week-in-rust.md");
    assert!(
        d.iter().any(|d| d.rule.name == "merged-range"),
        "merged range of 2020-01-07"
    );

    let seed = corpus.join("drafts/seed/2024-11-06-this-week-in-rust.md");
    let text = read(&seed);
    let (issue, diags) = lint(&text, "draft/2024-11-06-this-week-in-rust.md");
    let start = twirl_core::issue::parse_date("2024-11-06").unwrap();
    let stale: Vec<_> = issue
        .all_events()
        .filter(|e| e.end().unwrap() < start)
        .collect();
    assert_eq!(stale.len(), 12);
    for ev in &stale {
        assert!(
            diags
                .iter()
                .any(|d| d.rule.name == "event-outside-window" && ev.line.contains(d.range.start)),
            "stale event not reported: {}",
            &text[ev.line.as_range()]
        );
    }
    for needle in ["INSERT_LINK_HERE", "REDDIT_LINK_HERE"] {
        assert_eq!(
            hits(&text, &issue, &diags, "placeholder", needle),
            1,
            "{needle}"
        );
    }
    for needle in ["ðŸ¦€", "NÃ¼rnberg", "MontrÃ©al"] {
        assert!(
            hits(&text, &issue, &diags, "mojibake", needle) >= 1,
            "mojibake {needle}"
        );
    }
}

/// The other events and what is reported on each: (event line, finding)
/// pairs, the event line's text standing for the event.
fn events_and_findings(text: &str, path: &str, skip_line: &str) -> Vec<(String, String)> {
    let (issue, diags) = lint(text, path);
    let events: Vec<&twirl_core::issue::Event> = issue
        .all_events()
        .filter(|e| &text[e.line.as_range()] != skip_line)
        .collect();
    let mut out: Vec<(String, String)> = events
        .iter()
        .map(|e| (text[e.line.as_range()].to_string(), String::new()))
        .collect();
    for d in diags {
        // Whether a neighbour is out of order depends on its neighbours.
        if d.rule.name == "events-unsorted" {
            continue;
        }
        if let Some(e) = events.iter().find(|e| e.range.contains(d.range.start)) {
            out.push((
                text[e.line.as_range()].to_string(),
                format!(
                    "{} {} {} `{}`",
                    d.rule.name,
                    d.severity.as_str(),
                    d.message,
                    &text[d.range.as_range()]
                ),
            ));
        }
    }
    out.sort();
    out
}

/// One malformed event line, inserted before any event of a real issue
/// (or after the last of a region), hides nothing: every other event is
/// still seen, with the same findings on it.
#[test]
fn a_malformed_event_line_hides_no_other_event() {
    use proptest::prelude::*;
    let Some(corpus) = common::corpus() else {
        return;
    };
    let files: Vec<PathBuf> = issue_files(&corpus.join("published"))
        .into_iter()
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy();
            name.starts_with("2023") || name.starts_with("2024")
        })
        .collect();
    const SHAPES: &[&str] = &["# ", "## ", "+ ", "- ", "1. ", "", "> "];
    // A thousand cases where slow tests run (CI), a few dozen elsewhere.
    let slow = std::env::var_os("TWIRL_SLOW_TESTS").is_some_and(|v| v == "1");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(if slow {
        1000
    } else {
        48
    }));
    let strategy = (
        proptest::sample::select(files),
        any::<proptest::sample::Index>(),
        proptest::sample::select(SHAPES),
        any::<bool>(),
    );
    runner
        .run(&strategy, |(file, at, shape, nested)| {
            let text = read(&file);
            let path = format!("content/{}", file.file_name().unwrap().to_string_lossy());
            let issue = parse(&text);
            let Some(events) = &issue.events else {
                return Ok(());
            };
            // Before each event, or after the last of each region, with the
            // date of the event beside it so that the order stays.
            let mut spots: Vec<(usize, String)> = Vec::new();
            for r in &events.regions {
                for e in &r.events {
                    spots.push((e.range.start, text[e.date_field.as_range()].to_string()));
                }
                if let Some(last) = r.events.last() {
                    spots.push((last.range.end, text[last.date_field.as_range()].to_string()));
                }
            }
            if spots.is_empty() {
                return Ok(());
            }
            let (offset, date) = &spots[at.index(spots.len())];
            let line =
                format!("{shape}{date} | Oslo, NO | [Inserted](https://inserted.example/o/)");
            let mut block = format!("{line}\n");
            if nested {
                block.push_str("    * [**Inserted**](https://inserted.example/o/1)\n");
            }
            let mut changed = text.clone();
            changed.insert_str(*offset, &block);
            let before = events_and_findings(&text, &path, &line);
            let after = events_and_findings(&changed, &path, &line);
            let lost: Vec<_> = before.iter().filter(|f| !after.contains(f)).collect();
            let gained: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
            prop_assert!(
                lost.is_empty() && gained.is_empty(),
                "{} with {:?} inserted at byte {}: lost {:#?}, gained {:#?}",
                path,
                block,
                offset,
                lost,
                gained
            );
            Ok(())
        })
        .unwrap();
}
