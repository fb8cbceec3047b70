//! The server driven in-process through its `LspService`.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tower_lsp::jsonrpc::ErrorCode;
use tower_lsp::lsp_types::notification as n;
use tower_lsp::lsp_types::request as r;
use tower_lsp::lsp_types::*;
use twirl_core::{Applicability, Encoding, Settings};

const NAME: &str = "2024-11-06-this-week-in-rust.md";

fn codes(p: &PublishDiagnosticsParams) -> Vec<String> {
    p.diagnostics.iter().map(code_of).collect()
}

fn find<'a>(p: &'a PublishDiagnosticsParams, code: &str) -> &'a Diagnostic {
    p.diagnostics
        .iter()
        .find(|d| code_of(d) == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(p)))
}

async fn opened(utf8: bool) -> (TestClient, Url, PublishDiagnosticsParams) {
    let mut c = TestClient::new();
    c.initialize(utf8).await;
    let u = uri(NAME);
    c.open(&u, ISSUE, 1).await;
    let d = c.diagnostics(&u, Some(1)).await;
    (c, u, d)
}

fn tdid(u: &Url) -> TextDocumentIdentifier {
    TextDocumentIdentifier::new(u.clone())
}

fn code_action_params(
    u: &Url,
    range: Range,
    diags: Vec<Diagnostic>,
    only: Option<Vec<CodeActionKind>>,
) -> CodeActionParams {
    CodeActionParams {
        text_document: tdid(u),
        range,
        context: CodeActionContext {
            diagnostics: diags,
            only,
            trigger_kind: None,
        },
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    }
}

fn actions(resp: Option<CodeActionResponse>) -> Vec<CodeAction> {
    resp.unwrap_or_default()
        .into_iter()
        .filter_map(|a| match a {
            CodeActionOrCommand::CodeAction(a) => Some(a),
            CodeActionOrCommand::Command(_) => None,
        })
        .collect()
}

/// The settings the server uses for the test document.
fn settings() -> Settings {
    let path = uri(NAME).to_file_path().unwrap();
    twirl_workspace::config_for(&path, None)
        .unwrap()
        .settings_for(&path)
}

