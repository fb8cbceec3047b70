#!/usr/bin/env node
// Drives code-server's workbench in headless Chromium (playwright-core) to
// check the installed twirl extension end to end, the way a user works.
// Started by e2e/run.sh, which owns code-server; this script owns only the
// browser and the files named by its arguments.
//
//   node driver.mjs --url URL --file ISSUE.md --twirl BIN --ext-dir DIR \
//       --path-dir DIR --logs DIR --artifacts DIR [--chromium PATH]
//
// --ext-dir is code-server's extensions folder (the installed package's
// bundled binary is deleted there to stand for the universal package),
// --path-dir a folder on code-server's PATH (empty at the start), --logs
// code-server's log folder (the "twirl" output channel is written there).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    file: { type: 'string' },
    twirl: { type: 'string' },
    'ext-dir': { type: 'string' },
    'path-dir': { type: 'string' },
    logs: { type: 'string' },
    artifacts: { type: 'string', default: 'artifacts' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    timeout: { type: 'string', default: '300' },
  },
});
for (const name of ['url', 'file', 'twirl', 'ext-dir', 'path-dir', 'logs']) {
  if (!args[name]) {
    console.error(`driver.mjs: --${name} is missing`);
    process.exit(2);
  }
}

const WINDOW_START = '2024-11-06';
const fileName = path.basename(args.file);
fs.mkdirSync(args.artifacts, { recursive: true });
const shot = (name) => path.join(args.artifacts, name);
const step = (text) => console.log(`e2e: ${text}`);
const readFile = () => fs.readFileSync(args.file, 'utf8');
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `twirl fmt` of `text`, as the command line formats it. */
function twirlFmt(text) {
  return execFileSync(args.twirl, ['fmt', '-', '--stdin-filename', args.file], {
    input: text,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Events of the events section: `* DATE[ - END] | ...` and the lines nested under it. */
function events(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\* (\d{4}-\d{2}-\d{2})(?:\s*-\s*(\d{4}-\d{2}-\d{2}))?\s*\|/.exec(lines[i]);
    if (!m) continue;
    let end = i + 1;
    while (end < lines.length && /^\s+\S/.test(lines[end])) end++;
    out.push({ line: lines[i], index: i, lines: lines.slice(i, end), start: m[1], last: m[2] ?? m[1] });
  }
  return out;
}
const stale = (list) => list.filter((e) => e.last < WINDOW_START);
const lineOf = (text, prefix) => text.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

const original = readFile();
const staleBefore = stale(events(original));
const keptBefore = events(original).filter((e) => e.last >= WINDOW_START);
if (staleBefore.length < 2) throw new Error('the seed draft has fewer than two stale events: wrong input?');
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
  await widget.locator('input').fill(`>${title}`);
  // Pick the row whose label is `title` (plus an optional "(...)" note): the top
  // row of a fuzzy match may be another command.
  const exact = new RegExp(`^\\s*${escapeRe(title)}(?: \\(.*\\))?\\s*$`);
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

/** Puts the cursor on `line` (1-based), column `column` (default: the end of the line). */
async function goTo(line, column) {
  await runCommand('Go to Line/Column...', { opensInput: true });
  await page.keyboard.type(column ? `${line}:${column}` : String(line));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  if (!column) await page.keyboard.press('End');
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

const hasProblem = (text, code, line) =>
  new RegExp(`twirl\\W{0,3}${code}\\b[^\\[]*\\[Ln ${line ?? '\\d+'},`).test(text);

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
    await page.waitForTimeout(300);
  }
}

function check(ok, what, detail = '') {
  if (!ok) throw new Error(`${what}${detail ? `\n${detail}` : ''}`);
  step(`ok   ${what}`);
}

const dirtyTab = () => page.locator('.tabs-container .tab.dirty', { hasText: fileName });

/** Saves with "File: Save" and returns the file once it is on disk. */
async function save() {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await runCommand('File: Save');
  await waitFor('the file to be saved', async () => (await dirtyTab().count()) === 0, 30_000);
  return readFile();
}

/** Picks `title` in the code action menu that a "Quick Fix..." or "Source Action..." opened. */
async function pickAction(title) {
  const rows = page.locator('.action-widget .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  // With the keyboard: the menu's pointer guard swallows synthetic clicks.
  for (let i = 0; i < 30; i++) {
    const focused = await page.locator('.action-widget .monaco-list-row.focused').innerText().catch(() => '');
    if (focused.includes(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no code action "${title}" among ${JSON.stringify(await rows.allInnerTexts())}`);
}

/** The "twirl" output channel, as written to code-server's logs. */
function outputChannel() {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/output_logging_/.test(p) && e.name.endsWith('-twirl.log')) found.push(p);
    }
  };
  if (fs.existsSync(args.logs)) walk(args.logs);
  return found.map((p) => fs.readFileSync(p, 'utf8')).join('\n');
}
const startLines = () => outputChannel().split('\n').filter((l) => /\[client\] starting .* lsp/.test(l));

/** Restarts the server and waits for the `n`th "starting" line of the output channel. */
async function restartAndWaitForStart(n) {
  await runCommand('twirl: Restart Server');
  return waitFor(`start number ${n} in the twirl output channel`, async () => startLines()[n - 1], 30_000);
}

let failed = false;
try {
  step(`opening ${args.url}`);
  await page.goto(args.url, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  const explorerRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName });
  await explorerRow.waitFor({ timeout: 60_000 });
  await explorerRow.click();
  await page.locator('.tabs-container .tab', { hasText: fileName }).waitFor();
  await page.locator('.editor-instance .monaco-editor').first().waitFor();

  // ---- the bundled binary, diagnostics
  await runCommand('View: Focus Problems');
  await page.locator('.markers-panel').waitFor();
  await waitFor('twirl diagnostics', async () => /twirl/.test(await problemsText()), 90_000);
  // The output channel reaches its log file a moment after it is written.
  const started = await waitFor('the twirl output channel', async () => (startLines().length > 0 ? startLines() : null), 15_000);
  check(
    started.length === 1 && started[0].includes('/bin/twirl lsp (bundled with the extension)'),
    'with no twirl.path and no twirl on PATH, the extension starts its bundled binary',
    started.join('\n'),
  );
  await waitFor('the placeholder problem', async () => hasProblem(await problemsMatching('placeholder'), 'placeholder'));
  const firstStaleLine = staleBefore[0].index + 1;
  await waitFor('a stale-event problem on the first stale event', async () =>
    hasProblem(await problemsMatching('event-outside-window'), 'event-outside-window', firstStaleLine),
  );
  fs.writeFileSync(shot('problems-before.txt'), `${lastProblems}\n`);
  await problemsMatching('');

  // ---- hover on a stale event's date
  await goTo(firstStaleLine, 4);
  await runCommand('Show or Focus Hover');
  const hover = page.locator('.monaco-hover:visible').first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  const hoverText = await waitFor('twirl in the hover', async () => {
    const t = (await hover.innerText()).replace(/\s+/g, ' ');
    return /event-outside-window/.test(t) && /Outside the events window/.test(t) ? t : '';
  }, 15_000).catch(async (err) => {
    throw new Error(`hover text: ${(await hover.innerText()).replace(/\s+/g, ' ')}`, { cause: err });
  });
  const links = await hover.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-href') ?? a.href));
  await page.screenshot({ path: shot('vscode-diagnostics.png') });
  check(
    hoverText.includes(`${staleBefore[0].start} is a `) &&
      /Outside the events window \(2024-11-06 to 2024-12-04\): \d+ days? before it starts/.test(hoverText) &&
      hoverText.includes('event ended on'),
    'the hover shows the date, the events window and the diagnostic',
    hoverText,
  );
  check(
    links.some((l) => l.endsWith('/crates/twirl-core/src/rules/event_outside_window.md')),
    "the hover links to the rule's own page",
    JSON.stringify(links),
  );
  await page.keyboard.press('Escape');

  // ---- document symbols: Go to Symbol lists each heading once
  await runCommand('Go to Symbol in Editor...', { opensInput: true });
  const symbolInput = (await quickInput()).locator('input');
  for (const heading of ['Upcoming Events', 'Virtual', 'Crate of the Week']) {
    await symbolInput.fill(`@${heading}`);
    // VS Code's Markdown support names a heading with its `#`s.
    const count = async () =>
      (await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts()).filter(
        (l) => l.trim().replace(/^#+\s*/, '') === heading,
      ).length;
    await waitFor(`Go to Symbol to list "${heading}"`, async () => (await count()) > 0, 15_000);
    await page.waitForTimeout(500); // every provider has answered by now
    const labels = await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
    const same = await count();
    check(same === 1, `Go to Symbol lists "${heading}" once`, JSON.stringify(labels));
  }
  await page.keyboard.press('Escape');

  // ---- the twirl view: metadata, and events under their regions
  // Fold the file tree, as one does to give the twirl view room.
  await page.locator('.pane-header', { hasText: /^\s*ws\s*$/i }).first().click();
  await runCommand('Explorer: Focus on twirl View');
  const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*twirl\s*$/i }) });
  const row = (label, level) =>
    view.locator(`.monaco-list-row[aria-level="${level}"]`).filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }),
    });
  const firstEvent = keptBefore[0];
  const eventName = firstEvent.line.split('|').slice(0, 2).map((s) => s.replace(/^\* /, '').trim()).join(' · ');
  await waitFor('the twirl view', async () => (await row('Virtual', 2).count()) === 1, 30_000);
  check((await row('This Week in Rust 572', 1).count()) === 1, 'the twirl view shows the metadata, titled by the issue');
  check((await row('Number', 2).count()) === 1, 'the metadata lists its fields');
  check((await row('Upcoming Events', 1).count()) === 1, 'the twirl view shows the events section');
  check((await row(eventName, 3).count()) === 1, `the event "${eventName}" is under its region`);
  await page.screenshot({ path: shot('vscode-outline.png') });

  // ---- typing a placeholder shows a diagnostic; undo takes it away; the breadcrumb stays
  await goTo(firstEvent.index + 1, 3);
  const crumbs = async () =>
    (await page.locator('.breadcrumbs-control .monaco-breadcrumb-item').allInnerTexts()).map((s) => s.trim()).join(' > ');
  const crumbsBefore = await waitFor('the breadcrumb', async () => {
    const c = await crumbs();
    return /Virtual/.test(c) ? c : '';
  }, 15_000);
  const helloLine = lineOf(original, 'Hello and welcome');
  await goTo(helloLine);
  await page.keyboard.type(' INSERT_LINK_HERE');
  await runCommand('View: Focus Problems');
  await waitFor(`a placeholder problem on line ${helloLine} while typing`, async () =>
    hasProblem(await problemsMatching('placeholder'), 'placeholder', helloLine),
  );
  step(`ok   typing INSERT_LINK_HERE on line ${helloLine} shows a placeholder problem there`);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  for (let i = 0; i < 10 && (await dirtyTab().count()) > 0; i++) await page.keyboard.press('Control+z');
  check((await dirtyTab().count()) === 0, 'undo brings the file back to what is on disk');
  await waitFor('the typed placeholder problem to go', async () =>
    !hasProblem(await problemsMatching('placeholder'), 'placeholder', helloLine),
  );
  step('ok   after undo the problem is gone');
  await problemsMatching('');
  await goTo(firstEvent.index + 1, 3);
  await page.waitForTimeout(1500);
  const crumbsAfter = await crumbs();
  check(crumbsAfter === crumbsBefore, `the breadcrumb is the same after the edit (${crumbsBefore})`, crumbsAfter);

  // ---- a single quick fix removes only that event
  const target = staleBefore[1];
  await goTo(target.index + 1, 4);
  // Once more if the menu opened before the diagnostics of the undone edit came back.
  for (let attempt = 1; ; attempt++) {
    await runCommand('Quick Fix...', { opensInput: true });
    try {
      await pickAction('Remove stale event');
      break;
    } catch (err) {
      if (attempt === 2) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(2000);
    }
  }
  await waitFor('the quick fix to apply', async () => (await dirtyTab().count()) > 0, 15_000);
  const afterQuickFix = await save();
  const expected = original.split('\n');
  expected.splice(target.index, target.lines.length);
  check(afterQuickFix === expected.join('\n'), `the quick fix removes only the ${target.lines.length} lines of ${target.start}'s event`);
  fs.writeFileSync(shot('after-quick-fix.md'), afterQuickFix);

  // ---- Format Document gives what `twirl fmt` gives
  const formatted = twirlFmt(afterQuickFix);
  check(formatted !== afterQuickFix, '`twirl fmt` changes the file (so the next check means something)');
  await runCommand('Format Document');
  await waitFor('the formatting to apply', async () => (await dirtyTab().count()) > 0, 15_000);
  const afterFormat = await save();
  check(afterFormat === formatted, 'Format Document leaves the file byte-identical to `twirl fmt`');
  await noErrorToast();

  // ---- undo the format; fix all with the command, undo, and with the source action
  const undo = async () => {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+z');
    await waitFor('undo', async () => (await dirtyTab().count()) > 0, 15_000);
  };
  const fixedOnDisk = (how) =>
    waitFor(`the file fixed by ${how} on disk`, async () => {
      const text = await save();
      return stale(events(text)).length === 0 ? text : '';
    }, 30_000);
  await undo();
  await runCommand('twirl: Fix All');
  const afterCommand = await fixedOnDisk('"twirl: Fix All"');
  check(
    events(afterCommand).length === keptBefore.length,
    `"twirl: Fix All" removes every stale event and keeps the ${keptBefore.length} current ones`,
  );
  await undo();
  await runCommand('Source Action...', { opensInput: true });
  await pickAction('Fix all safely fixable twirl problems');
  const afterFixAll = await fixedOnDisk('the source action');
  fs.writeFileSync(shot('after-fix-all.md'), afterFixAll);
  const eventsAfter = events(afterFixAll);
  check(stale(eventsAfter).length === 0, 'the source action "Fix all" removes every stale event');
  check(
    eventsAfter.length === keptBefore.length,
    `the source action keeps the ${keptBefore.length} current events`,
    `${eventsAfter.length} left`,
  );
  check(afterFixAll === afterCommand, 'the source action and the command make the same fixes');
  await runCommand('View: Focus Problems');
  await waitFor('the stale-event problems to go away', async () =>
    !hasProblem(await problemsMatching('event-outside-window'), 'event-outside-window'),
  30_000);
  const placeholderLine = lineOf(afterFixAll, 'Please see the latest');
  check(
    hasProblem(await problemsMatching('placeholder'), 'placeholder', placeholderLine),
    `the placeholder problem on line ${placeholderLine} stays (it has no fix)`,
  );
  await problemsMatching('');
  await page.screenshot({ path: shot('vscode-after-fix-all.png') });

  // ---- twirl: Merge Events from File...: the document becomes what
  // `twirl events merge` makes of the file, as one change that undo takes back
  const newEvents = path.join(path.dirname(args.file), 'new-events.md');
  fs.writeFileSync(
    newEvents,
    '### Europe:\n* 2024-11-22 | Trondheim, NO | [Rust Trondheim](https://www.meetup.com/rust-trondheim/)\n' +
      '    * [**Trondheim merge meetup**](https://www.meetup.com/rust-trondheim/events/1/)\n',
  );
  const beforeMerge = readFile();
  const cliCopy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'twirl-e2e-merge-')), fileName);
  fs.writeFileSync(cliCopy, beforeMerge);
  execFileSync(args.twirl, ['events', 'merge', cliCopy, newEvents], { stdio: 'ignore' });
  const expectedMerge = fs.readFileSync(cliCopy, 'utf8');
  check(expectedMerge.includes('Trondheim merge meetup'), '`twirl events merge` adds the entry (so the next check means something)');
  await runCommand('twirl: Merge Events from File...', { opensInput: true });
  // code-server's open dialog is a quick input holding a path. It reuses
  // the palette's widget: wait for the dialog's own title before typing,
  // or the path goes to the closing palette.
  const dialog = await quickInput();
  await dialog
    .locator('.quick-input-title', { hasText: 'files of new events to merge' })
    .waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog sets its input to the default folder once that folder is
  // read, which may come after the typing: type again until it holds.
  const pathInput = dialog.locator('input');
  await dialog
    .locator('.monaco-list-row', { hasText: path.basename(newEvents) })
    .waitFor({ state: 'visible', timeout: 15_000 });
  await waitFor('the dialog to hold the typed path', async () => {
    if ((await pathInput.inputValue()) !== newEvents) await pathInput.fill(newEvents);
    await page.waitForTimeout(300);
    return (await pathInput.inputValue()) === newEvents;
  }, 15_000);
  // The dialog checks the typed path before it takes Enter.
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  await waitFor('the merge in the editor and on disk', async () => (await save()) === expectedMerge, 30_000);
  check(true, '"twirl: Merge Events from File..." leaves the document as `twirl events merge` leaves the file');
  const summaryToast = page.locator('.notifications-toasts .notification-toast', { hasText: 'merged: 1 added' }).first();
  await summaryToast.waitFor({ state: 'visible', timeout: 15_000 });
  check(true, 'the merge\'s summary is shown');
  await page.screenshot({ path: shot('vscode-after-merge.png') });
  await summaryToast.locator('.codicon-notifications-clear').click().catch(() => {});
  await undo();
  check((await save()) === beforeMerge, 'undo takes the merge back');

  // ---- the universal package: twirl from PATH
  const installed = fs.readdirSync(args['ext-dir']).find((d) => d.startsWith('twirl-dev.twirl-'));
  fs.rmSync(path.join(args['ext-dir'], installed, 'bin'), { recursive: true, force: true });
  fs.symlinkSync(args.twirl, path.join(args['path-dir'], 'twirl'));
  const pathStart = await restartAndWaitForStart(2);
  check(
    pathStart.includes(`${path.join(args['path-dir'], 'twirl')} lsp (found on PATH)`),
    'without a bundled binary the extension finds twirl on PATH and says so',
    pathStart,
  );
  await waitFor('diagnostics from twirl on PATH', async () => hasProblem(await problemsMatching('placeholder'), 'placeholder'));
  await problemsMatching('');
  await noErrorToast();

  // ---- nothing anywhere: the popup, and its "Open Settings"
  fs.rmSync(path.join(args['path-dir'], 'twirl'));
  await runCommand('twirl: Restart Server');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'there is none on PATH' }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  const message = (await toast.innerText()).replace(/\s+/g, ' ');
  check(/cargo install --path crates\/twirl-cli/.test(message), 'the missing-binary popup says how to install twirl', message);
  await page.screenshot({ path: shot('vscode-missing-binary.png') });
  await toast.locator('.monaco-button', { hasText: 'Open Settings' }).click();
  const settings = page.locator('.settings-editor');
  await settings.waitFor({ state: 'visible' });
  const setting = settings.locator('.setting-item-contents', { hasText: 'Path to the twirl binary' });
  await waitFor('the twirl.path setting in the settings editor', async () => (await setting.count()) > 0, 15_000).catch(
    async (err) => {
      await page.screenshot({ path: shot('vscode-settings.png') });
      throw new Error(`"Open Settings" does not show twirl.path: ${(await settings.innerText()).slice(0, 300)}`, { cause: err });
    },
  );
  await page.screenshot({ path: shot('vscode-settings.png') });
  check(true, '"Open Settings" shows the twirl.path setting');
  step('PASSED');
} catch (err) {
  failed = true;
  console.error(`e2e: FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  console.error(`e2e: last Problems panel text: ${lastProblems}`);
  await page.screenshot({ path: shot('failure.png') }).catch(() => {});
} finally {
  fs.writeFileSync(shot('browser-console.log'), consoleLines.join('\n'));
  fs.writeFileSync(shot('twirl-output.log'), outputChannel());
  await browser.close();
  clearTimeout(deadline);
}
process.exit(failed ? 1 : 0);
