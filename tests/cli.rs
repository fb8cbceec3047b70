//! The `twirl` binary as users run it: exit codes, formats, files.

use crate::common;

use std::fs;

use common::{run_with_stdin, twirl};

fn example() -> std::path::PathBuf {
    common::repo_root().join("examples/content/2024-11-06-this-week-in-rust.md")
}

#[test]
fn check_example_reports_errors_and_exits_1() {
    let out = twirl()
        .args(["check", "--format", "json"])
        .arg(example())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = common::json_findings(&out.stdout);
    let rules: Vec<&str> = v.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for r in [
        "event-outside-window",
        "events-unsorted",
        "placeholder",
        "event-format",
    ] {
        assert!(rules.contains(&r), "{r} missing from {rules:?}");
    }
    let first = &v[0];
    for key in [
        "file", "code", "rule", "severity", "message", "start", "end", "fix",
    ] {
        assert!(first.get(key).is_some(), "JSON finding lacks `{key}`");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("checked 1 file"));
}

/// The JSON document's schema is no formality: a document of another
/// version or shape fails it.
#[test]
fn json_schema_refuses_other_shapes() {
    let out = twirl()
        .args(["check", "--format", "json"])
        .arg(example())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::json_schema_errors(&doc), Vec::<String>::new());
    type Change = fn(&mut serde_json::Value);
    let changes: [(&str, Change); 4] = [
        ("another version", |d| d["version"] = 2.into()),
        ("a bare array", |d| *d = d["findings"].take()),
        ("a finding without its rule", |d| {
            d["findings"][0].as_object_mut().unwrap().remove("rule");
        }),
        ("an undocumented field", |d| {
            d["findings"][0]["extra"] = 1.into()
        }),
    ];
    for (what, change) in changes {
        let mut bad = doc.clone();
        change(&mut bad);
        assert!(
            !common::json_schema_errors(&bad).is_empty(),
            "{what} passed the schema"
        );
    }
}

#[test]
fn github_format_is_workflow_commands() {
    let out = twirl()
        .args(["check", "--format", "github"])
        .arg(example())
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.is_empty());
    let re = regex_lite(&s);
    assert!(re, "{s}");
}

/// Every line is `::LEVEL file=F,line=N,col=N,endLine=N,endColumn=N,title=T::MSG`.
fn regex_lite(s: &str) -> bool {
    s.lines().all(|l| {
        let Some(rest) = l.strip_prefix("::") else {
            return false;
        };
        let (level, rest) = rest.split_once(' ').unwrap_or(("", ""));
        let Some((props, msg)) = rest.split_once("::") else {
            return false;
        };
        ["error", "warning", "notice"].contains(&level)
            && !msg.is_empty()
            && props
                .split(',')
                .map(|p| p.split_once('=').map(|(k, _)| k))
                .collect::<Vec<_>>()
                == vec![
                    Some("file"),
                    Some("line"),
                    Some("col"),
                    Some("endLine"),
                    Some("endColumn"),
                    Some("title"),
                ]
    })
}

#[test]
fn clean_file_exits_0_and_unknown_rule_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("2024-11-06-this-week-in-rust.md");
    fs::write(&f, "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\nHello.\n").unwrap();
    let out = twirl().arg("check").arg(&f).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = twirl()
        .args(["check", "--select", "no-such-rule"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
}

#[test]
fn invalid_utf8_is_an_error_naming_file_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("2024-11-06-this-week-in-rust.md");
    fs::write(&f, b"Title: x\n\xff\n").unwrap();
    let out = twirl().arg("check").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2024-11-06-this-week-in-rust.md") && err.contains("byte 9"),
        "{err}"
    );
    let out = twirl().arg("fmt").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        fs::read(&f).unwrap(),
        b"Title: x\n\xff\n",
        "fmt must not touch a file it cannot read"
    );
}

