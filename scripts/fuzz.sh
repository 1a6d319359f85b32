#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets of Fuzz/ (a separate SwiftPM package that depends on
# this one by path) with libFuzzer and AddressSanitizer instrumentation of every module they
# link, then runs each target for FUZZ_SECONDS on a working corpus seeded from Fuzz/Corpus.
# Fails when a target finds a crash, a sanitizer report, a failed invariant, a timeout or an
# out-of-memory input (libFuzzer writes the input to Fuzz/.build/artifacts/<target>/).
# Leaks: libFuzzer's per-input leak check runs a full LeakSanitizer scan after every input whose
# mallocs and frees differ, which the decoders' reused buffers make the common case (150 instead
# of 3,000 executions/s here). So the fuzzing runs with -detect_leaks=0, and afterwards every
# input of the working corpus is run once more with the per-input leak check on.
# Fuzz/lsan-suppressions.txt lists leaks outside driftd, each with its reason.
#
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_TARGETS   targets to run (default: FuzzEventDecoders FuzzConfigLoader)
#   FUZZ_ARGS      extra libFuzzer flags, e.g. "-seed=1 -jobs=2"
#
# The working corpus (Fuzz/.build/corpus/<target>) grows across runs and is not committed; the
# seeds are regenerated with scripts/make_fuzz_seeds.py. Docs: docs/operations.md, "Fuzzing".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SWIFT=${SWIFT:-swift}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-"FuzzEventDecoders FuzzConfigLoader"}
FUZZ_ARGS=${FUZZ_ARGS:-}

build_flags=(--package-path Fuzz -c release --sanitize=fuzzer --sanitize=address)
echo "fuzz: building the targets (swift build ${build_flags[*]})"
"$SWIFT" build "${build_flags[@]}"
bin=$("$SWIFT" build "${build_flags[@]}" --show-bin-path)

# Per target: seed corpus, dictionary, largest input.
settings() {
    case "$1" in
        FuzzEventDecoders) echo "Fuzz/Corpus/decoders Fuzz/Dictionaries/events.dict 4096" ;;
        FuzzConfigLoader) echo "Fuzz/Corpus/config Fuzz/Dictionaries/config.dict 16384" ;;
        *) echo "fuzz: unknown target $1" >&2; return 1 ;;
    esac
}

export LSAN_OPTIONS="suppressions=$root/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
summary=()
for target in $FUZZ_TARGETS; do
    read -r seeds dict max_len < <(settings "$target")
    work=Fuzz/.build/corpus/$target
    artifacts=Fuzz/.build/artifacts/$target
    log=Fuzz/.build/logs/$target.log
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    echo "fuzz: $target for ${FUZZ_SECONDS}s (seeds $seeds, log $log)"
    set +e
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    "$bin/$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 -detect_leaks=0 $FUZZ_ARGS \
        "$work" "$seeds" > "$log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "fuzz: $target: leak check of the $(find "$work" -type f | wc -l) corpus inputs"
        "$bin/$target" -runs=0 -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -detect_leaks=1 \
            -artifact_prefix="$artifacts/" "$work" "$seeds" >> "$log" 2>&1
        rc=$?
    fi
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -E "DONE" "$log" | grep -Eo "cov: [0-9]+ ft: [0-9]+" | tail -n 1)
    corpus=$(find "$work" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        line="$target: ${runs:-?} executions (${speed:-?}/s), ${cov:-no coverage line}, corpus $corpus inputs, 0 crashes"
    else
        status=1
        found=$(grep -Eo "Test unit written to [^ ]+" "$log" | tail -n 1 | sed 's/Test unit written to //')
        line="$target: FAILED (exit $rc) after ${runs:-?} executions; input: ${found:-see $log}"
        grep -E "^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*fatal error)" "$log" | head -n 5 >&2 || true
    fi
    echo "fuzz: $line"
    summary+=("$line")
done

echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
exit $status
