--- twirl: lint, fix and format This Week in Rust issue drafts in Neovim 0.11+.
---
--- The server is `twirl lsp` (stdio). It attaches only to Markdown buffers whose
--- file name matches one of `file_patterns` (by default `*-this-week-in-rust.md`
--- and `.markdown`), via the `root_dir` function below.
local M = {}

local FIX_ALL_KIND = 'source.fixAll.twirl'
local FIX_ALL_COMMAND = 'twirl.fixAll'
local MERGE_EVENTS_COMMAND = 'twirl.mergeEvents'
local INSTALL_HINT = 'put the twirl binary of a release on PATH, or build it from a twirl checkout with '
  .. '`cargo install --path crates/twirl-cli`, or pass its path as `cmd` to require("twirl").setup()'

---@class twirl.Settings
---@field rules? { select?: string[], ignore?: string[] }
---@field lookback? integer
---@field fixAllOnSave? boolean

---@class twirl.Options
---@field cmd? string|string[] The twirl binary (default `twirl` on PATH); a list is used as is, without `lsp` added.
---@field file_patterns? string[] Globs matched against the file name (or the path, when they hold a `/`).
---@field settings? twirl.Settings Passed to the server as `initializationOptions` and `settings.twirl`.
---@field format_on_save? boolean Run `textDocument/formatting` before each write.
---@field fix_all_on_save? boolean Apply every safe fix before each write (sets `settings.fixAllOnSave`;
--- a server answering `willSaveWaitUntil` does it itself, else the plugin applies `source.fixAll.twirl`).
---@field root_markers? string[]
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)

---@type twirl.Options
M.defaults = {
  cmd = nil,
  file_patterns = { '*-this-week-in-rust.md', '*-this-week-in-rust.markdown' },
  settings = {
    rules = { select = {}, ignore = {} },
    lookback = 25,
    fixAllOnSave = false,
  },
  format_on_save = false,
  fix_all_on_save = false,
  root_markers = { 'twirl.toml', '.git' },
  on_attach = nil,
}

---@type twirl.Options
M.options = vim.deepcopy(M.defaults)

local matchers_for = {}

--- Does `path` match one of `patterns`? A pattern without `/` matches the file
--- name, one with `/` the whole path (`**` spans folders).
---@param path string
---@param patterns? string[]
---@return boolean
function M.is_issue_file(path, patterns)
  if path == nil or path == '' then
    return false
  end
  patterns = patterns or M.options.file_patterns or M.defaults.file_patterns
  path = path:gsub('\\', '/')
  local name = vim.fs.basename(path)
  for _, pattern in ipairs(patterns) do
    local lpeg = matchers_for[pattern]
    if not lpeg then
      local glob = pattern:find('/', 1, true) and (pattern:sub(1, 3) == '**/' and pattern or '**/' .. pattern:gsub('^/', ''))
        or pattern
      lpeg = vim.glob.to_lpeg(glob)
      matchers_for[pattern] = lpeg
    end
    local subject = pattern:find('/', 1, true) and path or name
    if lpeg:match(subject) then
      return true
    end
  end
  return false
end

local function server_cmd(opts)
  local cmd = opts.cmd
  if type(cmd) == 'table' then
    return cmd
  end
  return { cmd or 'twirl', 'lsp' }
end

local function notify(msg, level)
  vim.notify('twirl: ' .. msg, level or vim.log.levels.INFO)
end

local function settings_of(opts)
  local s = vim.deepcopy(opts.settings or {})
  if opts.fix_all_on_save then
    s.fixAllOnSave = true
  end
  return s
end

--- The `vim.lsp.config` table for the twirl server built from `opts`
--- (default: the options given to `setup`).
---@param opts? twirl.Options
---@return vim.lsp.Config
function M.lsp_config(opts)
  opts = opts or M.options
  local settings = settings_of(opts)
  return {
    cmd = server_cmd(opts),
    filetypes = { 'markdown' },
    root_markers = opts.root_markers,
    -- Only issue files: returning without calling on_dir keeps the server
    -- away from every other Markdown buffer.
    root_dir = function(bufnr, on_dir)
      local name = vim.api.nvim_buf_get_name(bufnr)
      if not M.is_issue_file(name, opts.file_patterns) then
        return
      end
      on_dir(vim.fs.root(bufnr, opts.root_markers or { '.git' }) or vim.fs.dirname(name))
    end,
    init_options = settings,
    settings = { twirl = settings },
  }
