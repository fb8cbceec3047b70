#!/usr/bin/env bash
# Makes the venv the render oracle (tests/oracle) runs in: Python-Markdown
# 3.7 from PyPI, the version the site renders with. Prints the venv's
# python on stdout; a venv that already has it is left as it is.
#
#   TWIRL_MARKDOWN_VENV   where (default /opt/twirl-md)
set -euo pipefail
venv="${TWIRL_MARKDOWN_VENV:-/opt/twirl-md}"
version=3.7

has_markdown() {
    "$venv/bin/python" -c "import markdown, sys; sys.exit(markdown.__version__ != '$version')" 2>/dev/null
}

if ! has_markdown; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        echo "setup.sh: installing python3-venv with apt-get" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >&2
    fi
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "Markdown==$version" >&2
    has_markdown || { echo "setup.sh: no Python-Markdown $version in $venv" >&2; exit 1; }
fi
echo "$venv/bin/python"
