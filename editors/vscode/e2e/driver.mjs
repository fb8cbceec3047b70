#!/usr/bin/env node
// Drives code-server's workbench in headless Chromium (playwright-core) to
// check the installed twirl extension end to end. Started by e2e/run.sh,
// which owns code-server; this script owns only the browser.
//
//   node driver.mjs --url URL --file ISSUE.md --artifacts DIR [--chromium PATH]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    file: { type: 'string' },
    artifacts: { type: 'string', default: 'artifacts' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    timeout: { type: 'string', default: '240' },
  },
});
if (!args.url || !args.file) {
  console.error('usage: driver.mjs --url URL --file ISSUE.md --artifacts DIR');
  process.exit(2);
}

const WINDOW_START = '2024-11-06';
const fileName = path.basename(args.file);
fs.mkdirSync(args.artifacts, { recursive: true });
const shot = (name) => path.join(args.artifacts, name);
const step = (text) => console.log(`e2e: ${text}`);

/** Event lines of the events section: `* DATE[ - END] | ...`, keyed by their last day. */
function eventLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^\* (\d{4}-\d{2}-\d{2})(?:\s*-\s*(\d{4}-\d{2}-\d{2}))?\s*\|/.exec(line);
    if (m) out.push({ line, start: m[1], end: m[2] ?? m[1] });
  }
  return out;
}

const before = fs.readFileSync(args.file, 'utf8');
const staleBefore = eventLines(before).filter((e) => e.end < WINDOW_START);
const keptBefore = eventLines(before).filter((e) => e.end >= WINDOW_START);
if (staleBefore.length === 0) throw new Error('the seed draft has no stale events: wrong input?');
step(`seed has ${staleBefore.length} stale and ${keptBefore.length} current events`);

// A hard stop, so a wedged browser cannot hang CI.
const deadline = setTimeout(() => {
  console.error(`e2e: FAILED: no result after ${args.timeout} s`);
  process.exit(1);
}, Number(args.timeout) * 1000);

const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
page.setDefaultTimeout(30_000);
const consoleLines = [];
let lastProblems = '';
page.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));

async function quickInput() {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  return widget;
}

/** Runs a command by its palette title, as a user would. */
async function runCommand(title, { opensInput = false } = {}) {
  await page.keyboard.press('F1');
  const widget = await quickInput();
  const input = widget.locator('input');
  await input.fill(`>${title}`);
  // Pick the row whose label is `title` (plus an optional "(...)" note): the top
  // row of a fuzzy match may be another command ("File: Save" also finds
  // "Compare Active File with Saved").
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: \\(.*\\))?\\s*$`);
  const row = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 15_000 });
  } catch (err) {
    const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    throw new Error(`no palette entry "${title}" among ${JSON.stringify(labels)}`, { cause: err });
  }
  await row.click();
  if (!opensInput) await widget.waitFor({ state: 'hidden' });
}

/** The visible Problems rows, whitespace collapsed: "message twirl(code) [Ln 1, Col 2]". */
async function problemsText() {
  const text = await page.locator('.markers-panel').first().innerText().catch((err) => `(no Problems panel: ${err})`);
  lastProblems = text.replace(/\s+/g, ' ');
  return lastProblems;
}

/** Filters the Problems panel and returns the rows' text (the list is virtualised). */
async function problemsMatching(filter) {
  const box = page.getByPlaceholder(/^Filter/).first();
  await box.fill(filter);
  await page.waitForTimeout(400);
  return problemsText();
}

/** Fails on an error notification (a command that threw, a server that died). */
async function noErrorToast() {
  const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  const bad = toasts.filter((t) => /error|failed|twirl:/i.test(t));
  if (bad.length > 0) throw new Error(`error notification: ${bad.join(' | ')}`);
}

async function waitFor(description, predicate, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${description}`);
    await page.waitForTimeout(500);
  }
}

