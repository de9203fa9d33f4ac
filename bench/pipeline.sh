#!/usr/bin/env bash
# Measures the batch pipeline (decode → track → detect → risk, all outputs
# written) on the real DMA capture repeated COPIES times, each copy's
# Gatehouse times shifted 5 minutes on so that event time keeps going
# forward. Prints each run and the median.
#
#   bench/pipeline.sh [COPIES] [RUNS]     (default 40 copies ≈ 1 M reports, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-40}
runs=${2:-5}
data=${PHAROS_DATA:-../shared/data}
capture=$data/ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz
work=${BENCH_DIR:-$(mktemp -d)}
go build -o "$work/pharos" ./cmd/pharos
input=$work/dma_shift$copies.nmea
if [ ! -s "$input" ]; then
	python3 - "$capture" "$copies" "$input" <<'PY'
import datetime, gzip, sys
src, copies, out = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "w")
lines = gzip.open(src, "rt").read().splitlines()
def checksum(body):
    x = 0
    for c in body:
        x ^= ord(c)
    return "%02X" % x
for k in range(copies):
    shift = datetime.timedelta(minutes=5 * k)
    for line in lines:
        if line.startswith("$PGHP,1,"):
            f = line[1:line.index("*")].split(",")
            t = datetime.datetime(*map(int, f[2:8]), int(f[8]) * 1000) + shift
            f[2:9] = map(str, [t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond // 1000])
            body = ",".join(f)
            line = "$" + body + "*" + checksum(body)
        out.write(line + "\n")
PY
fi
echo "input: $(grep -c '^!' "$input") AIS sentences; $(nproc) cores"
for _ in $(seq "$runs"); do
	"$work/pharos" run --out "$work/run" "$input" | head -1
done | tee "$work/runs.txt"
sed 's/.*(\([0-9]*\)\/s).*/\1/' "$work/runs.txt" | sort -n | awk '{a[NR]=$1} END {printf "median: %.2f M reports/s\n", a[int((NR+1)/2)]/1e6}'
