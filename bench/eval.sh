#!/usr/bin/env bash
# Simulates every shipped scenario with several seeds, tracks each run and
# scores it against the truth; prints one table row per run and the mean
# per scenario. The README's tracking table comes from this script.
#
#   bench/eval.sh [SEEDS]      (default "1 2 3 4 5")
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-1 2 3 4 5}
work=${BENCH_DIR:-$(mktemp -d)}
go build -o "$work/pharos" ./cmd/pharos

printf '%-12s %4s %9s %8s %6s %6s %9s %9s %9s %9s\n' scenario seed gospa_m ospa_m id_sw frags dark_P dark_R obj_P obj_R
for sc in scenarios/*.yaml; do
	name=$(basename "$sc" .yaml)
	for seed in $seeds; do
		"$work/pharos" sim --scenario "$sc" --seed "$seed" --out "$work/$name-$seed" > /dev/null
		"$work/pharos" run --out "$work/run-$name-$seed" "$work/$name-$seed" > /dev/null
		"$work/pharos" eval --truth "$work/$name-$seed/truth.json" --run "$work/run-$name-$seed" > "$work/eval-$name-$seed.json"
		python3 - "$name" "$seed" "$work/eval-$name-$seed.json" <<'PY'
import json, sys
name, seed, path = sys.argv[1:]
r = json.load(open(path))
d = r["dark_target"]
f = lambda v: "-" if v is None else "%.3f" % v
print("%-12s %4s %9.1f %8.1f %6d %6d %9s %9s %9s %9s" % (name, seed, r["gospa"], r["ospa"], r["id_switches"],
      r["fragmentations"], f(d["precision"]), f(d["recall"]), f(d["objects"]["precision"]), f(d["objects"]["recall"])))
PY
	done
done | tee "$work/table.txt"
echo "cut-off c = 500 m, order p = 2, alpha = 2; a track state counts for 60 s; runs in $work"
