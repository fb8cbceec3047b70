"""The real `twirl lsp` binary, driven by pytest-lsp as an editor would.

Run with ./run.sh (it builds the binary and sets TWIRL_BIN).
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[4]
TWIRL = os.environ.get("TWIRL_BIN", str(REPO / "target" / "debug" / "twirl"))
NAME = "2024-11-06-this-week-in-rust.md"

# Our own small issue: a stale event, a crab before a tracking parameter,
# the same link twice.
ISSUE = """\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust

## Updates from Rust Community

### Observations/Thoughts

* [A post from \U0001f980 Nürnberg](https://example.com/a-post?utm_source=twir)
* [The same post](https://example.com/a-post/)

## Upcoming Events

Rusty Events between 2024-11-06 - 2024-12-04 \U0001f980

### Virtual
* 2024-10-30 | Virtual (Berlin, DE) | [Rust Berlin](https://example.com/berlin)
    * [**Stale Meetup**](https://example.com/berlin/1)
* 2024-11-12 | Virtual (Hamburg, DE) | [Rust Hamburg](https://example.com/hh)
    * [**Rust Hamburg online**](https://example.com/hh/2)
"""

CLIENTS = {
    # offers no position encodings: UTF-16
    "visual-studio-code@1.65.2": "utf-16",
    # offers utf-8 first
    "neovim@0.11.0": "utf-8",
}


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[TWIRL, "lsp"]),
    params=list(CLIENTS),
)
async def client(lsp_client: LanguageClient, request):
    applied = []

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        lsp_client.registrations = params.registrations
        return None

    lsp_client.applied_edits = applied
    lsp_client.spec = request.param
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities(request.param))
    )
    lsp_client.encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


def col(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


async def open_issue(client: LanguageClient, tmp_path: pathlib.Path) -> str:
    """Opens the issue and waits for its diagnostics (kept in client.last)."""
    path = tmp_path / NAME
    path.write_text(ISSUE, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=ISSUE
            )
        )
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert published.uri == uri
    client.last = published.diagnostics
    return uri


def by_code(client: LanguageClient, uri: str, code: str) -> types.Diagnostic:
    found = [d for d in client.last if d.code == code]
    assert found, [d.code for d in client.last]
    return found[0]


async def test_encoding_is_negotiated(client: LanguageClient):
    assert client.encoding == CLIENTS[client.spec]


async def test_watchers_are_registered_when_the_client_can(client: LanguageClient):
    # VS Code's capabilities allow dynamic registration; the server asks
    # right after `initialized`.
    for _ in range(50):
        if getattr(client, "registrations", None) is not None:
            break
        await asyncio.sleep(0.05)
    regs = getattr(client, "registrations", None) or []
    if client.spec.startswith("visual-studio-code"):
        globs = [w["globPattern"] for r in regs for w in r.register_options["watchers"]]
        assert "**/twirl.toml" in globs, globs


async def test_diagnostics_on_open_in_the_negotiated_encoding(
    client: LanguageClient, tmp_path
):
    uri = await open_issue(client, tmp_path)
    stale = by_code(client, uri, "event-outside-window")
    assert stale.source == "twirl"
    assert stale.code_description.href.endswith("/rules/event_outside_window.md")
    assert stale.range.start.line == ISSUE.splitlines().index(
        next(l for l in ISSUE.splitlines() if l.startswith("* 2024-10-30"))
    )
    tracking = by_code(client, uri, "tracking-param")
    line = ISSUE.splitlines()[tracking.range.start.line]
    before = line[: line.index("utm_source")]
    assert tracking.range.start.character == col(before, client.encoding)
    dup = by_code(client, uri, "duplicate-link")
    assert dup.related_information[0].location.uri == uri


async def test_quick_fix_and_fix_all(client: LanguageClient, tmp_path):
    uri = await open_issue(client, tmp_path)
    stale = by_code(client, uri, "event-outside-window")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=stale.range,
            context=types.CodeActionContext(diagnostics=[stale]),
        )
    )
    titles = [a.title for a in actions]
    assert "Remove stale event" in titles, titles
    kinds = [a.kind for a in actions]
    assert "source.fixAll.twirl" in kinds, kinds

    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="twirl.fixAll", arguments=[uri])
    )
    assert len(client.applied_edits) == 1


async def test_formatting_symbols_and_hover(client: LanguageClient, tmp_path):
    uri = await open_issue(client, tmp_path)
    doc = types.TextDocumentIdentifier(uri=uri)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc,
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits, "the stale event and the tracking parameter go"

    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc)
    )
    names = [s.name for s in symbols]
    assert "Upcoming Events" in names, names

    line = next(i for i, l in enumerate(ISSUE.splitlines()) if l.startswith("* 2024-11-12"))
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=types.Position(line=line, character=4))
    )
    assert "Tuesday" in hover.contents.value
    assert "Inside the events window" in hover.contents.value


async def test_unknown_document_is_an_error_and_close_clears(
    client: LanguageClient, tmp_path
):
    with pytest.raises(JsonRpcInvalidParams):
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri="file:///nowhere/x.md"),
                position=types.Position(line=0, character=0),
            )
        )
    uri = await open_issue(client, tmp_path)
    assert client.last
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    # The clearing comes last (a re-lint already under way may publish
    # first). Watch the diagnostics the client keeps rather than wait for
    # "the next" notification: pytest-lsp's one-shot wait could miss a
    # notification handled before the wait was set up, and hang.
    for _ in range(1000):
        if uri in client.diagnostics and len(client.diagnostics[uri]) == 0:
            break
        await asyncio.sleep(0.01)
    assert list(client.diagnostics.get(uri, [None])) == []
