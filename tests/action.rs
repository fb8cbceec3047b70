//! The GitHub Action: `scripts/action-check.sh` run the way `action.yml`
//! runs it, on a throw-away repository with a base and a head commit; and
//! `--format github` against GitHub's documented workflow-command syntax.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::{repo_root, twirl};

const ISSUE: &str = "\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust

Hello and welcome to another issue of *This Week in Rust*!

## Updates from Rust Community

### Official

* [Announcing something](https://blog.rust-lang.org/2024/11/01/something.html)

## Upcoming Events

Rusty Events between 2024-11-06 - 2024-12-04 🦀

### Virtual
* 2024-11-12 | Virtual (Dallas, TX, US) | [Dallas Rust](https://www.meetup.com/dallasrust/)
    * [**Second Tuesday**](https://www.meetup.com/dallasrust/events/299346985/)

## Jobs

Please see the latest [Who's Hiring thread on r/rust](INSERT_LINK_HERE)
";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=twirl test",
            "-c",
            "user.email=twirl@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Runs the action's script in `dir` with the environment `action.yml` sets.
fn run_action(dir: &Path, base: &str, paths: &str, args: &str) -> Output {
    Command::new("bash")
        .arg(repo_root().join("scripts/action-check.sh"))
        .current_dir(dir)
        .env("TWIRL_BIN", env!("CARGO_BIN_EXE_twirl"))
        .env("TWIRL_BASE", base)
        .env("TWIRL_PATHS", paths)
        .env("TWIRL_ARGS", args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("bash runs")
}

fn annotations(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(str::to_string)
        .collect()
}

#[test]
fn action_reports_only_what_the_head_commit_introduces() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    // Base: two issues, both with a placeholder left (an error in content/).
    write(dir, "content/2024-11-06-this-week-in-rust.md", ISSUE);
    let other = ISSUE
        .replace("572", "573")
        .replace("2024-11-06", "2024-11-13")
        .replace("2024-12-04", "2024-12-11");
    write(dir, "content/2024-11-13-this-week-in-rust.md", &other);
    write(dir, "README.md", "base\n");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);

    // Head: a link with a tracking parameter added under a new line that
    // shifts everything below it (the old placeholder must not come back);
    // the other issue untouched; a non-issue file changed.
    let head = ISSUE.replace(
        "* [Announcing something]",
        "* [A new post](https://example.com/post?utm_source=twir)\n* [Announcing something]",
    );
    write(dir, "content/2024-11-06-this-week-in-rust.md", &head);
    write(dir, "README.md", "head\n");
    git(dir, &["commit", "-q", "-am", "head"]);

    let out = run_action(dir, &base, "", "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    let ann = annotations(&out);
    assert_eq!(ann.len(), 1, "{ann:#?}\nstderr: {stderr}");
    assert_eq!(
        ann[0],
        "::error file=content/2024-11-06-this-week-in-rust.md,line=12,col=41,endLine=12,\
         endColumn=56,title=TW403 tracking-param::tracking parameter `utm_source` in link"
    );
    assert!(stderr.contains("checking 1 changed issue file"), "{stderr}");

    // The same with the paths input naming the directory, and extra args.
    let out = run_action(dir, &base, "content/", "--ignore tracking-param");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(annotations(&out).is_empty());

    // Paths that hold no changed issue: nothing to do, success.
    let out = run_action(dir, &base, "draft", "");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no issue file changed"));

    // No base: a clear error, exit 2.
    let out = run_action(dir, "", "", "");
    assert_eq!(out.status.code(), Some(2));
    assert!(annotations(&out)[0].starts_with("::error title=twirl::no base revision"));
}

#[test]
fn action_yml_runs_the_script() {
    let yml = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    for needle in [
        "using: composite",
        "cargo install --locked --path \"${{ github.action_path }}/crates/twirl-cli\"",
        "default: ${{ github.event.pull_request.base.sha }}",
        "TWIRL_BIN:",
        "TWIRL_BASE: ${{ inputs.base }}",
        "TWIRL_PATHS: ${{ inputs.paths }}",
        "TWIRL_ARGS: ${{ inputs.args }}",
        "scripts/action-check.sh",
    ] {
        assert!(yml.contains(needle), "action.yml lacks {needle}");
    }
    let script = std::fs::read_to_string(repo_root().join("scripts/action-check.sh")).unwrap();
    assert!(script.contains("--diff-filter=ACMR"));
    assert!(script.contains("check --since \"$base\" --format github"));
}

/// Undoes GitHub's escaping of a workflow-command message or property.
fn unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// `::LEVEL file=F,line=L,col=C,endLine=L,endColumn=C,title=T::MESSAGE`, as
/// GitHub documents it: properties comma-separated `key=value` with `%`,
/// CR, LF, `:` and `,` escaped in values, the message with `%`, CR and LF
/// escaped.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect("has a message");
    let (level, props) = head.split_once(' ').expect("has properties");
    assert!(
        ["error", "warning", "notice"].contains(&level),
        "level {level}"
    );
    let props: Vec<(String, String)> = props
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            assert!(!v.contains(':') && !v.contains(','), "unescaped {v}");
            (k.to_string(), unescape(v))
        })
        .collect();
    assert!(
        !message.contains('\r') && !message.contains('\n'),
        "{message}"
    );
    (level.to_string(), props, unescape(message))
}

#[test]
fn github_format_follows_the_workflow_command_syntax() {
    let tmp = tempfile::tempdir().unwrap();
    // A directory name with the property separators in it.
    let dir = tmp.path().join("odd:dir,name");
    let file = dir.join("2024-11-06-this-week-in-rust.md");
    // A link whose URL was never filled in, its text spanning two lines with
    // a colon, a comma and a percent sign: the message quotes it.
    let text = ISSUE.replace(
        "* [Announcing something]",
        "* [Rust 2024: ready, 100%\nset]()\n* [Announcing something]",
    );
    write(
        tmp.path(),
        "odd:dir,name/2024-11-06-this-week-in-rust.md",
        &text,
    );
    let out = twirl()
        .args(["check", "--format", "github", "--select", "placeholder"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for line in &lines {
        let (level, props, _) = parse_command(line);
        assert_eq!(level, "error");
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert_eq!(props[0].1, file.display().to_string());
        for (k, v) in &props[1..5] {
            assert!(v.parse::<u32>().is_ok(), "{k}={v}");
        }
        assert_eq!(props[5].1, "TW301 placeholder");
    }
    let (_, props, message) = parse_command(lines[0]);
    assert_eq!(
        message,
        "link `[Rust 2024: ready, 100%\nset]()` has an empty URL"
    );
    assert_eq!((props[1].1.as_str(), props[3].1.as_str()), ("12", "13"));
    assert!(
        lines[0].contains("::link `[Rust 2024: ready, 100%25%0Aset]()` has an empty URL"),
        "the message keeps `:` and `,` and escapes `%` and LF: {}",
        lines[0]
    );
    assert!(lines[0].contains("file=") && lines[0].contains("odd%3Adir%2Cname"));
    let (_, _, message) = parse_command(lines[1]);
    assert_eq!(message, "placeholder `INSERT_LINK_HERE` left in the issue");
}

/// An annotation on a copied link is read alone, beside one line of the
/// diff: it names the URL and the file and line of the first copy.
#[test]
fn github_annotations_name_the_url_and_its_first_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let url = "https://blog.rust-lang.org/2024/11/01/something.html";
    // Last week's issue features the post at line 12.
    let last_week = ISSUE
        .replace("572", "571")
        .replace("2024-11-06", "2024-10-30")
        .replace("2024-12-04", "2024-11-27");
    write(dir, "2024-10-30-this-week-in-rust.md", &last_week);
    // This week: another post (line 12), then the post twice (lines 13, 14).
    let this_week = ISSUE.replace(
        "* [Announcing something]",
        "* [Other](https://example.com/other)\n* [Announcing something]",
    );
    let this_week = this_week.replace(
        "(https://blog.rust-lang.org/2024/11/01/something.html)\n",
        "(https://blog.rust-lang.org/2024/11/01/something.html)\n* [Again](https://blog.rust-lang.org/2024/11/01/something.html)\n",
    );
    write(dir, "2024-11-06-this-week-in-rust.md", &this_week);
    let out = twirl()
        .current_dir(dir)
        .args(["check", "--format", "github", "--select", "duplicate-link"])
        .args([
            "--select",
            "repeated-link",
            "2024-11-06-this-week-in-rust.md",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let messages: Vec<(String, String)> = stdout
        .lines()
        .map(|l| {
            let (_, props, message) = parse_command(l);
            (format!("{}:{}", props[5].1, props[1].1), message)
        })
        .collect();
    let this = "2024-11-06-this-week-in-rust.md";
    let last = "2024-10-30-this-week-in-rust.md";
    assert_eq!(
        messages,
        [
            (
                "TW402 repeated-link:13".to_string(),
                format!(
                    "link already featured in the issue of 2024-10-30: {url} \
                     (featured here: {last}:12)"
                )
            ),
            (
                "TW401 duplicate-link:14".to_string(),
                format!(
                    "link already appears earlier in this issue: {url} \
                     (earlier copy: {this}:13)"
                )
            ),
            (
                "TW402 repeated-link:14".to_string(),
                format!(
                    "link already featured in the issue of 2024-10-30: {url} \
                     (featured here: {last}:12)"
                )
            ),
        ],
        "{stdout}"
    );
}