end

---@param bufnr? integer
---@return vim.lsp.Client?
local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'twirl' })[1]
end

local function has_fix_all_command(client)
  local provider = client.server_capabilities.executeCommandProvider
  return provider ~= nil and vim.tbl_contains(provider.commands or {}, FIX_ALL_COMMAND)
end

--- Asks the server for the `source.fixAll.twirl` action and waits for it.
---@return lsp.CodeAction?
local function fix_all_action(client, bufnr, timeout_ms)
  local last = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } },
    context = { diagnostics = {}, only = { FIX_ALL_KIND }, triggerKind = 2 },
  }
  local response = client:request_sync('textDocument/codeAction', params, timeout_ms, bufnr)
  if not response or response.err or type(response.result) ~= 'table' then
    return nil
  end
  for _, action in ipairs(response.result) do
    if action.kind and (action.kind == FIX_ALL_KIND or vim.startswith(action.kind, FIX_ALL_KIND .. '.')) then
      if not action.edit and not action.command then
        local provider = client.server_capabilities.codeActionProvider
        if type(provider) == 'table' and provider.resolveProvider then
          local resolved = client:request_sync('codeAction/resolve', action, timeout_ms, bufnr)
          if resolved and resolved.result then
            action = resolved.result
          end
        end
      end
      return action
    end
  end
  return nil
end

