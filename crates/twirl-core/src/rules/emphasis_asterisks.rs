use super::prelude::*;
use super::util::{in_literal, prose_lines};

#[doc = include_str!("emphasis_asterisks.md")]
pub struct EmphasisAsterisks;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW810",
    name: "emphasis-asterisks",
    summary: "Asterisks the site reads as emphasis and the preview shows, or the other way round",
    docs: include_str!("emphasis_asterisks.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl EmphasisAsterisks {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for lr in prose_lines(cx.text, cx.issue) {
            let runs = star_runs(cx, lr);
            single_pairs(cx, &runs, out);
            three_for_two(cx, &runs, out);
        }
    }
}

/// The runs of `*` on a line outside code, comments and link targets, a
/// list item's bullet left out.
fn star_runs(cx: &CheckContext<'_>, lr: TextRange) -> Vec<TextRange> {
    let b = cx.text.as_bytes();
    let line = cx.slice(lr);
    if line.bytes().all(|c| matches!(c, b'*' | b' ' | b'\t')) {
        // `* * *`: a rule, not emphasis.
        return Vec::new();
    }
    // Quote markers and bullets (`> * * *No items.*`) are not emphasis.
    let mut body = line.trim_start_matches([' ', '\t']);
    loop {
        let rest = match body.as_bytes() {
            [b'>', ..] => &body[1..],
            [b'*' | b'-' | b'+', b' ' | b'\t', ..] => &body[2..],
            _ => break,
        };
        body = rest.trim_start_matches([' ', '\t']);
    }
    let mut i = lr.start + (line.len() - body.len());
    let mut runs = Vec::new();
    while let Some(found) = memchr::memchr(b'*', &b[i..lr.end]) {
        let at = i + found;
        let n = b[at..lr.end].iter().take_while(|&&c| c == b'*').count();
        i = at + n;
        let escaped = at > lr.start && b[at - 1] == b'\\';
        if !escaped && !in_literal(cx.issue, at) {
            runs.push(TextRange::new(at, at + n));
        }
    }
    runs
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back().filter(|c| *c != '\n')
}

fn char_after(text: &str, at: usize) -> Option<char> {
    text[at..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace())
}

/// CommonMark's left-flanking delimiter run (one that can open).
fn left_flanking(text: &str, run: TextRange) -> bool {
    let (before, after) = (char_before(text, run.start), char_after(text, run.end));
    match after {
        None => false,
        Some(a) if a.is_whitespace() => false,
        Some(a) if is_punct(a) => before.is_none_or(|b| b.is_whitespace() || is_punct(b)),
        Some(_) => true,
    }
}

/// CommonMark's right-flanking delimiter run (one that can close).
fn right_flanking(text: &str, run: TextRange) -> bool {
    let (before, after) = (char_before(text, run.start), char_after(text, run.end));
    match before {
        None => false,
        Some(b) if b.is_whitespace() => false,
        Some(b) if is_punct(b) => after.is_none_or(|a| a.is_whitespace() || is_punct(a)),
        Some(_) => true,
    }
}

/// Python-Markdown pairs two lone `*` with no other `*` between them as
/// emphasis, whatever is around them; CommonMark only when the first can
/// open and the second can close. Where only the site pairs them, readers
/// lose the asterisks and get italics: `*const (), *mut ()`.
fn single_pairs(cx: &CheckContext<'_>, runs: &[TextRange], out: &mut Vec<Diagnostic>) {
    let mut i = 0;
    while i + 1 < runs.len() {
        let (open, close) = (runs[i], runs[i + 1]);
        if open.len() != 1 || close.len() != 1 {
            i += 1;
            continue;
        }
        i += 2;
        if left_flanking(cx.text, open) && right_flanking(cx.text, close) {
            continue;
        }
        let span = TextRange::new(open.start, close.end);
        let inner = &cx.text[open.end..close.start];
        out.push(
            Diagnostic::new(
                &META,
                span,
                "the site reads these two asterisks as italics and hides them; the preview shows them: escape them as `\\*`",
            )
            .with_renders(
                format!("*{inner}* in italics, without its asterisks"),
                format!("`*{inner}*` as written"),
            )
            .with_fix(Fix::unsafe_(
                "Escape the asterisks",
                vec![Edit::insert(open.start, "\\"), Edit::insert(close.start, "\\")],
            )),
        );
    }
}

/// `***Title**`: three asterisks open, two close. Both renderers show a
/// stray `*`, each in another place; the title is meant bold.
fn three_for_two(cx: &CheckContext<'_>, runs: &[TextRange], out: &mut Vec<Diagnostic>) {
    // Runs pair in turn, left to right, as both renderers pair them.
    let mut i = 0;
    while i + 1 < runs.len() {
        let (open, close) = (runs[i], runs[i + 1]);
        i += 2;
        let (stray, keep) = match (open.len(), close.len()) {
            (3, 2) => (TextRange::new(open.start, open.start + 1), "opens"),
            (2, 3) => (TextRange::new(close.end - 1, close.end), "closes"),
            _ => continue,
        };
        let inner = &cx.text[open.end..close.start];
        if inner.trim().is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                stray,
                format!("three asterisks where two are meant: readers see a stray `*` beside the bold text (the extra one {keep})"),
            )
            .with_renders(
                format!("**{inner}** with a `*` inside the bold"),
                format!("**{inner}** with a `*` outside the bold"),
            )
            .with_fix(Fix::safe_edit("Remove the extra asterisk", Edit::delete(stray))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{diagnostics, fixed};

    fn found(text: &str) -> Vec<&str> {
        diagnostics(&META, text)
            .into_iter()
            .map(|d| &text[d.range.as_range()])
            .collect()
    }

    #[test]
    fn lone_asterisks_the_site_pairs() {
        let text = "Date: 2024-11-06\n\n* [make *const (), *mut () okay for FFI](https://e.org/1)\n\
                    * [constify impl Fn* &(mut) Fn*](https://e.org/2)\n\
                    *No Calls this week.*x\n\
                    * [an *emphasised* word and **bold**](https://e.org/3)\n\
                    * `*code*` and [x](https://e.org/*a*) and 2 \\* 3\n\
                    * * *\n> * honest *w.r.t.* the struggles\n* * *No items this week.*\n";
        assert_eq!(
            found(text),
            ["*const (), *", "* &(mut) Fn*", "*No Calls this week.*"]
        );
        let escaped = fixed(&META, text, Applicability::Unsafe);
        assert!(
            escaped.contains("[make \\*const (), \\*mut () okay"),
            "{escaped}"
        );
    }

    #[test]
    fn three_asterisks_for_two() {
        let text = "Date: 2024-11-06\n\n* [**Main**](https://e.org/1) | [***São Paulo Mirror**](https://e.org/2)\n";
        assert_eq!(found(text), ["*"]);
        let out = fixed(&META, text, Applicability::Safe);
        assert!(
            out.contains("[**São Paulo Mirror**](https://e.org/2)"),
            "{out}"
        );
    }
}
