/**
 * The VS Code side of twirl: starts `twirl lsp` for This Week in Rust issue
 * files and wires its code actions, formatting and settings into the editor.
 * Everything that can be decided without VS Code lives in the pure modules
 * next to this one (binary.ts, patterns.ts, settings.ts, fixall.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  CodeActionTriggerKind,
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type DocumentSymbol,
  type DynamicFeature,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import { INSTALL_HINT, SOURCE_LABEL, resolveServerPath } from './binary';
import {
  FIX_ALL_COMMAND,
  FIX_ALL_KIND,
  editsForUri,
  pickFixAllAction,
  serverFixesOnWillSave,
  serverHasFixAllCommand,
  type LspCodeAction,
  type LspTextEdit,
} from './fixall';
import { IssueOutline, VIEW_ID } from './outline';
import { documentSelectorGlobs, matchesFilePatterns, normalizePatterns } from './patterns';
import { configurationItem, suspiciousRuleNames, toServerSettings, type ServerSettings } from './settings';

const INSTALL_COMMAND = 'cargo install --path crates/twirl-cli';
/** VS Code gives will-save participants about 1.5 s in total. */
const WILL_SAVE_BUDGET_MS = 1200;

/**
 * `twirl.fixAll` is both this extension's command and a server command. The
 * stock client registers a VS Code command for every server command, which
 * would clash with ours; we send `workspace/executeCommand` ourselves instead.
 */
class TwirlLanguageClient extends LanguageClient {
  override registerFeature(feature: StaticFeature | DynamicFeature<unknown>): void {
    const method = (feature as Partial<DynamicFeature<unknown>>).registrationType?.method;
    if (method === ExecuteCommandRequest.method) return;
    super.registerFeature(feature);
  }
}

let output: vscode.OutputChannel;
/** Where a platform-specific package keeps the binary; absent from the universal package. */
let bundledPath: string;
let outline: IssueOutline;
let client: TwirlLanguageClient | undefined;
/** Serialises start/stop so that overlapping triggers don't race. */
let lifecycle: Promise<void> = Promise.resolve();
/** The last binary error shown, so that every opened file doesn't repeat it. */
let shownError: string | undefined;

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('twirl');
}

function serverSettings(): ServerSettings {
  const cfg = config();
  return toServerSettings((key) => cfg.get(key));
}

function filePatterns(): string[] {
  return normalizePatterns(config().get('filePatterns'));
}

export function isIssueDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'markdown' || doc.isUntitled) return false;
  const inFolder = vscode.workspace.getWorkspaceFolder(doc.uri) !== undefined;
  const relative = inFolder ? vscode.workspace.asRelativePath(doc.uri, false) : undefined;
  return matchesFilePatterns(filePatterns(), doc.uri.path, relative);
}

function log(message: string): void {
  output.appendLine(`[client] ${message}`);
}

async function showBinaryError(message: string): Promise<void> {
  log(message);
  if (shownError === message) return;
  shownError = message;
  const openSettings = 'Open Settings';
  const copy = 'Copy Install Command';
  const choice = await vscode.window.showErrorMessage(message, openSettings, copy);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'twirl.path');
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
  }
}

async function doStart(): Promise<void> {
  if (client) return;
  const resolved = resolveServerPath({
    configuredPath: config().get<string>('path'),
    envPath: process.env.PATH ?? process.env.Path,
    pathExt: process.env.PATHEXT,
    platform: process.platform,
    bundledPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  if (!resolved.ok) {
    await showBinaryError(resolved.message);
    return;
  }
  shownError = undefined;

  const settings = serverSettings();
  const odd = suspiciousRuleNames(settings);
  if (odd.length > 0) log(`rule names that are not kebab-case (typo?): ${odd.join(', ')}`);

  const serverOptions: ServerOptions = { command: resolved.path, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelectorGlobs(filePatterns()).map((pattern) => ({ language: 'markdown', pattern })),
    initializationOptions: settings,
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // VS Code's built-in Markdown support already lists the headings, and
      // VS Code shows every provider's symbols side by side: a second list
      // of the same headings, and a breadcrumb that follows whichever answers
      // first. twirl's outline (metadata, events by region) is in its own
      // view instead (outline.ts).
      provideDocumentSymbols: () => [],
      workspace: {
        configuration: (params) => {
          const current = serverSettings();
          return params.items.map((item) => configurationItem(current, item.section));
        },
      },
    },
  };

  log(`starting ${resolved.path} lsp (${SOURCE_LABEL[resolved.source]})`);
  const next = new TwirlLanguageClient('twirl', 'twirl', serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (err) {
    client = undefined;
    const message = `twirl: the language server failed to start (${resolved.path} lsp): ${String(err)}. ${INSTALL_HINT}`;
    log(message);
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
      if (choice) output.show(true);
    });
    return;
  }
  await pushSettings();
  void outline.refresh();
}

