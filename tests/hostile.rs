//! Hostile input: files twirl must refuse or survive without a panic, a
//! hang, a stack overflow, more than linear work, or a modified file.
//! See docs/reliability.md for what twirl promises and why each case is here.
//! The large inputs, the kill loop and the instruction counts are slow
//! tests (`TWIRL_SLOW_TESTS=1`).

use crate::common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::twirl;

const ISSUE_NAME: &str = "2024-11-06-this-week-in-rust.md";

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `cmd`, killing it and failing the test after `limit` (a hang).
fn run(mut cmd: Command, limit: Duration) -> Run {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn twirl");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("twirl {:?} did not finish within {limit:?}", cmd.get_args());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status,
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}

/// A fresh directory holding one issue file with `bytes`.
fn issue_dir(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(ISSUE_NAME);
    fs::write(&path, bytes).unwrap();
    (dir, path)
}

const MODES: [&[&str]; 3] = [&["check"], &["check", "--fix"], &["fmt"]];

/// Runs check, check --fix and fmt on `path`; each must exit with the code
/// `expect` gives for its mode, say `needles` on stderr (with the file's
/// name), not crash, and leave the file's bytes as they were.
fn refuses(path: &Path, expect: i32, needles: &[&str]) {
    let before = fs::read(path).unwrap();
    for mode in MODES {
        let mut cmd = twirl();
        cmd.args(mode).arg(path);
        let r = run(cmd, Duration::from_secs(60));
        assert_eq!(
            r.status.code(),
            Some(expect),
            "{mode:?}: {}{}",
            r.stdout,
            r.stderr
        );
        assert!(
            r.stderr.contains(ISSUE_NAME),
            "{mode:?}: the message names no file: {}",
            r.stderr
        );
        for n in needles {
            assert!(r.stderr.contains(n), "{mode:?}: `{n}` not in {}", r.stderr);
        }
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert_eq!(
            fs::read(path).unwrap(),
            before,
            "{mode:?} modified the file"
        );
    }
}

/// Runs check, check --fix and fmt: each exits 0 or 1 (findings), never 2
/// or by a signal, and prints no panic.
fn survives(path: &Path, limit: Duration) {
    for mode in MODES {
        let mut cmd = twirl();
        cmd.args(mode).arg(path);
        let r = run(cmd, limit);
        assert!(
            matches!(r.status.code(), Some(0 | 1)),
            "{mode:?}: {:?} {}",
            r.status,
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(!r.stderr.contains("internal-error"), "{}", r.stderr);
    }
}

/// Runs `twirl check` alone: 0 or 1, the file untouched.
fn checks_untouched(path: &Path, limit: Duration) -> Run {
    let before = fs::read(path).unwrap();
    let mut cmd = twirl();
    cmd.args(["check", "--format", "json"]).arg(path);
    let r = run(cmd, limit);
    assert!(
        matches!(r.status.code(), Some(0 | 1)),
        "{:?} {}",
        r.status,
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(fs::read(path).unwrap() == before, "check modified the file");
    r
}

const HEADER: &str = "\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust

";

/// An issue with `n` events in one region, a third of them stale (before
/// the window) and in no particular order, so `fmt` has real work.
fn events_issue(n: usize) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04 🦀\n\n### Virtual\n",
    );
    for i in 0..n {
        let date = if i % 3 == 0 {
            "2024-10-30".to_string()
        } else {
            format!("2024-11-{:02}", 28 - i % 20)
        };
        s.push_str(&format!(
            "* {date} | Virtual (Berlin, DE) | [Rust Berlin](https://example.com/b{i})\n    * [**Meetup {i}**](https://example.com/m/{i})\n"
        ));
    }
    s
}

/// An issue of community links, about `bytes` long.
fn links_issue(bytes: usize) -> String {
    let mut s = String::from(HEADER);
    s.push_str("## Updates from Rust Community\n\n### Observations/Thoughts\n\n");
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "* [A post about `lifetimes` number {i}](https://example.com/posts/{i}?page=1)\n"
        ));
        i += 1;
    }
    s
}

