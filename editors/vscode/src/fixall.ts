/**
 * Picks the `source.fixAll.twirl` code action out of a server answer and
 * extracts the text edits it makes to one document. Plain LSP JSON in, plain
 * JSON out: no `vscode` import, so it is unit-tested under node.
 */

export const FIX_ALL_KIND = 'source.fixAll.twirl';
export const FIX_ALL_COMMAND = 'twirl.fixAll';

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}
export interface LspTextEdit {
  range: LspRange;
  newText: string;
}
export interface LspWorkspaceEdit {
  changes?: Record<string, LspTextEdit[]>;
  documentChanges?: unknown[];
}
export interface LspCommand {
  title: string;
  command: string;
  arguments?: unknown[];
}
export interface LspCodeAction {
  title: string;
  kind?: string;
  edit?: LspWorkspaceEdit;
  command?: LspCommand;
  data?: unknown;
}

function isCodeAction(item: unknown): item is LspCodeAction {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { title?: unknown }).title === 'string' &&
    typeof (item as { command?: unknown }).command !== 'string'
  );
}

/** `kind` is `source.fixAll.twirl` or a sub-kind of it. */
export function isFixAllKind(kind: string | undefined): boolean {
  return kind === FIX_ALL_KIND || (kind !== undefined && kind.startsWith(FIX_ALL_KIND + '.'));
}

/** The fix-all action among a `textDocument/codeAction` answer, if any. */
export function pickFixAllAction(result: unknown): LspCodeAction | undefined {
  if (!Array.isArray(result)) return undefined;
  return result.filter(isCodeAction).find((action) => isFixAllKind(action.kind));
}

/** Are two document URIs the same file? Tolerates differences in percent-encoding. */
export function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return decodeURIComponent(a) === decodeURIComponent(b);
  } catch {
    return false;
  }
}

/** The edits a workspace edit makes to `uri`, from `changes` or `documentChanges`. */
export function editsForUri(edit: LspWorkspaceEdit | undefined, uri: string): LspTextEdit[] {
  if (!edit) return [];
  const out: LspTextEdit[] = [];
  if (Array.isArray(edit.documentChanges)) {
    for (const change of edit.documentChanges) {
      const c = change as { textDocument?: { uri?: unknown }; edits?: unknown };
      if (typeof c.textDocument?.uri === 'string' && sameUri(c.textDocument.uri, uri) && Array.isArray(c.edits)) {
        out.push(...(c.edits as LspTextEdit[]));
      }
    }
  } else if (edit.changes) {
    for (const [key, edits] of Object.entries(edit.changes)) {
      if (sameUri(key, uri)) out.push(...edits);
    }
  }
  return out;
}

/** Does the server's `executeCommandProvider` list `twirl.fixAll`? */
export function serverHasFixAllCommand(capabilities: unknown): boolean {
  const commands = (capabilities as { executeCommandProvider?: { commands?: unknown } } | undefined)
    ?.executeCommandProvider?.commands;
  return Array.isArray(commands) && commands.includes(FIX_ALL_COMMAND);
}

/**
 * Does the server answer `textDocument/willSaveWaitUntil`? Then it applies
 * `fixAllOnSave` itself (vscode-languageclient forwards will-save to it), and
 * the client must not apply the same fixes a second time.
 */
export function serverFixesOnWillSave(capabilities: unknown): boolean {
  const sync = (capabilities as { textDocumentSync?: unknown } | undefined)?.textDocumentSync;
  return typeof sync === 'object' && sync !== null && (sync as { willSaveWaitUntil?: unknown }).willSaveWaitUntil === true;
}
