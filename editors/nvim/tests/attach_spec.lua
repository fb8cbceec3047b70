-- Headless end-to-end test of the Neovim plugin against a real `twirl lsp`,
-- doing what a user does: the missing-binary message, attaching to issue
-- files only, :checkhealth, hover, document symbols, one quick fix,
-- formatting, an insert-mode edit and undo, :TwirlFixAll, :TwirlMergeEvents, fix_all_on_save
-- and format_on_save. Run by tests/run.sh:
--   nvim --headless --clean --cmd 'set rtp^=editors/nvim' -c 'luafile tests/attach_spec.lua'
-- Environment: TWIRL_BIN (the binary), TWIRL_SEED (the seed draft), TWIRL_TMP
-- (a scratch folder). Exits 0 when every check passes, 1 otherwise.

local WINDOW_START = '2024-11-06'
local failures = 0

local function log(msg)
  io.stdout:write('nvim-test: ' .. msg .. '\n')
end

local function check(ok, what, detail)
  if ok then
    log('ok   ' .. what)
  else
    failures = failures + 1
    log('FAIL ' .. what .. (detail and ('\n' .. tostring(detail)) or ''))
  end
  return ok
end

local function finish()
  log(failures == 0 and 'PASSED' or ('FAILED (' .. failures .. ')'))
  io.stdout:flush()
  vim.cmd(failures == 0 and 'qall!' or 'cquit! 1')
end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local text = f:read('*a')
  f:close()
  return text
end

local function write(path, text)
  local f = assert(io.open(path, 'wb'))
  f:write(text)
  f:close()
end

--- Event lines `* DATE[ - END] | ...` with the day they end on, their
--- 1-based line number and how many lines they span (nested lines included).
local function events(lines)
  local out = {}
  for i, line in ipairs(lines) do
    local start = line:match('^%* (%d%d%d%d%-%d%d%-%d%d)')
    if start then
      local finish_day = line:match('^%* %d%d%d%d%-%d%d%-%d%d%s*%-%s*(%d%d%d%d%-%d%d%-%d%d)') or start
      local n = 1
      while lines[i + n] and lines[i + n]:match('^%s+%S') do
        n = n + 1
      end
      table.insert(out, { line = line, start = start, last = finish_day, lnum = i, count = n })
    end
  end
  return out
end

local function stale(list)
  return vim.tbl_filter(function(e)
    return e.last < WINDOW_START
  end, list)
end

local function twirl_diagnostics(bufnr, code)
  return vim.tbl_filter(function(d)
    return d.source == 'twirl' and (code == nil or d.code == code)
  end, vim.diagnostic.get(bufnr))
end


local function buf_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function line_of(lines, prefix)
  for i, line in ipairs(lines) do
    if vim.startswith(line, prefix) then
      return i
    end
  end
end

--- `twirl fmt` of `text`, as the command line formats it.
local function twirl_fmt(bin, text, path)
  local r = vim.system({ bin, 'fmt', '-', '--stdin-filename', path }, { stdin = text, text = true }):wait()
  assert(r.code == 0, 'twirl fmt failed: ' .. tostring(r.stderr))
  return r.stdout
end

--- Closes the current undo block, so that `:undo` takes back only what follows.
local function undo_break()
  vim.cmd('let &undolevels = &undolevels')
end

--- The report of `:checkhealth twirl`, as one string; its buffer is closed.
local function checkhealth()
  vim.cmd('checkhealth twirl')
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('bwipeout!')
  return report
end

--- Opens `path` in a new buffer and returns it.
local function open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

local function attached(bufnr)
  return vim.wait(15000, function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = 'twirl' }) > 0
  end, 50)
end

-- Messages the plugin shows, in place of vim.notify.
local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, { msg = msg, level = level })
end

