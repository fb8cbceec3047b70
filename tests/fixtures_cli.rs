//! Each rule fixture as the user sees it from the CLI: the human report
//! (no colour) and the JSON report (checked against its schema),
//! snapshotted with insta.

use crate::common;

use common::{repo_root, twirl};

#[test]
fn fixtures_human_and_json() {
    let root = repo_root();
    insta::glob!(root.join("tests/fixtures"), "*/*.md", |path| {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let rule = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let profile = if name.contains("draft") {
            "draft"
        } else {
            "publish"
        };
        let run = |format: &str| {
            let out = twirl()
                .current_dir(&root)
                .env("NO_COLOR", "1")
                .args([
                    "check",
                    "--select",
                    rule,
                    "--profile",
                    profile,
                    "--format",
                    format,
                    &rel,
                ])
                .output()
                .unwrap();
            let code = out.status.code().unwrap();
            assert!(
                code == 0 || code == 1,
                "{rel}: exit {code}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        let human = run("human");
        let json = run("json");
        common::json_findings(json.as_bytes());
        insta::with_settings!({ snapshot_suffix => format!("{rule}__{name}"), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("human", human);
            insta::assert_snapshot!("json", json);
        });
    });
}
