/**
 * The "twirl" view in the Explorer: the server's outline of the active issue
 * (its metadata fields, its sections, the events under their regions).
 *
 * It is a view of its own because VS Code's Outline, breadcrumbs and Go to
 * Symbol already list the headings from the built-in Markdown support; a
 * second provider there would list every heading twice.
 */
import * as vscode from 'vscode';

export const VIEW_ID = 'twirl.outline';
/** Context key: the active editor holds an issue file (the view's `when`). */
const CONTEXT_KEY = 'twirl.issueActive';
const REFRESH_DELAY_MS = 300;

const ICONS: Partial<Record<vscode.SymbolKind, string>> = {
  [vscode.SymbolKind.File]: 'symbol-file',
  [vscode.SymbolKind.Property]: 'symbol-property',
  [vscode.SymbolKind.Module]: 'symbol-module',
  [vscode.SymbolKind.Namespace]: 'symbol-namespace',
  [vscode.SymbolKind.String]: 'symbol-string',
  [vscode.SymbolKind.Event]: 'symbol-event',
};

function holdsEvents(symbol: vscode.DocumentSymbol): boolean {
  return symbol.children.some((c) => c.kind === vscode.SymbolKind.Event || holdsEvents(c));
}

export class IssueOutline implements vscode.TreeDataProvider<vscode.DocumentSymbol>, vscode.Disposable {
  private symbols: vscode.DocumentSymbol[] = [];
  private uri: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly isIssue: (doc: vscode.TextDocument) => boolean,
    private readonly fetch: (doc: vscode.TextDocument) => Promise<vscode.DocumentSymbol[]>,
  ) {}

  /** Shows the outline of the active editor's issue, or nothing. */
  async refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const issue = doc !== undefined && this.isIssue(doc) ? doc : undefined;
    await vscode.commands.executeCommand('setContext', CONTEXT_KEY, issue !== undefined);
    let symbols: vscode.DocumentSymbol[] = [];
    if (issue) {
      try {
        symbols = await this.fetch(issue);
      } catch {
        // The server is restarting or the document changed meanwhile: the
        // next refresh shows the new outline.
        return;
      }
    }
    this.uri = issue?.uri;
    this.symbols = symbols;
    this.changed.fire();
  }

  /** Refreshes after typing pauses, when `doc` is the one shown. */
  refreshSoon(doc: vscode.TextDocument): void {
    if (doc !== vscode.window.activeTextEditor?.document) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  getChildren(symbol?: vscode.DocumentSymbol): vscode.DocumentSymbol[] {
    return symbol ? symbol.children : this.symbols;
  }

  getTreeItem(symbol: vscode.DocumentSymbol): vscode.TreeItem {
    // Open: the metadata and the way down to the events; the other sections start closed.
    const state =
      symbol.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : symbol.kind === vscode.SymbolKind.File || holdsEvents(symbol)
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(symbol.name, state);
    item.description = symbol.detail;
    item.iconPath = new vscode.ThemeIcon(ICONS[symbol.kind] ?? 'symbol-misc');
    if (this.uri) {
      const options: vscode.TextDocumentShowOptions = { selection: symbol.selectionRange };
      item.command = { title: 'Go to', command: 'vscode.open', arguments: [this.uri, options] };
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
