//! The rendering rules' fixtures, checked by the render oracle: each `ok_`
//! fixture renders alike on the site and in the preview, each `err_`
//! fixture diverges, and after `twirl fmt` the site renders each fixture
//! whose findings all have a Safe fix as the preview does.

use std::path::Path;

use twirl_core::rules::{Group, RULES};
use twirl_core::{Applicability, Config, decode};

use crate::oracle::Oracle;

/// The rules about rendering: the rendering group, and the rules of other
/// groups that fix what the site renders otherwise (`list-bullet`: lists
/// with mixed bullets).
fn about_rendering(name: &str, group: Group) -> bool {
    group == Group::Rendering || matches!(name, "control-character" | "list-bullet")
}

/// Every `ok_` fixture of a rendering rule renders alike on the site and in
/// the preview, every `err_` fixture otherwise; those whose findings all
/// have a Safe fix render alike once `fmt` has run.
#[test]
fn rendering_fixes_make_the_site_agree_with_the_preview() {
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut checked = Vec::new();
    for meta in RULES.iter().map(|r| r.meta()) {
        if !about_rendering(meta.name, meta.group) {
            continue;
        }
        let Ok(dir) = std::fs::read_dir(root.join(meta.name)) else {
            continue;
        };
        let mut names: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        names.sort();
        for path in names {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let text = decode(&std::fs::read(&path).unwrap()).unwrap().text;
            if name.starts_with("ok_") {
                // `:: ` in code: the site drops the trailing space that
                // CommonMark keeps, which readers do not see.
                if name != "ok_spaces.md" || meta.name != "code-span-space" {
                    let what = format!("{}/{name}", meta.name);
                    oracle.assert_site_matches_commonmark(&text, &what);
                }
                continue;
            }
            if !name.starts_with("err_") {
                continue;
            }
            let virtual_path = "content/2024-11-06-this-week-in-rust.md";
            let settings = Config::default().settings_for(Some(virtual_path));
            let found = twirl_core::lint(&text, &settings, Some(virtual_path), None);
            let own: Vec<_> = found.iter().filter(|d| d.rule.name == meta.name).collect();
            assert!(
                !own.is_empty(),
                "{}/{name} has no finding of its rule",
                meta.name
            );
            // A doubled bracket and `**Title **` show alike on both (readers
            // see the brackets or asterisks either way); every other fixture
            // diverges (until it is fixed).
            if !matches!(meta.name, "doubled-bracket" | "emphasis-space") {
                assert!(
                    !oracle.divergences(&text).is_empty(),
                    "{}/{name} renders alike site and preview: it tests nothing",
                    meta.name
                );
            }
            let all_safe = own.iter().all(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
            });
            if !all_safe {
                continue;
            }
            let fixed =
                twirl_core::format::format(&text, &settings, Some(virtual_path), None, false)
                    .expect("fmt settles")
                    .text;
            assert_ne!(fixed, text, "{}/{name}: fmt changed nothing", meta.name);
            oracle
                .assert_site_matches_commonmark(&fixed, &format!("{}/{name} after fmt", meta.name));
            checked.push(format!("{}/{name}", meta.name));
        }
    }
    // Every rendering rule whose fixes are all Safe has a fixture checked.
    for meta in RULES.iter().map(|r| r.meta()) {
        if about_rendering(meta.name, meta.group)
            && meta.fix == twirl_core::rules::FixAvailability::Always
        {
            assert!(
                checked
                    .iter()
                    .any(|c| c.starts_with(&format!("{}/", meta.name))),
                "no fixture of {} was checked: {checked:?}",
                meta.name
            );
        }
    }
    eprintln!("checked after fmt: {checked:?}");
}
