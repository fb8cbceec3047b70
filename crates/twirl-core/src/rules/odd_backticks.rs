use super::prelude::*;

#[doc = include_str!("odd_backticks.md")]
pub struct OddBackticks;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW701",
    name: "odd-backticks",
    summary: "A line has an odd number of backticks",
    docs: include_str!("odd_backticks.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl OddBackticks {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        comment_in_code_span(cx, out);
        for runs in backtick_lines(cx) {
            // As TWiR's CI counts: ```` and ``` are set aside first.
            let runs: Vec<(TextRange, usize)> = runs
                .into_iter()
                .map(|r| (r, counted(r.len())))
                .filter(|&(_, n)| n > 0)
                .collect();
            if runs.iter().map(|&(_, n)| n).sum::<usize>() % 2 == 0 {
                continue;
            }
            // Pair runs of equal length left to right, as code spans do;
            // the last unpaired run of odd length is the culprit.
            let mut paired = vec![false; runs.len()];
            for i in 0..runs.len() {
                if paired[i] {
                    continue;
                }
                if let Some(j) = (i + 1..runs.len()).find(|&j| !paired[j] && runs[j].1 == runs[i].1)
                {
                    paired[i] = true;
                    paired[j] = true;
                }
            }
            let culprit = (0..runs.len())
                .rev()
                .find(|&i| !paired[i] && runs[i].1 % 2 == 1)
                .map_or(runs[runs.len() - 1].0, |i| runs[i].0);
            out.push(Diagnostic::new(
                &META,
                culprit,
                "unmatched backtick: this line has an odd number of backticks",
            ));
        }
    }
}

/// A code span that runs into an HTML comment: an odd backtick in a link's
/// text pairs with one inside the marker comment after it (`submerge`'s
/// `<!-- ... title=... -->` repeats the title, backticks and all), so the
/// comment is no comment and the site shows the link as code and `-->` as
/// text. Reported on the backtick readers can see.
fn comment_in_code_span(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for &span in &cx.issue.code {
        let s = cx.slice(span);
        let Some(open) = s.find("<!--") else {
            continue;
        };
        if !s.starts_with('`') || s.contains('\n') {
            continue;
        }
        let run = s.bytes().take_while(|&b| b == b'`').count();
        let after = &cx.text[span.end..];
        let line_end = after.find('\n').unwrap_or(after.len());
        if !after[..line_end].contains("-->") || open < run {
            continue;
        }
        out.push(Diagnostic::new(
            &META,
            TextRange::new(span.start, span.start + run),
            "unmatched backtick: it pairs with one inside the HTML comment after it, so the site shows the comment as text",
        ));
    }
}

/// How many of a run of `n` backticks TWiR's CI counts once it has removed
/// every ```` and then every ``` from the line.
fn counted(n: usize) -> usize {
    match n % 4 {
        3 => 0,
        r => r,
    }
}

/// The code blocks among [`Issue::code`] (which also holds code spans):
/// whole lines, fenced or indented.
fn code_blocks(text: &str, issue: &Issue) -> Vec<TextRange> {
    issue
        .code
        .iter()
        .copied()
        .filter(|r| {
            let s = &text[r.as_range()];
            let at_line_start =
                r.start == 0 || matches!(text.as_bytes()[r.start - 1], b'\n' | b'\r');
            let at_line_end =
                r.end == text.len() || matches!(text.as_bytes()[r.end], b'\n' | b'\r');
            let first = s.lines().next().unwrap_or("");
            let fenced = {
                let t = first.trim_start();
                t.starts_with("```") || t.starts_with("~~~")
            };
            at_line_start
                && at_line_end
                && (fenced
                    || first.starts_with("    ")
                    || first.starts_with('\t')
                    || s.contains('\n'))
        })
        .collect()
}

