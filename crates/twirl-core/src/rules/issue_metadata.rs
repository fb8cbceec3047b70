use super::prelude::*;

#[doc = include_str!("issue_metadata.md")]
pub struct IssueMetadata;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW104",
    name: "issue-metadata",
    summary: "The metadata header disagrees with the file name or the issue-number rule",
    docs: include_str!("issue_metadata.md"),
    group: Group::Dates,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl IssueMetadata {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        let meta = &cx.issue.metadata;
        if meta.fields.is_empty() {
            out.push(Diagnostic::new(
                &META,
                TextRange::empty(0),
                "the issue has no metadata header (Title, Number, Date, Category)",
            ));
            return;
        }
        for key in ["Title", "Number", "Date", "Category"] {
            if meta.get(key).is_none() {
                out.push(Diagnostic::new(
                    &META,
                    meta.range,
                    format!("the metadata header has no `{key}`"),
                ));
            }
        }
        let is_var = |f: &MetaField| f.value.contains("$twir_");
        let date_field = meta.get("Date").filter(|f| !is_var(f));
        let date = date_field.and_then(|f| parse_date(f.value.trim()));
        if let Some(f) = date_field {
            match date {
                None => out.push(Diagnostic::new(
                    &META,
                    f.value_range,
                    format!("`{}` is not a YYYY-MM-DD date", f.value),
                )),
                Some(d) => {
                    if let Some(fd) = cx.file_date()
                        && fd != d
                    {
                        out.push(
                            Diagnostic::new(
                                &META,
                                f.value_range,
                                format!("Date is {d} but the file name says {fd}"),
                            )
                            .with_fix(Fix::display_only(
                                format!("Set Date to {fd}"),
                                vec![Edit::replace(f.value_range, fd.to_string())],
                            )),
                        );
                    }
                    if d >= ISSUE_424_DATE && d.weekday() != jiff::civil::Weekday::Wednesday {
                        out.push(Diagnostic::new(
                            &META,
                            f.value_range,
                            format!("{d} is a {}, not a Wednesday", weekday_name(d)),
                        ));
                    }
                }
            }
        }
        let number_field = meta.get("Number").filter(|f| !is_var(f));
        let number: Option<i64> = number_field.and_then(|f| f.value.trim().parse().ok());
        if let Some(f) = number_field {
            if number.is_none() {
                out.push(Diagnostic::new(
                    &META,
                    f.value_range,
                    format!("Number `{}` is not a number", f.value),
                ));
            } else if let (Some(n), Some(d)) = (number, date)
                && d >= ISSUE_424_DATE
            {
                let expected = issue_number(d).expect("modern date");
                if n != expected {
                    out.push(
                        Diagnostic::new(
                            &META,
                            f.value_range,
                            format!("Number is {n} but the issue of {d} is number {expected}"),
                        )
                        .with_fix(Fix::unsafe_edit(
                            format!("Set Number to {expected}"),
                            Edit::replace(f.value_range, expected.to_string()),
                        )),
                    );
                }
            }
        }
        if let (Some(t), Some(n)) = (meta.get("Title").filter(|f| !is_var(f)), number) {
            let digits = t
                .value
                .trim_end()
                .rsplit(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or("");
            match digits.parse::<i64>() {
                Ok(tn) if tn == n => {}
                Ok(tn) => {
                    let start = t.value_range.start + t.value.trim_end().len() - digits.len();
                    let r = TextRange::new(start, start + digits.len());
                    out.push(
                        Diagnostic::new(&META, r, format!("Title says {tn} but Number is {n}"))
                            .with_fix(Fix::unsafe_edit(
                                format!("Set the Title's number to {n}"),
                                Edit::replace(r, n.to_string()),
                            )),
                    );
                }
                Err(_) => out.push(Diagnostic::new(
                    &META,
                    t.value_range,
                    format!("Title does not end with the issue number {n}"),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, findings_on, fixed};

    #[test]
    fn a_right_header_is_clean() {
        let t = "Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n";
        assert!(findings(&META, t).is_empty());
        let t = "Title: This Week in Rust 424\nNumber: 424\nDate: 2022-01-05\nCategory: This Week in Rust\n";
        assert!(findings_on(&META, t, "content/2022-01-05-this-week-in-rust.md").is_empty());
    }

    #[test]
    fn numbers_dates_and_missing_fields() {
        let t = "Title: This Week in Rust 571\nNumber: 570\nDate: 2024-11-07\nCategory: This Week in Rust\n";
        let msgs: Vec<String> = findings(&META, t).into_iter().map(|f| f.1).collect();
        assert!(
            msgs.iter().any(|m| m.contains("file name says 2024-11-06")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("Thursday")), "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.contains("Title says 571 but Number is 570")),
            "{msgs:?}"
        );
        let t = "Title: This Week in Rust 572\nNumber: 571\nDate: 2024-11-06\nCategory: This Week in Rust\n";
        let msgs: Vec<String> = findings(&META, t).into_iter().map(|f| f.1).collect();
        assert!(
            msgs.contains(&"Number is 571 but the issue of 2024-11-06 is number 572".to_string()),
            "{msgs:?}"
        );
        assert!(fixed(&META, t, Applicability::Unsafe).contains("Number: 572\n"));
        assert!(
            findings(&META, "Title: x\n\nHello\n")
                .iter()
                .any(|f| f.1.contains("no `Date`"))
        );
    }

    #[test]
    fn template_variables_are_left_to_placeholder() {
        let t = "Title: This Week in Rust $twir_issue_number\nNumber: $twir_issue_number\nDate: $twir_issue_date\nCategory: This Week in Rust\n";
        assert!(findings(&META, t).is_empty());
    }
}
