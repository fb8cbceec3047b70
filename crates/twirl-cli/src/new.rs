//! `twirl new`: start next week's draft from the template. The domain part
//! (date, number, variables, events carried over) is
//! `twirl_core::new_issue`; this module finds the files and writes the draft,
//! never over an existing one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use twirl_core::issue::{Date, add_days, parse_date};
use twirl_core::new_issue::{
    CarriedEvents, NewIssue, carry_over_events, fill_template, next_issue_date,
};

/// Create the next issue's draft in `draft/` from the template.
#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The issue date (default: the Wednesday 4 to 10 days from today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
    date: Option<Date>,
    /// The template (default: `draft/DRAFT_TEMPLATE` in DIR).
    #[arg(long, value_name = "PATH")]
    template: Option<PathBuf>,
    /// The issue whose events are carried over (default: the latest issue
    /// before the date in `draft/` or `content/`).
    #[arg(long, value_name = "PREVIOUS")]
    from: Option<PathBuf>,
    /// Print the draft on stdout instead of writing it.
    #[arg(long)]
    dry_run: bool,
    /// The root of the TWiR repository (holding `draft/` and `content/`).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a YYYY-MM-DD date"))
}

pub fn run(args: NewArgs) -> ExitCode {
    match new(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn new(args: &NewArgs) -> Result<ExitCode, String> {
    let date = args.date.unwrap_or_else(|| next_issue_date(today_utc()));
    let draft_dir = args.dir.join("draft");
    let template_path = args
        .template
        .clone()
        .unwrap_or_else(|| draft_dir.join("DRAFT_TEMPLATE"));
    let template = read(&template_path)?;

    let target = draft_dir.join(format!("{date}-this-week-in-rust.md"));
    let loaded = twirl_workspace::config_for(&target, None).map_err(|e| e.to_string())?;
    let window_days = loaded.settings_for(&target).window_days;
    let window_end = add_days(date, window_days);

    let previous = match &args.from {
        Some(p) => Some(p.clone()),
        None => previous_issue(&args.dir, date),
    };
    let carried = match &previous {
        Some(p) => carry_over_events(&read(p)?, date, window_end),
        None => {
            eprintln!(
                "warning: no issue before {date} in {} or {}: the events list is empty",
                draft_dir.display(),
                args.dir.join("content").display()
            );
            CarriedEvents::default()
        }
    };
    let issue = NewIssue::new(date, window_days, carried.list.clone()).ok_or_else(|| {
        format!("{date} is before 2022-01-05, where the issue-number rule starts")
    })?;
    let text = fill_template(&template, &issue);

    if args.dry_run {
        return Ok(crate::print_bytes(text.as_bytes()));
    }
    std::fs::create_dir_all(&draft_dir).map_err(|e| format!("{}: {e}", draft_dir.display()))?;
    // `create_new` refuses an existing file, even one made a moment ago.
    let mut file = std::fs::File::create_new(&target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} already exists; twirl new never overwrites a file",
            target.display()
        ),
        _ => format!("{}: {e}", target.display()),
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: {e}", target.display()))?;
    eprintln!(
        "twirl: created {} (issue {}, events {} - {}{})",
        target.display(),
        issue.number,
        issue.date,
        issue.events_end,
        match &previous {
            Some(p) => format!(
                "; from {}: {} events carried over, {} dropped as ended before {}",
                p.display(),
                carried.carried,
                carried.dropped,
                issue.date
            ),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> Result<String, String> {
    twirl_workspace::read_issue(path)
        .map(|s| s.text)
        .map_err(|e| e.to_string())
}

/// The latest issue dated before `date` in `dir/draft` or `dir/content`
/// (the published one when both have it).
fn previous_issue(dir: &Path, date: Date) -> Option<PathBuf> {
    let mut best: Option<(Date, bool, PathBuf)> = None;
    for (sub, published) in [("draft", false), ("content", true)] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Some(d) = twirl_workspace::issue_file_date(&path) else {
                continue;
            };
            if d < date
                && path.is_file()
                && best
                    .as_ref()
                    .is_none_or(|(bd, bp, _)| (d, published) > (*bd, *bp))
            {
                best = Some((d, published, path));
            }
        }
    }
    best.map(|(_, _, p)| p)
}

/// Today's date in UTC (good enough to pick a Wednesday 4 to 10 days away).
fn today_utc() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    add_days(Date::constant(1970, 1, 1), days)
}
