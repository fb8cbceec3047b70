#!/usr/bin/env bash
# twirl against its floor and its peers, paired in one hyperfine run, on the
# published corpus and on its largest issue. Writes the tables between the
# markers in docs/performance.md (and prints them).
#
#   scripts/bench-compare.sh            # everything (a few minutes)
#   RUNS=5 scripts/bench-compare.sh     # fewer runs
#   SKIP_PEERS=1 scripts/bench-compare.sh   # twirl and the floor only
#
# Tools are installed into $TWIRL_BENCH_CACHE (~/.cache/twirl-bench), never
# into the repository: hyperfine (apt), rumdl (pip, in a venv), dprint with
# the @dprint/markdown plugin and markdownlint-cli2 (npm). dprint's plugin is
# the plugin.wasm that the @dprint/markdown npm package ships, given to
# dprint as a local path, so nothing is downloaded from outside the
# registries. The corpus is read where it is ($TWIRL_CORPUS or
# ../shared/corpus) and copied only to a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CORPUS=${TWIRL_CORPUS:-$ROOT/../shared/corpus}
PUBLISHED=$(cd "$CORPUS/published" && pwd)
LARGEST=$PUBLISHED/2024-11-20-this-week-in-rust.md
CACHE=${TWIRL_BENCH_CACHE:-$HOME/.cache/twirl-bench}
RUNS=${RUNS:-10}
SLOW_RUNS=${SLOW_RUNS:-3}
DOC=$ROOT/docs/performance.md
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$LARGEST" ] || { echo "corpus not found at $CORPUS"; exit 1; }

step() { printf '\n=== %s\n' "$1" >&2; }

step "tools"
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
mkdir -p "$CACHE"
if [ -z "${SKIP_PEERS:-}" ]; then
  if [ ! -x "$CACHE/venv/bin/rumdl" ]; then
    python3 -m venv "$CACHE/venv"
    "$CACHE/venv/bin/pip" install -q rumdl
  fi
  if [ ! -x "$CACHE/npm/node_modules/.bin/markdownlint-cli2" ] ||
     [ ! -f "$CACHE/npm/node_modules/@dprint/markdown/plugin.wasm" ]; then
    mkdir -p "$CACHE/npm"
    (cd "$CACHE/npm" && { [ -f package.json ] || npm init -y >/dev/null; } &&
      npm install --no-audit --no-fund dprint @dprint/markdown markdownlint-cli2 >/dev/null)
  fi
  RUMDL=$CACHE/venv/bin/rumdl
  MDL=$CACHE/npm/node_modules/.bin/markdownlint-cli2
  # The platform binary the dprint npm package depends on (its postinstall
  # only copies it).
  DPRINT=$(ls "$CACHE"/npm/node_modules/@dprint/linux-*/dprint 2>/dev/null | head -1)
  [ -x "$DPRINT" ] || DPRINT=$CACHE/npm/node_modules/dprint/dprint
  export DPRINT_CACHE_DIR=$CACHE/dprint-cache
fi

step "build (release)"
cargo build --release -q -p twirl-cli -p twirl-bench
# Measured as installed copies, as `cargo install` or a package leaves
# them, not where the linker wrote them: a just-linked binary sits in the
# page cache as the linker's small writes left it, and every page of code a
# run touches faults on its own. That costs twirl's larger binary more
# than the floor's (on the largest issue, 1.50x the floor just linked
# against 1.42x as copies, 2026-12-01); both are measured the same way.
mkdir -p "$WORK/bin"
cp "$ROOT/target/release/twirl" "$ROOT/target/release/floor" "$ROOT/target/release/events-scaling" "$WORK/bin/"
TWIRL=$WORK/bin/twirl
FLOOR=$WORK/bin/floor
SCALING=$WORK/bin/events-scaling

