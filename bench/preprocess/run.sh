#!/usr/bin/env bash
# Preprocessing benchmark: the C# preprocess stage against ../shared/peers/preprocess.py (scipy and torch
# backends) on the same synthetic scans, clinical-sized and small, on this machine's cores.
#
#   bench/preprocess/run.sh [--paper-patients N] [--small-patients N] [--work DIR]
#
# What is measured, per cohort:
#   ours        `crlm run` of a spec with stages [cohort, split, preprocess] and an empty cache; the time is
#               the preprocess stage's own (run.json), with every core in use (the stage runs one scan per core).
#               It also resamples the lesion masks, which the peer does not.
#   peer        preprocess.py once per scan, two processes at a time (xargs -P "$(nproc)"), same parameters.
#               "wall" includes each process's interpreter start and imports (~1 s); "compute" is the sum of the
#               peer's own `time_s.total` divided by the number of cores: the peer at its best, as if it had no
#               start-up cost and perfect parallel scaling. The ratio is taken against the faster backend's
#               compute figure (the conservative one).
#   memory      peak RSS of `crlm run` (GNU time) on the small cohort and on its first quarter: flat means the
#               stage holds one scan per core, not the cohort.
# Results: bench/preprocess/results/<cohort>.json and results/summary.md (the table in docs/benchmarks.md).
set -euo pipefail

paper_patients=6
small_patients=46   # ~100 scans: patients have 1-3 scans (phases)
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${TMPDIR:-/tmp}/crlm-bench-preprocess"
while (($#)); do
    case "$1" in
        --paper-patients) paper_patients="$2"; shift 2 ;;
        --small-patients) small_patients="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        *) echo "usage: $0 [--paper-patients N] [--small-patients N] [--work DIR]" >&2; exit 2 ;;
    esac
done

peer="$repo/../shared/peers/preprocess.py"
[[ -f "$peer" ]] || { echo "error: $peer not found (the peer scripts live in ../shared beside the clone)" >&2; exit 2; }
/usr/bin/python3 -c 'import nibabel, scipy, torch' 2>/dev/null || {
    echo "error: the peer needs Debian's python3-nibabel python3-scipy python3-torch (apt-get install them)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "error: GNU time is needed for peak memory (apt-get install time)" >&2; exit 2; }

cores="$(nproc)"
results="$repo/bench/preprocess/results"
mkdir -p "$work" "$results"
echo "== build (Release)"
dotnet build "$repo/src/Crlm.Cli" -c Release -v quiet -nologo | tail -n 2
crlm=(dotnet "$repo/src/Crlm.Cli/bin/Release/net10.0/crlm.dll")

# One cohort: synthesise it, run ours with a cold cache and then warm, run the peer backends, write the JSON.
bench_cohort() {
    local name="$1" size="$2" patients="$3" spacing="$4" box="$5"
    local dir="$work/$name"
    echo "== $name: $patients patients, size $size, spacing $spacing mm, box $box"
    if [[ ! -f "$dir/cohort/manifest.csv" ]]; then
        "${crlm[@]}" synth --out "$dir/cohort" --patients "$patients" --seed 7 --size "$size" >/dev/null
    fi
    local scans; scans=$(($(wc -l <"$dir/cohort/manifest.csv") - 1))

    cat >"$dir/spec.yaml" <<YAML
version: 1
name: bench-$name
seed: 7
dataset:
  manifest: cohort/manifest.csv
preprocess:
  spacing: [${spacing// /, }]
  box: [${box// /, }]
stages: [cohort, split, preprocess]
output: out
cache: cache
YAML
    rm -rf "$dir/cache" "$dir/out"
    /usr/bin/time -f '%e %M' -o "$dir/ours.time" "${crlm[@]}" run "$dir/spec.yaml" >"$dir/ours.log" 2>&1
    cp "$dir/out/run.json" "$dir/ours_run.json"
    /usr/bin/time -f '%e %M' -o "$dir/ours_warm.time" "${crlm[@]}" run "$dir/spec.yaml" >"$dir/ours_warm.log" 2>&1
    cp "$dir/out/run.json" "$dir/ours_warm_run.json"
    local ours_s warm_s
    ours_s=$(/usr/bin/python3 "$repo/bench/preprocess/summarise.py" stage "$dir/ours_run.json")
    warm_s=$(/usr/bin/python3 "$repo/bench/preprocess/summarise.py" stage "$dir/ours_warm_run.json")
    echo "   ours: $scans scans, preprocess stage ${ours_s} s cold, ${warm_s} s from the cache"

    # The manifest's image and liver_mask columns (6 and 7), as paths.
    tail -n +2 "$dir/cohort/manifest.csv" | cut -d, -f2,6,7 | tr ',' ' ' >"$dir/scans.txt"
    for backend in scipy torch; do
        local out="$dir/peer-$backend"
        mkdir -p "$out"
        # One shell command per scan (synthetic paths hold no quotes), run $cores at a time.
        while read -r scan image liver; do
            echo "/usr/bin/python3 '$peer' '$dir/cohort/$image' '$dir/cohort/$liver' '$out/$scan.nii.gz' --backend $backend --spacing $spacing --box $box > '$out/$scan.json'"
        done <"$dir/scans.txt" >"$out/jobs.sh"
        local start end
        start=$(date +%s.%N)
        xargs -P "$cores" -d '\n' -n 1 sh -c <"$out/jobs.sh" || { echo "error: the $backend peer failed" >&2; exit 1; }
        end=$(date +%s.%N)
        echo "$start $end" >"$out.time"
        echo "   peer $backend: $(/usr/bin/python3 -c "print(round($end - $start, 2))") s wall"
    done

    /usr/bin/python3 "$repo/bench/preprocess/summarise.py" cohort "$dir" "$name" "$size" "$scans" "$cores" >"$results/$name.json"
}

bench_cohort paper paper "$paper_patients" "1 1 2.5" "256 256 96"
bench_cohort small small "$small_patients" "2 2 5" "128 128 48"

# Memory: the same small cohort, first quarter only, cold cache.
echo "== memory: first quarter of the small cohort"
quarter="$work/small-quarter"
mkdir -p "$quarter/cohort"
lines=$(( ($(wc -l <"$work/small/cohort/manifest.csv") - 1) / 4 ))
head -n $((lines + 1)) "$work/small/cohort/manifest.csv" >"$quarter/cohort/manifest.csv"
for sub in images liver_masks lesion_masks; do ln -sfn "$work/small/cohort/$sub" "$quarter/cohort/$sub"; done
sed 's/name: bench-small/name: bench-small-quarter/' "$work/small/spec.yaml" >"$quarter/spec.yaml"
rm -rf "$quarter/cache" "$quarter/out"
/usr/bin/time -f '%e %M' -o "$quarter/ours.time" "${crlm[@]}" run "$quarter/spec.yaml" >"$quarter/ours.log" 2>&1
cp "$quarter/out/run.json" "$quarter/ours_run.json"
/usr/bin/python3 "$repo/bench/preprocess/summarise.py" memory "$work/small" "$quarter" "$lines" >"$results/memory.json"

/usr/bin/python3 "$repo/bench/preprocess/summarise.py" table "$results" >"$results/summary.md"
cat "$results/summary.md"
