use super::odd_backticks::backtick_lines;
use super::prelude::*;

#[doc = include_str!("empty_backticks.md")]
pub struct EmptyBackticks;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW702",
    name: "empty-backticks",
    summary: "An empty double-backtick code span",
    docs: include_str!("empty_backticks.md"),
    group: Group::Markdown,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

impl EmptyBackticks {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for runs in backtick_lines(cx) {
            let mut i = 0;
            while i < runs.len() {
                if runs[i].len() != 2 {
                    i += 1;
                    continue;
                }
                // A double-backtick span closes at the next run of exactly two.
                match (i + 1..runs.len()).find(|&j| runs[j].len() == 2) {
                    Some(j) => {
                        let inside = &cx.text[runs[i].end..runs[j].start];
                        if inside.trim().is_empty() {
                            out.push(Diagnostic::new(
                                &META,
                                runs[i].cover(runs[j]),
                                "empty double-backtick code span",
                            ));
                        }
                        i = j + 1;
                    }
                    None => {
                        out.push(Diagnostic::new(
                            &META,
                            runs[i],
                            "double backticks with nothing after them on the line",
                        ));
                        i += 1;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<String> {
        let text = format!("Date: 2024-11-06\n\n{body}");
        crate::rules::testing::diagnostics_on(&META, &text, "", None)
            .iter()
            .map(|d| text[d.range.as_range()].to_string())
            .collect()
    }

    #[test]
    fn empty_spans_and_lone_pairs() {
        assert_eq!(found("detect escaped ``  `` here\n"), vec!["``  ``"]);
        assert_eq!(found("a ```` b `` c\n"), vec!["``"]);
        assert_eq!(found("x ```` y\n"), Vec::<String>::new());
        assert!(found("use `` ` `` and ``a``\n").is_empty());
        assert!(found("```\n``\n```\n").is_empty());
        assert!(found("<!-- `` -->\n").is_empty());
    }
}
