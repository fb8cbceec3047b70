#!/usr/bin/env node
// Packages the extension with vsce.
//
//   node package.mjs                                   -> twirl.vsix (universal: twirl from twirl.path or PATH)
//   node package.mjs --target linux-x64 --binary PATH  -> twirl-linux-x64.vsix, with PATH bundled as bin/twirl
//
// A platform-specific package carries the twirl binary built for that
// platform (bin/twirl, bin/twirl.exe on Windows), which the extension starts
// when `twirl.path` is not set; VS Code's marketplace serves each user the
// package of their platform. --target takes vsce's names (linux-x64,
// linux-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64, alpine-x64, ...).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: { target: { type: 'string' }, binary: { type: 'string' }, out: { type: 'string' } },
});
if (Boolean(args.target) !== Boolean(args.binary)) {
  console.error('usage: node package.mjs [--target TARGET --binary PATH] [--out FILE.vsix]');
  process.exit(2);
}

const binDir = path.join(here, 'bin');
const out = args.out ?? (args.target ? `twirl-${args.target}.vsix` : 'twirl.vsix');
// A stale bin/ would slip a binary into the universal package.
fs.rmSync(binDir, { recursive: true, force: true });
let status = 1;
try {
  const vsceArgs = [
    path.join(here, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--no-dependencies',
    '--baseContentUrl',
    'https://github.com/twirl-dev/twirl/blob/HEAD/editors/vscode',
    '--baseImagesUrl',
    'https://github.com/twirl-dev/twirl/raw/HEAD/editors/vscode',
    '-o',
    out,
  ];
  if (args.target) {
    const name = args.target.startsWith('win32-') ? 'twirl.exe' : 'twirl';
    fs.mkdirSync(binDir);
    fs.copyFileSync(args.binary, path.join(binDir, name));
    fs.chmodSync(path.join(binDir, name), 0o755);
    vsceArgs.push('--target', args.target);
  }
  status = spawnSync(process.execPath, vsceArgs, { cwd: here, stdio: 'inherit' }).status ?? 1;
} finally {
  fs.rmSync(binDir, { recursive: true, force: true });
}
process.exit(status);
