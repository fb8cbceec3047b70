use super::prelude::*;
use crate::issue::bracketed_word;

#[doc = include_str!("link_prefix.md")]
pub struct LinkPrefix;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW503",
    name: "link-prefix",
    summary: "A link prefix such as [video] is not followed by a space",
    docs: include_str!("link_prefix.md"),
    group: Group::Structure,
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

/// The words TWiR puts before a link, besides two-letter language codes.
const WORDS: &[&str] = &[
    "video", "videos", "audio", "series", "podcast", "playlist", "slides", "pdf", "new", "updated",
    "update",
];

fn is_prefix(word: &str) -> bool {
    (word.len() == 2 && word.bytes().all(|b| b.is_ascii_uppercase()))
        || WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

impl LinkPrefix {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let issue = cx.issue;
        for item in &issue.list_items {
            if issue.in_code_or_comment(item.range) {
                continue;
            }
            let line = cx.slice(TextRange::new(item.marker_range.end, item.range.end));
            let mut at = line.len() - line.trim_start().len();
            while let Some(word) = bracketed_word(&line[at..]) {
                if !is_prefix(word) {
                    break;
                }
                let end = at + word.len() + 2;
                let prefix = &line[at..end];
                // `[video][Title](url)` (or `[ZH][EN]`): read as a reference
                // link, so the prefix and the title render wrong.
                if line[end..].starts_with('[') {
                    let start = item.marker_range.end + at;
                    let range = TextRange::new(start, item.marker_range.end + end);
                    out.push(
                        Diagnostic::new(
                            &META,
                            range,
                            format!("prefix `{prefix}` is not followed by a space"),
                        )
                        .with_fix(Fix::safe_edit(
                            format!("Insert a space after `{prefix}`"),
                            Edit::insert(range.end, " "),
                        )),
                    );
                }
                at = end + (line[end..].len() - line[end..].trim_start().len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(String, String)> {
        crate::rules::testing::findings(&META, text)
    }

    #[test]
    fn prefix_glued_to_title() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n### Official\n\
                    * [video][A talk](https://example.com/a)\n* [ZH][audio] [B](https://example.com/b)\n\
                    * [series] [video][C](https://example.com/c)\n";
        let d = run(text);
        let got: Vec<&str> = d.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(got, ["[video]", "[ZH]", "[video]"]);
        assert_eq!(d[0].1, "prefix `[video]` is not followed by a space");
    }

    #[test]
    fn spaced_prefixes_and_reference_links_are_fine() {
        let text = "Date: 2024-11-06\n\n## Updates from Rust Community\n\n### Official\n\
                    * [video] [A talk](https://example.com/a)\n* [DE] [audio] [B](https://example.com/b)\n\
                    * [rg][rg]: a crate\n* [Rust][rust] is great\n\n[rg]: https://example.com/rg\n[rust]: https://example.com/r\n";
        assert_eq!(run(text), []);
    }
}
