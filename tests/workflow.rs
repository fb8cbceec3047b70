//! The weekly workflow and installation: `twirl new`, `twirl
//! publish-check`, `twirl completions`, `twirl man`, `twirl --version`.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{corpus, twirl};

/// A template in the shape of `draft/DRAFT_TEMPLATE`, cut down.
const TEMPLATE: &str = "\
Title: This Week in Rust $twir_issue_number
Number: $twir_issue_number
Date: $twir_issue_date
Category: This Week in Rust

Hello and welcome to another issue of *This Week in Rust*!

## Updates from Rust Community

### Official

## Crate of the Week

<!-- COTW goes here -->

## Upcoming Events

Rusty Events between $twir_issue_date - $twir_events_end_date 🦀

$twir_events_list

If you are running a Rust event please add it to the [calendar].

[calendar]: https://www.google.com/calendar/embed?src=apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com

## Jobs

Please see the latest [Who's Hiring thread on r/rust](INSERT_LINK_HERE)

<small>[Discuss on r/rust](REDDIT_LINK_HERE)</small>
";

/// Last week's issue, published: clean.
const PREVIOUS: &str = "\
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
* 2024-11-07 | Virtual (Dallas, TX, US) | [Dallas Rust](https://www.meetup.com/dallasrust/)
    * [**First Thursday**](https://www.meetup.com/dallasrust/events/1/)
* 2024-11-14 | Virtual (Dallas, TX, US) | [Dallas Rust](https://www.meetup.com/dallasrust/)
    * [**Second Thursday**](https://www.meetup.com/dallasrust/events/2/)

### Asia
* 2024-11-09 | Tokyo, JP | [Rust Tokyo](https://rust.tokyo/)
    * [**Rust.Tokyo 2024**](https://rust.tokyo/lineup)

### Europe
* 2024-11-12 - 2024-11-13 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)
    * [**Two days**](https://www.meetup.com/rust-berlin/events/3/)
* 2024-12-01 | Oslo, NO | [Rust Oslo](https://www.meetup.com/rust-oslo/)
    * [**December**](https://www.meetup.com/rust-oslo/events/4/)

If you are running a Rust event please add it to the [calendar].

[calendar]: https://www.google.com/calendar/embed?src=apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com

## Jobs

Please see the latest [Who's Hiring thread on r/rust](https://www.reddit.com/r/rust/comments/1/)

<small>[Discuss on r/rust](https://www.reddit.com/r/rust/comments/2/)</small>
";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn rules_found(out: &Output) -> Vec<String> {
    let mut rules: Vec<String> = common::json_findings(&out.stdout)
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

#[test]
fn new_creates_the_next_draft_with_events_carried_over() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "draft/DRAFT_TEMPLATE", TEMPLATE);
    write(root, "content/2024-11-06-this-week-in-rust.md", PREVIOUS);
    // Older and later issues are not "the previous one".
    write(root, "content/2024-10-30-this-week-in-rust.md", "stale");
    write(root, "draft/2024-11-20-this-week-in-rust.md", "later");

    let out = twirl()
        .args(["new", "--date", "2024-11-13"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("issue 573"),
        "{}",
        text(&out.stderr)
    );
    let draft = root.join("draft/2024-11-13-this-week-in-rust.md");
    let created = std::fs::read_to_string(&draft).unwrap();
    assert!(created.starts_with(
        "Title: This Week in Rust 573\nNumber: 573\nDate: 2024-11-13\nCategory: This Week in Rust\n"
    ));
    assert!(created.contains("Rusty Events between 2024-11-13 - 2024-12-11 🦀\n\n### Virtual\n"));
    let events = "\
### Virtual
* 2024-11-14 | Virtual (Dallas, TX, US) | [Dallas Rust](https://www.meetup.com/dallasrust/)
    * [**Second Thursday**](https://www.meetup.com/dallasrust/events/2/)

### Europe
* 2024-11-12 - 2024-11-13 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)
    * [**Two days**](https://www.meetup.com/rust-berlin/events/3/)
* 2024-12-01 | Oslo, NO | [Rust Oslo](https://www.meetup.com/rust-oslo/)
    * [**December**](https://www.meetup.com/rust-oslo/events/4/)

If you are running";
    assert!(created.contains(events), "{created}");
    assert!(!created.contains("$twir_"));

    // It passes `twirl check` but for what a fresh draft is meant to have.
    let out = twirl()
        .args(["check", "--format", "json"])
        .arg(&draft)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(rules_found(&out), ["empty-section", "placeholder"]);

    // Never overwrites.
    std::fs::write(&draft, "edited by hand").unwrap();
    let out = twirl()
        .args(["new", "--date", "2024-11-13"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), "edited by hand");

    // --dry-run prints, writes nothing; --from and --template are honoured.
    write(
        root,
        "elsewhere/template.md",
        "N=$twir_issue_number\n$twir_events_list\n",
    );
    let out = twirl()
        .args(["new", "--date", "2024-11-27", "--dry-run", "--template"])
        .arg(root.join("elsewhere/template.md"))
        .arg("--from")
        .arg(root.join("content/2024-11-06-this-week-in-rust.md"))
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "N=575\n### Europe\n* 2024-12-01 | Oslo, NO | [Rust Oslo](https://www.meetup.com/rust-oslo/)\n    * [**December**](https://www.meetup.com/rust-oslo/events/4/)\n"
    );
    assert!(!root.join("draft/2024-11-27-this-week-in-rust.md").exists());

    // Bad input: exit 2.
    let out = twirl()
        .args(["new", "--date", "2024-13-01"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = twirl()
        .args(["new", "--date", "2024-11-13"])
        .arg(root.join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_defaults_to_the_wednesday_4_to_10_days_ahead() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "draft/DRAFT_TEMPLATE", TEMPLATE);
    let out = twirl()
        .args(["new", "--dry-run"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let date = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Date: "))
        .expect("a Date line");
    assert!(twirl_core::issue::parse_date(date).is_some(), "{date}");
    // Without a previous issue the events list is empty, with a warning.
    assert!(text(&out.stderr).contains("no issue before"));
}

/// On the real template and last published issue: the draft adds nothing
/// but its placeholders; any other finding was in the previous issue.
#[test]
fn new_on_the_corpus_adds_only_placeholders() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("draft")).unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::copy(
        corpus.join("DRAFT_TEMPLATE"),
        root.join("draft/DRAFT_TEMPLATE"),
    )
    .unwrap();
    let prev = root.join("content/2024-11-27-this-week-in-rust.md");
    std::fs::copy(
        corpus.join("published/2024-11-27-this-week-in-rust.md"),
        &prev,
    )
    .unwrap();
    let out = twirl()
        .args(["new", "--date", "2024-12-04"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let draft = root.join("draft/2024-12-04-this-week-in-rust.md");
    let findings = |p: &Path| -> Vec<(String, String)> {
        let out = twirl()
            .args(["check", "--format", "json", "--ignore", "repeated-link"])
            .arg(p)
            .output()
            .unwrap();
        common::json_findings(&out.stdout)
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = findings(&prev);
    for (rule, message) in findings(&draft) {
        if rule == "placeholder" || rule == "empty-section" {
            continue;
        }
        assert!(
            before.contains(&(rule.clone(), message.clone())),
            "new finding in the draft: {rule}: {message}"
        );
    }
    let created = std::fs::read_to_string(&draft).unwrap();
    assert!(created.contains("Rusty Events between 2024-12-04 - 2025-01-01"));
    assert!(
        !created.contains("* 2024-11-28 |"),
        "ended events are dropped"
    );
}

#[test]
fn publish_check_summarises_what_blocks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "draft/DRAFT_TEMPLATE", TEMPLATE);
    write(root, "content/2024-11-06-this-week-in-rust.md", PREVIOUS);
    let out = twirl()
        .args(["new", "--date", "2024-11-13"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success());
    let draft = root.join("draft/2024-11-13-this-week-in-rust.md");

    let out = twirl().arg("publish-check").arg(&draft).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let verdict = &stdout[stdout.rfind("FAIL: not ready").expect("verdict")..];
    assert!(
        verdict.contains("FAIL  placeholders left: 1 (line 36)"),
        "{verdict}"
    );
    assert!(
        verdict.contains("FAIL  empty sections: 2 (lines 10, 14)"),
        "{verdict}"
    );
    assert!(
        verdict.contains("ok    events outside the window"),
        "{verdict}"
    );
    assert!(
        verdict.contains("FAIL  Reddit link not filled in (REDDIT_LINK_HERE): 1 (line 38)"),
        "{verdict}"
    );
    assert!(verdict.contains("ok    other errors"), "{verdict}");

    // Filled in: passes.
    let done = std::fs::read_to_string(&draft)
        .unwrap()
        .replace(
            "INSERT_LINK_HERE",
            "https://www.reddit.com/r/rust/comments/3/",
        )
        .replace(
            "REDDIT_LINK_HERE",
            "https://www.reddit.com/r/rust/comments/4/",
        )
        .replace(
            "<!-- COTW goes here -->",
            "This week's crate is [x](https://crates.io/crates/x).",
        )
        .replace(
            "### Official\n",
            "### Official\n\n* [Post](https://blog.rust-lang.org/2024/11/10/post.html)\n",
        );
    std::fs::write(&draft, done).unwrap();
    let out = twirl().arg("publish-check").arg(&draft).output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("PASS: ready to publish"), "{stdout}");

    // An event outside the window blocks.
    let late = std::fs::read_to_string(&draft)
        .unwrap()
        .replace("* 2024-12-01 | Oslo", "* 2024-11-01 | Oslo");
    std::fs::write(&draft, late).unwrap();
    let out = twirl().arg("publish-check").arg(&draft).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("FAIL  events outside the window: 1"));
}

const SUBCOMMANDS: [&str; 9] = [
    "check",
    "fmt",
    "rules",
    "explain",
    "lsp",
    "new",
    "publish-check",
    "completions",
    "man",
];

#[test]
fn completions_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let out = twirl().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = text(&out.stdout);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
    let out = twirl().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_covers_every_subcommand() {
    let out = twirl().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH twirl"),
        "{page}"
    );
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("twirl\\-{}", sub.replace('-', "\\-"))),
            "man page lacks {sub}"
        );
    }
}

#[test]
fn version_shows_the_git_revision() {
    let out = twirl().arg("--version").output().unwrap();
    let v = text(&out.stdout);
    // `twirl 0.1.0 (abc1234)`, or `(unknown)` when built outside git.
    let rev = v
        .trim()
        .strip_prefix(concat!("twirl ", env!("CARGO_PKG_VERSION"), " ("))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        rev == "unknown" || (rev.len() >= 4 && rev.chars().all(|c| c.is_ascii_hexdigit())),
        "{v}"
    );
    let out = twirl().args(["check", "--version"]).output().unwrap();
    assert!(text(&out.stdout).contains(rev));
}

#[test]
fn new_from_the_2024_10_30_issue_gives_a_draft_inside_its_window() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("draft")).unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::copy(
        corpus.join("DRAFT_TEMPLATE"),
        root.join("draft/DRAFT_TEMPLATE"),
    )
    .unwrap();
    std::fs::copy(
        corpus.join("published/2024-10-30-this-week-in-rust.md"),
        root.join("content/2024-10-30-this-week-in-rust.md"),
    )
    .unwrap();
    let run = || {
        twirl()
            .args(["new", "--date", "2024-11-06"])
            .arg(root)
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let draft =
        std::fs::read_to_string(root.join("draft/2024-11-06-this-week-in-rust.md")).unwrap();
    let issue = twirl_core::parse(&draft);
    let meta = |k: &str| {
        issue
            .metadata
            .get(k)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(meta("Title"), "This Week in Rust 572");
    assert_eq!(meta("Number"), "572");
    assert_eq!(meta("Date"), "2024-11-06");
    assert!(draft.contains("Rusty Events between 2024-11-06 - 2024-12-04"));
    let (start, end) = (
        twirl_core::issue::parse_date("2024-11-06").unwrap(),
        twirl_core::issue::parse_date("2024-12-04").unwrap(),
    );
    let events: Vec<_> = issue.all_events().collect();
    assert!(events.len() > 10, "events were carried over");
    for e in events {
        let (s, t) = (e.start().unwrap(), e.end().unwrap());
        assert!(
            t >= start && s <= end,
            "event outside 2024-11-06..2024-12-04: {}",
            &draft[e.line.as_range()]
        );
    }
    let again = run();
    assert_eq!(
        again.status.code(),
        Some(2),
        "a second run must refuse to overwrite"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("draft/2024-11-06-this-week-in-rust.md")).unwrap(),
        draft
    );
}
