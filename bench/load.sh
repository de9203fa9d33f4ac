#!/usr/bin/env bash
# Load test of a served node: builds pharos, serves examples/node.yaml on
# free ports with a fresh data directory, and runs bench/load against it:
# a steady RATE of AIS observations over TCP for DURATION while CLIENTS
# operators read the live track stream. Prints memory, CPU and latency
# every 10 s, then a summary (latency p50/p99, memory slope, losses); then
# stops the node with SIGINT and checks that it shut down cleanly.
#
#   bench/load.sh [DURATION] [RATE] [CLIENTS]   (default 10m, 10000 observations/s, 2 clients)
#
# Extra flags for bench/load go in LOAD_FLAGS (e.g. LOAD_FLAGS="-conns 4
# -vessels 5000"; see go run ./bench/load -h). The work directory is
# BENCH_DIR or a temporary one; the node's data is removed at the end
# unless BENCH_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10m}
rate=${2:-10000}
clients=${3:-2}
work=${BENCH_DIR:-$(mktemp -d)}
go build -o "$work/pharos" ./cmd/pharos
go build -o "$work/load" ./bench/load
rm -rf "$work/data"
log=$work/serve.log
# The example configuration without its Cursor-on-Target output (nothing
# listens for it here).
grep -v '^cot_out:' examples/node.yaml >"$work/node.yaml"
cp examples/sections.geojson "$work/"
"$work/pharos" serve --config "$work/node.yaml" --input tcp-listen://127.0.0.1:0 \
	--listen 127.0.0.1:0 --data "$work/data" >"$log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true' EXIT
input='' api=''
for _ in $(seq 300); do
	input=$(sed -n 's/^input tcp-listen:[^ ]* on \(.*\)$/\1/p' "$log")
	api=$(sed -n 's,^serving \(http://[^/]*\)/$,\1,p' "$log")
	[ -n "$input" ] && [ -n "$api" ] && break
	kill -0 $pid 2>/dev/null || { cat "$log"; echo "load.sh: pharos serve ended" >&2; exit 1; }
	sleep 0.1
done
[ -n "$api" ] || { cat "$log"; echo "load.sh: pharos serve did not start" >&2; exit 1; }
echo "node: pid $pid, input $input, API $api, data $work/data; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# shellcheck disable=SC2086 # LOAD_FLAGS is split on purpose
"$work/load" -input "$input" -api "$api" -pid $pid -duration "$duration" -rate "$rate" \
	-clients "$clients" ${LOAD_FLAGS:-} | tee "$work/load.out" || status=$?

stopped=$(date +%s.%N)
kill -INT $pid
rc=0
wait $pid || rc=$?
trap - EXIT
took=$(awk -v a="$stopped" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
if [ $rc -eq 0 ] && grep -q '^pharos: stopped$' "$log"; then
	printf '%-15s %s\n' "node shutdown" "clean on SIGINT in ${took}s (exit 0, \"pharos: stopped\")"
else
	printf '%-15s %s\n' "node shutdown" "NOT CLEAN: exit $rc after ${took}s"
	status=1
fi
if grep -v -e '^input ' -e '^serving ' -e '^pharos: node ' -e '^pharos: stopped$' "$log" >"$work/serve.other"; then
	printf '%-15s %s\n' "node log" "$(wc -l <"$work/serve.other") other lines, first: $(head -3 "$work/serve.other" | tr '\n' ' ')"
fi
# The node stores every confirmed track state it emits, one a position
# report: the stored history counts what the node ingested, independently
# of the stream.
positions=$(sed -n 's/^sent .*: \([0-9]*\) position reports.*/\1/p' "$work/load.out")
if [ -n "$positions" ] && command -v sqlite3 >/dev/null; then
	stored=$(sqlite3 "file:$work/data/pharos.db?mode=ro" 'SELECT count(*) FROM track_states')
	printf '%-15s %s\n' "node history" "$stored track states stored for $positions position reports sent: $((positions - stored)) lost in the node"
fi
printf '%-15s %s\n' "store" "$(du -sh "$work/data" | cut -f1) in $work/data"
if [ "${BENCH_KEEP:-}" != 1 ]; then
	rm -rf "$work/data"
fi
exit $status