# The peers get copies: dprint only formats files under its config's
# directory, and the largest issue is also checked alone (no look-back).
mkdir -p "$WORK/corpus/published" "$WORK/one"
cp "$PUBLISHED"/* "$WORK/corpus/published/"
cp "$LARGEST" "$WORK/one/"
ONE=$WORK/one/$(basename "$LARGEST")
echo '{ "plugins": ["'"$CACHE"'/npm/node_modules/@dprint/markdown/plugin.wasm"] }' >"$WORK/dprint.json"
echo '{ "config": {} }' >"$WORK/.markdownlint-cli2.jsonc"
if [ -z "${SKIP_PEERS:-}" ]; then
  # Compile the wasm plugin once, outside the measurements.
  (cd "$WORK" && "$DPRINT" check --config dprint.json "one/*.md" >/dev/null 2>&1 || true)
fi

HF=(hyperfine -N -i --style basic)

step "corpus: $(ls "$PUBLISHED" | wc -l) files"
cmds=(
  -n floor "$FLOOR $PUBLISHED"
  -n "twirl check" "$TWIRL check $PUBLISHED"
  -n "twirl fmt --check" "$TWIRL fmt --check $PUBLISHED"
)
if [ -z "${SKIP_PEERS:-}" ]; then
  cmds+=(
    -n "rumdl check" "$RUMDL check --no-cache $WORK/corpus/published"
    -n "dprint check" "$DPRINT check --config $WORK/dprint.json $WORK/corpus/published/*"
  )
fi
(cd "$WORK" && "${HF[@]}" --warmup 2 --runs "$RUNS" --export-json "$WORK/corpus.json" "${cmds[@]}" >&2)
if [ -z "${SKIP_PEERS:-}" ]; then
  (cd "$WORK" && "${HF[@]}" --warmup 1 --runs "$SLOW_RUNS" --export-json "$WORK/corpus-slow.json" \
    -n floor "$FLOOR $PUBLISHED" \
    -n "markdownlint-cli2" "$MDL corpus/published/*" >&2)
fi

step "largest issue: $(basename "$LARGEST") ($(wc -c <"$LARGEST") bytes)"
cmds=(
  -n floor "$FLOOR $ONE"
  -n "twirl check (alone)" "$TWIRL check $ONE"
  -n "twirl check (look-back: published/)" "$TWIRL check $LARGEST"
  -n "twirl fmt --check" "$TWIRL fmt --check $ONE"
)
if [ -z "${SKIP_PEERS:-}" ]; then
  cmds+=(
    -n "rumdl check" "$RUMDL check --no-cache $ONE"
    -n "dprint check" "$DPRINT check --config $WORK/dprint.json $ONE"
    -n "markdownlint-cli2" "$MDL $ONE"
  )
fi
(cd "$WORK" && "${HF[@]}" --warmup 2 --runs "$((RUNS * 3))" --export-json "$WORK/one.json" "${cmds[@]}" >&2)

# The machine's speed drifts over minutes (other work shares it), and
# hyperfine runs one command's runs before the next's. So the targets'
# ratios are also measured in short rounds, each a hyperfine run of the
# floor and twirl with the order swapped every round: the median of the
# rounds' ratios is what drift cannot skew.
step "rounds: floor and twirl check, alternating"
ROUNDS=${ROUNDS:-10}
rounds() { # name, floor args, twirl args, runs
  local name=$1 fargs=$2 targs=$3 runs=$4 r
  for r in $(seq "$ROUNDS"); do
    local a=(-n floor "$FLOOR $fargs") b=(-n twirl "$TWIRL $targs")
    if [ $((r % 2)) = 0 ]; then set -- "${b[@]}" "${a[@]}"; else set -- "${a[@]}" "${b[@]}"; fi
    (cd "$WORK" && "${HF[@]}" --warmup 3 --runs "$runs" --export-json "$WORK/round-$name-$r.json" "$@" >/dev/null)
  done
}
rounds corpus "$PUBLISHED" "check $PUBLISHED" "$RUNS"
rounds one "$ONE" "check $ONE" "$((RUNS * 3))"

step "peak memory (corpus)"
peak() { { /usr/bin/time -f %M "$@" 2>&1 >/dev/null || true; } | tail -1; }
MEM_CHECK=$(peak "$TWIRL" check "$PUBLISHED")
MEM_FMT=$(peak "$TWIRL" fmt --check "$PUBLISHED")
MEM_FLOOR=$(peak "$FLOOR" "$PUBLISHED")

step "events scaling"
SCALE=$("$SCALING" "$LARGEST")

step "language server: edit to diagnostics"
# In process, on the largest issue; the bench prints its median and p99,
# and the median of an in-process comrak parse timed between the edits.
LSP=$(cargo bench -q -p twirl-lsp --bench edit_to_diagnostics 2>&1 |
  grep -E '^(edit -> publishDiagnostics|floor \(comrak parse in process)' || echo "not measured")

step "table"
VERSIONS="twirl $("$TWIRL" --version | awk '{print $2, $3}')"
if [ -z "${SKIP_PEERS:-}" ]; then
  VERSIONS+=", $("$RUMDL" --version), dprint $("$DPRINT" --version | awk '{print $2}') with @dprint/markdown $(node -p "require('$CACHE/npm/node_modules/@dprint/markdown/package.json').version"), markdownlint-cli2 $(node -p "require('$CACHE/npm/node_modules/markdownlint-cli2/package.json').version")"
fi
TABLE=$(python3 - "$WORK" <<'PY'
import json, sys, os
work = sys.argv[1]
def load(name):
    p = os.path.join(work, name)
    if not os.path.exists(p):
        return []
    return json.load(open(p))["results"]
def table(title, results):
    floor = next(r["median"] for r in results if r["command"] == "floor")
    out = [f"**{title}**", "", "| command | median | mean ± σ | ratio to floor |", "| --- | ---: | ---: | ---: |"]
    for r in results:
        out.append(f"| {r['command']} | {r['median']*1000:.1f} ms | {r['mean']*1000:.1f} ± {r['stddev']*1000:.1f} ms | {r['median']/floor:.2f}x |")
    return "\n".join(out)
parts = [table("Published corpus (575 files, 9.3 MB)", load("corpus.json"))]
slow = load("corpus-slow.json")
if slow:
    parts.append(table("Published corpus, slow peers (fewer runs, their own floor run)", slow))
parts.append(table("Largest issue (41 KB), whole process", load("one.json")))
import glob, statistics
rows = ["**Alternating rounds: twirl check against the floor**", "",
        "| input | rounds | median ratio | lowest | highest |", "| --- | ---: | ---: | ---: | ---: |"]
for name, title in [("corpus", "published corpus"), ("one", "largest issue, alone")]:
    ratios = []
    for f in glob.glob(os.path.join(work, f"round-{name}-*.json")):
        m = {r["command"]: r["median"] for r in json.load(open(f))["results"]}
        ratios.append(m["twirl"] / m["floor"])
    if ratios:
        rows.append(f"| {title} | {len(ratios)} | {statistics.median(ratios):.2f}x | {min(ratios):.2f}x | {max(ratios):.2f}x |")
parts.append("\n".join(rows))
print("\n\n".join(parts))
PY
)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
BODY=$(cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($CPU), $(uname -sr);
$VERSIONS. hyperfine, $RUNS runs (largest issue: $((RUNS * 3))), 2 warm-up
runs; medians. Other work shared the machine: compare ratios within one
table, not absolute times across runs. The rounds table: $ROUNDS rounds,
each a hyperfine run of the floor and twirl ($RUNS runs on the corpus,
$((RUNS * 3)) on the issue, 3 warm-up runs), their order swapped each
round; the ratio of the two medians, per round.

$TABLE

Peak RSS over the corpus (\`/usr/bin/time -f %M\`): twirl check $((MEM_CHECK / 1024)) MiB,
twirl fmt --check $((MEM_FMT / 1024)) MiB, floor $((MEM_FLOOR / 1024)) MiB.

Language server, a one-character edit to published diagnostics on the
largest issue, in process (\`cargo bench -p twirl-lsp --bench
edit_to_diagnostics\`; 20 warm-up edits, then 400, each followed by
an in-process comrak parse of the same text, the floor of this figure):

\`\`\`text
$LSP
\`\`\`

Events scaling (\`target/release/events-scaling\`, the largest issue with each
region's events written k times; parse + lint, in process):

\`\`\`text
$SCALE
\`\`\`
EOF
)
echo "$BODY"
if [ -f "$DOC" ] && grep -q '<!-- bench-compare:start -->' "$DOC"; then
  python3 - "$DOC" "$BODY" <<'PY'
import sys
doc, body = sys.argv[1], sys.argv[2]
s = open(doc).read()
a = s.index("<!-- bench-compare:start -->") + len("<!-- bench-compare:start -->")
b = s.index("<!-- bench-compare:end -->")
open(doc, "w").write(s[:a] + "\n" + body + "\n" + s[b:])
PY
  echo "(written to docs/performance.md)" >&2
fi
