//! `twirl.mergeEvents`: `twirl events merge` on an open draft, answered
//! with an edit of the buffer and the merge's summary.

mod common;

use common::*;
use serde_json::json;
use tower_lsp::jsonrpc::ErrorCode;
use tower_lsp::lsp_types::request as r;
use tower_lsp::lsp_types::*;
use twirl_core::Encoding;

const NEW: &str = "### Europe:\n* 2024-11-21 | Oslo, NO | [Rust Oslo](https://example.com/oslo)\n    * [**Oslo meetup**](https://example.com/oslo/1)\n";

async fn run(
    c: &mut TestClient,
    args: Vec<serde_json::Value>,
) -> tower_lsp::jsonrpc::Result<Option<serde_json::Value>> {
    c.request::<r::ExecuteCommand>(ExecuteCommandParams {
        command: "twirl.mergeEvents".into(),
        arguments: args,
        work_done_progress_params: Default::default(),
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_events_edits_the_buffer_and_answers_with_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new-events.md");
    std::fs::write(&new, NEW).unwrap();
    let mut c = TestClient::new();
    let init = c.initialize(false).await;
    let commands = init.capabilities.execute_command_provider.unwrap().commands;
    assert!(
        commands.contains(&"twirl.mergeEvents".to_string()),
        "{commands:?}"
    );
    let u = uri("2024-11-06-this-week-in-rust.md");
    c.open(&u, ISSUE, 1).await;
    c.diagnostics(&u, Some(1)).await;

    let summary = run(
        &mut c,
        vec![json!(u.as_str()), json!(new.to_str().unwrap())],
    )
    .await
    .unwrap()
    .unwrap();
    let summary = summary.as_str().unwrap();
    assert!(
        summary.contains("merged: 1 added, 0 updated, 0 skipped, 0 not added, 1 dropped as ended"),
        "{summary}"
    );
    assert!(
        summary.contains("2024-11-21 Rust Oslo (Europe)"),
        "{summary}"
    );

    // The edit the server asked the client to apply is the CLI's merge.
    let reqs = c.server_requests.lock().unwrap().clone();
    let (_, params) = reqs
        .iter()
        .find(|(m, _)| m == "workspace/applyEdit")
        .expect("workspace/applyEdit sent");
    let p: ApplyWorkspaceEditParams = serde_json::from_value(params.clone()).unwrap();
    let merged = apply(ISSUE, &edits_of(&p.edit, &u), Encoding::Utf16);
    let settings = twirl_core::Config::default()
        .settings_for(u.to_file_path().ok().as_deref().and_then(|p| p.to_str()));
    let entries = twirl_core::events_merge::read_markdown("new-events.md", NEW).unwrap();
    let expected = twirl_core::events_merge::merge(
        ISSUE,
        &settings,
        u.to_file_path().ok().as_deref().and_then(|p| p.to_str()),
        &entries,
    )
    .unwrap();
    assert_eq!(merged, expected.text);
    assert!(merged.contains("### Europe\n* 2024-11-20 | Zürich, CH"));
    assert!(merged.contains("* 2024-11-21 | Oslo, NO | [Rust Oslo]"));
    assert!(!merged.contains("Stale Meetup"));

    // Bad arguments and unreadable files are errors, and nothing is edited.
    c.server_requests.lock().unwrap().clear();
    let err = run(&mut c, vec![json!(u.as_str())]).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
    let missing = dir.path().join("missing.md");
    let err = run(
        &mut c,
        vec![json!(u.as_str()), json!(missing.to_str().unwrap())],
    )
    .await
    .unwrap_err();
    assert!(err.message.contains("missing.md"), "{}", err.message);
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "### Europe\nnot an entry\n").unwrap();
    let err = run(
        &mut c,
        vec![
            json!(u.as_str()),
            json!(format!("file://{}", bad.display())),
        ],
    )
    .await
    .unwrap_err();
    assert!(
        err.message
            .ends_with("bad.md:2: neither an event entry nor a `### Region` heading"),
        "{}",
        err.message
    );
    assert!(
        c.server_requests
            .lock()
            .unwrap()
            .iter()
            .all(|(m, _)| m != "workspace/applyEdit")
    );
}
