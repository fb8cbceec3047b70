//! The `twirl` binary: one program for every use, as editors need one thing
//! on PATH. `check` and `fmt` for people and CI, `new` and `publish-check`
//! for the weekly workflow, `rules` and `explain` for reference, `lsp` for
//! editors, `completions` and `man` for installing.

mod check;
mod events;
mod files;
mod fmt;
mod new;
mod output;
mod progress;
mod publish_check;
mod report;
mod since;

// mimalloc: `check` over the corpus 1.43x -> 1.20x the floor (docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Linter, formatter and language server for This Week in Rust issues.
#[derive(Parser, Debug)]
#[command(name = "twirl", version = VERSION, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check issue files and report what is wrong.
    Check(CheckArgs),
    /// Apply the safe fixes: prune stale events, sort events, fix spacing,
    /// strip tracking parameters, restore mojibake.
    Fmt(FmtArgs),
    /// List every rule.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// Rule name (`event-outside-window`) or code (`TW102`).
        rule: String,
    },
    /// Serve the language server protocol on stdin/stdout.
    Lsp,
    /// Create the next issue's draft from the template.
    New(new::NewArgs),
    /// Merge new events into a draft, or list an issue's events.
    Events(events::EventsArgs),
    /// The checks to pass before a draft moves to `content/`.
    PublishCheck(publish_check::PublishCheckArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// The version with the git revision it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("TWIRL_GIT_REV"), ")");

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports with the source snippet.
    Human,
    /// One JSON document of findings (docs/check.schema.json).
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One SARIF 2.1.0 log (GitHub code scanning).
    Sarif,
}

/// Options shared by `check` and `fmt`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Common {
    /// Files or directories (searched for `*-this-week-in-rust.md`); `-`
    /// reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Use this twirl.toml instead of searching for one.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The file name that standard input stands for (picks the config,
    /// profile and date).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Only these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Not these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Check against this profile instead of the one the path implies.
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    Draft,
    Publish,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Apply the safe fixes, then report what remains.
    #[arg(long)]
    fix: bool,
    /// Refuse links added under Project/Tooling Updates.
    #[arg(long)]
    deny_project_tooling_links: bool,
    /// Report only findings that are new since the merge base of this git
    /// revision and HEAD (what `git diff REV...HEAD` compares).
    #[arg(long, value_name = "REV")]
    since: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    #[command(flatten)]
    common: Common,
    /// Write nothing; exit 1 listing the files that would change.
    #[arg(long)]
    check: bool,
    /// Print a unified diff of the changes instead of writing them.
    #[arg(long)]
    diff: bool,
    /// Also apply fixes that may change meaning.
    #[arg(long)]
    unsafe_fixes: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `--help` and `--version` go to stdout like any other output, so
        // a full disk is an error (clap would exit 0).
        Err(e) if !e.use_stderr() => {
            use std::io::IsTerminal;
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let text = if color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            return print_bytes(text.as_bytes());
        }
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Rules => print_bytes(report::rules_table().as_bytes()),
        Command::Explain { rule } => match twirl_core::rules::rule_by_name(&rule) {
            Some(m) => print_bytes(
                format!(
                    "# {} ({})\n\n{}\n\n{}\n",
                    m.name,
                    m.code,
                    m.summary,
                    m.docs.trim_end()
                )
                .as_bytes(),
            ),
            None => {
                eprintln!("error: {}", twirl_core::config::unknown_rule(&rule));
                ExitCode::from(2)
            }
        },
        Command::New(args) => new::run(args),
        Command::Events(args) => events::run(args),
        Command::PublishCheck(args) => publish_check::run(args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "twirl", &mut script);
            print_bytes(&script)
        }
        Command::Man => {
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            let mut page = Vec::new();
            man.render(&mut page)
                .expect("writing to memory cannot fail");
            print_bytes(&page)
        }
        Command::Lsp => match twirl_lsp::run_stdio() {
            Ok(end) => ExitCode::from(end.exit_code()),
            Err(e) => {
                eprintln!("error: language server: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// A run's exit status: 2 when something could not be done (a file not
/// read or written), else 1 when `failed` (findings, files to reformat).
fn exit_code(errors: usize, failed: bool) -> ExitCode {
    if errors > 0 {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes to stdout; a closed pipe (`twirl man | head`) is not an error.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut out = output::stdout();
    let _ = out.write_all(bytes);
    out.status(ExitCode::SUCCESS)
}
