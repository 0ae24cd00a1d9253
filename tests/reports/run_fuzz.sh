#!/usr/bin/env bash
# Builds the report reader's libFuzzer target with clang in its own build
# directory and runs it for a bounded time (default 60 s), seeded with the
# fixtures. Exit 0: no crash found; 1: a crash (the input is kept in the
# build directory); 77: no clang/libFuzzer here.
#   run_fuzz.sh SOURCE_DIR BUILD_DIR [SECONDS]
set -euo pipefail
src="$1"
build="$2"
seconds="${3:-60}"
clangxx=$(command -v clang++ || true)
if [ -z "$clangxx" ]; then
  echo "SKIP: clang++ is missing (Debian packages clang and libclang-rt-dev; ci/setup --test installs them)"
  exit 77
fi
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long){return 0;}' |
     "$clangxx" -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "SKIP: clang++ cannot link libFuzzer (Debian package libclang-rt-dev)"
  exit 77
fi
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$clangxx" \
  -DZC_FUZZ=ON -DZC_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_report_reader >"$build/fuzz-build.log" 2>&1 || { cat "$build/fuzz-build.log"; exit 1; }
corpus="$build/fuzz-corpus"
mkdir -p "$corpus" "$build/fuzz-artifacts"
# Seeds: every fixture, plus small hostile shapes the mutator grows from.
find "$src/tests/reports/fixtures" -name '*.json' -exec cp {} "$corpus/" \;
printf '{"schema_version": 1}' >"$corpus/seed-min.json"
printf '{"schema_version": 2}' >"$corpus/seed-future.json"
printf '[[[[[[[[{"a":"\\u0000\\ud800"}]]]]]]]]' >"$corpus/seed-deep.json"
printf '{"schema_version": 1, "x": [1e30, -0.0, 9007199254740993, 1.5]}' >"$corpus/seed-numbers.json"
# The reader is capped at 16 MiB; libFuzzer inputs stay far below (-max_len, above the fixtures' size).
"$build/reports/fuzz_report_reader" "$corpus" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
  -timeout=10 -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1 2>&1 | tail -n 25
