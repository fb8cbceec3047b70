//! `twirl events merge` and `twirl events list`: the events editor's
//! weekly merge. The merge itself is `twirl_core::events_merge`; this
//! module reads the files (Markdown or the Meetup collector's JSON, told
//! apart by content), prints the summary and writes the draft atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use twirl_core::Source;
use twirl_core::events_merge::{Merged, merge};
use twirl_workspace::NewEvents;

/// The events of a draft: merge new ones in, or list them.
#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    #[command(subcommand)]
    command: EventsCommand,
}

#[derive(Subcommand, Debug)]
enum EventsCommand {
    /// Merge new event entries into a draft's Upcoming Events section.
    Merge(MergeArgs),
    /// Print an issue's events, as the Meetup collector's JSON or as Markdown.
    List(ListArgs),
}

#[derive(clap::Args, Debug)]
struct MergeArgs {
    /// The draft, written in place (`-`: standard input, merged to stdout).
    draft: PathBuf,
    /// Files of new entries: Markdown under `### Region` headings, or the
    /// Meetup collector's JSON (`-`: standard input).
    #[arg(required = true)]
    new: Vec<PathBuf>,
    /// Print a unified diff of the merge instead of writing it.
    #[arg(long)]
    diff: bool,
    /// Write nothing; exit 1 if the merge would change the draft.
    #[arg(long)]
    check: bool,
    /// Use this twirl.toml instead of searching for one.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct ListArgs {
    /// The issue (`-`: standard input).
    file: PathBuf,
    #[arg(long, value_enum, default_value_t = ListFormat::Markdown)]
    format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    /// `{"<Region>": [{"name", "location", "date", ...}]}`
    Json,
    /// Region headings and entries, as in the issue.
    Markdown,
}

pub fn run(args: EventsArgs) -> ExitCode {
    let result = match args.command {
        EventsCommand::Merge(a) => run_merge(&a),
        EventsCommand::List(a) => run_list(&a),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// A file (or standard input) decoded as twirl decodes issues.
fn read(path: &Path) -> Result<Source, String> {
    if is_stdin(path) {
        return twirl_workspace::read_issue_from(std::io::stdin().lock(), "<stdin>".as_ref())
            .map_err(|e| e.to_string());
    }
    twirl_workspace::read_issue(path).map_err(|e| e.to_string())
}

fn display(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn run_merge(args: &MergeArgs) -> Result<ExitCode, String> {
    if std::iter::once(&args.draft)
        .chain(&args.new)
        .filter(|p| is_stdin(p))
        .count()
        > 1
    {
        return Err("`-` (standard input) may stand for one file only".to_string());
    }
    let name = display(&args.draft);
    let draft = read(&args.draft)?;
    let mut new = NewEvents::default();
    for path in &args.new {
        new.read(&display(path), &read(path)?.text)?;
    }
    let loaded = twirl_workspace::config_for(&args.draft, args.config.as_deref())
        .map_err(|e| e.to_string())?;
    let settings = loaded.settings_for(&args.draft);
    let path = (!is_stdin(&args.draft)).then(|| args.draft.to_string_lossy().into_owned());
    let Merged { text, mut summary } = merge(&draft.text, &settings, path.as_deref(), &new.entries)
        .map_err(|e| format!("{name}: {e}; nothing written"))?;
    summary.refused.splice(0..0, new.refused);
    let changed = text != draft.text;
    let mut stdout = crate::output::stdout();
    if args.diff {
        let diff = similar::TextDiff::from_lines(&draft.text, &text);
        let _ = write!(
            stdout,
            "{}",
            diff.unified_diff().context_radius(3).header(&name, &name)
        );
    } else if is_stdin(&args.draft) {
        let _ = stdout.write_all(&draft.encode(&text));
    } else if changed && !args.check {
        let was = draft.encode(&draft.text);
        twirl_workspace::write_atomic(&args.draft, &was, &draft.encode(&text))
            .map_err(|e| format!("{e}; the draft is left as it was"))?;
    }
    let verb = match (changed, args.check || args.diff) {
        (false, _) => "unchanged",
        (true, true) => "would change",
        (true, false) => "merged",
    };
    eprint!("{}", summary.report(&name, verb));
    Ok(stdout.status(if changed && (args.check || args.diff) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }))
}

fn run_list(args: &ListArgs) -> Result<ExitCode, String> {
    let source = read(&args.file)?;
    let text = &source.text;
    let issue = twirl_core::parse(text);
    if issue.events.is_none() {
        return Err(format!(
            "{}: no Upcoming Events section",
            display(&args.file)
        ));
    }
    let out = match args.format {
        // Every event: none ended before the earliest date there is.
        ListFormat::Markdown => {
            let carried = twirl_core::new_issue::carry_over_events(
                text,
                twirl_core::issue::Date::MIN,
                twirl_core::issue::Date::MAX,
            );
            format!("{}\n", carried.list)
        }
        ListFormat::Json => format!("{}\n", twirl_workspace::collector_json(text, &issue)),
    };
    let mut stdout = crate::output::stdout();
    let _ = stdout.write_all(out.as_bytes());
    Ok(stdout.status(ExitCode::SUCCESS))
}
