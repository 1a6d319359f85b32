#!/usr/bin/env bash
# Detection-quality benchmark: driftd's defaults and methods against River's ADWIN and
# Page-Hinkley on the same synthetic streams. Prints one markdown table.
#
#   Benchmarks/DetectionQuality/run.sh [--seeds N] [--stationary-events N] [--horizon N]
#
# Environment: OUT (work directory, default Benchmarks/DetectionQuality/.build/results),
# TARGET_CPU (e.g. haswell: passed as -target-cpu to the release build; unset = default codegen),
# SWIFT (default swift), PYTHON (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${OUT:-$here/.build/results}"
swift="${SWIFT:-swift}"
python="${PYTHON:-python3}"

flags=(-c release --package-path "$here" --scratch-path "$here/.build")
if [[ -n "${TARGET_CPU:-}" ]]; then
    flags+=(-Xswiftc -target-cpu -Xswiftc "$TARGET_CPU")
fi

echo "detection-quality: building (release)" >&2
"$swift" build "${flags[@]}" --product DetectionQuality >&2
bin="$("$swift" build "${flags[@]}" --show-bin-path)/DetectionQuality"

if ! "$python" -c "import river, numpy" 2>/dev/null; then
    echo "detection-quality: installing River (pip install river)" >&2
    "$python" -m pip install --quiet river >&2
fi

mkdir -p "$out"
start=$SECONDS
"$bin" run --out "$out" "$@"
"$python" "$here/river_baseline.py" --out "$out"
echo "detection-quality: done in $((SECONDS - start)) s; results in $out" >&2
"$bin" report --out "$out"
