#!/usr/bin/env bash
# ctest's emulator for the WebAssembly test programs: Node 20 (without its global fetch, which
# Emscripten 3.1.6's loader trips over). An Emscripten program does not see Node's environment,
# so GoogleTest's report path (GTEST_OUTPUT=json:DIR/) is passed on as an argument.
prog=$1
shift
extra=()
if [[ "${GTEST_OUTPUT:-}" == json:*/ ]]; then
  extra=("--gtest_output=${GTEST_OUTPUT}$(basename "$prog" .js).json")
fi
exec /usr/bin/node --no-experimental-fetch "$prog" "$@" "${extra[@]}"
