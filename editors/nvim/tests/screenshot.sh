#!/usr/bin/env bash
# Captures images/screenshot.png: Neovim with twirl's diagnostics on a copy of
# the seed draft, running in a real terminal (xterm) on a virtual X display
# (Xvfb), grabbed with ImageMagick's `import`.
# Needs: apt-get install xvfb xterm imagemagick fonts-dejavu-core
# Environment: NVIM, TWIRL_BIN, TWIRL_CORPUS as in tests/run.sh;
# OUT (default: images/screenshot.png).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plugin="$(dirname "$here")"
repo="$(cd "$plugin/../.." && pwd)"
nvim="${NVIM:-$(command -v nvim || echo /opt/twirl-nvim/bin/nvim)}"
twirl_bin="${TWIRL_BIN:-$repo/target/debug/twirl}"
corpus="${TWIRL_CORPUS:-$repo/../shared/corpus}"
out="${OUT:-$plugin/images/screenshot.png}"
for tool in Xvfb xterm import; do
    command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing (apt-get install xvfb xterm imagemagick)" >&2; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/twirl-shot.XXXXXX")"
xvfb_pid=""
xterm_pid=""
cleanup() {
    [[ -n "$xterm_pid" ]] && kill "$xterm_pid" 2>/dev/null || true
    [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

issue="$tmp/2024-11-06-this-week-in-rust.md"
cat "$corpus/drafts/seed/2024-11-06-this-week-in-rust.md" > "$issue"

cat > "$tmp/init.lua" <<LUA
vim.opt.rtp:prepend('$plugin')
vim.opt.termguicolors = true
vim.opt.number = true
vim.opt.signcolumn = 'yes'
vim.opt.wrap = false
vim.opt.laststatus = 2
vim.opt.swapfile = false
vim.cmd.colorscheme('default')
vim.diagnostic.config({ virtual_text = { prefix = '●' }, severity_sort = true })
require('twirl').setup({ cmd = '$twirl_bin' })
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(ev)
    if #vim.diagnostic.get(ev.buf) == 0 then return end
    vim.defer_fn(function()
      -- Show the events section, where the stale events are.
      local row = vim.fn.search('^### Virtual', 'w')
      vim.api.nvim_win_set_cursor(0, { row + 1, 2 })
      vim.cmd('normal! zt')
      vim.cmd('normal! 3\x19')
      -- Later, so that the CursorMoved of the jump does not close it again.
      vim.defer_fn(function()
        vim.diagnostic.open_float({ scope = 'line', border = 'rounded', focus = false })
        vim.defer_fn(function() io.open('$tmp/ready', 'w'):close() end, 500)
      end, 300)
    end, 800)
  end,
})
LUA

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1700x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
DISPLAY="$display" xterm -geometry 172x47+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#14161b' -fg '#e0e2ea' \
    -bc -title nvim -e env TERM=xterm-256color COLORTERM=truecolor "$nvim" --clean -n -i NONE -u "$tmp/init.lua" "$issue" &
xterm_pid=$!
for _ in $(seq 60); do [[ -f "$tmp/ready" ]] && break; sleep 0.5; done
[[ -f "$tmp/ready" ]] || { echo "screenshot: no diagnostics after 30 s" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
DISPLAY="$display" import -window root -crop 1552x894+0+0 "$out"
echo "screenshot: $out"
