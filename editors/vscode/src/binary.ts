/**
 * Finds the `twirl` binary: `twirl.path` when set, else the binary bundled in
 * a platform-specific package, else `twirl` on `PATH`. When none exists the
 * result carries a message that says what to do.
 *
 * Pure apart from the injectable file checks, and without a `vscode` import.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const INSTALL_HINT =
  'Install the twirl extension package built for your platform (it bundles the binary), ' +
  'or build twirl from a checkout with `cargo install --path crates/twirl-cli` ' +
  '(it lands in ~/.cargo/bin, which must be on PATH), or set `twirl.path` to the binary.';

export interface ResolveInput {
  /** The `twirl.path` setting, possibly empty. */
  configuredPath: string | undefined;
  /** `process.env.PATH` (or `Path` on Windows). */
  envPath: string | undefined;
  /** `process.platform`. */
  platform: NodeJS.Platform;
  /** `process.env.PATHEXT` on Windows. */
  pathExt?: string;
  /** Where a platform-specific package keeps its binary (`bin/twirl` in the extension). */
  bundledPath?: string;
  /** Folder used for `${workspaceFolder}` and for a relative `twirl.path`. */
  workspaceFolder?: string;
  homeDir?: string;
  /** Is there an executable file at this path? */
  isExecutable?: (file: string) => boolean;
}

export type ResolveResult =
  | { ok: true; path: string; source: BinarySource }
  | { ok: false; message: string };

export type BinarySource = 'setting' | 'bundled' | 'PATH';

/** How the output channel names where a binary came from. */
export const SOURCE_LABEL: Record<BinarySource, string> = {
  setting: 'twirl.path',
  bundled: 'bundled with the extension',
  PATH: 'found on PATH',
};

export function isExecutableFile(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands `~` and `${workspaceFolder}`, and anchors a relative path at the workspace folder. */
export function expandConfiguredPath(
  configured: string,
  opts: { workspaceFolder?: string; homeDir?: string; platform?: NodeJS.Platform },
): string {
  const p = opts.platform === 'win32' ? path.win32 : path.posix;
  let out = configured.trim();
  const home = opts.homeDir ?? os.homedir();
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) out = home + out.slice(1);
  if (opts.workspaceFolder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, opts.workspaceFolder);
    // A bare name like `twirl` stays a name to look up on PATH.
    if (!p.isAbsolute(out) && /[\\/]/.test(out)) out = p.join(opts.workspaceFolder, out);
  }
  return out;
}

/** The first executable `name` on `envPath`. */
export function findOnPath(
  name: string,
  envPath: string | undefined,
  platform: NodeJS.Platform,
  isExecutable: (file: string) => boolean,
  pathExt?: string,
): string | undefined {
  if (!envPath) return undefined;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const sep = platform === 'win32' ? ';' : ':';
  const exts =
    platform === 'win32'
      ? ['', ...(pathExt ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((e) => e.toLowerCase())]
      : [''];
  for (const dir of envPath.split(sep)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = p.join(dir.replace(/^"(.*)"$/, '$1'), name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function resolveServerPath(input: ResolveInput): ResolveResult {
  const isExecutable = input.isExecutable ?? isExecutableFile;
  const configured = (input.configuredPath ?? '').trim();
  if (configured !== '') {
    const expanded = expandConfiguredPath(configured, input);
    if (/[\\/]/.test(expanded)) {
      if (isExecutable(expanded)) return { ok: true, path: expanded, source: 'setting' };
      return {
        ok: false,
        message:
          `twirl: \`twirl.path\` is set to "${configured}", but there is no executable file at ` +
          `${expanded}. Fix the setting, or clear it to use \`twirl\` from PATH. ${INSTALL_HINT}`,
      };
    }
    // A bare command name: look it up on PATH like a shell would.
    const found = findOnPath(expanded, input.envPath, input.platform, isExecutable, input.pathExt);
    if (found) return { ok: true, path: found, source: 'setting' };
    return {
      ok: false,
      message: `twirl: \`twirl.path\` is "${configured}", which is not on PATH. ${INSTALL_HINT}`,
    };
  }
  if (input.bundledPath !== undefined && isExecutable(input.bundledPath)) {
    return { ok: true, path: input.bundledPath, source: 'bundled' };
  }
  const found = findOnPath('twirl', input.envPath, input.platform, isExecutable, input.pathExt);
  if (found) return { ok: true, path: found, source: 'PATH' };
  return {
    ok: false,
    message:
      'twirl: no `twirl` binary: `twirl.path` is not set, this package of the extension bundles none, ' +
      `and there is none on PATH. ${INSTALL_HINT}`,
  };
}