fn path_str() -> String {
    uri(NAME)
        .to_file_path()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_negotiates_the_position_encoding() {
    let mut c = TestClient::new();
    let r = c.initialize(true).await;
    assert_eq!(
        r.capabilities.position_encoding,
        Some(PositionEncodingKind::UTF8)
    );
    assert_eq!(r.server_info.unwrap().name, "twirl");

    let mut c = TestClient::new();
    let r = c.initialize(false).await;
    assert_eq!(
        r.capabilities.position_encoding,
        Some(PositionEncodingKind::UTF16)
    );

    // A client that says nothing about encodings gets UTF-16.
    let mut c = TestClient::new();
    let v = c
        .raw_request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        )
        .await
        .unwrap();
    assert_eq!(v["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        v["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental"
    );
    assert_eq!(
        v["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.twirl"])
    );
    assert_eq!(
        v["capabilities"]["executeCommandProvider"]["commands"],
        json!(["twirl.fixAll", "twirl.mergeEvents"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_open_publishes_diagnostics_with_code_docs_and_fix() {
    let (_c, u, d) = opened(false).await;
    assert_eq!(d.version, Some(1));
    let stale = find(&d, "event-outside-window");
    assert_eq!(stale.source.as_deref(), Some("twirl"));
    assert_eq!(stale.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(
        stale.code_description.as_ref().unwrap().href.as_str(),
        "https://github.com/twirl-dev/twirl/blob/main/crates/twirl-core/src/rules/event_outside_window.md"
    );
    let line = ISSUE
        .lines()
        .position(|l| l.starts_with("* 2024-10-30"))
        .unwrap() as u32;
    assert_eq!(stale.range.start, Position::new(line, 2));
    let data = stale.data.as_ref().expect("the fix rides in data");
    assert_eq!(data["version"], 1);
    assert_eq!(data["applicability"], "safe");
    assert!(data["edits"].as_array().is_some_and(|e| !e.is_empty()));

    // duplicate links point at the other copy, in the same document
    let dup = find(&d, "duplicate-link");
    let rel = dup
        .related_information
        .as_ref()
        .expect("related information");
    assert_eq!(rel[0].location.uri, u);
    let first_line = ISSUE
        .lines()
        .position(|l| l.contains("a-post?utm"))
        .unwrap() as u32;
    assert_eq!(rel[0].location.range.start.line, first_line);
    for code in ["tracking-param", "link-scheme"] {
        find(&d, code);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inserting_a_line_above_moves_diagnostics_down() {
    let (mut c, u, before) = opened(false).await;
    c.change(
        &u,
        2,
        Some(Range::new(Position::new(5, 0), Position::new(5, 0))),
        "Some new paragraph.\n\n",
    )
    .await;
    let after = c.diagnostics(&u, Some(2)).await;
    let stale_before = find(&before, "event-outside-window").range;
    let stale_after = find(&after, "event-outside-window").range;
    assert_eq!(stale_after.start.line, stale_before.start.line + 2);
    assert_eq!(stale_after.start.character, stale_before.start.character);
    assert_eq!(before.diagnostics.len(), after.diagnostics.len());

    // deleting them again brings everything back
    c.change(
        &u,
        3,
        Some(Range::new(Position::new(5, 0), Position::new(7, 0))),
        "",
    )
    .await;
    let back = c.diagnostics(&u, Some(3)).await;
    let ranges =
        |p: &PublishDiagnosticsParams| p.diagnostics.iter().map(|d| d.range).collect::<Vec<_>>();
    assert_eq!(ranges(&back), ranges(&before));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_and_utf16_columns_differ_after_a_crab() {
    let (_c8, _, d8) = opened(true).await;
    let (_c16, _, d16) = opened(false).await;
    let r8 = find(&d8, "tracking-param").range;
    let r16 = find(&d16, "tracking-param").range;
    assert_eq!(r8.start.line, r16.start.line);
    // 🦀 is 4 bytes and 2 UTF-16 units, ü 2 bytes and 1 unit
    assert_eq!(r8.start.character, r16.start.character + 3);
    let off = ISSUE.find("utm_source").unwrap();
    assert_eq!(r8.start, pos(ISSUE, off, Encoding::Utf8));
    assert_eq!(r16.start, pos(ISSUE, off, Encoding::Utf16));
    // the fix edits use the same encoding
    let e8 = &find(&d8, "tracking-param").data.as_ref().unwrap()["edits"][0]["range"]["start"];
    let e16 = &find(&d16, "tracking-param").data.as_ref().unwrap()["edits"][0]["range"]["start"];
    assert_eq!(
        e8["character"].as_u64().unwrap(),
        e16["character"].as_u64().unwrap() + 3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_edits_in_utf16_land_after_the_crab() {
    let (mut c, u, _) = opened(false).await;
    // Replace "Nürnberg" (after the crab) by "Berlin": UTF-16 columns.
    let text = ISSUE;
    let start = text.find("Nürnberg](").unwrap();
    let end = start + "Nürnberg".len();
    let range = Range::new(
        pos(text, start, Encoding::Utf16),
        pos(text, end, Encoding::Utf16),
    );
    c.change(&u, 2, Some(range), "Berlin").await;
    let d = c.diagnostics(&u, Some(2)).await;
    let new_text = text.replacen("Nürnberg](", "Berlin](", 1);
    let off = new_text.find("utm_source").unwrap();
    assert_eq!(
        find(&d, "tracking-param").range.start,
        pos(&new_text, off, Encoding::Utf16)
    );
    // the server's text is what we think it is: formatting a no-op check
    let edits = c
        .request::<r::Formatting>(DocumentFormattingParams {
            text_document: tdid(&u),
            options: FormattingOptions::default(),
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap()
        .unwrap();
    let formatted =
        twirl_core::format::format(&new_text, &settings(), Some(&path_str()), None, false)
            .unwrap()
            .text;
    assert_eq!(apply(&new_text, &edits, Encoding::Utf16), formatted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapid_changes_publish_only_the_latest_version() {
    let mut c = TestClient::with_options(twirl_lsp::Options {
        debounce: Duration::from_millis(300),
    });
    c.initialize(false).await;
    let u = uri(NAME);
    c.open(&u, ISSUE, 1).await;
    c.diagnostics(&u, Some(1)).await;
    let mut text = ISSUE.to_string();
    for v in 2..=5 {
        c.change(
            &u,
            v,
            Some(Range::new(Position::new(5, 0), Position::new(5, 0))),
            "x",
        )
        .await;
        text.insert(text.find("## Updates").unwrap(), 'x');
    }
    let mut seen = Vec::new();
    loop {
        let v = c.next_notification("textDocument/publishDiagnostics").await;
        let p: PublishDiagnosticsParams = serde_json::from_value(v).unwrap();
        if p.version > Some(1) {
            seen.push(p.version);
        }
        if p.version == Some(5) {
            break;
        }
    }
    assert_eq!(seen, vec![Some(5)], "stale versions were published");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fix_from_data_removes_the_stale_event() {
    let (mut c, u, d) = opened(false).await;
    let stale = find(&d, "event-outside-window").clone();
    let resp = c
        .request::<r::CodeActionRequest>(code_action_params(
            &u,
            stale.range,
            vec![stale.clone()],
            Some(vec![CodeActionKind::QUICKFIX]),
        ))
        .await
        .unwrap();
    let acts = actions(resp);
    assert_eq!(acts.len(), 1, "{acts:?}");
    let a = &acts[0];
    assert_eq!(a.title, "Remove stale event");
    assert_eq!(a.kind, Some(CodeActionKind::QUICKFIX));
    assert_eq!(a.is_preferred, Some(true));
    let edit = a.edit.as_ref().unwrap();
    // versioned, so a client drops it if the text moved on
    let Some(DocumentChanges::Edits(docs)) = &edit.document_changes else {
        panic!("expected document changes");
    };
    assert_eq!(docs[0].text_document.version, Some(1));
    let fixed = apply(ISSUE, &edits_of(edit, &u), Encoding::Utf16);
    assert!(!fixed.contains("2024-10-30"));
    assert!(fixed.contains("2024-11-12"));

    // apply it as an editor would, and the finding is gone
    c.change(&u, 2, None, &fixed).await;
    let after = c.diagnostics(&u, Some(2)).await;
    assert!(!codes(&after).contains(&"event-outside-window".to_string()));

    // the old diagnostic's fix is for version 1: not offered any more
    let resp = c
        .request::<r::CodeActionRequest>(code_action_params(
            &u,
            Range::default(),
            vec![stale],
            Some(vec![CodeActionKind::QUICKFIX]),
        ))
        .await
        .unwrap();
    assert!(actions(resp).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_fixes_say_so_and_display_only_ones_are_not_edits() {
    let (mut c, u, d) = opened(false).await;
    let scheme = find(&d, "link-scheme").clone();
    assert_eq!(scheme.data.as_ref().unwrap()["applicability"], "unsafe");
    let mut display_only = scheme.clone();
    display_only.data.as_mut().unwrap()["applicability"] = json!("display-only");
    let acts = actions(
        c.request::<r::CodeActionRequest>(code_action_params(
            &u,
            scheme.range,
            vec![scheme.clone(), display_only],
            Some(vec![CodeActionKind::QUICKFIX]),
        ))
        .await
        .unwrap(),
    );
    assert_eq!(acts.len(), 2, "{acts:?}");
    assert!(acts[0].title.ends_with("(unsafe)"), "{}", acts[0].title);
    assert_eq!(acts[0].is_preferred, Some(false));
    assert!(acts[0].edit.is_some());
    let fixed = apply(
        ISSUE,
        &edits_of(acts[0].edit.as_ref().unwrap(), &u),
        Encoding::Utf16,
    );
    assert!(
        fixed.contains("](https://www.example.com/crab-news)"),
        "{fixed}"
    );
    assert!(
        acts[1].edit.is_none(),
        "a display-only fix is never an edit"
    );
    assert!(acts[1].disabled.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_action_and_command_apply_every_safe_fix() {
    let (mut c, u, _) = opened(false).await;
    let expected = twirl_core::fix::fix_all(
        ISSUE,
        &settings(),
        Some(&path_str()),
        None,
        Applicability::Safe,
    )
    .unwrap()
    .text;
    assert_ne!(expected, ISSUE);

    let acts = actions(
        c.request::<r::CodeActionRequest>(code_action_params(
            &u,
            Range::default(),
            vec![],
            Some(vec![CodeActionKind::SOURCE_FIX_ALL]),
        ))
        .await
        .unwrap(),
    );
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert_eq!(
        acts[0].kind.as_ref().unwrap().as_str(),
        "source.fixAll.twirl"
    );
    let fixed = apply(
        ISSUE,
        &edits_of(acts[0].edit.as_ref().unwrap(), &u),
        Encoding::Utf16,
    );
    assert_eq!(fixed, expected);

    // a quick-fix-only request does not compute fix-all
    let acts = actions(
        c.request::<r::CodeActionRequest>(code_action_params(
            &u,
            Range::default(),
            vec![],
            Some(vec![CodeActionKind::QUICKFIX]),
        ))
        .await
        .unwrap(),
    );
    assert!(acts.is_empty());

    // the command asks the client to apply the same edit
    let r = c
        .request::<r::ExecuteCommand>(ExecuteCommandParams {
            command: "twirl.fixAll".into(),
            arguments: vec![json!(u.as_str())],
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(r, None);
    let reqs = c.server_requests.lock().unwrap().clone();
    let (_, params) = reqs
        .iter()
        .find(|(m, _)| m == "workspace/applyEdit")
        .expect("workspace/applyEdit sent");
    let p: ApplyWorkspaceEditParams = serde_json::from_value(params.clone()).unwrap();
    assert_eq!(
        apply(ISSUE, &edits_of(&p.edit, &u), Encoding::Utf16),
        expected
    );

    let err = c
        .request::<r::ExecuteCommand>(ExecuteCommandParams {
            command: "twirl.fixAll".into(),
            arguments: vec![],
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formatting_equals_fmt_and_range_formatting_stays_in_its_range() {
    let (mut c, u, _) = opened(true).await;
    let expected = twirl_core::format::format(ISSUE, &settings(), Some(&path_str()), None, false)
        .unwrap()
        .text;
    let edits = c
        .request::<r::Formatting>(DocumentFormattingParams {
            text_document: tdid(&u),
            options: FormattingOptions::default(),
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(apply(ISSUE, &edits, Encoding::Utf8), expected);
    assert!(edits.len() > 1, "small edits, not one rewrite: {edits:?}");

    // only the events: the stale event goes, the tracking parameter stays
    let start = ISSUE.find("## Upcoming Events").unwrap();
    let range = Range::new(
        pos(ISSUE, start, Encoding::Utf8),
        pos(ISSUE, ISSUE.len(), Encoding::Utf8),
    );
    let edits = c
        .request::<r::RangeFormatting>(DocumentRangeFormattingParams {
            text_document: tdid(&u),
            range,
            options: FormattingOptions::default(),
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap()
        .unwrap();
    let out = apply(ISSUE, &edits, Encoding::Utf8);
    assert!(!out.contains("2024-10-30"));
    assert!(out.contains("utm_source"));
    assert_eq!(out[..start], ISSUE[..start]);

    // only the community section: the other way round
    let end = ISSUE.find("## Upcoming Events").unwrap();
    let range = Range::new(Position::new(5, 0), pos(ISSUE, end, Encoding::Utf8));
    let edits = c
        .request::<r::RangeFormatting>(DocumentRangeFormattingParams {
            text_document: tdid(&u),
            range,
            options: FormattingOptions::default(),
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap()
        .unwrap();
    let out = apply(ISSUE, &edits, Encoding::Utf8);
    assert!(out.contains("2024-10-30"));
    assert!(!out.contains("utm_source"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_symbols_show_sections_regions_and_events() {
    let (mut c, u, _) = opened(false).await;
    let resp = c
        .request::<r::DocumentSymbolRequest>(DocumentSymbolParams {
            text_document: tdid(&u),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .await
        .unwrap()
        .unwrap();
    let DocumentSymbolResponse::Nested(top) = resp else {
        panic!("expected nested symbols");
    };
    let names: Vec<&str> = top.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "This Week in Rust 572",
            "Updates from Rust Community",
            "Upcoming Events"
        ]
    );
    let community = &top[1];
    let subs: Vec<&str> = community
        .children
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(subs, ["Official", "Observations/Thoughts"]);
    let events = &top[2];
    assert_eq!(
        events.detail.as_deref(),
        Some("Rusty Events between 2024-11-06 - 2024-12-04 🦀")
    );
    let regions = events.children.as_ref().unwrap();
    assert_eq!(
        regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Virtual", "Europe"]
    );
    assert_eq!(regions[0].detail.as_deref(), Some("2 events"));
    let ev = &regions[0].children.as_ref().unwrap()[0];
    assert_eq!(ev.name, "2024-10-30 · Virtual (Berlin, DE)");
    assert_eq!(ev.detail.as_deref(), Some("Rust Berlin"));
    assert_eq!(ev.kind, SymbolKind::EVENT);
    let line = ISSUE
        .lines()
        .position(|l| l.starts_with("* 2024-10-30"))
        .unwrap() as u32;
    assert_eq!(ev.selection_range.start, Position::new(line, 0));
    assert_eq!(
        ev.range.end,
        Position::new(line + 2, 0),
        "the nested title line belongs to it"
    );
    let zh = &regions[1].children.as_ref().unwrap()[0];
    assert_eq!(zh.name, "2024-11-20 · Zürich, CH");
}

async fn hover_at(
    c: &mut TestClient,
    u: &Url,
    p: Position,
) -> tower_lsp::jsonrpc::Result<Option<Hover>> {
    c.request::<r::HoverRequest>(HoverParams {
        text_document_position_params: TextDocumentPositionParams::new(tdid(u), p),
        work_done_progress_params: Default::default(),
    })
    .await
}

fn markdown(h: Hover) -> String {
    match h.contents {
        HoverContents::Markup(m) => m.value,
        other => panic!("unexpected hover {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_dates_and_links() {
    let (mut c, u, _) = opened(false).await;
    let at =
        |needle: &str, plus: usize| pos(ISSUE, ISSUE.find(needle).unwrap() + plus, Encoding::Utf16);

    let h = hover_at(&mut c, &u, at("* 2024-10-30", 5))
        .await
        .unwrap()
        .unwrap();
    let text = markdown(h.clone());
    assert!(text.contains("Wednesday"), "{text}");
    assert!(text.contains("7 days before the issue date"), "{text}");
    assert!(text.contains("Outside the events window"), "{text}");
    assert!(
        text.contains("event-outside-window"),
        "the finding's rule: {text}"
    );
    assert_eq!(h.range.unwrap().start, at("* 2024-10-30", 2));

    let text = markdown(
        hover_at(&mut c, &u, at("* 2024-11-12", 3))
            .await
            .unwrap()
            .unwrap(),
    );
    assert!(text.contains("Tuesday"), "{text}");
    assert!(text.contains("6 days after the issue date"), "{text}");
    assert!(
        text.contains("Inside the events window (2024-11-06 to 2024-12-04)"),
        "{text}"
    );

    let text = markdown(
        hover_at(&mut c, &u, at("[The same post]", 3))
            .await
            .unwrap()
            .unwrap(),
    );
    assert!(text.contains("Normalised: `example.com/a-post`"), "{text}");
    let other_line = ISSUE
        .lines()
        .position(|l| l.contains("a-post?utm"))
        .unwrap()
        + 1;
    assert!(text.contains(&format!("line {other_line}")), "{text}");

    // nothing to say on plain text
    assert!(
        hover_at(&mut c, &u, Position::new(0, 0))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_a_rendering_finding_says_what_each_renderer_shows() {
    let mut c = TestClient::new();
    c.initialize(false).await;
    let u = uri(NAME);
    let text = format!("{ISSUE}\n## Jobs\n\n* [Rust jobs]((https://example.com/jobs)\n");
    c.open(&u, &text, 1).await;
    let d = c.diagnostics(&u, Some(1)).await;
    assert!(
        codes(&d).iter().any(|c| c == "doubled-bracket"),
        "{:?}",
        codes(&d)
    );
    let at = pos(&text, text.find("((https").unwrap(), Encoding::Utf16);
    let h = markdown(hover_at(&mut c, &u, at).await.unwrap().unwrap());
    assert!(h.contains("doubled-bracket"), "{h}");
    assert!(
        h.contains("On the site (what readers get): the brackets and the URL as text"),
        "{h}"
    );
    assert!(h.contains("In the preview (CommonMark"), "{h}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_documents_and_positions_are_invalid_params() {
    let (mut c, u, _) = opened(false).await;
    let ghost = uri("2024-01-03-this-week-in-rust.md");
    let err = hover_at(&mut c, &ghost, Position::new(0, 0))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
    let err = c
        .request::<r::Formatting>(DocumentFormattingParams {
            text_document: tdid(&ghost),
            options: FormattingOptions::default(),
            work_done_progress_params: Default::default(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
    let err = c
        .request::<r::DocumentSymbolRequest>(DocumentSymbolParams {
            text_document: tdid(&ghost),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
    let err = c
        .request::<r::CodeActionRequest>(code_action_params(&ghost, Range::default(), vec![], None))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);

    for p in [Position::new(9999, 0), Position::new(0, 9999)] {
        let err = hover_at(&mut c, &u, p).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidParams);
    }
    // inside the crab's surrogate pair
    let crab = ISSUE.find('🦀').unwrap();
    let mut p = pos(ISSUE, crab, Encoding::Utf16);
    p.character += 1;
    assert_eq!(
        hover_at(&mut c, &u, p).await.unwrap_err().code,
        ErrorCode::InvalidParams
    );

    // a change far outside the text is clamped, not a crash
    c.change(
        &u,
        2,
        Some(Range::new(Position::new(9999, 3), Position::new(9999, 9))),
        "\n",
    )
    .await;
    let d = c.diagnostics(&u, Some(2)).await;
    assert!(!d.diagnostics.is_empty());
    // and the server still answers
    assert!(hover_at(&mut c, &u, Position::new(0, 0)).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_close_clears_diagnostics() {
    let (mut c, u, d) = opened(false).await;
    assert!(!d.diagnostics.is_empty());
    c.notify::<n::DidCloseTextDocument>(DidCloseTextDocumentParams {
        text_document: tdid(&u),
    })
    .await;
    // a re-lint under way may publish first; the clearing comes last
    c.diagnostics_until(&u, |d| d.diagnostics.is_empty()).await;
    let err = hover_at(&mut c, &u, Position::new(0, 0)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
}

/// Closing a document frees what the server held for it: its text, line
/// index and last lint (findings, fixes, published diagnostics).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_close_frees_the_document_state() {
    let (mut c, u, d) = opened(false).await;
    assert!(!d.diagnostics.is_empty());
    let held = c.backend().held_for(&u);
    assert_eq!(held.len(), 3, "text, line index and last lint");
    assert!(held.iter().all(|w| w.upgrade().is_some()));
    c.notify::<n::DidCloseTextDocument>(DidCloseTextDocumentParams {
        text_document: tdid(&u),
    })
    .await;
    c.diagnostics_until(&u, |d| d.diagnostics.is_empty()).await;
    assert!(c.backend().held_for(&u).is_empty());
    // A lint still under way holds a snapshot until it finishes.
    let start = std::time::Instant::now();
    while held.iter().any(|w| w.upgrade().is_some()) {
        assert!(start.elapsed() < TIMEOUT, "state held after didClose");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_settings_select_and_ignore_rules() {
    // as initializationOptions, without the wrapper
    let mut c = TestClient::new();
    c.initialize_with(
        false,
        json!({ "initializationOptions": { "rules": { "select": ["event-outside-window"] } } }),
    )
    .await;
    let u = uri(NAME);
    c.open(&u, ISSUE, 1).await;
    let d = c.diagnostics(&u, Some(1)).await;
    assert_eq!(codes(&d), ["event-outside-window"]);

    // didChangeConfiguration, with it: re-lints open documents
    c.notify::<n::DidChangeConfiguration>(DidChangeConfigurationParams {
        settings: json!({ "twirl": { "rules": { "ignore": ["tracking-param"] }, "fixAllOnSave": true } }),
    })
    .await;
    let d = c.diagnostics_until(&u, |d| codes(d).len() > 1).await;
    let got = codes(&d);
    assert!(got.contains(&"event-outside-window".to_string()), "{got:?}");
    assert!(got.contains(&"duplicate-link".to_string()), "{got:?}");
    assert!(!got.contains(&"tracking-param".to_string()), "{got:?}");

    // fixAllOnSave: willSaveWaitUntil answers with the Safe fixes
    let edits = c
        .request::<r::WillSaveWaitUntil>(WillSaveTextDocumentParams {
            text_document: tdid(&u),
            reason: TextDocumentSaveReason::MANUAL,
        })
        .await
        .unwrap()
        .expect("edits on save");
    let saved = apply(ISSUE, &edits, Encoding::Utf16);
    assert!(!saved.contains("2024-10-30"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twirl_toml_is_found_watched_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(NAME);
    std::fs::write(&file, ISSUE).unwrap();
    let u = Url::from_file_path(&file).unwrap();
    let toml = dir.path().join("twirl.toml");
    std::fs::write(&toml, "[rules]\nignore = [\"duplicate-link\"]\n").unwrap();

    let mut c = TestClient::new();
    c.initialize(false).await;
    c.open(&u, ISSUE, 1).await;
    let d = c.diagnostics(&u, Some(1)).await;
    assert!(!codes(&d).contains(&"duplicate-link".to_string()));
    assert!(codes(&d).contains(&"event-outside-window".to_string()));

    // the watchers were registered dynamically
    let reqs = c.server_requests.lock().unwrap().clone();
    let (_, reg) = reqs
        .iter()
        .find(|(m, _)| m == "client/registerCapability")
        .expect("watchers registered");
    let globs: Vec<&str> = reg["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert!(globs.contains(&"**/twirl.toml"));
    assert!(globs.contains(&"**/*-this-week-in-rust.md"));

    std::fs::write(&toml, "[rules]\nignore = [\"event-outside-window\"]\n").unwrap();
    c.notify::<n::DidChangeWatchedFiles>(DidChangeWatchedFilesParams {
        changes: vec![FileEvent::new(
            Url::from_file_path(&toml).unwrap(),
            FileChangeType::CHANGED,
        )],
    })
    .await;
    let has = |d: &PublishDiagnosticsParams, code: &str| codes(d).iter().any(|c| c == code);
    c.diagnostics_until(&u, |d| {
        has(d, "duplicate-link") && !has(d, "event-outside-window")
    })
    .await;

    // a broken config: told once, defaults used, no crash
    std::fs::write(&toml, "bogus = 1\n").unwrap();
    c.notify::<n::DidChangeWatchedFiles>(DidChangeWatchedFilesParams {
        changes: vec![FileEvent::new(
            Url::from_file_path(&toml).unwrap(),
            FileChangeType::CHANGED,
        )],
    })
    .await;
    let shown = c.next_notification("window/showMessage").await;
    assert!(
        shown["message"].as_str().unwrap().contains("bogus"),
        "{shown}"
    );
    c.diagnostics_until(&u, |d| has(d, "event-outside-window"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_links_point_into_the_earlier_issue_and_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = dir.path().join("2024-10-30-this-week-in-rust.md");
    let earlier_text = "Title: This Week in Rust 571\nNumber: 571\nDate: 2024-10-30\n\n\
                        ## Updates from Rust Community\n\n### Official\n\n\
                        * [Announcing a thing, earlier](https://blog.rust-lang.org/2024/11/01/thing.html)\n";
    std::fs::write(&earlier, earlier_text).unwrap();
    let file = dir.path().join(NAME);
    std::fs::write(&file, ISSUE).unwrap();
    let u = Url::from_file_path(&file).unwrap();

    let mut c = TestClient::new();
    c.initialize(true).await;
    c.open(&u, ISSUE, 1).await;
    // the index is read in the background: a later publish carries it
    let repeated = loop {
        let d = c.diagnostics(&u, Some(1)).await;
        if let Some(r) = d.diagnostics.iter().find(|d| code_of(d) == "repeated-link") {
            break r.clone();
        }
    };
    let rel = &repeated.related_information.as_ref().unwrap()[0];
    assert_eq!(rel.location.uri, Url::from_file_path(&earlier).unwrap());
    assert_eq!(rel.location.range.start, Position::new(8, 2));

    // the earlier issue drops the link: the index is refreshed, the finding goes
    std::fs::write(&earlier, earlier_text.replace("thing.html", "other.html")).unwrap();
    c.notify::<n::DidChangeWatchedFiles>(DidChangeWatchedFilesParams {
        changes: vec![FileEvent::new(
            Url::from_file_path(&earlier).unwrap(),
            FileChangeType::CHANGED,
        )],
    })
    .await;
    loop {
        let d = c.diagnostics(&u, Some(1)).await;
        if !codes(&d).contains(&"repeated-link".to_string()) {
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_draft_gets_diagnostics_at_valid_positions() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let path = corpus.join("drafts/seed/2024-11-06-this-week-in-rust.md");
    let text = twirl_core::decode(&std::fs::read(&path).unwrap())
        .unwrap()
        .text;
    for utf8 in [false, true] {
        let mut c = TestClient::new();
        c.initialize(utf8).await;
        let u = uri(NAME);
        c.open(&u, &text, 1).await;
        let d = c.diagnostics(&u, Some(1)).await;
        assert!(
            codes(&d).contains(&"event-outside-window".to_string()),
            "{:?}",
            codes(&d)
        );
        let enc = c.encoding();
        for diag in &d.diagnostics {
            let s = offset_of(&text, diag.range.start, enc);
            let e = offset_of(&text, diag.range.end, enc);
            assert!(s <= e);
        }
        // symbols and formatting work on real input too
        let syms = c
            .request::<r::DocumentSymbolRequest>(DocumentSymbolParams {
                text_document: tdid(&u),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            })
            .await
            .unwrap();
        assert!(syms.is_some());
        let edits = c
            .request::<r::Formatting>(DocumentFormattingParams {
                text_document: tdid(&u),
                options: FormattingOptions::default(),
                work_done_progress_params: Default::default(),
            })
            .await;
        if let Ok(Some(edits)) = edits {
            let expected =
                twirl_core::format::format(&text, &settings(), Some(&path_str()), None, false)
                    .unwrap()
                    .text;
            assert_eq!(apply(&text, &edits, enc), expected);
        }
    }
}

/// After every edit (in place, opening a fence that runs on, closing it
/// again, a link repeated from another section) the diagnostics are those
/// of the same text opened afresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_after_edits_match_the_text_opened_afresh() {
    let (mut c, u, _) = opened(false).await;
    let enc = c.encoding();
    let mut text = ISSUE.to_string();
    // A fence opened here runs on over the next section's heading.
    let virtual_event = ISSUE.find("* 2024-11-12").unwrap();
    let stale = ISSUE.find("2024-11-20").unwrap();
    let observations = ISSUE.find("* [A post").unwrap();
    let edits: [(usize, usize, &str); 5] = [
        (stale, stale + 4, "2023"),
        (virtual_event, virtual_event, "```\n"),
        (virtual_event, virtual_event + 4, ""),
        (
            observations,
            observations,
            "* [Again](https://blog.rust-lang.org/2024/11/01/thing.html)\n",
        ),
        (stale, stale + 4, "2024"),
    ];
    let view = |p: &PublishDiagnosticsParams| {
        p.diagnostics
            .iter()
            .map(|d| (d.range, code_of(d), d.message.clone()))
            .collect::<Vec<_>>()
    };
    let mut seen = Vec::new();
    for (k, (from, to, new)) in edits.into_iter().enumerate() {
        let version = k as i32 + 2;
        let range = Range::new(pos(&text, from, enc), pos(&text, to, enc));
        c.change(&u, version, Some(range), new).await;
        text.replace_range(from..to, new);
        let edited = c.diagnostics(&u, Some(version)).await;
        let fresh = Url::parse(&format!("file:///tmp/twirl-lsp-tests/fresh{k}/{NAME}")).unwrap();
        c.open(&fresh, &text, 1).await;
        let afresh = c.diagnostics(&fresh, Some(1)).await;
        assert_eq!(view(&edited), view(&afresh), "after edit {k}: {text}");
        seen.extend(codes(&edited));
    }
    for code in ["event-outside-window", "duplicate-link"] {
        assert!(seen.iter().any(|c| c == code), "no {code} in {seen:?}");
    }
}

/// A document with more findings than an editor can use: the first
/// `MAX_PUBLISHED` in document order are published, then one diagnostic
/// at the first finding left out that says how many there are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_with_too_many_findings_publishes_the_first_and_a_count() {
    let mut c = TestClient::new();
    c.initialize(false).await;
    let u = uri(NAME);
    let mut text = ISSUE.to_string();
    // One tracking parameter per line: as many findings as lines.
    let lines = twirl_lsp::MAX_PUBLISHED + 500;
    text.push_str("\n## Jobs\n\n");
    for k in 0..lines {
        text.push_str(&format!(
            "* [Job {k}](https://example.com/{k}?utm_source=x)\n"
        ));
    }
    c.open(&u, &text, 1).await;
    let d = c.diagnostics(&u, Some(1)).await;
    assert_eq!(d.diagnostics.len(), twirl_lsp::MAX_PUBLISHED + 1);
    let shown = &d.diagnostics[..twirl_lsp::MAX_PUBLISHED];
    assert!(
        shown
            .windows(2)
            .all(|w| w[0].range.start <= w[1].range.start),
        "in document order"
    );
    let last = d.diagnostics.last().unwrap();
    assert_eq!(last.severity, Some(DiagnosticSeverity::INFORMATION));
    let total = twirl_core::check(&twirl_core::CheckContext {
        text: &text,
        issue: &twirl_core::parse(&text),
        settings: &settings(),
        path: Some(&uri(NAME).to_file_path().unwrap().to_string_lossy()),
        index: None,
    })
    .len();
    assert!(total > twirl_lsp::MAX_PUBLISHED + 400, "{total}");
    assert_eq!(
        last.message,
        format!(
            "{} of {total} problems shown; `twirl check` lists them all",
            twirl_lsp::MAX_PUBLISHED
        )
    );
    assert!(last.range.start > shown.last().unwrap().range.start);
}