#[test]
fn invalid_utf8_is_refused_with_its_byte_offset() {
    let (_d, p) = issue_dir(b"Title: x\nab\xffcd\n");
    refuses(&p, 2, &["invalid UTF-8 at byte 11", "line 2, column 3"]);
}

#[test]
fn utf16_with_a_bom_is_refused() {
    let text: Vec<u8> = "\u{feff}Title: x\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (_d, p) = issue_dir(&text);
    refuses(&p, 2, &["UTF-16"]);
    let be: Vec<u8> = "\u{feff}Title: x\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    fs::write(&p, be).unwrap();
    refuses(&p, 2, &["UTF-16 (big-endian BOM)"]);
}

#[test]
fn nul_bytes_are_refused_with_their_offset() {
    let (_d, p) = issue_dir(b"Title: x\nab\0cd\n");
    refuses(&p, 2, &["NUL byte at byte 11", "line 2, column 3"]);
}

#[test]
fn a_binary_file_is_refused() {
    // A PNG signature, then bytes of every value.
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend((0..=255u8).cycle().take(4096));
    let (_d, p) = issue_dir(&b);
    refuses(&p, 2, &["invalid UTF-8 at byte 0"]);
}

#[test]
fn an_empty_file_is_an_issue_without_a_header() {
    let (_d, p) = issue_dir(b"");
    survives(&p, Duration::from_secs(30));
    assert_eq!(fs::read(&p).unwrap(), b"", "an empty file stays empty");
    let mut cmd = twirl();
    cmd.arg("check").arg(&p);
    let r = run(cmd, Duration::from_secs(30));
    assert_eq!(r.status.code(), Some(1));
    assert!(
        r.stdout.contains(&format!("{ISSUE_NAME}:1:1")),
        "{}",
        r.stdout
    );
}

#[test]
fn a_50_mb_issue_is_checked() {
    if !common::slow_tests() {
        return;
    }
    let text = links_issue(50 << 20);
    let (_d, p) = issue_dir(text.as_bytes());
    let r = checks_untouched(&p, Duration::from_secs(600));
    assert!(r.stdout.starts_with('{'), "JSON on stdout");
}

#[test]
fn an_events_section_of_100_000_lines_is_checked_and_formatted() {
    if !common::slow_tests() {
        return;
    }
    let text = events_issue(50_000);
    assert!(text.lines().count() > 100_000);
    let (_d, p) = issue_dir(text.as_bytes());
    let r = checks_untouched(&p, Duration::from_secs(300));
    assert!(r.stdout.contains("event-outside-window"));
    let mut cmd = twirl();
    cmd.args(["fmt", "--check"]).arg(&p);
    let r = run(cmd, Duration::from_secs(300));
    assert_eq!(r.status.code(), Some(1), "{}", r.stderr);
    assert_eq!(fs::read(&p).unwrap(), text.as_bytes(), "fmt --check wrote");
}

#[test]
fn deep_nesting_overflows_no_stack() {
    if !common::slow_tests() {
        return;
    }
    let n = 10_000;
    let cases = [
        ("block quotes", "> ".repeat(n)),
        ("lists", "- ".repeat(n)),
        ("quotes in lists", "> - ".repeat(n / 2)),
        ("indented lists", {
            // Each item two spaces deeper than the last, 2,000 deep (the
            // indentation makes the file quadratic in the depth).
            let mut s = String::new();
            for i in 0..2_000 {
                s.push_str(&" ".repeat(2 * i));
                s.push_str("* item\n");
            }
            s
        }),
        (
            "brackets",
            format!("{}a{}(x)", "[".repeat(n), "]".repeat(n)),
        ),
        ("emphasis", format!("{}a{}", "*".repeat(n), "*".repeat(n))),
        ("html", "<div>".repeat(n)),
    ];
    for (what, body) in cases {
        let text = format!("{HEADER}## Updates from Rust Community\n\n{body}\n");
        let (_d, p) = issue_dir(text.as_bytes());
        eprintln!("nesting: {what}");
        survives(&p, Duration::from_secs(120));
    }
}