async function doStop(): Promise<void> {
  const current = client;
  client = undefined;
  if (!current) return;
  try {
    await current.dispose(2000);
  } catch (err) {
    log(`stopping the server: ${String(err)}`);
  }
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

function start(): Promise<void> {
  return queue(doStart);
}

function restart(): Promise<void> {
  shownError = undefined;
  return queue(async () => {
    await doStop();
    await doStart();
  });
}

function running(): TwirlLanguageClient | undefined {
  return client?.state === State.Running ? client : undefined;
}

async function pushSettings(): Promise<void> {
  const c = running();
  if (!c) return;
  await c.sendNotification(DidChangeConfigurationNotification.type, { settings: { twirl: serverSettings() } });
}

/** Starts the server when the first issue file shows up. */
function maybeStart(): void {
  if (client) return;
  if (vscode.workspace.textDocuments.some(isIssueDocument)) void start();
}

async function ensureRunning(): Promise<TwirlLanguageClient | undefined> {
  await start();
  await lifecycle;
  return running();
}

function targetDocument(arg: unknown): vscode.TextDocument | undefined {
  if (arg instanceof vscode.Uri || typeof arg === 'string') {
    const wanted = typeof arg === 'string' ? arg : arg.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === wanted);
  }
  return vscode.window.activeTextEditor?.document;
}

async function issueDocumentOrWarn(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const doc = targetDocument(arg);
  if (doc && isIssueDocument(doc)) return doc;
  void vscode.window.showWarningMessage(
    `twirl: open a This Week in Rust issue first (a Markdown file matching ${filePatterns().join(', ')}; see \`twirl.filePatterns\`).`,
  );
  return undefined;
}

/** Asks the server for its `source.fixAll.twirl` action and returns the edits it makes to `doc`. */
async function fixAllEdits(
  c: TwirlLanguageClient,
  doc: vscode.TextDocument,
  token?: vscode.CancellationToken,
): Promise<vscode.TextEdit[]> {
  const uri = c.code2ProtocolConverter.asUri(doc.uri);
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const result = await c.sendRequest(
    CodeActionRequest.type,
    {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: end.line, character: end.character } },
      context: { diagnostics: [], only: [FIX_ALL_KIND], triggerKind: CodeActionTriggerKind.Automatic },
    },
    token,
  );
  let action: LspCodeAction | undefined = pickFixAllAction(result);
  if (!action) return [];
  if (!action.edit && c.initializeResult?.capabilities.codeActionProvider instanceof Object) {
    const provider = c.initializeResult.capabilities.codeActionProvider as { resolveProvider?: boolean };
    if (provider.resolveProvider) {
      action = (await c.sendRequest(CodeActionResolveRequest.type, action as never, token)) as LspCodeAction;
    }
  }
  const edits: LspTextEdit[] = editsForUri(action.edit, uri);
  if (edits.length === 0 && action.command) {
    log(`the fix-all action only carries a command (${action.command.command}); it cannot run during save`);
  }
  return c.protocol2CodeConverter.asTextEdits(edits, token);
}

async function fixAll(arg?: unknown): Promise<void> {
  const doc = await issueDocumentOrWarn(arg);
  if (!doc) return;
  const c = await ensureRunning();
  if (!c) return;
  if (serverHasFixAllCommand(c.initializeResult?.capabilities)) {
    // The server answers with a workspace/applyEdit, which the client applies.
    await c.sendRequest(ExecuteCommandRequest.type, {
      command: FIX_ALL_COMMAND,
      arguments: [c.code2ProtocolConverter.asUri(doc.uri)],
    });
    return;
  }
  const edits = await fixAllEdits(c, doc);
  if (edits.length === 0) {
    void vscode.window.setStatusBarMessage('twirl: nothing to fix', 3000);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(doc.uri, edits);
  await vscode.workspace.applyEdit(edit);
}

/** The server command that merges event files into a draft (`twirl events merge`). */
const MERGE_EVENTS_COMMAND = 'twirl.mergeEvents';

/**
 * twirl: Merge Events from File...: asks for files of new event entries
 * (Markdown under `### Region` headings, or the Meetup collector's JSON), or
 * takes their paths as the second argument, and merges them into the issue.
 * The server edits the document (one change, undone as one) and answers with
 * the summary: its first line is shown, the whole in the twirl output.
 */
async function mergeEvents(arg?: unknown, files?: unknown): Promise<void> {
  const doc = await issueDocumentOrWarn(arg);
  if (!doc) return;
  const c = await ensureRunning();
  if (!c) return;
  let paths = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
  if (paths.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Merge Events',
      title: 'twirl: files of new events to merge into the issue',
      defaultUri: vscode.Uri.file(path.dirname(doc.uri.fsPath)),
      filters: { 'Event entries (Markdown, JSON)': ['md', 'markdown', 'json', 'txt'] },
    });
    if (!picked || picked.length === 0) return;
    paths = picked.map((u) => u.fsPath);
  }
  try {
    const summary: unknown = await c.sendRequest(ExecuteCommandRequest.type, {
      command: MERGE_EVENTS_COMMAND,
      arguments: [c.code2ProtocolConverter.asUri(doc.uri), ...paths],
    });
    if (typeof summary === 'string') {
      output.appendLine(summary.trimEnd());
      void vscode.window.showInformationMessage(summary.split('\n')[0]);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`merge events: ${message}`);
    void vscode.window.showErrorMessage(`twirl: the events were not merged: ${message}`);
  }
}

