use super::prelude::*;

#[doc = include_str!("region_order.md")]
pub struct RegionOrder;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW203",
    name: "region-order",
    summary: "Event regions are unknown or out of their canonical order",
    docs: include_str!("region_order.md"),
    group: Group::EventFormat,
    default_severity: Severity::Warning,
    ..RuleMeta::DEFAULTS
};

impl RegionOrder {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(events) = &cx.issue.events else {
            return;
        };
        let canonical = &cx.settings.regions;
        let position = |name: &str| {
            canonical.iter().position(|r| {
                r.eq_ignore_ascii_case(name)
                    // `Online` is what early 2022 issues called `Virtual`.
                    || (r.eq_ignore_ascii_case("virtual") && name.eq_ignore_ascii_case("online"))
            })
        };
        // The furthest region seen so far, by canonical position.
        let mut furthest: Option<(usize, &str)> = None;
        for region in &events.regions {
            let name = region.name.trim();
            let Some(pos) = position(name) else {
                out.push(Diagnostic::new(
                    &META,
                    region.heading,
                    format!(
                        "unknown region `{name}` (expected one of {})",
                        canonical
                            .iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                continue;
            };
            match furthest {
                Some((f, fname)) if pos < f => out.push(Diagnostic::new(
                    &META,
                    region.heading,
                    format!("region `{name}` should come before `{fname}`"),
                )),
                Some((f, _)) if pos == f => {}
                _ => furthest = Some((pos, name)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(regions: &[&str]) -> Vec<(String, String)> {
        let mut text = String::from(
            "Date: 2024-11-06\n\n## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04 🦀\n\n",
        );
        for r in regions {
            text.push_str(&format!(
                "### {r}\n* 2024-11-09 | Oslo, NO | [Org](https://example.com/o)\n    * [**T**](https://example.com/t)\n\n"
            ));
        }
        text.push_str("## Jobs\n\nText.\n");
        crate::rules::testing::diagnostics(&META, &text)
            .into_iter()
            .map(|d| (text[d.range.as_range()].to_string(), d.message))
            .collect()
    }

    #[test]
    fn canonical_order_is_clean() {
        assert_eq!(
            run(&["Virtual", "Asia", "Europe", "North America", "Oceania"]),
            []
        );
        assert_eq!(run(&["Online", "Europe", "South America"]), []);
    }

    #[test]
    fn out_of_order_and_unknown() {
        let d = run(&["Virtual", "Europe", "Asia", "Antarctica", "North America"]);
        assert_eq!(
            d,
            [
                ("### Asia".into(), "region `Asia` should come before `Europe`".into()),
                (
                    "### Antarctica".into(),
                    "unknown region `Antarctica` (expected one of `Virtual`, `Africa`, `Asia`, `Europe`, `North America`, `Oceania`, `South America`)".into()
                ),
            ]
        );
    }
}
