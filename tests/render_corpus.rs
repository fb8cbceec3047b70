//! What readers see, over the whole corpus: every block that the site
//! (Python-Markdown) renders differently from CommonMark carries, on the
//! lines where it starts to diverge, a finding of a rule that speaks of
//! rendering ([`speaks_of_rendering`]), or is listed in [`KNOWN`] as
//! harmless for readers, with the reason.
//!
//! With `TWIRL_ORACLE_REPORT=FILE` it also writes every divergent block,
//! by corpus part and construct, with the findings on it, to FILE.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::common;
use crate::corpus::issue_files;
use crate::oracle::{self, CONSTRUCTS, Divergence, Oracle, construct};
use twirl_core::rules::Group;
use twirl_core::{Config, RuleMeta, lint};

/// A divergent block of a corpus file, and the findings on its cause's
/// lines: those of rules that speak of rendering ([`speaks_of_rendering`]),
/// and the others (`rule: message`, for the report).
struct Found {
    part: &'static str,
    file: String,
    divergence: Divergence,
    construct: &'static str,
    rules: Vec<&'static str>,
    others: Vec<String>,
}

/// Rules from before the rendering family whose findings already tell the
/// author how a block renders (nesting, bullets, empty items, raw tags,
/// code spans).
const ALSO_RENDERING: &[&str] = &[
    "event-format",
    "list-bullet",
    "empty-list-item",
    "unknown-html-tag",
    "odd-backticks",
    "empty-backticks",
    "control-character",
];

/// Whether a finding of `rule` flags a divergence: a finding of another
/// rule on the same line (a stale event's date, say) does not tell the
/// author what readers will see.
fn speaks_of_rendering(rule: &RuleMeta) -> bool {
    rule.group == Group::Rendering || ALSO_RENDERING.contains(&rule.name)
}

impl Found {
    fn flagged(&self) -> bool {
        !self.rules.is_empty()
    }
}

/// A harmless divergence: which blocks it covers, and why they are harmless.
struct Known {
    construct: &'static str,
    reason: &'static str,
    covers: fn(&Found) -> bool,
}

const KNOWN: &[Known] = &[
    Known {
        construct: "code-span-space",
        reason: "a space at the edge of inline code beside a blank or the end of the link \
                 text (`:: ` when): the site drops it, CommonMark keeps it in the code; readers \
                 see the same words and spaces",
        covers: |f| {
            let c = &f.divergence.cause;
            let dropped = c
                .commonmark
                .replace(" </code> ", "</code> ")
                .replace(" </code><", "</code><")
                .replace(" <code> ", " <code>")
                .replace("><code> ", "><code>");
            dropped == c.site
        },
    },
    Known {
        construct: "autolink-text",
        reason: "`<mailto:address>` shows as `address` on the site and `mailto:address` in \
                 CommonMark: readers get the address and a working link",
        covers: |f| f.divergence.cause.text.contains("<mailto:"),
    },
    Known {
        construct: "link-syntax",
        reason: "a link whose URL goes on over the next line: the site keeps the line break in \
                 the URL, which browsers drop, so readers get a working link (CommonMark, and \
                 so twirl's link rules, see no link there)",
        covers: |f| {
            let c = &f.divergence.cause;
            c.site.matches("<a ").count() > c.commonmark.matches("<a ").count()
                && regex::Regex::new(r"\]\([^)\s]*\n[^)\s]*\)")
                    .unwrap()
                    .is_match(&c.text)
        },
    },
];

/// The corpus files of each part, with the path twirl checks each as
/// (which decides the draft or publish profile).
fn parts(corpus: &Path) -> Vec<(&'static str, Vec<(PathBuf, String)>)> {
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().to_string();
    let published = issue_files(&corpus.join("published"))
        .into_iter()
        .map(|p| {
            let n = format!("content/{}", name(&p));
            (p, n)
        })
        .collect();
    let mut drafts = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus.join("drafts"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        for p in issue_files(&d) {
            let n = format!("draft/{}", name(&p));
            drafts.push((p, n));
        }
    }
    let root = corpus.join("defects-2022-2024");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).unwrap())
            .unwrap();
    let mut repo_path = BTreeMap::new();
    for rec in manifest.as_array().unwrap() {
        repo_path.insert(
            rec["file"].as_str().unwrap().to_string(),
            rec["path"].as_str().unwrap().to_string(),
        );
    }
    let defects = issue_files(&root.join("defects"))
        .into_iter()
        .map(|p| {
            let n = repo_path[&format!("defects/{}", name(&p))].clone();
            (p, n)
        })
        .collect();
    vec![
        ("published 2013-2024", published),
        ("drafts", drafts),
        ("defects", defects),
    ]
}

