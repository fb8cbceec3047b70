#!/bin/sh
# Instruction counts of `twirl check` on hostile inputs of size N and 2N,
# under valgrind's callgrind (exact and repeatable, unlike wall time, and it
# sees every loop, comrak's and the rules' included). Prints the ratio per
# input; a ratio well above 2 means superlinear work.
#   scripts/linearity.sh [TWIRL_BINARY] [BYTES]
set -eu
bin=${1:-target/release/twirl}
n=${2:-262144}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name=2024-11-06-this-week-in-rust.md
header='Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust
'
gen() { # kind bytes
    python3 - "$1" "$2" "$header" <<'PY'
import sys
kind, n, header = sys.argv[1], int(sys.argv[2]), sys.argv[3]
out = [header, "\n"]
size = 0
def add(s):
    global size
    out.append(s); size += len(s)
if kind == "events":
    add("## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04\n\n### Virtual\n")
    i = 0
    while size < n:
        add(f"* 2024-11-{7 + i % 20:02d} | Virtual | [Org](https://e.com/{i})\n    * [**Meet {i}**](https://e.com/m/{i})\n\n<!-- c{i} -->\n\n")
        i += 1
elif kind == "links":
    add("## Updates from Rust Community\n\n### Observations/Thoughts\n\n")
    i = 0
    while size < n:
        add(f"* [Post `{i}`](https://example.com/p/{i}?utm_source=x)\n")
        i += 1
elif kind == "headings":
    add("## Upcoming Events\n\nRusty Events between 2024-11-06 - 2024-12-04\n\n")
    i = 0
    while size < n:
        add(f"### Region {i}\n* 2024-11-12 | Virtual | [Org](https://e.com/{i})\n\n")
        i += 1
elif kind == "empty-items":
    add("## Updates from Rust Community\n\n")
    while size < n:
        add("*\ntext\n")
elif kind == "brackets":
    add("## Updates from Rust Community\n\n" + "[" * (n // 2) + "x" + "]" * (n // 2) + "(y)\n")
elif kind == "unclosed":
    add("## Updates from Rust Community\n\n" + "[a " * (n // 3) + "\n")
elif kind == "quotes":
    add("> " * (n // 2) + "a\n")
sys.stdout.write("".join(out))
PY
}
count() { # file
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$bin" check "$1" \
        >/dev/null 2>"$tmp/cg.err" || true
    sed -n 's/^summary: //p' "$tmp/cg.out"
}
for kind in events links headings empty-items brackets unclosed quotes; do
    mkdir -p "$tmp/a" "$tmp/b"
    gen "$kind" "$n" >"$tmp/a/$name"
    gen "$kind" $((2 * n)) >"$tmp/b/$name"
    a=$(count "$tmp/a/$name")
    b=$(count "$tmp/b/$name")
    echo "$kind: $a -> $b instructions (x$(echo "scale=2; $b / $a" | bc))"
done
