import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FIX_ALL_KIND,
  editsForUri,
  isFixAllKind,
  pickFixAllAction,
  sameUri,
  serverFixesOnWillSave,
  serverHasFixAllCommand,
} from '../src/fixall.ts';

const uri = 'file:///w/2024-11-06-this-week-in-rust.md';
const edit = { range: { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }, newText: '' };

describe('pickFixAllAction', () => {
  it('finds the source.fixAll.twirl action among quick fixes and commands', () => {
    const result = [
      { title: 'Run', command: 'twirl.fixAll', arguments: [uri] },
      { title: 'Remove stale event', kind: 'quickfix' },
      { title: 'Fix all twirl issues', kind: FIX_ALL_KIND, edit: { changes: { [uri]: [edit] } } },
    ];
    assert.equal(pickFixAllAction(result)?.title, 'Fix all twirl issues');
  });
  it('returns undefined when there is none', () => {
    assert.equal(pickFixAllAction(null), undefined);
    assert.equal(pickFixAllAction([{ title: 'x', kind: 'quickfix' }]), undefined);
  });
  it('accepts sub-kinds only', () => {
    assert.ok(isFixAllKind('source.fixAll.twirl'));
    assert.ok(isFixAllKind('source.fixAll.twirl.safe'));
    assert.ok(!isFixAllKind('source.fixAll.twirly'));
    assert.ok(!isFixAllKind('source.fixAll'));
  });
});

describe('editsForUri', () => {
  it('reads changes', () => {
    assert.deepEqual(editsForUri({ changes: { [uri]: [edit], 'file:///other.md': [edit] } }, uri), [edit]);
  });
  it('reads documentChanges', () => {
    const we = {
      documentChanges: [
        { textDocument: { uri, version: 3 }, edits: [edit, edit] },
        { textDocument: { uri: 'file:///other.md', version: 1 }, edits: [edit] },
        { kind: 'create', uri: 'file:///new.md' },
      ],
    };
    assert.equal(editsForUri(we, uri).length, 2);
  });
  it('tolerates percent-encoding differences', () => {
    assert.ok(sameUri('file:///c%3A/w/a.md', 'file:///c:/w/a.md'));
    assert.equal(editsForUri({ changes: { 'file:///c%3A/a.md': [edit] } }, 'file:///c:/a.md').length, 1);
  });
  it('returns nothing for no edit', () => {
    assert.deepEqual(editsForUri(undefined, uri), []);
  });
});

describe('serverHasFixAllCommand', () => {
  it('reads executeCommandProvider', () => {
    assert.ok(serverHasFixAllCommand({ executeCommandProvider: { commands: ['twirl.fixAll'] } }));
    assert.ok(!serverHasFixAllCommand({ executeCommandProvider: { commands: [] } }));
    assert.ok(!serverHasFixAllCommand(undefined));
  });
});

describe('serverFixesOnWillSave', () => {
  it('reads textDocumentSync.willSaveWaitUntil', () => {
    assert.ok(serverFixesOnWillSave({ textDocumentSync: { openClose: true, change: 2, willSaveWaitUntil: true } }));
    assert.ok(!serverFixesOnWillSave({ textDocumentSync: { openClose: true, change: 2 } }));
    assert.ok(!serverFixesOnWillSave({ textDocumentSync: 2 }));
    assert.ok(!serverFixesOnWillSave(undefined));
  });
});
