#!/usr/bin/env bash
# End-to-end test of the VS Code extension: installs twirl.vsix into
# code-server, opens a temp workspace holding a copy of the seed draft, and
# drives the workbench in headless Chromium (e2e/driver.mjs): diagnostics in
# the Problems panel, "twirl: Fix All", save, and the file on disk.
#
# Environment:
#   TWIRL_BIN               twirl binary (default: <repo>/target/debug/twirl)
#   TWIRL_CORPUS            corpus folder (default: <repo>/../shared/corpus)
#   TWIRL_CODE_SERVER_DIR   code-server install (default: ~/.cache/twirl-editors/code-server)
#   TWIRL_E2E_ARTIFACTS     screenshots and logs (default: editors/vscode/e2e/artifacts)
#   TWIRL_E2E_MOCK=1        use e2e/mock-server.mjs instead of the real binary
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
vsix="$ext_dir/twirl.vsix"

fail() { echo "e2e: $*" >&2; exit 1; }

[[ -f "$seed" ]] || fail "seed draft not found at $seed (set TWIRL_CORPUS)"
[[ -f "$entry" ]] || fail "code-server is not installed in $cs_dir (run e2e/install-code-server.sh)"
[[ -x "$chromium" ]] || fail "Chromium not found at $chromium (apt-get install chromium)"
[[ -d "$ext_dir/node_modules/playwright-core" ]] || fail "playwright-core missing: run npm ci in $ext_dir"
if [[ ! -f "$vsix" ]]; then
    (cd "$ext_dir" && npm run --silent package) || fail "npm run package failed"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/twirl-e2e.XXXXXX")"
cs_pid=""
cleanup() {
    if [[ -n "$cs_pid" ]] && kill -0 "$cs_pid" 2>/dev/null; then
        kill "$cs_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$cs_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$cs_pid" 2>/dev/null || true
    fi
    if [[ -f "$tmp/code-server.log" ]]; then cp "$tmp/code-server.log" "$artifacts/" 2>/dev/null || true; fi
    if [[ -d "$tmp/ud/logs" ]]; then rm -rf "$artifacts/logs"; cp -r "$tmp/ud/logs" "$artifacts/logs" 2>/dev/null || true; fi
    if [[ -z "${TWIRL_E2E_KEEP:-}" ]]; then rm -rf "$tmp"; else echo "e2e: kept $tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$artifacts" "$tmp/ws" "$tmp/ud/User" "$tmp/ext"
issue="$tmp/ws/2024-11-06-this-week-in-rust.md"
cat "$seed" > "$issue"  # a writable copy, whatever the mode of the seed

if [[ "${TWIRL_E2E_MOCK:-}" == 1 ]]; then
    twirl_bin="$tmp/twirl-mock"
    printf '#!/bin/sh\nexec node %q "$@"\n' "$here/mock-server.mjs" > "$twirl_bin"
    chmod +x "$twirl_bin"
    echo "e2e: using the mock server"
fi
[[ -x "$twirl_bin" ]] || fail "twirl binary not found at $twirl_bin (cargo build -p twirl-cli, or set TWIRL_BIN)"

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
  "twirl.path": "$twirl_bin",
  "twirl.trace.server": "messages"
}
JSON

node "$entry" --extensions-dir "$tmp/ext" --user-data-dir "$tmp/ud" --install-extension "$vsix" \
    > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "installing $vsix into code-server failed"; }
ls "$tmp/ext" | grep -q '^twirl-dev\.twirl-' || { cat "$tmp/install.log" >&2; fail "extension not found in $tmp/ext after install"; }

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
node "$entry" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
    --user-data-dir "$tmp/ud" --extensions-dir "$tmp/ext" "$tmp/ws" > "$tmp/code-server.log" 2>&1 &
cs_pid=$!

for i in $(seq 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then break; fi
    kill -0 "$cs_pid" 2>/dev/null || { cat "$tmp/code-server.log" >&2; fail "code-server exited"; }
    [[ $i == 120 ]] && { cat "$tmp/code-server.log" >&2; fail "code-server did not answer within 60 s"; }
    sleep 0.5
done

node "$here/driver.mjs" \
    --url "http://127.0.0.1:$port/?folder=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$tmp/ws")" \
    --file "$issue" --artifacts "$artifacts" --chromium "$chromium"

# The "twirl" output channel holds the client's and the server's log.
channel="$(find "$tmp/ud/logs" -path '*output_logging_*' -name '*-twirl.log' | head -1)"
[[ -n "$channel" ]] || fail "no \"twirl\" output channel in the extension host logs"
grep -q "starting .* lsp" "$channel" || fail "the twirl output channel does not show the server starting"
grep -q "publishDiagnostics" "$channel" || fail "the twirl output channel has no server traffic"
echo "e2e: output channel \"twirl\": $(wc -l < "$channel") lines"
