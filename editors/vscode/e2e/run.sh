#!/usr/bin/env bash
# End-to-end test of the VS Code extension as a user without Rust gets it:
# packages twirl-linux-x64.vsix with the twirl binary bundled, installs it
# into code-server started with no twirl on PATH and no twirl.path set, opens
# a temp workspace holding a copy of the seed draft, and drives the workbench
# in headless Chromium (e2e/driver.mjs, which lists what it checks).
#
# Environment:
#   TWIRL_BIN               twirl binary (default: <repo>/target/debug/twirl)
#   TWIRL_CORPUS            corpus folder (default: <repo>/../shared/corpus)
#   TWIRL_CODE_SERVER_DIR   code-server install (default: ~/.cache/twirl-editors/code-server)
#   TWIRL_E2E_ARTIFACTS     screenshots and logs (default: editors/vscode/e2e/artifacts)
#   TWIRL_E2E_KEEP=1        keep the temp folder (workspace, profile, logs)
#   CHROMIUM                browser (default: /usr/bin/chromium)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ext_dir="$(dirname "$here")"
repo="$(cd "$ext_dir/../.." && pwd)"

twirl_bin="${TWIRL_BIN:-$repo/target/debug/twirl}"
corpus="${TWIRL_CORPUS:-$repo/../shared/corpus}"
cs_dir="${TWIRL_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/twirl-editors/code-server}"
artifacts="${TWIRL_E2E_ARTIFACTS:-$here/artifacts}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
seed="$corpus/drafts/seed/2024-11-06-this-week-in-rust.md"
entry="$cs_dir/node_modules/code-server/out/node/entry.js"
vsix="$ext_dir/twirl-linux-x64.vsix"

fail() { echo "e2e: $*" >&2; exit 1; }

[[ -f "$seed" ]] || fail "seed draft not found at $seed (set TWIRL_CORPUS)"
[[ -f "$entry" ]] || fail "code-server is not installed in $cs_dir (run e2e/install-code-server.sh)"
[[ -x "$chromium" ]] || fail "Chromium not found at $chromium (apt-get install chromium)"
[[ -d "$ext_dir/node_modules/playwright-core" ]] || fail "playwright-core missing: run npm ci in $ext_dir"
[[ -x "$twirl_bin" ]] || fail "twirl binary not found at $twirl_bin (cargo build -p twirl-cli, or set TWIRL_BIN)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/twirl-e2e.XXXXXX")"
cs_pid=""
cleanup() {
    # code-server runs in its own session: stopping the whole group stops
    # the extension host and watchers too, which otherwise go on writing
    # into $tmp while it is removed.
    if [[ -n "$cs_pid" ]]; then
        kill -- "-$cs_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 -- "-$cs_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 -- "-$cs_pid" 2>/dev/null || true
    fi
    if [[ -f "$tmp/code-server.log" ]]; then cp "$tmp/code-server.log" "$artifacts/" 2>/dev/null || true; fi
    if [[ -d "$tmp/ud/logs" ]]; then rm -rf "$artifacts/logs"; cp -r "$tmp/ud/logs" "$artifacts/logs" 2>/dev/null || true; fi
    # Cleaning up never decides the test's result.
    if [[ -z "${TWIRL_E2E_KEEP:-}" ]]; then
        rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; } || echo "e2e: warning: could not remove $tmp" >&2
    else
        echo "e2e: kept $tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$artifacts" "$tmp/ws" "$tmp/ud/User" "$tmp/ext"
issue="$tmp/ws/2024-11-06-this-week-in-rust.md"
cat "$seed" > "$issue"  # a writable copy, whatever the mode of the seed

# The package a release builds for linux-x64, with this binary inside. A
# debug build carries 170 MB of debug info: the bundled copy goes without.
t0=$SECONDS
if command -v strip >/dev/null; then strip -o "$tmp/twirl" "$twirl_bin"; else cp "$twirl_bin" "$tmp/twirl"; fi
(cd "$ext_dir" && node package.mjs --target linux-x64 --binary "$tmp/twirl" --out "$vsix") > "$tmp/package.log" 2>&1 \
    || { cat "$tmp/package.log" >&2; fail "packaging $vsix failed"; }
echo "e2e: packaged $(basename "$vsix") ($(du -k "$vsix" | cut -f1) KiB) in $((SECONDS - t0)) s"

# No twirl on code-server's PATH: only the system folders and an empty one
# that the driver later puts twirl into.
mkdir -p "$tmp/path"
cs_path="$tmp/path:/usr/local/bin:/usr/bin:/bin"
if found="$(env PATH="$cs_path" sh -c 'command -v twirl')"; then fail "twirl is on the test's PATH ($found): remove it"; fi

cat > "$tmp/ud/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.colorTheme": "Default Dark Modern",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "editor.stickyScroll.enabled": false,
  "files.autoSave": "off",
  "git.enabled": false,
  "chat.commandCenter.enabled": false,
  "explorer.openEditors.visible": 0,
  "twirl.trace.server": "messages"
}
JSON

node "$entry" --extensions-dir "$tmp/ext" --user-data-dir "$tmp/ud" --install-extension "$vsix" \
    > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "installing $vsix into code-server failed"; }
ls "$tmp/ext" | grep -q '^twirl-dev\.twirl-' || { cat "$tmp/install.log" >&2; fail "extension not found in $tmp/ext after install"; }

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
# VSCODE_CLI=1: the extension host keeps this PATH instead of taking a login
# shell's (where ~/.cargo/bin may hold a twirl).
VSCODE_CLI=1 PATH="$cs_path" setsid "$(command -v node)" "$entry" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
    --user-data-dir "$tmp/ud" --extensions-dir "$tmp/ext" "$tmp/ws" > "$tmp/code-server.log" 2>&1 &
cs_pid=$!

for i in $(seq 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then break; fi
    kill -0 "$cs_pid" 2>/dev/null || { cat "$tmp/code-server.log" >&2; fail "code-server exited"; }
    [[ $i == 120 ]] && { cat "$tmp/code-server.log" >&2; fail "code-server did not answer within 60 s"; }
    sleep 0.5
done

t0=$SECONDS
node "$here/driver.mjs" \
    --url "http://127.0.0.1:$port/?folder=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$tmp/ws")" \
    --file "$issue" --twirl "$twirl_bin" --ext-dir "$tmp/ext" --path-dir "$tmp/path" --logs "$tmp/ud/logs" \
    --artifacts "$artifacts" --chromium "$chromium"
echo "e2e: the browser session took $((SECONDS - t0)) s"
