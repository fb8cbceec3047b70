//! `twirl publish-check`: what an editor runs before moving a draft to
//! `content/`. The publish profile (placeholders and empty sections are
//! errors), the findings as `twirl check` shows them, then a verdict with
//! one line per blocking category, so the answer to "can this go out?" is
//! the last thing on the screen.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use twirl_core::{CheckContext, Diagnostic, Encoding, Severity, check, parse};

use crate::files::collect;
use crate::report::{FileReport, Human, Reporter};
use crate::{Common, ProfileArg};

/// Run the pre-publication checks on a draft.
#[derive(clap::Args, Debug)]
pub struct PublishCheckArgs {
    /// Issue files or directories.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Use this twirl.toml instead of searching for one.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
}

/// What blocks publication, in the order the verdict lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category {
    Placeholders,
    EmptySections,
    EventsOutsideWindow,
    RedditLink,
    OtherErrors,
}

const CATEGORIES: [(Category, &str); 5] = [
    (Category::Placeholders, "placeholders left"),
    (Category::EmptySections, "empty sections"),
    (Category::EventsOutsideWindow, "events outside the window"),
    (
        Category::RedditLink,
        "Reddit link not filled in (REDDIT_LINK_HERE)",
    ),
    (Category::OtherErrors, "other errors"),
];

/// The blocking category of an error-level finding.
fn category(text: &str, d: &Diagnostic) -> Category {
    match d.rule.name {
        "placeholder" if text[d.range.as_range()].contains("REDDIT_LINK_HERE") => {
            Category::RedditLink
        }
        "placeholder" => Category::Placeholders,
        "empty-section" => Category::EmptySections,
        "event-outside-window" => Category::EventsOutsideWindow,
        _ => Category::OtherErrors,
    }
}

pub fn run(args: PublishCheckArgs) -> ExitCode {
    let common = Common {
        paths: args.paths,
        config: args.config,
        stdin_filename: None,
        select: Vec::new(),
        ignore: Vec::new(),
        profile: Some(ProfileArg::Publish),
    };
    let inputs = match collect(&common, |_| {}) {
        Ok(i) => i,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    if inputs.is_empty() {
        eprintln!("error: no issue files (`*-this-week-in-rust.md`) found");
        return ExitCode::from(2);
    }
    let human = Human::new();
    let mut stdout = crate::output::stdout();
    let mut failed_files = 0;
    let mut io_errors = 0;
    for input in &inputs {
        let source = match &input.source {
            Ok(s) => s,
            Err(e) => {
                io_errors += 1;
                eprintln!("error: {e}");
                continue;
            }
        };
        let text = &source.text;
        let p = &input.planned;
        let path = p.rule_path();
        let issue = parse(text);
        let cx = CheckContext {
            text,
            issue: &issue,
            settings: &p.settings,
            path: path.as_deref(),
            index: input.index.as_deref(),
        };
        let diagnostics = check(&cx);
        let r = FileReport {
            display: &p.display,
            text,
            issue: &issue,
            diagnostics: &diagnostics,
        };
        let _ = stdout.write_all(human.render(&r).as_bytes());
        let line_of = |d: &Diagnostic| {
            issue
                .line_index
                .line_col(text, d.range.start, Encoding::Chars)
                .line
                + 1
        };
        let (summary, pass) = verdict(&p.display, text, &diagnostics, line_of);
        if !pass {
            failed_files += 1;
        }
        let _ = stdout.write_all(summary.as_bytes());
    }
    stdout.status(crate::exit_code(io_errors, failed_files > 0))
}

/// The verdict block for one file, and whether it passes.
fn verdict(
    display: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    line_of: impl Fn(&Diagnostic) -> u32,
) -> (String, bool) {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let pass = errors.is_empty();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{}: {display}",
        if pass {
            "PASS: ready to publish"
        } else {
            "FAIL: not ready to publish"
        }
    );
    for (cat, label) in CATEGORIES {
        let hits: Vec<&&Diagnostic> = errors.iter().filter(|d| category(text, d) == cat).collect();
        if hits.is_empty() {
            let _ = writeln!(out, "  ok    {label}");
            continue;
        }
        let mut lines: Vec<u32> = hits.iter().map(|d| line_of(d)).collect();
        lines.dedup();
        let shown: Vec<String> = lines.iter().take(8).map(u32::to_string).collect();
        let more = if lines.len() > 8 { ", ..." } else { "" };
        let mut rules: Vec<&str> = hits.iter().map(|d| d.rule.name).collect();
        rules.sort_unstable();
        rules.dedup();
        let label = if cat == Category::OtherErrors {
            format!("{label} ({})", rules.join(", "))
        } else {
            label.to_string()
        };
        let _ = writeln!(
            out,
            "  FAIL  {label}: {} (line{} {}{more})",
            hits.len(),
            if lines.len() == 1 { "" } else { "s" },
            shown.join(", "),
        );
    }
    if warnings > 0 {
        let _ = writeln!(
            out,
            "  note  {warnings} warning{} (not blocking)",
            crate::check::plural(warnings)
        );
    }
    (out, pass)
}
