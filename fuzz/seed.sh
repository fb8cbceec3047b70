#!/bin/sh
# Copies seed inputs into fuzz/corpus/<target>/ (gitignored): the rule
# fixtures and the shared TWiR corpus (CC-BY-SA: read at run time, never
# committed). Usage: fuzz/seed.sh [CORPUS_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-${TWIRL_CORPUS:-$here/../../shared/corpus}}
for t in check fmt line_index lsp_changes; do
    mkdir -p "$here/corpus/$t"
done
i=0
for f in $(find "$here/../tests/fixtures" "$here/../examples" "$corpus" -type f -name '*.md' 2>/dev/null | sort); do
    i=$((i + 1))
    for t in check fmt line_index; do
        cp "$f" "$here/corpus/$t/seed-$i.md"
    done
done
# Small seeds for the change fuzzer: its bytes are a script, not a text.
for f in $(find "$here/../tests/fixtures" -type f -name '*.md' | sort | head -20); do
    i=$((i + 1))
    cp "$f" "$here/corpus/lsp_changes/seed-$i.md"
done
echo "seeded $i files"
