#!/usr/bin/env bash
# Compares `pharos decode` with gpsd's gpsdecode on the same input: the real
# DMA capture from ../shared/data repeated to at least a million sentences.
# Prints the median of RUNS runs of each and the ratios. Installs
# gpsd-clients when gpsdecode is missing (needs root, as on CI machines).
#
#   bench/decode.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
data=${PHAROS_DATA:-../shared/data}
capture=$data/ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz
[ -f "$capture" ] || { echo "missing $capture: the shared data set is expected at $data" >&2; exit 1; }

if ! command -v gpsdecode >/dev/null; then
	echo "installing gpsd-clients for gpsdecode…" >&2
	(apt-get update -qq && apt-get install -y -qq gpsd-clients) >/dev/null
fi

work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
go build -o "$work/pharos" ./cmd/pharos

input=$work/dma_x40.nmea
if [ ! -s "$input" ]; then
	zcat "$capture" > "$work/one.nmea"
	for _ in $(seq 40); do cat "$work/one.nmea"; done > "$input"
	rm "$work/one.nmea"
fi
lines=$(wc -l < "$input")
sentences=$(grep -c '^!' "$input")
echo "machine: $(nproc) cores; pharos uses all of them unless --workers 1"
echo "input: $lines lines, $sentences AIS sentences ($(du -h "$input" | cut -f1))"

# median SECONDS of running "$@" RUNS times (output discarded)
median() {
	for _ in $(seq "$runs"); do
		local t0 t1
		t0=$(date +%s.%N)
		"$@" > /dev/null
		t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc -l
	done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

gpsd=$(median sh -c "gpsdecode < '$input'")
stats=$(median "$work/pharos" decode --stats "$input")
stats1=$(median "$work/pharos" decode --stats --workers 1 "$input")
json=$(median "$work/pharos" decode --json "$input")

rate() { echo "$1 / $2 / 1000000" | bc -l | xargs printf '%.2f'; }
printf '%-28s %8s s  %7s M lines/s  %7s M sentences/s\n' \
	"gpsdecode (JSON out)" "$(printf %.3f "$gpsd")" "$(rate "$lines" "$gpsd")" "$(rate "$sentences" "$gpsd")" \
	"pharos decode --stats" "$(printf %.3f "$stats")" "$(rate "$lines" "$stats")" "$(rate "$sentences" "$stats")" \
	"  … on one core" "$(printf %.3f "$stats1")" "$(rate "$lines" "$stats1")" "$(rate "$sentences" "$stats1")" \
	"pharos decode --json" "$(printf %.3f "$json")" "$(rate "$lines" "$json")" "$(rate "$sentences" "$json")"
printf 'ratio --stats / gpsdecode: %.1fx (one core: %.1fx)\n' "$(echo "$gpsd / $stats" | bc -l)" "$(echo "$gpsd / $stats1" | bc -l)"
printf 'ratio --json  / gpsdecode: %.1fx\n' "$(echo "$gpsd / $json" | bc -l)"
