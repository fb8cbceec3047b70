#!/bin/sh
# Runs one fuzz target at low priority for a fixed time and keeps the log:
#   fuzz/run.sh TARGET [SECONDS] [MAX_LEN]
# Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP lets a stable toolchain
# take the nightly flags cargo-fuzz passes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
t=$1
secs=${2:-1800}
max_len=${3:-65536}
mkdir -p "$here/artifacts"
cd "$here"
RUSTC_BOOTSTRAP=1 exec nice -n 19 cargo fuzz run -s none --debug-assertions "$t" \
    "corpus/$t" -- -max_total_time="$secs" -max_len="$max_len" -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 >"artifacts/$t.log" 2>&1
