//! `twirl publish-check`: what an editor runs before moving a draft to
//! `content/`. The publish profile (placeholders and empty sections are
//! errors), the findings as `twirl check` shows them, then a verdict with
//! one line per blocking category, so the answer to "can this go out?" is
//! the last thing on the screen.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use twirl_core::{Diagnostic, Severity};

use crate::check::check_all;
use crate::files::plan;
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
        profile: Some(ProfileArg::Publish),
        ..Common::default()
    };
    let planned = match plan(&common, |_| {}) {
        Ok(planned) if planned.is_empty() => {
            eprintln!("error: no issue files (`*-this-week-in-rust.md`) found");
            return ExitCode::from(2);
        }
        Ok(planned) => planned,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    let (stdout, [_, _, errors], io_errors) =
        check_all(&planned, false, None, Verdict(Human::new()));
    stdout.status(crate::exit_code(io_errors, errors > 0))
}

/// The human report of each file, then its verdict.
struct Verdict(Human);

impl Reporter for Verdict {
    type Rendered = String;

    fn render(&self, r: &FileReport<'_>) -> String {
        let mut out = self.0.render(r);
        out.push_str(&verdict(r));
        out
    }

    fn write(&mut self, rendered: String, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(rendered.as_bytes())
    }
}

/// The verdict block for one file.
fn verdict(r: &FileReport<'_>) -> String {
    let errors: Vec<&Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let warnings = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let pass = errors.is_empty();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{}: {}",
        if pass {
            "PASS: ready to publish"
        } else {
            "FAIL: not ready to publish"
        },
        r.display
    );
    for (cat, label) in CATEGORIES {
        let hits: Vec<&&Diagnostic> = errors
            .iter()
            .filter(|d| category(r.text, d) == cat)
            .collect();
        if hits.is_empty() {
            let _ = writeln!(out, "  ok    {label}");
            continue;
        }
        let mut lines: Vec<u32> = hits.iter().map(|d| r.line_col(d.range.start).0).collect();
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
    out
}
