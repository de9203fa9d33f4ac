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

echo
echo "events (summed over the seeds; types the scenario's truth contains; F1 from the sums):"
python3 - "$work" <<'PY'
import json, glob, os, sys, collections
work = sys.argv[1]
agg = collections.defaultdict(lambda: collections.Counter())
for path in sorted(glob.glob(os.path.join(work, "eval-*.json"))):
    name = os.path.basename(path)[5:-5].rsplit("-", 1)[0]
    for typ, s in (json.load(open(path)).get("events") or {}).items():
        c = agg[(name, typ)]
        for k in ("truth", "unseen", "detected", "matched"):
            c[k] += s[k]
        if s.get("start_error_s") is not None:
            c["err"] += s["start_error_s"] * s["matched"]
print("%-12s %-16s %6s %6s %8s %7s %9s %7s %7s %11s" % ("scenario", "type", "truth", "unseen", "detected", "matched", "precision", "recall", "F1", "start_err_s"))
for (name, typ), c in sorted(agg.items()):
    if c["truth"] == 0 and c["unseen"] == 0:
        continue
    p = c["matched"] / c["detected"] if c["detected"] else float("nan")
    r = c["matched"] / c["truth"] if c["truth"] else float("nan")
    f = 2 * p * r / (p + r) if p == p and r == r and p + r > 0 else float("nan")
    e = c["err"] / c["matched"] if c["matched"] else float("nan")
    print("%-12s %-16s %6d %6d %8d %7d %9.3f %7.3f %7.3f %11.1f" % (name, typ, c["truth"], c["unseen"], c["detected"], c["matched"], p, r, f, e))
PY
