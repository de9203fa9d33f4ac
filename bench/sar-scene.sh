#!/usr/bin/env bash
# Measures `pharos sar detect` on a full-size scene: a synthetic 16-bit
# GeoTIFF of 25,000 × 17,000 pixels at 10 m (a Sentinel-1 IW GRD's size)
# over the Strait of Gibraltar and the Alborán Sea, land included, written
# once by bench/sarscene with its truth. Prints each run's time, megapixels
# a second and peak resident memory, their medians, and how the detections
# score against the truth (pharos sar eval).
#
#   bench/sar-scene.sh [RUNS] [PRESET] [WORKERS]   (default 3 runs, snap, all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
preset=${2:-snap}
workers=${3:-$(nproc)}
work=${BENCH_DIR:-/tmp/pharos-sar-bench}
mkdir -p "$work"
go build -o "$work/pharos" ./cmd/pharos
scene=$work/scene-25000x17000.tif
if [ ! -s "$scene" ] || [ ! -s "${scene%.tif}-truth.json" ]; then
	go run ./bench/sarscene -out "$scene"
fi
ls -l "$scene"
times=() rates=() rss=()
for i in $(seq "$runs"); do
	/usr/bin/time -f '%e %M' -o "$work/time.txt" "$work/pharos" sar detect "$scene" --time 2026-11-27T06:21:44Z \
		--preset "$preset" --looks 4 --workers "$workers" --quiet --out "$work/detections.geojson" >"$work/out.txt"
	read -r secs kb <"$work/time.txt"
	rate=$(awk -v s="$secs" 'BEGIN { printf "%.1f", 25000 * 17000 / 1e6 / s }')
	echo "run $i: $(cat "$work/out.txt" | sed 's/ → .*//'); wall ${secs} s, ${rate} Mpx/s, peak RSS $((kb / 1024)) MiB"
	times+=("$secs") rates+=("$rate") rss+=("$kb")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median: wall $(median "${times[@]}") s, $(median "${rates[@]}") Mpx/s, peak RSS $(($(median "${rss[@]}") / 1024)) MiB (preset $preset, $workers workers)"
"$work/pharos" sar eval --truth "${scene%.tif}-truth.json" --preset "$preset" --looks 4