/// Every divergent block of the corpus, and the number of blocks and
/// files per part.
fn scan(
    oracle: &mut Oracle,
    corpus: &Path,
) -> (Vec<Found>, BTreeMap<&'static str, (usize, usize)>) {
    let mut out = Vec::new();
    let mut sizes = BTreeMap::new();
    for (part, files) in parts(corpus) {
        for (path, checked_as) in files {
            let text = twirl_core::decode(&std::fs::read(&path).unwrap())
                .unwrap()
                .text;
            let n = oracle::blocks(&text).len();
            let recent = ["2022", "2023", "2024"]
                .iter()
                .any(|y| checked_as.starts_with(&format!("content/{y}")));
            for p in [Some(part), recent.then_some("published 2022-2024")]
                .into_iter()
                .flatten()
            {
                let size: &mut (usize, usize) = sizes.entry(p).or_default();
                size.0 += 1;
                size.1 += n;
            }
            let settings = Config::default().settings_for(Some(&checked_as));
            let findings = lint(&text, &settings, Some(&checked_as), None);
            let line_of = |offset: usize| newlines(&text.as_bytes()[..offset]) + 1;
            for d in oracle.divergences(&text) {
                let (first, last) = d.cause.lines;
                let on_cause = findings.iter().filter(|f| {
                    let start = line_of(f.range.start);
                    let end = line_of(f.range.end.max(f.range.start + 1) - 1).max(start);
                    start <= last && end >= first
                });
                let (mut rules, mut others) = (Vec::new(), Vec::new());
                for f in on_cause {
                    if speaks_of_rendering(f.rule) {
                        rules.push(f.rule.name);
                    } else {
                        others.push(format!("{}: {}", f.rule.name, f.message));
                    }
                }
                rules.sort();
                rules.dedup();
                out.push(Found {
                    part,
                    file: path.strip_prefix(corpus).unwrap().display().to_string(),
                    construct: construct(&d),
                    divergence: d,
                    rules,
                    others,
                });
            }
        }
    }
    (out, sizes)
}

fn published_2022_to_2024(f: &Found) -> bool {
    ["published/2022", "published/2023", "published/2024"]
        .iter()
        .any(|p| f.file.starts_with(p))
}