/// 50,000 region headings in the events section. Two rules compared every
/// heading with every other (over 80 s for 20,000 before the fix; a few
/// seconds now, in a debug build).
#[test]
fn fifty_thousand_headings_are_checked() {
    if !common::slow_tests() {
        return;
    }
    let mut text =
        format!("{HEADER}## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04\n\n");
    for i in 0..50_000 {
        text.push_str(&format!(
            "### Region {i}\n* 2024-11-12 | Virtual | [Org](https://e.com/{i})\n\n"
        ));
    }
    let (_d, p) = issue_dir(text.as_bytes());
    checks_untouched(&p, Duration::from_secs(120));
}

#[test]
fn a_1_mb_single_line_is_checked() {
    if !common::slow_tests() {
        return;
    }
    let mut text = format!("{HEADER}## Updates from Rust Community\n\n");
    let mut i = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!(
            "[link {i}](https://example.com/{i}) [unclosed ( `code` "
        ));
        i += 1;
    }
    let (_d, p) = issue_dir(text.as_bytes());
    survives(&p, Duration::from_secs(120));
}

#[test]
fn lone_cr_line_endings_are_kept() {
    let text = events_issue(30).replace('\n', "\r");
    let (_d, p) = issue_dir(text.as_bytes());
    let mut cmd = twirl();
    cmd.arg("fmt").arg(&p);
    let r = run(cmd, Duration::from_secs(60));
    assert_eq!(r.status.code(), Some(0), "{}", r.stderr);
    let after = fs::read_to_string(&p).unwrap();
    assert_ne!(after, text, "fmt removed nothing");
    assert!(!after.contains('\n'), "fmt wrote a LF into a CR file");
    assert!(!after.contains("2024-10-30"), "the stale events are gone");
    survives(&p, Duration::from_secs(60));
}

/// Root reads through any mode bits, so `chmod 000` proves nothing here.
/// Two files that cannot be read whoever you are: `/proc/self/mem` (its
/// first page is unmapped, so reading fails with EIO) and a FIFO nobody
/// writes to (reading it would block forever: twirl refuses files that are
/// not regular instead).
#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(ISSUE_NAME);
    std::os::unix::fs::symlink("/proc/self/mem", &p).unwrap();
    for mode in MODES {
        let mut cmd = twirl();
        cmd.args(mode).arg(&p);
        let r = run(cmd, Duration::from_secs(30));
        assert_eq!(r.status.code(), Some(2), "{mode:?}: {}", r.stderr);
        assert!(r.stderr.contains(ISSUE_NAME), "{}", r.stderr);
        assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
        // Still the same link: nothing was written in its place.
        assert_eq!(fs::read_link(&p).unwrap(), Path::new("/proc/self/mem"));
    }

    let fifo_dir = tempfile::tempdir().unwrap();
    let fifo = fifo_dir.path().join(ISSUE_NAME);
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    for mode in MODES {
        let mut cmd = twirl();
        cmd.args(mode).arg(&fifo);
        let r = run(cmd, Duration::from_secs(30));
        assert_eq!(r.status.code(), Some(2), "{mode:?}: {}", r.stderr);
        assert!(r.stderr.contains(ISSUE_NAME), "{}", r.stderr);
        assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    }
    // Found by a directory walk, a FIFO is not a file: skipped.
    let mut cmd = twirl();
    cmd.arg("check").arg(fifo_dir.path());
    let r = run(cmd, Duration::from_secs(30));
    assert_eq!(r.status.code(), Some(0), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_directory_symlink_loop_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("content");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join(ISSUE_NAME), HEADER).unwrap();
    std::os::unix::fs::symlink("..", sub.join("up")).unwrap();
    for mode in MODES {
        let mut cmd = twirl();
        cmd.args(mode).arg(dir.path());
        let r = run(cmd, Duration::from_secs(30));
        assert_eq!(r.status.code(), Some(2), "{mode:?}: {}", r.stderr);
        assert!(r.stderr.contains("loop"), "{}", r.stderr);
        assert!(r.stderr.contains("up"), "names the link: {}", r.stderr);
        assert_eq!(fs::read_to_string(sub.join(ISSUE_NAME)).unwrap(), HEADER);
    }
}