let failed = false;
try {
  step(`opening ${args.url}`);
  await page.goto(args.url, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  // The explorer lists the workspace once the remote file system is up.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).waitFor({ timeout: 60_000 });

  step(`opening ${fileName}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).click();
  await page.locator('.tabs-container .tab', { hasText: fileName }).waitFor();
  await page.locator('.editor-instance .monaco-editor').first().waitFor();

  step('waiting for twirl diagnostics in the Problems panel');
  await runCommand('View: Focus Problems');
  await page.locator('.markers-panel').waitFor();
  await waitFor('twirl diagnostics', async () => /twirl/.test(await problemsText()), 90_000);
  const placeholderRows = await waitFor('a placeholder problem', async () => {
    const text = await problemsMatching('placeholder');
    return /twirl\W{0,3}placeholder\b/.test(text) ? text : '';
  });
  const staleRows = await waitFor('an event-outside-window problem', async () => {
    const text = await problemsMatching('event-outside-window');
    return /twirl\W{0,3}event-outside-window\b/.test(text) ? text : '';
  });
  fs.writeFileSync(shot('problems-before.txt'), `${placeholderRows}\n---\n${staleRows}\n`);
  await problemsMatching('');

  // Show the events section, where the stale events are underlined.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await runCommand('Go to Line/Column...', { opensInput: true });
  await page.waitForTimeout(300);
  await page.keyboard.type(String(before.split('\n').findIndex((l) => l.startsWith('## Upcoming Events')) + 1));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.waitForTimeout(1000);
  // Hover the first stale event's date: the hover shows twirl's message.
  const stale = page.locator('.view-lines .view-line', { hasText: staleBefore[0].line.slice(0, 30) }).first();
  await stale.hover({ position: { x: 45, y: 8 } }).catch(() => {});
  await page.locator('.monaco-hover').first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot('vscode-diagnostics.png') });
  await page.mouse.move(0, 0);
  step(`screenshot ${shot('vscode-diagnostics.png')}`);

  step('running "twirl: Fix All"');
  await runCommand('twirl: Fix All');
  await waitFor('the editor to become dirty', async () =>
    (await page.locator('.tabs-container .tab.dirty', { hasText: fileName }).count()) > 0,
  30_000);

  step('saving');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await runCommand('File: Save');
  const after = await waitFor('the fixed file on disk', async () => {
    const text = fs.readFileSync(args.file, 'utf8');
    return text !== before ? text : '';
  }, 30_000);
  fs.writeFileSync(shot('after-fix-all.md'), after);

  const events = eventLines(after);
  const stillStale = events.filter((e) => e.end < WINDOW_START);
  if (stillStale.length > 0) {
    throw new Error(`stale events left after Fix All:\n${stillStale.map((e) => e.line).join('\n')}`);
  }
  for (const day of new Set(keptBefore.map((e) => e.start))) {
    const want = keptBefore.filter((e) => e.start === day).length;
    const got = events.filter((e) => e.start === day).length;
    if (got !== want) throw new Error(`Fix All changed the events of ${day}: ${want} before, ${got} after`);
  }
  step(`on disk: ${staleBefore.length} stale events removed, ${events.length} current events kept`);

  await waitFor('the stale-event problems to go away', async () => {
    const text = await problemsMatching('event-outside-window');
    return !/twirl\W{0,3}event-outside-window\b/.test(text);
  }, 30_000);
  await problemsMatching('');
  await page.screenshot({ path: shot('vscode-after-fix-all.png') });

  step('running "twirl: Format Issue"');
  await runCommand('twirl: Format Issue');
  await page.waitForTimeout(1500);
  await noErrorToast();

  step('running "twirl: Restart Server"');
  await runCommand('twirl: Restart Server');
  await page.waitForTimeout(1000);
  await waitFor('diagnostics after the restart', async () => {
    const text = await problemsMatching('placeholder');
    return /twirl\W{0,3}placeholder\b/.test(text);
  }, 30_000);
  await noErrorToast();

  step('pointing twirl.path at a missing binary (workspace settings)');
  const vscodeDir = path.join(path.dirname(args.file), '.vscode');
  fs.mkdirSync(vscodeDir, { recursive: true });
  fs.writeFileSync(path.join(vscodeDir, 'settings.json'), JSON.stringify({ 'twirl.path': '/nonexistent/twirl' }));
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'cargo install --path crates/twirl-cli' });
  await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
  const message = (await toast.first().innerText()).replace(/\s+/g, ' ');
  if (!message.includes('/nonexistent/twirl')) throw new Error(`unexpected message: ${message}`);
  await page.screenshot({ path: shot('vscode-missing-binary.png') });
  step(`error shown: ${message.slice(0, 200)}`);
  step('PASSED');
} catch (err) {
  failed = true;
  console.error(`e2e: FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  console.error(`e2e: last Problems panel text: ${lastProblems}`);
  await page.screenshot({ path: shot('failure.png') }).catch(() => {});
} finally {
  fs.writeFileSync(shot('browser-console.log'), consoleLines.join('\n'));
  await browser.close();
  clearTimeout(deadline);
}
process.exit(failed ? 1 : 0);
