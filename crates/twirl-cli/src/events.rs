//! `twirl events merge` and `twirl events list`: the events editor's
//! weekly merge. The merge itself is `twirl_core::events_merge`; this
//! module reads the files (Markdown or the Meetup collector's JSON, told
//! apart by content), prints the summary and writes the draft atomically.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use twirl_core::Source;
use twirl_core::events_merge::{
    CollectorEvent, Merged, Named, NewEntry, Summary, list, merge, read_markdown,
};

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
    let mut entries = Vec::new();
    let mut refused = Vec::new();
    for path in &args.new {
        let text = read(path)?.text;
        read_new(&display(path), &text, &mut entries, &mut refused)?;
    }
    let loaded = twirl_workspace::config_for(&args.draft, args.config.as_deref())
        .map_err(|e| e.to_string())?;
    let settings = loaded.settings_for(&args.draft);
    let path = (!is_stdin(&args.draft)).then(|| args.draft.to_string_lossy().into_owned());
    let Merged { text, mut summary } = merge(&draft.text, &settings, path.as_deref(), &entries)
        .map_err(|e| format!("{name}: {e}; nothing written"))?;
    summary.refused.splice(0..0, refused);
    let changed = text != draft.text;
    let mut stdout = std::io::stdout().lock();
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
    drop(stdout);
    let verb = match (changed, args.check || args.diff) {
        (false, _) => "unchanged",
        (true, true) => "would change",
        (true, false) => "merged",
    };
    eprint!("{}", report(&name, verb, &summary));
    Ok(if changed && (args.check || args.diff) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The entries of one NEW file: JSON when it starts with `{`, else
/// Markdown. Collector events that cannot be written in the issue's
/// format go to `refused`.
fn read_new(
    file: &str,
    text: &str,
    entries: &mut Vec<NewEntry>,
    refused: &mut Vec<(Named, Vec<String>)>,
) -> Result<(), String> {
    if !text.trim_start().starts_with('{') {
        entries.extend(read_markdown(file, text).map_err(|e| e.to_string())?);
        return Ok(());
    }
    let regions: BTreeMap<String, Vec<JsonEvent>> = serde_json::from_str(text).map_err(|e| {
        format!(
            "{file}:{}:{}: neither event entries in Markdown nor the collector's JSON: {e}",
            e.line(),
            e.column()
        )
    })?;
    for (region, events) in regions {
        for (i, ev) in events.into_iter().enumerate() {
            let origin = format!("{file}: {region} #{}", i + 1);
            let ev = CollectorEvent::from(ev);
            match ev.to_entry(origin.clone(), &region) {
                Ok(entry) => entries.push(entry),
                Err(why) => refused.push((
                    Named {
                        date: ev.date.clone(),
                        organizer: ev.organizer_name.clone(),
                        region: region.clone(),
                        origin,
                    },
                    vec![why],
                )),
            }
        }
    }
    Ok(())
}

/// The summary: one count line, then every entry by what became of it.
fn report(name: &str, verb: &str, s: &Summary) -> String {
    let mut out = format!(
        "twirl: {name} {verb}: {} added, {} updated, {} skipped, {} not added, {} dropped as ended, {} possible duplicates\n",
        s.added.len(),
        s.updated.len(),
        s.skipped.len(),
        s.outside_window.len() + s.refused.len(),
        s.dropped.len(),
        s.possible_duplicates.len(),
    );
    if let (Some(was), Some((start, end))) = (&s.window_reset, s.window) {
        out.push_str(&format!(
            "  window line set from the issue date: {start} - {end} (it said {was})\n"
        ));
    }
    let line = |n: &Named| {
        let region = if n.region.is_empty() {
            String::new()
        } else {
            format!(" ({})", n.region)
        };
        format!("{} {}{region} [{}]", n.date, n.organizer, n.origin)
    };
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("{title}:\n"));
            for l in lines {
                out.push_str(&format!("  {l}\n"));
            }
        }
    };
    section("added", s.added.iter().map(line).collect());
    section(
        "updated",
        s.updated
            .iter()
            .map(|(new, old)| format!("{}, replacing the draft's {}", line(new), old.origin))
            .collect(),
    );
    section(
        "skipped (already in the draft)",
        s.skipped.iter().map(line).collect(),
    );
    let window = s
        .window
        .map_or_else(String::new, |(a, b)| format!(" {a} - {b}"));
    section(
        &format!("not added: outside the window{window}"),
        s.outside_window.iter().map(line).collect(),
    );
    section(
        "not added: refused",
        s.refused
            .iter()
            .map(|(n, why)| format!("{}: {}", line(n), why.join("; ")))
            .collect(),
    );
    section("dropped as ended", s.dropped.iter().map(line).collect());
    section(
        "dropped as listed twice",
        s.dropped_twice.iter().map(line).collect(),
    );
    section(
        "possible duplicates (both kept)",
        s.possible_duplicates
            .iter()
            .map(|(n, other)| match other {
                Some(o) => format!(
                    "{}: same organiser and dates as {}, other event link",
                    line(n),
                    line(o)
                ),
                None => format!("{}: marked as a duplicate by the collector", line(n)),
            })
            .collect(),
    );
    out
}

/// One event of the collector's JSON.
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEvent {
    name: String,
    location: String,
    date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    url: String,
    #[serde(rename = "virtual", default)]
    is_virtual: bool,
    organizer_name: String,
    organizer_url: String,
    #[serde(default)]
    duplicate: bool,
}

impl From<JsonEvent> for CollectorEvent {
    fn from(e: JsonEvent) -> Self {
        CollectorEvent {
            name: e.name,
            location: e.location,
            date: e.date,
            end_date: e.end_date,
            url: e.url,
            is_virtual: e.is_virtual,
            organizer_name: e.organizer_name,
            organizer_url: e.organizer_url,
            duplicate: e.duplicate,
        }
    }
}

impl From<CollectorEvent> for JsonEvent {
    fn from(e: CollectorEvent) -> Self {
        JsonEvent {
            name: e.name,
            location: e.location,
            date: e.date,
            end_date: e.end_date,
            url: e.url,
            is_virtual: e.is_virtual,
            organizer_name: e.organizer_name,
            organizer_url: e.organizer_url,
            duplicate: e.duplicate,
        }
    }
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
        ListFormat::Json => {
            // Regions in the issue's order (a JSON map would sort them).
            let regions: Vec<String> = list(text, &issue)
                .into_iter()
                .map(|(region, events)| {
                    let events: Vec<JsonEvent> = events.into_iter().map(JsonEvent::from).collect();
                    format!(
                        "{}:{}",
                        serde_json::to_string(&region).expect("a string"),
                        serde_json::to_string(&events).expect("plain data")
                    )
                })
                .collect();
            format!("{{{}}}\n", regions.join(","))
        }
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(ExitCode::SUCCESS)
}
