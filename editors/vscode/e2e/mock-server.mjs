#!/usr/bin/env node
// A stand-in for `twirl lsp` that speaks the server contract the editor
// integrations rely on (see editors/README.md): diagnostics with source
// "twirl" and rule-name codes, quick fixes, `source.fixAll.twirl`, the
// `twirl.fixAll` command answered with `workspace/applyEdit`, and formatting.
// It knows only two rules (`placeholder`, `event-outside-window`), enough to
// test an editor client without the real server. The tests use the real
// binary; this is for `TWIRL_E2E_MOCK=1` runs while working on a client.
//
// Usage: node mock-server.mjs lsp
import process from 'node:process';

const docs = new Map(); // uri -> text
let settings = null;
let nextId = 1;
const pending = new Map();

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function log(text) {
  process.stderr.write(`[mock twirl] ${text}\n`);
}

function lines(text) {
  return text.split('\n');
}

function windowStart(text) {
  const m = /Rusty Events between (\d{4}-\d{2}-\d{2})/.exec(text);
  return m ? m[1] : null;
}

function ruleOn(name) {
  const select = settings?.rules?.select ?? [];
  const ignore = settings?.rules?.ignore ?? [];
  if (ignore.includes(name)) return false;
  return select.length === 0 || select.includes(name);
}

function lint(uri) {
  const text = docs.get(uri) ?? '';
  const ls = lines(text);
  const start = windowStart(text);
  const out = [];
  ls.forEach((line, i) => {
    const col = line.indexOf('INSERT_LINK_HERE');
    if (col >= 0 && ruleOn('placeholder')) {
      out.push({
        range: { start: { line: i, character: col }, end: { line: i, character: col + 16 } },
        severity: 1,
        source: 'twirl',
        code: 'placeholder',
        codeDescription: { href: 'https://github.com/twirl-dev/twirl/blob/main/crates/twirl-core/src/rules/placeholder.md' },
        message: 'template placeholder `INSERT_LINK_HERE` left in the issue',
      });
    }
    const ev = /^\* (\d{4}-\d{2}-\d{2})(?: - (\d{4}-\d{2}-\d{2}))? \|/.exec(line);
    if (ev && start && (ev[2] ?? ev[1]) < start && ruleOn('event-outside-window')) {
      const end = ls[i + 1]?.startsWith('    ') ? i + 2 : i + 1;
      out.push({
        range: { start: { line: i, character: 2 }, end: { line: i, character: 2 + ev[1].length } },
        severity: 1,
        source: 'twirl',
        code: 'event-outside-window',
        codeDescription: { href: 'https://github.com/twirl-dev/twirl/blob/main/crates/twirl-core/src/rules/event_outside_window.md' },
        message: `event on ${ev[1]} ended before the window starts (${start})`,
        data: { fix: { title: 'Remove stale event', range: { start: { line: i, character: 0 }, end: { line: end, character: 0 } } } },
      });
    }
  });
  return out;
}

function publish(uri) {
  send({ method: 'textDocument/publishDiagnostics', params: { uri, diagnostics: lint(uri) } });
}

function fixEdits(uri) {
  return lint(uri)
    .filter((d) => d.data?.fix)
    .map((d) => ({ range: d.data.fix.range, newText: '' }));
}

function handle(msg) {
  const { id, method, params } = msg;
  if (method === undefined) {
    pending.get(id)?.(msg);
    pending.delete(id);
    return;
  }
  switch (method) {
    case 'initialize':
      settings = params.initializationOptions ?? null;
      log(`initialize with ${JSON.stringify(settings)}`);
      return send({
        id,
        result: {
          serverInfo: { name: 'twirl (mock)', version: '0' },
          capabilities: {
            textDocumentSync: { openClose: true, change: 1, save: { includeText: false } },
            codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.twirl'] },
            executeCommandProvider: { commands: ['twirl.fixAll'] },
            documentFormattingProvider: true,
          },
        },
      });
    case 'initialized':
      return;
    case 'shutdown':
      return send({ id, result: null });
    case 'exit':
      return process.exit(0);
    case 'workspace/didChangeConfiguration':
      settings = params.settings?.twirl ?? settings;
      log(`settings ${JSON.stringify(settings)}`);
      for (const uri of docs.keys()) publish(uri);
      return;
    case 'textDocument/didOpen':
      docs.set(params.textDocument.uri, params.textDocument.text);
      return publish(params.textDocument.uri);
    case 'textDocument/didChange':
      docs.set(params.textDocument.uri, params.contentChanges.at(-1).text);
      return publish(params.textDocument.uri);
    case 'textDocument/didClose':
      docs.delete(params.textDocument.uri);
      return send({ method: 'textDocument/publishDiagnostics', params: { uri: params.textDocument.uri, diagnostics: [] } });
    case 'textDocument/codeAction': {
      const uri = params.textDocument.uri;
      const only = params.context.only;
      const actions = [];
      if (!only || only.some((k) => 'quickfix'.startsWith(k))) {
        for (const d of params.context.diagnostics) {
          if (d.data?.fix) {
            actions.push({
              title: d.data.fix.title,
              kind: 'quickfix',
              diagnostics: [d],
              isPreferred: true,
              edit: { changes: { [uri]: [{ range: d.data.fix.range, newText: '' }] } },
            });
          }
        }
      }
      if (!only || only.some((k) => 'source.fixAll.twirl'.startsWith(k))) {
        const edits = fixEdits(uri);
        if (edits.length) actions.push({ title: 'Fix all safe twirl issues', kind: 'source.fixAll.twirl', edit: { changes: { [uri]: edits } } });
      }
      return send({ id, result: actions });
    }
    case 'workspace/executeCommand': {
      if (params.command !== 'twirl.fixAll') return send({ id, error: { code: -32602, message: `unknown command ${params.command}` } });
      const uri = params.arguments?.[0];
      const reqId = nextId++;
      pending.set(reqId, () => send({ id, result: null }));
      return send({ id: reqId, method: 'workspace/applyEdit', params: { label: 'twirl: Fix All', edit: { changes: { [uri]: fixEdits(uri) } } } });
    }
    case 'textDocument/formatting':
      return send({ id, result: fixEdits(params.textDocument.uri) });
    default:
      if (id !== undefined) send({ id, error: { code: -32601, message: `unhandled ${method}` } });
  }
}

let buf = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const headerEnd = buf.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const m = /Content-Length: *(\d+)/i.exec(buf.subarray(0, headerEnd).toString('ascii'));
    const len = m ? Number(m[1]) : 0;
    if (buf.length < headerEnd + 4 + len) return;
    const body = buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
    buf = buf.subarray(headerEnd + 4 + len);
    handle(JSON.parse(body));
  }
});
process.stdin.on('end', () => process.exit(0));
