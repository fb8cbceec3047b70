use std::sync::LazyLock;

use regex::Regex;

use super::prelude::*;
use crate::text::LineIndex;

#[doc = include_str!("list_bullet.md")]
pub struct ListBullet;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW502",
    name: "list-bullet",
    summary: "A list item with another bullet than the list's, or a link item without one",
    docs: include_str!("list_bullet.md"),
    group: Group::Structure,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

/// Whether `s` is nothing but a community link item without its bullet:
/// optional `[video]`-style prefixes (blanks after each), then
/// `[Title](http...)` and blanks only.
fn is_link_line(s: &str) -> bool {
    static LINK_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\[[A-Za-z]{2,8}\]\s*)*\[[^\]]+\]\(https?://[^)\s]*\)\s*$").unwrap()
    });
    LINK_LINE.is_match(s)
}

impl ListBullet {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let before = out.len();
        check_community(cx, out);
        let mut reported: Vec<usize> = out[before..].iter().map(|d| d.range.start).collect();
        reported.sort_unstable();
        check_mixed(cx, &reported, out);
    }
}

/// Two bullet lists one right after the other (blank lines between them
/// or not) with different bullets: CommonMark starts a new list at the
/// change, the site keeps one list. Of the two, the list whose bullet is
/// not `*` takes the other's (the first takes the second's `*`), unless
/// its first item is one `check_community` reported (at `reported`) or an
/// event line (`event-format`'s).
fn check_mixed(cx: &CheckContext<'_>, reported: &[usize], out: &mut Vec<Diagnostic>) {
    let blocks = &cx.issue.blocks;
    let events = super::blocks::event_lines(cx);
    let bullet = |i: usize| match blocks[i].kind {
        BlockKind::List { bullet } => bullet,
        _ => None,
    };
    // (its bullet, the bullet it takes, where the other list is) of the
    // lists to report, and where each list's entry is.
    let mut mixed: Vec<(char, char, &str)> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; blocks.len()];
    for (i, b) in blocks.iter().enumerate() {
        let Some(p) = b.previous else { continue };
        let (Some(c), Some(above)) = (bullet(i), bullet(p)) else {
            continue;
        };
        let (list, to, other) = match (above, c) {
            _ if above == c => continue,
            (_, '*') => (p, '*', "below"),
            // `-` then `+`: the second list follows the first, once the
            // first has its own bullet.
            _ if slot[p].is_some() => continue,
            _ => (i, above, "above"),
        };
        let start = blocks[list].range.start;
        if slot[list].is_none()
            && reported.binary_search(&start).is_err()
            && !super::blocks::on_line(&events, start)
        {
            slot[list] = Some(mixed.len());
            mixed.push((bullet(list).unwrap_or(to), to, other));
        }
    }
    // The items of each list, in one pass: children come after parents.
    let mut markers: Vec<Vec<TextRange>> = vec![Vec::new(); mixed.len()];
    for b in blocks {
        if let Some(k) = b.parent.and_then(|p| slot[p])
            && matches!(b.kind, BlockKind::Item { .. })
        {
            markers[k].push(TextRange::new(b.range.start, b.range.start + 1));
        }
    }
    for ((c, to, other), markers) in mixed.into_iter().zip(markers) {
        let Some(&first) = markers.first() else {
            continue;
        };
        if markers.iter().any(|m| !cx.slice(*m).starts_with(c)) {
            continue;
        }
        let edits = markers
            .iter()
            .map(|&m| Edit::replace(m, to.to_string()))
            .collect();
        out.push(
            Diagnostic::new(
                &META,
                first,
                format!(
                    "the list's bullet `{c}` differs from the `{to}` of the list {other} it: the site shows them as one list, the preview as two"
                ),
            )
            .with_severity(Severity::Warning)
            .with_renders("one list", format!("two lists, the second from this `{c}` on"))
            .with_fix(Fix::safe(format!("Use `{to}` as the bullet"), edits)),
        );
    }
}

