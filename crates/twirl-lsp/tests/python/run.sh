#!/usr/bin/env bash
# Runs the Python client tests (pytest-lsp) against the real binary.
#
#   crates/twirl-lsp/tests/python/run.sh [pytest args]
#
# The venv lives in ${TWIRL_VENV:-/opt/twirl-py} and is created on first
# use. The server command is ${TWIRL_BIN:-<repo>/target/debug/twirl} lsp,
# built here unless TWIRL_BIN is set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
venv="${TWIRL_VENV:-/opt/twirl-py}"

if ! "$venv/bin/python" -c 'import pytest, pytest_lsp' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check pytest pytest-lsp
fi

if [ -z "${TWIRL_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet -p twirl-cli)
    export TWIRL_BIN="$repo/target/debug/twirl"
fi

cd "$here"
# A hung session fails the run in ten minutes rather than holding CI.
exec timeout 600 "$venv/bin/python" -m pytest -q "$@"