async function formatIssue(arg?: unknown): Promise<void> {
  const doc = await issueDocumentOrWarn(arg);
  if (!doc) return;
  const c = await ensureRunning();
  if (!c) return;
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 4;
  const insertSpaces = typeof editor?.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  const result = await c.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri: c.code2ProtocolConverter.asUri(doc.uri) },
    options: { tabSize, insertSpaces },
  });
  const edits = await c.protocol2CodeConverter.asTextEdits(result);
  if (!edits || edits.length === 0) {
    void vscode.window.setStatusBarMessage('twirl: already formatted', 3000);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(doc.uri, edits);
  await vscode.workspace.applyEdit(edit);
}

/** The server's outline of `doc`, for the twirl view. */
async function outlineSymbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
  const c = running();
  if (!c) return [];
  const result = await c.sendRequest(DocumentSymbolRequest.type, {
    textDocument: { uri: c.code2ProtocolConverter.asUri(doc.uri) },
  });
  // The server answers with a tree, since the client says it takes one.
  if (!result || result.length === 0 || !('selectionRange' in result[0])) return [];
  return c.protocol2CodeConverter.asDocumentSymbols(result as DocumentSymbol[]);
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        log(`fix-all on save failed: ${String(err)}`);
        resolve(fallback);
      },
    );
  });
}

function onWillSave(e: vscode.TextDocumentWillSaveEvent): void {
  if (e.reason !== vscode.TextDocumentSaveReason.Manual) return;
  if (!serverSettings().fixAllOnSave || !isIssueDocument(e.document)) return;
  const c = running();
  if (!c) return;
  // One path only: a server that handles willSaveWaitUntil fixes on save
  // itself (it has `fixAllOnSave` from us); doing it here too would apply
  // the same edits twice.
  if (serverFixesOnWillSave(c.initializeResult?.capabilities)) return;
  const source = new vscode.CancellationTokenSource();
  e.waitUntil(
    withTimeout(fixAllEdits(c, e.document, source.token), WILL_SAVE_BUDGET_MS, []).finally(() => {
      source.cancel();
      source.dispose();
    }),
  );
}

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel('twirl');
  bundledPath = context.asAbsolutePath(path.join('bin', process.platform === 'win32' ? 'twirl.exe' : 'twirl'));
  outline = new IssueOutline(isIssueDocument, outlineSymbols);
  context.subscriptions.push(
    output,
    outline,
    vscode.window.registerTreeDataProvider(VIEW_ID, outline),
    vscode.window.onDidChangeActiveTextEditor(() => void outline.refresh()),
    vscode.workspace.onDidChangeTextDocument((e) => outline.refreshSoon(e.document)),
    vscode.commands.registerCommand('twirl.fixAll', fixAll),
    vscode.commands.registerCommand('twirl.format', formatIssue),
    vscode.commands.registerCommand(MERGE_EVENTS_COMMAND, mergeEvents),
    vscode.commands.registerCommand('twirl.restart', restart),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!client && isIssueDocument(doc)) void start();
    }),
    vscode.workspace.onWillSaveTextDocument(onWillSave),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('twirl')) return;
      if (e.affectsConfiguration('twirl.path') || e.affectsConfiguration('twirl.filePatterns')) {
        if (client) void restart();
        else {
          shownError = undefined;
          maybeStart();
        }
        return;
      }
      void pushSettings();
    }),
  );
  maybeStart();
}

export async function deactivate(): Promise<void> {
  await queue(doStop);
}