/// Blocks per part and construct: `flagged/divergent`.
fn table(found: &[&Found]) -> String {
    type InPart = fn(&Found) -> bool;
    let parts: [(&str, InPart); 4] = [
        ("published 2013-2024", |f| f.part == "published 2013-2024"),
        ("published 2022-2024", published_2022_to_2024),
        ("drafts", |f| f.part == "drafts"),
        ("defects", |f| f.part == "defects"),
    ];
    let mut out = String::from("| construct |");
    for (p, _) in &parts {
        write!(out, " {p} |").unwrap();
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(parts.len()));
    out.push('\n');
    let mut rows: Vec<&str> = CONSTRUCTS.iter().map(|(c, _)| *c).collect();
    rows.push("total");
    for c in rows {
        let mut line = format!("| {c} |");
        let mut any = false;
        for (_, in_part) in &parts {
            let of: Vec<&&Found> = found
                .iter()
                .filter(|f| in_part(f) && (c == "total" || f.construct == c))
                .collect();
            let flagged = of.iter().filter(|f| f.flagged()).count();
            any |= !of.is_empty();
            write!(line, " {flagged}/{} |", of.len()).unwrap();
        }
        if any {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// One block, for a person: where, the rules on it, the cause's lines and
/// both renderings from a little before their first difference.
fn example(f: &Found) -> String {
    let d = &f.divergence;
    let cut = |s: &str, from: usize| -> String {
        let s: String = s.chars().skip(from).collect();
        let more = if s.chars().count() > 240 { "..." } else { "" };
        let dots = if from > 0 { "..." } else { "" };
        format!("{dots}{}{more}", s.chars().take(240).collect::<String>())
    };
    let same = d
        .cause
        .site
        .chars()
        .zip(d.cause.commonmark.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let from = same.saturating_sub(60);
    let mut out = format!(
        "- `{}:{}` (lines {}-{} of block {}-{}); twirl: {}{}\n\n",
        f.file,
        d.cause.lines.0,
        d.cause.lines.0,
        d.cause.lines.1,
        d.block.lines.0,
        d.block.lines.1,
        if f.rules.is_empty() {
            "nothing".to_string()
        } else {
            f.rules.join(", ")
        },
        if f.others.is_empty() {
            String::new()
        } else {
            format!(" (other findings: {})", f.others.join("; "))
        }
    );
    for line in d.cause.text.lines() {
        writeln!(out, "      {}", cut(line, 0)).unwrap();
    }
    writeln!(out, "\n  site: `{}`  ", cut(&d.cause.site, from)).unwrap();
    writeln!(out, "  CommonMark: `{}`", cut(&d.cause.commonmark, from)).unwrap();
    out
}

/// The blocks by construct, each with a count and up to `n` examples
/// (spread over the list).
fn by_construct(found: &[&Found], n: usize) -> String {
    let mut out = String::new();
    for (c, what) in CONSTRUCTS {
        let of: Vec<&&Found> = found.iter().filter(|f| f.construct == *c).collect();
        if of.is_empty() {
            continue;
        }
        let flagged = of.iter().filter(|f| f.flagged()).count();
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for r in of.iter().flat_map(|f| &f.rules) {
            *by_rule.entry(r).or_default() += 1;
        }
        let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
        writeln!(
            out,
            "### {c}: {} blocks, {flagged} flagged{}\n\n{what}.\n",
            of.len(),
            if rules.is_empty() {
                String::new()
            } else {
                format!(" (by {})", rules.join(", "))
            }
        )
        .unwrap();
        let step = of.len().div_ceil(n).max(1);
        for f in of.iter().step_by(step) {
            out.push_str(&example(f));
            out.push('\n');
        }
    }
    out
}

fn report(
    found: &[Found],
    unflagged: &[&Found],
    sizes: &BTreeMap<&'static str, (usize, usize)>,
) -> String {
    let all: Vec<&Found> = found.iter().collect();
    let mut out = String::from("# Render divergence in the corpus\n\n");
    for (part, (files, blocks)) in sizes {
        writeln!(out, "- {part}: {files} files, {blocks} blocks").unwrap();
    }
    out.push('\n');
    out.push_str(
        "Blocks the site (Python-Markdown 3.7) renders differently from CommonMark \
         (comrak, twirl's options), per corpus part and construct, as `flagged/divergent` \
         (flagged: a finding of a rule that speaks of rendering, the `Rendering` group or \
         one of `ALSO_RENDERING`, on the lines where the block starts to diverge).\n\n",
    );
    out.push_str(&table(&all));
    out.push_str("\n## Not flagged and not known to be harmless\n\n");
    out.push_str(&by_construct(unflagged, 5));
    out.push_str("\n## Known to be harmless\n\n");
    for k in KNOWN {
        writeln!(out, "- {}: {}", k.construct, k.reason).unwrap();
    }
    out.push_str("\n## Every construct, flagged or not\n\n");
    out.push_str(&by_construct(&all, 5));
    out.push_str("\n## Every divergent block\n\n");
    for (c, _) in CONSTRUCTS {
        for f in found.iter().filter(|f| f.construct == *c) {
            let (j, k) = f.divergence.cause.lines;
            writeln!(out, "- {c} `{}:{j}-{k}`: {}", f.file, f.rules.join(", ")).unwrap();
        }
    }
    out
}

#[test]
fn every_divergent_corpus_block_is_flagged_or_known_harmless() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let (found, sizes) = scan(&mut oracle, &corpus);
    let mut used = vec![0usize; KNOWN.len()];
    let mut unflagged = Vec::new();
    for f in found.iter().filter(|f| !f.flagged()) {
        match KNOWN
            .iter()
            .position(|k| k.construct == f.construct && (k.covers)(f))
        {
            Some(i) => used[i] += 1,
            None => unflagged.push(f),
        }
    }
    if let Some(path) = std::env::var_os("TWIRL_ORACLE_REPORT") {
        std::fs::write(&path, report(&found, &unflagged, &sizes)).unwrap();
    }
    let all: Vec<&Found> = found.iter().collect();
    eprintln!("{}", table(&all));
    assert!(
        unflagged.is_empty(),
        "{} divergent blocks carry no finding of a rendering rule and are not in KNOWN:\n\n{}",
        unflagged.len(),
        by_construct(&unflagged, usize::MAX)
    );
    let stale: Vec<&str> = KNOWN
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| k.reason)
        .collect();
    assert!(
        stale.is_empty(),
        "KNOWN entries that cover nothing: {stale:?}"
    );
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}