/// For each line outside code blocks, the runs of backticks on it that lie
/// outside HTML comments.
pub(super) fn backtick_lines(cx: &CheckContext<'_>) -> Vec<Vec<TextRange>> {
    let text = cx.text;
    let issue = cx.issue;
    let blocks = code_blocks(text, issue);
    let in_any = |set: &[TextRange], at: usize| {
        let i = set.partition_point(|r| r.end <= at);
        set.get(i).is_some_and(|r| r.contains(at))
    };
    let b = text.as_bytes();
    let mut out: Vec<Vec<TextRange>> = Vec::new();
    // Backticks are rare: jump from one to the next rather than walk the
    // lines, and look up the line of each.
    let mut line = (usize::MAX, false);
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'`', &b[i..]) {
        let at = i + found;
        let n = b[at..].iter().take_while(|&&c| c == b'`').count();
        let l = issue.line_index.line_of(at);
        if line.0 != l {
            let start = issue.line_index.line_start(l).unwrap_or(at);
            line = (l, !in_any(&blocks, start));
            out.push(Vec::new());
        }
        if !line.1 {
            i = at + n;
            continue;
        }
        if in_any(&issue.comments, at) {
            // The run may leave the comment: look again from the next one.
            i = at + 1;
            continue;
        }
        out.last_mut()
            .expect("pushed for this line")
            .push(TextRange::new(at, at + n));
        i = at + n;
    }
    out.retain(|runs| !runs.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn found(body: &str) -> Vec<String> {
        let text = format!("Date: 2024-11-06\n\n{body}");
        let issue = crate::parse(&text);
        crate::rules::testing::diagnostics_on(&META, &text, "", None)
            .iter()
            .map(|d| {
                let lc =
                    issue
                        .line_index
                        .line_col(&text, d.range.start, crate::text::Encoding::Utf8);
                format!("{}:{}:{}", lc.line - 1, lc.col, &text[d.range.as_range()])
            })
            .collect()
    }

    #[test]
    fn points_at_the_unmatched_backtick() {
        assert_eq!(
            found("* [fix `a  in `b`](https://e.com/)\n"),
            vec!["1:16:`"]
        );
        assert_eq!(found("a `` b ` `` c\n"), vec!["1:7:`"]);
        assert_eq!(found("x ``y` z\n"), vec!["1:5:`"]);
        assert!(found("* `a` and ``b`` and ```rust```\n").is_empty());
        // TWiR's CI counts backticks inside code spans too.
        assert_eq!(found("``a ` b``\n"), vec!["1:4:`"]);
    }

    #[test]
    fn a_backtick_that_pairs_with_one_in_a_marker_comment() {
        let line = "* [Use `foo bar](https://e.com/a) <!-- url=https://e.com/a submerge-pr=12 title=Use `foo bar -->\n";
        assert_eq!(found(line), vec!["1:7:`"]);
        // Balanced in the text and in the comment: fine.
        let fine = "* [Use `foo`](https://e.com/a) <!-- submerge-pr=12 title=Use `foo` -->\n";
        assert!(found(fine).is_empty(), "{:?}", found(fine));
    }

    #[test]
    fn skips_fences_blocks_and_comments() {
        let body = "```rust\nlet s = \"`\";\n```\n\n    indented `\n\n\
                    <!-- a ` b -->\ntext <!-- ` --> `ok`\n  ````\n";
        assert!(found(body).is_empty(), "{:?}", found(body));
    }

    /// Published issues of 2022-2024 passed TWiR's CI: the Markdown rules
    /// and `truncated-title` must find nothing in them.
    #[test]
    fn published_corpus_is_clean() {
        let Some(root) = crate::rules::testing::corpus() else {
            return;
        };
        let dir = std::fs::read_dir(root.join("published")).unwrap();
        let names = [
            "odd-backticks",
            "empty-backticks",
            "unknown-html-tag",
            "empty-list-item",
            "truncated-title",
        ];
        let mut s = Settings::default();
        s.select_ignore(&names.map(String::from), &[]);
        let mut found = Vec::new();
        for entry in dir {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !["2022-", "2023-", "2024-"]
                .iter()
                .any(|y| name.starts_with(y))
            {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let text = crate::decode(&bytes).unwrap().text.to_string();
            let issue = crate::parse(&text);
            for d in super::super::check(&CheckContext::new(&text, &issue, &s)) {
                found.push(format!("{name}: {} {}", d.rule.name, d.message));
            }
        }
        assert!(found.is_empty(), "{found:#?}");
    }
}