local ok, err = xpcall(function()
  local bin = assert(os.getenv('TWIRL_BIN'), 'TWIRL_BIN is not set')
  local seed = assert(os.getenv('TWIRL_SEED'), 'TWIRL_SEED is not set')
  local tmp = assert(os.getenv('TWIRL_TMP'), 'TWIRL_TMP is not set')
  local seed_text = read(seed)
  local before_lines = vim.split(seed_text, '\n', { plain = true })
  local stale_before = stale(events(before_lines))
  assert(#stale_before > 1, 'the seed draft has fewer than two stale events: wrong input?')
  local kept_before = #events(before_lines) - #stale_before
  local twirl = require('twirl')
  check(vim.g.loaded_twirl == true, 'plugin/twirl.lua is loaded from the runtimepath')

  -- ---- no binary: one message, when the first issue file opens
  local missing = tmp .. '/nowhere/twirl'
  twirl.setup({ cmd = missing })
  check(#notes == 0, 'setup() with a missing binary says nothing yet')
  write(tmp .. '/notes.txt', 'plain text\n')
  write(tmp .. '/README.md', '# Not an issue\n\nINSERT_LINK_HERE\n')
  open(tmp .. '/notes.txt')
  open(tmp .. '/README.md')
  check(#notes == 0, 'nor when a text file and a Markdown file that is not an issue open')
  for _, dir in ipairs({ 'a', 'b' }) do
    vim.fn.mkdir(tmp .. '/missing-' .. dir, 'p')
    write(tmp .. '/missing-' .. dir .. '/2024-11-06-this-week-in-rust.md', seed_text)
    open(tmp .. '/missing-' .. dir .. '/2024-11-06-this-week-in-rust.md')
  end
  vim.wait(200)
  check(
    #notes == 1
      and notes[1].level == vim.log.levels.WARN
      and notes[1].msg:find(missing .. '` is not executable', 1, true) ~= nil
      and notes[1].msg:find('cargo install --path crates/twirl-cli', 1, true) ~= nil,
    'opening two issue files warns once that the binary is missing, saying how to install it',
    vim.inspect(notes)
  )
  check(#vim.lsp.get_clients({ name = 'twirl' }) == 0, 'no client is started without a binary')
  local health = checkhealth()
  check(
    health:find('`' .. missing .. '` not found', 1, true) ~= nil and health:find('cargo install', 1, true) ~= nil,
    ':checkhealth twirl reports the missing binary and how to install it',
    health
  )
  vim.cmd('silent! %bwipeout!')
  notes = {}

  -- ---- the real binary
  twirl.setup({ cmd = bin })
  local other_buf = open(tmp .. '/README.md')
  local issue = tmp .. '/work/2024-11-06-this-week-in-rust.md'
  vim.fn.mkdir(tmp .. '/work', 'p')
  write(issue, seed_text)
  local buf = open(issue)
  check(vim.bo[buf].filetype == 'markdown', 'issue file has filetype markdown')
  check(attached(buf), 'twirl attaches to the issue file')
  check(#vim.lsp.get_clients({ bufnr = other_buf, name = 'twirl' }) == 0, 'twirl does not attach to README.md')
  local got = vim.wait(20000, function()
    return #twirl_diagnostics(buf) > 0
  end, 50)
  check(got, 'diagnostics with source "twirl" arrive')
  if not got then
    return
  end
  vim.wait(500)
  log(('%d twirl diagnostics'):format(#twirl_diagnostics(buf)))
  local placeholder_line = line_of(before_lines, 'Please see the latest')
  check(
    #vim.tbl_filter(function(d)
      return d.lnum == placeholder_line - 1
    end, twirl_diagnostics(buf, 'placeholder')) > 0,
    ('a `placeholder` diagnostic on line %d (INSERT_LINK_HERE)'):format(placeholder_line)
  )
  local first_stale = stale_before[1]
  check(
    #vim.tbl_filter(function(d)
      return d.lnum == first_stale.lnum - 1
    end, twirl_diagnostics(buf, 'event-outside-window')) > 0,
    ('the first stale event (line %d) is flagged `event-outside-window`'):format(first_stale.lnum)
  )
  check(#vim.diagnostic.get(other_buf) == 0, 'README.md has no diagnostics')

  health = checkhealth()
  check(
    health:find('` found: twirl ', 1, true) ~= nil and health:find('1 twirl client(s) running', 1, true) ~= nil,
    ':checkhealth twirl finds the binary and the running client',
    health
  )
  vim.api.nvim_set_current_buf(buf)

  -- ---- hover on a stale event's date
  vim.api.nvim_win_set_cursor(0, { first_stale.lnum, 3 })
  vim.lsp.buf.hover()
  local float
  vim.wait(5000, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        float = win
        return true
      end
    end
  end, 50)
  local hover = float and table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), '\n') or ''
  check(
    hover:find(first_stale.start .. '** is a ', 1, true) ~= nil
      and hover:find('Outside the events window (2024-11-06 to 2024-12-04)', 1, true) ~= nil
      and hover:find('/crates/twirl-core/src/rules/event_outside_window.md', 1, true) ~= nil,
    "hover shows the date, the events window and a link to the rule's page",
    hover
  )
  if float then
    vim.api.nvim_win_close(float, true)
  end

  -- ---- document symbols: metadata, sections, events under their regions
  local response = vim.lsp.buf_request_sync(buf, 'textDocument/documentSymbol', {
    textDocument = vim.lsp.util.make_text_document_params(buf),
  }, 5000)
  local symbols = {}
  for _, r in pairs(response or {}) do
    symbols = r.result or symbols
  end
  local function named(list, name)
    return vim.tbl_filter(function(s)
      return s.name == name
    end, list or {})
  end
  local meta = named(symbols, 'This Week in Rust 572')[1]
  check(meta ~= nil and #named(meta.children, 'Number') == 1, 'symbols: the metadata, titled by the issue, with its fields')
  local section = named(symbols, 'Upcoming Events')
  check(#section == 1, 'symbols: one "Upcoming Events"')
  local virtual = section[1] and named(section[1].children, 'Virtual')[1]
  local kept_event = vim.tbl_filter(function(e)
    return e.last >= WINDOW_START
  end, events(before_lines))[1]
  local fields = vim.split(kept_event.line:gsub('^%* ', ''), '|', { plain = true })
  local event_name = vim.trim(fields[1]) .. ' · ' .. vim.trim(fields[2])
  check(
    virtual ~= nil and #named(virtual.children, event_name) == 1,
    ('symbols: the event "%s" is under its region "Virtual"'):format(event_name)
  )

  -- ---- an insert-mode edit brings a diagnostic, undo takes it away
  local hello = line_of(before_lines, 'Hello and welcome')
  local function placeholders_on(lnum)
    return #vim.tbl_filter(function(d)
      return d.lnum == lnum - 1
    end, twirl_diagnostics(buf, 'placeholder'))
  end
  vim.api.nvim_win_set_cursor(0, { hello, 0 })
  undo_break()
  vim.api.nvim_feedkeys(vim.keycode('A INSERT_LINK_HERE<Esc>'), 'xt', false)
  check(
    vim.wait(10000, function()
      return placeholders_on(hello) > 0
    end, 50),
    ('typing INSERT_LINK_HERE on line %d brings a placeholder diagnostic there'):format(hello)
  )
  vim.cmd('silent undo')
  check(buf_text(buf) == seed_text, 'undo restores the text')
  check(
    vim.wait(10000, function()
      return placeholders_on(hello) == 0
    end, 50),
    'after undo the diagnostic is gone'
  )

  -- ---- one quick fix removes only that event
  local target = stale_before[2]
  vim.api.nvim_win_set_cursor(0, { target.lnum, 3 })
  undo_break()
  vim.lsp.buf.code_action({
    filter = function(action)
      return action.title == 'Remove stale event'
    end,
    apply = true,
  })
  local expected = vim.deepcopy(before_lines)
  for _ = 1, target.count do
    table.remove(expected, target.lnum)
  end
  local after_fix = table.concat(expected, '\n')
  check(
    vim.wait(10000, function()
      return buf_text(buf) == after_fix
    end, 50),
    ('the quick fix removes only the %d lines of the event on line %d'):format(target.count, target.lnum)
  )

  -- ---- vim.lsp.buf.format() alone gives what `twirl fmt` gives
  local formatted = twirl_fmt(bin, after_fix, issue)
  check(formatted ~= after_fix, '`twirl fmt` changes the text (so the next check means something)')
  undo_break()
  vim.lsp.buf.format({ bufnr = buf, timeout_ms = 10000 })
  check(buf_text(buf) == formatted, 'vim.lsp.buf.format() leaves the buffer byte-identical to `twirl fmt`')
  vim.cmd('silent undo')
  check(buf_text(buf) == after_fix, 'undo takes the formatting back')

  -- ---- :TwirlFixAll
  vim.cmd('TwirlFixAll')
  local fixed = vim.wait(10000, function()
    return #stale(events(vim.api.nvim_buf_get_lines(buf, 0, -1, false))) == 0
  end, 50)
  check(fixed, ':TwirlFixAll removes every stale event from the buffer')
  vim.cmd('silent write')
  local after_events = events(vim.split(read(issue), '\n', { plain = true }))
  check(#stale(after_events) == 0, 'no stale events in the file on disk')
  check(#after_events == kept_before, ('current events kept on disk (%d before, %d after)'):format(kept_before, #after_events))
  check(
    vim.wait(10000, function()
      return #twirl_diagnostics(buf, 'event-outside-window') == 0
    end, 50),
    '`event-outside-window` diagnostics are gone after the fix'
  )
  check(#twirl_diagnostics(buf, 'placeholder') > 0, '`placeholder` diagnostics remain (no safe fix)')

  -- ---- :TwirlMergeEvents: the buffer becomes what `twirl events merge`
  -- makes of the file, as one change that undo takes back
  local new_events = tmp .. '/new-events.md'
  write(new_events, '### Europe:\n* 2024-11-21 | Oslo, NO | [Rust Oslo](https://www.meetup.com/rust-oslo/)\n'
    .. '    * [**Oslo merge meetup**](https://www.meetup.com/rust-oslo/events/1/)\n')
  local before_merge = buf_text(buf)
  vim.fn.mkdir(tmp .. '/cli', 'p')
  local copy = tmp .. '/cli/' .. vim.fs.basename(issue)
  write(copy, before_merge)
  local cli = vim.system({ bin, 'events', 'merge', copy, new_events }, { text = true }):wait()
  check(cli.code == 0, '`twirl events merge` merges a copy of the buffer', cli.stderr)
  local expected_merge = read(copy)
  check(expected_merge:find('Oslo merge meetup', 1, true) ~= nil, '`twirl events merge` adds the entry (so the next check means something)')
  notes = {}
  undo_break()
  vim.cmd('TwirlMergeEvents ' .. vim.fn.fnameescape(new_events))
  check(
    vim.wait(10000, function()
      return buf_text(buf) == expected_merge
    end, 50),
    ':TwirlMergeEvents {file} leaves the buffer as `twirl events merge` leaves the file',
    buf_text(buf)
  )
  check(
    vim.wait(5000, function()
      return #notes > 0 and notes[#notes].msg:find('merged: 1 added', 1, true) ~= nil
    end, 50),
    ':TwirlMergeEvents shows the summary',
    vim.inspect(notes)
  )
  vim.cmd('silent undo')
  check(buf_text(buf) == before_merge, 'undo takes the merge back')

  -- ---- fix_all_on_save and format_on_save: copies in other folders (so
  -- other clients, started with the new settings), written without a command
  for _, case in ipairs({
    { option = 'fix_all_on_save', opts = { cmd = bin, fix_all_on_save = true } },
    { option = 'format_on_save', opts = { cmd = bin, format_on_save = true } },
  }) do
    twirl.setup(case.opts)
    vim.fn.mkdir(tmp .. '/' .. case.option, 'p')
    local path = tmp .. '/' .. case.option .. '/2024-11-06-this-week-in-rust.md'
    write(path, seed_text)
    local b = open(path)
    local ready = vim.wait(20000, function()
      return #twirl_diagnostics(b, 'event-outside-window') > 0
    end, 50)
    check(ready, case.option .. ': twirl attaches and reports stale events')
    vim.cmd('silent write')
    local saved = read(path)
    local saved_events = events(vim.split(saved, '\n', { plain = true }))
    if case.option == 'fix_all_on_save' then
      local client = vim.lsp.get_clients({ bufnr = b, name = 'twirl' })[1]
      check(client ~= nil and client.config.settings.twirl.fixAllOnSave == true, 'the client has settings.twirl.fixAllOnSave')
      check(#stale(saved_events) == 0, 'fix_all_on_save: no stale events on disk after :write')
      check(#saved_events == kept_before, ('fix_all_on_save: current events kept (%d)'):format(#saved_events))
    else
      check(saved == twirl_fmt(bin, seed_text, path), 'format_on_save: the file on disk is what `twirl fmt` gives')
    end
  end
end, debug.traceback)

if not ok then
  failures = failures + 1
  log('ERROR ' .. tostring(err))
end
finish()
