-- Default configuration of the twirl language server for Neovim 0.11+'s
-- `vim.lsp.enable('twirl')`. `require('twirl').setup(opts)` layers the
-- user's options over this with `vim.lsp.config('twirl', ...)`.
return require('twirl').lsp_config()
