//! `twirl check --format sarif`: the log validates against the SARIF 2.1.0
//! schema over the whole corpus, places findings where they are, and says
//! the same as the JSON and GitHub formats.
//!
//! `tests/data/sarif-schema-2.1.0.json` is the OASIS schema
//! (`$id` .../oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
//! as shipped in the `src/schema.json` of the `serde-sarif` crate (MIT).

use crate::common;

use std::collections::BTreeMap;

use common::{run_with_stdin, twirl};
use serde_json::Value;

fn example() -> std::path::PathBuf {
    common::repo_root().join("examples/content/2024-11-06-this-week-in-rust.md")
}

fn validator() -> jsonschema::Validator {
    let path = common::repo_root().join("tests/data/sarif-schema-2.1.0.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // The official `language` pattern (of `run` and `toolComponent`) has a
    // stray `]` that the draft-07 meta-schema's `format: regex` refuses (a
    // known erratum); twirl writes no `language`, so drop the bracket here
    // rather than edit the file.
    for def in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *pattern = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}?$".into();
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid(log: &Value) {
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(log)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

/// Runs `twirl check` with `args` and returns stdout parsed as JSON, or
/// raw for the GitHub format.
fn run(args: &[&str], paths: &[&std::path::Path]) -> (Option<i32>, Vec<u8>) {
    let out = twirl().args(args).args(paths).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), out.stdout)
}

fn sarif_of(paths: &[&std::path::Path]) -> Value {
    let (_, stdout) = run(&["check", "--format", "sarif"], paths);
    serde_json::from_slice(&stdout).expect("stdout is one JSON document")
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn example_issue_is_valid_sarif_with_every_rule() {
    let log = sarif_of(&[&example()]);
    assert_valid(&log);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "twirl");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    for r in twirl_core::RULES {
        let m = r.meta();
        let d = rules
            .iter()
            .find(|d| d["id"] == m.name)
            .unwrap_or_else(|| panic!("{} missing from tool.driver.rules", m.name));
        assert_eq!(d["properties"]["code"], m.code);
        assert_eq!(d["shortDescription"]["text"], m.summary);
        assert_eq!(d["help"]["markdown"], m.docs);
        assert!(!d["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    // The validator does refuse what SARIF does not allow.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator().is_valid(&bad));
    // Every result names a rule of the driver, at its index.
    for res in results(&log) {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
    }
}

#[test]
fn known_finding_has_its_location_and_fix() {
    let log = sarif_of(&[&example()]);
    let res = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "tracking-param")
        .expect("the example has a tracking parameter");
    assert_eq!(res["level"], "error");
    assert_eq!(res["properties"]["code"], "TW403");
    let loc = &res["locations"][0]["physicalLocation"];
    let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
    assert!(
        uri.ends_with("examples/content/2024-11-06-this-week-in-rust.md"),
        "{uri}"
    );
    let region = &loc["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (&13.into(), &81.into(), &13.into(), &96.into())
    );
    // The text at that place is the parameter.
    let text = std::fs::read_to_string(example()).unwrap();
    let line = text.lines().nth(12).unwrap();
    assert!(line[80..95].starts_with("utm_source="), "{line}");
    // The safe fix, as a replacement of the region.
    let change = &res["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], uri);
    let rep = &change["replacements"][0];
    assert_eq!(rep["deletedRegion"]["startLine"], 13);
    assert_eq!(rep["deletedRegion"]["startColumn"], 81);
    assert_eq!(rep["insertedContent"]["text"], "id=7");
    // Duplicates point at the first copy.
    if let Some(dup) = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "duplicate-link")
    {
        let rel = &dup["relatedLocations"][0];
        assert!(rel["physicalLocation"]["region"]["startLine"].is_u64());
        assert!(rel["message"]["text"].is_string());
    }
}

/// Columns are UTF-16 code units, SARIF's default: an emoji counts two.
#[test]
fn columns_count_utf16_units() {
    let text = "Title: This Week in Rust 570\nNumber: 570\nDate: 2024-10-23\nCategory: This Week in Rust\n\n\
                ## Updates from Rust Community\n\n\
                * [🦀 Crabs é](https://example.com/a?utm_source=x)\n";
    let mut cmd = twirl();
    cmd.args([
        "check",
        "-",
        "--format",
        "sarif",
        "--select",
        "tracking-param",
        "--stdin-filename",
        "content/2024-10-23-this-week-in-rust.md",
    ]);
    let out = run_with_stdin(cmd, text.as_bytes());
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&log);
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
    let res = &results(&log)[0];
    let region = &res["locations"][0]["physicalLocation"]["region"];
    let line = text.lines().nth(7).unwrap();
    let byte = line.find("utm_source").unwrap();
    let utf16 = line[..byte].encode_utf16().count() as u64;
    assert_eq!(utf16, line[..byte].chars().count() as u64 + 1);
    assert_eq!(region["startLine"], 8);
    assert_eq!(region["startColumn"], utf16 + 1);
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "content/2024-10-23-this-week-in-rust.md"
    );
}

fn count_by<'a>(it: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for k in it {
        *m.entry(k.to_string()).or_default() += 1;
    }
    m
}

/// The whole published corpus: the log validates, and SARIF, JSON and the
/// GitHub annotations report the same findings per rule.
#[test]
fn corpus_is_valid_sarif_and_agrees_with_json_and_github() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let published = corpus.join("published");
    let log = sarif_of(&[&published]);
    assert_valid(&log);
    let sarif = count_by(results(&log).iter().map(|r| r["ruleId"].as_str().unwrap()));
    assert!(sarif.len() >= 10, "few rules fire on the corpus: {sarif:?}");

    let (_, stdout) = run(&["check", "--format", "json"], &[&published]);
    let json = common::json_findings(&stdout);
    let json = count_by(json.iter().map(|f| f["rule"].as_str().unwrap()));
    assert_eq!(sarif, json);

    let (_, stdout) = run(&["check", "--format", "github"], &[&published]);
    let gh = String::from_utf8(stdout).unwrap();
    let github = count_by(gh.lines().map(|l| {
        // `title=TW403 tracking-param::message`
        let title = l.split(",title=").nth(1).unwrap();
        let title = title.split("::").next().unwrap();
        title.split(' ').nth(1).unwrap()
    }));
    assert_eq!(sarif, github);

    // The Markdown rules, the newest, reach every format.
    for rule in ["odd-backticks", "unknown-html-tag"] {
        assert!(sarif.contains_key(rule), "{rule} not in {sarif:?}");
    }
}
