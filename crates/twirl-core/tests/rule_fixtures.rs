//! Every rule's fixtures: `tests/fixtures/<rule>/{ok_*,err_*}.md` at the
//! repository root, each checked with only its rule on.
//!
//! The snapshot is what a user sees, in plain text: `line:col CODE message
//! [fix: safe]` per finding, then the diff that applying the fixes makes.
//! `ok_` fixtures must have no finding; `err_` fixtures at least one.

use std::path::Path;

use twirl_core::fix::fix_all;
use twirl_core::rules::rule_by_name;
use twirl_core::{Applicability, CheckContext, Encoding, Settings, check, decode, parse};

/// The path a fixture is checked as: under `draft/` when its name says
/// draft, dated by its `Date:` header.
fn virtual_path(name: &str, text: &str) -> Option<String> {
    let date = parse(text).metadata.get("Date").map(|f| f.value.clone())?;
    let dir = if name.contains("draft") {
        "draft"
    } else {
        "content"
    };
    Some(format!("{dir}/{date}-this-week-in-rust.md"))
}

pub fn render(rule: &str, name: &str, text: &str) -> String {
    let meta =
        rule_by_name(rule).unwrap_or_else(|| panic!("fixture folder `{rule}` names no rule"));
    let mut settings = Settings::default();
    settings.select_ignore(&[meta.name.to_string()], &[]);
    let path = virtual_path(name, text);
    if let Some(p) = &path {
        settings.profile = twirl_core::config::Config::default()
            .settings_for(Some(p))
            .profile;
    }
    let issue = parse(text);
    let cx = CheckContext {
        text,
        issue: &issue,
        settings: &settings,
        path: path.as_deref(),
        index: None,
    };
    let diags = check(&cx);
    let mut out = String::new();
    for d in &diags {
        let lc = issue
            .line_index
            .line_col(text, d.range.start, Encoding::Chars);
        out.push_str(&format!(
            "{}:{} {} {} {}",
            lc.line + 1,
            lc.col + 1,
            d.rule.code,
            d.severity.as_str(),
            d.message
        ));
        if let Some(f) = &d.fix {
            out.push_str(&format!(
                " [fix: {}: {}]",
                f.applicability.as_str(),
                f.title
            ));
        }
        out.push('\n');
    }
    let fixed = fix_all(
        text,
        &settings,
        path.as_deref(),
        None,
        Applicability::Unsafe,
    )
    .map(|o| o.text)
    .unwrap_or_else(|e| format!("FIX ERROR: {e}\n"));
    if fixed != text {
        out.push_str("--- after fixes (safe and unsafe) ---\n");
        let diff = similar::TextDiff::from_lines(text, &fixed);
        out.push_str(&diff.unified_diff().context_radius(1).to_string());
    }
    out
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    insta::glob!(&root, "*/*.md", |path| {
        let rule = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let bytes = std::fs::read(path).unwrap();
        let text = decode(&bytes).expect("fixtures are UTF-8").text;
        let out = render(rule, name, &text);
        if name.starts_with("ok_") {
            assert!(out.is_empty(), "{rule}/{name} should be clean, got:\n{out}");
        } else {
            assert!(!out.is_empty(), "{rule}/{name} should have findings");
        }
        insta::with_settings!({ snapshot_suffix => format!("{rule}__{name}"), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("fixture", out);
        });
    });
}