#[test]
fn a_broken_twirl_toml_is_an_error_with_its_position() {
    let text = events_issue(3);
    let (d, p) = issue_dir(text.as_bytes());
    fs::write(
        d.path().join("twirl.toml"),
        "profile = \"draft\"\nlookback = [\n",
    )
    .unwrap();
    for mode in MODES {
        let mut cmd = twirl();
        cmd.args(mode).arg(&p);
        let r = run(cmd, Duration::from_secs(30));
        assert_eq!(r.status.code(), Some(2), "{mode:?}: {}", r.stderr);
        assert!(r.stderr.contains("twirl.toml:2:"), "{}", r.stderr);
        assert_eq!(fs::read_to_string(&p).unwrap(), text);
    }
}

/// Instructions `twirl ARGS FILE` executes with `text` in FILE, counted
/// by cachegrind: exact and repeatable, unlike time, and every loop counts
/// (comrak's, the scanners', the rules', the fix engine's).
fn instructions(args: &[&str], text: &str) -> u64 {
    let (_d, p) = issue_dir(text.as_bytes());
    let out = Command::new("valgrind")
        .args([
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
        ])
        .arg(env!("CARGO_BIN_EXE_twirl"))
        .args(args)
        .arg(&p)
        .output()
        .expect("run valgrind");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let refs = regex::Regex::new(r"I\s+refs:\s+([0-9,]+)").unwrap();
    let count = refs
        .captures(&stderr)
        .unwrap_or_else(|| panic!("no instruction count in {stderr}"));
    count[1].replace(',', "").parse().expect("a count")
}

