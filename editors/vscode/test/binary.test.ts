import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { INSTALL_HINT, expandConfiguredPath, findOnPath, isExecutableFile, resolveServerPath } from '../src/binary.ts';

const exists =
  (...files: string[]) =>
  (f: string) =>
    files.includes(f);

describe('resolveServerPath', () => {
  it('prefers twirl.path', () => {
    const r = resolveServerPath({
      configuredPath: '/opt/twirl/bin/twirl',
      envPath: '/usr/bin',
      platform: 'linux',
      isExecutable: exists('/opt/twirl/bin/twirl', '/usr/bin/twirl'),
    });
    assert.deepEqual(r, { ok: true, path: '/opt/twirl/bin/twirl', source: 'setting' });
  });

  it('prefers twirl.path over the bundled binary', () => {
    const r = resolveServerPath({
      configuredPath: '/opt/twirl',
      bundledPath: '/ext/bin/twirl',
      envPath: '/usr/bin',
      platform: 'linux',
      isExecutable: exists('/opt/twirl', '/ext/bin/twirl'),
    });
    assert.deepEqual(r, { ok: true, path: '/opt/twirl', source: 'setting' });
  });

  it('prefers the bundled binary over PATH', () => {
    const r = resolveServerPath({
      configuredPath: '',
      bundledPath: '/ext/bin/twirl',
      envPath: '/usr/bin',
      platform: 'linux',
      isExecutable: exists('/ext/bin/twirl', '/usr/bin/twirl'),
    });
    assert.deepEqual(r, { ok: true, path: '/ext/bin/twirl', source: 'bundled' });
  });

  it('falls back to PATH when the package bundles no binary', () => {
    const r = resolveServerPath({
      configuredPath: '',
      bundledPath: '/ext/bin/twirl',
      envPath: '/usr/bin',
      platform: 'linux',
      isExecutable: exists('/usr/bin/twirl'),
    });
    assert.deepEqual(r, { ok: true, path: '/usr/bin/twirl', source: 'PATH' });
  });

  it('finds twirl on PATH when the setting is empty', () => {
    const r = resolveServerPath({
      configuredPath: '  ',
      envPath: '/usr/local/bin::/home/me/.cargo/bin',
      platform: 'linux',
      isExecutable: exists('/home/me/.cargo/bin/twirl'),
    });
    assert.deepEqual(r, { ok: true, path: '/home/me/.cargo/bin/twirl', source: 'PATH' });
  });

  it('explains how to install when nothing is found', () => {
    const r = resolveServerPath({ configuredPath: '', envPath: '/usr/bin', platform: 'linux', isExecutable: exists() });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /`twirl.path` is not set, this package of the extension bundles none, and there is none on PATH/);
      assert.match(r.message, /cargo install --path crates\/twirl-cli/);
      assert.ok(r.message.includes(INSTALL_HINT));
    }
  });

  it('reports a twirl.path that points nowhere, without falling back to PATH', () => {
    const r = resolveServerPath({
      configuredPath: '/nope/twirl',
      envPath: '/usr/bin',
      platform: 'linux',
      isExecutable: exists('/usr/bin/twirl'),
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /"\/nope\/twirl".*no executable file/);
  });

  it('treats a bare name in twirl.path as a command on PATH', () => {
    const r = resolveServerPath({
      configuredPath: 'twirl-nightly',
      envPath: '/a:/b',
      platform: 'linux',
      isExecutable: exists('/b/twirl-nightly'),
    });
    assert.deepEqual(r, { ok: true, path: '/b/twirl-nightly', source: 'setting' });
  });

  it('expands ${workspaceFolder} and relative paths', () => {
    const r = resolveServerPath({
      configuredPath: 'target/debug/twirl',
      envPath: '',
      platform: 'linux',
      workspaceFolder: '/src/twirl',
      isExecutable: exists('/src/twirl/target/debug/twirl'),
    });
    assert.deepEqual(r, { ok: true, path: '/src/twirl/target/debug/twirl', source: 'setting' });
  });
});

describe('expandConfiguredPath', () => {
  it('expands ~ and ${workspaceFolder}', () => {
    assert.equal(expandConfiguredPath('~/bin/twirl', { homeDir: '/home/me' }), '/home/me/bin/twirl');
    assert.equal(
      expandConfiguredPath('${workspaceFolder}/target/debug/twirl', { workspaceFolder: '/w' }),
      '/w/target/debug/twirl',
    );
    assert.equal(expandConfiguredPath('twirl', { workspaceFolder: '/w' }), 'twirl');
  });
});

describe('findOnPath', () => {
  it('tries PATHEXT on Windows', () => {
    const found = findOnPath('twirl', 'C:\\tools;C:\\cargo\\bin', 'win32', exists('C:\\cargo\\bin\\twirl.exe'), '.EXE;.CMD');
    assert.equal(found, 'C:\\cargo\\bin\\twirl.exe');
  });
  it('returns undefined for an empty PATH', () => {
    assert.equal(findOnPath('twirl', undefined, 'linux', () => true), undefined);
  });
});

describe('isExecutableFile', () => {
  it('checks the file system', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twirl-bin-'));
    try {
      const exe = path.join(dir, 'twirl');
      fs.writeFileSync(exe, '#!/bin/sh\n');
      assert.equal(isExecutableFile(exe), process.platform === 'win32');
      fs.chmodSync(exe, 0o755);
      assert.equal(isExecutableFile(exe), true);
      assert.equal(isExecutableFile(dir), false);
      assert.equal(isExecutableFile(path.join(dir, 'missing')), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
