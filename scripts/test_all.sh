#!/usr/bin/env bash
# Runs every test suite (make test calls it after building): native ctest, WebAssembly ctest under
# Node, the browser end-to-end tests. Runs them all even when one fails, then prints one closing
# line with the totals of test cases: "make test: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
results=build/test-results
rm -rf "$results" && mkdir -p "$results"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0 status=0

# GoogleTest writes one JSON report per test program; the totals come from those.
gtest_totals() {  # dir -> "tests failures"
  /usr/bin/python3 - "$1" <<'PY'
import json, os, sys
t = f = 0
for name in os.listdir(sys.argv[1]):
    if name.endswith(".json"):
        with open(os.path.join(sys.argv[1], name)) as fh:
            r = json.load(fh)
        t += r.get("tests", 0) - r.get("disabled", 0)
        f += r.get("failures", 0) + r.get("errors", 0)
print(t, f)
PY
}

run_ctest() {  # preset
  local dir=$PWD/$results/$1
  mkdir -p "$dir"
  GTEST_OUTPUT="json:$dir/" ctest --preset "$1" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  read -r t f < <(gtest_totals "$dir")
  local ctest_failed; ctest_failed=$(grep -Eo '[0-9]+ tests? failed out of' "$log" | tail -1 | awk '{print $1}')
  # A program that crashed wrote no report: count its ctest failure instead.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=${ctest_failed:-1}; [ "$f" -gt 0 ] || f=1; fi
  passed=$((passed + t - f)); failed=$((failed + f))
  [ "$rc" -eq 0 ] || status=1
}

run_ctest dev
run_ctest wasm

(cd tests/e2e && node --test --test-concurrency=1) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
if [ -n "$p" ] && [ -n "$f" ]; then passed=$((passed + p)); failed=$((failed + f)); else failed=$((failed + 1)); fi
[ "$rc" -eq 0 ] || status=1

echo "make test: $passed passed, $failed failed"
exit $status
