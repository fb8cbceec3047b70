//! `twirl fmt` tested hard: over every file of the corpus in-process
//! (idempotent, a no-op without Safe fixes, the same HTML outside what the
//! fixes edited, line endings and BOM kept), the seed draft as a snapshot,
//! atomic writes, and the binary's modes and exit codes.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use rayon::prelude::*;
use similar::{DiffOp, TextDiff};
use twirl_core::format::{format, would_change};
use twirl_core::{Applicability, CheckContext, Config, Settings, check, decode, parse};

use common::{run_with_stdin, twirl};

// ---------------------------------------------------------------------------
// The corpus, in-process
// ---------------------------------------------------------------------------

/// Every issue of the corpus: published, drafts (with the seed) and defects.
fn corpus_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![
        root.join("published"),
        root.join("drafts"),
        root.join("defects-2022-2024/defects"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("md" | "markdown")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(
        out.len() >= 575 + 11 + 340,
        "only {} corpus files found",
        out.len()
    );
    out
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(Config::default)
}

fn settings(path: &str) -> Settings {
    config().settings_for(Some(path))
}

/// `twirl fmt` on one text, in-process.
fn fmt_text(path: &str, text: &str) -> Result<String, String> {
    format(text, &settings(path), Some(path), None, false)
        .map(|o| o.text)
        .map_err(|e| e.to_string())
}

/// Whether the checker offers a Safe fix (one with edits) on `text`.
fn has_safe_fix(path: &str, text: &str) -> bool {
    let settings = settings(path);
    let issue = parse(text);
    let cx = CheckContext {
        text,
        issue: &issue,
        settings: &settings,
        path: Some(path),
        index: None,
    };
    check(&cx).iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
    })
}

