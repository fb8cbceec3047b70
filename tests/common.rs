//! Shared by the end-to-end tests: where the corpus and the binary are,
//! which tests run.

use std::path::{Path, PathBuf};

/// `$TWIRL_CORPUS`, else `../shared/corpus` beside the repository. In CI a
/// missing corpus fails the test; elsewhere the test is skipped with a note.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TWIRL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if dir.join("published").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the corpus is missing at {}: set TWIRL_CORPUS or put shared/ beside the repository",
            dir.display()
        );
    }
    eprintln!(
        "skipped: corpus not found at {} (set TWIRL_CORPUS)",
        dir.display()
    );
    None
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn twirl() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_twirl"))
}

/// Runs `cmd` with `input` on its standard input, capturing its output.
pub fn run_with_stdin(mut cmd: std::process::Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Whether the tests that take minutes (inputs of megabytes, kill loops,
/// instruction counts) run: only with `TWIRL_SLOW_TESTS=1`, which CI sets.
/// Otherwise the test is skipped with a note.
pub fn slow_tests() -> bool {
    if std::env::var_os("TWIRL_SLOW_TESTS").is_some_and(|v| v == "1") {
        return true;
    }
    eprintln!("skipped: a slow test (set TWIRL_SLOW_TESTS=1 to run it)");
    false
}

/// Whether `program` runs (with `--version`). In CI a missing tool fails
/// the test; elsewhere the test is skipped with a note on what to install.
pub fn have_tool(program: &str, install: &str) -> bool {
    let runs = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{program} is missing: {install}");
    }
    eprintln!("skipped: {program} not found ({install})");
    false
}

/// The findings in the output of `twirl check --format json`, once the
/// document has been checked against its schema, `docs/check.schema.json`.
pub fn json_findings(stdout: &[u8]) -> Vec<serde_json::Value> {
    let doc: serde_json::Value =
        serde_json::from_slice(stdout).expect("stdout is one JSON document");
    let errors = json_schema_errors(&doc);
    assert!(
        errors.is_empty(),
        "not as documented:\n{}",
        errors.join("\n")
    );
    doc["findings"].as_array().unwrap().clone()
}

/// Where `doc` departs from `docs/check.schema.json`.
pub fn json_schema_errors(doc: &serde_json::Value) -> Vec<String> {
    let path = repo_root().join("docs/check.schema.json");
    let schema = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}
