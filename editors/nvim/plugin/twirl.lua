-- Filetype detection and the :Twirl* commands; `require('twirl').setup()`
-- configures and enables the language server.
if vim.g.loaded_twirl then
  return
end
vim.g.loaded_twirl = true
require('twirl').register()