#[test]
fn twice_the_input_is_at_most_about_twice_the_work() {
    if !common::slow_tests() || !common::have_tool("valgrind", "apt-get install valgrind") {
        return;
    }
    const CHECK: &[&str] = &["check", "--format", "json"];
    // (what, command, bytes of the smaller input, generator)
    type Gen = fn(usize) -> String;
    let cases: [(&str, &[&str], usize, Gen); 11] = [
        ("events", CHECK, 1 << 17, |n| events_issue(n / 200)),
        ("links", CHECK, 1 << 17, links_issue),
        // Each `[` looks ahead at most 2,048 bytes, and comrak's brackets
        // cost far more per byte than text: a smaller input, past the
        // stretch where the look-ahead still grows with it. (Deep nesting
        // is `deep_nesting_overflows_no_stack`'s.)
        ("unclosed brackets", CHECK, 1 << 12, |n| {
            format!(
                "{HEADER}## Updates from Rust Community\n\n{}",
                "[a ".repeat(n / 3)
            )
        }),
        ("events with comments", CHECK, 1 << 17, |n| {
            let mut s = events_issue(0);
            for i in 0..n / 120 {
                s.push_str(&format!(
                    "* 2024-11-12 | Virtual | [Org](https://e.com/{i})\n\n<!-- note {i} -->\n\n"
                ));
            }
            s
        }),
        // 4,000 separators the fix engine tested against each other.
        (
            "an event line full of `| `",
            &["fmt", "--check"],
            8_000,
            |n| {
                format!(
                    "{HEADER}## Upcoming Events\n\n### Virtual\n* 2024-11-14 | {}\n",
                    "| ".repeat(n / 2)
                )
            },
        ),
        // One fix per empty item, which the fix engine tested against
        // each other.
        (
            "a section of empty `*` items",
            &["fmt", "--check"],
            8_000,
            |n| {
                format!(
                    "{HEADER}## Updates from Rust Community\n\n### Official\n\n{}",
                    "*\n".repeat(n / 2)
                )
            },
        ),
        // An HTML block to the end: each `<` was followed to the end of
        // the block for a `>`.
        ("an unclosed CDATA, then `<!X` lines", CHECK, 20_000, |n| {
            format!(
                "{HEADER}## Updates from Rust Community\n\n<![CDATA[\n{}",
                "<!X\n".repeat(n / 4)
            )
        }),
        // Each copy of a link was compared with every earlier copy.
        ("many copies of one link", CHECK, 1 << 17, |n| {
            let line = "* [A post about lifetimes](https://example.com/posts/same)\n";
            format!(
                "{HEADER}## Updates from Rust Community\n\n### Observations/Thoughts\n\n{}",
                line.repeat(n / line.len())
            )
        }),
        ("events sharing one title link", CHECK, 1 << 16, |n| {
            let event = "* 2024-11-12 | Virtual | [Org](https://e.com/o)\n    * [**Meetup**](https://e.com/same)\n";
            let mut s = events_issue(0);
            s.push_str(&event.repeat(n / event.len()));
            s
        }),
        // The column of each finding was counted from the line's start.
        (
            "a line of mojibake",
            &["check", "--format", "github"],
            40_000,
            |n| {
                format!(
                    "{HEADER}## Updates from Rust Community\n\n{}\n",
                    "Ã¼ ".repeat(n / 5)
                )
            },
        ),
        // The human report showed the whole line for each finding on it.
        (
            "a line of mojibake, human report",
            &["check"],
            10_000,
            |n| {
                format!(
                    "{HEADER}## Updates from Rust Community\n\n{}\n",
                    "Ã¼ ".repeat(n / 5)
                )
            },
        ),
    ];
    for (what, args, n, g) in cases {
        // What the input adds to the work of the same issue without it.
        let base = instructions(args, &g(0));
        let small = instructions(args, &g(n)) - base;
        let large = instructions(args, &g(2 * n)) - base;
        let ratio = large as f64 / small as f64;
        eprintln!("{what}: {small} -> {large} instructions over {base} (x{ratio:.2})");
        assert!(ratio <= 2.5, "{what}: 2x input took x{ratio:.2} the work");
    }
}

/// Kills `twirl fmt` with SIGKILL at random moments while it formats a
/// large file; each time the file must hold the old or the new content,
/// whole. A third of the kills are uniform over the run, a third aim at its
/// end, and a third land the moment the temporary file appears (mid-write).
#[cfg(unix)]
#[test]
fn fmt_killed_at_any_moment_leaves_old_or_new_content() {
    if !common::slow_tests() {
        return;
    }
    let old = events_issue(30_000);
    // The expected result, from a run that is left alone.
    let (d, p) = issue_dir(old.as_bytes());
    let start = Instant::now();
    let mut cmd = twirl();
    cmd.arg("fmt").arg(&p);
    let r = run(cmd, Duration::from_secs(300));
    let full = start.elapsed();
    assert_eq!(r.status.code(), Some(0), "{}", r.stderr);
    let new = fs::read(&p).unwrap();
    assert_ne!(new, old.as_bytes());
    drop(d);

    // xorshift64*, seeded: the same moments on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let (mut old_seen, mut new_seen, mut tmp_left, mut mid_write) = (0, 0, 0, 0);
    for i in 0..30 {
        let (d, p) = issue_dir(old.as_bytes());
        let frac = (next() % 10_000) as f64 / 10_000.0;
        let at = match i % 3 {
            0 => full.mul_f64(frac * 1.1),
            1 => full.mul_f64(0.8 + 0.3 * frac),
            // Kill as soon as the temporary file appears: mid-write.
            _ => Duration::ZERO,
        };
        let mut child = twirl()
            .arg("fmt")
            .arg(&p)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if i % 3 == 2 {
            let t0 = Instant::now();
            while t0.elapsed() < full * 3 && child.try_wait().unwrap().is_none() {
                let writing = fs::read_dir(d.path())
                    .unwrap()
                    .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"));
                if writing {
                    mid_write += 1;
                    break;
                }
            }
        } else {
            std::thread::sleep(at);
        }
        child.kill().ok(); // SIGKILL; fine if it already exited
        child.wait().unwrap();
        let now = fs::read(&p).unwrap();
        if now == old.as_bytes() {
            old_seen += 1;
        } else if now == new {
            new_seen += 1;
        } else {
            panic!("kill {i} at {at:?}: the file is neither old nor new");
        }
        // Nothing but the issue and, at worst, a hidden temp file.
        for e in fs::read_dir(d.path()).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            assert!(
                name == ISSUE_NAME || (name.starts_with(".twirl-") && name.ends_with(".tmp")),
                "kill {i}: unexpected file {name}"
            );
            tmp_left += usize::from(name != ISSUE_NAME);
        }
    }
    eprintln!(
        "full run {full:?}; after the kills: {old_seen} old, {new_seen} new, \
         {tmp_left} temp files left; {mid_write} kills while the temp file existed"
    );
}