/// Community link items with `-` or `+`, and link lines without a bullet.
fn check_community(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let issue = cx.issue;
    for item in &issue.community {
        // `list_items` is sorted by start: a binary search keeps this linear.
        let from = issue
            .list_items
            .partition_point(|l| l.range.start < item.range.start);
        let Some(li) = issue.list_items[from..]
            .iter()
            .take_while(|l| l.range.start == item.range.start)
            .find(|l| l.range == item.range)
        else {
            continue;
        };
        let line_start = issue
            .line_index
            .line_start(issue.line_index.line_of(li.range.start))
            .unwrap_or(li.range.start);
        // A `-` or `+` item among `*` ones: the site renders them alike.
        if matches!(li.marker, '-' | '+')
            && item.link.is_some()
            && li.marker_range.start == line_start
        {
            let edit = Edit::replace(li.marker_range, "*");
            let mut fix = Fix::safe_edit("Use `*` as the bullet", edit);
            let line = issue.line_index.line_of(line_start);
            join(cx.text, &issue.line_index, line, &mut fix);
            out.push(
                Diagnostic::new(
                    &META,
                    li.marker_range,
                    format!("the link item's bullet is `{}`, the others' `*`", li.marker),
                )
                .with_severity(Severity::Warning)
                .with_fix(fix),
            );
        }
    }
    for s in issue.sections.iter().filter(|s| {
        matches!(
            s.kind,
            SectionKind::CommunityCategory | SectionKind::ProjectToolingUpdates
        )
    }) {
        let body = s.body();
        let first = issue.line_index.line_of(body.start);
        let last = issue
            .line_index
            .line_of(body.end.saturating_sub(1).max(body.start));
        for line in first..=last {
            let Some(lr) = issue.line_index.line_range(cx.text, line) else {
                break;
            };
            if !body.contains_range(lr) || lr.is_empty() || issue.in_code_or_comment(lr) {
                continue;
            }
            let s = cx.slice(lr);
            if s.starts_with(char::is_whitespace) || !is_link_line(s) {
                continue;
            }
            let mut fix = Fix::safe_edit("Add the `* ` bullet", Edit::insert(lr.start, "* "));
            join(cx.text, &issue.line_index, line, &mut fix);
            out.push(
                Diagnostic::new(
                    &META,
                    lr,
                    "the link line has no `* ` bullet: the site shows it as a paragraph, not in the list",
                )
                .with_fix(fix),
            );
        }
    }
}

/// A line that starts a top-level list item: `* `, `- ` or `+ ` (not a
/// thematic break such as `* * *`).
fn is_item_line(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.first(), Some(b'*' | b'-' | b'+'))
        && matches!(b.get(1), None | Some(b' ' | b'\t'))
        && !s.chars().all(|c| matches!(c, '*' | '-' | '+' | ' ' | '\t'))
}

/// An item line, or a link line that the fix above turns into one.
fn joinable(s: &str) -> bool {
    is_item_line(s) || is_link_line(s)
}

/// Completes `fix`, which turns `line` into a `*` item, so that the lists
/// it joins render as before.
///
/// The item joins a list item right above it and a `*` item right below it,
/// even across blank lines; and a list with a blank line between two of its
/// items is loose: every item of it, not only the fixed one, would render
/// as a paragraph. So the blank lines between them are deleted, and when a
/// list it joins is loose itself (the joined list cannot stay tight), the
/// fix is only Unsafe.
fn join(text: &str, idx: &LineIndex, line: usize, fix: &mut Fix) {
    let line_text = |l: usize| idx.line_range(text, l).map(|r| &text[r.as_range()]);
    let blank = |l: usize| line_text(l).is_some_and(|s| s.trim().is_empty());
    let star = |l: usize| line_text(l).is_some_and(|s| s.starts_with("* ") && is_item_line(s));
    let mut loose = false;
    let mut above = line;
    while above > 0 && blank(above - 1) {
        above -= 1;
    }
    if above > 0 && line_text(above - 1).is_some_and(joinable) {
        loose |= loose_from(&line_text, above - 1, false);
        if let (true, Some(start), Some(end)) =
            (above < line, idx.line_start(above), idx.line_start(line))
        {
            fix.edits.push(Edit::delete(TextRange::new(start, end)));
        }
    }
    let mut below = line + 1;
    while below < idx.line_count() && blank(below) {
        below += 1;
    }
    if star(below) {
        loose |= loose_from(&line_text, below, true);
        if let (true, Some(start), Some(end)) = (
            below > line + 1,
            idx.line_start(line + 1),
            idx.line_start(below),
        ) {
            fix.edits.push(Edit::delete(TextRange::new(start, end)));
        }
    }
    fix.edits.sort_by_key(|e| e.range.start);
    if loose {
        fix.applicability = Applicability::Unsafe;
    }
}

