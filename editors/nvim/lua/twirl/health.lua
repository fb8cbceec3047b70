--- `:checkhealth twirl`
local M = {}

function M.check()
  local health = vim.health
  health.start('twirl')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()))
  else
    health.error('Neovim 0.11 or newer is required (vim.lsp.config / vim.lsp.enable)')
  end
  local twirl = require('twirl')
  local cmd = twirl.lsp_config().cmd
  local exe = type(cmd) == 'table' and cmd[1] or nil
  if exe and vim.fn.executable(exe) == 1 then
    local out = vim.fn.system({ exe, '--version' })
    health.ok(('`%s` found: %s'):format(vim.fn.exepath(exe), vim.trim(out)))
  else
    health.error(('`%s` not found'):format(tostring(exe)), {
      'Put the twirl binary of a release for your platform on PATH as `twirl`',
      'Or build it from a twirl checkout: cargo install --path crates/twirl-cli',
      "Or point the plugin at it: require('twirl').setup({ cmd = '/path/to/twirl' })",
    })
  end
  health.info('file patterns: ' .. table.concat(twirl.options.file_patterns, ', '))
  local clients = vim.lsp.get_clients({ name = 'twirl' })
  health.info(('%d twirl client(s) running'):format(#clients))
end

return M