#[test]
fn broken_config_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("twirl.toml"), "lookback = 3\nwindow = 2\n").unwrap();
    let f = dir.path().join("2024-11-06-this-week-in-rust.md");
    fs::write(&f, "Title: x\n").unwrap();
    let out = twirl().arg("check").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("twirl.toml") && err.contains("window") && err.contains(":2:1"),
        "{err}"
    );
}

#[test]
fn fmt_removes_stale_events_of_the_seed_and_is_idempotent() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft");
    fs::create_dir(&draft).unwrap();
    let f = draft.join("2024-11-06-this-week-in-rust.md");
    let original =
        fs::read_to_string(corpus.join("drafts/seed/2024-11-06-this-week-in-rust.md")).unwrap();
    fs::write(&f, &original).unwrap();
    let out = twirl().args(["fmt", "--check"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("would reformat"));
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        original,
        "--check writes nothing"
    );

    let out = twirl().arg("fmt").arg(&f).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let formatted = fs::read_to_string(&f).unwrap();
    let start = twirl_core::issue::parse_date("2024-11-06").unwrap();
    let issue = twirl_core::parse(&formatted);
    assert!(
        issue.all_events().all(|e| e.end().unwrap() >= start),
        "a stale event survived"
    );
    // Every line that was not a stale event is still there.
    let before = twirl_core::parse(&original);
    let stale: Vec<&str> = before
        .all_events()
        .filter(|e| e.end().unwrap() < start)
        .flat_map(|e| original[e.range.as_range()].lines())
        .collect();
    let kept: Vec<&str> = original.lines().filter(|l| !stale.contains(l)).collect();
    let after: Vec<&str> = formatted.lines().collect();
    assert_eq!(kept.len(), after.len());

    let out = twirl().args(["fmt", "--check"]).arg(&f).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "fmt is idempotent: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let st = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(st.success(), "git {args:?}");
}