/// Whether the list holding item line `from` has a blank line between two
/// `*` items (or inside one), walking away from the fixed item. Blank lines
/// next to `-` items and bare link lines do not count: their own fixes
/// delete them.
fn loose_from<'t>(line_text: &dyn Fn(usize) -> Option<&'t str>, from: usize, down: bool) -> bool {
    let mut prev_star = line_text(from).is_some_and(|s| s.starts_with('*'));
    let mut gap = false;
    let mut l = from;
    loop {
        l = match (down, l.checked_sub(1)) {
            (true, _) => l + 1,
            (false, Some(p)) => p,
            (false, None) => return false,
        };
        let Some(s) = line_text(l) else {
            return false;
        };
        if s.trim().is_empty() {
            gap = true;
        } else if joinable(s) {
            let is_star = s.starts_with('*');
            if is_star && prev_star && gap {
                return true;
            }
            prev_star = is_star;
            gap = false;
        } else if s.starts_with([' ', '\t']) {
            if gap && prev_star {
                return true;
            }
            gap = false;
        } else {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_lines() {
        for (s, want) in [
            ("[Title](https://e.org/a)", true),
            ("[video] [ZH][Title](http://e.org/a)  ", true),
            ("[ab](https://e.org/a)", true),
            ("[video] text [T](https://e.org/a)", false),
            ("[T](https://e.org/a b)", false),
            ("[T](ftp://e.org/a)", false),
            ("[](https://e.org/a)", false),
            ("[T](https://e.org/a) more", false),
        ] {
            assert_eq!(is_link_line(s), want, "{s}");
        }
    }

    fn run(text: &str) -> Vec<(String, String)> {
        crate::rules::testing::findings(&META, text)
    }

    #[test]
    fn well_formed_is_clean() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n### Official\n\
                    * [video] [A](https://example.com/a)\n    - [part 2](https://example.com/b)\n";
        assert_eq!(run(text), []);
    }

    #[test]
    fn community_items() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n### Official\n\
                    * [A](https://example.com/a)\n- [B](https://example.com/b)\n\n[video] [C](https://example.com/c)\n";
        let d = run(text);
        assert_eq!(
            d,
            [
                (
                    "-".into(),
                    "the link item's bullet is `-`, the others' `*`".into()
                ),
                (
                    "[video] [C](https://example.com/c)".into(),
                    "the link line has no `* ` bullet: the site shows it as a paragraph, not in the list"
                        .into()
                ),
            ]
        );
    }

    fn fixed(text: &str) -> (String, Vec<Applicability>) {
        let d = crate::rules::testing::diagnostics(&META, text);
        let kinds = d
            .iter()
            .map(|d| d.fix.as_ref().unwrap().applicability)
            .collect();
        let mut edits: Vec<Edit> = d.into_iter().flat_map(|d| d.fix.unwrap().edits).collect();
        edits.sort_by_key(|e| e.range.start);
        (crate::fix::apply_edits(text, &edits), kinds)
    }

    #[test]
    fn a_list_after_one_with_another_bullet() {
        let text = "Date: 2024-11-06\n\n## Updates from the Rust Project\n\n\
                    * [a](https://e.com/a)\n- text b\n- text c\n\n+ d\n\n* e\n    * f\n    - g\n\n\
                    Other:\n\n- h\n+ i\n- j\n";
        let d = crate::rules::testing::diagnostics(&META, text);
        let lines: Vec<&str> = d
            .iter()
            .map(|d| text[d.range.start..].lines().next().unwrap())
            .collect();
        assert_eq!(lines, ["- text b", "+ d", "- g", "+ i"]);
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(
            d[0].message,
            "the list's bullet `-` differs from the `*` of the list above it: the site shows them as one list, the preview as two"
        );
        assert_eq!(
            crate::rules::testing::fixed(&META, text, Applicability::Safe),
            "Date: 2024-11-06\n\n## Updates from the Rust Project\n\n\
             * [a](https://e.com/a)\n* text b\n* text c\n\n* d\n\n* e\n    * f\n    * g\n\n\
             Other:\n\n- h\n- i\n- j\n"
        );
    }

    #[test]
    fn a_fixed_item_joins_the_lists_around_it_without_loosening_them() {
        let head =
            "Date: 2024-11-06\n\n## Updates from Rust Community\n\n### Observations/Thoughts\n";
        let text = format!(
            "{head}* [a](https://e.com/a)\n* [b](https://e.com/b)\n\n- [c](https://e.com/c)\n\n* [d](https://e.com/d)\n"
        );
        let (out, kinds) = fixed(&text);
        assert_eq!(
            out,
            format!(
                "{head}* [a](https://e.com/a)\n* [b](https://e.com/b)\n* [c](https://e.com/c)\n* [d](https://e.com/d)\n"
            )
        );
        assert_eq!(kinds, [Applicability::Safe]);

        let text = format!("{head}* [a](https://e.com/a)\n\n[b](https://e.com/b)\n");
        let (out, kinds) = fixed(&text);
        assert_eq!(
            out,
            format!("{head}* [a](https://e.com/a)\n* [b](https://e.com/b)\n")
        );
        assert_eq!(kinds, [Applicability::Safe]);

        // The list below is loose already: joining it loosens the one above.
        let text = format!(
            "{head}* [a](https://e.com/a)\n\n- [b](https://e.com/b)\n\n* [c](https://e.com/c)\n\n* [d](https://e.com/d)\n"
        );
        assert_eq!(fixed(&text).1, [Applicability::Unsafe]);
    }
}
