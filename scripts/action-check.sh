#!/usr/bin/env bash
# The steps of the twirl GitHub Action (action.yml), as a script so that a
# test can run them: lint the issue files a pull request adds or changes,
# reporting only the findings it introduces, as GitHub annotations.
#
# Environment (set by action.yml):
#   TWIRL_BIN    the twirl binary (default: twirl on PATH)
#   TWIRL_BASE   the base commit of the pull request (required)
#   TWIRL_PATHS  optional space-separated paths (files or directories) to
#                limit the check to; default: the whole repository
#   TWIRL_ARGS   optional extra arguments for `twirl check`
set -euo pipefail

twirl="${TWIRL_BIN:-twirl}"
base="${TWIRL_BASE:-}"
if [ -z "$base" ]; then
    echo "::error title=twirl::no base revision: set the action's \`base\` input (it defaults to the pull request's base commit)"
    exit 2
fi

cd "$(git rev-parse --show-toplevel)"

if ! git cat-file -e "${base}^{commit}" 2>/dev/null; then
    echo "::error title=twirl::base revision ${base} is not in the clone: check out with \`fetch-depth: 0\`"
    exit 2
fi

pathspecs=()
if [ -n "${TWIRL_PATHS:-}" ]; then
    read -r -a given <<<"$TWIRL_PATHS"
    for p in "${given[@]}"; do
        p="${p%/}"
        case "$p" in
            *-this-week-in-rust.md) pathspecs+=("$p") ;;
            *) pathspecs+=("$p/*-this-week-in-rust.md") ;;
        esac
    done
else
    pathspecs=('*-this-week-in-rust.md')
fi

files=()
while IFS= read -r -d '' f; do
    files+=("$f")
done < <(git diff -z --name-only --diff-filter=ACMR "${base}...HEAD" -- "${pathspecs[@]}")

if [ "${#files[@]}" -eq 0 ]; then
    echo "twirl: no issue file changed since ${base}"
    exit 0
fi

extra=()
if [ -n "${TWIRL_ARGS:-}" ]; then
    read -r -a extra <<<"$TWIRL_ARGS"
fi

echo "twirl: checking ${#files[@]} changed issue file(s) against ${base}" >&2
exec "$twirl" check --since "$base" --format github "${extra[@]}" -- "${files[@]}"
