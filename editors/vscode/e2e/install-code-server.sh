#!/usr/bin/env bash
# Install code-server 4 (4.100.3: the newest whose engines allow node 20) from the npm registry into $1 (default: the cache dir),
# following /work/shared/docs/code-server.md. Idempotent: a finished install
# leaves a stamp file and is skipped next time.
set -euo pipefail

dir="${1:-${TWIRL_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/twirl-editors/code-server}}"
stamp="$dir/.twirl-installed"
if [[ -f "$stamp" ]]; then
    echo "code-server already installed in $dir"
    exit 0
fi
for tool in node npm rg; do
    command -v "$tool" >/dev/null || { echo "install-code-server: '$tool' is missing" >&2; exit 1; }
done

mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || echo '{"name":"twirl-code-server","private":true}' > package.json
npm install --ignore-scripts --no-audit --no-fund "code-server@${TWIRL_CODE_SERVER_VERSION:-4.100.3}"
npm_config_yes=true npm rebuild --unsafe-perm argon2
cd node_modules/code-server/lib/vscode
npm install --unsafe-perm --omit=dev --ignore-scripts --no-audit --no-fund
# Its ripgrep module would download a binary from outside the registries.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild --unsafe-perm node-pty kerberos native-watchdog \
    @vscode/spdlog @vscode/sqlite3 @parcel/watcher @vscode/deviceid @vscode/windows-registry
ln -sfn node_modules node_modules.asar
(cd extensions && npm install --unsafe-perm --omit=dev --ignore-scripts --no-audit --no-fund)

touch "$stamp"
echo "code-server installed in $dir"