/// The corpus files with their text, or `None` (skip) without a corpus.
fn corpus_texts() -> Option<Vec<(String, String)>> {
    let root = common::corpus()?;
    Some(
        corpus_files(&root)
            .into_iter()
            .map(|p| {
                let text = decode(&fs::read(&p).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
                    .text;
                (p.to_string_lossy().into_owned(), text)
            })
            .collect(),
    )
}

/// Fails with every message at once, so one run shows the whole picture.
fn assert_no_failures(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{what}: {} file(s)\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `fmt --check` decides from the first round of fixes; it must name
/// exactly the files `fmt` would change, on safe and on unsafe fixes.
#[test]
fn corpus_would_change_agrees_with_format() {
    let Some(files) = corpus_texts() else {
        return;
    };
    let failures: Vec<String> = files
        .par_iter()
        .flat_map(|(path, text)| {
            [false, true].into_par_iter().filter_map(move |unsafe_fixes| {
                let s = settings(path);
                let formatted = format(text, &s, Some(path), None, unsafe_fixes)
                    .map(|o| o.text != *text)
                    .unwrap_or(true);
                let check = would_change(text, &s, Some(path), None, unsafe_fixes);
                (formatted != check).then(|| {
                    format!("{path} (unsafe: {unsafe_fixes}): fmt changes: {formatted}, --check says: {check}")
                })
            })
        })
        .collect();
    assert_no_failures("fmt --check disagrees with fmt", failures);
}

#[test]
fn corpus_fmt_converges_is_idempotent_and_leaves_files_without_safe_fixes_alone() {
    let Some(files) = corpus_texts() else {
        return;
    };
    let failures: Vec<String> = files
        .par_iter()
        .filter_map(|(path, text)| {
            let once = match fmt_text(path, text) {
                Ok(t) => t,
                Err(e) => return Some(format!("{path}: {e}")),
            };
            let twice = match fmt_text(path, &once) {
                Ok(t) => t,
                Err(e) => return Some(format!("{path}: second run: {e}")),
            };
            if twice != once {
                return Some(format!(
                    "{path}: not idempotent:\n{}",
                    TextDiff::from_lines(&once, &twice).unified_diff()
                ));
            }
            if !has_safe_fix(path, text) && once != *text {
                return Some(format!("{path}: changed without a Safe finding"));
            }
            if has_safe_fix(path, &once) {
                return Some(format!("{path}: Safe fixes still offered after fmt"));
            }
            None
        })
        .collect();
    assert_no_failures("fmt over the corpus", failures);
}

type Node<'a> = &'a comrak::nodes::AstNode<'a>;

/// A node's source lines, 0-based and inclusive.
fn span(node: Node<'_>) -> (usize, usize) {
    let sp = node.data().sourcepos;
    let first = sp.start.line.saturating_sub(1);
    (first, sp.end.line.saturating_sub(1).max(first))
}

fn render(node: Node<'_>) -> String {
    let mut html = String::new();
    comrak::format_html(node, &twirl_core::issue::comrak_options(), &mut html).unwrap();
    html
}

fn is_list(node: Node<'_>) -> bool {
    matches!(node.data().value, comrak::nodes::NodeValue::List(_))
}

/// Compares the HTML of the top-level blocks that fmt did not edit.
struct HtmlCheck {
    /// Old line to new line, for the lines a line diff finds unchanged.
    map: Vec<Option<usize>>,
    problems: Vec<String>,
    compared: usize,
}

impl HtmlCheck {
    /// Where lines `first..=last` went, if every one of them is unchanged
    /// and they are still together.
    fn untouched(&self, (first, last): (usize, usize)) -> Option<(usize, usize)> {
        let lines: Option<Vec<usize>> = (first..=last)
            .map(|l| self.map.get(l).copied().flatten())
            .collect();
        let lines = lines?;
        let (&nf, &nl) = (lines.first()?, lines.last()?);
        (nl - nf == last - first).then_some((nf, nl))
    }

    fn differ(&mut self, what: &str, old: Node<'_>, new: Option<Node<'_>>) {
        let (f, l) = span(old);
        self.problems.push(match new {
            Some(new) => {
                let (nf, nl) = span(new);
                format!(
                    "{what} at lines {}-{} renders differently after fmt (now lines {}-{}):\n- {}\n+ {}",
                    f + 1,
                    l + 1,
                    nf + 1,
                    nl + 1,
                    render(old).trim_end(),
                    render(new).trim_end()
                )
            }
            None => format!(
                "{what} at lines {}-{} is no longer one of its own after fmt:\n- {}",
                f + 1,
                l + 1,
                render(old).trim_end()
            ),
        });
    }

    /// Every top-level block no edit touched renders the same. A list that
    /// an edit touched, or that grew or shrank because an edit next to it
    /// joined or split lists, is compared item by item: its untouched items
    /// render the same (which catches a tight list turned loose).
    fn document<'a, 'b>(&mut self, old: Node<'a>, new: Node<'b>) {
        let new_blocks: Vec<Node<'b>> = new.children().collect();
        for block in old.children() {
            let mapped = self.untouched(span(block));
            let same = mapped
                .and_then(|(nf, nl)| new_blocks.iter().copied().find(|n| span(n) == (nf, nl)));
            match (mapped, same) {
                (Some(_), Some(n)) => {
                    self.compared += 1;
                    if render(block) != render(n) {
                        self.differ("block", block, Some(n));
                    }
                }
                _ if is_list(block) => self.items(block, &new_blocks),
                (Some(_), None) => {
                    self.compared += 1;
                    self.differ("block", block, None);
                }
                (None, _) => {} // edited
            }
        }
    }

    fn items<'b>(&mut self, list: Node<'_>, new_blocks: &[Node<'b>]) {
        for item in list.children() {
            let Some((nf, _)) = self.untouched(span(item)) else {
                continue;
            };
            self.compared += 1;
            let new = new_blocks
                .iter()
                .filter(|b| is_list(b))
                .flat_map(|b| b.children())
                .find(|i| span(i).0 == nf);
            match new {
                Some(n) if render(n) == render(item) => {}
                other => self.differ("list item", item, other),
            }
        }
    }
}

/// Compares, block by block, the HTML of the parts of `before` that fmt
/// left alone (per a line diff); returns what differs, and the number of
/// blocks and items compared.
fn html_outside_edits(before: &str, after: &str) -> (Vec<String>, usize) {
    let diff = TextDiff::from_lines(before, after);
    let mut map: Vec<Option<usize>> = vec![None; before.lines().count() + 1];
    for op in diff.ops() {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            for i in 0..len {
                if let Some(m) = map.get_mut(old_index + i) {
                    *m = Some(new_index + i);
                }
            }
        }
    }
    let options = twirl_core::issue::comrak_options();
    let (old_arena, new_arena) = (comrak::Arena::new(), comrak::Arena::new());
    let old = comrak::parse_document(&old_arena, before, &options);
    let new = comrak::parse_document(&new_arena, after, &options);
    let mut check = HtmlCheck {
        map,
        problems: Vec::new(),
        compared: 0,
    };
    check.document(old, new);
    (check.problems, check.compared)
}

#[test]
fn corpus_fmt_keeps_the_rendered_html_outside_the_edits() {
    let Some(files) = corpus_texts() else {
        return;
    };
    let results: Vec<(Option<String>, usize, bool)> = files
        .par_iter()
        .map(|(path, text)| {
            let Ok(after) = fmt_text(path, text) else {
                return (None, 0, false); // reported by the convergence test
            };
            if after == *text {
                return (None, 0, false);
            }
            let (problems, compared) = html_outside_edits(text, &after);
            let failure =
                (!problems.is_empty()).then(|| format!("{path}:\n  {}", problems.join("\n  ")));
            (failure, compared, true)
        })
        .collect();
    let changed = results.iter().filter(|r| r.2).count();
    let compared: usize = results.iter().map(|r| r.1).sum();
    assert!(
        changed > 0 && compared > 10 * changed,
        "too little compared: {compared} blocks in {changed} changed files"
    );
    assert_no_failures(
        "HTML changed outside the fixes",
        results.into_iter().filter_map(|r| r.0).collect(),
    );
}

#[test]
fn corpus_line_endings_and_bom_are_kept() {
    let Some(files) = corpus_texts() else {
        return;
    };
    let failures: Vec<String> = files
        .par_iter()
        .filter_map(|(path, text)| {
            assert!(!text.contains('\r'), "{path}: the corpus is LF");
            let lf = fmt_text(path, text).ok()?;
            let crlf_text = text.replace('\n', "\r\n");
            for (name, bytes, want) in [
                (
                    "CRLF",
                    crlf_text.clone().into_bytes(),
                    lf.replace('\n', "\r\n").into_bytes(),
                ),
                (
                    "BOM",
                    [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
                    [b"\xef\xbb\xbf".as_slice(), lf.as_bytes()].concat(),
                ),
                (
                    "BOM+CRLF",
                    [b"\xef\xbb\xbf".as_slice(), crlf_text.as_bytes()].concat(),
                    [b"\xef\xbb\xbf", lf.replace('\n', "\r\n").as_bytes()].concat(),
                ),
            ] {
                let source = decode(&bytes).unwrap();
                let got = match fmt_text(path, &source.text) {
                    Ok(t) => source.encode(&t),
                    Err(e) => return Some(format!("{path} ({name}): {e}")),
                };
                if got != want {
                    let (got, want) = (
                        String::from_utf8_lossy(&got),
                        String::from_utf8_lossy(&want),
                    );
                    return Some(format!(
                        "{path} ({name}) differs from the LF result:\n{}",
                        TextDiff::from_lines(want.as_ref(), got.as_ref())
                            .unified_diff()
                            .context_radius(1)
                    ));
                }
            }
            None
        })
        .collect();
    assert_no_failures("line endings or BOM not kept", failures);
}

// ---------------------------------------------------------------------------
// The seed draft
// ---------------------------------------------------------------------------

#[test]
fn seed_loses_exactly_its_stale_events_and_its_mojibake() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let original =
        fs::read_to_string(corpus.join("drafts/seed/2024-11-06-this-week-in-rust.md")).unwrap();
    let path = "draft/2024-11-06-this-week-in-rust.md";
    let formatted = fmt_text(path, &original).unwrap();

    let start = twirl_core::issue::parse_date("2024-11-06").unwrap();
    let before = parse(&original);
    let stale: Vec<&str> = before
        .all_events()
        .filter(|e| e.end().is_some_and(|d| d < start))
        .flat_map(|e| original[e.range.as_range()].lines())
        .collect();
    assert!(!stale.is_empty());
    let after = parse(&formatted);
    assert!(
        after
            .all_events()
            .all(|e| e.end().is_none_or(|d| d >= start)),
        "a stale event survived"
    );
    assert_eq!(
        before.all_events().count() - after.all_events().count(),
        before
            .all_events()
            .filter(|e| e.end().is_some_and(|d| d < start))
            .count(),
        "only stale events are removed"
    );

    // Every other line is kept, in order; the lines that differ differ by
    // their mojibake alone.
    let kept: Vec<&str> = original.lines().filter(|l| !stale.contains(l)).collect();
    let out: Vec<&str> = formatted.lines().collect();
    assert_eq!(kept.len(), out.len());
    let mut restored = 0;
    for (k, o) in kept.iter().zip(&out) {
        if k != o {
            restored += 1;
            // What changed is non-ASCII on both sides, and shorter after.
            let (k, o): (Vec<char>, Vec<char>) = (k.chars().collect(), o.chars().collect());
            let prefix = k.iter().zip(&o).take_while(|(a, b)| a == b).count();
            let suffix = k[prefix..]
                .iter()
                .rev()
                .zip(o[prefix..].iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let was: String = k[prefix..k.len() - suffix].iter().collect();
            let now: String = o[prefix..o.len() - suffix].iter().collect();
            let (k, o): (String, String) = (k.iter().collect(), o.iter().collect());
            assert!(
                !was.is_ascii() && !now.is_ascii() && now.chars().count() < was.chars().count(),
                "not a mojibake fix:\n- {k}\n+ {o}"
            );
        }
    }
    assert!(restored > 0, "the mojibake was not restored");
    assert!(!formatted.contains("Ã") && !formatted.contains("ðŸ"));
    assert!(formatted.contains("Montréal"));

    // The corpus is not ours to copy: the snapshot keeps the shape of the
    // diff (hunks, event dates, the characters a fix changed) and drops
    // the editors' prose.
    let diff = TextDiff::from_lines(&original, &formatted)
        .unified_diff()
        .context_radius(0)
        .header("seed", "formatted")
        .to_string();
    let redacted: String = diff.lines().map(|l| redact_diff_line(l) + "\n").collect();
    insta::assert_snapshot!("seed_diff", redacted);
}

/// `-* 2024-10-31 | ...` keeps its date; other changed lines keep only their
/// non-ASCII characters (what a mojibake fix changes) and their length.
fn redact_diff_line(line: &str) -> String {
    let Some(sign) = line.chars().next().filter(|c| matches!(c, '-' | '+')) else {
        return line.to_string();
    };
    if line.starts_with("---") || line.starts_with("+++") {
        return line.to_string();
    }
    let body = &line[1..];
    let trimmed = body.trim_start();
    let indent = &body[..body.len() - trimmed.len()];
    if let Some(date) = trimmed.strip_prefix("* ").and_then(|r| r.get(..10))
        && twirl_core::issue::parse_date(date).is_some()
    {
        return format!("{sign}{indent}* {date} | …");
    }
    if trimmed.starts_with("* [") {
        return format!("{sign}{indent}* […]");
    }
    let special: String = body.chars().filter(|c| !c.is_ascii()).collect();
    format!(
        "{sign}{indent}… {} chars, non-ASCII: {special}",
        body.chars().count()
    )
}

// ---------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------

const NAME: &str = "2024-11-06-this-week-in-rust.md";

/// A small issue of our own: one stale event, events out of order, a
/// `utm_` parameter, mojibake, a year typo (never fixed) and a link
/// without its scheme (an Unsafe fix).
const SMALL: &str = "\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust

Hello and welcome to another issue of *This Week in Rust*!

## Updates from Rust Community

### Observations/Thoughts

* [A post about Rust](https://example.com/post?utm_source=twir&id=3)
* [Another post](www.example.com/another)

## Upcoming Events

Rusty Events between 2024-11-06 - 2024-12-04 🦀

### Virtual

* 2024-10-30 | Virtual | [Rust Stale](https://example.com/stale)
    * [**An event that is over**](https://example.com/stale/1)
* 2024-11-20 | Virtual | [Rust Later](https://example.com/later)
    * [**Later**](https://example.com/later/1)
* 2024-11-13 | Virtual | [Rust Sooner](https://example.com/sooner)
    * [**Sooner in MontrÃ©al**](https://example.com/sooner/1)

### Europe

* 2023-11-14 | Berlin, DE | [Rust Berlin](https://example.com/berlin)
    * [**A year typo**](https://example.com/berlin/1)
";

fn small_issue() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join(NAME);
    fs::write(&f, SMALL).unwrap();
    (dir, f)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Output with the temporary directory replaced by `[TMP]` and the timing
/// by `[TIME]`.
fn normalise(s: &str, dir: &Path) -> String {
    let s = s.replace(&dir.to_string_lossy().into_owned(), "[TMP]");
    s.lines()
        .map(|l| match l.find(" checked in ") {
            Some(i) => {
                let rest = &l[i + " checked in ".len()..];
                let after = rest.find("s:").map_or("", |j| &rest[j + 1..]);
                format!("{} checked in [TIME]{after}", &l[..i])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn check_mode_lists_the_file_writes_nothing_and_exits_1() {
    let (dir, f) = small_issue();
    let out = twirl().args(["fmt", "--check"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        SMALL,
        "--check writes nothing"
    );
    insta::assert_snapshot!(
        "check_mode",
        format!(
            "stdout:\n{}\nstderr:\n{}",
            normalise(&String::from_utf8_lossy(&out.stdout), dir.path()),
            normalise(&stderr(&out), dir.path())
        )
    );
}

#[test]
fn diff_mode_prints_a_unified_diff_writes_nothing_and_exits_1() {
    let (dir, f) = small_issue();
    let out = twirl().args(["fmt", "--diff"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        SMALL,
        "--diff writes nothing"
    );
    insta::assert_snapshot!(
        "diff_mode",
        normalise(&String::from_utf8_lossy(&out.stdout), dir.path())
    );
}

#[test]
fn fmt_writes_then_check_and_diff_are_clean() {
    let (_dir, f) = small_issue();
    let out = twirl().arg("fmt").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "fmt on files prints nothing to stdout"
    );
    assert!(stderr(&out).contains("1 reformatted"), "{}", stderr(&out));
    let written = fs::read_to_string(&f).unwrap();
    assert_eq!(
        written,
        fmt_text(&f.to_string_lossy(), SMALL).unwrap(),
        "the binary writes what the library formats"
    );
    assert!(!written.contains("Rust Stale") && !written.contains("utm_"));
    assert!(
        written.contains("2023-11-14"),
        "a year typo is never removed"
    );
    assert!(
        written.find("Rust Sooner") < written.find("Rust Later"),
        "events sorted"
    );
    for mode in ["--check", "--diff"] {
        let out = twirl().args(["fmt", mode]).arg(&f).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{mode}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{mode}");
    }
    let out = twirl().arg("fmt").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("0 reformatted"), "{}", stderr(&out));
}

#[test]
fn unsafe_fixes_go_further() {
    let (_dir, f) = small_issue();
    let out = twirl().arg("fmt").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let safe = fs::read_to_string(&f).unwrap();
    assert!(
        safe.contains("](www.example.com/another)"),
        "Unsafe: not by default"
    );
    let out = twirl()
        .args(["fmt", "--unsafe-fixes", "--diff"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-* [Another post](www.example.com/another)")
            && diff.contains("+* [Another post](https://www.example.com/another)"),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        safe,
        "--diff writes nothing"
    );
    let out = twirl()
        .args(["fmt", "--unsafe-fixes"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fixed = fs::read_to_string(&f).unwrap();
    assert!(
        fixed.contains("](https://www.example.com/another)"),
        "{fixed}"
    );
    assert!(
        fixed.contains("* 2023-11-14"),
        "a year is never guessed: {fixed}"
    );
}

#[test]
fn stdin_mode_prints_the_formatted_text() {
    let mut cmd = twirl();
    cmd.args(["fmt", "-", "--stdin-filename"])
        .arg(format!("draft/{NAME}"));
    let out = run_with_stdin(cmd, SMALL.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let want = fmt_text(&format!("draft/{NAME}"), SMALL).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);

    // Already formatted: echoed as is.
    let mut cmd = twirl();
    cmd.args(["fmt", "-", "--stdin-filename", NAME]);
    let out = run_with_stdin(cmd, want.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);

    // CRLF and BOM survive the pipe.
    let crlf = [
        b"\xef\xbb\xbf".as_slice(),
        SMALL.replace('\n', "\r\n").as_bytes(),
    ]
    .concat();
    let mut cmd = twirl();
    cmd.args(["fmt", "-", "--stdin-filename", NAME]);
    let out = run_with_stdin(cmd, &crlf);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        out.stdout,
        [
            b"\xef\xbb\xbf".as_slice(),
            want.replace('\n', "\r\n").as_bytes()
        ]
        .concat()
    );

    // --check on stdin: nothing on stdout but the verdict, exit 1.
    let mut cmd = twirl();
    cmd.args(["fmt", "--check", "-", "--stdin-filename", NAME]);
    let out = run_with_stdin(cmd, SMALL.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Title:"));

    // Undecodable input is an error, and is echoed unchanged so a pipe
    // loses nothing.
    let mut cmd = twirl();
    cmd.args(["fmt", "-", "--stdin-filename", NAME]);
    let out = run_with_stdin(cmd, b"Title: x\n\xff\n");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn missing_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = twirl()
        .arg("fmt")
        .arg(dir.path().join(NAME))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(NAME), "{}", stderr(&out));
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_are_still_formatted() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join(NAME);
    fs::write(&good, SMALL).unwrap();
    let bad = dir.path().join("2024-11-13-this-week-in-rust.md");
    let bad_bytes = b"Title: This Week in Rust 573\n\xff\n* 2024-10-30 | Virtual | x\n";
    fs::write(&bad, bad_bytes).unwrap();
    let out = twirl().arg("fmt").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("2024-11-13-this-week-in-rust.md") && err.contains("byte 29"),
        "{err}"
    );
    assert_eq!(fs::read(&bad).unwrap(), bad_bytes, "left untouched");
    assert_ne!(
        fs::read_to_string(&good).unwrap(),
        SMALL,
        "the good file is still formatted"
    );
    assert!(err.contains("1 reformatted, 1 failed"), "{err}");
}

/// fmt and `check --fix` through a symlink fix the file it points to and
/// keep the link.
#[cfg(unix)]
#[test]
fn a_symlinked_issue_is_formatted_through_the_link() {
    for args in [&["fmt"][..], &["check", "--fix"]] {
        let (dir, real) = small_issue();
        let links = dir.path().join("links");
        fs::create_dir(&links).unwrap();
        let link = links.join(NAME);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let out = twirl().args(args).arg(&link).output().unwrap();
        assert_ne!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            fs::symlink_metadata(&link).unwrap().is_symlink(),
            "{args:?}: the link is kept"
        );
        assert_ne!(
            fs::read_to_string(&real).unwrap(),
            SMALL,
            "{args:?}: the target is fixed"
        );
    }
}

/// A file with a second hard link is not written (a rename would leave
/// the other name with the old text): exit 2, both names unchanged.
#[cfg(unix)]
#[test]
fn a_hard_linked_issue_is_left_alone() {
    let (dir, real) = small_issue();
    let other = dir.path().join("other.md");
    fs::hard_link(&real, &other).unwrap();
    let out = twirl().arg("fmt").arg(&real).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("has 2 hard links"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&other).unwrap(), SMALL);
    assert_eq!(fs::read_to_string(&real).unwrap(), SMALL);
}

/// Makes a file immutable (`chattr +i`) for as long as it lives: rename(2)
/// onto it then fails with EPERM even for root, who ignores directory
/// permissions. `None` where the file system or the capabilities refuse.
struct Immutable(PathBuf);

impl Immutable {
    fn new(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// The rename that replaces the file fails: the original is intact, no
/// temporary file is left, and fmt exits 2 naming the file.
///
/// Root ignores directory permissions, so a read-only directory only works
/// for other users. An immutable target (`chattr +i`, ext4/xfs/btrfs, needs
/// CAP_LINUX_IMMUTABLE) makes rename(2) fail for root too; where neither
/// works the test says so and skips.
#[test]
fn failed_rename_leaves_the_original_intact() {
    let (dir, f) = small_issue();
    let guard;
    #[cfg(unix)]
    let mut restore_dir = None;
    if is_root() {
        guard = Immutable::new(&f);
        if guard.is_none() {
            eprintln!("skipped: chattr +i refused here, and root ignores directory permissions");
            return;
        }
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
            restore_dir = Some(dir.path().to_path_buf());
        }
        guard = None;
    }
    let out = twirl().arg("fmt").arg(&f).output().unwrap();
    drop(guard);
    #[cfg(unix)]
    if let Some(d) = restore_dir {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&*f.to_string_lossy()), "names the file: {err}");
    assert_eq!(fs::read_to_string(&f).unwrap(), SMALL, "original intact");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![NAME], "no temporary file left");
}

/// Writing the temporary file fails (a file-size limit of 0 with SIGXFSZ
/// ignored, which binds root too and needs no mount or capability): the
/// original is intact and no temporary file is left.
#[cfg(unix)]
#[test]
fn failed_write_leaves_the_original_intact() {
    let (dir, f) = small_issue();
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0 && exec \"$0\" fmt \"$1\"")
        .arg(env!("CARGO_BIN_EXE_twirl"))
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&*f.to_string_lossy()), "names the file: {err}");
    assert_eq!(fs::read_to_string(&f).unwrap(), SMALL, "original intact");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

// ---------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------

#[test]
fn pre_commit_hooks_file_declares_fmt_and_check() {
    let text = fs::read_to_string(common::repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    for (id, entry) in [("twirl-fmt", "twirl fmt"), ("twirl-check", "twirl check")] {
        let start = text
            .find(&format!("\n- id: {id}\n"))
            .unwrap_or_else(|| panic!("no hook {id}"));
        let hook = &text[start + 1..];
        let hook = &hook[..hook.find("\n- id:").unwrap_or(hook.len())];
        for line in [
            format!("entry: {entry}"),
            "language: rust".to_string(),
            r"files: -this-week-in-rust\.(md|markdown)$".to_string(),
        ] {
            assert!(hook.contains(&line), "{id} lacks `{line}`:\n{hook}");
        }
    }
}

/// The `.git/hooks/pre-commit` script the README shows.
fn readme_hook() -> String {
    let readme = fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("### Before commit")
        .expect("Before commit section")..];
    let script: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with("    #!/bin/sh"))
        .take_while(|l| l.starts_with("    ") || l.is_empty())
        .collect();
    assert!(!script.is_empty(), "no hook script in the README");
    let mut s: String = script
        .iter()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// Runs the README's hook in a fresh git repository, with `twirl` on PATH.
#[cfg(unix)]
#[test]
fn readme_pre_commit_hook_works() {
    use std::os::unix::fs::PermissionsExt;
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let bin = Path::new(env!("CARGO_BIN_EXE_twirl")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("PATH", &path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", repo)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        (out.status.success(), stderr(&out))
    };
    assert!(git(&["init", "-q"]).0);
    let hook = repo.join(".git/hooks/pre-commit");
    fs::write(&hook, readme_hook()).unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();

    // An unformatted issue that is not staged, in the working tree: it must
    // not block commits of other files.
    let content = repo.join("content");
    fs::create_dir(&content).unwrap();
    fs::write(content.join(NAME), SMALL).unwrap();
    fs::write(repo.join("notes.txt"), "x\n").unwrap();
    assert!(git(&["add", "notes.txt"]).0);
    let (ok, err) = git(&["commit", "-q", "-m", "notes"]);
    assert!(ok, "a commit without issues passes: {err}");

    // Staging the unformatted issue is refused...
    assert!(git(&["add", "content"]).0);
    let (ok, err) = git(&["commit", "-q", "-m", "issue"]);
    assert!(!ok, "an unformatted issue is refused");
    assert!(
        err.contains("would reformat") || err.contains(NAME),
        "{err}"
    );

    // ...and accepted once formatted and free of errors.
    let clean = fmt_text(&format!("content/{NAME}"), SMALL)
        .unwrap()
        .replace("2023-11-14", "2024-11-14")
        .replace("(www.", "(https://www.");
    let clean = fmt_text(&format!("content/{NAME}"), &clean).unwrap();
    fs::write(content.join(NAME), &clean).unwrap();
    let out = twirl()
        .arg("check")
        .arg(content.join(NAME))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "the fixture is clean: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(git(&["add", "content"]).0);
    let (ok, err) = git(&["commit", "-q", "-m", "issue"]);
    assert!(ok, "a formatted, clean issue passes: {err}");

    // A formatted issue with an error is refused by `twirl check`.
    fs::write(
        content.join(NAME),
        clean.replace(
            "## Updates from Rust Community",
            "## Updates from Rust Community\n\nTODO",
        ),
    )
    .unwrap();
    assert!(git(&["add", "content"]).0);
    let (ok, _) = git(&["commit", "-q", "-m", "todo"]);
    let out = twirl()
        .arg("check")
        .arg(content.join(NAME))
        .output()
        .unwrap();
    assert_eq!(ok, out.status.code() == Some(0), "check decides");
}
