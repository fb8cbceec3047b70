-- Headless end-to-end test of the Neovim plugin against a real `twirl lsp`.
-- Run by tests/run.sh:
--   nvim --headless --clean --cmd 'set rtp^=editors/nvim' -c 'luafile tests/attach_spec.lua'
-- Environment: TWIRL_BIN (the binary), TWIRL_SEED (the seed draft), TWIRL_TMP
-- (a scratch folder). Exits 0 when every check passes, 1 otherwise.

local WINDOW_START = '2024-11-06'
local failures = 0

local function log(msg)
  io.stdout:write('nvim-test: ' .. msg .. '\n')
end

local function check(ok, what)
  if ok then
    log('ok   ' .. what)
  else
    failures = failures + 1
    log('FAIL ' .. what)
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

--- Event lines `* DATE[ - END] | ...` with the day they end on.
local function events(lines)
  local out = {}
  for _, line in ipairs(lines) do
    local start = line:match('^%* (%d%d%d%d%-%d%d%-%d%d)')
    if start then
      local finish_day = line:match('^%* %d%d%d%d%-%d%d%-%d%d%s*%-%s*(%d%d%d%d%-%d%d%-%d%d)') or start
      table.insert(out, { line = line, start = start, last = finish_day })
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

local ok, err = xpcall(function()
  local bin = assert(os.getenv('TWIRL_BIN'), 'TWIRL_BIN is not set')
  local seed = assert(os.getenv('TWIRL_SEED'), 'TWIRL_SEED is not set')
  local tmp = assert(os.getenv('TWIRL_TMP'), 'TWIRL_TMP is not set')

  local issue = tmp .. '/2024-11-06-this-week-in-rust.md'
  local other = tmp .. '/README.md'
  write(issue, read(seed))
  write(other, '# Not an issue\n\nINSERT_LINK_HERE\n')
  local before_lines = vim.split(read(issue), '\n', { plain = true })
  local stale_before = stale(events(before_lines))
  assert(#stale_before > 0, 'the seed draft has no stale events: wrong input?')
  local kept_before = #events(before_lines) - #stale_before

  check(vim.g.loaded_twirl == true, 'plugin/twirl.lua is loaded from the runtimepath')
  require('twirl').setup({ cmd = bin })

  -- A Markdown file that is not an issue: no server.
  vim.cmd.edit(vim.fn.fnameescape(other))
  local other_buf = vim.api.nvim_get_current_buf()

  vim.cmd.edit(vim.fn.fnameescape(issue))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'markdown', 'issue file has filetype markdown')

  local attached = vim.wait(15000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'twirl' }) > 0
  end, 50)
  check(attached, 'twirl attaches to the issue file')
  if not attached then
    log('LSP log: ' .. vim.lsp.get_log_path())
    return
  end
  check(#vim.lsp.get_clients({ bufnr = other_buf, name = 'twirl' }) == 0, 'twirl does not attach to README.md')

  local got = vim.wait(20000, function()
    return #twirl_diagnostics(buf) > 0
  end, 50)
  check(got, 'diagnostics with source "twirl" arrive')
  if not got then
    return
  end
  -- Let the first publish settle (a server may publish in stages).
  vim.wait(500)
  local all = twirl_diagnostics(buf)
  log(('%d twirl diagnostics'):format(#all))

  local placeholder_line
  for i, line in ipairs(before_lines) do
    if line:find('INSERT_LINK_HERE', 1, true) then
      placeholder_line = i - 1
      break
    end
  end
  local on_line = vim.tbl_filter(function(d)
    return d.lnum == placeholder_line
  end, twirl_diagnostics(buf, 'placeholder'))
  check(#on_line > 0, ('a `placeholder` diagnostic on line %d (INSERT_LINK_HERE)'):format(placeholder_line + 1))

  local outside = twirl_diagnostics(buf, 'event-outside-window')
  check(#outside > 0, ('`event-outside-window` diagnostics (%d)'):format(#outside))
  local first_stale_line
  for i, line in ipairs(before_lines) do
    if line == stale_before[1].line then
      first_stale_line = i - 1
      break
    end
  end
  check(
    #vim.tbl_filter(function(d)
      return d.lnum == first_stale_line
    end, outside) > 0,
    ('the first stale event (line %d) is flagged'):format(first_stale_line + 1)
  )
  check(#vim.diagnostic.get(other_buf) == 0, 'README.md has no diagnostics')

  -- Fix all, as a user would.
  vim.cmd('TwirlFixAll')
  local fixed = vim.wait(10000, function()
    return #stale(events(vim.api.nvim_buf_get_lines(buf, 0, -1, false))) == 0
  end, 50)
  check(fixed, ':TwirlFixAll removes every stale event from the buffer')
  -- Format too: the buffer must then equal `twirl fmt` of the original.
  vim.lsp.buf.format({ bufnr = buf, name = 'twirl', timeout_ms = 10000 })
  local expected = vim.system({ bin, 'fmt', '-', '--stdin-filename', issue }, { stdin = read(seed), text = true }):wait()
  local got = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  check(
    expected.code == 0 and got == expected.stdout,
    'after fix-all and format the buffer equals `twirl fmt` of the seed'
  )
  vim.cmd('silent write')
  local after_lines = vim.split(read(issue), '\n', { plain = true })
  local after_events = events(after_lines)
  check(#stale(after_events) == 0, 'no stale events in the file on disk')
  check(
    #after_events == kept_before,
    ('current events kept on disk (%d before, %d after)'):format(kept_before, #after_events)
  )
  local cleared = vim.wait(10000, function()
    return #twirl_diagnostics(buf, 'event-outside-window') == 0
  end, 50)
  check(cleared, '`event-outside-window` diagnostics are gone after the fix')
  check(#twirl_diagnostics(buf, 'placeholder') > 0, '`placeholder` diagnostics remain (no safe fix)')

  -- Fix all on save: a second copy in another folder (so another client,
  -- started with the new settings), written without any command.
  require('twirl').setup({ cmd = bin, fix_all_on_save = true })
  vim.fn.mkdir(tmp .. '/on-save', 'p')
  local issue2 = tmp .. '/on-save/2024-11-06-this-week-in-rust.md'
  write(issue2, read(seed))
  vim.cmd.edit(vim.fn.fnameescape(issue2))
  local buf2 = vim.api.nvim_get_current_buf()
  local ready = vim.wait(20000, function()
    return #twirl_diagnostics(buf2, 'event-outside-window') > 0
  end, 50)
  check(ready, 'second copy: twirl attaches and reports stale events')
  local client2 = vim.lsp.get_clients({ bufnr = buf2, name = 'twirl' })[1]
  check(client2 ~= nil and client2.config.settings.twirl.fixAllOnSave == true, 'second client has settings.twirl.fixAllOnSave')
  vim.cmd('silent write')
  local saved = events(vim.split(read(issue2), '\n', { plain = true }))
  check(#stale(saved) == 0, 'fix_all_on_save: no stale events on disk after :write')
  check(#saved == kept_before, ('fix_all_on_save: current events kept (%d)'):format(#saved))
end, debug.traceback)

if not ok then
  failures = failures + 1
  log('ERROR ' .. tostring(err))
end
finish()