--- Applies every safe fix to `bufnr`: the server's `source.fixAll.twirl` code
--- action when it has one with edits (synchronous, so it also works before a
--- write), else its `twirl.fixAll` command (the server then sends
--- `workspace/applyEdit`).
---@param bufnr? integer
---@param opts? { timeout_ms?: integer, quiet?: boolean }
---@return boolean applied whether edits were applied or the command was sent
function M.fix_all(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  opts = opts or {}
  local client = client_for(bufnr)
  if not client then
    if not opts.quiet then
      notify('the server is not attached to this buffer (is it an issue file? is `twirl` installed?)', vim.log.levels.WARN)
    end
    return false
  end
  local action = fix_all_action(client, bufnr, opts.timeout_ms or 3000)
  if action and action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    return true
  end
  local command = action and action.command
  if type(command) == 'table' then
    client:exec_cmd(command, { bufnr = bufnr })
    return true
  end
  if has_fix_all_command(client) then
    client:exec_cmd({ title = 'twirl: Fix All', command = FIX_ALL_COMMAND, arguments = { vim.uri_from_bufnr(bufnr) } }, { bufnr = bufnr })
    return true
  end
  if not opts.quiet then
    notify('nothing to fix')
  end
  return false
end

--- Merges the event entries of `files` (Markdown under `### Region` headings,
--- or the Meetup collector's JSON) into the draft in `bufnr`, as `twirl events
--- merge` does: the server edits the buffer (one undoable change) and answers
--- with the summary, which is shown.
---@param bufnr? integer
---@param files string[]
---@param on_done? fun(err: table|nil, summary: string|nil)
function M.merge_events(bufnr, files, on_done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_for(bufnr)
  if not client then
    notify('the server is not attached to this buffer (is it an issue file? is `twirl` installed?)', vim.log.levels.WARN)
    return
  end
  local args = { vim.uri_from_bufnr(bufnr) }
  for _, f in ipairs(files) do
    table.insert(args, vim.fn.fnamemodify(vim.fn.expand(f), ':p'))
  end
  client:exec_cmd({ title = 'twirl: Merge Events', command = MERGE_EVENTS_COMMAND, arguments = args }, { bufnr = bufnr }, function(err, summary)
    if err then
      notify(err.message or tostring(err), vim.log.levels.ERROR)
    elseif type(summary) == 'string' then
      notify((summary:gsub('^twirl: ', ''):gsub('\n$', '')))
    end
    if on_done then
      on_done(err, summary)
    end
  end)
end

--- Formats the buffer with twirl (same result as `twirl fmt`).
---@param bufnr? integer
function M.format(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_for(bufnr)
  if not client then
    notify('the server is not attached to this buffer', vim.log.levels.WARN)
    return
  end
  vim.lsp.buf.format({ bufnr = bufnr, id = client.id, timeout_ms = 3000 })
end

--- Stops the twirl clients and starts them again on the open issue buffers.
function M.restart()
  for _, client in ipairs(vim.lsp.get_clients({ name = 'twirl' })) do
    client:stop(true)
  end
  vim.defer_fn(function()
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'markdown' then
        vim.api.nvim_exec_autocmds('FileType', { buffer = buf, pattern = 'markdown' })
      end
    end
  end, 500)
end

--- Filetype detection and the user commands. Idempotent: run by
--- plugin/twirl.lua at startup and again by `setup()` for plugin managers that
--- add the plugin to the runtimepath late.
function M.register()
  if M._registered then
    return
  end
  M._registered = true
  vim.filetype.add({
    pattern = {
      ['.*%-this%-week%-in%-rust%.md'] = 'markdown',
      ['.*%-this%-week%-in%-rust%.markdown'] = 'markdown',
    },
  })
  vim.api.nvim_create_user_command('TwirlFixAll', function()
    M.fix_all(0)
  end, { desc = 'twirl: apply every safe fix to this issue' })
  vim.api.nvim_create_user_command('TwirlMergeEvents', function(cmd)
    M.merge_events(0, cmd.fargs)
  end, { nargs = '+', complete = 'file', desc = 'twirl: merge the event entries of files into this draft' })
  vim.api.nvim_create_user_command('TwirlFormat', function()
    M.format(0)
  end, { desc = 'twirl: format this issue' })
  vim.api.nvim_create_user_command('TwirlRestart', function()
    M.restart()
  end, { desc = 'twirl: restart the language server' })
end

local augroup = vim.api.nvim_create_augroup('twirl', { clear = true })
local missing_group = vim.api.nvim_create_augroup('twirl.missing', { clear = true })
--- Commands already reported missing: said once, when an issue file opens.
local warned_missing = {}

--- Neovim does not start a server whose command is not executable, and says
--- so only in its LSP log: tell the user when an issue file opens, once.
local function warn_when_missing(opts)
  vim.api.nvim_clear_autocmds({ group = missing_group })
  vim.api.nvim_create_autocmd('FileType', {
    group = missing_group,
    pattern = 'markdown',
    desc = 'twirl: say once that the binary is missing',
    callback = function(ev)
      local exe = server_cmd(opts)[1]
      local name = vim.api.nvim_buf_get_name(ev.buf)
      if warned_missing[exe] or not M.is_issue_file(name, opts.file_patterns) or vim.fn.executable(exe) == 1 then
        return
      end
      warned_missing[exe] = true
      notify(('`%s` is not executable: %s'):format(exe, INSTALL_HINT), vim.log.levels.WARN)
    end,
  })
end

--- Does the server answer `textDocument/willSaveWaitUntil`? Neovim then asks
--- it before each write, and the server applies `fixAllOnSave` itself.
local function server_fixes_on_will_save(client)
  local sync = client.server_capabilities.textDocumentSync
  return type(sync) == 'table' and sync.willSaveWaitUntil == true
end

local function on_attach(client, bufnr)
  local opts = M.options
  -- One path only: when the server fixes on will-save, applying the fix-all
  -- action here as well would apply the same edits twice.
  local fix_on_save = (opts.fix_all_on_save or (opts.settings and opts.settings.fixAllOnSave))
    and not server_fixes_on_will_save(client)
  if fix_on_save or opts.format_on_save then
    vim.api.nvim_clear_autocmds({ group = augroup, buffer = bufnr })
    vim.api.nvim_create_autocmd('BufWritePre', {
      group = augroup,
      buffer = bufnr,
      desc = 'twirl: fix all / format before writing',
      callback = function()
        if fix_on_save then
          M.fix_all(bufnr, { quiet = true, timeout_ms = 1500 })
        end
        if opts.format_on_save then
          vim.lsp.buf.format({ bufnr = bufnr, id = client.id, timeout_ms = 1500 })
        end
      end,
    })
  end
  if opts.on_attach then
    opts.on_attach(client, bufnr)
  end
end

--- Configures and enables the twirl server.
---@param opts? twirl.Options
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- Lists replace, they don't merge.
  if opts and opts.file_patterns then
    M.options.file_patterns = opts.file_patterns
  end
  matchers_for = {}
  M.register()
  if vim.fn.has('nvim-0.11') == 0 then
    notify('needs Neovim 0.11 or newer', vim.log.levels.ERROR)
    return
  end
  warn_when_missing(M.options)
  local config = M.lsp_config(M.options)
  config.on_attach = on_attach
  vim.lsp.config('twirl', config)
  vim.lsp.enable('twirl')
end

return M