/// Output that cannot be written: a closed pipe (`twirl rules | head -1`)
/// ends quietly with the command's own status; any other write error (a
/// full disk) is an error naming stdout, status 2, never a panic or a
/// silent loss. Every command that prints is tried.
#[test]
fn output_errors_end_quietly_or_name_stdout() {
    let issue = common::repo_root().join("examples/content/2024-11-06-this-week-in-rust.md");
    let d = tempfile::tempdir().unwrap();
    let template = d.path().join("template.md");
    fs::write(&template, "N=$twir_issue_number\n$twir_events_list\n").unwrap();
    let new_events = d.path().join("new.md");
    fs::write(
        &new_events,
        "### Virtual\n* 2024-11-20 | Virtual | [Rust Nowhere](https://example.com/n)\n    * [**A new meetup**](https://example.com/n/1)\n",
    )
    .unwrap();
    let i = issue.to_str().unwrap();
    let cases: [Vec<&str>; 13] = [
        vec!["--help"],
        vec!["--version"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["rules"],
        vec!["explain", "event-format"],
        vec!["check", "--format", "json", i],
        vec!["fmt", "-"],
        vec!["publish-check", i],
        vec!["events", "list", i],
        vec!["events", "merge", "--diff", i, new_events.to_str().unwrap()],
        vec!["events", "merge", "-", new_events.to_str().unwrap()],
        vec![
            "new",
            "--date",
            "2024-11-13",
            "--dry-run",
            "--template",
            template.to_str().unwrap(),
            "--from",
            i,
            d.path().to_str().unwrap(),
        ],
    ];
    for args in cases {
        let run = |stdout: Stdio| {
            twirl()
                .args(&args)
                .stdin(fs::File::open(&issue).unwrap())
                .stdout(stdout)
                .stderr(Stdio::piped())
                .output()
                .unwrap()
        };
        // The status when all is written, and that there is something to
        // write.
        let out = run(Stdio::piped());
        let status = out.status.code();
        assert!(matches!(status, Some(0 | 1)), "{args:?}: {out:?}");
        assert!(!out.stdout.is_empty(), "{args:?} prints nothing");

        // The reading end is closed before twirl writes anything.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = run(writer.into());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), status, "{args:?} | closed: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("error:"),
            "{args:?}: {err}"
        );

        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run(full.into());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?} > /dev/full: {err}");
        assert!(err.contains("cannot write to stdout"), "{args:?}: {err}");
    }
    // Nothing was written where a command was only to print.
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 2);
}
