/**
 * Which files twirl looks at: `twirl.filePatterns` globs, matched like a
 * `.gitignore` line — a pattern without `/` matches the file name anywhere,
 * one with `/` matches the path relative to the workspace folder.
 *
 * Pure: no `vscode` import, so it is unit-tested under plain node.
 */

export const DEFAULT_FILE_PATTERNS: readonly string[] = [
  '*-this-week-in-rust.md',
  '*-this-week-in-rust.markdown',
];

/** Translates one glob (`*`, `?`, `**`, `[abc]`, `{a,b}`) into an anchored regex. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    switch (c) {
      case '*': {
        if (glob[i + 1] === '*') {
          // `**/` matches zero or more folders, a trailing `**` anything.
          i++;
          if (glob[i + 1] === '/') {
            i++;
            re += '(?:.*/)?';
          } else {
            re += '.*';
          }
        } else {
          re += '[^/]*';
        }
        break;
      }
      case '?':
        re += '[^/]';
        break;
      case '[': {
        const end = glob.indexOf(']', i + 2);
        if (end === -1) {
          re += '\\[';
        } else {
          let set = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
          if (set.startsWith('!')) set = '^' + set.slice(1);
          re += `[${set}]`;
          i = end;
        }
        break;
      }
      case '{':
        braceDepth++;
        re += '(?:';
        break;
      case '}':
        if (braceDepth > 0) {
          braceDepth--;
          re += ')';
        } else {
          re += '\\}';
        }
        break;
      case ',':
        re += braceDepth > 0 ? '|' : ',';
        break;
      default:
        re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  while (braceDepth-- > 0) re += ')';
  return new RegExp(`^${re}$`);
}

function toSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Keeps the non-empty string entries of a user-supplied setting. */
export function normalizePatterns(value: unknown): string[] {
  if (!Array.isArray(value)) return [...DEFAULT_FILE_PATTERNS];
  return value
    .filter((p): p is string => typeof p === 'string')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Does `filePath` match one of `patterns`? `relativePath` is the path inside
 * the workspace folder when the file is in one (used by patterns with `/`).
 */
export function matchesFilePatterns(
  patterns: readonly string[],
  filePath: string,
  relativePath?: string,
): boolean {
  const full = toSlashes(filePath);
  const base = full.slice(full.lastIndexOf('/') + 1);
  const rel = relativePath === undefined ? undefined : toSlashes(relativePath).replace(/^\.\//, '');
  return patterns.some((pattern) => {
    const p = toSlashes(pattern).replace(/^\.\//, '');
    if (!p.includes('/')) return globToRegExp(p).test(base);
    const re = globToRegExp(p.replace(/^\//, ''));
    if (rel !== undefined && re.test(rel)) return true;
    // Patterns such as `**/drafts/*.md` also make sense on the absolute path.
    return p.startsWith('**/') && re.test(full.replace(/^\//, ''));
  });
}

/**
 * The `pattern` of each document filter handed to the language client. VS Code
 * matches a filter's glob against the whole path, so a file-name pattern
 * becomes `**\/name`.
 */
export function documentSelectorGlobs(patterns: readonly string[]): string[] {
  return patterns.map((pattern) => {
    const p = toSlashes(pattern).replace(/^\.\//, '');
    if (!p.includes('/')) return `**/${p}`;
    return p.startsWith('**/') ? p : `**/${p.replace(/^\//, '')}`;
  });
}