#[test]
fn since_reports_only_what_a_commit_introduced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let f = d.join("2024-11-06-this-week-in-rust.md");
    let head = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n## Updates from Rust Community\n\n### Official\n\n";
    let old_items =
        "* [A post](https://a.example.org/post)\n\nPlease see [the thread](INSERT_LINK_HERE)\n";
    fs::write(&f, format!("{head}{old_items}")).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    // Lines moved down by an insertion, plus one new duplicate link.
    let new_items = "* [New one](https://n.example.org/x)\n* [Again](https://a.example.org/post/)\n* [A post](https://a.example.org/post)\n\nPlease see [the thread](INSERT_LINK_HERE)\n";
    fs::write(&f, format!("{head}{new_items}")).unwrap();

    let out = twirl()
        .current_dir(d)
        .args(["check", "--since", "HEAD", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    let v = common::json_findings(&out.stdout);
    let rules: Vec<&str> = v.iter().map(|x| x["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["duplicate-link"], "{v:#?}");

    let out = twirl()
        .current_dir(d)
        .args(["check", "--since", "no-such-rev"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rev"));
}

/// A branch made from `main`, which then moved on: `--since main` compares
/// with where the branch started (as `git diff main...HEAD` does), not with
/// what `main` has now.
#[test]
fn since_compares_with_the_merge_base() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let f = d.join("2024-11-06-this-week-in-rust.md");
    let head = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n## Updates from Rust Community\n\n### Official\n\n";
    let post = "* [A post](https://a.example.org/post?utm_source=x)\n";
    let placeholder = "\nPlease see [the thread](INSERT_LINK_HERE)\n";
    fs::write(&f, format!("{head}{post}")).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "fork point"]);
    let fork = String::from_utf8(
        std::process::Command::new("git")
            .current_dir(d)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    // The branch leaves a placeholder.
    git(d, &["checkout", "-qb", "pr"]);
    fs::write(&f, format!("{head}{post}{placeholder}")).unwrap();
    git(d, &["commit", "-qam", "branch"]);
    // main moves on: it fixes the tracking parameter the branch still
    // has, and leaves the same placeholder.
    git(d, &["checkout", "-q", "main"]);
    let fixed = "* [A post](https://a.example.org/post)\n";
    fs::write(&f, format!("{head}{fixed}{placeholder}")).unwrap();
    git(d, &["commit", "-qam", "main moves on"]);
    git(d, &["checkout", "-q", "pr"]);

    let out = twirl()
        .current_dir(d)
        .args(["check", "--since", "main", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    let v = common::json_findings(&out.stdout);
    let rules: Vec<&str> = v.iter().map(|x| x["rule"].as_str().unwrap()).collect();
    // The placeholder the branch left is new, though main has it too; the
    // tracking parameter was there before the branch, though main fixed it.
    assert_eq!(rules, vec!["placeholder"], "{v:#?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "new since {} (the merge base of main and HEAD)",
            &fork[..12]
        )),
        "{stderr}"
    );
}

/// `check --fix -` fixes standard input in memory: the file that
/// `--stdin-filename` names is neither written (even when it holds the
/// same text) nor needed.
#[test]
fn check_fix_on_stdin_writes_no_file() {
    let text = "Title: x\n\n* [a](https://example.com/?utm_source=x)\n";
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("2024-11-06-this-week-in-rust.md");
    fs::write(&named, text).unwrap();
    let missing = dir.path().join("draft/2024-11-06-this-week-in-rust.md");
    for name in [&named, &missing] {
        let mut cmd = twirl();
        cmd.args(["check", "--fix", "-", "--stdin-filename"])
            .arg(name);
        let out = run_with_stdin(cmd, text.as_bytes());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(2), "{}: {stderr}", name.display());
        assert!(!stderr.contains("error:"), "{stderr}");
    }
    assert_eq!(fs::read_to_string(&named).unwrap(), text);
    assert!(!missing.exists());
}

#[test]
fn stdin_uses_the_stdin_filename_for_date_and_profile() {
    let text = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\nSee [thread](REDDIT_LINK_HERE)\n";
    let run = |name: &str| {
        let mut cmd = twirl();
        cmd.args(["check", "-", "--format", "json", "--stdin-filename", name]);
        let out = run_with_stdin(cmd, text.as_bytes());
        (out.status.code(), common::json_findings(&out.stdout))
    };
    let (code, v) = run("draft/2024-11-06-this-week-in-rust.md");
    assert_eq!(
        code,
        Some(0),
        "placeholders are warnings in a draft: {v:#?}"
    );
    assert_eq!(v[0]["severity"], "warning");
    assert_eq!(v[0]["file"], "draft/2024-11-06-this-week-in-rust.md");
    let (code, v) = run("content/2024-11-06-this-week-in-rust.md");
    assert_eq!(code, Some(1));
    assert_eq!(v[0]["severity"], "error");
}

#[test]
fn rules_and_explain() {
    let out = twirl().arg("rules").output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    for r in twirl_core::RULES {
        assert!(
            s.contains(r.meta().name) && s.contains(r.meta().code),
            "{} missing",
            r.meta().name
        );
    }
    let out = twirl().args(["explain", "TW102"]).output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.starts_with("# event-outside-window (TW102)") && s.contains("## Fix safety"),
        "{s}"
    );
    assert_eq!(
        twirl()
            .args(["explain", "nope"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

/// A finding's note naming another file keeps the path and position on
/// one line, whatever the path's length: terminals make it a link only
/// when it is whole.
#[test]
fn human_report_keeps_long_paths_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp
        .path()
        .join("a-directory-with-a-name-long-enough-to-pass-the-report-width")
        .join("content");
    std::fs::create_dir_all(&dir).unwrap();
    let issue = |number: u32, date: &str| {
        format!(
            "Title: This Week in Rust {number}\nNumber: {number}\nDate: {date}\nCategory: This Week in Rust\n\n\
             ## Updates from Rust Community\n\n\
             * [A post](https://example.com/a-post/)\n"
        )
    };
    let earlier = dir.join("2024-10-30-this-week-in-rust.md");
    std::fs::write(&earlier, issue(571, "2024-10-30")).unwrap();
    let later = dir.join("2024-11-06-this-week-in-rust.md");
    std::fs::write(&later, issue(572, "2024-11-06")).unwrap();
    let out = twirl()
        .args(["check", "--select", "repeated-link"])
        .arg(&later)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let whole = format!("{}:8:3", earlier.display());
    assert!(whole.len() > 100, "the path must pass the width: {whole}");
    assert!(
        stdout.lines().any(|l| l.contains(&whole)),
        "no line holds {whole}:\n{stdout}"
    );
}

/// A file checked alone reads the issues its look-back reaches; one of
/// them that cannot be read does not count, and the look-back reaches one
/// issue further instead, as when the whole directory is checked.
#[test]
fn lookback_skips_an_unreadable_issue() {
    let dir = tempfile::tempdir().unwrap();
    let issue = |date: &str, link: &str| {
        format!(
            "Title: This Week in Rust 1\nNumber: 1\nDate: {date}\n\n\
             ## Updates from Rust Community\n\n### Official\n\n* [{link}](https://{link}.example.org/post)\n"
        )
    };
    let write = |date: &str, bytes: &[u8]| {
        fs::write(
            dir.path().join(format!("{date}-this-week-in-rust.md")),
            bytes,
        )
        .unwrap()
    };
    fs::write(dir.path().join("twirl.toml"), "lookback = 1\n").unwrap();
    write("2024-10-23", issue("2024-10-23", "old").as_bytes());
    write("2024-10-30", b"Title: \xff\n");
    write("2024-11-06", issue("2024-11-06", "old").as_bytes());
    let repeated = |paths: &[&std::path::Path]| -> Vec<String> {
        let out = twirl()
            .args(["check", "--format", "json", "--select", "repeated-link"])
            .args(paths)
            .output()
            .unwrap();
        common::json_findings(&out.stdout)
            .iter()
            .map(|f| {
                f["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let last = dir.path().join("2024-11-06-this-week-in-rust.md");
    assert_eq!(repeated(&[&last]), ["2024-11-06-this-week-in-rust.md"]);
    assert_eq!(
        repeated(&[dir.path()]),
        ["2024-11-06-this-week-in-rust.md"],
        "the directory, its unreadable issue included"
    );
}

/// Files of one directory share their settings only when no
/// `[[overrides]]` can tell them apart: an override for one file applies
/// to that file alone.
#[test]
fn an_override_for_one_file_leaves_its_neighbour_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(example()).unwrap();
    for name in [
        "2024-11-06-this-week-in-rust.md",
        "2024-11-13-this-week-in-rust.md",
    ] {
        fs::write(dir.path().join(name), &text).unwrap();
    }
    let rules_by_file = || {
        let out = twirl()
            .args(["check", "--format", "json"])
            .arg(dir.path())
            .output()
            .unwrap();
        let mut found: Vec<(String, String)> = common::json_findings(&out.stdout)
            .iter()
            .map(|f| {
                let file = f["file"].as_str().unwrap();
                let name = file.rsplit(['/', '\\']).next().unwrap().to_string();
                (name, f["rule"].as_str().unwrap().to_string())
            })
            .collect();
        found.sort();
        found.dedup();
        found
    };
    let placeholder_in = |found: &[(String, String)], day: &str| {
        found
            .iter()
            .any(|(f, r)| f.starts_with(day) && r == "placeholder")
    };
    let before = rules_by_file();
    assert!(placeholder_in(&before, "2024-11-06"), "{before:?}");
    assert!(placeholder_in(&before, "2024-11-13"), "{before:?}");

    fs::write(
        dir.path().join("twirl.toml"),
        "[[overrides]]\nfiles = [\"2024-11-13-*.md\"]\n[overrides.rules]\nignore = [\"placeholder\"]\n",
    )
    .unwrap();
    let after = rules_by_file();
    assert!(placeholder_in(&after, "2024-11-06"), "{after:?}");
    assert!(!placeholder_in(&after, "2024-11-13"), "{after:?}");
}
