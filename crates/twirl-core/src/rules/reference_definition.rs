use super::prelude::*;
use super::util::{in_literal, prose_lines};
use crate::FastMap;

#[doc = include_str!("reference_definition.md")]
pub struct ReferenceDefinition;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW815",
    name: "reference-definition",
    summary: "A link label defined twice, or defined without a URL: the site and the preview link differently",
    docs: include_str!("reference_definition.md"),
    group: Group::Rendering,
    default_severity: Severity::Error,
    ..RuleMeta::DEFAULTS
};

/// A label as both renderers match it: case and runs of blanks ignored.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `[label]` as a reference: `[text][label]`, `[label][]` or `[label]`
/// alone (not a link's text, not a definition).
static REFERENCE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\]\[([^\[\]\n]+)\]|\[([^\[\]\n]+)\](?:\[\])?").unwrap()
});

impl ReferenceDefinition {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut defs: FastMap<String, Vec<&Link>> = FastMap::default();
        for link in cx
            .issue
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Definition)
        {
            defs.entry(label_key(link.text(cx.text)))
                .or_default()
                .push(link);
        }
        defs.retain(|_, v| {
            v.len() > 1
                && v.iter()
                    .any(|l| l.url(cx.text).trim() != v[0].url(cx.text).trim())
        });
        for lr in prose_lines(cx.text, cx.issue) {
            let line = cx.slice(lr);
            if !defs.is_empty() {
                for c in REFERENCE.captures_iter(line) {
                    let m = c.get(1).or_else(|| c.get(2)).unwrap();
                    let whole = c.get(0).unwrap();
                    let after = &line[whole.end()..];
                    // A definition line, or the text of an inline link.
                    if after.starts_with(':') || after.starts_with('(') {
                        continue;
                    }
                    let Some(found) = defs.get(&label_key(m.as_str())) else {
                        continue;
                    };
                    let r = TextRange::new(lr.start + whole.start(), lr.start + whole.end());
                    if in_literal(cx.issue, r.start) {
                        continue;
                    }
                    let first = found[0].url(cx.text).trim();
                    let last = found[found.len() - 1].url(cx.text).trim();
                    out.push(
                        Diagnostic::new(
                            &META,
                            r,
                            format!(
                                "`[{}]` is defined {} times: the site links to the last definition, the preview to the first",
                                m.as_str(),
                                found.len()
                            ),
                        )
                        .with_renders(format!("a link to {last}"), format!("a link to {first}"))
                        .with_related(RelatedLocation::Here(found[0].range), "first definition")
                        .with_related(
                            RelatedLocation::Here(found[found.len() - 1].range),
                            "last definition",
                        ),
                    );
                }
            }
            // `[label]:` and nothing after it: CommonMark wants a URL there
            // and shows the line as text; Python-Markdown takes the next
            // line for the URL.
            let t = line.trim_end();
            if t.starts_with('[') && t.ends_with("]:") && !t[1..t.len() - 2].contains(['[', ']']) {
                out.push(
                    Diagnostic::new(
                        &META,
                        lr,
                        "a link definition without a URL: the preview shows it as text, the site takes the next line for its URL",
                    )
                    .with_renders("the next line taken as this label's URL", format!("`{t}` as text")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::diagnostics;

    #[test]
    fn labels_defined_twice_and_without_a_url() {
        let text = "Date: 2024-11-06\n\nThe [mailing list closed][ml] and [ML] and [io][].\n\
                    A [link](https://e.org/x) and [once][one].\n\n\
                    [ml]: https://e.org/first\n[one]: https://e.org/one\n[io]: https://e.org/io\n\
                    [io]: https://e.org/io\n[empty]:\n[ML]: https://e.org/last\n";
        let found: Vec<(&str, String)> = diagnostics(&META, text)
            .into_iter()
            .map(|d| (&text[d.range.as_range()], d.message))
            .collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].0, "[ml]");
        assert_eq!(found[1].0, "[ML]");
        assert_eq!(found[2].0, "[empty]:");
    }
}
